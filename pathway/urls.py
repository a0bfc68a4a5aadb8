from django.contrib import admin
from django.urls import include, path

from pathway.views import healthz

urlpatterns = [
    path("", include("assessments.home.urls")),
    path("", include("assessments.people.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("growth/", include("assessments.growth.urls")),
    path("assessments/", include("assessments.reviews.urls")),
    path("reports/", include("assessments.reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("scim/v2/", include("assessments.people.scim.urls")),
]

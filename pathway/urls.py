from django.contrib import admin
from django.urls import include, path

from pathway.views import healthz

admin.site.site_header = "Pathway administration"
admin.site.site_title = "Pathway admin"
admin.site.index_title = "HR administration"

urlpatterns = [
    path("", include("assessments.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("assessments/", include("assessments.assessment_urls")),
    path("reports/", include("assessments.report_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

from django.urls import path

from frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:key>/", views.framework_current, name="current"),
    path("<slug:key>/diff/", views.version_diff, name="diff"),
    path("<slug:key>/v<int:version>/", views.framework_detail, name="detail"),
    path("<slug:key>/v<int:version>/levels/<slug:track_key>/<slug:level_key>/", views.level_detail, name="level"),
    # Links made before level keys were unique per track rather than per framework.
    path("<slug:key>/v<int:version>/levels/<slug:level_key>/", views.level_by_key, name="level_by_key"),
    path("<slug:key>/v<int:version>/compare/", views.compare, name="compare"),
]

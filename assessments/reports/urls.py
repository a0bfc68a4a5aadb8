from django.urls import path

from assessments.reports import comparison_views, progress, views

app_name = "reports"

# Every table has a CSV twin at the same path with ".csv", taking the same query parameters.
urlpatterns = [
    path("people/<int:person_pk>/compare/", comparison_views.comparison, name="compare"),
    path("people/<int:person_pk>/compare.csv", views.comparison_csv, name="compare_csv"),
    path("assessments/<int:pk>/agreed/", comparison_views.record_agreed, name="agreed"),
    path("assessments/<int:pk>/recommendation/", comparison_views.recommend, name="recommend"),
    path("people/<int:person_pk>/promotion/", views.promotion_report, name="promotion"),
    path("people/<int:person_pk>/promotion.pdf", views.promotion_pdf, name="promotion_pdf"),
    path("people/<int:person_pk>/promotion-pdf/", views.promotion_pdf_status, name="promotion_pdf_status"),
    path("people/<int:person_pk>/history/", views.history, name="history"),
    path("people/<int:person_pk>/history.csv", views.history_csv, name="history_csv"),
    path("team/", views.team_heatmap, name="team"),
    path("team.csv", views.team_csv, name="team_csv"),
    path("calibration/", views.calibration, name="calibration"),
    path("calibration.csv", views.calibration_csv, name="calibration_csv"),
    path("cycles/<int:pk>/progress/", progress.cycle_progress, name="cycle_progress"),
    path("calibration/managers/<int:person_pk>/", views.calibration_manager, name="calibration_manager"),
]

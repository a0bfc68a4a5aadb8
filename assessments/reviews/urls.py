from django.urls import path

from assessments.reviews import citing, handover_views, lists, sharing, views

app_name = "assessments"

urlpatterns = [
    path("", lists.my_assessments, name="mine"),
    path("start/", views.start, name="start"),
    path("person/<int:pk>/", lists.person_assessments, name="person"),
    path("person/<int:pk>/handover/", handover_views.handover, name="handover"),
    path("person/<int:pk>/take-over/", handover_views.take_over, name="take_over"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/ratings/<int:capability_pk>/", views.save_rating, name="save_rating"),
    path("<int:pk>/ratings/<int:capability_pk>/cite/", citing.cite, name="cite"),
    path("<int:pk>/details/", views.save_details, name="save_details"),
    path("<int:pk>/return/", views.return_for_changes, name="return"),
    path("<int:pk>/share/", sharing.share, name="share"),
    path("<int:pk>/move/", views.move_version, name="move_version"),
    path("<int:pk>/share/undo/", sharing.undo_share, name="undo_share"),
]

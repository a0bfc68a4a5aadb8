from django.urls import path

from assessments.growth import views

app_name = "growth"

urlpatterns = [
    path("evidence/", views.my_log, name="log"),
    path("evidence/new/", views.add_entry, name="add"),
    path("evidence/<int:pk>/edit/", views.edit_entry, name="edit"),
    path("evidence/<int:pk>/delete/", views.delete_entry, name="delete"),
    path("people/<int:pk>/evidence/", views.person_log, name="person_log"),
]

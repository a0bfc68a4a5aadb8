from django.urls import path

from assessments.people import views

urlpatterns = [
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/level/", views.set_level, name="person_level"),
]

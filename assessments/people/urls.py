from django.urls import path

from assessments.people import views

urlpatterns = [
    path("people/<int:pk>/", views.person, name="person"),
]

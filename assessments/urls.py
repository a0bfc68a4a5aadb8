from django.urls import path

from assessments import views

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("people/<int:pk>/", views.person, name="person"),
]

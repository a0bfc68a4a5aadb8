from django.urls import path

from assessments.growth import feedback_views, plan_views, views

app_name = "growth"

urlpatterns = [
    path("evidence/", views.my_log, name="log"),
    path("evidence/new/", views.add_entry, name="add"),
    path("evidence/<int:pk>/edit/", views.edit_entry, name="edit"),
    path("evidence/<int:pk>/delete/", views.delete_entry, name="delete"),
    path("people/<int:pk>/evidence/", views.person_log, name="person_log"),
    path("feedback/", feedback_views.for_me, name="feedback"),
    path("feedback/asked/", feedback_views.asked, name="feedback_asked"),
    path("feedback/ask/", feedback_views.ask, name="feedback_ask"),
    path("people/<int:pk>/feedback/ask/", feedback_views.ask_about, name="feedback_ask_about"),
    path("feedback/<int:pk>/", feedback_views.answer, name="feedback_answer"),
    path("feedback/<int:pk>/decline/", feedback_views.decline, name="feedback_decline"),
    path("feedback/<int:pk>/withdraw/", feedback_views.withdraw, name="feedback_withdraw"),
    path("plan/", plan_views.my_plan, name="plan"),
    path("people/<int:pk>/plan/", plan_views.person_plan, name="person_plan"),
    path("people/<int:pk>/plan/new/", plan_views.add_item, name="plan_add"),
    path("plan/items/<int:pk>/edit/", plan_views.edit_item, name="plan_edit"),
    path("plan/items/<int:pk>/status/", plan_views.set_status, name="plan_status"),
    path("plan/items/<int:pk>/delete/", plan_views.delete_item, name="plan_delete"),
]

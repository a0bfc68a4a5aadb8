"""/scim/v2/: the SCIM 2.0 service (RFC 7644 §3.2), for a directory holding a bearer token."""

from django.urls import path

from assessments.people.scim import views

app_name = "scim"

urlpatterns = [
    path("", views.not_found_view, name="root"),
    path("ServiceProviderConfig", views.service_provider_config_view, name="service_provider_config"),
    path("ResourceTypes", views.resource_types_view, name="resource_types"),
    path("ResourceTypes/<str:item_id>", views.resource_types_view, name="resource_type"),
    path("Schemas", views.schemas_view, name="schemas"),
    path("Schemas/<str:item_id>", views.schemas_view, name="schema"),
    path(".search", views.search_view, name="search"),
    path("Users", views.users_view, name="users"),
    path("Users/.search", views.users_search_view, name="users_search"),
    path("Users/<str:item_id>", views.user_view, name="user"),
    path("Groups", views.groups_view, name="groups"),
    path("Groups/.search", views.groups_search_view, name="groups_search"),
    path("Groups/<str:item_id>", views.group_view, name="group"),
    path("<path:rest>", views.not_found_view, name="unknown"),
]

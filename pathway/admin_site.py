"""The HR admin's index grouped by task (frameworks, people, review cycles, emails and PDFs), not by Django app.

An HR admin thinks "I am setting up a framework" or "a new joiner arrived", not "accounts" or "assessments";
each model's page and the app pages are Django's own.
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

# (the task, its models as (app label, model name)), in the order an HR admin meets them.
TASKS = [
    (
        "Frameworks: levels, capabilities and what each level expects",
        [
            ("frameworks", "framework"),
            ("frameworks", "track"),
            ("frameworks", "level"),
            ("frameworks", "capabilityarea"),
            ("frameworks", "capability"),
            ("frameworks", "expectation"),
            ("frameworks", "scalelevel"),
        ],
    ),
    (
        "People: who they are, their level and manager, and sign-in",
        [
            ("assessments", "person"),
            ("assessments", "levelrule"),
            ("accounts", "user"),
            ("accounts", "failedsignin"),
            ("assessments", "scimtoken"),
            ("assessments", "directorygroup"),
            ("auth", "group"),
        ],
    ),
    (
        "Review cycles and assessments",
        [("assessments", "reviewcycle"), ("assessments", "assessment"), ("assessments", "rating")],
    ),
    (
        "Growth between reviews: learning resources, evidence logs, feedback requests",
        [("assessments", "learningresource"), ("assessments", "evidenceentry"), ("assessments", "feedbackrequest")],
    ),
    ("Emails and PDFs being sent and made", [("django_tasks_database", "dbtaskresult")]),
]


class PathwayAdminSite(admin.AdminSite):
    site_header = "Pathway administration"
    site_title = "Pathway admin"
    index_title = "HR administration"

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        apps = self._build_app_dict(request)
        models = {
            (label, model["object_name"].lower()): model for label, app in apps.items() for model in app["models"]
        }
        groups, placed = [], set()
        for name, keys in TASKS:
            found = [models[key] for key in keys if key in models]
            placed.update(key for key in keys if key in models)
            if found:
                groups.append(self._group(name, keys[0][0], found))
        rest = sorted((model for key, model in models.items() if key not in placed), key=lambda m: m["name"].lower())
        if rest:
            groups.append(self._group("Other", "other", rest))
        return groups

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """With company sign-in on, the admin's sign-in is Pathway's own page (the provider's button, and the rule
        that only superusers use a password when PASSWORD_SIGN_IN is off). Someone signed in without access to the
        admin still gets Django's page saying so (sending them on would loop)."""
        if settings.OIDC_ISSUER and request.method == "GET" and not request.user.is_authenticated:
            # Imported here: this module loads with the app registry, before the auth views can be imported.
            from django.contrib.auth import REDIRECT_FIELD_NAME
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))
        return super().login(request, extra_context)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ == "changelist_view":
            view = _refusing_unreadable_selection(view, model_admin.model)
        return super().admin_view(view, cacheable)

    @staticmethod
    def _group(name, app_label, models):
        return {
            "name": name,
            "app_label": app_label,
            "app_url": models[0]["admin_url"],
            "has_module_perms": True,
            "models": models,
        }


UNREADABLE_SELECTION = "The rows chosen could not be read, so nothing was done. Choose them again and try once more."


def _refusing_unreadable_selection(changelist_view, model):
    """A list's action posted with a row that is not a key of the model (a doctored or garbled form) is refused
    with a message; Django's admin would fail on it."""

    def readable(value):
        try:
            model._meta.pk.to_python(value)
        except ValidationError:
            return False
        return True

    @wraps(changelist_view)
    def view(request, *args, **kwargs):
        if request.method == "POST" and not all(map(readable, request.POST.getlist(ACTION_CHECKBOX_NAME))):
            messages.error(request, UNREADABLE_SELECTION)
            return HttpResponseRedirect(request.get_full_path())
        return changelist_view(request, *args, **kwargs)

    return view


class PathwayAdminConfig(AdminConfig):
    default_site = "pathway.admin_site.PathwayAdminSite"

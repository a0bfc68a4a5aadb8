from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import may_change_account
from assessments.people.directory import place_from_directory

# Also registers the review cycle and assessment admins.
from assessments.people.forms import (
    PeopleImportForm,
    PersonAdminForm,
    PersonChangeListForm,
    PersonChangeListFormSet,
    PrefetchedAutocompleteSelect,
)
from assessments.people.importer import COLUMNS, import_people
from assessments.people.models import Person
from frameworks.models import Framework, Level
from pathway.admin_history import AuditHistoryMixin


class OfferedChoiceFilter(admin.SimpleListFilter):
    """A list filter that ignores a value it does not offer (a mistyped or out-of-date address) and says so, where
    Django would fail on it or silently show an empty list."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = self.value()
        if value is not None and value not in {str(choice) for choice, _label in self.lookup_choices}:
            del self.used_parameters[self.parameter_name]
            messages.warning(
                request, f"There is no {self.title} “{value}” to filter by, so that filter is not applied."
            )


class FrameworkFilter(OfferedChoiceFilter):
    title = "framework"
    parameter_name = "framework"

    def lookups(self, request, model_admin):
        names = {}
        for key, name in Framework.objects.order_by("key", "-version").values_list("key", "name"):
            names.setdefault(key, name)
        return [*sorted(names.items(), key=lambda item: item[1].lower()), ("__none__", "No level yet")]

    def queryset(self, request, queryset):
        if self.value() == "__none__":
            return queryset.filter(level__isnull=True)
        if self.value():
            return queryset.filter(level__framework__key=self.value())
        return queryset


class LevelFilter(OfferedChoiceFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        levels = (
            Level.objects.filter(people__isnull=False)
            .distinct()
            .select_related("framework", "track")
            .order_by("framework__name", "framework__version", "track__position", "position")
        )
        framework_key = request.GET.get(FrameworkFilter.parameter_name)
        if framework_key and framework_key != "__none__":
            # With a framework chosen, its level names are enough.
            levels = levels.filter(framework__key=framework_key)
            return [(str(level.pk), self._label(level, with_framework=False)) for level in levels]
        return [(str(level.pk), self._label(level, with_framework=True)) for level in levels]

    @staticmethod
    def _label(level, with_framework):
        label = level.name
        if level.framework.status != Framework.Status.PUBLISHED:
            label += f" (version {level.framework.version})"
        return f"{label} · {level.framework.key}" if with_framework else label

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(level_id=self.value())
        return queryset


class ManagerFilter(OfferedChoiceFilter):
    title = "manager"
    parameter_name = "manager"

    def lookups(self, request, model_admin):
        managers = (
            Person.objects.annotate(report_count=Count("reports")).filter(report_count__gt=0).select_related("user")
        )
        return [(str(manager.pk), manager.name) for manager in managers] + [("__none__", "No manager")]

    def queryset(self, request, queryset):
        if self.value() == "__none__":
            return queryset.filter(manager__isnull=True)
        if self.value():
            return queryset.filter(manager_id=self.value())
        return queryset


SUPERUSER_ACCOUNT_MESSAGE = "Only a superuser can change the name or email address of a superuser’s account."


def _protect_superuser_account(form_class):
    """The person form, refusing a change to a superuser's name or email: a new email address and a password
    reset would hand the account to whoever chose the address."""

    class Form(form_class):
        def clean(self):
            cleaned = super().clean()
            user = self.instance.user
            for name, stored in (("full_name", user.full_name), ("email", user.email)):
                if name in cleaned and cleaned[name] != stored:
                    raise forms.ValidationError(SUPERUSER_ACCOUNT_MESSAGE)
            return cleaned

    return Form


@admin.register(Person)
class PersonAdmin(AuditHistoryMixin, SimpleHistoryAdmin):
    form = PersonAdminForm
    change_list_template = "assessments/people/admin/person_change_list.html"
    list_display = ("name", "email", "job_title", "level", "manager", "active")
    list_display_links = ("name",)
    list_editable = ("level", "manager")
    list_select_related = ("user", "level", "level__framework", "level__track", "manager__user")
    list_filter = (FrameworkFilter, LevelFilter, ManagerFilter, ("user__is_active", admin.BooleanFieldListFilter))
    search_fields = ("user__full_name", "user__email")
    search_help_text = "Search by name or email address."
    autocomplete_fields = ("manager",)
    readonly_fields = ("account", "level_set_by")
    fieldsets = (
        (None, {"fields": ("full_name", "email", "job_title", "department", "employee_type")}),
        ("Place in the organisation", {"fields": ("level", "level_set_by", "manager")}),
        ("Account", {"fields": ("account",)}),
    )
    add_fieldsets = (
        (None, {"fields": ("full_name", "email", "job_title", "department", "employee_type")}),
        ("Place in the organisation", {"fields": ("level", "manager")}),
    )
    actions = ("mark_as_leaver", "hand_over_assessment")
    list_per_page = 100

    class Media:
        css = {"all": ("css/people-admin.css",)}

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and not may_change_account(request.user, obj.user):
            return _protect_superuser_account(form)
        return form

    @admin.display(ordering="user__full_name", description="name")
    def name(self, person):
        return person.user.full_name

    @admin.display(ordering="user__email", description="email")
    def email(self, person):
        return person.user.email

    @admin.display(boolean=True, ordering="user__is_active", description="active")
    def active(self, person):
        return person.user.is_active

    @admin.display(description="level set by")
    def level_set_by(self, person):
        if person is None or person.level_id is None:
            return "No level yet: HR's level rules place this person when one matches."
        if person.level_rule_id is None:
            return "HR, by hand: the level rules never change it."
        url = reverse("admin:assessments_levelrule_change", args=[person.level_rule_id])
        rule = person.level_rule
        return format_html('The level rule <a href="{}">{}</a>. Choose a level here to set it by hand.', url, rule)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        place_from_directory(obj)

    @admin.display(description="account")
    def account(self, person):
        if person is None or not person.user_id:
            return "—"
        state = "Active: can sign in." if person.user.is_active else "Closed (leaver): cannot sign in; history is kept."
        url = reverse("admin:accounts_user_change", args=[person.user_id])
        return format_html('{} <a href="{}">Open the account (password, access, HR admin)</a>', state, url)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("level", "manager") and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # Levels belong to a framework version and people are added here: no add/edit links beside them.
            formfield.widget = formfield.widget.widget
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "manager":
            kwargs["widget"] = PrefetchedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["queryset"] = Person.objects.select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", PersonChangeListForm)
        return super().get_changelist_form(request, **kwargs)

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", PersonChangeListFormSet)
        return super().get_changelist_formset(request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            # Nobody new reports to a leaver.
            queryset = queryset.filter(user__is_active=True)
        return queryset, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        # People are never deleted: a leaver is marked as such and their history is kept.
        return False

    @admin.action(description="Mark as leaver (closes their account, keeps their history)")
    def mark_as_leaver(self, request, queryset):
        users = [person.user for person in queryset.select_related("user") if person.user.is_active]
        for user in users:
            if user == request.user:
                self.message_user(request, "You cannot mark yourself as a leaver.", messages.ERROR)
                return
            if not may_change_account(request.user, user):
                self.message_user(
                    request,
                    f"Nobody was marked as leaver: {user.full_name} has a superuser account, which only a "
                    "superuser can close.",
                    messages.ERROR,
                )
                return
        for user in users:
            user.is_active = False
            user.save(update_fields=["is_active"])
        count = len(users)
        self.message_user(
            request,
            f"{count} {'person' if count == 1 else 'people'} marked as leaver: they can no longer sign in, "
            "and their history is kept."
            if count
            else "Everyone selected had already left.",
            messages.SUCCESS if count else messages.INFO,
        )

    @admin.action(description="Hand over or discard a former manager’s assessment (one person)")
    def hand_over_assessment(self, request, queryset):
        """The app's hand-over page for the person (what their former manager left behind in the open cycle)."""
        people = list(queryset.values_list("pk", flat=True)[:2])
        if len(people) != 1:
            self.message_user(request, "Choose one person to hand over their assessment.", messages.ERROR)
            return None
        return redirect(reverse("assessments:handover", args=people))

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="assessments_person_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import people (CSV)",
            "columns": COLUMNS,
            "report": None,
        }
        if request.method == "POST":
            form = PeopleImportForm(request.POST, request.FILES)
            if form.is_valid():
                text = form.cleaned_data["csv_text"]
                confirmed = "confirm" in request.POST
                report = import_people(text, dry_run=not confirmed, by=request.user)
                if confirmed and report.ok:
                    message = f"{report.summary}."
                    if report.created:
                        message += " New people have no password yet: ask them to use “Forgotten your password?”."
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect("admin:assessments_person_changelist")
                context["report"] = report
                form = PeopleImportForm(initial={"csv_text": text}) if report.ok else PeopleImportForm()
        else:
            form = PeopleImportForm()
        context["form"] = form
        return TemplateResponse(request, "assessments/people/admin/import_people.html", context)

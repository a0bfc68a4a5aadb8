"""The HR admin for the catalogue.

Only a draft version changes: a published or archived version, and every row in it, is shown read-only
(the models refuse such changes too; the admin hides the controls and turns a refusal into a message).
Every change is recorded with who made it and when (django-simple-history).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from frameworks import admin_import, admin_views
from frameworks.forms import ExpectationForm
from frameworks.models import (
    Capability,
    CapabilityArea,
    Expectation,
    Framework,
    FrameworkLocked,
    Level,
    ScaleLevel,
    Track,
)
from pathway.admin_history import AuditHistoryMixin

DRAFT = Framework.Status.DRAFT
SHORT_TEXT = forms.Textarea(attrs={"rows": 2, "cols": 30})


def cache_choices(formset, field_name, queryset):
    """Limit a foreign key of every inline row to `queryset`, fetched once rather than once per row."""
    field = formset.form.base_fields.get(field_name)
    if field is not None:
        field.queryset = queryset
        field.choices = list(field.choices)
    return formset


class LockedVersionMixin(AuditHistoryMixin):
    """Read-only rows for versions that are not drafts, and a message instead of an error page if one slips through.

    `draft_lookup` is the path from the model to its framework's status.
    """

    draft_lookup = "framework__status"

    def is_locked(self, obj) -> bool:
        if obj is None:
            return False
        if not hasattr(obj, "_admin_locked"):
            # Asked several times per page; the answer is read once from the database.
            obj._admin_locked = not type(obj).objects.filter(pk=obj.pk, **{self.draft_lookup: DRAFT}).exists()
        return obj._admin_locked

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FrameworkLocked as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except FrameworkLocked as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except FrameworkLocked as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                self.delete_selected_drafts,
                "delete_selected",
                delete_selected.short_description,
            )
        return actions

    def delete_selected_drafts(self, modeladmin, request, queryset):
        # Bulk deletion skips the models' own lock, so the rule is applied here.
        locked = queryset.exclude(**{self.draft_lookup: DRAFT})
        if locked.exists():
            self.message_user(
                request,
                "Nothing was deleted: only rows of a draft version can be deleted, and "
                f"{locked.count()} of those selected belong to a published or archived version.",
                messages.ERROR,
            )
            return None
        return delete_selected(modeladmin, request, queryset)


class FrameworkInlineMixin:
    """An inline on the framework page: read-only unless the framework is a draft."""

    extra = 0
    text_widget = SHORT_TEXT

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("description", "summary"):
            kwargs["widget"] = self.text_widget
        elif db_field.name in ("key", "name", "short_name", "stage"):
            # Narrower than the admin's default so a row of several fields fits the page.
            kwargs["widget"] = forms.TextInput(attrs={"size": 18 if db_field.name != "name" else 26})
        elif db_field.name in ("rank", "position", "grade"):
            kwargs["widget"] = forms.NumberInput(attrs={"class": "narrow-number"})  # frameworks-admin.css
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(formfield, "widget", None), RelatedFieldWidgetWrapper):
            # Adding or editing an area or track from inside a row is confusing; they have their own rows.
            formfield.widget = formfield.widget.widget
        return formfield

    def editable(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.editable(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.editable(obj)


class ScaleLevelInline(FrameworkInlineMixin, admin.TabularInline):
    model = ScaleLevel
    fields = ("rank", "key", "name", "description")
    ordering = ("rank",)
    verbose_name = "mastery scale level"
    verbose_name_plural = "mastery scale (rank 1 is the lowest)"


class CapabilityAreaInline(FrameworkInlineMixin, admin.TabularInline):
    model = CapabilityArea
    fields = ("position", "key", "name", "description")
    ordering = ("position", "pk")


class CapabilityInline(FrameworkInlineMixin, admin.TabularInline):
    model = Capability
    fields = ("area", "position", "key", "name", "short_name", "description")
    ordering = ("area__position", "position", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return cache_choices(formset, "area", CapabilityArea.objects.filter(framework=obj))


class TrackInline(FrameworkInlineMixin, admin.TabularInline):
    model = Track
    fields = ("position", "key", "name", "kind", "description")
    ordering = ("position", "pk")


class LevelInline(FrameworkInlineMixin, admin.TabularInline):
    model = Level
    fields = ("track", "position", "key", "name", "grade", "stage", "summary")
    ordering = ("track__position", "position", "pk")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("track", "framework")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return cache_choices(formset, "track", Track.objects.filter(framework=obj))


@admin.register(Framework)
class FrameworkAdmin(LockedVersionMixin, SimpleHistoryAdmin):
    draft_lookup = "status"
    change_form_template = "admin/frameworks/framework/change_form.html"
    change_list_template = "admin/frameworks/framework/change_list.html"
    list_display = ("name", "key", "version", "status", "is_public", "published_at", "created_at")
    list_display_links = ("name",)
    list_filter = ("status", "is_public", "key")
    search_fields = ("key", "name")
    ordering = ("key", "-version")
    fieldsets = (
        (None, {"fields": ("key", "version", "name", "description", "source", "licence", "scale_kind")}),
        ("Status", {"fields": ("status", "published_at", "created_at", "is_public")}),
        (
            "Readiness rule",
            {
                "description": "How the verdict (ready, nearly, not yet) is reached for a target level.",
                "fields": ("readiness_target_share", "readiness_max_steps_below", "readiness_requires_current_level"),
            },
        ),
    )
    inlines = (ScaleLevelInline, CapabilityAreaInline, CapabilityInline, TrackInline, LevelInline)

    class Media:
        css = {"all": ("css/frameworks-admin.css",)}

    actions = ("publish_selected", "new_version_of_selected", "export_selected_yaml", "export_selected_json")

    def get_readonly_fields(self, request, obj=None):
        # Public or private is changed for every version at once, by the button above the form (set_public).
        fields = ["status", "published_at", "created_at", "is_public"]
        if obj is not None:
            # A version's number is fixed; its key too once other versions share it.
            fields.append("version")
            if obj.other_versions().exists():
                fields.append("key")
        return fields

    def is_locked(self, obj) -> bool:
        return obj is not None and obj.status != DRAFT

    def get_urls(self):
        extra = {"model_admin": self}
        wrap = self.admin_site.admin_view
        urls = [
            path("import/", wrap(admin_import.import_file), extra, name="frameworks_framework_import"),
            path(
                "<path:object_id>/expectations/",
                wrap(admin_views.expectations_grid),
                extra,
                name="frameworks_framework_expectations",
            ),
            path(
                "<path:object_id>/new-version/",
                wrap(admin_views.new_version),
                extra,
                name="frameworks_framework_new_version",
            ),
            path("<path:object_id>/publish/", wrap(admin_views.publish), extra, name="frameworks_framework_publish"),
            path("<path:object_id>/public/", wrap(admin_views.set_public), extra, name="frameworks_framework_public"),
            path(
                "<path:object_id>/export/<str:fmt>/",
                wrap(admin_views.export),
                extra,
                name="frameworks_framework_export",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        framework = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **admin_views.version_context(request, framework)}
        return super().change_view(request, object_id, form_url, extra_context)

    # Actions on the list -------------------------------------------------------------------------

    @admin.action(description="Publish the selected draft (see who it affects first)", permissions=["change"])
    def publish_selected(self, request, queryset):
        """Open the impact preview of the one draft selected, where HR confirms; publishing is one version at
        a time, because each preview says who that version affects."""
        frameworks = list(queryset)
        drafts = [framework for framework in frameworks if framework.is_draft]
        for framework in frameworks:
            if not framework.is_draft:
                self.message_user(
                    request,
                    f"{framework.name}: version {framework.version} is {framework.get_status_display().lower()}, "
                    "not a draft; only drafts can be published.",
                    messages.WARNING,
                )
        if len(drafts) == 1:
            return redirect("admin:frameworks_framework_publish", drafts[0].pk)
        if drafts:
            links = ((reverse("admin:frameworks_framework_publish", args=[d.pk]), d.name, d.version) for d in drafts)
            self.message_user(
                request,
                format_html(
                    "Publish one version at a time: each shows who it affects before you confirm. Open {}.",
                    format_html_join(
                        ", ",
                        '<a href="{}">{}, version {}</a>',
                        links,
                    ),
                ),
                messages.WARNING,
            )
        return None

    @admin.action(description="Make a new draft version of the selected frameworks", permissions=["change", "add"])
    def new_version_of_selected(self, request, queryset):
        for framework in queryset:
            admin_views.make_new_version(request, framework, prefix=f"{framework.name}: ")

    @admin.action(description="Export the selected version as YAML", permissions=["view"])
    def export_selected_yaml(self, request, queryset):
        return self.export_selected(request, queryset, "yaml")

    @admin.action(description="Export the selected version as JSON", permissions=["view"])
    def export_selected_json(self, request, queryset):
        return self.export_selected(request, queryset, "json")

    def export_selected(self, request, queryset, fmt):
        frameworks = list(queryset[:2])
        if len(frameworks) != 1:
            self.message_user(
                request, "Select exactly one version to export; a file holds one version.", messages.ERROR
            )
            return None
        return admin_views.export_response(frameworks[0], fmt)


class PartAdmin(LockedVersionMixin, SimpleHistoryAdmin):
    """A row of one framework version: created in a draft, read-only once the version is published."""

    def get_readonly_fields(self, request, obj=None):
        return ("framework",) if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = Framework.objects.filter(status=DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="framework version", ordering="framework__key")
    def framework_version(self, obj):
        framework = obj.framework
        return f"{framework.name} v{framework.version} ({framework.get_status_display().lower()})"


@admin.register(ScaleLevel)
class ScaleLevelAdmin(PartAdmin):
    list_display = ("name", "key", "rank", "framework_version")
    list_filter = ("framework__status", "framework__key")
    list_select_related = ("framework",)
    search_fields = ("key", "name", "framework__key", "framework__name")
    fields = ("framework", "rank", "key", "name", "description")
    ordering = ("framework__key", "-framework__version", "rank")


@admin.register(CapabilityArea)
class CapabilityAreaAdmin(PartAdmin):
    list_display = ("name", "key", "position", "framework_version")
    list_filter = ("framework__status", "framework__key")
    list_select_related = ("framework",)
    search_fields = ("key", "name", "framework__key", "framework__name")
    fields = ("framework", "position", "key", "name", "description")
    ordering = ("framework__key", "-framework__version", "position")


@admin.register(Capability)
class CapabilityAdmin(PartAdmin):
    list_display = ("name", "key", "area", "position", "framework_version")
    list_filter = ("framework__status", "framework__key")
    list_select_related = ("framework", "area")
    search_fields = ("key", "name", "short_name", "framework__key", "area__name")
    fields = ("framework", "area", "position", "key", "name", "short_name", "description")
    ordering = ("framework__key", "-framework__version", "area__position", "position")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = CapabilityArea.objects.filter(framework__status=DRAFT).select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Track)
class TrackAdmin(PartAdmin):
    list_display = ("name", "key", "kind", "position", "framework_version")
    list_filter = ("kind", "framework__status", "framework__key")
    list_select_related = ("framework",)
    search_fields = ("key", "name", "framework__key", "framework__name")
    fields = ("framework", "position", "key", "name", "kind", "description")
    ordering = ("framework__key", "-framework__version", "position")


class ExpectationInline(FrameworkInlineMixin, admin.TabularInline):
    """The expectations of one level, with the sentence of what each looks like there and its examples."""

    model = Expectation
    form = ExpectationForm
    fields = ("capability", "scale_level", "description", "examples")
    ordering = ("capability__area__position", "capability__position", "capability__pk")
    verbose_name_plural = "expectations (capabilities with no row are not asked for at this level)"
    text_widget = forms.Textarea(attrs={"rows": 2, "cols": 60})

    def editable(self, obj) -> bool:
        return obj is None or obj.framework.is_draft

    def get_queryset(self, request):
        # The row's title is str(expectation), which names the level, the capability and the mastery.
        return super().get_queryset(request).select_related("level", "capability__area", "scale_level")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        framework_id = obj.framework_id if obj else None
        cache_choices(formset, "capability", Capability.objects.filter(framework_id=framework_id))
        return cache_choices(formset, "scale_level", ScaleLevel.objects.filter(framework_id=framework_id))


@admin.register(Level)
class LevelAdmin(PartAdmin):
    list_display = ("name", "key", "track", "grade", "stage", "framework_version")
    list_filter = ("track__kind", "framework__status", "framework__key")
    list_select_related = ("framework", "track")
    search_fields = ("key", "name", "stage", "framework__key", "track__name")
    fields = ("framework", "track", "position", "key", "name", "grade", "stage", "summary")
    ordering = ("framework__key", "-framework__version", "track__position", "position")
    inlines = (ExpectationInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("framework", "track")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "track":
            kwargs["queryset"] = Track.objects.filter(framework__status=DRAFT).select_related("framework")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Expectation)
class ExpectationAdmin(LockedVersionMixin, SimpleHistoryAdmin):
    """Expectations are set in the grid; here their descriptions and examples are searched, read and written."""

    draft_lookup = "level__framework__status"
    list_display = ("level", "capability", "scale_level", "framework_version")
    list_filter = ("level__framework__status", "level__framework__key", "level__track__kind")
    list_select_related = ("level__framework", "level__track", "capability", "scale_level")
    search_fields = ("capability__name", "capability__key", "level__name", "level__key", "description")
    form = ExpectationForm
    fields = ("level", "capability", "scale_level", "description", "examples")
    readonly_fields = ("level", "capability")
    ordering = ("level__framework__key", "-level__framework__version", "level__track__position", "level__position")

    class Media:
        css = {"all": ("css/frameworks-admin.css",)}

    def has_add_permission(self, request):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scale_level":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = ScaleLevel.objects.filter(
                framework__levels__expectations__pk=object_id or 0
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="framework version", ordering="level__framework__key")
    def framework_version(self, obj):
        framework = obj.level.framework
        link = reverse("admin:frameworks_framework_expectations", args=[framework.pk])
        return format_html(
            '{} v{} (<a href="{}?track={}">grid</a>)', framework.name, framework.version, link, obj.level.track.key
        )

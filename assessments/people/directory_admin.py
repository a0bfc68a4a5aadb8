"""HR's level rules in the admin: each rule's conditions and level, a preview of whom it would place, and an
action that places everyone the rules can place (in the background: an organisation may be large)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.html import format_html, format_html_join
from django_tasks import task

from accounts.models import User
from assessments.people.directory import LevelRule, place_people, preview
from assessments.people.forms import grouped_level_choices, level_choices, level_label


@task()
def place_everyone(by_user_pk: int | None = None) -> str:
    by = User.objects.filter(pk=by_user_pk).first() if by_user_pk else None
    moved = place_people(by=by)
    return f"{moved} {'person' if moved == 1 else 'people'} placed by the level rules"


class LevelRuleForm(forms.ModelForm):
    class Meta:
        model = LevelRule
        fields = ["position", "title_contains", "department_is", "employee_type_is", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        field.queryset = level_choices(self.instance.level_id if self.instance.pk else None)
        field.label_from_instance = level_label
        field.choices = grouped_level_choices(field.queryset)


@admin.register(LevelRule)
class LevelRuleAdmin(admin.ModelAdmin):
    form = LevelRuleForm
    list_display = ("position", "conditions", "level_name")
    list_display_links = ("conditions",)
    list_editable = ("position",)
    list_select_related = ("level__framework", "level__track")
    readonly_fields = ("who_it_places",)
    fieldsets = (
        (None, {"fields": ("position",)}),
        (
            "Who it matches (every condition given must hold)",
            {"fields": ("title_contains", "department_is", "employee_type_is")},
        ),
        ("The level it gives", {"fields": ("level",)}),
        ("Preview", {"fields": ("who_it_places",)}),
    )
    actions = ("place_people_now",)

    class Media:
        css = {"all": ("css/people-admin.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "level" and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget = formfield.widget.widget  # levels belong to a framework version: no add/edit links
        return formfield

    @admin.display(description="level")
    def level_name(self, rule):
        return level_label(rule.level)

    @admin.display(description="who it places")
    def who_it_places(self, rule):
        if rule is None or rule.pk is None:
            return "Save the rule to see whom it would place."
        found = preview(rule)
        placed = f"It has placed {found['placed']} {'person' if found['placed'] == 1 else 'people'} so far."
        if not found["count"]:
            return f"Nobody would move now: everyone it matches has a level set by hand or by an earlier rule. {placed}"
        names = format_html_join(", ", "{}", ((person.name,) for person in found["names"]))
        more = found["count"] - len(found["names"])
        return format_html(
            "It would place {} {} without a level (or placed by a rule) on {}: {}{}. {} People whose level HR set by "
            "hand are never moved.",
            found["count"],
            "person" if found["count"] == 1 else "people",
            rule.level.name,
            names,
            f" and {more} more" if more else "",
            placed,
        )

    @admin.action(description="Place people by all the rules now")
    def place_people_now(self, request, queryset):
        place_everyone.enqueue(request.user.pk)
        self.message_user(
            request,
            "Placing people by the level rules, in order. People whose level HR set by hand keep it. "
            "The task list shows when it is done.",
            messages.SUCCESS,
        )

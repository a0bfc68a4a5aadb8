"""HR's learning resources in the admin: suggestions per capability that plan items can point to. Plans themselves
are the person's and their managers' (growth/plan_access.py): the admin does not list them."""

from django import forms
from django.contrib import admin

from assessments.growth.plans import LearningResource
from frameworks.models import Capability, Framework


class LearningResourceForm(forms.ModelForm):
    class Meta:
        model = LearningResource
        fields = ["capability", "title", "url", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["capability"]
        field.queryset = (
            Capability.objects.filter(framework__status=Framework.Status.PUBLISHED)
            .select_related("framework", "area")
            .order_by("framework__name", "area__position", "position", "pk")
        )
        field.label_from_instance = lambda capability: f"{capability.framework.name} · {capability.name}"
        field.help_text = "Plan items for this capability offer it, in this version of the framework and later ones."


@admin.register(LearningResource)
class LearningResourceAdmin(admin.ModelAdmin):
    form = LearningResourceForm
    list_display = ("title", "capability_name", "framework_name", "url")
    list_select_related = ("capability__framework",)
    search_fields = ("title", "capability__name")

    @admin.display(description="capability", ordering="capability__name")
    def capability_name(self, resource):
        return resource.capability.name

    @admin.display(description="framework", ordering="capability__framework__name")
    def framework_name(self, resource):
        return resource.capability.framework.name

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "capability" and hasattr(formfield.widget, "widget"):
            formfield.widget = formfield.widget.widget  # capabilities belong to a framework version: no add links
        return formfield

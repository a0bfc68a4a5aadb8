"""The plan item form: the capability, what to do, by when, a learning resource or a link, and how it stands."""

from django import forms
from django.utils import timezone

from assessments.growth.forms import framework_capabilities
from assessments.growth.plans import LearningResource, PlanItem

ACTION_LIMIT = 2000


class PlanItemForm(forms.ModelForm):
    link = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A course, an article or a document to use, if it is not in the list above.",
        error_messages={"invalid": "Enter a full web address, like https://example.com/course."},
    )

    class Meta:
        model = PlanItem
        fields = ["capability", "action", "due_on", "resource", "link", "status"]
        labels = {"action": "What to do", "due_on": "By when", "resource": "Learning resource (optional)"}
        help_texts = {
            "action": "Something concrete you can tell is done: lead the next discovery, pair with a senior PM…",
            "due_on": "A date to look at it again together.",
        }
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "capability": {
                "required": "Choose the capability this works on.",
                "invalid_choice": "Choose a capability from the list: that one is not in the framework.",
            },
            "action": {"required": "Say what you will do."},
            "due_on": {
                "required": "Enter the date it should be done by.",
                "invalid": "Enter a real date, like 2027-03-14.",
            },
            "resource": {"invalid_choice": "Choose a learning resource from the list."},
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        capabilities = framework_capabilities(person)
        self.fields["capability"].queryset = capabilities
        self.fields["capability"].label_from_instance = lambda capability: f"{capability.area.name}: {capability.name}"
        self.fields["resource"].queryset = LearningResource.objects.filter(
            capability__framework__key=person.level.framework.key if person.level_id else None
        ).select_related("capability")
        self.fields["resource"].label_from_instance = lambda resource: f"{resource.title} ({resource.capability.name})"
        self.fields["resource"].empty_label = "None"
        self.fields["action"].max_length = ACTION_LIMIT
        self.fields["action"].widget.attrs.update(maxlength=ACTION_LIMIT, rows=3)
        if not self.instance.pk:
            del self.fields["status"]

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate() and (not self.instance.pk or day != self.instance.due_on):
            raise forms.ValidationError("Choose today or a later date.")
        return day

    def clean(self):
        cleaned = super().clean()
        resource, capability = cleaned.get("resource"), cleaned.get("capability")
        if resource and capability and resource.capability.key != capability.key:
            self.add_error(
                "resource", f"{resource.title} is about {resource.capability.name}: choose one for {capability.name}."
            )
        return cleaned


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanItem.Status.choices, label="Status")

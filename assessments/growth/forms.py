"""The evidence form: what happened, when, an optional link, the capabilities it shows, and whether to share it."""

from django import forms
from django.utils import timezone

from assessments.growth.models import EvidenceEntry
from frameworks.models import Capability

TEXT_LIMIT = 5000


def framework_capabilities(person):
    """The capabilities a person tags evidence with: those of their current level's framework version, in the
    framework's order (none without a level)."""
    if person.level_id is None:
        return Capability.objects.none()
    return (
        Capability.objects.filter(framework_id=person.level.framework_id)
        .select_related("area", "framework")
        .order_by("area__position", "area_id", "position", "pk")
    )


class EvidenceForm(forms.ModelForm):
    link = forms.URLField(
        label="Link (optional)",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A document, a ticket or a message that shows it.",
        error_messages={"invalid": "Enter a full web address, like https://example.com/report."},
    )
    capabilities = forms.ModelMultipleChoiceField(
        queryset=Capability.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Capabilities it shows",
        error_messages={
            "required": "Choose at least one capability this shows.",
            "invalid_choice": "Choose capabilities from the list: one of them is not in your framework.",
            "invalid_pk_value": "Choose capabilities from the list: one of them is not in your framework.",
        },
    )

    class Meta:
        model = EvidenceEntry
        fields = ["happened_on", "text", "link", "capabilities", "shared"]
        labels = {"text": "What happened", "shared": "Share with my managers"}
        help_texts = {
            "happened_on": "When it happened, or when you received the feedback.",
            "text": "A win, a piece of work, feedback you received: what you did and what came of it.",
            "shared": "Private unless you share it: then your managers can read it too.",
        }
        widgets = {"happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "happened_on": {
                "required": "Enter the date it happened.",
                "invalid": "Enter a real date, like 2026-03-14.",
            },
            "text": {"required": "Say what happened."},
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        choices = framework_capabilities(person)
        field = self.fields["capabilities"]
        field.queryset = choices
        field.required = person.level_id is not None
        self.fields["text"].max_length = TEXT_LIMIT
        self.fields["text"].widget.attrs.update(maxlength=TEXT_LIMIT, rows=5)
        if self.instance.pk and not self.is_bound:
            # Tagged on an older version: the same capabilities (by key) in the current one are ticked.
            keys = {capability.key for capability in self.instance.capabilities.all()}
            self.initial["capabilities"] = [capability.pk for capability in choices if capability.key in keys]
        if not self.instance.pk and "happened_on" not in self.initial:
            self.initial["happened_on"] = timezone.localdate()

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date can’t be in the future: note evidence once it has happened.")
        return day

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Say what happened.")
        if len(text) > TEXT_LIMIT:
            raise forms.ValidationError(f"Keep it under {TEXT_LIMIT} characters: link to anything longer.")
        return text

    def save_for(self, person) -> EvidenceEntry:
        """Save as `person`'s own note. Tags on capabilities the current version no longer has are kept."""
        entry = self.save(commit=False)
        if entry.pk is None:
            entry.person = entry.author = person
            entry.source = EvidenceEntry.Source.NOTE
        entry.save()
        chosen = list(self.cleaned_data["capabilities"])
        current = {capability.key for capability in self.fields["capabilities"].queryset}
        kept = [capability for capability in entry.capabilities.all() if capability.key not in current]
        entry.capabilities.set([*chosen, *kept])
        return entry


class LogFilterForm(forms.Form):
    """The log's filter: one capability of the reader's framework, by key (stable across versions)."""

    capability = forms.ChoiceField(required=False, label="Show evidence for")

    def __init__(self, *args, capabilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.capabilities = {capability.key: capability for capability in capabilities}
        self.fields["capability"].choices = [("", "Every capability")] + [
            (capability.key, capability.name) for capability in capabilities
        ]

    def chosen(self):
        if self.is_valid() and self.cleaned_data["capability"]:
            return self.capabilities[self.cleaned_data["capability"]]
        return None


def capability_groups(form) -> list[tuple[str, list]]:
    """The form's capability checkboxes grouped by area, in the framework's order: (area name, [checkboxes])."""
    field = form["capabilities"]
    groups: dict[str, list] = {}
    for capability, checkbox in zip(field.field.queryset, field, strict=True):
        groups.setdefault(capability.area.name, []).append(checkbox)
    return list(groups.items())

"""The forms of feedback requests: asking (colleagues by email address, capabilities, question, due date), answering
and declining."""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import timezone

from assessments.growth.feedback_access import colleague_refusal
from assessments.growth.forms import framework_capabilities
from assessments.people.models import Person
from frameworks.models import Capability
from pathway.text import validate_storable

MAX_COLLEAGUES = 10
QUESTION_LIMIT = 1000
ANSWER_LIMIT = 5000
REASON_LIMIT = 1000
DEFAULT_DAYS = 14
LATEST_DAYS = 365


def _text(value: str, *, limit: int, required: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise forms.ValidationError(required)
    if len(value) > limit:
        raise forms.ValidationError(f"Keep it under {limit} characters.")
    validate_storable(value)
    return value


class AskForm(forms.Form):
    colleagues = forms.CharField(
        label="Colleagues’ email addresses",
        help_text=f"One per line, up to {MAX_COLLEAGUES}. Each gets their own request and answers on their own.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the email address of at least one colleague."},
    )
    capabilities = forms.ModelMultipleChoiceField(
        queryset=Capability.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Capabilities to ask about",
        error_messages={
            "required": "Choose at least one capability to ask about.",
            "invalid_choice": "Choose capabilities from the list: one of them is not in the framework.",
            "invalid_pk_value": "Choose capabilities from the list: one of them is not in the framework.",
        },
    )
    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question you want answered."},
    )
    due_on = forms.DateField(
        label="Answer by",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date you need the answers by.", "invalid": "Enter a real date."},
    )
    share_with_managers = forms.BooleanField(
        label="Share the answers with my managers",
        required=False,
        help_text="The answers are private to you unless you share them: then your managers can read them too.",
    )

    def __init__(self, *args, person: Person, asker: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.asker = person, asker
        self.fields["capabilities"].queryset = framework_capabilities(person)
        if asker.pk != person.pk:
            del self.fields["share_with_managers"]
        first = person.user.get_short_name() if asker.pk != person.pk else "me"
        self.fields["question"].initial = (
            f"What have you seen {first} do well in these, and what could {'I' if first == 'me' else first} do "
            "differently next time?"
        )
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)

    def clean_colleagues(self) -> list[Person]:
        addresses = list(dict.fromkeys(a.lower() for a in re.split(r"[\s,;]+", self.cleaned_data["colleagues"]) if a))
        if not addresses:
            raise forms.ValidationError("Enter the email address of at least one colleague.")
        if len(addresses) > MAX_COLLEAGUES:
            raise forms.ValidationError(f"Ask up to {MAX_COLLEAGUES} colleagues at a time.")
        query = Q()
        for address in addresses:
            query |= Q(user__email__iexact=address)
        found = {p.user.email.lower(): p for p in Person.objects.select_related("user").filter(query)}
        errors = []
        for address in addresses:
            colleague = found.get(address)
            if colleague is None:
                errors.append(f"Nobody signs in to Pathway as {address}: check the address.")
                continue
            refusal = colleague_refusal(colleague, person=self.person, asker=self.asker)
            if refusal:
                errors.append(refusal)
        if errors:
            raise forms.ValidationError(errors)
        return [found[address] for address in addresses]

    def clean_question(self) -> str:
        return _text(
            self.cleaned_data["question"], limit=QUESTION_LIMIT, required="Enter the question you want answered."
        )

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("The date must be today or later.")
        if day > today + datetime.timedelta(days=LATEST_DAYS):
            raise forms.ValidationError("The date must be within a year from today.")
        return day


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your feedback",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write your feedback before sending it."},
    )

    def clean_text(self) -> str:
        return _text(self.cleaned_data["text"], limit=ANSWER_LIMIT, required="Write your feedback before sending it.")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: we haven’t worked together on this. The person who asked reads it.",
    )

    def clean_reason(self) -> str:
        return _text(self.cleaned_data["reason"], limit=REASON_LIMIT)

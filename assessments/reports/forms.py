"""Forms of the report pages: the agreed outcome and the recommendation in the comparison, and the filters of the
team pages."""

from django import forms

from assessments.reports.comparison import Comparison, effective, words_for
from assessments.reviews.verdict import Verdict

NOT_APPLICABLE = "na"


def _choice(answer: tuple) -> str:
    scale_level, not_applicable = answer
    if not_applicable:
        return NOT_APPLICABLE
    return str(scale_level.pk) if scale_level is not None else ""


class AgreedOutcomeForm(forms.Form):
    """One agreed rating per capability of the manager assessment, prefilled with what the page shows: the agreed
    rating, else the manager's.

    Only a row whose agreed rating the manager changes from what was shown needs a note, saying why (the error
    names the capability, at its row). Only changed rows are saved, so the count says what changed.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, comparison: Comparison, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        self.scale = {str(scale_level.pk): scale_level for scale_level in comparison.scale}
        choices = [(pk, scale_level.name) for pk, scale_level in self.scale.items()]
        choices.append((NOT_APPLICABLE, "Not applicable"))
        self.rows = [row for row in comparison.rows if row.manager_rating is not None]
        self.fields["revision"].initial = comparison.manager_assessment.revision
        for row in self.rows:
            pk, name = row.manager_rating.capability_id, row.capability.name
            self.fields[f"agreed-{pk}"] = forms.ChoiceField(
                label=f"Agreed rating for {name}",
                choices=[("", "Choose")] + choices if not row.manager_rating.is_rated else choices,
                initial=_choice(effective(row.manager_rating)),
                error_messages={"invalid_choice": f"Choose one of the ratings shown for {name}."},
            )
            self.fields[f"note-{pk}"] = forms.CharField(
                label=f"Note on the agreed rating for {name}",
                required=False,
                max_length=2000,
                initial=row.manager_rating.agreed_note,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"Keep the note on {name} to %(limit_value)d characters."},
            )
            # The template shows each pair of fields in the capability's row.
            row.agreed_field = self[f"agreed-{pk}"]
            row.note_field = self[f"note-{pk}"]

    def _answer(self, value: str) -> tuple:
        if value == NOT_APPLICABLE:
            return None, True
        return self.scale.get(value), False

    def _changes(self, row) -> tuple[bool, bool]:
        """(the agreed rating changed from what was shown, the note changed) for a row of valid input."""
        pk = row.manager_rating.capability_id
        value, note = self.cleaned_data.get(f"agreed-{pk}"), self.cleaned_data.get(f"note-{pk}")
        if value is None or note is None:
            return False, False
        return value != self[f"agreed-{pk}"].initial, note.strip() != row.manager_rating.agreed_note

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            pk = row.manager_rating.capability_id
            changed, _ = self._changes(row)
            if changed and not cleaned[f"note-{pk}"].strip():
                shown = words_for(effective(row.manager_rating))
                now = words_for(self._answer(cleaned[f"agreed-{pk}"]))
                self.add_error(
                    f"note-{pk}",
                    f"Add a note on {row.capability.name}: say why the agreed rating changed from {shown} to {now}.",
                )
        return cleaned

    def counts(self) -> tuple[int, int]:
        """(agreed ratings changed, rows where only the note changed)."""
        changes = [self._changes(row) for row in self.rows]
        return sum(1 for rating, _ in changes if rating), sum(1 for rating, note in changes if note and not rating)

    def outcomes(self) -> dict:
        """capability id → (scale level or None, not applicable, note) of the changed rows only, for
        `Assessment.record_agreed_outcome`."""
        result = {}
        for row in self.rows:
            if not any(self._changes(row)):
                continue
            pk = row.manager_rating.capability_id
            scale_level, not_applicable = self._answer(self.cleaned_data[f"agreed-{pk}"])
            result[pk] = (scale_level, not_applicable, self.cleaned_data[f"note-{pk}"].strip())
        return result


def saved_message(changed: int, notes: int) -> str:
    """What saving the agreed ratings changed, in numbers ("2 agreed ratings changed")."""
    parts = []
    if changed:
        parts.append(f"{changed} agreed {'rating' if changed == 1 else 'ratings'} changed")
    if notes:
        parts.append(f"{notes} {'note' if notes == 1 else 'notes'} changed")
    return "Saved: " + " and ".join(parts) + "." if parts else "Nothing had changed, so nothing was saved."


class RecommendationForm(forms.Form):
    """The manager's recommendation after the discussion, in the verdict's words, and why."""

    recommendation = forms.ChoiceField(
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose Ready, Nearly or Not yet.",
            "invalid_choice": "Choose Ready, Nearly or Not yet.",
        },
    )
    rationale = forms.CharField(
        label="Why?",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the reason to %(limit_value)d characters (it has %(show_value)d)."},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, assessment, **kwargs):
        recommended = assessment.recommendation if assessment.recommendation in Verdict.values else None
        initial = {"recommendation": recommended, "rationale": assessment.rationale, "revision": assessment.revision}
        super().__init__(*args, initial=initial, **kwargs)


SORTS = [("verdict", "Verdict"), ("name", "Name")]


class TeamFilterForm(forms.Form):
    """The heatmap's filters; choices come from what the viewer may see."""

    manager = forms.TypedChoiceField(label="Manager", coerce=int, required=False)
    cycle = forms.ChoiceField(label="Review cycle", required=False)
    track = forms.ChoiceField(label="Track", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)

    def __init__(self, *args, managers=(), cycles=(), tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        if managers:
            self.fields["manager"].choices = [(person.pk, person.name) for person in managers]
        else:
            del self.fields["manager"]
        # One cycle at a time (the view shows the latest by default); before any cycle, the latest review.
        self.fields["cycle"].choices = [(str(c.pk), c.name) for c in cycles] or [("", "No review cycles yet")]
        self.fields["track"].choices = [("", "All tracks")] + list(tracks)


ALL_CYCLES = "all"


class CycleFilterForm(forms.Form):
    """Calibration's cycle: one at a time (the newest with submitted work by default), or every cycle at once."""

    cycle = forms.ChoiceField(label="Review cycle", required=False)

    def __init__(self, *args, cycles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(str(c.pk), c.name) for c in cycles] + [(ALL_CYCLES, "All cycles")]

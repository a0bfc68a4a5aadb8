"""Forms of the report pages: the agreed outcome in the comparison, and the filters of the team pages."""

from django import forms

from assessments.reports.comparison import Comparison, effective

NOT_APPLICABLE = "na"


def _choice(answer: tuple) -> str:
    scale_level, not_applicable = answer
    if not_applicable:
        return NOT_APPLICABLE
    return str(scale_level.pk) if scale_level is not None else ""


class AgreedOutcomeForm(forms.Form):
    """One agreed rating per capability of the manager assessment, prefilled with the agreed (else manager's) one.

    A note is required where the agreed rating differs from either side: from the person's own rating
    (when they gave one) or from the manager's, so the record says why a view was overruled.
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
            )
            self.fields[f"note-{pk}"] = forms.CharField(
                label=f"Note on the agreed rating for {name}",
                required=False,
                max_length=2000,
                initial=row.manager_rating.agreed_note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            # The template shows each pair of fields in the capability's row.
            row.agreed_field = self[f"agreed-{pk}"]
            row.note_field = self[f"note-{pk}"]

    def _answer(self, value: str) -> tuple:
        if value == NOT_APPLICABLE:
            return None, True
        return self.scale.get(value), False

    def clean(self):
        cleaned = super().clean()
        subject = self.comparison.subject.user.get_short_name()
        for row in self.rows:
            pk = row.manager_rating.capability_id
            value = cleaned.get(f"agreed-{pk}")
            if value is None:
                continue
            answer = self._answer(value)
            self_choice = _choice(row.self_answer)  # "" when there is no self rating to differ from
            differs = []
            if self_choice and _choice(answer) != self_choice:
                differs.append(f"{subject}’s own rating")
            if _choice(answer) != _choice(row.manager_answer):
                differs.append("the manager’s rating")
            if differs and not cleaned.get(f"note-{pk}", "").strip():
                self.add_error(f"note-{pk}", f"Say why the agreed rating differs from {' and '.join(differs)}.")
        return cleaned

    def outcomes(self) -> dict:
        """capability id → (scale level or None, not applicable, note), for `Assessment.record_agreed_outcome`."""
        result = {}
        for row in self.rows:
            pk = row.manager_rating.capability_id
            scale_level, not_applicable = self._answer(self.cleaned_data[f"agreed-{pk}"])
            result[pk] = (scale_level, not_applicable, self.cleaned_data[f"note-{pk}"].strip())
        return result


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


class CycleFilterForm(forms.Form):
    cycle = forms.ChoiceField(label="Review cycle", required=False)

    def __init__(self, *args, cycles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", "All cycles")] + [(str(c.pk), c.name) for c in cycles]

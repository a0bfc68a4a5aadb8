"""Forms for assessments: they validate what was typed; the models act on it."""

from django import forms

from assessments.reviews.models import Assessment, ReviewCycle
from assessments.reviews.verdict import Verdict
from frameworks.models import Framework, Level

NOT_APPLICABLE = "na"
NO_CYCLE = "none"
CARRY, BLANK = "carry", "blank"
EVIDENCE_MAX_LENGTH = 20_000


def published_levels():
    return (
        Level.objects.filter(framework__status=Framework.Status.PUBLISHED)
        .select_related("framework", "track")
        .order_by("framework__name", "framework__key", "track__position", "track_id", "position", "pk")
    )


def next_level(level: Level | None) -> Level | None:
    """The level after `level` on its track in the published version of its framework (or `level` at the top).

    A person's level may belong to a version that has since been replaced; the level with the same track key
    and level key in the published version stands in for it.
    """
    if level is None:
        return None
    current = level.same_in(Framework.objects.published().filter(key=level.framework.key))
    if current is None:
        return None
    return current.next_on_track() or current


class StartForm(forms.Form):
    """Start an assessment: against which level, and in which review cycle."""

    level = forms.TypedChoiceField(
        label="Against which level?",
        coerce=int,
        error_messages={
            "required": "Choose a level to assess against.",
            "invalid_choice": "Choose a level of a published framework.",
        },
    )
    cycle = forms.ChoiceField(label="Review cycle", required=False, widget=forms.RadioSelect)
    # Offered when the author has an earlier submitted assessment of the person to start from (reviews/carry.py).
    begin = forms.ChoiceField(
        label="How do you want to begin?",
        required=False,
        choices=[(CARRY, "Start from your last submitted ratings"), (BLANK, "Start blank")],
        error_messages={"invalid_choice": "Choose whether to start from your last submitted ratings or blank."},
    )

    def __init__(self, *args, default_level=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {level.pk: level for level in published_levels()}
        groups: dict[str, list] = {}
        for level in self.levels.values():
            groups.setdefault(f"{level.framework.name}: {level.track.name}", []).append((level.pk, level.name))
        self.level_groups = list(groups.items())
        self.fields["level"].choices = [("", "Choose a level"), *self.level_groups]
        if default_level is not None:
            self.fields["level"].initial = default_level.pk
        self.open_cycles = list(ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).order_by("starts_on"))
        self.fields["cycle"].choices = [
            *(
                (str(cycle.pk), f"{cycle.name} ({cycle.starts_on:%-d %b} to {cycle.ends_on:%-d %b %Y})")
                for cycle in self.open_cycles
            ),
            (NO_CYCLE, "Outside any review cycle"),
        ]
        if len(self.open_cycles) == 1:
            self.fields["cycle"].initial = str(self.open_cycles[0].pk)
        elif not self.open_cycles:
            self.fields["cycle"].initial = NO_CYCLE

    def clean_level(self):
        level = self.levels.get(self.cleaned_data["level"])
        if level is None:
            raise forms.ValidationError("Choose a level of a published framework.")
        return level

    def clean_cycle(self):
        value = self.cleaned_data.get("cycle")
        if value == NO_CYCLE:
            return None
        if value:
            return next(cycle for cycle in self.open_cycles if str(cycle.pk) == value)
        # Not asked (a one-click start): the open cycle if there is exactly one, else outside any cycle.
        if len(self.open_cycles) == 1:
            return self.open_cycles[0]
        if self.open_cycles:
            raise forms.ValidationError("Choose a review cycle, or outside any review cycle.")
        return None


class RatingForm(forms.Form):
    """One capability's answer: a scale level or "not applicable" (or nothing yet), and evidence."""

    scale = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose one of the ratings shown."})
    evidence = forms.CharField(required=False, max_length=EVIDENCE_MAX_LENGTH)
    revision = forms.IntegerField(min_value=1)

    def __init__(self, *args, scale_levels, capability_id=None, **kwargs):
        super().__init__(*args, prefix=f"r{capability_id}" if capability_id else None, **kwargs)
        self.scale_levels = {str(level.pk): level for level in scale_levels}
        self.fields["scale"].choices = [
            ("", "Not rated"),
            *((key, lv.name) for key, lv in self.scale_levels.items()),
            (NOT_APPLICABLE, "Not applicable"),
        ]
        self.fields["evidence"].error_messages["max_length"] = (
            "Evidence can be at most %(limit_value)d characters (it has %(show_value)d)."
        )

    def answer(self, cleaned=None) -> dict:
        cleaned = self.cleaned_data if cleaned is None else cleaned
        value = cleaned["scale"]
        return {
            "scale_level": self.scale_levels.get(value),
            "not_applicable": value == NOT_APPLICABLE,
            "evidence": cleaned["evidence"],
            "expected_revision": cleaned["revision"],
        }

    def read(self, data, capability_id) -> tuple[dict | None, list[str]]:
        """One capability's answer in the whole page's `data`, checked by this form's fields, as a form bound to
        it would: (the answer, or None; the messages). One form for the page, as building a form per capability
        (which copies its fields) took a fifth of saving 164 of them."""
        cleaned, messages = {}, []
        for name, field in self.fields.items():
            try:
                cleaned[name] = field.clean(field.widget.value_from_datadict(data, {}, f"r{capability_id}-{name}"))
            except forms.ValidationError as error:
                messages += error.messages
        return (None if messages else self.answer(cleaned)), messages


class DetailsForm(forms.Form):
    """The overall comment, and for a manager the recommendation and its rationale."""

    overall_comment = forms.CharField(required=False, max_length=EVIDENCE_MAX_LENGTH)
    recommendation = forms.ChoiceField(required=False, choices=Verdict.choices)
    rationale = forms.CharField(required=False, max_length=EVIDENCE_MAX_LENGTH)
    revision = forms.IntegerField(min_value=1)

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        if not assessment.is_manager_assessment:
            del self.fields["recommendation"]
            del self.fields["rationale"]

    def changes(self) -> dict:
        changes = {"overall_comment": self.cleaned_data["overall_comment"]}
        if self.assessment.is_manager_assessment:
            changes["recommendation"] = self.cleaned_data["recommendation"] or Assessment.Recommendation.NOT_ASSESSED
            changes["rationale"] = self.cleaned_data["rationale"]
        return changes


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should change?",
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what should change before returning it."},
    )


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label="Why discard it?",
        help_text="The former manager is emailed your reason.",
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is discarded: the former manager is told."},
    )


class ListFilterForm(forms.Form):
    """Filters on the assessment lists (GET): by review cycle and by status."""

    cycle = forms.ChoiceField(label="Review cycle", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Assessment.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [
            ("", "Any review cycle"),
            *((str(cycle.pk), cycle.name) for cycle in ReviewCycle.objects.order_by("-starts_on", "name")),
            (NO_CYCLE, "Outside any review cycle"),
        ]

    def filter(self, assessments):
        if not self.is_valid():
            return assessments
        cycle = self.cleaned_data.get("cycle")
        if cycle == NO_CYCLE:
            assessments = assessments.filter(cycle__isnull=True)
        elif cycle:
            assessments = assessments.filter(cycle_id=int(cycle))
        if self.cleaned_data.get("status"):
            assessments = assessments.filter(status=self.cleaned_data["status"])
        return assessments

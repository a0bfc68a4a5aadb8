"""Carry forward: a new review can start from the author's last submitted ratings of the same person.

A PM starting a self-assessment in a new cycle may start from their last submitted self-assessment; a manager
starting the manager assessment of a report, from their own last submitted manager assessment of that person.
Answers (rating, "not applicable", evidence) are matched by capability key, and only where the new level of the
same framework asks for that capability; the mastery is matched by the scale step's key (a step the new version
no longer has leaves the rating empty, the evidence kept). Each carried rating is marked (`Rating.carried`)
until its author changes it, and the check page before submitting lists those never changed. On a criteria
framework a rating answers one level's criteria, so against another level only the evidence is carried.

Only the author's own submitted assessment is ever a source: nobody starts from someone else's words.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.reviews.models import Assessment, Problem, Rating
from frameworks.models import ScaleLevel


def carry_source(*, subject, author, cycle=None) -> Assessment | None:
    """The author's newest submitted assessment of `subject` (of the kind they would start) in another review than
    `cycle`, or None. One query."""
    kind = Assessment.Kind.SELF if subject.pk == author.pk else Assessment.Kind.MANAGER
    found = Assessment.objects.submitted().filter(subject=subject, author=author, kind=kind)
    if cycle is not None:
        found = found.exclude(cycle=cycle)
    return found.select_related("cycle", "level__framework").order_by("-submitted_at", "-pk").first()


def newest_submitted(assessments) -> Assessment | None:
    """`carry_source`'s choice among assessments read already (one author's of one subject, of one kind): the
    newest submitted, by when it was submitted."""
    finished = [assessment for assessment in assessments if assessment.is_submitted]
    return max(finished, key=lambda a: (a.submitted_at is not None, a.submitted_at, a.pk), default=None)


def offer_for(*, subject, author, level, cycle) -> Assessment | None:
    """The source to offer when starting would make a new assessment; None when there is none, or when `start`
    would open the one already there (the same lookup as `Assessment.start`: one per subject, cycle and kind;
    outside cycles, per level)."""
    kind = Assessment.Kind.SELF if subject.pk == author.pk else Assessment.Kind.MANAGER
    existing = Assessment.objects.filter(subject=subject, cycle=cycle, kind=kind)
    if cycle is None and level is not None:
        existing = existing.filter(level=level)
    if level is not None and existing.exists():
        return None
    return carry_source(subject=subject, author=author, cycle=cycle)


def source_name(source: Assessment) -> str:
    """The review the answers come from, in a few words: its cycle ("2026 H1"), else the day it was submitted."""
    if source.cycle is not None:
        return source.cycle.name
    when = timezone.localtime(source.submitted_at or source.created_at)
    return f"your review of {when:%-d %B %Y}"


def started_message(assessment: Assessment) -> str:
    """What the author is told once `Assessment.start` made `assessment`: what was carried, and what was not."""
    carry = getattr(assessment, "carry_result", None)
    if carry is None:
        return "Started. Your answers save as you go."
    source = assessment.carried_from
    where = f"your {source_name(source)} ratings" if source.cycle_id else source_name(source)
    count = len(carry.carried)
    text = (
        f"Started from {where}: {'1 rating' if count == 1 else f'{count} ratings'} carried, each marked until you "
        "change it. Your answers save as you go."
    )
    if carry.left_out:
        text += f" Not carried, as {assessment.level.name} does not ask for them: {', '.join(carry.left_out)}."
    return text


def refuse_unless_source(source: Assessment, *, subject, author):
    """Raise ValidationError unless `source` is `author`'s own submitted assessment of `subject`, of the same kind."""
    kind = Assessment.Kind.SELF if subject.pk == author.pk else Assessment.Kind.MANAGER
    if (source.subject_id, source.author_id, source.kind) != (subject.pk, author.pk, kind) or not source.is_submitted:
        raise ValidationError("Only your own last submitted ratings of this person can be carried forward.")


@dataclass
class Carried:
    """What a carry-forward brought along (capability names) and what it could not."""

    carried: list[str]
    left_out: list[str]  # answered then, but not asked at the new level (or in another framework)


def carry_answers(assessment: Assessment, source: Assessment) -> Carried:
    """Copy `source`'s answers onto the new `assessment`'s (unrated) ratings, marking each carried one.

    Runs inside `Assessment.start`'s transaction, right after its ratings are made (a refusal undoes the start).
    A few queries whatever the size.
    """
    refuse_unless_source(source, subject=assessment.subject, author=assessment.author)
    same_framework = source.level.framework.key == assessment.level.framework.key
    # On a criteria framework a rating answers one level's criteria: against another level only evidence carries.
    keep_ratings = not assessment.level.framework.is_criteria or (
        source.level.key == assessment.level.key and source.level.track.key == assessment.level.track.key
    )
    new_by_key = {rating.capability.key: rating for rating in assessment.ratings.select_related("capability")}
    steps = {step.key: step.pk for step in ScaleLevel.objects.filter(framework_id=assessment.level.framework_id)}
    carried, left_out, now = [], [], timezone.now()
    for old in source.ratings.select_related("capability", "scale_level").order_by(
        "capability__area__position", "capability__position", "capability_id"
    ):
        if not (old.is_rated or old.evidence.strip()):
            continue
        rating = new_by_key.get(old.capability.key) if same_framework else None
        if rating is None:
            left_out.append(old.capability.name)
            continue
        if keep_ratings:
            rating.scale_level_id = steps.get(old.scale_level.key) if old.scale_level_id else None
            rating.not_applicable = old.not_applicable
        rating.evidence = old.evidence
        rating.carried = True
        rating.updated_at = now
        carried.append(rating)
    # A draft's answers leave no history (reviews/history.py): a plain bulk update.
    Rating.objects.bulk_update(carried, ["scale_level", "not_applicable", "evidence", "carried", "updated_at"])
    assessment.carried_from = source
    assessment.save(update_fields=["carried_from", "updated_at"])
    return Carried([rating.capability.name for rating in carried], left_out)


def carried_label(assessment: Assessment) -> str:
    """ "carried from 2026 H1": the marker on each carried rating. One query at most."""
    if assessment.carried_from_id is None:  # its source was deleted since
        return "carried from your last review"
    return f"carried from {source_name(Assessment.objects.select_related('cycle').get(pk=assessment.carried_from_id))}"


def untouched_carried(assessment: Assessment, expectations=None) -> list[Problem]:
    """The carried ratings their author has not changed yet, in the page's order, each with where to find it."""
    carried = set(assessment.ratings.filter(carried=True).values_list("capability_id", flat=True))
    if not carried:
        return []
    expectations = assessment.expectations() if expectations is None else expectations
    return [
        Problem(f"capability-{e.capability_id}", e.capability.name, "")
        for e in expectations
        if e.capability_id in carried
    ]

"""The outcome of a review, after both sides have submitted: the agreed ratings, the recommendation after the
discussion, and taking a share back before its email goes. The model's methods of the same names call these.

Each change runs under the assessment's lock (`Assessment.lock`), refuses in a closed cycle (`CycleClosed`) and
is refused whole with `StaleRevision` when the assessment changed since the page was read.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from assessments.reviews.models import Assessment, Rating, StaleRevision
from assessments.reviews.verdict import Verdict
from assessments.reviews.verdict_sql import refresh_verdicts


def _refuse_if_share_final(assessment: Assessment):
    if not assessment.can_undo_share:
        raise ValidationError(f"The email to {assessment.subject.name} has gone, so sharing can no longer be undone.")


def undo_share(assessment: Assessment) -> bool:
    """Submitted again, and the share's email never goes (`send_shared` checks). False when it is not shared
    (a second click); raises ValidationError once the undo window has closed."""
    return assessment._transition(
        [Assessment.Status.SHARED],
        check=_refuse_if_share_final,
        status=Assessment.Status.SUBMITTED,
        shared_at=None,
    )


def record_recommendation(assessment: Assessment, recommendation: str, rationale: str, expected_revision: int) -> bool:
    """The manager's recommendation (one of the verdict's words) and why, on a submitted or shared manager
    assessment. False when nothing changed."""
    if assessment.kind != Assessment.Kind.MANAGER or recommendation not in Verdict.values:
        raise ValidationError("A manager assessment recommends Ready, Nearly or Not yet.")
    if (assessment.recommendation, assessment.rationale) == (recommendation, rationale):
        return False
    with transaction.atomic():
        locked = Assessment.lock(assessment.pk)
        assessment._refuse_if_cycle_closed(locked)
        if locked.status not in Assessment.SUBMITTED_STATUSES or locked.revision != expected_revision:
            raise StaleRevision
        Assessment.objects.filter(pk=assessment.pk).update(revision=models.F("revision") + 1)
        assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
        assessment.recommendation, assessment.rationale = recommendation, rationale
        assessment.save(update_fields=["recommendation", "rationale", "updated_at"])
        refresh_verdicts([assessment])  # its revision moved: the stored verdict follows it
    return True


def record_agreed_outcome(assessment: Assessment, outcomes: dict, expected_revision: int) -> int:
    """Save the outcome agreed in the comparison onto this manager assessment's ratings.

    `outcomes` maps capability id → (scale level or None, not applicable, note). Allowed once both sides are
    submitted; refused whole with StaleRevision when the assessment changed since `expected_revision` (shared,
    or agreed in another tab). Returns how many ratings changed.
    """
    done = Assessment.SUBMITTED_STATUSES
    counterpart = assessment.counterpart()
    if (
        assessment.kind != Assessment.Kind.MANAGER
        or assessment.status not in done
        or counterpart is None
        or not counterpart.is_submitted
    ):
        raise ValidationError("The agreed outcome is recorded once both assessments are submitted.")
    with transaction.atomic():
        locked = Assessment.lock(assessment.pk)
        assessment._refuse_if_cycle_closed(locked)
        if locked.status not in done or locked.revision != expected_revision:
            raise StaleRevision
        Assessment.objects.filter(pk=assessment.pk).update(revision=models.F("revision") + 1)
        assessment.revision = expected_revision + 1
        now, changed = timezone.now(), []
        for rating in assessment.ratings.filter(capability_id__in=outcomes):
            scale_level, not_applicable, note = outcomes[rating.capability_id]
            answer = (None if not_applicable or scale_level is None else scale_level.pk, not_applicable, note)
            if (rating.agreed_scale_level_id, rating.agreed_not_applicable, rating.agreed_note) == answer:
                continue
            rating.agreed_scale_level_id, rating.agreed_not_applicable, rating.agreed_note = answer
            rating.revision += 1
            rating.updated_at = now
            changed.append(rating)
        fields = ["agreed_scale_level", "agreed_not_applicable", "agreed_note", "revision", "updated_at"]
        bulk_update_with_history(changed, Rating, fields)
        refresh_verdicts([assessment])
    return len(changed)

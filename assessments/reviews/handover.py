"""Hand-over: a manager assessment left behind when the person's manager changed.

In a review cycle a person has one manager assessment. When their manager changes while the former
manager's assessment of them is unshared (a draft, or submitted but not shared), it would block the new
manager for the rest of the cycle. HR hands it to the person's manager now, or discards it with a reason;
the new manager may also take it over themself. A submitted one goes back to draft, so that its new author
reads it before it is submitted in their name; it stays private to its (new) author, and the former manager
no longer sees it. Each hand-over and discard is recorded in the admin's log (`LogEntry`, with who did it
and why) and emailed to the people concerned (`notifications`). A closed cycle is read-only: nothing in it
is handed over or discarded.
"""

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast, Concat

from assessments.people.models import Person
from assessments.reviews.models import Assessment

UNSHARED = (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED)


def left_behind(subject: Person) -> Assessment | None:
    """The unshared manager assessment of `subject` in an open cycle whose author no longer manages them."""
    return (
        Assessment.objects.filter(
            subject=subject, kind=Assessment.Kind.MANAGER, status__in=UNSHARED, cycle__status="open"
        )
        .exclude(author_id__in=[subject.pk, *subject.chain_ids])
        .with_related()
        .with_progress()
        .order_by("-cycle__starts_on", "-pk")
        .first()
    )


def left_behind_in(cycle):
    """Every unshared manager assessment in `cycle` whose author is no longer above its subject (one query; the
    author's id is not a segment of the subject's path)."""
    segment = Concat(models.Value("/"), Cast("author_id", models.CharField()), models.Value("/"))
    return (
        Assessment.objects.filter(cycle=cycle, kind=Assessment.Kind.MANAGER, status__in=UNSHARED)
        .annotate(author_segment=segment)
        .exclude(subject__path__contains=models.F("author_segment"))
        .select_related("subject__user", "author__user")
        .order_by("subject__user__full_name", "pk")
    )


def _check(assessment: Assessment, locked) -> None:
    """Under the lock: still left behind, unshared, in an open cycle."""
    assessment._refuse_if_cycle_closed(locked)
    if assessment.cycle_id is None or assessment.kind != Assessment.Kind.MANAGER:
        raise ValidationError("Only a manager assessment in a review cycle is handed over.")
    if locked.status not in UNSHARED:
        raise ValidationError("It has been shared with the person, so it stays with its author.")
    subject = Person.objects.get(pk=assessment.subject_id)
    if assessment.author_id in subject.chain_ids:
        raise ValidationError(f"{assessment.author.name} still manages {subject.name}, so it stays with them.")


def _log(by_user, assessment: Assessment, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by_user.pk, queryset=[assessment], action_flag=flag, change_message=message, single_object=True
    )


def hand_over(assessment: Assessment, to: Person, *, by_user) -> Person:
    """Make `to` (one of the person's managers now) the author. Returns the former author.

    Raises ValidationError (or CycleClosed) and changes nothing when it may not be handed over.
    """
    with transaction.atomic():
        locked = Assessment.lock(assessment.pk)
        assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
        _check(assessment, locked)
        subject = assessment.subject
        if to.pk not in subject.chain_ids:
            raise ValidationError(f"{to.name} does not manage {subject.name}, so it can’t be handed to them.")
        former = assessment.author
        Assessment.objects.filter(pk=assessment.pk).update(revision=models.F("revision") + 1)
        assessment.refresh_from_db(fields=["revision"])
        assessment.author, assessment.status, assessment.submitted_at = to, Assessment.Status.DRAFT, None
        assessment.save(update_fields=["author", "status", "submitted_at", "updated_at"])
        who = "HR" if by_user.pk != to.user_id else f"{to.name} (the manager now)"
        _log(by_user, assessment, CHANGE, f"Handed over from {former.name} to {to.name} by {who}.")
    return former


def discard(assessment: Assessment, reason: str, *, by_user) -> Person:
    """Delete it, saying why; the former author is told. Returns the former author."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why it is discarded: the former manager is told.")
    with transaction.atomic():
        locked = Assessment.lock(assessment.pk)
        assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
        _check(assessment, locked)
        former = assessment.author
        _log(by_user, assessment, DELETION, f"Discarded by HR (written by {former.name}). Reason: {reason}")
        assessment.delete()
    return former

"""Who may see and change an assessment: the one place the rule lives.

Every assessment view starts with `get_assessment_for_user`: strangers (and everyone but the author,
for a draft) get a 404, so nobody learns that an assessment exists; people who may read it get it
with `can_edit` False, and the views answer their changes with a 403. A manager who no longer manages
the person still reads what they wrote, but may no longer change or share it.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.people.access import is_manager_of
from assessments.people.models import Person, ReportingTree
from assessments.reviews.models import Assessment


def get_assessment_for_user(user, pk) -> tuple[Assessment, bool]:
    """The assessment `pk` if `user` may see it, and whether they may change its ratings."""
    assessment = Assessment.objects.visible_to(user).with_related().filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment, assessment.can_be_edited_by(user) and not no_longer_manages(user, assessment)


def no_longer_manages(user, assessment: Assessment) -> bool:
    """Is `user` the author of this manager assessment but no longer one of the person's managers?

    They moved, or the person did: what they wrote stays theirs to read, but is no longer theirs to
    change or share.
    """
    return (
        assessment.kind == Assessment.Kind.MANAGER
        and assessment.author.user_id == user.pk
        and not is_manager_of(user, assessment.subject)
    )


def visible_counterpart(user, assessment: Assessment) -> Assessment | None:
    """The other side's assessment (self ↔ manager) if `user` may see it, else None, as if there were none."""
    other = Assessment.Kind.MANAGER if assessment.kind == Assessment.Kind.SELF else Assessment.Kind.SELF
    return (
        Assessment.objects.visible_to(user)
        .filter(
            subject_id=assessment.subject_id, level_id=assessment.level_id, cycle_id=assessment.cycle_id, kind=other
        )
        .select_related("author__user")
        .first()
    )


def require_author(user, assessment: Assessment):
    """For actions only the author takes (changing, submitting, sharing): everyone else who can see it gets
    a 403, and so does an author who no longer manages the person."""
    if assessment.author.user_id != user.pk:
        raise PermissionDenied("Only the author can do this.")
    if no_longer_manages(user, assessment):
        raise PermissionDenied(no_longer_manages_message(assessment))


def no_longer_manages_message(assessment: Assessment) -> str:
    return (
        f"You no longer manage {assessment.subject.name}, so this assessment can’t be changed or shared. "
        "Ask HR if this is wrong."
    )


def can_return(user, assessment: Assessment) -> bool:
    """A manager up the chain may send a submitted self-assessment back to its author."""
    return (
        assessment.kind == Assessment.Kind.SELF
        and assessment.status == Assessment.Status.SUBMITTED
        and is_manager_of(user, assessment.subject)
    )


def hidden_by_blind_cycle(user, assessment: Assessment, counterpart: Assessment | None) -> bool:
    """In a blind cycle, the other side's ratings stay out of the page until both sides have submitted.

    The author always sees their own ratings, and HR sees everything, unless the HR admin is a party to
    this review: then the rule holds for them as for anyone. A manager up the chain reading another
    manager's assessment is on the manager's side.
    """
    if assessment.cycle is None or not assessment.cycle.blind:
        return False
    if assessment.author.user_id == user.pk:
        return False
    if user.is_hr_admin and not _is_party(user, assessment, counterpart):
        return False
    if assessment.kind == Assessment.Kind.MANAGER and assessment.subject.user_id != user.pk:
        return False
    return not (assessment.is_submitted and counterpart is not None and counterpart.is_submitted)


def _is_party(user, assessment: Assessment, counterpart: Assessment | None) -> bool:
    """Is `user` the person assessed, one of their managers, or the author of either side?"""
    if user.pk in (assessment.subject.user_id, assessment.author.user_id):
        return True
    if counterpart is not None and counterpart.author.user_id == user.pk:
        return True
    return assessment.subject_id in _people_below(user)


def _people_below(user) -> set[int]:
    """Ids of everyone below `user`, read once per signed-in user object: a history page asks for every review."""
    below = getattr(user, "_pathway_people_below", None)
    if below is None:
        rows = list(Person.objects.order_by().values_list("id", "manager_id", "user_id"))
        own_id = next((person_id for person_id, _, user_id in rows if user_id == user.pk), None)
        tree = ReportingTree((person_id, manager_id) for person_id, manager_id, _ in rows)
        below = set(tree.below(own_id)) if own_id is not None else set()
        user._pathway_people_below = below
    return below

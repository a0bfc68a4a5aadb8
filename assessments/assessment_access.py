"""Who may see and change an assessment: the one place the rule lives.

Every assessment view starts with `get_assessment_for_user`: strangers (and everyone but the author,
for a draft) get a 404, so nobody learns that an assessment exists; people who may read it get it
with `can_edit` False, and the views answer their changes with a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.access import is_manager_of
from assessments.models import Assessment


def get_assessment_for_user(user, pk) -> tuple[Assessment, bool]:
    """The assessment `pk` if `user` may see it, and whether they may change its ratings."""
    assessment = Assessment.objects.visible_to(user).with_related().filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment.")
    return assessment, assessment.can_be_edited_by(user)


def require_author(user, assessment: Assessment):
    """For actions only the author takes (share): everyone else who can see it gets a 403."""
    if assessment.author.user_id != user.pk:
        raise PermissionDenied("Only the author can do this.")


def can_return(user, assessment: Assessment) -> bool:
    """A manager up the chain may send a submitted self-assessment back to its author."""
    return (
        assessment.kind == Assessment.Kind.SELF
        and assessment.status == Assessment.Status.SUBMITTED
        and is_manager_of(user, assessment.subject)
    )


def hidden_by_blind_cycle(user, assessment: Assessment, counterpart: Assessment | None) -> bool:
    """In a blind cycle, the other side's ratings stay out of the page until both sides have submitted.

    The author always sees their own ratings, and HR (not a party to the review) sees everything.
    A manager up the chain reading another manager's assessment is on the manager's side.
    """
    if assessment.cycle is None or not assessment.cycle.blind:
        return False
    if assessment.author.user_id == user.pk or user.is_hr_admin:
        return False
    if assessment.kind == Assessment.Kind.MANAGER and assessment.subject.user_id != user.pk:
        return False
    return not (assessment.is_submitted and counterpart is not None and counterpart.is_submitted)

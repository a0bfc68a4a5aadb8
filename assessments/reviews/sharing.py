"""Sharing a manager assessment with its subject, and taking a share back before its email goes.

Share sets the assessment shared at once (the person can read it) and queues its email for when the undo
window closes (`Assessment.SHARE_UNDO_WINDOW`); undo, inside the window, makes it submitted again and the email
never goes (`notifications.send_shared` checks when it runs). Both come back to the page they were posted from
(`next`: the manager's page) and tag their messages "share", so that page shows them in its Share step.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assessments.reviews import notifications
from assessments.reviews.access import (
    can_share,
    get_assessment_for_user,
    require_author,
    require_manager_assessment,
    require_open_cycle,
)
from assessments.reviews.models import Assessment


def _back(request, assessment: Assessment):
    """Back to the page the form was on (`next`, on this site only), else the assessment."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(assessment)


@require_POST
def share(request, pk):
    """The author shows a submitted manager assessment to its subject; the email goes once the undo window closes."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_open_cycle(assessment)
    require_author(request.user, assessment)
    require_manager_assessment(assessment, "shared")
    name = assessment.subject.name
    if assessment.status == Assessment.Status.SHARED:
        messages.info(request, f"Already shared with {name}.", "share")
    elif not can_share(request.user, assessment):
        messages.error(request, "Submit the assessment before sharing it.", "share")
    elif assessment.share():
        notifications.assessment_shared(assessment)
        due = timezone.localtime(assessment.share_email_due)
        messages.success(request, f"Shared with {name}. The email goes to them at {due:%H:%M}.", "share")
    return _back(request, assessment)


@require_POST
def undo_share(request, pk):
    """The author takes a share back before its email goes: submitted again, and no email is sent."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_open_cycle(assessment)
    require_author(request.user, assessment)
    require_manager_assessment(assessment, "shared")
    name = assessment.subject.name
    try:
        undone = assessment.undo_share()
    except ValidationError as error:
        messages.error(request, error.messages[0], "share")
    else:
        if undone:
            messages.success(request, f"Sharing undone: {name} can no longer see it, and no email goes.", "share")
        else:
            messages.info(request, f"It is not shared with {name}.", "share")
    return _back(request, assessment)

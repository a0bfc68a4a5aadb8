"""Emails about assessments: plain text, each with an absolute link to the page it is about.

Sent after the change they announce has been saved. A mail server that is down must not undo or
hide a submitted assessment, so a failure to send is logged, not raised.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.people.models import Person
from assessments.reviews.models import Assessment, ReviewCycle

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(template: str, subject: str, to: Person, context: dict) -> bool:
    if not to.user.is_active or not to.user.email:
        return False
    body = render_to_string(f"assessments/reviews/email/{template}.txt", {**context, "to": to})
    try:
        send_mail(subject, body, None, [to.user.email])
    except Exception:
        logger.exception("Could not send the %s email to %s", template, to.user.email)
        return False
    return True


def _in_cycle(assessment: Assessment) -> str:
    return f" in the review cycle {assessment.cycle.name}" if assessment.cycle_id else ""


def self_assessment_submitted(assessment: Assessment) -> bool:
    """Tell the subject's manager that a self-assessment waits for them."""
    manager = Person.objects.select_related("user").filter(pk=assessment.subject.manager_id).first()
    if manager is None:
        return False
    return _send(
        "self_assessment_submitted",
        f"{assessment.subject.name} submitted a self-assessment against {assessment.level.name}",
        manager,
        {
            "assessment": assessment,
            "in_cycle": _in_cycle(assessment),
            "link": absolute_url(assessment.get_absolute_url()),
        },
    )


def assessment_returned(assessment: Assessment) -> bool:
    """Tell the subject that their self-assessment came back for changes, and why."""
    return _send(
        "assessment_returned",
        f"Your self-assessment against {assessment.level.name} was returned for changes",
        assessment.subject,
        {
            "assessment": assessment,
            "in_cycle": _in_cycle(assessment),
            "link": absolute_url(assessment.get_absolute_url()),
        },
    )


def assessment_shared(assessment: Assessment) -> bool:
    """Tell the subject that their manager's assessment is ready to read."""
    return _send(
        "assessment_shared",
        f"{assessment.author.name} shared their assessment of you against {assessment.level.name}",
        assessment.subject,
        {
            "assessment": assessment,
            "in_cycle": _in_cycle(assessment),
            "link": absolute_url(assessment.get_absolute_url()),
        },
    )


def cycle_opened(cycle: ReviewCycle) -> int:
    """Tell everyone in scope (every active person with a level) that the cycle is open. Returns how many."""
    people = Person.objects.active().filter(level__isnull=False).select_related("user", "manager__user")
    link = absolute_url(reverse("assessments:start"))
    home = absolute_url(reverse("home"))
    messages = [
        EmailMessage(
            f"The review cycle {cycle.name} is open",
            render_to_string(
                "assessments/reviews/email/cycle_opened.txt", {"cycle": cycle, "to": person, "link": link, "home": home}
            ),
            None,
            [person.user.email],
        )
        for person in people
        if person.user.email
    ]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        logger.exception("Could not send the emails announcing the review cycle %s", cycle.name)
        return 0

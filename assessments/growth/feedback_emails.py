"""Emails about feedback requests, queued on the task queue (pathway.mail) after the change they announce is saved:
the colleague when asked, the asker when an answer or a decline arrives, and one reminder to a colleague a few days
before the due date.

Reminders: `send_feedback_reminders` finds the open requests due within `REMINDER_DAYS` days (and not yet past)
whose colleague has not been reminded, and marks each reminded in the same transaction that queues its email (a
conditional UPDATE, so two runs at once remind nobody twice). An answered, declined or withdrawn request is never
reminded. `manage.py send_cycle_reminders` runs it beside the review cycles' reminders (README says how to schedule).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import can_sign_in_q
from assessments.growth.feedback import FeedbackRequest
from assessments.people.models import Person
from pathway.mail import PRIORITY_BULK_EMAIL, queue_email

REMINDER_DAYS = 2


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _about(request: FeedbackRequest) -> str:
    return "themself" if request.asked_by_person else request.person.name


def _queue(template: str, subject: str, to: Person, context: dict, **kwargs) -> bool:
    if not to.user.is_active or not to.user.email:
        return False
    body = render_to_string(f"assessments/growth/email/{template}.txt", {**context, "to": to})
    queue_email(subject, body, [to.user.email], **kwargs)
    return True


def _context(request: FeedbackRequest) -> dict:
    return {
        "request": request,
        "capabilities": list(request.capabilities.all()),
        "answer_link": _link("growth:feedback_answer", request.pk),
        "asked_link": _link("growth:feedback_asked"),
    }


def feedback_asked(request: FeedbackRequest) -> bool:
    """Tell the colleague who asks, about whom, by when, and where to answer."""
    if request.asked_by_person:
        subject = f"{request.asked_by.name} asks for your feedback"
    else:
        subject = f"{request.asked_by.name} asks for your feedback on {request.person.name}"
    return _queue("feedback_asked", subject, request.colleague, _context(request))


def feedback_answered(request: FeedbackRequest) -> bool:
    """Tell the asker an answer arrived (not what it says: the page shows it to whoever may read it)."""
    subject = f"{request.colleague.name} answered your request for feedback"
    if not request.asked_by_person:
        subject += f" on {request.person.name}"
    return _queue("feedback_answered", subject, request.asked_by, _context(request))


def feedback_declined(request: FeedbackRequest) -> bool:
    subject = f"{request.colleague.name} declined your request for feedback"
    if not request.asked_by_person:
        subject += f" on {request.person.name}"
    return _queue("feedback_declined", subject, request.asked_by, _context(request))


# Reminders ---------------------------------------------------------------------------------------------------------


def reminder_due(today: datetime.date, days_before: int = REMINDER_DAYS):
    """Open requests due within `days_before` days (not yet past) whose colleague can sign in and was not reminded."""
    return (
        FeedbackRequest.objects.open()
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days_before), reminded_at__isnull=True)
        .filter(can_sign_in_q("colleague__user__"))
        .exclude(colleague__user__email="")
    )


def _remind(request: FeedbackRequest) -> bool:
    """Mark it reminded and queue the email, together; False when another run marked it first."""
    with transaction.atomic():
        marked = FeedbackRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
        if not marked:
            return False
        subject = f"Reminder: {request.asked_by.name} asks for your feedback by {request.due_on:%-d %B}"
        body = render_to_string(
            "assessments/growth/email/feedback_reminder.txt", {**_context(request), "to": request.colleague}
        )
        queue_email(
            subject, body, [request.colleague.user.email], tag="feedback-reminder", priority=PRIORITY_BULK_EMAIL
        )
    return True


@task()
def send_feedback_reminders(today: str | None = None, days_before: int = REMINDER_DAYS) -> int:
    """Remind each colleague of an open request due soon, once. Safe to run any number of times; returns how many
    were reminded by this run."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    due = reminder_due(day, days_before).with_related().order_by("pk")
    return sum(_remind(request) for request in due.iterator(chunk_size=500))

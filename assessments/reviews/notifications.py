"""Emails about assessments: plain text, each with an absolute link to the page it is about.

Queued after the change they announce has been saved, and sent by a worker (`pathway.mail`): a mail
server that is down neither slows nor undoes a submitted assessment, and its emails are retried until they
go. Opening a cycle queues one task, which queues an email per person.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from assessments.people.models import Person
from assessments.reviews.models import Assessment, ReviewCycle
from pathway.mail import PRIORITY_BULK_EMAIL, queue_email


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(template: str, subject: str, to: Person, context: dict) -> bool:
    """Queue the email; False when the person cannot get one (a leaver, or no address)."""
    if not to.user.is_active or not to.user.email:
        return False
    body = render_to_string(f"assessments/reviews/email/{template}.txt", {**context, "to": to})
    queue_email(subject, body, [to.user.email])
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


def _cycle_recipients():
    """Everyone in scope of a cycle: every active person with a level and an email address."""
    return Person.objects.active().filter(level__isnull=False).exclude(user__email="")


def cycle_tag(cycle: ReviewCycle) -> str:
    """What groups a cycle's announcement emails, for their progress (`pathway.mail.progress`)."""
    return f"cycle-opened:{cycle.pk}"


def cycle_opened(cycle: ReviewCycle) -> int:
    """Queue the emails telling everyone in scope that the cycle is open; return how many people that is.

    The request only queues one task (`announce_cycle`), so opening a cycle for 20,000 people answers at once;
    that task queues one email per person, each retried on its own.
    """
    announce_cycle.using(priority=PRIORITY_BULK_EMAIL).enqueue(cycle.pk)
    return _cycle_recipients().count()


@task()
def announce_cycle(cycle_pk: int) -> int:
    """Queue one email per person in scope, announcing the open cycle. Returns how many were queued."""
    cycle = ReviewCycle.objects.filter(pk=cycle_pk).first()
    if cycle is None:
        return 0
    link = absolute_url(reverse("assessments:start"))
    home = absolute_url(reverse("home"))
    subject = f"The review cycle {cycle.name} is open"
    queued = 0
    people = _cycle_recipients().select_related("user", "manager__user").order_by("pk")
    for person in people.iterator(chunk_size=500):
        body = render_to_string(
            "assessments/reviews/email/cycle_opened.txt", {"cycle": cycle, "to": person, "link": link, "home": home}
        )
        queue_email(subject, body, [person.user.email], tag=cycle_tag(cycle), priority=PRIORITY_BULK_EMAIL)
        queued += 1
    return queued

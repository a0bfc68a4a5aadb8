"""Emails about assessments: plain text, each with an absolute link to the page it is about.

Queued after the change they announce has been saved (a share's email only when its undo window has closed, and
only if it was not undone), and sent by a worker (`pathway.mail`): a mail
server that is down neither slows nor undoes a submitted assessment, and its emails are retried until they
go. Opening a cycle queues one task, which queues an email per person.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from accounts.models import can_sign_in_q
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


def shared_email_subject(assessment: Assessment) -> str:
    return f"{assessment.author.name} shared their assessment of you against {assessment.level.name}"


def assessment_shared(assessment: Assessment):
    """Queue the email telling the subject their manager's assessment is ready to read, for when the share's undo
    window closes (`Assessment.share_email_due`). It is sent then only if the share still stands (`send_shared`)."""
    send = send_shared
    if send.get_backend().supports_defer:  # the tests' immediate backend runs it at once
        send = send.using(run_after=assessment.share_email_due)
    return send.enqueue(assessment.pk, assessment.shared_at.isoformat())


@task()
def send_shared(assessment_pk: int, shared_at: str) -> str:
    """Queue the share's email, if the share it announces still stands: not undone, and not undone and shared
    again (that share has an email of its own)."""
    assessment = Assessment.objects.with_related().filter(pk=assessment_pk).first()
    if (
        assessment is None
        or assessment.status != Assessment.Status.SHARED
        or assessment.shared_at != datetime.fromisoformat(shared_at)
    ):
        return "Not sent: the share was undone."
    sent = _send(
        "assessment_shared",
        shared_email_subject(assessment),
        assessment.subject,
        {
            "assessment": assessment,
            "in_cycle": _in_cycle(assessment),
            "link": absolute_url(assessment.get_absolute_url()),
        },
    )
    return "Queued" if sent else "Not sent: the person cannot get emails."


def _cycle_recipients():
    """Everyone a cycle's announcement goes to: people with a level whose account can sign in (active, with a
    usable password: `accounts.models.can_sign_in_q`) and has an email address."""
    return Person.objects.filter(can_sign_in_q("user__"), level__isnull=False).exclude(user__email="")


@dataclass(frozen=True)
class Audience:
    """Who an opening cycle emails, and who it leaves out and why (each person counted once, first reason)."""

    emailed: int
    left: int  # leavers: their account is inactive
    cannot_sign_in: int  # active, but no usable password (HR has to set one)
    no_level: int  # can sign in, but a cycle is for people with a level

    @property
    def skipped(self) -> int:
        return self.left + self.cannot_sign_in + self.no_level


def cycle_audience() -> Audience:
    """Count the announcement's recipients and the people it skips, in one aggregate query."""
    can_sign_in = can_sign_in_q("user__")
    active = Q(user__is_active=True)
    counts = Person.objects.aggregate(
        emailed=Count("pk", filter=can_sign_in & Q(level__isnull=False) & ~Q(user__email="")),
        left=Count("pk", filter=~active),
        cannot_sign_in=Count("pk", filter=active & ~can_sign_in),
        no_level=Count("pk", filter=can_sign_in & Q(level__isnull=True)),
    )
    return Audience(**counts)


def cycle_tag(cycle: ReviewCycle) -> str:
    """What groups a cycle's announcement emails, for their progress (`pathway.mail.progress`)."""
    return f"cycle-opened:{cycle.pk}"


def cycle_opened(cycle: ReviewCycle) -> Audience:
    """Queue the emails telling everyone in scope that the cycle is open; return who is emailed and who is not.

    The request only queues one task (`announce_cycle`), so opening a cycle for 20,000 people answers at once;
    that task queues one email per person, each retried on its own.
    """
    announce_cycle.using(priority=PRIORITY_BULK_EMAIL).enqueue(cycle.pk)
    return cycle_audience()


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


def handed_over(assessment: Assessment, former: Person, *, by_hr: bool) -> int:
    """Tell the former author that their assessment moved to the person's manager now, and (when HR did it) tell
    the new author what they have been given. Returns how many emails were queued."""
    context = {"assessment": assessment, "in_cycle": _in_cycle(assessment), "new_author": assessment.author}
    subject = f"Your assessment of {assessment.subject.name} was handed to {assessment.author.name}"
    sent = _send("handed_over_former", subject, former, {**context, "by_hr": by_hr})
    if by_hr:
        link = absolute_url(assessment.get_absolute_url())
        subject = f"You have been handed the assessment of {assessment.subject.name} {former.name} started"
        sent += _send("handed_over_new", subject, assessment.author, {**context, "former": former, "link": link})
    return sent


def discarded(assessment: Assessment, former: Person, reason: str) -> bool:
    """Tell the former author that HR discarded their assessment, and why."""
    return _send(
        "discarded",
        f"Your assessment of {assessment.subject.name} was discarded",
        former,
        {"assessment": assessment, "in_cycle": _in_cycle(assessment), "reason": reason},
    )

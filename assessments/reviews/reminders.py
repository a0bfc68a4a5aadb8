"""Reminders before a review cycle's deadlines, to those who have not finished.

`CYCLE_REMINDER_DAYS` days before a deadline (and up to the day itself), in the open cycle:

- before the self-assessment deadline, everyone with a level who has not submitted their self-assessment
  (none yet, a draft, or one returned for changes);
- before the manager deadline, each manager with direct reports whose manager review is not shared yet, in
  one email listing them.

Only people who can sign in are emailed (`accounts.models.can_sign_in_q`). Each reminder is stored
(`CycleReminder`, one per cycle, person, kind and deadline day) in the same transaction that queues its
email, so running this again, every hour or twice at once, reminds nobody twice. `manage.py
send_cycle_reminders` runs it; README says how to schedule it.
"""

import datetime
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import can_sign_in_q
from assessments.people.models import Person
from assessments.reviews.cycles import CycleReminder, Deadline, ReviewCycle, day_month
from assessments.reviews.models import Assessment
from pathway.mail import PRIORITY_BULK_EMAIL, queue_email

NAMES_IN_EMAIL = 20


def due_deadlines(cycle: ReviewCycle, today: datetime.date, days_before: int) -> list[Deadline]:
    """The cycle's deadlines that are `days_before` days away or nearer, and not yet past."""
    return [deadline for deadline in cycle.deadlines(today) if 0 <= deadline.days_left <= days_before]


def _not_reminded(cycle: ReviewCycle, kind: str, day: datetime.date, person_ref: str = "pk"):
    return ~Exists(CycleReminder.objects.filter(cycle=cycle, kind=kind, deadline=day, person_id=OuterRef(person_ref)))


def self_reminder_people(cycle: ReviewCycle, day: datetime.date):
    """Who is reminded of the self-assessment deadline `day`: people with a level who can sign in, have not
    submitted their self-assessment in the cycle, and have not been reminded of this deadline yet."""
    finished = Assessment.objects.filter(
        subject_id=OuterRef("pk"), cycle=cycle, kind=Assessment.Kind.SELF, status__in=Assessment.SUBMITTED_STATUSES
    )
    return (
        Person.objects.filter(can_sign_in_q("user__"), level__isnull=False)
        .exclude(user__email="")
        .exclude(Exists(finished))
        .filter(_not_reminded(cycle, CycleReminder.Kind.SELF, day))
    )


def manager_reminder_reports(cycle: ReviewCycle, day: datetime.date):
    """The reports whose managers are reminded of the manager deadline `day`: active people with a level whose
    manager review in the cycle is not shared yet, and whose manager can sign in and has not been reminded."""
    shared = Assessment.objects.filter(
        subject_id=OuterRef("pk"), cycle=cycle, kind=Assessment.Kind.MANAGER, status=Assessment.Status.SHARED
    )
    return (
        Person.objects.filter(user__is_active=True, level__isnull=False, manager__isnull=False)
        .filter(can_sign_in_q("manager__user__"))
        .exclude(manager__user__email="")
        .exclude(Exists(shared))
        .filter(_not_reminded(cycle, CycleReminder.Kind.MANAGER, day, "manager_id"))
    )


def _remind(cycle: ReviewCycle, person_id: int, deadline: Deadline, subject: str, body: str, to: str) -> bool:
    """Store the reminder and queue its email, together; False when someone else stored it first."""
    try:
        with transaction.atomic():
            CycleReminder.objects.create(cycle=cycle, person_id=person_id, kind=deadline.kind, deadline=deadline.day)
            queue_email(subject, body, [to], tag=f"cycle-reminder:{cycle.pk}", priority=PRIORITY_BULK_EMAIL)
    except IntegrityError:
        return False
    return True


def _links() -> dict:
    return {
        "home": f"{settings.SITE_URL}{reverse('home')}",
        "start": f"{settings.SITE_URL}{reverse('assessments:start')}",
        "team": f"{settings.SITE_URL}{reverse('team')}",
    }


def remind_self(cycle: ReviewCycle, deadline: Deadline) -> int:
    """Email everyone who has not submitted their self-assessment; return how many were reminded."""
    subject = f"Your self-assessment for {cycle.name} is due on {day_month(deadline.day)}"
    reminded = 0
    people = self_reminder_people(cycle, deadline.day).select_related("user").order_by("pk")
    for person in people.iterator(chunk_size=500):
        body = render_to_string(
            "assessments/reviews/email/reminder_self.txt",
            {"to": person, "cycle": cycle, "deadline": deadline, **_links()},
        )
        reminded += _remind(cycle, person.pk, deadline, subject, body, person.user.email)
    return reminded


def remind_managers(cycle: ReviewCycle, deadline: Deadline) -> int:
    """Email each manager whose direct reports' reviews are not shared yet, listing them; return how many."""
    rows = (
        manager_reminder_reports(cycle, deadline.day)
        .order_by("manager_id", "user__full_name", "pk")
        .values_list("manager_id", "manager__user__email", "manager__user__full_name", "user__full_name")
    )
    reminded = 0
    for (manager_id, email, manager_name), group in groupby(rows.iterator(chunk_size=2000), key=lambda r: r[:3]):
        names = [row[3] for row in group]
        waiting = f"{len(names)} {'review' if len(names) == 1 else 'reviews'}"
        subject = f"{waiting} to share in {cycle.name} by {day_month(deadline.day)}"
        body = render_to_string(
            "assessments/reviews/email/reminder_manager.txt",
            {
                "first_name": manager_name.split(" ")[0] if manager_name else email,
                "cycle": cycle,
                "deadline": deadline,
                "waiting": waiting,
                "count": len(names),
                "names": names[:NAMES_IN_EMAIL],
                "more": max(len(names) - NAMES_IN_EMAIL, 0),
                **_links(),
            },
        )
        reminded += _remind(cycle, manager_id, deadline, subject, body, email)
    return reminded


@task()
def send_cycle_reminders(today: str | None = None, days_before: int | None = None) -> list[dict]:
    """Remind, in every open cycle, those who have not finished before a deadline `days_before` days away (the
    CYCLE_REMINDER_DAYS setting by default). `today` (ISO date) defaults to today. Safe to run any number of
    times: returns what this run sent, one entry per deadline that was due."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    days_before = settings.CYCLE_REMINDER_DAYS if days_before is None else days_before
    sent = []
    for cycle in ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).order_by("pk"):
        for deadline in due_deadlines(cycle, day, days_before):
            remind = remind_self if deadline.kind == CycleReminder.Kind.SELF else remind_managers
            sent.append(
                {
                    "cycle": cycle.name,
                    "kind": deadline.kind,
                    "deadline": deadline.day.isoformat(),
                    "reminded": remind(cycle, deadline),
                }
            )
    return sent

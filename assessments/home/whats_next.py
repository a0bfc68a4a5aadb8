"""My pathway's "What's next for you": the reader's own growth loop between reviews (issue 14, part 4).

Plan items due soon or overdue, evidence noted this month, and feedback requests waiting for the reader's answer.
One aggregate statement (and the next plan items when some are open) whatever the size of the plan, the log or
the requests: the home page is benchmarked, so nothing here reads a list it does not show.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateField
from django.utils import timezone

from assessments.growth.feedback import FeedbackRequest
from assessments.growth.models import EvidenceEntry
from assessments.growth.plans import PlanItem
from assessments.people.models import Person

SOON_DAYS = 30
NEXT_SHOWN = 3


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def days_ago(day: datetime.date, today: datetime.date) -> str:
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@dataclass
class PlanDue:
    """The reader's plan as the home shows it: counts, and the next open items by due date."""

    total: int = 0
    open: int = 0
    overdue: int = 0
    soon: int = 0  # due from today to SOON_DAYS ahead (not overdue)
    next_items: list = field(default_factory=list)

    @property
    def summary(self) -> str:
        """ "3 plan items due in the next 30 days, 1 overdue." and its variants; empty when nothing is open."""
        if not self.open:
            return ""
        later = self.open - self.soon - self.overdue
        if self.soon:
            words = _count(self.soon, "plan item", "plan items") + f" due in the next {SOON_DAYS} days"
            if self.overdue:
                words += f", {self.overdue} overdue"
        elif self.overdue:
            words = _count(self.overdue, "plan item", "plan items") + " overdue"
        else:
            return f"Nothing due in the next {SOON_DAYS} days; " + _count(later, "plan item", "plan items") + " open."
        if later:
            words += f"; {later} more due later"
        return words + "."


@dataclass
class EvidenceThisMonth:
    total: int
    this_month: int
    last_on: datetime.date | None
    today: datetime.date

    @property
    def last_ago(self) -> str:
        return days_ago(self.last_on, self.today) if self.last_on else ""


@dataclass
class FeedbackWaiting:
    """Requests waiting for the reader's answer: how many, how many are late, and when the soonest is due."""

    count: int
    late: int
    soonest: datetime.date | None
    today: datetime.date

    @property
    def summary(self) -> str:
        """ "2 requests wait for your feedback; the soonest is due on 10 December (in 3 days)." and variants."""
        if not self.count:
            return ""
        words = "1 request waits" if self.count == 1 else f"{self.count} requests wait"
        days = (self.soonest - self.today).days
        if days < 0:
            late = "it is late" if self.count == 1 else f"{self.late} {'is' if self.late == 1 else 'are'} late"
            return f"{words} for your feedback; {late}, but you can still answer."
        when = "today" if days == 0 else f"in {_count(days, 'day', 'days')}"
        first = "it is" if self.count == 1 else "the soonest is"
        return f"{words} for your feedback; {first} due on {self.soonest:%-d %B} ({when})."


@dataclass
class WhatsNext:
    plan: PlanDue | None  # None without a level: no capabilities to plan or tag
    evidence: EvidenceThisMonth | None
    feedback: FeedbackWaiting


def _counts(person: Person, today: datetime.date) -> dict:
    """The plan's counts, the log's and the requests waiting for `person`'s answer, in one statement: three small
    aggregates joined into one row (each on its own index), instead of three ORM aggregates each compiled and sent
    on its own."""
    plan, evidence = (connection.ops.quote_name(model._meta.db_table) for model in (PlanItem, EvidenceEntry))
    # The requests are `waiting_for`'s own, as SQL: which requests wait for an answer is decided in one place.
    waiting, waiting_params = (
        FeedbackRequest.objects.waiting_for(person).order_by().values("due_on").query.sql_with_params()
    )
    is_open = "status <> %s"
    sql = f"""
        SELECT plan.total, plan.open, plan.overdue, plan.soon,
               evidence.total, evidence.this_month, evidence.last_on,
               requests.count, requests.late, requests.soonest
        FROM (SELECT COUNT(*) AS total,
                     COUNT(CASE WHEN {is_open} THEN 1 END) AS open,
                     COUNT(CASE WHEN {is_open} AND due_on < %s THEN 1 END) AS overdue,
                     COUNT(CASE WHEN {is_open} AND due_on >= %s AND due_on <= %s THEN 1 END) AS soon
              FROM {plan} WHERE person_id = %s) plan
        CROSS JOIN (SELECT COUNT(*) AS total, COUNT(CASE WHEN happened_on >= %s THEN 1 END) AS this_month,
                           MAX(happened_on) AS last_on
                    FROM {evidence} WHERE person_id = %s) evidence
        CROSS JOIN (SELECT COUNT(*) AS count, COUNT(CASE WHEN due_on < %s THEN 1 END) AS late, MIN(due_on) AS soonest
                    FROM ({waiting}) waiting) requests
    """  # noqa: S608 -- table names and fixed fragments; every value is a parameter
    done, soon_until = PlanItem.Status.DONE.value, today + datetime.timedelta(days=SOON_DAYS)
    params = [done, done, today, done, today, soon_until, person.pk]
    params += [today.replace(day=1), person.pk, today, *waiting_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    as_date = DateField().to_python  # SQLite answers MAX and MIN of a date as text
    return {
        "plan": {"total": row[0], "open": row[1], "overdue": row[2], "soon": row[3]},
        "evidence": {"total": row[4], "this_month": row[5], "last_on": as_date(row[6])},
        "feedback": {"count": row[7], "late": row[8], "soonest": as_date(row[9])},
    }


def plan_due(person: Person, counts: dict) -> PlanDue:
    """The plan's counts (`_counts`); one small query for the next items, only when some are open."""
    plan = PlanDue(**counts)
    if plan.open:
        items = PlanItem.objects.filter(person=person).open().select_related("capability").order_by("due_on", "pk")
        plan.next_items = list(items[:NEXT_SHOWN])
    return plan


def whats_next(person: Person) -> WhatsNext | None:
    """What the reader does next between reviews. Without a level there is no plan or log to fill, but colleagues
    may still be waiting for their feedback (anyone can be asked): then only that; else None."""
    today = timezone.localdate()
    counts = _counts(person, today)
    feedback = FeedbackWaiting(today=today, **counts["feedback"])
    if not person.level_id:
        return WhatsNext(plan=None, evidence=None, feedback=feedback) if feedback.count else None
    return WhatsNext(
        plan=plan_due(person, counts["plan"]),
        evidence=EvidenceThisMonth(today=today, **counts["evidence"]),
        feedback=feedback,
    )

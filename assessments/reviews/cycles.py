"""Review cycles: the named periods that group assessments, open or closed (closed is read-only for all).

Part of the reviews room; `assessments/reviews/models.py` holds the assessments and ratings.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pathway.text import validate_name

ONE_OPEN_CYCLE_MESSAGE = (
    "Another review cycle is open: close it before opening this one (only one cycle is open at a time)."
)


class CycleClosed(PermissionDenied):
    """A change to an assessment of a closed review cycle: read-only for everyone until HR reopens the cycle.

    A PermissionDenied, so that a view that meets it answers 403 with its sentence."""

    def __init__(self, cycle=None):
        super().__init__(closed_cycle_message(cycle))


def closed_cycle_message(cycle) -> str:
    name = f"The review cycle {cycle.name}" if cycle is not None else "This review cycle"
    return f"{name} is closed, so nothing in it can be changed. HR can reopen it if something must change."


def day_month(day: date) -> str:
    """ "14 March": a deadline as people say it."""
    return f"{day.day} {day:%B}"


def in_days(days: int) -> str:
    """How far a day is from today, in words: "today", "tomorrow", "in 5 days", "2 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


@dataclass(frozen=True)
class Deadline:
    """One of a cycle's deadlines, seen from `today`: "Self-assessments due 14 March (in 5 days)"."""

    kind: str  # "self" or "manager", as Assessment.Kind
    what: str
    day: date
    today: date

    @property
    def days_left(self) -> int:
        return (self.day - self.today).days

    @property
    def is_past(self) -> bool:
        return self.days_left < 0

    @property
    def when(self) -> str:
        return in_days(self.days_left)

    def __str__(self):
        verb = "were due" if self.is_past else "due"
        return f"{self.what} {verb} {day_month(self.day)} ({self.when})"


class ReviewCycle(models.Model):
    """An optional named period (e.g. "2026 H2") that groups assessments.

    At most one cycle is open at a time (`clean`, which the admin's forms run, and `open`): "the current review" that a
    one-click start opens, home speaks of and notifications announce is never ambiguous. A closed cycle
    is read-only for everyone; HR reopens it explicitly (`open`), and the cycle's history records who did.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=100, unique=True, validators=[validate_name])
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    self_deadline = models.DateField(
        "self-assessments due",
        null=True,
        blank=True,
        help_text="The day self-assessments should be submitted by. People who have not submitted are reminded "
        "a few days before.",
    )
    manager_deadline = models.DateField(
        "manager reviews due",
        null=True,
        blank=True,
        help_text="The day managers should share their assessments by (on or after the self-assessment deadline). "
        "Managers with reports still waiting are reminded a few days before.",
    )
    blind = models.BooleanField(
        default=False,
        help_text="When on, neither the person nor their manager sees the other's ratings in this cycle "
        "until both have submitted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cycle_ends_after_start",
                violation_error_message="The cycle ends before it starts: choose an end date on or after the start "
                "date.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        super().clean()
        errors = self._deadline_errors()
        if self.is_open and ReviewCycle.objects.filter(status=self.Status.OPEN).exclude(pk=self.pk).exists():
            errors["status"] = ONE_OPEN_CYCLE_MESSAGE
        if errors:
            raise ValidationError(errors)

    def _deadline_errors(self) -> dict[str, str]:
        """Each deadline falls within the cycle's dates; managers' comes on or after the self-assessments'."""
        errors = {}
        for field, what in (("self_deadline", "Self-assessments"), ("manager_deadline", "Manager reviews")):
            day = getattr(self, field)
            if day is None or self.starts_on is None or self.ends_on is None:
                continue
            if not self.starts_on <= day <= self.ends_on:
                errors[field] = (
                    f"{what} must be due within the cycle, between {day_month(self.starts_on)} and "
                    f"{day_month(self.ends_on)} {self.ends_on.year}."
                )
        both = "manager_deadline" not in errors and self.self_deadline and self.manager_deadline
        if both and self.manager_deadline < self.self_deadline:
            errors["manager_deadline"] = (
                "Manager reviews can’t be due before the self-assessments they review: choose "
                f"{day_month(self.self_deadline)} or later."
            )
        return errors

    def deadlines(self, today: date | None = None) -> list[Deadline]:
        """The cycle's deadlines that are set, self-assessments first, as seen from `today` (local)."""
        today = today or timezone.localdate()
        found = [
            Deadline("self", "Self-assessments", self.self_deadline, today) if self.self_deadline else None,
            Deadline("manager", "Manager reviews", self.manager_deadline, today) if self.manager_deadline else None,
        ]
        return [deadline for deadline in found if deadline is not None]

    def deadline_for(self, kind: str, today: date | None = None) -> Deadline | None:
        """The deadline of one kind of assessment ("self" or "manager"), or None when it is not set."""
        return next((deadline for deadline in self.deadlines(today) if deadline.kind == kind), None)

    def open(self) -> bool:
        """Open (or reopen) a closed cycle. False (and nothing changed) when it was open already; raises
        ValidationError when another cycle is open. The history records who did it (the admin's user)."""
        other = ReviewCycle.objects.filter(status=self.Status.OPEN).exclude(pk=self.pk).first()
        if other is not None:
            raise ValidationError(
                f"{other.name} is open: close it before opening {self.name} (only one cycle is open at a time)."
            )
        with transaction.atomic():
            closed = ReviewCycle.objects.filter(pk=self.pk).exclude(status=self.Status.OPEN)
            if not closed.update(status=self.Status.OPEN):
                return False
            reopened = ReviewCycle.history.filter(id=self.pk, status=self.Status.OPEN).exists()
            self.status = self.Status.OPEN
            self._change_reason = "Reopened" if reopened else "Opened"
            self.save(update_fields=["status"])
        return True

    def close(self) -> bool:
        """Close an open cycle: everything in it becomes read-only. False when it was closed already."""
        with transaction.atomic():
            if not ReviewCycle.objects.filter(pk=self.pk, status=self.Status.OPEN).update(status=self.Status.CLOSED):
                return False
            self.status = self.Status.CLOSED
            self._change_reason = "Closed"
            self.save(update_fields=["status"])
        return True


class CycleReminder(models.Model):
    """A reminder sent to one person before one of a cycle's deadlines: stored, so nobody gets it twice.

    One per (cycle, person, kind, deadline day): running the reminders again (every hour, or two runs at once)
    finds the row and sends nothing; if HR moves the deadline, the new day is a new deadline and people who
    still have not finished are reminded once more.
    """

    class Kind(models.TextChoices):
        SELF = "self", "Self-assessment"
        MANAGER = "manager", "Manager reviews"

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey("assessments.Person", on_delete=models.CASCADE, related_name="cycle_reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "person", "kind", "deadline"], name="cycle_reminder_once_per_deadline"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder to {self.person_id} for {self.cycle_id} (due {self.deadline})"

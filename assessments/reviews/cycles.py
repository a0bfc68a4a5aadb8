"""Review cycles: the named periods that group assessments, open or closed (closed is read-only for all).

Part of the reviews room; `assessments/reviews/models.py` holds the assessments and ratings.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

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


class ReviewCycle(models.Model):
    """An optional named period (e.g. "2026 H2") that groups assessments.

    At most one cycle is open at a time (`clean`, which the admin's forms run, and `open`): "the current review" that a
    one-click start opens, home speaks of and notifications announce is never ambiguous. A closed cycle
    is read-only for everyone; HR reopens it explicitly (`open`), and the cycle's history records who did.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=100, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
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
        if self.is_open and ReviewCycle.objects.filter(status=self.Status.OPEN).exclude(pk=self.pk).exists():
            raise ValidationError({"status": ONE_OPEN_CYCLE_MESSAGE})

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

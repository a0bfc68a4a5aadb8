"""Feedback on capabilities (issue 14 part 2): a person, or a manager up their chain, asks a colleague for feedback on
chosen capabilities, with a question and a due date; the colleague answers in the browser or declines.

One request per colleague asked, so each has its own status, reminder and answer. An answer is an evidence entry in
the person's log (`EvidenceEntry.Source.FEEDBACK`, written by the colleague, tagged with the chosen capabilities),
linked back here by `answer`. Who reads it: growth/feedback_access.py.
"""

from django.db import models, transaction
from django.utils import timezone

from assessments.growth.models import EvidenceEntry
from assessments.people.models import Person
from pathway.text import validate_storable


class AlreadyClosed(Exception):
    """The request was answered, declined or withdrawn meanwhile: nothing changed."""


class FeedbackRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FeedbackRequest.Status.WAITING)

    def waiting_for(self, person):
        """Requests `person` has still to answer (not answered, declined or withdrawn), due soonest first."""
        return self.open().filter(colleague=person).order_by("due_on", "pk")

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def with_related(self):
        return self.select_related("person__user", "asked_by__user", "colleague__user", "answer").prefetch_related(
            "capabilities"
        )


class FeedbackRequest(models.Model):
    """One colleague asked for feedback on one person's chosen capabilities."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requests")
    asked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feedback_asked")
    colleague = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_to_give")
    question = models.TextField(validators=[validate_storable])
    due_on = models.DateField("answer by")
    capabilities = models.ManyToManyField("frameworks.Capability", related_name="+")
    # The level the capabilities' descriptions were read at when asking (the person's level then).
    level = models.ForeignKey("frameworks.Level", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    share_with_managers = models.BooleanField(
        "share the answers with my managers",
        default=False,
        help_text="Only when the person asks for themself: their managers up the chain then read the answers too.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    decline_reason = models.TextField(blank=True, validators=[validate_storable])
    answer = models.OneToOneField(
        EvidenceEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        app_label = "assessments"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["colleague", "status", "due_on"], name="feedback_colleague_status_idx"),
            models.Index(fields=["asked_by", "-created_at"], name="feedback_asked_by_idx"),
            models.Index(fields=["status", "due_on"], name="feedback_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(colleague=models.F("person")), name="feedback_colleague_is_not_the_person"
            ),
            models.CheckConstraint(
                condition=~models.Q(colleague=models.F("asked_by")), name="feedback_colleague_is_not_the_asker"
            ),
        ]

    def __str__(self):
        return f"Feedback on {self.person} from {self.colleague} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def asked_by_person(self) -> bool:
        """Asked by the person it is about (not by a manager)."""
        return self.asked_by_id == self.person_id

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def status_words(self) -> str:
        """Waiting, Overdue, Answered, Declined, Withdrawn."""
        return "Overdue" if self.is_overdue() else self.get_status_display()

    @property
    def due_words(self) -> str:
        if not self.is_open:
            return ""
        days = (self.due_on - timezone.localdate()).days
        if days == 0:
            return "due today"
        if days > 0:
            return f"due in {days} day{'s' if days != 1 else ''}"
        return f"{-days} day{'s' if days != -1 else ''} late"

    def _close(self, status, **changes) -> bool:
        """Close it only if it is still open (one conditional UPDATE, so two closes at once cannot both win); False
        when it had closed meanwhile."""
        now = timezone.now()
        closed = FeedbackRequest.objects.filter(pk=self.pk, status=self.Status.WAITING).update(
            status=status, closed_at=now, **changes
        )
        if closed:
            self.status, self.closed_at = status, now
            for name, value in changes.items():
                setattr(self, name, value)
        return bool(closed)

    def give_answer(self, text: str) -> EvidenceEntry:
        """The colleague's answer, into the person's evidence log, dated today and tagged with the chosen capabilities.
        Raises AlreadyClosed if the request was answered, declined or withdrawn meanwhile (nothing is saved)."""
        with transaction.atomic():
            entry = EvidenceEntry.objects.create(
                person_id=self.person_id,
                author_id=self.colleague_id,
                source=EvidenceEntry.Source.FEEDBACK,
                happened_on=timezone.localdate(),
                text=text,
                shared=self.asked_by_person and self.share_with_managers,
            )
            entry.capabilities.set(self.capabilities.all())
            if not self._close(self.Status.ANSWERED, answer=entry):
                raise AlreadyClosed  # the entry goes with the transaction
        return entry

    def decline(self, reason: str = "") -> None:
        if not self._close(self.Status.DECLINED, decline_reason=reason):
            raise AlreadyClosed

    def withdraw(self) -> None:
        if not self._close(self.Status.WITHDRAWN):
            raise AlreadyClosed

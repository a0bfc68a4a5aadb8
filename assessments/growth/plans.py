"""Development plans (issue 14 part 3): a gap to the target level becomes a plan item the person and their managers
work through; HR keeps a list of learning resources per capability to choose from.

Items and resources name a capability of one framework version; across versions they are matched by the
capability's key, as evidence tags are (`for_capability`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.people.models import Person
from pathway.text import validate_storable


def _same_capability(capability) -> models.Q:
    return models.Q(capability__key=capability.key, capability__framework__key=capability.framework.key)


class LearningResource(models.Model):
    """A course, a book, a talk or an internal guide HR suggests for one capability."""

    capability = models.ForeignKey("frameworks.Capability", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, validators=[validate_storable])
    url = models.URLField("link", max_length=2000, blank=True, validators=[validate_storable])
    note = models.CharField(
        max_length=300, blank=True, validators=[validate_storable], help_text="What it covers, in a sentence."
    )

    class Meta:
        app_label = "assessments"
        ordering = ["title", "pk"]
        verbose_name = "learning resource"

    def __str__(self):
        return self.title

    @classmethod
    def for_capability(cls, capability):
        return cls.objects.filter(_same_capability(capability))


class PlanItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=PlanItem.Status.DONE)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def for_capability(self, capability):
        return self.filter(_same_capability(capability))


class PlanItem(models.Model):
    """One thing a person will do to close a gap: the capability, what to do, by when, and how it stands."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plan_items")
    capability = models.ForeignKey("frameworks.Capability", on_delete=models.PROTECT, related_name="+")
    action = models.TextField("what to do", validators=[validate_storable])
    due_on = models.DateField("by when")
    resource = models.ForeignKey(
        LearningResource, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_items"
    )
    link = models.URLField(max_length=2000, blank=True, validators=[validate_storable])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PlanItemQuerySet.as_manager()

    class Meta:
        app_label = "assessments"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["person", "status", "due_on"], name="plan_person_status_due_idx")]

    def __str__(self):
        return f"{self.person}: {self.action[:60]}"

    def clean(self):
        super().clean()
        if self.action is not None and not self.action.strip():
            raise ValidationError({"action": "Say what you will do."})

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def days_left(self, today=None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def due_words(self) -> str:
        """When it is due, for a person: "due today", "due in 12 days", "3 days overdue" (nothing once done)."""
        if self.is_done:
            return ""
        days = self.days_left()
        if days == 0:
            return "due today"
        if days > 0:
            return f"due in {days} day{'s' if days != 1 else ''}"
        return f"{-days} day{'s' if days != -1 else ''} overdue"

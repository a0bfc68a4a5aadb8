"""The growth room: what a person does between reviews. Today the evidence log; feedback answers (part 2 of issue
14) land in the same log as entries of another source, written by a colleague.

Depends on `people` and `frameworks`; reviews (citing an entry in a rating) and reports sit above and import this,
never the reverse. A rating's citations reach entries through `EvidenceEntry.citations` (the reviews room's
`Citation`): the only thing this room knows of them is that a cited entry stays as it is (`is_cited`).
"""

from django.core.exceptions import ValidationError
from django.db import models

from assessments.people.models import Person
from pathway.text import validate_storable


class EvidenceQuerySet(models.QuerySet):
    def with_related(self):
        """What every list of entries shows: whose log, who wrote it (and who asked, for a feedback answer), and the
        capabilities it shows."""
        return self.select_related("person__user", "author__user", "feedback_request__asked_by__user").prefetch_related(
            "capabilities"
        )

    def showing(self, capability):
        """Entries tagged with `capability`, in any version of its framework: tags follow the capability's key."""
        return self.filter(
            capabilities__key=capability.key, capabilities__framework__key=capability.framework.key
        ).distinct()

    def shared(self):
        return self.filter(shared=True)


class EvidenceEntry(models.Model):
    """One piece of evidence in a person's log: a win, a piece of work, feedback received.

    Private to the person unless `shared` (then their managers up the chain see it too; growth/access.py). An own
    note is written by the person; a feedback answer (part 2) by a colleague, attributed. The capabilities are
    rows of the framework version current when it was tagged; across versions they are matched by key.
    """

    class Source(models.TextChoices):
        NOTE = "note", "Own note"
        FEEDBACK = "feedback", "Feedback answer"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evidence_written")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NOTE)
    happened_on = models.DateField("date")
    text = models.TextField(validators=[validate_storable])
    link = models.URLField(max_length=2000, blank=True, validators=[validate_storable])
    shared = models.BooleanField(
        "shared with my managers", default=False, help_text="Private unless shared: then your managers see it too."
    )
    capabilities = models.ManyToManyField("frameworks.Capability", related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "evidence entry"
        verbose_name_plural = "evidence entries"
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source="note") | models.Q(author=models.F("person")),
                name="evidence_own_note_by_its_person",
            ),
        ]
        indexes = [models.Index(fields=["person", "-happened_on"], name="evidence_person_date_idx")]

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"

    @property
    def is_own_note(self) -> bool:
        return self.source == self.Source.NOTE

    def is_cited(self) -> bool:
        """Cited by a rating (reviews' `Citation`): it then stays as it is, because readers of the assessment see
        it."""
        return self.citations.exists()

    def clean(self):
        super().clean()
        if self.text is not None and not self.text.strip():
            raise ValidationError({"text": "Say what happened."})

"""People and what is computed from them: a person's place in the organisation (level, manager),
and later review cycles, assessments and ratings.

This app depends on `frameworks`, never the reverse.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Person(models.Model):
    """A user's place in the organisation. Every user has one (created with the user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    job_title = models.CharField(max_length=200, blank=True)
    level = models.ForeignKey(
        "frameworks.Level",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The person's current level. Empty for a new joiner whose level is not set yet.",
    )
    manager = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__full_name"]
        verbose_name_plural = "people"

    def __str__(self):
        return str(self.user)

    @property
    def name(self) -> str:
        return self.user.full_name

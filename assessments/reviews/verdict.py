"""The readiness verdict's words: Ready, Nearly, Not yet. One vocabulary, in one place.

The comparison's verdict (`assessments.reports.readiness`) and the manager's recommendation
(`Assessment.recommendation`) both speak it, so a manager recommends in the words the verdict uses. It lives
in the reviews room, the lowest room that needs it (the recommendation is stored here); readiness imports it.
"""

from django.db import models


class Verdict(models.TextChoices):
    READY = "ready", "Ready"
    NEARLY = "nearly", "Nearly"
    NOT_YET = "not-yet", "Not yet"

    @property
    def order(self) -> int:
        """Sort order on team pages: ready first."""
        return list(Verdict).index(self)

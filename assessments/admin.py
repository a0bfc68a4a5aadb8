"""The `assessments` app's admin lives in its rooms; Django's autodiscovery finds it here."""

from assessments.people import admin as people_admin  # noqa: F401
from assessments.reviews import admin as reviews_admin  # noqa: F401

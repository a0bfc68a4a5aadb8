"""What the reviews' workflow answers or raises: a stale save, a locked assessment, what a lock read, and what
stops a submit. Imported from `assessments.reviews.models` as before; they live here to keep that module short."""

from dataclasses import dataclass


class StaleRevision(Exception):
    """A save based on a revision that has since been replaced (in another tab, or by someone else)."""


class AssessmentLocked(Exception):
    """A change to an assessment that is no longer open for changes (submitted or shared)."""


@dataclass(frozen=True)
class Locked:
    """What an assessment is, read under its lock: its status, revision, and whether its cycle is closed."""

    status: str
    revision: int
    cycle_closed: bool


@dataclass(frozen=True)
class Problem:
    """One thing that stops an assessment from being submitted, and where on the page to fix it."""

    anchor: str
    subject: str
    message: str
    area: str = ""  # the page's `?area=` that shows it, when the page shows one area at a time (reviews/steps.py)

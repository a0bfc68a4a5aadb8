"""Questions the lower rooms ask of the rooms above them, without importing them (as `frameworks.impact` does).

`draft_progress`: the catalogue's "Start a self-assessment" and the person page's "Assess" become "Continue —
N of M rated" when the reader already has a draft that the button would open. Only the reviews room knows
(`assessments.reviews.signals` answers, in one query); the asking room names the level its button starts.
"""

from dataclasses import dataclass

from django.dispatch import Signal

# Sent with sender=None, user=<the reader>, subject=<a Person, or None for the reader themself>, level=<Level>.
# A receiver returns a DraftProgress, or None when the reader has no such draft.
draft_progress = Signal()


@dataclass(frozen=True)
class DraftProgress:
    url: str
    level_name: str
    rated: int
    total: int


def draft_progress_of(user, level, subject=None) -> DraftProgress | None:
    """The reader's draft that starting an assessment of `subject` against `level` would open, or None."""
    answers = draft_progress.send(sender=None, user=user, subject=subject, level=level)
    return next((answer for _, answer in answers if answer is not None), None)

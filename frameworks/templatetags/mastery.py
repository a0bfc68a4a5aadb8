"""The one visual for a mastery level, used on every page: a segmented bar plus the scale word."""

import math

from django import template

register = template.Library()

PALETTE_STEPS = 6


def mastery_tone(rank: int, scale_length: int) -> int:
    """Map a rank on a scale of any length onto the shared six-step palette (1 lightest, 6 darkest)."""
    if scale_length <= 0:
        return 1
    return max(1, min(PALETTE_STEPS, math.ceil(rank * PALETTE_STEPS / scale_length)))


@register.inclusion_tag("includes/mastery_bar.html")
def mastery_bar(scale_level=None, scale_length=None, not_applicable=False, compact=False):
    """Render `scale_level` (a ScaleLevel, or None for "not asked") on a scale of `scale_length` steps.

    Pass not_applicable=True for a rating of "not applicable".
    """
    if not_applicable:
        return {"state": "not-applicable", "compact": compact}
    if scale_level is None:
        return {"state": "not-asked", "compact": compact}
    length = scale_length or scale_level.rank
    return {
        "state": "rated",
        "name": scale_level.name,
        "rank": scale_level.rank,
        "length": length,
        "tone": mastery_tone(scale_level.rank, length),
        "segments": [index < scale_level.rank for index in range(length)],
        "compact": compact,
    }

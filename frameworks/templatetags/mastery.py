"""The one visual for a mastery level, used on every page: a segmented bar plus the scale word."""

import math

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

PALETTE_STEPS = 6


def mastery_tone(rank: int, scale_length: int) -> int:
    """Map a rank on a scale of any length onto the shared six-step palette (1 lightest, 6 darkest)."""
    if scale_length <= 0:
        return 1
    return max(1, min(PALETTE_STEPS, math.ceil(rank * PALETTE_STEPS / scale_length)))


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


@register.simple_tag(name="mastery_bar")
def render_mastery_bar(scale_level=None, scale_length=None, not_applicable=False, compact=False):
    """`{% mastery_bar level length %}`: the bar's HTML, put together here rather than by a template with a loop (a
    report prints it hundreds of times, and an inclusion tag renders a template each time)."""
    bar = mastery_bar(scale_level, scale_length, not_applicable, compact)
    if bar["state"] == "not-applicable":
        return mark_safe('<span class="mastery mastery--na"><span class="mastery__word">Not applicable</span></span>\n')
    if bar["state"] == "not-asked":
        return mark_safe(
            '<span class="mastery mastery--not-asked"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">Not asked</span></span>\n'
        )
    segments = format_html_join(
        "", '<span class="mastery__seg{}"></span>', ((" is-filled" if filled else "",) for filled in bar["segments"])
    )
    return format_html(
        '<span class="mastery mastery--{}{}"><span class="mastery__bar" aria-hidden="true">{}</span> '
        '<span class="mastery__word">{}</span><span class="visually-hidden"> ({} of {})</span></span>\n',
        bar["tone"],
        " mastery--compact" if compact else "",
        segments,
        bar["name"],
        bar["rank"],
        bar["length"],
    )

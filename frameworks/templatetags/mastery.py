"""The one visual for a mastery level, used on every page: a segmented bar plus the scale word."""

import math

from django import template
from django.utils.html import conditional_escape
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
    filled = sum(bar["segments"])
    segments = '<span class="mastery__seg is-filled"></span>' * filled
    segments += '<span class="mastery__seg"></span>' * (len(bar["segments"]) - filled)
    compact_class = " mastery--compact" if compact else ""
    return mark_safe(  # noqa: S308 -- the name is escaped; the rest are numbers and fixed markup
        f'<span class="mastery mastery--{bar["tone"]}{compact_class}"><span class="mastery__bar" aria-hidden="true">'
        f'{segments}</span> <span class="mastery__word">{conditional_escape(bar["name"])}</span>'
        f'<span class="visually-hidden"> ({bar["rank"]} of {bar["length"]})</span></span>\n'
    )


@register.simple_tag
def rating_bar(answer, scale_length=None, compact=False):
    """`{% rating_bar answer length %}`: a rating given as (scale level, not applicable): the mastery bar, "Not
    applicable", or "Not rated" when there is no answer."""
    scale_level, not_applicable = answer or (None, False)
    if not_applicable:
        return render_mastery_bar(not_applicable=True)
    if scale_level:
        return render_mastery_bar(scale_level, scale_length, compact=compact)
    return mark_safe('<span class="report-unrated">Not rated</span>')

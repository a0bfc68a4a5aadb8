"""The mastery bar: one visual for a rating on a scale of any length, and for "not asked" / "not applicable"."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from frameworks.templatetags.mastery import PALETTE_STEPS, mastery_bar, mastery_tone


def scale_level(rank, name="Working"):
    return SimpleNamespace(rank=rank, name=name)


def render(**context):
    template = Template(
        "{% load mastery %}{% mastery_bar level length not_applicable=not_applicable compact=compact %}"
    )
    defaults = {"level": None, "length": None, "not_applicable": False, "compact": False}
    return template.render(Context({**defaults, **context}))


@pytest.mark.parametrize(
    ("rank", "length", "tone"),
    [
        (1, 4, 2),
        (2, 4, 3),
        (3, 4, 5),
        (4, 4, 6),
        (1, 6, 1),
        (6, 6, 6),
        (1, 3, 2),
        (1, 12, 1),
        (12, 12, 6),
        (5, 3, 6),  # a rank above the scale never goes past the darkest tone
    ],
)
def test_mastery_tone_spreads_any_scale_over_the_six_step_palette(rank, length, tone):
    assert mastery_tone(rank, length) == tone


@pytest.mark.parametrize("length", [0, -2])
def test_mastery_tone_of_an_empty_scale_is_the_lightest(length):
    assert mastery_tone(3, length) == 1


def test_mastery_tone_never_drops_below_the_lightest():
    assert mastery_tone(0, 4) == 1
    assert mastery_tone(-1, 4) == 1
    assert max(mastery_tone(rank, 7) for rank in range(1, 8)) == PALETTE_STEPS


def test_not_applicable_wins_over_a_level():
    assert mastery_bar(scale_level(2), 4, not_applicable=True) == {"state": "not-applicable", "compact": False}


def test_no_level_is_not_asked():
    assert mastery_bar(None, 4, compact=True) == {"state": "not-asked", "compact": True}


def test_rated_bar_fills_one_segment_per_rank():
    context = mastery_bar(scale_level(2, "Working"), 4)
    assert context["state"] == "rated"
    assert context["segments"] == [True, True, False, False]
    assert (context["name"], context["rank"], context["length"], context["tone"]) == ("Working", 2, 4, 3)


def test_without_a_scale_length_the_bar_is_as_long_as_the_rank():
    context = mastery_bar(scale_level(3, "Practitioner"))
    assert context["length"] == 3
    assert context["segments"] == [True, True, True]
    assert context["tone"] == PALETTE_STEPS


def test_rendered_bar_names_the_level_and_its_place_on_the_scale():
    html = render(level=scale_level(1, "Awareness"), length=4, compact=True)
    assert "mastery--2 mastery--compact" in html
    assert html.count('class="mastery__seg is-filled"') == 1
    assert html.count('class="mastery__seg"') == 3
    assert "Awareness" in html
    assert "(1 of 4)" in html


def test_rendered_not_applicable_and_not_asked_read_differently():
    not_applicable = render(level=scale_level(2), length=4, not_applicable=True)
    assert "Not applicable" in not_applicable
    assert "mastery__seg" not in not_applicable
    not_asked = render()
    assert "Not asked" in not_asked
    assert "Not applicable" not in not_asked


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ((scale_level(2, "Working"), False), "(2 of 4)"),
        ((scale_level(2, "Working"), True), "Not applicable"),
        ((None, True), "Not applicable"),
        ((None, False), "Not rated"),
    ],
)
def test_a_rating_reads_as_its_bar_not_applicable_or_not_rated(answer, expected):
    html = Template("{% load mastery %}{% rating_bar answer 4 compact=True %}").render(Context({"answer": answer}))
    assert expected in html
    assert ("mastery--compact" in html) == (expected == "(2 of 4)")

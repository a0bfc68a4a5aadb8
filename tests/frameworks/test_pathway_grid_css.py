"""The pathway diagram is placed by static CSS (the CSP refuses style attributes): every position the page can
ask for within the grid's limits has its rule, and a larger pathway falls back to lists."""

import re
from pathlib import Path

import pytest

from frameworks.views import PATHWAY_MAX_ROWS, PATHWAY_MAX_TRACKS, Pathway

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "pathway-grid.css").read_text()


def rules(attribute: str) -> set[int]:
    return {int(value) for value in re.findall(rf'\[data-{attribute}="(\d+)"\]', CSS)}


def test_every_position_within_the_limits_has_a_rule():
    assert rules("tracks") >= set(range(1, PATHWAY_MAX_TRACKS + 1))
    assert rules("rows") >= set(range(1, PATHWAY_MAX_ROWS + 1))
    assert rules("column") >= set(range(2, PATHWAY_MAX_TRACKS + 2))
    assert rules("row") >= set(range(1, PATHWAY_MAX_ROWS + 2))
    assert rules("span") >= set(range(1, PATHWAY_MAX_ROWS + 1))


@pytest.mark.parametrize(
    ("rows", "tracks", "fits"),
    [
        (PATHWAY_MAX_ROWS, PATHWAY_MAX_TRACKS, True),
        (PATHWAY_MAX_ROWS + 1, 1, False),
        (1, PATHWAY_MAX_TRACKS + 1, False),
    ],
)
def test_a_pathway_beyond_the_limits_is_shown_as_lists(rows, tracks, fits):
    assert Pathway(tracks=[None] * tracks, grades=[], bands=[], rows=rows).fits_grid is fits

"""Chart labels that do not fit: long capability names are wrapped and cut, a long legend wraps onto rows."""

import re

from assessments.reports.charts import Series, _wrap, comparison_chart

SCALE = ["Awareness", "Working", "Practitioner", "Expert"]


def test_a_short_label_stays_on_one_line():
    assert _wrap("Strategy") == ["Strategy"]


def test_a_label_wraps_at_word_boundaries_onto_two_lines():
    assert _wrap("User centred insight work") == ["User centred", "insight work"]


def test_a_label_longer_than_two_lines_is_cut_with_an_ellipsis():
    lines = _wrap("Stakeholder relationship management across government departments")
    assert len(lines) == 2
    assert lines[0] == "Stakeholder"
    assert lines[1].endswith("…")
    assert len(lines[1]) <= 16


def test_a_single_word_longer_than_a_line_is_cut():
    (line,) = _wrap("Internationalisation-and-localisation")
    assert line == "Internationalisatio…"  # a little slack (four characters) before cutting


def test_the_radar_shows_long_names_cut_but_describes_them_in_full():
    name = "Stakeholder relationship management across government departments"
    svg = str(
        comparison_chart(
            "c",
            [name, "Delivery", "Insight"],
            [Series("expected", "Expected", [3, 3, 3]), Series("self", "Self", [2, 3, 4])],
            SCALE,
            "Priya",
        )
    )
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert "Stakeholder" in shown and name not in shown
    assert f"{name}: Expected Practitioner; Self Working." in svg  # the description keeps the whole name


def test_a_legend_too_wide_for_one_row_wraps_onto_the_next():
    names = [f"A rather long series name number {n}" for n in range(4)]
    one = [Series("expected", names[0], [3, 3, 3])]
    many = [
        Series(kind, name, [3, 3, 3])
        for kind, name in zip(["expected", "self", "manager", "agreed"], names, strict=True)
    ]
    short_svg = str(comparison_chart("c", ["A", "B", "C"], one, SCALE, "P"))
    long_svg = str(comparison_chart("c", ["A", "B", "C"], many, SCALE, "P"))

    def legend_rows(svg):
        legend_line = r'<line x1="[^"]+" y1="([^"]+)" x2="[^"]+" y2="\1" stroke="[^"]+" stroke-width="2"'
        return set(re.findall(legend_line, svg))

    assert len(legend_rows(short_svg)) == 1
    assert len(legend_rows(long_svg)) > 1

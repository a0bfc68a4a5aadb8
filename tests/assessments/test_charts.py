"""Server-side SVG charts: named for screen readers, readable without colour, safe with any text."""

from assessments.reports.charts import Series, comparison_chart, difference_plot, history_chart

SCALE = ["Awareness", "Working", "Practitioner", "Expert"]


def series(count):
    return [
        Series("expected", "Expected at Senior PM", [3] * count),
        Series("self", "Self", [4] * count),
        Series("manager", "Manager", [2] * (count - 1) + [None]),
    ]


def test_radar_is_named_and_described_for_screen_readers():
    svg = str(comparison_chart("c", ["Strategy", "Delivery", "Insight"], series(3), SCALE, "Priya Product"))
    assert svg.startswith('<svg class="chart chart--radar"')
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Priya Product: Expected at Senior PM, Self, Manager per capability</title>' in svg
    assert "Strategy: Expected at Senior PM Practitioner; Self Expert; Manager Working." in svg
    assert "Insight: Expected at Senior PM Practitioner; Self Expert; Manager none." in svg
    assert "Self: dotted line, round dots" in svg


def test_each_series_has_its_own_marker_and_line_pattern():
    svg = str(comparison_chart("c", ["A", "B", "C", "D"], series(4), SCALE, "P"))
    assert "<rect" in svg and "<circle" in svg and "<polygon points=" in svg
    assert 'stroke-dasharray="7 4"' in svg and 'stroke-dasharray="2 3"' in svg
    # The manager left the last capability unrated: the line breaks there instead of closing.
    assert svg.count('fill="none" stroke="#0062a3"') == 0


def test_fewer_than_three_capabilities_fall_back_to_a_dot_chart():
    svg = str(comparison_chart("c", ["Strategy", "Delivery"], series(2), SCALE, "P"))
    assert 'class="chart chart--dots"' in svg


def test_text_is_escaped():
    svg = str(comparison_chart("c", ["<script>alert(1)</script>", "B", "C"], series(3), SCALE, "Bob & <Co>"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "Bob &amp; &lt;Co&gt;" in svg


def test_history_and_difference_charts_are_named_too():
    history = str(history_chart("h", ["2025 H2", "2026 H1"], [Series("manager", "Agreed", [2, 3])], SCALE, "Strategy"))
    assert '<title id="h-title">Strategy</title>' in history and "2026 H1: Agreed Practitioner." in history
    plot = str(difference_plot("d", [("Alex", 0.8), ("Maya", -0.2)], 0.1, "Title", "Description"))
    assert '<title id="d-title">Title</title>' in plot and "+0.8" in plot and "Organisation average (+0.1)" in plot

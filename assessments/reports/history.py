"""A person's history: their effective and self ratings per capability across reviews, oldest first.

Computed, never stored, from the assessments the viewer may see, under the same blind-cycle rule as
the comparison (`apply_blind_rule`). Capabilities are matched by `key` across reviews, so a
capability keeps its row when the framework moves on to a new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from assessments.people.models import Person
from assessments.reports.charts import Series, history_chart
from assessments.reports.comparison import (
    Comparison,
    apply_blind_rule,
    effective,
    expectations_by_level,
    has_agreed,
    is_rated,
    rank_of,
    ratings_of,
    scale_by_id,
)
from assessments.reviews.models import Assessment, Rating
from frameworks.models import Expectation, Level, ScaleLevel
from frameworks.templatetags.mastery import rating_bar


@dataclass
class HistoryPoint:
    """One review: a cycle (or none) and the level assessed against, with the two sides the viewer may see."""

    cycle: object | None
    level: Level
    self_assessment: Assessment | None
    manager_assessment: Assessment | None
    date: object

    @property
    def label(self) -> str:
        when = self.cycle.name if self.cycle else f"{self.date.day} {self.date:%b %Y}"
        return f"{when} · {self.level.name}"

    @property
    def short_label(self) -> str:
        return self.cycle.name if self.cycle else self.date.strftime("%b %Y")


@dataclass
class HistoryCell:
    effective: tuple
    self_answer: tuple
    expected: ScaleLevel | None
    agreed: bool

    @property
    def has_any(self) -> bool:
        return is_rated(self.effective) or is_rated(self.self_answer)


@dataclass
class HistoryRow:
    key: str
    capability: object
    cells: list[HistoryCell]
    chart: object = None
    scale_length: int = 0  # the newest review's scale: the length of each cell's bar

    @property
    def cells_html(self) -> str:
        """The row's cells as HTML, put together here rather than by the template (a history is a few hundred
        cells, each several template tags)."""
        return mark_safe("\n".join(_cell_html(cell, self.scale_length) for cell in self.cells))  # noqa: S308


def _cell_html(cell: HistoryCell, scale_length: int) -> str:
    """A review's cell: the agreed (else manager) rating, marked when agreed, and the self rating under it."""
    if not cell.has_any:
        not_assessed = '<span aria-hidden="true">—</span><span class="visually-hidden">Not assessed</span>'
        return f'<td class="history-cell">{not_assessed}</td>'
    if cell.effective[0] or cell.effective[1]:
        parts = [rating_bar(cell.effective, scale_length, compact=True)]
        if cell.agreed:
            parts.append('<span class="visually-hidden"> (agreed)</span><span aria-hidden="true">*</span>')
    else:
        parts = ['<span class="report-unrated">No manager rating</span>']
    scale_level, not_applicable = cell.self_answer
    if scale_level or not_applicable:
        words = "Not applicable" if not_applicable else conditional_escape(scale_level.name)
        parts.append(f'\n<span class="history-cell__self">Self: {words}</span>')
    return f'<td class="history-cell">{"".join(parts)}</td>'


@dataclass
class History:
    subject: Person
    points: list[HistoryPoint]
    rows: list[HistoryRow]
    scale_names: list[str]

    def __bool__(self) -> bool:
        return bool(self.points)


def build_history(
    user, subject: Person, assessments: list[Assessment], *, charts: bool = True, known: Comparison | None = None
) -> History:
    """Effective and self ratings per capability across reviews, oldest first, matched by capability key.

    Only submitted assessments count: a draft is work in progress, not history. `known`: a comparison built in
    this request, whose scale levels and levels' expectations are not read again.
    """
    points = _points(user, assessments)
    frameworks = {point.level.framework_id for point in points}
    if known is not None and frameworks <= {scale_level.framework_id for scale_level in known.scale_by_id.values()}:
        scale = known.scale_by_id
    else:
        scale = scale_by_id(frameworks) if points else {}
    rows = _rows(points, scale, known.expectations if known is not None else {})
    scale_names = _scale_names(points, scale)
    for row in rows:
        row.scale_length = len(scale_names)
    if charts:
        _draw_charts(rows, points, scale_names)
    return History(subject=subject, points=points, rows=rows, scale_names=scale_names)


def _points(user, assessments: list[Assessment]) -> list[HistoryPoint]:
    """One point per review (cycle and level) with a submitted side this viewer may see, oldest first."""
    pairs: dict[tuple, dict] = {}
    for assessment in assessments:
        if not assessment.is_submitted:
            continue
        pair = pairs.setdefault((assessment.cycle_id, assessment.level_id), {})
        pair[assessment.kind] = assessment
    points = []
    for pair in pairs.values():
        self_assessment, manager_assessment, _ = apply_blind_rule(
            user, pair.get(Assessment.Kind.SELF), pair.get(Assessment.Kind.MANAGER)
        )
        anchor = manager_assessment or self_assessment
        if anchor is None:
            continue
        date = anchor.cycle.starts_on if anchor.cycle else (anchor.submitted_at or anchor.created_at).date()
        points.append(HistoryPoint(anchor.cycle, anchor.level, self_assessment, manager_assessment, date))
    points.sort(key=lambda point: (point.date, point.level.grade, point.level.pk))
    return points


def _rows(points: list[HistoryPoint], scale: dict[int, ScaleLevel], known: dict) -> list[HistoryRow]:
    """One row per capability rated in any review, with a cell per review, in framework order."""
    expectations = _expectations(points, scale, known)
    expected = {(e.level_id, e.capability.key): e.scale_level for e in expectations}
    by_key, capabilities = _ratings_by_key(points, scale, {e.capability_id: e.capability for e in expectations})
    rows = [
        HistoryRow(
            key=key,
            capability=capabilities[key],
            cells=[
                _cell(slots.get(index, {}), expected.get((point.level.pk, key))) for index, point in enumerate(points)
            ],
        )
        for key, slots in by_key.items()
    ]
    rows.sort(key=lambda row: (row.capability.area.position, row.capability.position, row.capability.name))
    return rows


def _expectations(points: list[HistoryPoint], scale: dict[int, ScaleLevel], known: dict) -> list[Expectation]:
    """What each reviewed level expects, with each capability and its area (`known`: {level pk: {capability key:
    expectation}} read already; only the other levels are read)."""
    by_level = expectations_by_level([point.level for point in points], scale, known)
    return [expectation for expectations in by_level.values() for expectation in expectations.values()]


def _ratings_by_key(
    points: list[HistoryPoint], scale: dict[int, ScaleLevel], capabilities: dict[int, object]
) -> tuple[dict[str, dict[int, dict[str, Rating]]], dict[str, object]]:
    """({key: {point index: {"self" or "manager": rating}}}, {key: capability}) for the sides shown.

    The newest review's capability wins, so a renamed capability shows its current name.
    """
    shown = {a.pk: index for index, p in enumerate(points) for a in (p.self_assessment, p.manager_assessment) if a}
    by_key: dict[str, dict] = {}
    newest: dict[str, tuple] = {}
    for rating in ratings_of(shown, scale, capabilities, answers_only=True):
        index = shown[rating.assessment_id]
        point = points[index]
        slot = by_key.setdefault(rating.capability.key, {}).setdefault(index, {})
        slot[
            "manager" if point.manager_assessment and rating.assessment_id == point.manager_assessment.pk else "self"
        ] = rating
        if rating.capability.key not in newest or index >= newest[rating.capability.key][0]:
            newest[rating.capability.key] = (index, rating.capability)
    return by_key, {key: capability for key, (_, capability) in newest.items()}


def _cell(slot: dict[str, Rating], expected: ScaleLevel | None) -> HistoryCell:
    manager_rating, self_rating = slot.get("manager"), slot.get("self")
    return HistoryCell(
        effective=effective(manager_rating),
        self_answer=(self_rating.scale_level, self_rating.not_applicable) if self_rating else (None, False),
        expected=expected,
        agreed=has_agreed(manager_rating),
    )


def _scale_names(points: list[HistoryPoint], scale: dict[int, ScaleLevel]) -> list[str]:
    """The scale of the newest review's framework, lowest first (`scale` is in rank order)."""
    latest_framework = points[-1].level.framework_id if points else None
    return [scale_level.name for scale_level in scale.values() if scale_level.framework_id == latest_framework]


def _draw_charts(rows: list[HistoryRow], points: list[HistoryPoint], scale_names: list[str]) -> None:
    """A small line chart per row: the agreed (else manager) rating and the self rating over time."""
    labels = [point.short_label for point in points]
    for number, row in enumerate(rows):
        row.chart = history_chart(
            f"history-{number}",
            labels,
            [
                Series("manager", "Agreed or manager", [rank_of(cell.effective[0]) for cell in row.cells]),
                Series("self", "Self", [rank_of(cell.self_answer[0]) for cell in row.cells]),
            ],
            scale_names,
            f"{row.capability.name} over time",
        )


def earlier_history(history: History, comparison: Comparison) -> History:
    """Only the reviews before the one compared (for the promotion report)."""
    current = (comparison.cycle.pk if comparison.cycle else None, comparison.level.pk)
    keep = []
    cutoff = None
    for index, point in enumerate(history.points):
        if ((point.cycle.pk if point.cycle else None), point.level.pk) == current:
            cutoff = point.date
            continue
        keep.append(index)
    if cutoff is not None:
        keep = [index for index in keep if history.points[index].date <= cutoff]
    rows = [
        HistoryRow(
            key=row.key,
            capability=row.capability,
            cells=[row.cells[index] for index in keep],
            scale_length=row.scale_length,
        )
        for row in history.rows
    ]
    rows = [row for row in rows if any(cell.has_any for cell in row.cells)]
    return History(
        subject=history.subject, points=[history.points[i] for i in keep], rows=rows, scale_names=history.scale_names
    )

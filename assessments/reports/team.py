"""The team heatmap: a page of a manager's people, capability by capability, with each one's verdict.

Built from a fixed number of queries whatever the size of the page (people, their latest manager assessments,
those ratings, the expectations of the levels involved), then computed in memory; the order of the pages (by
verdict) comes from the database (`verdicts.py`). Assessments are read through `Assessment.objects.visible_to`,
so it never shows more than the viewer may see, and only submitted (or shared) manager assessments count.
Calibration lives in `calibration.py`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import format_html_join

from assessments.people.models import Person
from assessments.reports.comparison import Row, effective, readiness_for
from assessments.reports.readiness import Readiness
from assessments.reviews.models import Assessment, Rating
from frameworks.models import Capability, Expectation, Level
from frameworks.reading import read_expectations

# Heatmap ------------------------------------------------------------------------------------------

CELL_STATES = {
    "above": ("▲", "Above"),
    "meets": ("●", "Meets"),
    "below": ("▼", "Below"),
    "na": ("–", "Not applicable"),
    "unrated": ("?", "Not rated"),
    "not-asked": ("", "Not asked"),
}


@dataclass
class Cell:
    state: str
    rating: object | None
    expected: object | None

    @property
    def symbol(self) -> str:
        return CELL_STATES[self.state][0]

    @property
    def word(self) -> str:
        return CELL_STATES[self.state][1]

    @property
    def text(self) -> str:
        """What a screen reader hears (and the CSV says), e.g. "Below: Working, expected Practitioner"."""
        if self.state in ("above", "meets", "below"):
            return f"{self.word}: {self.rating.name}, expected {self.expected.name}"
        if self.state == "unrated" and self.expected is not None:
            return f"Not rated, expected {self.expected.name}"
        return self.word


@dataclass
class PersonRow:
    person: Person
    target: Level
    target_is_assessed: bool  # False: no manager assessment yet, so the target is their next level
    assessment: Assessment | None
    cells: list[Cell]
    readiness: Readiness | None
    capabilities: list = field(default_factory=list)  # the table's, in the cells' order

    @property
    def verdict_order(self) -> int:
        return self.readiness.verdict.order if self.readiness else 3

    @property
    def asked(self) -> list[tuple]:
        """(capability, cell) for each capability the target level asks for, for the phone's list."""
        return [
            (capability, cell)
            for capability, cell in zip(self.capabilities, self.cells, strict=True)
            if cell.state != "not-asked"
        ]

    # A page has ~2,000 cells (its table and its phone list): built here, not by a template loop per cell, as
    # the mastery bar is (`rating_bar`). The class draws the symbol and the colour (reports.css).
    @property
    def cells_html(self) -> str:
        """The table's cells: <td class="heat heat--<state>"><span>words</span></td> each."""
        return format_html_join(
            "", '<td class="heat heat--{}"><span>{}</span></td>', ((cell.state, cell.text) for cell in self.cells)
        )

    @property
    def asked_html(self) -> str:
        """The phone list's items: <li class="heat--<state>">capability<span>words</span></li> each."""
        return format_html_join(
            "",
            '<li class="heat--{}">{}<span>{}</span></li>',
            ((cell.state, capability.name, cell.text) for capability, cell in self.asked),
        )

    @property
    def summary(self) -> str:
        """The row in a few words, for the phone's list: e.g. "2 below, 1 not rated, 9 meeting, 1 above"."""
        counts = Counter(cell.state for cell in self.cells)
        words = {"below": "below", "unrated": "not rated", "meets": "meeting", "above": "above", "na": "not applicable"}
        return ", ".join(f"{counts[state]} {word}" for state, word in words.items() if counts[state])


@dataclass
class Area:
    name: str
    capabilities: list


@dataclass
class FrameworkTable:
    framework: object
    areas: list[Area]
    capabilities: list
    rows: list[PersonRow] = field(default_factory=list)


def _cell(expected, answer) -> Cell:
    scale_level, not_applicable = answer
    if expected is None:
        return Cell("not-asked", scale_level, None)
    if not_applicable:
        return Cell("na", None, expected.scale_level)
    if scale_level is None:
        return Cell("unrated", None, expected.scale_level)
    gap = scale_level.rank - expected.scale_level.rank
    return Cell("above" if gap > 0 else "meets" if gap == 0 else "below", scale_level, expected.scale_level)


def latest_manager_assessments(user, subject_ids, cycle=None) -> dict[int, Assessment]:
    """subject id → their newest submitted manager assessment the viewer may see (in `cycle` when given)."""
    queryset = Assessment.objects.visible_to(user).filter(
        subject_id__in=subject_ids, kind=Assessment.Kind.MANAGER, status__in=Assessment.SUBMITTED_STATUSES
    )
    if cycle is not None:
        queryset = queryset.filter(cycle=cycle)
    latest = {}
    # The heatmap reads each one's level and its framework (the readiness rule) and nothing else it would join:
    # each table more in the join costs PostgreSQL more planning than the few rows cost to read.
    for assessment in queryset.select_related("level__framework").order_by("subject_id", "-submitted_at", "-pk"):
        latest.setdefault(assessment.subject_id, assessment)
    return latest


def _ratings_by_assessment(assessment_ids, capabilities: dict | None = None) -> dict[int, dict[str, Rating]]:
    """assessment id → capability key → rating. `capabilities` (id → capability with its area), when the caller has
    them already, are attached rather than read again with every rating."""
    ratings = Rating.objects.filter(assessment_id__in=assessment_ids)
    if capabilities is None:
        ratings = ratings.select_related("capability__area", "scale_level", "agreed_scale_level")
    else:
        ratings = ratings.select_related("scale_level", "agreed_scale_level").defer("evidence", "agreed_note")
    found: dict[int, dict[str, Rating]] = {}
    for rating in ratings:
        if capabilities is not None:
            rating.capability = capabilities[rating.capability_id]
        found.setdefault(rating.assessment_id, {})[rating.capability.key] = rating
    return found


def _expectations_by_level(level_ids) -> dict[int, dict[str, Expectation]]:
    """{level pk: {capability key: expectation}}, each with its capability, area and scale level (`read_expectations`:
    each of those built once, not once per expectation naming it)."""
    found: dict[int, dict[str, Expectation]] = {}
    for expectation in read_expectations(level_ids):
        found.setdefault(expectation.level_id, {})[expectation.capability.key] = expectation
    return found


def _readiness(person, target, expectations, ratings) -> Readiness:
    target_expectations = expectations.get(target.pk, {})
    now_expectations = expectations.get(person.level_id, {}) if person.level_id else {}
    rows = [
        Row(
            capability=(target_expectations.get(key) or ratings[key]).capability,
            expected_now=now_expectations.get(key),
            expected_target=target_expectations.get(key),
            self_rating=None,
            manager_rating=ratings.get(key),
            show_self=False,
            show_manager=True,
        )
        for key in target_expectations.keys() | ratings.keys()
    ]
    # The reasons name capabilities in the framework's order, as the comparison page does.
    rows.sort(key=lambda row: (row.capability.area.position, row.capability.area_id, row.capability.position))
    return readiness_for(rows, target, person.level)


def build_team_heatmap(user, people: list[Person], cycle=None, sort: str = "verdict") -> list[FrameworkTable]:
    """One table per framework version of the people's targets: people down, capabilities across."""
    latest = latest_manager_assessments(user, [person.pk for person in people], cycle)
    following = Level.objects.next_on_track_for(person.level for person in people if person.level_id)

    targets = {}
    for person in people:
        assessment = latest.get(person.pk)
        if assessment is not None:
            targets[person.pk] = (assessment.level, True)
        elif person.level_id:
            targets[person.pk] = (following.get(person.level_id, person.level), False)
    level_ids = {target.pk for target, _ in targets.values()} | {p.level_id for p in people if p.level_id}
    expectations = _expectations_by_level(level_ids)

    framework_ids = {target.framework_id for target, _ in targets.values()}
    tables: dict[int, FrameworkTable] = {}
    capabilities = {}
    for capability in Capability.objects.filter(framework_id__in=framework_ids).select_related("area", "framework"):
        table = tables.get(capability.framework_id)
        if table is None:
            table = tables[capability.framework_id] = FrameworkTable(capability.framework, [], [])
        table.capabilities.append(capability)
        capabilities[capability.pk] = capability
    # Each rating's capability is one of the tables' (an assessment's ratings are of its level's framework).
    ratings = _ratings_by_assessment([assessment.pk for assessment in latest.values()], capabilities)
    for table in tables.values():
        table.capabilities.sort(key=lambda c: (c.area.position, c.area_id, c.position, c.pk))
        for capability in table.capabilities:
            if not table.areas or table.areas[-1].name != capability.area.name:
                table.areas.append(Area(capability.area.name, []))
            table.areas[-1].capabilities.append(capability)

    for person in people:
        if person.pk not in targets:
            continue
        target, assessed = targets[person.pk]
        assessment = latest.get(person.pk)
        person_ratings = ratings.get(assessment.pk, {}) if assessment else {}
        target_expectations = expectations.get(target.pk, {})
        table = tables[target.framework_id]
        cells = [
            _cell(target_expectations.get(c.key), effective(person_ratings.get(c.key))) for c in table.capabilities
        ]
        readiness = _readiness(person, target, expectations, person_ratings) if assessment else None
        table.rows.append(PersonRow(person, target, assessed, assessment, cells, readiness, table.capabilities))

    ordered = sorted(tables.values(), key=lambda t: (t.framework.name, t.framework.version))
    for table in ordered:
        if sort == "name":
            table.rows.sort(key=lambda row: (row.person.name.lower(), row.person.pk))
        else:
            table.rows.sort(key=lambda row: (row.verdict_order, row.person.name.lower(), row.person.pk))
    return [table for table in ordered if table.rows]

"""Team-wide pictures: the heatmap of a manager's reports, and the calibration of managers' ratings.

Both are built from a fixed number of queries whatever the size of the team (people, their latest
manager assessments, those ratings, the expectations of the levels involved), then computed in
memory. Both read assessments through `Assessment.objects.visible_to`, so they never show more
than the viewer may see, and only submitted (or shared) manager assessments count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import mean

from assessments.people.models import Person
from assessments.reports.comparison import Row, effective, readiness_for
from assessments.reports.readiness import Readiness, Verdict
from assessments.reviews.models import Assessment, Rating
from frameworks.models import Capability, Expectation, Level

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
    for assessment in queryset.select_related("level__framework", "level__track", "cycle", "author__user").order_by(
        "subject_id", "-submitted_at", "-pk"
    ):
        latest.setdefault(assessment.subject_id, assessment)
    return latest


def _ratings_by_assessment(assessment_ids) -> dict[int, dict[str, Rating]]:
    found: dict[int, dict[str, Rating]] = {}
    for rating in Rating.objects.filter(assessment_id__in=assessment_ids).select_related(
        "capability__area", "scale_level", "agreed_scale_level"
    ):
        found.setdefault(rating.assessment_id, {})[rating.capability.key] = rating
    return found


def _expectations_by_level(level_ids) -> dict[int, dict[str, Expectation]]:
    found: dict[int, dict[str, Expectation]] = {}
    for expectation in Expectation.objects.filter(level_id__in=level_ids).select_related(
        "capability__area", "scale_level"
    ):
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


def readiness_by_subject(people: list[Person], assessments: dict[int, Assessment]) -> dict[int, Readiness]:
    """subject id → readiness against the level of the manager assessment given for them, as the heatmap computes it.

    Two queries whatever the number of people (their ratings, then the expectations of the levels involved).
    The assessments come from the caller, read through `Assessment.objects.visible_to`.
    """
    chosen = [(person, assessments[person.pk]) for person in people if person.pk in assessments]
    if not chosen:
        return {}
    ratings = _ratings_by_assessment([assessment.pk for _, assessment in chosen])
    level_ids = {assessment.level_id for _, assessment in chosen} | {p.level_id for p, _ in chosen if p.level_id}
    expectations = _expectations_by_level(level_ids)
    return {
        person.pk: _readiness(person, assessment.level, expectations, ratings.get(assessment.pk, {}))
        for person, assessment in chosen
    }


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
    ratings = _ratings_by_assessment([assessment.pk for assessment in latest.values()])
    level_ids = {target.pk for target, _ in targets.values()} | {p.level_id for p in people if p.level_id}
    expectations = _expectations_by_level(level_ids)

    framework_ids = {target.framework_id for target, _ in targets.values()}
    tables: dict[int, FrameworkTable] = {}
    for capability in Capability.objects.filter(framework_id__in=framework_ids).select_related("area", "framework"):
        table = tables.get(capability.framework_id)
        if table is None:
            table = tables[capability.framework_id] = FrameworkTable(capability.framework, [], [])
        table.capabilities.append(capability)
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


# Calibration --------------------------------------------------------------------------------------

OUTLIER_STEPS = 0.5
OUTLIER_MIN_RATINGS = 5


@dataclass
class RaterStats:
    manager: Person | None  # None: the organisation (everyone in scope)
    people: int = 0
    ratings: int = 0
    vs_expectation: float | None = None
    vs_self: float | None = None
    self_pairs: int = 0
    share_above: float | None = None

    @property
    def name(self) -> str:
        return self.manager.name if self.manager else "The organisation"

    @staticmethod
    def _signed(value: float | None) -> str:
        if value is None:
            return ""
        rounded = round(value, 1)
        return "0.0 steps" if rounded == 0 else f"{rounded:+.1f} {'step' if abs(rounded) == 1 else 'steps'}"

    @property
    def vs_expectation_text(self) -> str:
        return self._signed(self.vs_expectation)

    @property
    def vs_self_text(self) -> str:
        return self._signed(self.vs_self)

    @property
    def share_above_text(self) -> str:
        return f"{round(100 * self.share_above)}% of ratings" if self.share_above is not None else ""


@dataclass
class LevelReadiness:
    level_name: str
    framework_name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, verdict: Verdict) -> int:
        return self.counts.get(verdict.value, 0)

    @property
    def ready(self) -> int:
        return self.count(Verdict.READY)

    @property
    def nearly(self) -> int:
        return self.count(Verdict.NEARLY)

    @property
    def not_yet(self) -> int:
        return self.count(Verdict.NOT_YET)


@dataclass
class Calibration:
    raters: list[RaterStats]
    organisation: RaterStats
    outliers: list[str]
    readiness: list[LevelReadiness]


def _stats(manager, diffs_expected, diffs_self, people) -> RaterStats:
    return RaterStats(
        manager=manager,
        people=len(people),
        ratings=len(diffs_expected),
        vs_expectation=mean(diffs_expected) if diffs_expected else None,
        vs_self=mean(diffs_self) if diffs_self else None,
        self_pairs=len(diffs_self),
        share_above=(sum(1 for d in diffs_expected if d > 0) / len(diffs_expected)) if diffs_expected else None,
    )


def _direction(value: float, what: str, level_words: str, *, unit: bool = True) -> str:
    """E.g. "0.8 steps above expectation", "0.1 below", or `level_words` when it rounds to zero."""
    rounded = round(value, 1)
    if rounded == 0:
        return level_words
    steps = (" step" if abs(rounded) == 1 else " steps") if unit else ""
    side = "above" if rounded > 0 else "below"
    return f"{abs(rounded):.1f}{steps} {side}{' ' + what if what else ''}"


def _outliers(raters: list[RaterStats], organisation: RaterStats) -> list[str]:
    """Managers whose average sits at least OUTLIER_STEPS away from the organisation's, in words."""
    sentences = []
    for rater in raters:
        if rater.ratings >= OUTLIER_MIN_RATINGS and rater.vs_expectation is not None:
            org = organisation.vs_expectation or 0.0
            if abs(rater.vs_expectation - org) >= OUTLIER_STEPS:
                mine = _direction(rater.vs_expectation, "expectation", "at expectation")
                theirs = _direction(org, "", "at expectation", unit=False)
                sentences.append(f"{rater.name} rates {mine} on average; the organisation, {theirs}.")
        org_self = organisation.vs_self
        if (
            rater.self_pairs >= OUTLIER_MIN_RATINGS
            and org_self is not None
            and abs(rater.vs_self - org_self) >= OUTLIER_STEPS
        ):
            mine = _direction(rater.vs_self, "their people’s own ratings", "level with their people’s own ratings")
            theirs = _direction(org_self, "", "level", unit=False)
            sentences.append(f"{rater.name} rates {mine} on average; the organisation, {theirs}.")
    return sentences


def _submitted_for_calibration(user, scope: list[int] | None, cycle):
    """(manager assessments newest first per subject, self-assessment pk by (subject, level, cycle)), as far as
    `user` may see them."""
    managers_qs = Assessment.objects.visible_to(user).submitted().filter(kind=Assessment.Kind.MANAGER)
    selves_qs = Assessment.objects.visible_to(user).submitted().filter(kind=Assessment.Kind.SELF)
    if scope is not None:
        managers_qs = managers_qs.filter(subject_id__in=scope)
        selves_qs = selves_qs.filter(subject_id__in=scope)
    if cycle is not None:
        managers_qs = managers_qs.filter(cycle=cycle)
        selves_qs = selves_qs.filter(cycle=cycle)
    manager_assessments = list(
        managers_qs.select_related("author__user", "subject__user", "subject__level", "level__framework").order_by(
            "subject_id", "-submitted_at", "-pk"
        )
    )
    self_by_pair = {
        (a.subject_id, a.level_id, a.cycle_id): a.pk for a in selves_qs.only("pk", "subject", "level", "cycle")
    }
    return manager_assessments, self_by_pair


def _rater_stats(manager_assessments, self_by_pair, ratings, expectations) -> tuple[list[RaterStats], RaterStats]:
    """Each manager's differences from expectation and from their people's own ratings, and the organisation's."""
    per_manager: dict[int, dict] = {}
    everyone = {"expected": [], "self": [], "people": set()}
    for assessment in manager_assessments:
        bucket = per_manager.setdefault(
            assessment.author_id, {"manager": assessment.author, "expected": [], "self": [], "people": set()}
        )
        theirs = ratings.get(self_by_pair.get((assessment.subject_id, assessment.level_id, assessment.cycle_id)), {})
        asked = expectations.get(assessment.level_id, {})
        for key, rating in ratings.get(assessment.pk, {}).items():
            if rating.scale_level is None:
                continue
            for target in (bucket, everyone):
                target["people"].add(assessment.subject_id)
            if key in asked:
                diff = rating.scale_level.rank - asked[key].scale_level.rank
                bucket["expected"].append(diff)
                everyone["expected"].append(diff)
            self_rating = theirs.get(key)
            if self_rating is not None and self_rating.scale_level is not None:
                diff = rating.scale_level.rank - self_rating.scale_level.rank
                bucket["self"].append(diff)
                everyone["self"].append(diff)
    raters = sorted(
        (_stats(b["manager"], b["expected"], b["self"], b["people"]) for b in per_manager.values()),
        key=lambda stats: (stats.name.lower(), stats.manager.pk),
    )
    return raters, _stats(None, everyone["expected"], everyone["self"], everyone["people"])


def _readiness_by_level(manager_assessments, ratings, expectations) -> list[LevelReadiness]:
    """How many people are ready, nearly or not yet, per level, from each person's newest manager assessment."""
    counts: dict[int, Counter] = {}
    levels: dict[int, Level] = {}
    seen_subjects = set()
    for assessment in manager_assessments:  # newest first per subject
        if assessment.subject_id in seen_subjects:
            continue
        seen_subjects.add(assessment.subject_id)
        result = _readiness(assessment.subject, assessment.level, expectations, ratings.get(assessment.pk, {}))
        counts.setdefault(assessment.level_id, Counter())[result.verdict.value] += 1
        levels[assessment.level_id] = assessment.level
    return [
        LevelReadiness(levels[pk].name, levels[pk].framework.name, dict(counts[pk]))
        for pk in sorted(counts, key=lambda pk: (levels[pk].framework.name, levels[pk].grade, levels[pk].name))
    ]


def build_calibration(user, scope: list[int] | None, cycle=None) -> Calibration:
    """Per manager: how their ratings sit against expectations and against their people's own ratings."""
    manager_assessments, self_by_pair = _submitted_for_calibration(user, scope, cycle)
    ratings = _ratings_by_assessment([a.pk for a in manager_assessments] + list(self_by_pair.values()))
    level_ids = {a.level_id for a in manager_assessments} | {
        a.subject.level_id for a in manager_assessments if a.subject.level_id
    }
    expectations = _expectations_by_level(level_ids)
    raters, organisation = _rater_stats(manager_assessments, self_by_pair, ratings, expectations)
    readiness = _readiness_by_level(manager_assessments, ratings, expectations)
    return Calibration(raters, organisation, _outliers(raters, organisation), readiness)

"""Calibration: how each manager's ratings sit against expectations and against their people's own ratings, and
how many people are ready per level — aggregated by the database.

A manager's figures add up the tallies of their submitted manager assessments (`reviews/tallies.py`, one row
per assessment) with GROUP BY; the readiness table counts each person's newest manager assessment's verdict
(`verdicts.py`). Both read assessments through `Assessment.objects.visible_to`, so they never count more than
the viewer may see, and no query returns more rows than a page shows: RATERS_PAGE_SIZE managers, OUTLIERS_SHOWN
outliers, NAMES_SHOWN names per readiness group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FloatField, Q, Sum, Window
from django.db.models.functions import Abs, Cast, Lower, NullIf

from assessments.people.models import Person
from assessments.reports.readiness import Verdict
from assessments.reports.verdicts import managers_below_visible_to, readiness_groups
from assessments.reviews.models import Assessment
from frameworks.models import Level

OUTLIER_STEPS = 0.5
OUTLIER_MIN_RATINGS = 5
RATERS_PAGE_SIZE = 25
OUTLIERS_SHOWN = 10
NAMES_SHOWN = 5
VERDICTS = sorted(Verdict, key=lambda verdict: verdict.order)


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

    @classmethod
    def from_row(cls, manager, row: dict) -> RaterStats:
        ratings, pairs = row["ratings"] or 0, row["pairs"] or 0
        return cls(
            manager=manager,
            people=row["people"],
            ratings=ratings,
            vs_expectation=row["sum_expected"] / ratings if ratings else None,
            vs_self=row["sum_self"] / pairs if pairs else None,
            self_pairs=pairs,
            share_above=row["n_above"] / ratings if ratings else None,
        )


@dataclass
class ReadinessGroup:
    verdict: Verdict
    people: int = 0
    named: list[tuple[int, str]] = field(default_factory=list)  # (person id, name), the first NAMES_SHOWN by name

    @property
    def more(self) -> int:
        return self.people - len(self.named)


@dataclass
class LevelReadiness:
    level_name: str
    framework_name: str
    groups: list[ReadinessGroup]

    @property
    def counts(self) -> dict[str, int]:
        return {group.verdict.value: group.people for group in self.groups if group.people}

    @property
    def total(self) -> int:
        return sum(group.people for group in self.groups)

    def count(self, verdict: Verdict) -> int:
        return next(group.people for group in self.groups if group.verdict == verdict)

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
    raters: list[RaterStats]  # this page of managers, by name
    organisation: RaterStats
    outliers: list[str]
    readiness: list[LevelReadiness]
    page: Page | None = None
    more_outliers: int = 0


# Figures per manager ------------------------------------------------------------------------------

# Summed over the manager assessments themselves (one pass over them, joined to their tallies by primary key).
TALLY_SUMS = {
    "people": Count("subject_id", distinct=True, filter=Q(tally__rated__gt=0)),
    "ratings": Sum("tally__compared"),
    "sum_expected": Sum("tally__sum_vs_expected"),
    "n_above": Sum("tally__above"),
    "pairs": Sum("tally__self_pairs"),
    "sum_self": Sum("tally__sum_vs_self"),
}


def per_author(managers):
    """One row of summed tallies per author of `managers`, by the author's name (a query, sliced by the caller)."""
    return (
        managers.values("author_id")
        .annotate(**TALLY_SUMS, author_name=Lower(F("author__user__full_name")))
        .order_by("author_name", "author_id")
    )


def organisation_stats(managers) -> RaterStats:
    return RaterStats.from_row(None, managers.aggregate(**TALLY_SUMS))


def stats_for(rows) -> list[RaterStats]:
    rows = list(rows)
    authors = Person.objects.select_related("user").in_bulk([row["author_id"] for row in rows])
    return [RaterStats.from_row(authors[row["author_id"]], row) for row in rows]


def _direction(value: float, what: str, level_words: str, *, unit: bool = True) -> str:
    """E.g. "0.8 steps above expectation", "0.1 below", or `level_words` when it rounds to zero."""
    rounded = round(value, 1)
    if rounded == 0:
        return level_words
    steps = (" step" if abs(rounded) == 1 else " steps") if unit else ""
    side = "above" if rounded > 0 else "below"
    return f"{abs(rounded):.1f}{steps} {side}{' ' + what if what else ''}"


def _sentences(rater: RaterStats, organisation: RaterStats) -> list[str]:
    sentences = []
    org = organisation.vs_expectation or 0.0
    if (
        rater.ratings >= OUTLIER_MIN_RATINGS
        and rater.vs_expectation is not None
        and abs(rater.vs_expectation - org) >= OUTLIER_STEPS
    ):
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


def _outliers(managers, organisation: RaterStats) -> tuple[list[str], int]:
    """Sentences for the managers whose average sits at least OUTLIER_STEPS from the organisation's, chosen by the
    database (HAVING); the first OUTLIERS_SHOWN by name, and how many more stand out."""

    def mean(total, count):
        return Cast(total, FloatField()) / Cast(NullIf(count, 0), FloatField())

    near = OUTLIER_STEPS - 1e-9  # Python has the last word on the boundary (`_sentences`)
    ratio, conditions = {}, []
    if organisation.vs_expectation is not None:
        ratio["off_expected"] = Abs(mean("sum_expected", "ratings") - organisation.vs_expectation)
        conditions.append(Q(ratings__gte=OUTLIER_MIN_RATINGS, off_expected__gte=near))
    if organisation.vs_self is not None:
        ratio["off_self"] = Abs(mean("sum_self", "pairs") - organisation.vs_self)
        conditions.append(Q(pairs__gte=OUTLIER_MIN_RATINGS, off_self__gte=near))
    if not conditions:
        return [], 0
    stands_out = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    # How many stand out in all comes with the first rows (a window over the groups HAVING kept), not a second query.
    counted = per_author(managers).annotate(**ratio).filter(stands_out).annotate(outliers=Window(Count("*")))
    rows = list(counted[: max(OUTLIERS_SHOWN, 1)])
    shown = stats_for(rows[:OUTLIERS_SHOWN])
    sentences = [sentence for rater in shown for sentence in _sentences(rater, organisation)]
    return sentences, max(0, rows[0]["outliers"] - OUTLIERS_SHOWN) if rows else 0


# Readiness by level -------------------------------------------------------------------------------


def readiness_by_level(managers) -> list[LevelReadiness]:
    """Ready, Nearly and Not yet per level assessed against, from each person's newest manager assessment in
    `managers`: counts, and the first NAMES_SHOWN people of each group by name."""
    groups = readiness_groups(managers, NAMES_SHOWN)
    levels = Level.objects.select_related("framework").in_bulk({level_id for level_id, *_ in groups})
    lines: dict[int, LevelReadiness] = {}
    for level_id, verdict, people, named in groups:
        level = levels[level_id]
        line = lines.get(level_id)
        if line is None:
            line = lines[level_id] = LevelReadiness(
                level.name, level.framework.name, [ReadinessGroup(v) for v in VERDICTS]
            )
        group = line.groups[verdict]
        group.people, group.named = people, named
    return [
        lines[pk] for pk in sorted(lines, key=lambda pk: (levels[pk].framework.name, levels[pk].grade, levels[pk].name))
    ]


# The page -----------------------------------------------------------------------------------------


def calibration_assessments(user, scope, cycle=None):
    """The submitted manager assessments calibration counts: those `user` may see, about people in `scope` (a
    query of ids; None: everyone), in `cycle` (None: every cycle). The scope is HR's whole organisation or the
    people below a head, so `managers_below_visible_to` answers as `visible_to` would, from the index alone."""
    managers = managers_below_visible_to(user, cycle)
    return managers if scope is None else managers.filter(subject_id__in=scope)


def build_calibration(user, scope, cycle=None, page_number=None) -> Calibration:
    """Per manager (a page of them, by name): how their ratings sit against expectations and against their
    people's own ratings; who stands out; and how many people are ready, per level."""
    managers = calibration_assessments(user, scope, cycle)
    figures = managers.aggregate(**TALLY_SUMS, authors=Count("author_id", distinct=True))
    organisation = RaterStats.from_row(None, figures)
    paginator = Paginator(per_author(managers), RATERS_PAGE_SIZE)
    paginator.count = figures["authors"]  # one row per author: counted with the organisation's figures
    page = paginator.get_page(page_number)
    outliers, more = _outliers(managers, organisation)
    return Calibration(
        raters=stats_for(page.object_list),
        organisation=organisation,
        outliers=outliers,
        readiness=readiness_by_level(managers),
        page=page,
        more_outliers=more,
    )


# Drill-down: one manager's people -----------------------------------------------------------------


@dataclass
class PersonFigures:
    person: Person
    stats: RaterStats
    newest: Assessment | None  # the newest of the manager's assessments of them, for the link to their ratings


def people_rated_by(user, scope, cycle, manager: Person, page_number) -> tuple[RaterStats, Page, list[PersonFigures]]:
    """The manager's own figures, and a page of the people they rated with each person's figures, by name."""
    managers = calibration_assessments(user, scope, cycle).filter(author=manager)
    stats = RaterStats.from_row(manager, managers.aggregate(**TALLY_SUMS))
    rows = (
        managers.values("subject_id")
        .annotate(**TALLY_SUMS, subject_name=Lower(F("subject__user__full_name")))
        .order_by("subject_name", "subject_id")
    )
    page = Paginator(rows, RATERS_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    ids = [row["subject_id"] for row in rows]
    people = Person.objects.with_related().in_bulk(ids)
    newest = {}
    for assessment in (
        managers.filter(subject_id__in=ids)
        .select_related("level", "cycle")
        .order_by("subject_id", "-submitted_at", "-pk")
    ):
        newest.setdefault(assessment.subject_id, assessment)
    figures = [
        PersonFigures(people[pk], RaterStats.from_row(people[pk], row), newest.get(pk))
        for pk, row in zip(ids, rows, strict=True)
    ]
    return stats, page, figures

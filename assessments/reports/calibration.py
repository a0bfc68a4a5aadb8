# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
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
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Lower

from assessments.people.models import Person
from assessments.reports.readiness import Verdict
from assessments.reports.verdicts import managers_below_visible_to, readiness_groups
from assessments.reviews.models import Assessment
from assessments.reviews.tallies import RatingTally
from assessments.reviews.verdict_sql import sql_of
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

# The drill-down's sums per person, in the ORM; the same sums per manager and for the organisation are SUMS_SQL.
TALLY_SUMS = {
    "people": Count("subject_id", distinct=True, filter=Q(tally__rated__gt=0)),
    "ratings": Sum("tally__compared"),
    "sum_expected": Sum("tally__sum_vs_expected"),
    "n_above": Sum("tally__above"),
    "pairs": Sum("tally__self_pairs"),
    "sum_self": Sum("tally__sum_vs_self"),
}

# Summed in SQL over the manager assessments joined to their tallies, a cycle's tallies read by its index rather than
# every cycle's hashed.
FIGURES = ("people", "ratings", "sum_expected", "n_above", "pairs", "sum_self")
SUMS_SQL = """
    COUNT(DISTINCT CASE WHEN t.rated > 0 THEN m.subject_id END) AS people, SUM(t.compared) AS ratings,
    SUM(t.sum_vs_expected) AS sum_expected, SUM(t.above) AS n_above, SUM(t.self_pairs) AS pairs,
    SUM(t.sum_vs_self) AS sum_self
"""
NO_ASSESSMENTS = (
    "SELECT CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS author_id, CAST(NULL AS INTEGER) AS subject_id "
    "WHERE 1 = 0"
)


def _tallied(managers, cycle) -> tuple[str, list]:
    """(SQL, params) of a FROM clause: the assessments of `managers` as `m` (id, author_id, subject_id), each with
    its tally as `t` (NULLs when it has none). `cycle`: the one cycle `managers` are in, or None."""
    inner, params = sql_of(managers.order_by().values("id", "author_id", "subject_id"), NO_ASSESSMENTS)
    params, on = list(params), "t.assessment_id = m.id"
    if cycle is not None:
        params, on = [*params, cycle.pk], on + " AND t.cycle_id = %s"
    return f"({inner}) m LEFT JOIN {RatingTally._meta.db_table} t ON {on}", params


def _named_per_author(managers, cycle) -> tuple[str, list]:
    """(SQL, params) of a WITH clause ending in `named`: one row per author of `managers` (author_id, FIGURES,
    sort_name), the tallies summed per author first and named after (~2,600 authors at 20,000 people, rather than
    every assessment joined to its author's name before grouping)."""
    tallied, params = _tallied(managers, cycle)
    person, user = Person._meta.db_table, Person._meta.get_field("user").related_model._meta.db_table
    sql = f"""
        WITH per_author AS (SELECT m.author_id, {SUMS_SQL} FROM {tallied} GROUP BY m.author_id),
        named AS MATERIALIZED (
            SELECT a.*, LOWER(u.full_name) AS sort_name FROM per_author a
            JOIN {person} p ON p.id = a.author_id
            JOIN {user} u ON u.id = p.user_id
        )
    """
    return sql, params


def _dicts(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def organisation_figures(managers, cycle=None) -> dict:
    """FIGURES summed over every assessment of `managers` (in `cycle`), and how many authors wrote them."""
    tallied, params = _tallied(managers, cycle)
    return _dicts(f"SELECT {SUMS_SQL}, COUNT(DISTINCT m.author_id) AS authors FROM {tallied}", params)[0]


def _stats(rows: list[dict]) -> list[RaterStats]:
    authors = Person.objects.select_related("user").in_bulk({row["author_id"] for row in rows})
    return [RaterStats.from_row(authors[row["author_id"]], row) for row in rows]


def raters_by_name(managers, cycle=None) -> list[RaterStats]:
    """Every author of `managers` (in `cycle`) with their figures, by name: the CSV's rows."""
    named, params = _named_per_author(managers, cycle)
    columns = ", ".join(FIGURES)
    return _stats(_dicts(f"{named} SELECT author_id, {columns} FROM named ORDER BY sort_name, author_id", params))


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


def _stands_out(organisation: RaterStats) -> tuple[str, list]:
    """(SQL, params) of a condition on a manager's summed figures: their average sits at least OUTLIER_STEPS from
    the organisation's ("" when the organisation has no average to stand out from)."""
    near = OUTLIER_STEPS - 1e-9  # Python has the last word on the boundary (`_sentences`)
    conditions, params = [], []
    for total, count, org in (
        ("sum_expected", "ratings", organisation.vs_expectation),
        ("sum_self", "pairs", organisation.vs_self),
    ):
        if org is not None:
            mean = f"CAST({total} AS DOUBLE PRECISION) / CAST(NULLIF({count}, 0) AS DOUBLE PRECISION)"
            conditions.append(f"({count} >= %s AND ABS({mean} - %s) >= %s)")
            params += [OUTLIER_MIN_RATINGS, org, near]
    return " OR ".join(conditions), params


def _page_and_outliers(managers, cycle, organisation: RaterStats, page: Page) -> tuple[list[dict], list[dict]]:
    """The rows of `page` (managers by name) and of the first OUTLIERS_SHOWN outliers by name (each with how many
    stand out in all), in one statement: the per-author figures computed once (`_named_per_author`), sliced twice."""
    named, params = _named_per_author(managers, cycle)
    columns = ", ".join(FIGURES)
    sql = f"""
        {named}
        SELECT * FROM (
            SELECT 0 AS part, author_id, {columns}, 0 AS outliers,
                   ROW_NUMBER() OVER (ORDER BY sort_name, author_id) AS place
            FROM named ORDER BY sort_name, author_id LIMIT %s OFFSET %s
        ) page
    """
    params += [page.paginator.per_page, page.start_index() - 1 if page.object_list else 0]
    stands_out, condition_params = _stands_out(organisation)
    if stands_out:
        sql += f"""
        UNION ALL
        SELECT * FROM (
            SELECT 1 AS part, author_id, {columns}, COUNT(*) OVER () AS outliers,
                   ROW_NUMBER() OVER (ORDER BY sort_name, author_id) AS place
            FROM named WHERE {stands_out} ORDER BY sort_name, author_id LIMIT %s
        ) outliers
        """
        params += [*condition_params, max(OUTLIERS_SHOWN, 1)]
    rows = sorted(_dicts(sql, params), key=lambda row: (row["part"], row["place"]))
    return [row for row in rows if row["part"] == 0], [row for row in rows if row["part"] == 1]


# Readiness by level -------------------------------------------------------------------------------


def readiness_by_level(managers, cycle=None) -> list[LevelReadiness]:
    """Ready, Nearly and Not yet per level assessed against, from each person's newest manager assessment in
    `managers` (in `cycle`, when they are all of one): counts, and the first NAMES_SHOWN people of each group by
    name."""
    groups = readiness_groups(managers, NAMES_SHOWN, cycle)
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
    figures = organisation_figures(managers, cycle)
    organisation = RaterStats.from_row(None, figures)
    # One row per author, counted with the organisation's figures; the page's rows come with the outliers.
    page = Paginator(range(figures["authors"]), RATERS_PAGE_SIZE).get_page(page_number)
    raters, outliers, more = [], [], 0
    if figures["authors"]:
        page_rows, outlier_rows = _page_and_outliers(managers, cycle, organisation, page)
        stats = _stats(page_rows + outlier_rows[:OUTLIERS_SHOWN])  # both lists' names in one query
        raters, standing_out = stats[: len(page_rows)], stats[len(page_rows) :]
        outliers = [sentence for rater in standing_out for sentence in _sentences(rater, organisation)]
        more = max(0, outlier_rows[0]["outliers"] - OUTLIERS_SHOWN) if outlier_rows else 0
    page.object_list = raters
    return Calibration(
        raters=raters,
        organisation=organisation,
        outliers=outliers,
        readiness=readiness_by_level(managers, cycle),
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

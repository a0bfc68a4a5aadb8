# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
"""The readiness verdict of each person's newest manager assessment, computed by the database.

The same rule as `readiness.py` (which stays the one place that words it and gives the reasons), written as one
aggregate: each person's newest submitted manager assessment the viewer may see (a window function), its
ratings (the agreed rating when there is one) joined to what the target level expects and, by capability key,
to what the person's current level expects; summed per assessment into the rule's counts, and turned into
Ready (0), Nearly (1) or Not yet (2) — `Verdict.order`. Joins and GROUP BY only, no subquery per row, the same
SQL on SQLite and PostgreSQL; `tests/assessments/test_calibration_sql.py` compares it with `readiness.assess`.

Computed when asked rather than kept in a table: a verdict changes with the agreed outcome and with the
person's current level (a move by HR, an import, a new framework version), and reading only the newest
assessment per person costs the scope's people × capabilities, never the history of every review.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.functions import Lower

from assessments.people.models import Person
from assessments.reports.readiness import VerdictSummary, summarise
from assessments.reviews.models import Assessment, Rating
from assessments.reviews.verdict import Verdict
from frameworks.models import Capability, Expectation, Framework, Level, ScaleLevel

NO_VERDICT = 3  # sorts after Not yet: no submitted manager assessment to go by


def _tables() -> dict[str, str]:
    return {
        "person": Person._meta.db_table,
        "rating": Rating._meta.db_table,
        "expectation": Expectation._meta.db_table,
        "capability": Capability._meta.db_table,
        "scale": ScaleLevel._meta.db_table,
        "level": Level._meta.db_table,
        "framework": Framework._meta.db_table,
    }


def _sql_of(queryset, empty: str) -> tuple[str, tuple]:
    """(SQL, params) of a values() queryset, to use as a derived table; `empty` (a SELECT of no rows with the same
    columns) when Django knows it can match nothing and so writes no SQL for it."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return empty, ()


def latest_sql(managers) -> tuple[str, list]:
    """(SQL, params) of `latest`: (id, subject_id, level_id), the newest of `managers` (a queryset of submitted
    manager assessments) per person, as the heatmap picks it (newest submitted_at, then highest id)."""
    inner, params = _sql_of(
        managers.order_by().values("id", "subject_id", "level_id", "submitted_at"),
        "SELECT CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS subject_id, CAST(NULL AS INTEGER) AS level_id, "
        "CAST(NULL AS TIMESTAMP) AS submitted_at WHERE 1 = 0",
    )
    if connection.vendor == "postgresql":
        # DISTINCT ON lets the planner estimate one row per person (a window's filter it guesses at a few dozen,
        # and then plans nested loops over thousands of rows).
        sql = f"""
            SELECT DISTINCT ON (v.subject_id) v.id, v.subject_id, v.level_id
            FROM ({inner}) v ORDER BY v.subject_id, v.submitted_at DESC, v.id DESC
        """
    else:
        sql = f"""
            SELECT id, subject_id, level_id FROM (
                SELECT v.id, v.subject_id, v.level_id,
                       ROW_NUMBER() OVER (PARTITION BY v.subject_id ORDER BY v.submitted_at DESC, v.id DESC) AS newest
                FROM ({inner}) v
            ) ranked WHERE newest = 1
        """
    return sql, list(params)


EFFECTIVE = (
    "CASE WHEN r.agreed_not_applicable THEN NULL WHEN r.agreed_scale_level_id IS NOT NULL THEN ag.rank ELSE rs.rank END"
)
NOT_APPLICABLE = (
    "CASE WHEN r.agreed_not_applicable THEN 1 WHEN r.agreed_scale_level_id IS NOT NULL THEN 0 "
    "WHEN r.not_applicable THEN 1 ELSE 0 END"
)


def _standings_sql(t: dict) -> str:
    """Each rating (the agreed one when there is one) of the `latest` assessments, with what the target asks for.
    A capability the target asks for with no rating row at all is counted from `asks` in `verdicts_sql`, rather
    than found by an anti-join per row."""
    return f"""
        SELECT l.id AS assessment_id, l.subject_id, l.level_id, r.capability_id, te.rank AS t_rank,
               {EFFECTIVE} AS rating, {NOT_APPLICABLE} AS na
        FROM latest l
        JOIN {t["rating"]} r ON r.assessment_id = l.id
        LEFT JOIN {t["scale"]} rs ON rs.id = r.scale_level_id
        LEFT JOIN {t["scale"]} ag ON ag.id = r.agreed_scale_level_id
        LEFT JOIN {t["expectation"]} e ON e.level_id = l.level_id AND e.capability_id = r.capability_id
        LEFT JOIN {t["scale"]} te ON te.id = e.scale_level_id
    """


def _scored_sql(t: dict) -> str:
    """The standings with what the current level asks for, by capability key (nothing when it is the target, or
    not set), and the target framework's rule."""
    return f"""
        SELECT st.assessment_id, st.t_rank, st.rating, st.na, now.rank AS n_rank,
               f.readiness_target_share AS share, f.readiness_max_steps_below AS allowed,
               f.readiness_requires_current_level AS needs_current
        FROM standings st
        JOIN {t["person"]} p ON p.id = st.subject_id
        JOIN {t["level"]} tl ON tl.id = st.level_id
        JOIN {t["framework"]} f ON f.id = tl.framework_id
        JOIN {t["capability"]} c ON c.id = st.capability_id
        LEFT JOIN (
            SELECT ne.level_id, nc.key, ns.rank
            FROM {t["expectation"]} ne
            JOIN {t["capability"]} nc ON nc.id = ne.capability_id
            JOIN {t["scale"]} ns ON ns.id = ne.scale_level_id
        ) now ON now.level_id = p.level_id AND p.level_id <> st.level_id AND now.key = c.key
    """


def _counts_sql() -> str:
    """Per assessment, the counts the rule needs (see `readiness.assess`)."""
    asked = "sc.t_rank IS NOT NULL AND sc.na = 0"
    return f"""
        SELECT sc.assessment_id,
               SUM(CASE WHEN sc.t_rank IS NOT NULL THEN 1 ELSE 0 END) AS with_row,
               SUM(CASE WHEN {asked} THEN 1 ELSE 0 END) AS asked,
               SUM(CASE WHEN {asked} AND sc.rating >= sc.t_rank THEN 1 ELSE 0 END) AS met,
               SUM(CASE WHEN {asked} AND sc.rating < sc.t_rank THEN 1 ELSE 0 END) AS below_target,
               SUM(CASE WHEN {asked} AND sc.t_rank - sc.rating > sc.allowed THEN 1 ELSE 0 END) AS too_far,
               SUM(CASE WHEN {asked} AND sc.t_rank - sc.rating > sc.allowed + 1 THEN 1 ELSE 0 END) AS far_beyond,
               SUM(CASE WHEN sc.rating IS NULL AND sc.na = 0
                         AND (sc.t_rank IS NOT NULL OR (sc.needs_current AND sc.n_rank IS NOT NULL))
                        THEN 1 ELSE 0 END) AS unrated,
               SUM(CASE WHEN sc.needs_current AND sc.n_rank IS NOT NULL AND sc.na = 0 AND sc.rating < sc.n_rank
                        THEN 1 ELSE 0 END) AS below_current,
               MAX(sc.share) AS share, MAX(sc.allowed) AS allowed
        FROM scored sc
        GROUP BY sc.assessment_id
    """


def verdicts_sql(managers) -> tuple[str, list]:
    """(SQL, params) of rows (assessment_id, subject_id, level_id, verdict, asked, met, below_target, below_current,
    unrated) for the newest of `managers` per person: the verdict and the counts its headline needs."""
    latest, params = latest_sql(managers)
    t = _tables()
    asks = f"SELECT level_id, COUNT(*) AS asked FROM {t['expectation']} GROUP BY level_id"
    # Asked for but without a rating row: asked, and unrated. needed = ceil(asked × share / 100), in integers.
    missing = "(COALESCE(n.asked, 0) - k.with_row)"
    short = f"((k.asked + {missing}) * k.share + 99) / 100 - k.met"
    sql = f"""
        WITH latest AS ({latest}), standings AS ({_standings_sql(t)}), scored AS ({_scored_sql(t)}),
             counts AS MATERIALIZED ({_counts_sql()})
        SELECT l.id AS assessment_id, l.subject_id, l.level_id,
               CASE WHEN k.below_current = 0 AND {short} <= 0 AND k.too_far = 0 AND k.unrated + {missing} = 0 THEN 0
                    WHEN k.below_current = 0 AND {short} <= 2 AND k.far_beyond = 0 THEN 1
                    ELSE 2 END AS verdict,
               k.asked + {missing} AS asked, k.met, k.below_target, k.below_current, k.unrated + {missing} AS unrated
        FROM latest l
        JOIN counts k ON k.assessment_id = l.id
        LEFT JOIN ({asks}) n ON n.level_id = l.level_id
    """
    return sql, params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def verdicts_for(managers) -> dict[int, int]:
    """subject id → verdict order, for each person with a submitted manager assessment among `managers`.

    For tests and small scopes: one row per person."""
    sql, params = verdicts_sql(managers)
    return {row[1]: row[3] for row in _rows(sql, params)}


def verdict_summaries(managers) -> dict[int, VerdictSummary]:
    """subject id → the verdict of their newest assessment among `managers` and its headline, from the database's
    counts: one query, one row per person (the rows a page shows; no rating reaches Python)."""
    sql, params = verdicts_sql(managers)
    t = _tables()
    rows = _rows(
        f"""
        WITH verdicts AS ({sql})
        SELECT v.subject_id, v.verdict, v.asked, v.met, v.below_target, v.below_current, v.unrated,
               tl.name, cl.name
        FROM verdicts v
        JOIN {t["level"]} tl ON tl.id = v.level_id
        JOIN {t["person"]} p ON p.id = v.subject_id
        LEFT JOIN {t["level"]} cl ON cl.id = p.level_id AND p.level_id <> v.level_id
        """,
        params,
    )
    verdicts = list(Verdict)
    return {
        subject_id: summarise(
            verdicts[verdict],
            target,
            current,
            asked=asked,
            met=met,
            below_target=below,
            below_current=below_current,
            unrated=unrated,
        )  # fmt: skip
        for subject_id, verdict, asked, met, below, below_current, unrated, target, current in rows
    }


def readiness_groups(managers, names: int) -> list[tuple[int, int, int, list[tuple[int, str]]]]:
    """(level id, verdict, people, up to `names` (person id, name) by name) per level and verdict.

    At most levels × 3 × `names` rows, whatever the number of people."""
    sql, params = verdicts_sql(managers)
    person, user = Person._meta.db_table, Person._meta.get_field("user").related_model._meta.db_table
    rows = _rows(
        f"""
        WITH verdicts AS ({sql})
        SELECT level_id, verdict, people, subject_id, full_name FROM (
            SELECT v.level_id, v.verdict, v.subject_id, u.full_name,
                   COUNT(*) OVER (PARTITION BY v.level_id, v.verdict) AS people,
                   ROW_NUMBER() OVER (PARTITION BY v.level_id, v.verdict ORDER BY u.full_name, v.subject_id) AS place
            FROM verdicts v
            JOIN {person} p ON p.id = v.subject_id
            JOIN {user} u ON u.id = p.user_id
        ) named WHERE place <= %s
        ORDER BY level_id, verdict, place
        """,
        [*params, names],
    )
    groups: dict[tuple[int, int], tuple[int, list]] = {}
    for level_id, verdict, people, subject_id, name in rows:
        groups.setdefault((level_id, verdict), (people, []))[1].append((subject_id, name))
    return [(level_id, verdict, people, named) for (level_id, verdict), (people, named) in groups.items()]


def people_by_verdict_sql(people, managers) -> tuple[str, list]:
    """(SQL, params) of the ids of `people` (a queryset) ordered by verdict (Ready first, no verdict last), then
    name; the caller appends LIMIT/OFFSET."""
    verdicts, verdict_params = verdicts_sql(managers)
    named = people.order_by().annotate(sort_name=Lower("user__full_name")).values("id", "sort_name")
    inner, people_params = _sql_of(
        named, "SELECT CAST(NULL AS INTEGER) AS id, CAST(NULL AS VARCHAR(1)) AS sort_name WHERE 1 = 0"
    )
    sql = f"""
        WITH verdicts AS ({verdicts})
        SELECT ppl.id FROM ({inner}) ppl
        LEFT JOIN verdicts v ON v.subject_id = ppl.id
        ORDER BY COALESCE(v.verdict, {NO_VERDICT}), ppl.sort_name, ppl.id
    """
    return sql, [*verdict_params, *people_params]


class PeopleByVerdict:
    """`people` in verdict order, sliced by the database: what a Paginator needs (count and slices), so the
    heatmap's verdict sort runs across pages without reading the scope into Python."""

    def __init__(self, people, managers):
        self.people = people
        self.managers = managers

    def count(self) -> int:
        return self.people.count()

    def __getitem__(self, window: slice) -> list[Person]:
        sql, params = people_by_verdict_sql(self.people, self.managers)
        size = window.stop - window.start
        ids = [row[0] for row in _rows(f"{sql} LIMIT %s OFFSET %s", [*params, size, window.start])]
        found = self.people.in_bulk(ids)
        return [found[pk] for pk in ids]


def managers_visible_to(user, subjects=None, cycle=None):
    """The submitted manager assessments `user` may see (of `subjects`, a queryset of ids, and in `cycle`)."""
    managers = Assessment.objects.visible_to(user).submitted().filter(kind=Assessment.Kind.MANAGER)
    if subjects is not None:
        managers = managers.filter(subject_id__in=subjects)
    if cycle is not None:
        managers = managers.filter(cycle=cycle)
    return managers

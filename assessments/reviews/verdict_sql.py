# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
"""The readiness verdict of manager assessments, computed by the database, and its stored copy (`VerdictTally`).

The same rule as `reports/readiness.py` (which stays the one place that words it and gives the reasons), written
as one aggregate: each assessment's ratings (the agreed rating when there is one) joined to what its target level
expects and, by capability key, to what the person's current level expects; summed per assessment into the rule's
counts, and turned into Ready (0), Nearly (1) or Not yet (2) — `Verdict.order`. Joins and GROUP BY only, no
subquery per row, the same SQL on SQLite and PostgreSQL; `tests/assessments/test_calibration_sql.py` compares it
with `readiness.assess`.

Ordering a whole organisation by verdict (the heatmap) or counting it per level (calibration) would compute this
over every newest assessment in scope on every page view (30,000 ratings at 2,000 people, 300,000 at 20,000), so
each submitted manager assessment's verdict and counts are kept in `VerdictTally`, refreshed by the actions that
change them (`Assessment._transition`: submit, share, undo; the agreed outcome; the recommendation), in their
transaction. A verdict also depends on the person's current level (HR moves people), so a tally row records the
assessment's revision and the person's level it was computed for: a row that no longer matches either is not
used, and that assessment's verdict is computed from its ratings in the same query (`verdicts_sql`). Published
levels and rules never change (`Framework.CONTENT_FIELDS`), so nothing else can make a row wrong.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction

from assessments.people.models import Person
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from frameworks.models import Capability, Expectation, Framework, Level, ScaleLevel


class VerdictTally(models.Model):
    """The verdict of one submitted manager assessment, and the counts its headline says (see `verdicts_sql`)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, primary_key=True, related_name="verdict")
    # The assessment's cycle (which never changes), so that one cycle's verdicts are read by index, not all hashed.
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    revision = models.PositiveIntegerField(help_text="The assessment's revision it was computed for.")
    person_level = models.ForeignKey(
        Level, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text="The person's current level it was computed for (none: no level).",
    )  # fmt: skip
    verdict = models.PositiveSmallIntegerField(help_text="0 Ready, 1 Nearly, 2 Not yet (Verdict.order).")
    asked = models.PositiveIntegerField()
    met = models.PositiveIntegerField()
    below_target = models.PositiveIntegerField()
    below_current = models.PositiveIntegerField()
    unrated = models.PositiveIntegerField()

    class Meta:
        verbose_name = "verdict tally"

    def __str__(self):
        return f"Verdict of assessment {self.assessment_id}"


COUNTS = ("verdict", "asked", "met", "below_target", "below_current", "unrated")
COLUMNS = ", ".join(("assessment_id", "subject_id", "level_id", *COUNTS))


def _tables() -> dict[str, str]:
    return {
        "assessment": Assessment._meta.db_table,
        "person": Person._meta.db_table,
        "rating": Rating._meta.db_table,
        "expectation": Expectation._meta.db_table,
        "capability": Capability._meta.db_table,
        "scale": ScaleLevel._meta.db_table,
        "level": Level._meta.db_table,
        "framework": Framework._meta.db_table,
        "tally": VerdictTally._meta.db_table,
    }


def sql_of(queryset, empty: str) -> tuple[str, tuple]:
    """(SQL, params) of a values() queryset, to use as a derived table; `empty` (a SELECT of no rows with the same
    columns) when Django knows it can match nothing and so writes no SQL for it."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return empty, ()


def latest_sql(managers) -> tuple[str, list]:
    """(SQL, params) of `latest`: (id, subject_id, level_id, revision), the newest of `managers` (a queryset of
    submitted manager assessments) per person, as the heatmap picks it (newest submitted_at, then highest id)."""
    inner, params = sql_of(
        managers.order_by().values("id", "subject_id", "level_id", "revision", "submitted_at"),
        "SELECT CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS subject_id, CAST(NULL AS INTEGER) AS level_id, "
        "CAST(NULL AS INTEGER) AS revision, CAST(NULL AS TIMESTAMP) AS submitted_at WHERE 1 = 0",
    )
    if connection.vendor == "postgresql":
        # DISTINCT ON lets the planner estimate one row per person (a window's filter it guesses at a few dozen,
        # and then plans nested loops over thousands of rows).
        sql = f"""
            SELECT DISTINCT ON (v.subject_id) v.id, v.subject_id, v.level_id, v.revision
            FROM ({inner}) v ORDER BY v.subject_id, v.submitted_at DESC, v.id DESC
        """
    else:
        sql = f"""
            SELECT id, subject_id, level_id, revision FROM (
                SELECT v.id, v.subject_id, v.level_id, v.revision,
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


def _standings_sql(t: dict, source: str) -> str:
    """Each rating (the agreed one when there is one) of the `source` assessments, with what the target asks for.
    A capability the target asks for with no rating row at all is counted from `asks` in `computed_sql`, rather
    than found by an anti-join per row."""
    return f"""
        SELECT l.id AS assessment_id, l.subject_id, l.level_id, r.capability_id, te.rank AS t_rank,
               {EFFECTIVE} AS rating, {NOT_APPLICABLE} AS na
        FROM {source} l
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


def computed_ctes(source: str) -> str:
    """CTEs (to follow a WITH clause that defines `source`: id, subject_id, level_id) ending in `computed`: COLUMNS
    for each `source` assessment, its verdict computed from its ratings."""
    t = _tables()
    asks = f"SELECT level_id, COUNT(*) AS asked FROM {t['expectation']} GROUP BY level_id"
    # Asked for but without a rating row: asked, and unrated. needed = ceil(asked × share / 100), in integers.
    missing = "(COALESCE(n.asked, 0) - k.with_row)"
    short = f"((k.asked + {missing}) * k.share + 99) / 100 - k.met"
    return f"""
        standings AS ({_standings_sql(t, source)}), scored AS ({_scored_sql(t)}),
        counts AS MATERIALIZED ({_counts_sql()}),
        computed AS (
            SELECT l.id AS assessment_id, l.subject_id, l.level_id,
                   CASE WHEN k.below_current = 0 AND {short} <= 0 AND k.too_far = 0 AND k.unrated + {missing} = 0
                        THEN 0
                        WHEN k.below_current = 0 AND {short} <= 2 AND k.far_beyond = 0 THEN 1
                        ELSE 2 END AS verdict,
                   k.asked + {missing} AS asked, k.met, k.below_target, k.below_current,
                   k.unrated + {missing} AS unrated
            FROM {source} l
            JOIN counts k ON k.assessment_id = l.id
            LEFT JOIN ({asks}) n ON n.level_id = l.level_id
        )
    """


def stored_still_matches(person: str = "p") -> str:
    """SQL: the stored verdict `s` still holds for the assessment `l` and the person `person`: computed for the
    assessment's revision and for the level the person has now (or for no level, when they have none)."""
    return (
        f"s.revision = l.revision AND (s.person_level_id = {person}.level_id"
        f" OR (s.person_level_id IS NULL AND {person}.level_id IS NULL))"
    )


def verdicts_sql(managers) -> tuple[str, list]:
    """(SQL, params) of rows (COLUMNS) for the newest of `managers` per person: the verdict and the counts its
    headline needs. Read from `VerdictTally` where its row still matches; computed from the ratings otherwise."""
    latest, params = latest_sql(managers)
    t = _tables()
    sql = f"""
        WITH latest AS ({latest}),
        stored AS MATERIALIZED (
            SELECT l.id AS assessment_id, l.subject_id, l.level_id, s.verdict, s.asked, s.met, s.below_target,
                   s.below_current, s.unrated
            FROM latest l
            JOIN {t["person"]} p ON p.id = l.subject_id
            JOIN {t["tally"]} s ON s.assessment_id = l.id AND {stored_still_matches()}
        ),
        stale AS MATERIALIZED (
            SELECT l.id, l.subject_id, l.level_id FROM latest l
            WHERE NOT EXISTS (SELECT 1 FROM stored WHERE stored.assessment_id = l.id)
        ),
        {computed_ctes("stale")}
        SELECT {COLUMNS} FROM computed
        UNION ALL
        SELECT {COLUMNS} FROM stored
    """
    return sql, params


def _chosen(assessments) -> tuple[str, list]:
    """(SQL, params) of `chosen`: the submitted manager assessments among `assessments` (None: every one)."""
    done = ", ".join(f"'{status}'" for status in Assessment.SUBMITTED_STATUSES)
    sql = f"SELECT a.id, a.subject_id, a.level_id FROM {_tables()['assessment']} a "
    sql += f"WHERE a.kind = 'manager' AND a.status IN ({done})"
    if assessments is None:
        return sql, []
    ids = [getattr(assessment, "pk", assessment) for assessment in assessments]
    return sql + " AND a.id IN (" + ", ".join(["%s"] * len(ids)) + ")", ids


def computed_verdicts(assessments=None) -> dict[int, tuple]:
    """assessment id → COUNTS computed from the ratings now, for the submitted manager assessments among
    `assessments` (None: every one). What `refresh_verdicts` stores; the tests compare the two."""
    chosen, params = _chosen(assessments)
    if assessments is not None and not params:
        return {}
    with connection.cursor() as cursor:
        counts = ", ".join(COUNTS)
        cursor.execute(
            f"WITH chosen AS ({chosen}), {computed_ctes('chosen')} SELECT assessment_id, {counts} FROM computed", params
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def refresh_verdicts(assessments=None) -> None:
    """Recompute the stored verdicts of `assessments` (Assessment objects or ids; None: every submitted manager
    assessment). Call it inside the transaction of the change."""
    t = _tables()
    chosen, params = _chosen(assessments)
    if assessments is not None and not params:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if assessments is None:
            cursor.execute(f"DELETE FROM {t['tally']}")
        else:
            marks = ", ".join(["%s"] * len(params))
            cursor.execute(f"DELETE FROM {t['tally']} WHERE assessment_id IN ({marks})", params)
        cursor.execute(
            f"""
            WITH chosen AS ({chosen}), {computed_ctes("chosen")}
            INSERT INTO {t["tally"]} (assessment_id, cycle_id, revision, person_level_id, {", ".join(COUNTS)})
            SELECT c.assessment_id, a.cycle_id, a.revision, p.level_id, {", ".join(f"c.{name}" for name in COUNTS)}
            FROM computed c
            JOIN {t["assessment"]} a ON a.id = c.assessment_id
            JOIN {t["person"]} p ON p.id = c.subject_id
            """,
            params,
        )

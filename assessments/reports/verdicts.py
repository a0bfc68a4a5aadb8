# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
"""The readiness verdict of each person's newest manager assessment, read from the database for the team pages.

The verdict's SQL and its stored copy live in `reviews/verdict_sql.py` (the actions that change a verdict keep
it there); here are the questions the pages ask of it: each person's verdict and headline, counts per level
and verdict, and people ordered by verdict a page at a time. `tests/assessments/test_calibration_sql.py`
compares the answers with `readiness.assess`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower

from assessments.people.models import Person, Scope
from assessments.reports.readiness import VerdictSummary, summarise
from assessments.reviews.models import Assessment
from assessments.reviews.verdict import Verdict
from assessments.reviews.verdict_sql import (
    COUNTS,
    VerdictTally,
    computed_ctes,
    computed_verdicts,
    latest_sql,
    sql_of,
    stored_still_matches,
    verdicts_sql,
)
from frameworks.models import Level

NO_VERDICT = 3  # sorts after Not yet: no submitted manager assessment to go by


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
    counts: one row per person (the rows a page shows; no rating reaches Python).

    The stored verdict where it still matches, in one plain join; the few that do not are computed from their
    ratings in a second statement, only when there are some. `verdicts_sql` does both in one statement, which
    PostgreSQL takes longer to plan (8 ms) than a team's few rows take to read."""
    latest, params = latest_sql(managers)
    person, level, tally = Person._meta.db_table, Level._meta.db_table, VerdictTally._meta.db_table
    counts = ", ".join(f"s.{column}" for column in COUNTS)
    rows = _rows(
        f"""
        WITH latest AS ({latest})
        SELECT l.id, l.subject_id, s.assessment_id, {counts}, tl.name, cl.name
        FROM latest l
        JOIN {level} tl ON tl.id = l.level_id
        JOIN {person} p ON p.id = l.subject_id
        LEFT JOIN {tally} s ON s.assessment_id = l.id AND {stored_still_matches()}
        LEFT JOIN {level} cl ON cl.id = p.level_id AND p.level_id <> l.level_id
        """,
        params,
    )
    stale = [row[0] for row in rows if row[2] is None]
    computed = computed_verdicts(stale) if stale else {}
    verdicts = list(Verdict)
    summaries = {}
    for assessment_id, subject_id, stored, *found, target, current in rows:
        verdict, asked, met, below, below_current, unrated = found if stored is not None else computed[assessment_id]
        summaries[subject_id] = summarise(
            verdicts[verdict],
            target,
            current,
            asked=asked,
            met=met,
            below_target=below,
            below_current=below_current,
            unrated=unrated,
        )  # fmt: skip
    return summaries


def readiness_groups(managers, names: int, cycle=None) -> list[tuple[int, int, int, list[tuple[int, str]]]]:
    """(level id, verdict, people, up to `names` (person id, name) by name) per level and verdict, from the newest
    of `managers` (in `cycle`, when they are all of one) per person.

    At most levels × 3 × `names` rows, whatever the number of people. One pass joins each newest assessment to
    its person's name and to its stored verdict (read by cycle, not every cycle's hashed); the few stored rows
    that no longer match are computed from their ratings apart (`computed_ctes` over `stale`)."""
    latest, params = latest_sql(managers)
    person, user = Person._meta.db_table, Person._meta.get_field("user").related_model._meta.db_table
    by_cycle = ""
    if cycle is not None:
        by_cycle, params = " AND s.cycle_id = %s", [*params, cycle.pk]
    verdict = "COALESCE(n.verdict, c.verdict)"
    rows = _rows(
        f"""
        WITH latest AS MATERIALIZED ({latest}),
        named AS MATERIALIZED (
            SELECT l.id, l.subject_id, l.level_id, u.full_name, s.verdict
            FROM latest l
            JOIN {person} p ON p.id = l.subject_id
            JOIN {user} u ON u.id = p.user_id
            LEFT JOIN {VerdictTally._meta.db_table} s ON s.assessment_id = l.id AND {stored_still_matches()}{by_cycle}
        ),
        stale AS MATERIALIZED (SELECT id, subject_id, level_id FROM named WHERE verdict IS NULL),
        {computed_ctes("stale")}
        SELECT level_id, verdict, people, subject_id, full_name FROM (
            SELECT n.level_id, {verdict} AS verdict, n.subject_id, n.full_name,
                   COUNT(*) OVER (PARTITION BY n.level_id, {verdict}) AS people,
                   ROW_NUMBER() OVER (PARTITION BY n.level_id, {verdict} ORDER BY n.full_name, n.subject_id) AS place
            FROM named n
            LEFT JOIN computed c ON c.assessment_id = n.id
            WHERE n.verdict IS NOT NULL OR c.assessment_id IS NOT NULL
        ) grouped WHERE place <= %s
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
    inner, people_params = sql_of(
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


def managers_below_visible_to(user, cycle=None):
    """The submitted manager assessments (in `cycle`) `user` may see, for subjects below `user` (or anyone, for
    HR) only: there `Assessment.objects.visible_to` comes down to "submitted", bar HR's own unshared ones about
    them (HR may be in a team they look at). Without its OR and its join to every subject's path, for the
    whole-organisation summaries that join the people below anyway (test_heatmap_summary.py compares the two)."""
    managers = Assessment.objects.submitted().filter(kind=Assessment.Kind.MANAGER)
    if cycle is not None:
        managers = managers.filter(cycle=cycle)
    me = Scope.of(user).person_id
    return managers.exclude(Q(subject_id=me) & ~Q(status=Assessment.Status.SHARED))

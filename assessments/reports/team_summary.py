# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
"""The team heatmap for a big part of the organisation: one row per team (a direct report and everyone below
them) with how many are Ready, Nearly and Not yet, counted by the database.

The verdict of each person is their newest submitted manager assessment's in the cycle shown, the same one the
per-person heatmap shows (`verdicts.verdicts_sql`: the stored `VerdictTally` where it still matches); the
people are the heatmap's own query (scope and track filter), so a team's counts add up to what drilling into
it shows. One statement, one row per team, whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import StrIndex, Substr

from assessments.people.models import Person
from assessments.reports.verdicts import managers_below_visible_to
from assessments.reviews.verdict_sql import VerdictTally, computed_verdicts, latest_sql, sql_of, stored_still_matches


@dataclass
class TeamVerdicts:
    """One team: its lead (a direct report of the manager shown) and the counts of its people by verdict."""

    lead: Person
    has_team: bool  # the lead manages someone: the row drills into their team
    people: int = 0
    ready: int = 0
    nearly: int = 0
    not_yet: int = 0

    @property
    def unassessed(self) -> int:
        return self.people - self.ready - self.nearly - self.not_yet

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(verdict class, words, people) for each verdict, then those without a manager assessment."""
        return [
            ("ready", "Ready", self.ready),
            ("nearly", "Nearly", self.nearly),
            ("not-yet", "Not yet", self.not_yet),
            ("none", "No manager assessment", self.unassessed),
        ]


TEAMS_PAGE_SIZE = 25  # team rows a page: a screenful, however many people report to the manager shown


@dataclass
class TeamPage:
    """A page of teams, by name (leavers last), and how many people all the teams hold together."""

    page: Page
    teams: list[TeamVerdicts]
    people: int


def team_verdicts(user, manager: Person, people, cycle, page_number=None) -> TeamPage:
    """A page of TeamVerdicts, one per direct report of `manager` among `people` (a queryset of people below
    `manager`); each counts the direct report and everyone below them in `people`. The counting statement
    returns one row per team, however many; only a page of their leads is read."""
    depth = len(manager.path)
    rest = Substr("path", depth + 1)
    teams = (
        people.order_by()
        .annotate(team=Substr("path", 1, StrIndex(rest, Value("/")) + depth))
        .values("id", "level_id", "team")
    )
    counts = _team_counts(user, teams, cycle)
    _count_stale(counts)
    leads = (
        Person.objects.filter(manager=manager, pk__in=people.values("pk"))
        .select_related("user")
        .annotate(has_team=Exists(Person.objects.filter(manager=OuterRef("pk"))))
        .by_name()
    )
    page = Paginator(leads, TEAMS_PAGE_SIZE).get_page(page_number)
    found = []
    for lead in page.object_list:
        people_count, ready, nearly, not_yet, _ = counts.get(lead.path, (0, 0, 0, 0, ""))
        found.append(TeamVerdicts(lead, lead.has_team, people_count, ready or 0, nearly or 0, not_yet or 0))
    return TeamPage(page, found, sum(row[0] for row in counts.values()))


def _team_counts(user, teams, cycle) -> dict[str, list]:
    """team path → [people, ready, nearly, not yet, ids of stale stored verdicts], one statement for every team."""
    inner, people_params = sql_of(
        teams,
        "SELECT CAST(NULL AS INTEGER) AS id, CAST(NULL AS INTEGER) AS level_id, CAST(NULL AS VARCHAR(1)) AS team "
        "WHERE 1 = 0",
    )
    latest, latest_params = latest_sql(managers_below_visible_to(user, cycle))
    tally = VerdictTally._meta.db_table
    # The stored verdict where it still matches (the assessment's revision, the person's level); the few that do
    # not are computed from their ratings (`_count_stale`). `verdicts_sql` does both in one statement but joins
    # every row twice more. A cycle's stored verdicts are read by its index, not every cycle's hashed.
    # Everyone counts once in the first half; the second adds each assessed person's verdict. (One LEFT JOIN from
    # the people to `latest` would do both, but SQLite cannot index a CTE and scanned it once per person.)
    matches = stored_still_matches("ppl")
    params = [*latest_params, *people_params, *people_params]
    if cycle is not None:
        matches, params = f"{matches} AND s.cycle_id = %s", [*params, cycle.pk]
    sql = f"""
        WITH latest AS MATERIALIZED ({latest})
        SELECT team, SUM(people), SUM(ready), SUM(nearly), SUM(not_yet), {_stale_ids()}
        FROM (
            SELECT ppl.team AS team, 1 AS people, 0 AS ready, 0 AS nearly, 0 AS not_yet, NULL AS stale
            FROM ({inner}) ppl
            UNION ALL
            SELECT ppl.team, 0,
                   CASE WHEN s.verdict = 0 THEN 1 ELSE 0 END,
                   CASE WHEN s.verdict = 1 THEN 1 ELSE 0 END,
                   CASE WHEN s.verdict = 2 THEN 1 ELSE 0 END,
                   CASE WHEN s.assessment_id IS NULL THEN CAST(l.id AS VARCHAR(20)) END
            FROM latest l
            JOIN ({inner}) ppl ON ppl.id = l.subject_id
            LEFT JOIN {tally} s ON s.assessment_id = l.id AND {matches}
        ) counted
        GROUP BY team
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {team: list(row) for team, *row in cursor.fetchall()}


def _stale_ids() -> str:
    """The ids of the team's assessments whose stored verdict is out of date, as one string ("" when none)."""
    if connection.vendor == "postgresql":
        return "COALESCE(STRING_AGG(stale, ','), '')"
    return "COALESCE(GROUP_CONCAT(stale, ','), '')"


def _count_stale(counts: dict) -> None:
    """Add the verdicts of out-of-date stored rows, computed now from their ratings, to their teams' counts."""
    stale = {int(pk): team for team, row in counts.items() for pk in (row[4] or "").split(",") if pk}
    if not stale:
        return
    for pk, computed in computed_verdicts(list(stale)).items():
        counts[stale[pk]][1 + computed[0]] += 1

"""The team heatmap for a big part of the organisation (issue 11): one row per team with its people counted by
verdict in the database, a drill-in to each team (the per-person heatmap, with a breadcrumb back), a search for
one person; the counts agree with what drilling in shows, and the queries stay flat."""

from collections import Counter

import pytest
from django.urls import reverse

from assessments.home.team import TEAM_IN_FULL
from assessments.people.models import Person
from assessments.reports import team_summary, views
from assessments.reports.verdicts import managers_below_visible_to, managers_visible_to
from assessments.reports.views import HEATMAP_IN_FULL
from frameworks.models import Level
from tests.assessments.test_calibration_sql import random_org
from tests.assessments.test_team_big import build_org
from tests.factories import make_user


def test_the_heatmap_summarises_past_my_teams_threshold():
    assert HEATMAP_IN_FULL == TEAM_IN_FULL


def labels(response) -> Counter:
    return Counter(
        row.readiness.label if row.readiness else "none" for table in response.context["tables"] for row in table.rows
    )


@pytest.mark.django_db
def test_each_teams_counts_match_its_heatmap_drilled_into(client, monkeypatch):
    monkeypatch.setattr(views, "HEATMAP_IN_FULL", 14)  # 17 below the head: summarised; a team, at most 14
    head, cycles = random_org(8)  # 3 managers, 14 people (random levels, verdicts, cycles, agreed ratings)
    client.force_login(head)
    compared, computed = 0, []
    original = team_summary.computed_verdicts
    monkeypatch.setattr(team_summary, "computed_verdicts", lambda ids: computed.append(ids) or original(ids))
    # Then again with stale stored verdicts: HR moved people to another level (no tally refreshed), so theirs are
    # computed from the ratings, as the drilled-in heatmap computes them.
    for cycle, move in [(cycles[0], False), (cycles[1], True)]:
        if move:
            moved = Person.objects.filter(assessments_about__kind="manager", assessments_about__cycle=cycle)
            Person.objects.filter(pk__in=moved.values("pk")[:6]).update(level=Level.objects.order_by("pk").first())
        response = client.get(reverse("reports:team"), {"cycle": cycle.pk})
        teams = response.context["teams"]
        assert [team.lead.name for team in teams] == ["Manager A", "Manager B", "Manager Z"]
        assert "tables" not in response.context  # nobody's row is rendered
        assert sum(team.people for team in teams) == response.context["people_count"] == 17
        assert sum(team.ready + team.nearly + team.not_yet for team in teams) > 0
        body = response.content.decode()
        for team in teams:
            drilled = client.get(reverse("reports:team"), {"cycle": cycle.pk, "manager": team.lead.pk})
            # A team with nothing submitted in that cycle opens on its latest cycle with some (the cycle filter
            # lists only cycles with work to show): then it says nothing about this row.
            seen = labels(drilled) if drilled.context["cycle"] == cycle else Counter()
            compared += sum(seen.values()) > 0
            assert (team.ready, team.nearly, team.not_yet) == (seen["Ready"], seen["Nearly"], seen["Not yet"]), team
            assert team.people == drilled.context["people_count"] + 1  # the lead is in their own team
            assert f"{team.ready} of {team.people}</span>" in body
            assert f"manager={team.lead.pk}" in body
        crumbs = drilled.content.decode()
        assert 'aria-label="Teams above"' in crumbs and ">Your team</a>" in crumbs
        assert f"cycle={cycle.pk}&amp;manager={head.person.pk}" in crumbs  # back up, in the same cycle
    assert compared >= 4 and computed, computed
    below = Person.objects.in_subtree_of(head.person).values("pk")
    for cycle in cycles:  # the summary's shortcut for `visible_to`, for the people below the viewer
        shortcut = managers_below_visible_to(head, cycle).filter(subject__in=below)
        assert set(shortcut) == set(managers_visible_to(head, below, cycle))


@pytest.mark.django_db
def test_search_shows_the_heatmap_of_people_below_and_no_one_else(client, framework):
    head, managers = build_org(framework, teams=3, per_team=9)
    make_user("r9@example.com", "Report 99-99 Elsewhere", level=framework.levels.get(key="ic-2"))
    client.force_login(head)
    page = client.get(reverse("reports:team")).content.decode()
    assert 'role="search"' in page and "Teams below you" in page
    found = client.get(reverse("reports:team"), {"q": "report 01-0"})
    names = sorted(row.person.name for table in found.context["tables"] for row in table.rows)
    assert names == [f"Report 01-0{n}" for n in range(9)]
    assert "People matching “report 01-0”" in found.content.decode()
    nobody = client.get(reverse("reports:team"), {"q": "Elsewhere"})
    assert nobody.status_code == 200 and not nobody.context["tables"]
    assert "Nobody in this team matches “Elsewhere”" in nobody.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("teams", [3, 8])
def test_summary_queries_are_flat_in_teams_and_people(client, framework, teams, django_assert_max_num_queries):
    head, managers = build_org(framework, teams=teams, per_team=9)
    client.force_login(head)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("reports:team"))
    assert len(response.context["teams"]) == teams
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reports:team"), {"manager": managers[0].person.pk}).status_code == 200


@pytest.mark.django_db
def test_team_rows_come_a_page_at_a_time_by_name_with_everyones_count(client, framework, monkeypatch):
    monkeypatch.setattr(team_summary, "TEAMS_PAGE_SIZE", 3)
    head, managers = build_org(framework, teams=8, per_team=3)  # 32 below: summarised, 8 teams
    client.force_login(head)
    first = client.get(reverse("reports:team"))
    assert [team.lead.name for team in first.context["teams"]] == ["Manager 00", "Manager 01", "Manager 02"]
    assert first.context["people_count"] == 32  # every team, not only this page's
    body = first.content.decode()
    assert "Teams 1 to 3 of 8, by name." in body and "page=2" in body
    last = client.get(reverse("reports:team"), {"page": 3})
    assert [team.lead.name for team in last.context["teams"]] == ["Manager 06", "Manager 07"]
    assert "Page 3 of 3" in last.content.decode()

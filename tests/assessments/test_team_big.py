"""My team for a big part of the organisation: one row per team, drill in, search; never everyone at once."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.home import views as home_views
from assessments.home.team import TEAM_IN_FULL
from assessments.reviews.models import ReviewCycle
from tests.assessments.assessment_helpers import make_cycle, start, submitted
from tests.assessments.test_team import cell, row_of
from tests.factories import make_user


def build_org(framework, teams: int, per_team: int):
    """A head with `teams` managers, each with `per_team` reports."""
    level = framework.levels.get(key="ic-2")
    head = make_user("hedda@example.com", "Hedda Head", level=framework.levels.get(key="mgr-1"))
    managers = []
    for t in range(teams):
        manager = make_user(f"m{t}@example.com", f"Manager {t:02d}", manager=head, level=level)
        managers.append(manager)
        for r in range(per_team):
            make_user(f"r{t}-{r}@example.com", f"Report {t:02d}-{r:02d}", manager=manager, level=level)
    return head, managers


@pytest.mark.django_db
def test_a_small_team_is_listed_in_full(client, framework):
    head, managers = build_org(framework, teams=2, per_team=3)
    client.force_login(head)
    page = client.get(reverse("team")).content.decode()
    assert "Report 01-02" in page  # everyone, grouped under their manager
    assert "Teams below you" not in page


@pytest.mark.django_db
def test_a_big_team_shows_one_row_per_team_and_no_one_below(client, framework):
    head, managers = build_org(framework, teams=7, per_team=9)
    assert TEAM_IN_FULL < 7 * 10
    client.force_login(head)
    page = client.get(reverse("team")).content.decode()
    assert "Teams below you" in page
    assert "Report 03-04" not in page
    row = row_of_team(page, "Manager 03’s team")
    assert '<td data-label="People below Manager 03">9</td>' in row  # their nine reports
    assert "0 of 9" in row  # nobody has submitted anything yet
    assert "Manager 03" in page  # a direct report, listed in full


@pytest.mark.django_db
def test_hundreds_of_direct_reports_come_a_page_at_a_time_with_their_teams(client, framework, monkeypatch):
    monkeypatch.setattr(home_views, "TEAM_PAGE_SIZE", 3)
    head, managers = build_org(framework, teams=7, per_team=4)  # 35 below: summarised
    client.force_login(head)
    first = client.get(reverse("team"))
    assert [person.name for person, _ in first.context["direct"]] == ["Manager 00", "Manager 01", "Manager 02"]
    body = first.content.decode()
    assert "7 people report to you directly, and 28 more through their managers." in body
    assert "People 1 to 3 of 7, by name" in body and "page=2" in body
    assert [summary.manager.name for summary in first.context["summaries"]] == [
        "Manager 00",
        "Manager 01",
        "Manager 02",
    ]
    last = client.get(reverse("team"), {"page": 3}).content.decode()
    assert "Manager 06’s team" in last and "Manager 05’s team" not in last and "Page 3 of 3" in last


def row_of_team(html, title):
    import re

    match = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(title)}</a></th>.*?</tr>", html, re.S)
    assert match, f"no row for {title}"
    return match.group(0)


@pytest.mark.django_db
def test_drilling_into_a_team_lists_its_people(client, framework):
    head, managers = build_org(framework, teams=7, per_team=9)
    client.force_login(head)
    response = client.get(reverse("team"), {"manager": managers[3].person.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Manager 03’s team</h1>" in page
    assert cell(row_of(page, "Report 03-04"), "Level") == "IC level 2"
    assert "Report 02-01" not in page


@pytest.mark.django_db
def test_a_team_outside_your_scope_is_404(client, framework, stranger):
    head, managers = build_org(framework, teams=2, per_team=2)
    client.force_login(managers[0])
    assert client.get(reverse("team"), {"manager": managers[1].person.pk}).status_code == 404
    assert client.get(reverse("team"), {"manager": head.person.pk}).status_code == 404
    assert client.get(reverse("team"), {"manager": "abc"}).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("team"), {"manager": managers[0].person.pk}).status_code == 404


@pytest.mark.django_db
def test_search_finds_people_below_a_page_at_a_time(client, framework):
    head, managers = build_org(framework, teams=7, per_team=9)
    client.force_login(head)
    page = client.get(reverse("team"), {"q": "report 0"}).content.decode()
    assert "63 people match" in page
    assert "page 1 of 3" in page
    assert "Next page" in page
    assert client.get(reverse("team"), {"q": "r5-8@"}).content.decode().count("Report 05-08") >= 1
    nobody = client.get(reverse("team"), {"q": "zzz"}).content.decode()
    assert "Nobody in this team matches" in nobody


@pytest.mark.django_db
def test_search_never_finds_people_outside_the_team(client, framework, stranger):
    head, managers = build_org(framework, teams=2, per_team=2)
    client.force_login(managers[0])
    page = client.get(reverse("team"), {"q": "Report"}).content.decode()
    assert "Report 00-01" in page
    assert "Report 01-01" not in page
    assert "Sam Stranger" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("teams, per_team", [(3, 20), (7, 9), (12, 9), (14, 9)])
def test_big_team_queries_are_flat_in_teams_and_people(
    client, framework, teams, per_team, django_assert_max_num_queries
):
    head, managers = build_org(framework, teams=teams, per_team=per_team)
    client.force_login(head)
    # One aggregate for every team row at once: 3 teams or 14, whatever their size, cost the same.
    with django_assert_max_num_queries(15):
        page = client.get(reverse("team")).content.decode()
    assert page.count("’s team</a></th>") == teams
    with django_assert_max_num_queries(24):
        assert client.get(reverse("team"), {"manager": managers[0].person.pk}).status_code == 200


@pytest.mark.django_db
def test_each_team_row_counts_its_whole_subtree_in_the_summary_cycle_only(client, framework):
    head, managers = build_org(framework, teams=7, per_team=9)
    user = get_user_model().objects.get
    target = framework.levels.get(key="ic-2")
    cycle = make_cycle()
    older = make_cycle("2025 H2", starts_on="2025-07-01")
    r00, r01, r02, r03 = (user(email=f"r0-{r}@example.com") for r in range(4))
    submitted(r00, r00, target, cycle)
    submitted(r01, r01, target, cycle)
    submitted(r01, managers[0], target, cycle)
    start(r02, r02, target, cycle)  # a draft: not submitted
    submitted(r03, r03, target, older)  # another cycle
    older.status = ReviewCycle.Status.CLOSED
    older.save()
    submitted(managers[0], managers[0], target, cycle)  # the team's manager is not in their own team
    deep = make_user("deep@example.com", "Deep Report", manager=user(email="r1-0@example.com"), level=target)
    submitted(deep, deep, target, cycle)  # two levels down still counts for team 1
    leaver = user(email="r2-0@example.com")
    leaver.is_active = False
    leaver.save()
    client.force_login(head)
    page = client.get(reverse("team")).content.decode()
    team0 = row_of_team(page, "Manager 00’s team")
    assert '<td data-label="Self-assessments submitted">2 of 9</td>' in team0
    assert '<td data-label="Manager assessments submitted">1 of 9</td>' in team0
    team1 = row_of_team(page, "Manager 01’s team")
    assert '<td data-label="Self-assessments submitted">1 of 10</td>' in team1
    assert '<td data-label="Manager assessments submitted">0 of 10</td>' in team1
    assert '<td data-label="People below Manager 02">8</td>' in row_of_team(page, "Manager 02’s team")

"""My team for a big part of the organisation: one row per team, drill in, search; never everyone at once."""

import pytest
from django.urls import reverse

from assessments.home.team import TEAM_IN_FULL
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
@pytest.mark.parametrize("teams", [7, 14])
def test_big_team_queries_grow_with_rows_shown_not_with_people(client, framework, teams, django_assert_max_num_queries):
    head, managers = build_org(framework, teams=teams, per_team=9)
    client.force_login(head)
    # A fixed cost, plus one aggregate per team row: 14 teams is a screenful, whatever their size.
    with django_assert_max_num_queries(22 + teams):
        assert client.get(reverse("team")).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(reverse("team"), {"manager": managers[0].person.pk}).status_code == 200

"""A cycle's progress page: each person's self-assessment and manager review status, counts by the database,
filters by manager (their part of the organisation) and by status, 50 people a page, a bounded number of
queries whatever the size of the scope."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.reports.progress import PAGE_SIZE
from assessments.reviews.models import Assessment
from tests.assessments.assessment_helpers import make_cycle, shared, start, submitted
from tests.factories import make_user


def url(cycle, **query):
    base = reverse("reports:cycle_progress", args=[cycle.pk])
    return base + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def row_of(html, name) -> str:
    """The table row of one person, as text without tags."""
    match = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>{re.escape(name)}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {name}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def count_of(html, group, words) -> int:
    """The number shown at the top for one status of one side ("Self-assessments" or "Manager reviews")."""
    section = html.split(f'<h3 class="h6">{group}</h3>', 1)[1].split("</ul>", 1)[0]
    match = re.search(rf'progress-counts__number">(\d+)</span> {words}</a>', section)
    assert match, f"no count for {group}: {words}"
    return int(match.group(1))


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def org(framework, cycle, hr_admin):
    """Hugo heads two teams: Maya's (Priya, Pete, Lee who left) and Omar's (Olive). Noah has no level yet."""
    ic2, ic3, mgr1 = (framework.levels.get(key=key) for key in ("ic-2", "ic-3", "mgr-1"))
    people = {"hugo": make_user("hugo@example.com", "Hugo Head", level=mgr1)}
    people["maya"] = make_user("maya@example.com", "Maya Manager", manager=people["hugo"], level=mgr1)
    people["omar"] = make_user("omar@example.com", "Omar Other", manager=people["hugo"], level=mgr1)
    for key, name, boss in (
        ("priya", "Priya Product", "maya"),
        ("pete", "Pete Peer", "maya"),
        ("lee", "Lee Leaver", "maya"),
        ("olive", "Olive Other", "omar"),
    ):
        people[key] = make_user(f"{key}@example.com", name, manager=people[boss], level=ic2)
    people["noah"] = make_user("noah@example.com", "Noah New", manager=people["omar"])
    # Priya: submitted, and Maya's review shared. Pete: a draft with a private comment, and Maya's draft.
    # Olive: returned for changes. Lee submitted, then left: still counted in the cycle he took part in.
    submitted(people["priya"], people["priya"], ic3, cycle)
    shared(people["priya"], people["maya"], ic3, cycle)
    draft = start(people["pete"], people["pete"], ic3, cycle)
    Assessment.objects.filter(pk=draft.pk).update(overall_comment="A private thought about Maya")
    start(people["pete"], people["maya"], ic3, cycle)
    returned = submitted(people["olive"], people["olive"], ic3, cycle)
    returned.return_for_changes(people["omar"].person, "Add evidence.")
    submitted(people["lee"], people["lee"], ic3, cycle)
    people["lee"].is_active = False
    people["lee"].save()
    return people


def test_hr_sees_everyone_in_the_cycle_with_both_statuses_and_counts(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    response = client.get(url(cycle))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Progress in 2026 H2</h1>" in html
    assert "Everyone in the cycle: 7 people" in html  # Noah (no level) and Hana (no level) are not in it
    assert row_of(html, "Priya Product").endswith("Maya Manager Submitted Shared")
    assert row_of(html, "Pete Peer").endswith("Maya Manager Draft Draft")
    assert row_of(html, "Olive Other").endswith("Omar Other Returned Not started")
    assert "Left" in row_of(html, "Lee Leaver") and row_of(html, "Lee Leaver").endswith("Submitted Not started")
    assert row_of(html, "Hugo Head").endswith("— Not started Not started")
    assert "Noah New" not in html
    assert "A private thought" not in html  # a status, never what the draft says
    assert [count_of(html, "Self-assessments", w) for w in ("not started", "draft", "returned", "submitted")] == [
        3,
        1,
        1,
        2,
    ]
    assert [count_of(html, "Manager reviews", w) for w in ("not started", "draft", "submitted", "shared")] == [
        5,
        1,
        0,
        1,
    ]


def test_counts_come_from_one_group_by(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(url(cycle))
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1


def test_the_manager_filter_limits_to_that_managers_part_of_the_organisation(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    html = client.get(url(cycle, manager=org["maya"].person.pk)).content.decode()
    assert "The people below Maya Manager: 3 people" in html
    assert {"Priya Product", "Pete Peer", "Lee Leaver"} <= set(re.findall(r'scope="row"><a [^>]*>([^<]+)<', html))
    assert "Olive Other" not in html and "Omar Other" not in html
    # The way back up: everyone, then Hugo's people.
    assert f'href="{url(cycle)}">Everyone</a>' in html
    assert f'href="{url(cycle)}?manager={org["hugo"].person.pk}">Hugo Head’s people</a>' in html


def test_the_status_filters_list_only_those_people_and_keep_the_manager(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    hugo = org["hugo"].person.pk
    html = client.get(url(cycle, manager=hugo, self_status="not_started")).content.decode()
    listed = set(re.findall(r'scope="row"><a [^>]*>([^<]+)<', html))
    assert listed == {"Maya Manager", "Omar Other"}
    assert "2 people with these statuses" in html
    assert f'<input type="hidden" name="manager" value="{hugo}">' in html
    html = client.get(url(cycle, manager_status="shared")).content.decode()
    assert set(re.findall(r'scope="row"><a [^>]*>([^<]+)<', html)) == {"Priya Product"}
    html = client.get(url(cycle, self_status="returned", manager_status="shared")).content.decode()
    assert "Nobody here has these statuses." in html


def test_a_status_that_is_not_one_gets_a_sentence_and_everyone_is_listed(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    html = client.get(url(cycle, self_status="shared")).content.decode()  # a self-assessment is never shared
    assert "Choose a self-assessment status from the list." in html
    assert "Priya Product" in html and "Olive Other" in html


def test_a_manager_sees_only_the_people_below_them(client, org, cycle):
    client.force_login(org["maya"])
    html = client.get(url(cycle)).content.decode()
    assert "The people below you: 3 people" in html
    assert "Olive Other" not in html and "Hugo Head" not in html
    assert "Everyone</a>" not in html  # no way up past themself
    # A draft is its author's: to a manager, Pete's reads "Not submitted", like nothing started.
    assert row_of(html, "Pete Peer").endswith("Maya Manager Not submitted Not submitted")
    assert row_of(html, "Priya Product").endswith("Maya Manager Submitted Shared")
    assert "Draft" not in html and "Not started" not in html
    assert [count_of(html, "Self-assessments", w) for w in ("not submitted", "returned", "submitted")] == [1, 0, 2]
    listed = client.get(url(cycle, self_status="not_submitted")).content.decode()
    assert set(re.findall(r'scope="row"><a [^>]*>([^<]+)<', listed)) == {"Pete Peer"}
    refused = client.get(url(cycle, self_status="draft")).content.decode()
    assert "Choose a self-assessment status from the list." in refused
    assert client.get(url(cycle, manager=org["omar"].person.pk)).status_code == 404
    assert client.get(url(cycle, manager=org["hugo"].person.pk)).status_code == 404


def test_a_head_drills_into_a_team_below_and_back(client, org, cycle):
    client.force_login(org["hugo"])
    html = client.get(url(cycle)).content.decode()
    assert "The people below you: 6 people" in html
    assert f'href="{url(cycle)}?manager={org["omar"].person.pk}"' in html  # each manager's name drills in
    html = client.get(url(cycle, manager=org["omar"].person.pk)).content.decode()
    assert "The people below Omar Other: 1 person" in html
    assert f'href="{url(cycle)}?manager={org["hugo"].person.pk}">Hugo Head’s people</a>' in html


def test_nobody_below_says_so(client, hr_admin, org, cycle):
    client.force_login(hr_admin)
    html = client.get(url(cycle, manager=org["priya"].person.pk)).content.decode()
    assert "Nobody reports to Priya Product." in html


def test_people_without_reports_and_unknown_cycles_get_a_404(client, org, cycle, hr_admin):
    client.force_login(org["priya"])
    assert client.get(url(cycle)).status_code == 404
    client.force_login(hr_admin)
    assert client.get(reverse("reports:cycle_progress", args=[cycle.pk + 99])).status_code == 404
    assert client.post(url(cycle)).status_code == 405


def test_the_deadlines_show_on_the_page(client, hr_admin, org, cycle):
    cycle.self_deadline = cycle.starts_on
    cycle.save()
    client.force_login(hr_admin)
    html = client.get(url(cycle)).content.decode()
    assert "Self-assessments were due 1 July" in html or "Self-assessments due 1 July" in html


# Size: 50 a page, and the same queries for 10 people as for 120 ----------------------------------------------


def build_org(framework, cycle, teams: int, per_team: int, prefix: str):
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    head = make_user(f"{prefix}-head@example.com", f"{prefix} Head", level=framework.levels.get(key="mgr-1"))
    for t in range(teams):
        boss = make_user(f"{prefix}-m{t}@example.com", f"{prefix} Manager {t:02d}", manager=head, level=ic2)
        for r in range(per_team):
            report = make_user(f"{prefix}-r{t}-{r}@example.com", f"{prefix} Report {t:02d}-{r:02d}", manager=boss)
            report.person.level = ic2
            report.person.save()
            if r % 3 == 0:
                start(report, report, ic3, cycle)
    return head


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries.captured_queries)


def test_queries_stay_flat_with_the_size_of_the_scope(
    client, framework, cycle, hr_admin, django_assert_max_num_queries
):
    small = build_org(framework, cycle, teams=2, per_team=3, prefix="Small")
    big = build_org(framework, cycle, teams=6, per_team=19, prefix="Big")
    client.force_login(hr_admin)
    small_url = url(cycle, manager=small.person.pk)
    big_url = url(cycle, manager=big.person.pk)
    client.get(small_url)  # warm the session
    with django_assert_max_num_queries(12):
        client.get(big_url)
    assert _queries(client, small_url) == _queries(client, big_url)
    assert _queries(client, url(cycle, manager=big.person.pk, self_status="draft")) == _queries(client, small_url)


def test_fifty_people_a_page(client, framework, cycle, hr_admin):
    head = build_org(framework, cycle, teams=3, per_team=19, prefix="Big")  # 3 managers + 57 people below
    client.force_login(hr_admin)
    first = client.get(url(cycle, manager=head.person.pk)).content.decode()
    assert first.count('scope="row"') == PAGE_SIZE == 50
    assert "Page 1 of 2" in first
    assert f'href="{url(cycle)}?manager={head.person.pk}&amp;page=2">Next page</a>' in first
    second = client.get(url(cycle, manager=head.person.pk, page=2)).content.decode()
    assert second.count('scope="row"') == 60 - 50
    assert "Previous page" in second
    assert client.get(url(cycle, manager=head.person.pk, page="nonsense")).status_code == 200


def test_my_team_links_to_the_progress_of_its_part_with_the_deadlines(client, org, cycle):
    import datetime

    cycle.self_deadline = datetime.date(2026, 10, 16)
    cycle.save()
    client.force_login(org["hugo"])
    html = client.get(reverse("team")).content.decode()
    assert f'<a href="{url(cycle)}">See who has finished in 2026 H2</a>' in html
    assert "Self-assessments " in html and "16 October" in html
    html = client.get(reverse("team") + f"?manager={org['omar'].person.pk}").content.decode()
    assert f'<a href="{url(cycle)}?manager={org["omar"].person.pk}">See who has finished' in html
    client.force_login(org["priya"])
    assert "See who has finished" not in client.get(reverse("team")).content.decode()  # nobody reports to her

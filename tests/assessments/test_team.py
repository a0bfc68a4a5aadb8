import datetime
import re

import pytest
from django.urls import reverse

from assessments.home.team import TEAM_IN_FULL
from assessments.reviews.models import Assessment, ReviewCycle
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_manager, make_self
from tests.factories import make_user


@pytest.fixture
def org(framework, manager, pm):
    """Maya manages Priya (who manages Ivy) and Pete; Sam is elsewhere."""
    ic1 = framework.levels.get(key="ic-1")
    return {
        "pete": make_user("pete@example.com", "Pete Peer", manager=manager, level=ic1, job_title="Associate PM"),
        "ivy": make_user("ivy@example.com", "Ivy Indirect", manager=pm, level=ic1),
        "nia": make_user("nia@example.com", "Nia New", manager=manager),
    }


def row_of(html, name):
    """The table row of one person on the page (the whole <tr>)."""
    match = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">\s*<a [^>]*>{re.escape(name)}</a>.*?</tr>", html, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def cell(row, label):
    match = re.search(rf'<td data-label="{label}"[^>]*>(.*?)</td>', row, re.S)
    assert match, f"no {label} cell"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_manager_sees_direct_reports_with_levels_and_links(client, manager, pm, org):
    client.force_login(manager)
    response = client.get(reverse("team"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My team</h1>" in html
    assert "3 people report to you directly, and 1 more through their managers." in html
    assert f'<a href="{reverse("person", args=[pm.person.pk])}">Priya Product</a>' in html
    assert "IC level 2" in html and "Associate PM" in html
    assert "Not set yet" in html  # Nia has no level yet
    assert f'href="{reverse("reports:team")}">See the team heatmap</a>' in html


def test_table_has_the_columns_of_a_review(client, manager, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    assert headers[:7] == ["Name", "Level", "Target", "Self-assessment", "Manager assessment", "Verdict", "Actions"]


def test_without_an_assessment_the_target_is_the_next_level_and_nothing_is_submitted(client, manager, pm, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    row = row_of(html, "Priya Product")
    assert cell(row, "Target") == "IC level 3 (next level)"
    assert cell(row, "Self-assessment") == "Not submitted"
    assert cell(row, "Manager assessment") == "Not submitted"
    assert cell(row, "Verdict") == "Not assessed yet"
    assert cell(row_of(html, "Nia New"), "Target") == "—"  # no level, no assessment


def test_manager_cannot_see_draft_self_assessment(client, framework, manager, pm, org):
    ic1 = framework.levels.get(key="ic-1")
    make_self(pm, framework.levels.get(key="mgr-1"), SELF_RANKS, status=Assessment.Status.DRAFT)
    make_self(org["pete"], ic1, {}, status=Assessment.Status.RETURNED)
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    row = row_of(html, "Priya Product")
    assert cell(row, "Self-assessment") == "Not submitted"
    assert cell(row, "Target") == "IC level 3 (next level)"  # not the level of the draft
    assert "Manager level 1" not in html
    assert "Draft" not in html
    # Returned for changes: its answers are private again, but that it went back shows (issue 10).
    assert cell(row_of(html, "Pete Peer"), "Self-assessment").startswith("Returned by")


def test_submitted_self_assessment_shows_its_status_and_sets_the_target(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    make_self(pm, ic3, SELF_RANKS)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Target") == "IC level 3"
    assert cell(row, "Self-assessment").startswith("Submitted by Priya Product on ")
    assert cell(row, "Manager assessment") == "Not submitted"
    assert cell(row, "Verdict") == "Not assessed yet"


def test_managers_own_draft_shows_as_draft_with_continue(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    make_self(pm, ic3, SELF_RANKS)
    draft = make_manager(pm, manager, ic3, MANAGER_RANKS, status=Assessment.Status.DRAFT)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Manager assessment").startswith("Draft started ")
    assert cell(row, "Verdict") == "Not assessed yet"  # a draft gives no verdict here
    rated, total = draft.progress()
    assert (
        f'href="{draft.get_absolute_url()}">Continue<span class="visually-hidden"> assessment of Priya Product</span>'
        in row
    )
    assert f"— {rated} of {total} rated</a>" in row
    assert 'action="/assessments/start/"' not in row


def test_someone_elses_draft_manager_assessment_is_not_revealed(client, framework, manager, pm, org):
    ivy = org["ivy"]  # Priya manages Ivy; Maya is one level up
    make_manager(ivy, pm, framework.levels.get(key="ic-2"), {}, status=Assessment.Status.DRAFT)
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    group = html.split("Priya Product’s team", 1)[1]
    row = row_of(group, "Ivy Indirect")
    assert cell(row, "Manager assessment") == "Not submitted"
    assert cell(row, "Target") == "IC level 2 (next level)"
    assert "Draft" not in html


def test_verdict_with_its_first_reason_from_the_submitted_manager_assessment(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    cycle = make_cycle()
    make_self(pm, ic3, SELF_RANKS, cycle=cycle)
    make_manager(pm, manager, ic3, MANAGER_RANKS, cycle=cycle)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Manager assessment").startswith("Submitted by Maya Manager on ")
    # The first reason in a few words, as on the heatmap (the comparison names the capabilities).
    assert cell(row, "Verdict") == "Nearly 2 capabilities below IC level 3"
    assert 'class="verdict verdict--compact verdict--nearly"' in row
    # The same verdict and first reason as the comparison page.
    compared = client.get(reverse("reports:compare", args=[pm.person.pk]), {"level": ic3.pk, "cycle": cycle.pk})
    readiness = compared.context["readiness"]
    assert cell(row, "Verdict") == f"{readiness.label} {readiness.headline}"
    assert readiness.reasons[0].startswith(readiness.headline)


def test_shared_manager_assessment_shows_as_shared(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    make_manager(pm, manager, ic3, dict.fromkeys(SELF_RANKS, 3), status=Assessment.Status.SHARED)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Manager assessment").startswith("Shared with Priya Product on ")
    assert cell(row, "Verdict").startswith("Ready Meets 4 of 4 expectations of IC level 3")


def test_assess_posts_to_start_with_the_target_and_the_cycle_of_the_review(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    cycle = make_cycle()
    make_self(pm, ic3, SELF_RANKS, cycle=cycle)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert f'<form method="post" action="{reverse("assessments:start")}">' in row
    assert f'<input type="hidden" name="subject" value="{pm.person.pk}">' in row
    assert f'<input type="hidden" name="level" value="{ic3.pk}">' in row
    assert f'<input type="hidden" name="cycle" value="{cycle.pk}">' in row
    assert 'Assess<span class="visually-hidden"> Priya Product</span></button>' in row

    response = client.post(reverse("assessments:start"), {"subject": pm.person.pk, "level": ic3.pk, "cycle": cycle.pk})
    started = Assessment.objects.get(subject=pm.person, kind=Assessment.Kind.MANAGER)
    assert response.status_code == 302 and response["Location"] == started.get_absolute_url()
    assert (started.level, started.cycle, started.author) == (ic3, cycle, manager.person)


def test_managers_submitted_assessment_in_an_open_review_is_opened_not_restarted(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    cycle = make_cycle()
    theirs = make_manager(pm, manager, ic3, MANAGER_RANKS, cycle=cycle)
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert f'href="{theirs.get_absolute_url()}">Open your assessment' in row
    assert "Assess<" not in row


def test_after_a_closed_cycle_the_next_review_can_be_started(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    closed = make_cycle("2025 H2", start=datetime.date(2025, 7, 1))
    make_self(pm, ic3, SELF_RANKS, cycle=closed)
    make_manager(pm, manager, ic3, MANAGER_RANKS, cycle=closed)
    closed.status = ReviewCycle.Status.CLOSED
    closed.save()
    current = make_cycle("2026 H1")
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Target") == "IC level 3"
    assert cell(row, "Verdict").startswith("Nearly ")  # the latest verdict stays until the next one
    assert "Open your assessment" not in row
    assert f'<input type="hidden" name="level" value="{ic3.pk}">' in row
    assert 'name="cycle"' not in row  # the open cycle, chosen by the start page
    # With a submitted review of Priya to start from, the start page first asks how to begin (carry forward).
    asked = client.post(reverse("assessments:start"), {"subject": pm.person.pk, "level": ic3.pk})
    assert asked.status_code == 200 and "Start from your last submitted ratings" in asked.content.decode()
    client.post(reverse("assessments:start"), {"subject": pm.person.pk, "level": ic3.pk, "begin": "blank"})
    assert Assessment.objects.filter(subject=pm.person, kind="manager", cycle=current, status="draft").exists()


def test_skip_level_manager_is_not_offered_to_assess_when_the_manager_has_submitted(
    client, framework, manager, pm, org
):
    ivy = org["ivy"]
    make_manager(ivy, pm, framework.levels.get(key="ic-2"), MANAGER_RANKS)
    client.force_login(manager)
    group = client.get(reverse("team")).content.decode().split("Priya Product’s team", 1)[1]
    row = row_of(group, "Ivy Indirect")
    assert cell(row, "Manager assessment").startswith("Submitted by Priya Product on ")
    assert "Assess" not in row
    assert "Compare" in row


def test_compare_links_to_the_comparison_of_the_current_review(client, framework, manager, pm, org):
    ic3 = framework.levels.get(key="ic-3")
    cycle = make_cycle()
    make_self(pm, ic3, SELF_RANKS, cycle=cycle)
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    row = row_of(html, "Priya Product")
    url = f"{reverse('reports:compare', args=[pm.person.pk])}?level={ic3.pk}&amp;cycle={cycle.pk}"
    assert f'href="{url}">Compare<span class="visually-hidden"> Priya Product’s ratings</span></a>' in row
    assert client.get(url.replace("&amp;", "&")).status_code == 200
    pete = row_of(html, "Pete Peer")  # nothing to compare yet: no Compare
    assert "Compare" not in pete
    assert reverse("reports:compare", args=[org["pete"].person.pk]) not in pete


def test_person_without_a_level_gets_the_start_page_to_choose_one_and_no_compare(client, manager, org):
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Nia New")
    start = f"{reverse('assessments:start')}?subject={org['nia'].person.pk}"
    assert f'href="{start}" title="Choose a level to assess">Assess…' in row
    assert "Compare" not in row
    assert cell(row, "Level") == "Not set yet — their manager or HR sets it"
    assert client.get(start).status_code == 200


def test_leavers_cannot_be_assessed_from_the_table(client, framework, manager, org):
    pete = org["pete"]
    pete.is_active = False
    pete.save()
    client.force_login(manager)
    make_self(pete, framework.levels.get(key="ic-2"), SELF_RANKS)
    row = row_of(client.get(reverse("team")).content.decode(), "Pete Peer")
    assert "Assess" not in row
    assert "Compare" in row


def test_indirect_reports_are_grouped_under_their_manager_and_collapsed(client, manager, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert '<details class="people-group" data-print-open>' in html  # closed by default, open on paper
    assert '<script src="/static/js/print-details.js" defer></script>' in html and "<script>" not in html
    assert "Priya Product’s team" in html
    group = html.split("Priya Product’s team", 1)[1]
    assert "Ivy Indirect" in group


def test_skip_level_group_says_through_whom(client, framework, manager, pm, org):
    make_user("zed@example.com", "Zed Deep", manager=org["ivy"], level=framework.levels.get(key="ic-1"))
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert "Ivy Indirect’s team" in html
    assert "1 person, through Priya Product" in html


def test_direct_reports_are_not_repeated_in_groups(client, manager, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert html.count(">Pete Peer</a>") == 1
    assert html.count(">Ivy Indirect</a>") == 1


def test_leavers_are_marked_and_listed_last(client, manager, pm, org):
    pete = org["pete"]
    pete.is_active = False
    pete.save()
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert 'class="people-table__leaver"' in html
    assert html.index("Pete Peer") > html.index("Priya Product")
    assert '<span class="badge text-bg-secondary">Left</span>' in html


def test_person_with_no_reports_gets_a_friendly_page(client, pm, stranger):
    client.force_login(stranger)
    response = client.get(reverse("team"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no reports." in html
    assert "Priya" not in html


def test_team_never_shows_people_outside_the_managers_branch(client, manager, stranger, hr_admin, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert "Sam Stranger" not in html
    assert "Hana Admin" not in html


def test_team_requires_sign_in(client, db):
    response = client.get(reverse("team"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Up to TEAM_IN_FULL people are listed in full; a bigger team is summarised (tests/assessments/test_team_big.py).
@pytest.mark.parametrize("size", [10, TEAM_IN_FULL])
def test_team_query_count_does_not_grow_with_the_team(client, framework, manager, size, django_assert_max_num_queries):
    level = framework.levels.get(key="ic-1")
    ic2 = framework.levels.get(key="ic-2")
    leads = [make_user(f"lead{i}@example.com", f"Lead {i}", manager=manager, level=level) for i in range(size // 10)]
    people = list(leads)
    for i in range(size - len(leads)):
        people.append(make_user(f"pm{i}@example.com", f"PM {i}", manager=leads[i % len(leads)], level=level))
    # Every row has something to show: self-assessments (submitted and draft), manager assessments and verdicts.
    for number, user in enumerate(people):
        make_self(user, ic2, SELF_RANKS, status="submitted" if number % 2 else "draft")
        if number % 3:
            author = manager if user.person.manager_id == manager.person.pk else user.person.manager.user
            make_manager(user, author, ic2, MANAGER_RANKS, status="submitted" if number % 3 == 1 else "draft")
    client.force_login(manager)
    # Six for the people, seven for their reviews and verdicts, one for whether to offer Calibration, one for the
    # review cycle whose progress it links to.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("team"))
    html = response.content.decode()
    assert html.count('href="/people/') == size
    assert html.count('<span class="verdict__chip">') == len([n for n in range(size) if n % 3 == 1])


def test_top_of_the_track_gets_the_start_page_to_choose_a_level(client, framework, manager, org):
    top = make_user("tess@example.com", "Tess Top", manager=manager, level=framework.levels.get(key="ic-3"))
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Tess Top")
    assert cell(row, "Target") == "—"
    start = f"{reverse('assessments:start')}?subject={top.person.pk}"
    assert f'href="{start}" title="Choose a level to assess">Assess…' in row
    assert "<form" not in row
    assert client.get(start).status_code == 200
    assert not Assessment.objects.exists()


def test_job_title_shows_under_the_name_only_when_it_differs_from_the_level(client, framework, manager, org):
    ic1 = framework.levels.get(key="ic-1")
    make_user("sal@example.com", "Sal Same", manager=manager, level=ic1, job_title="IC level 1")
    make_user("fay@example.com", "Fay Fresh", manager=manager, job_title="Product Manager")
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert "team-table__job" not in row_of(html, "Sal Same")
    assert '<span class="team-table__job">Associate PM</span>' in row_of(html, "Pete Peer")
    fay = row_of(html, "Fay Fresh")
    assert '<span class="team-table__job">Product Manager</span>' in fay
    assert cell(fay, "Level") == "Not set yet — their manager or HR sets it"


def test_calibration_is_linked_from_my_team_for_managers_of_managers_only(client, manager, pm, org):
    link = f'href="{reverse("reports:calibration")}">See the calibration</a>'
    client.force_login(manager)  # Priya manages Ivy
    assert link in client.get(reverse("team")).content.decode()
    client.force_login(pm)  # Ivy manages nobody
    assert link not in client.get(reverse("team")).content.decode()

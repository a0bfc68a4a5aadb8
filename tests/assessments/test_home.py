import datetime

import pytest
from django.urls import reverse

from assessments.reviews.models import Assessment
from frameworks.models import Framework
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review
from tests.factories import make_user


def test_pm_sees_their_level_track_framework_and_manager(client, pm):
    client.force_login(pm)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My pathway</h1>" in html
    assert "You are an <strong>IC level 2</strong> on Product management." in html
    assert "Your manager is <strong>Maya Manager</strong>, Group product manager." in html


def test_next_step_card_counts_what_rises_and_links_to_compare_and_level(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "Next step on the Individual contributor track" in html
    assert "From IC level 2 to IC level 3: 4 capabilities rise." in html
    assert 'href="/frameworks/product/v1/compare/?from=ic/ic-2&amp;to=ic/ic-3">Compare levels</a>' in html
    assert 'href="/frameworks/product/v1/levels/ic/ic-3/">Read the level</a>' in html
    assert "Start self-assessment" in html


def test_levels_at_the_next_grade_on_other_tracks_are_offered(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "Or move to the Management track:" in html
    assert 'href="/frameworks/product/v1/levels/management/mgr-1/">Manager level 1</a>' in html
    assert 'href="/frameworks/product/v1/compare/?from=ic/ic-2&amp;to=management/mgr-1"' in html


def test_top_of_the_track_says_so(client, framework, pm):
    person = pm.person
    person.level = framework.levels.get(key="ic-3")
    person.save()
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "You are at the top of the Individual contributor track." in html
    assert "Manager level 2" in html  # grade 4 on the management track


def test_new_joiner_is_told_their_level_is_not_set_and_who_sets_it(client, manager):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    client.force_login(joiner)
    html = client.get(reverse("home")).content.decode()
    assert "Your level has not been set yet" in html
    assert "Your manager, Maya Manager, or HR sets it." in html
    assert "Next step" not in html


def test_new_joiner_without_a_manager_is_told_hr_sets_it(client, db):
    joiner = make_user("nia@example.com", "Nia New")
    client.force_login(joiner)
    html = client.get(reverse("home")).content.decode()
    assert "HR sets it." in html
    assert "You have no manager in Pathway." in html


def test_manager_sees_their_team_size_and_a_link_to_my_team(client, manager, pm, framework):
    skip = make_user("skip@example.com", "Skye Skip", manager=pm, level=framework.levels.get(key="ic-1"))
    assert skip
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert "You manage 2 people:" in html
    assert "1 directly and 1 through their managers." in html
    assert f'href="{reverse("team")}">Open My team</a>' in html


def test_pm_without_reports_sees_no_team_line_and_no_team_nav(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "You manage" not in html
    assert reverse("team") not in html


def test_manager_gets_my_team_in_the_navigation(client, manager, pm):
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert f'<a class="nav-link" href="{reverse("team")}">My team</a>' in html


def test_level_on_a_replaced_version_is_explained(client, framework, pm):
    draft = framework.new_version()
    draft.levels.get(key="ic-2").delete()  # the level is gone from v2, so Priya keeps her v1 level
    draft.publish()
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert Framework.objects.get(pk=framework.pk).status == "archived"
    assert "belongs to version 1 of Product management, which has been replaced" in html


def test_hr_admin_starts_from_an_hr_block_with_their_tools(client, hr_admin):
    client.force_login(hr_admin)
    html = client.get(reverse("home")).content.decode()
    block = html.split('aria-labelledby="hr-heading"', 1)[1].split("</section>", 1)[0]
    for name, label in [
        ("admin:frameworks_framework_changelist", "Frameworks admin"),
        ("admin:assessments_person_changelist", "People"),
        ("admin:assessments_person_import", "Import people"),
        ("admin:assessments_reviewcycle_changelist", "Review cycles"),
        ("reports:calibration", "Calibration"),
        ("reports:team", "Team heatmap"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in block
    assert html.index("hr-heading") < html.index("people-position")
    for name in ("reports:calibration", "reports:team", "admin:assessments_person_import"):
        assert client.get(reverse(name)).status_code == 200


def test_hr_admin_without_a_level_is_not_told_that_hr_sets_it(client, hr_admin):
    client.force_login(hr_admin)
    html = client.get(reverse("home")).content.decode()
    assert "You have no level in a framework; that’s fine if you don’t follow a career framework yourself." in html
    assert "HR sets it" not in html
    assert "Your level has not been set yet" not in html


def test_people_who_are_not_hr_see_no_hr_block(client, pm):
    client.force_login(pm)
    assert "hr-heading" not in client.get(reverse("home")).content.decode()


def test_calibration_is_in_the_navigation_for_hr_and_managers_of_managers_only(
    client, hr_admin, manager, pm, framework
):
    link = f'<a class="nav-link" href="{reverse("reports:calibration")}">Calibration</a>'
    client.force_login(manager)
    assert link not in client.get(reverse("home")).content.decode()  # Maya manages Priya, who manages nobody
    assert client.get(reverse("reports:calibration")).status_code == 404
    make_user("ivy@example.com", "Ivy Indirect", manager=pm, level=framework.levels.get(key="ic-1"))
    assert link in client.get(reverse("home")).content.decode()
    assert client.get(reverse("reports:calibration")).status_code == 200
    client.force_login(pm)
    assert link not in client.get(reverse("home")).content.decode()
    client.force_login(hr_admin)
    assert link in client.get(reverse("home")).content.decode()


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("size", [10, 100])
def test_manager_home_query_count_does_not_grow_with_the_team(
    client, framework, manager, size, django_assert_max_num_queries
):
    level = framework.levels.get(key="ic-1")
    leads = [make_user(f"lead{i}@example.com", f"Lead {i}", manager=manager, level=level) for i in range(size // 10)]
    for i in range(size - len(leads)):
        make_user(f"pm{i}@example.com", f"PM {i}", manager=leads[i % len(leads)], level=level)
    client.force_login(manager)
    # Measured 10: the session, the user, me (with the navigation's questions), my team's counts, the open cycle,
    # the next-step card's levels and their expectations, my own assessments (the self-assessment card and the
    # outcome), the reviews waiting (my reports', on an index), and What's next in one statement (whats_next.py).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert f"You manage {size} people" in response.content.decode()


# Your latest outcome -------------------------------------------------------------------------------


def shared_review(pm, manager, framework, cycle=None, **details):
    details.setdefault("recommendation", Assessment.Recommendation.NOT_YET)
    details.setdefault("rationale", "Strong on users; strategy still growing.")
    return make_review(
        pm,
        manager,
        framework.levels.get(key="ic-3"),
        SELF_RANKS,
        MANAGER_RANKS,
        cycle=cycle,
        manager_status=Assessment.Status.SHARED,
        **details,
    )


def test_pm_sees_the_latest_shared_outcome_with_verdict_reasons_and_recommendation(client, framework, manager, pm):
    cycle = make_cycle()
    _, theirs = shared_review(pm, manager, framework, cycle)
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert '<h2 id="outcome-heading" class="h4">Your latest outcome</h2>' in html
    assert "Maya Manager assessed you against <strong>IC level 3</strong>" in html
    assert "in the 2026 H1 review cycle" in html
    assert f"shared it with you on {theirs.shared_at:%-d %B %Y}" in html
    # The comparison page's verdict and every reason.
    assert '<div class="verdict verdict--nearly">' in html
    assert "<li>2 capabilities below IC level 3: Capability 1.2, Capability 2.1</li>" in html
    assert "<li>Meets 2 of 4 expectations of IC level 3 (50%; Ready needs 80%)</li>" in html
    assert "<strong>Maya Manager’s recommendation:</strong> Not yet." in html
    assert "Strong on users; strategy still growing." in html
    ic3 = framework.levels.get(key="ic-3")
    query = f"?level={ic3.pk}&amp;cycle={cycle.pk}"
    compare = reverse("reports:compare", args=[pm.person.pk]) + query
    report = reverse("reports:promotion", args=[pm.person.pk]) + query
    assert f'href="{compare}">See the comparison</a>' in html
    assert f'href="{report}">Promotion report</a>' in html
    for url in (compare, report):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200
        assert (
            response.context["readiness"].reasons[0]
            == "2 capabilities below IC level 3: Capability 1.2, Capability 2.1"
        )


def test_pm_does_not_see_the_verdict_of_an_unshared_manager_assessment(client, framework, manager, pm):
    make_review(pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS)  # submitted, not shared
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert NOTHING_SHARED in html
    assert "verdict" not in html
    assert "capabilities below" not in html
    assert "reports.css" not in html


NOTHING_SHARED = (
    "No manager assessment has been shared with you yet. When Maya Manager shares one, its outcome appears here."
)


def test_without_a_shared_outcome_one_line_says_where_it_will_appear(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert NOTHING_SHARED in html
    assert "See the comparison" not in html


def test_without_a_manager_or_a_level_there_is_no_outcome_section(client, manager, framework):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    loner = make_user("lou@example.com", "Lou Alone", level=framework.levels.get(key="ic-1"))
    for user in (joiner, loner):
        client.force_login(user)
        assert "Your latest outcome" not in client.get(reverse("home")).content.decode()


def test_the_newest_shared_outcome_wins(client, framework, manager, pm):
    earlier = make_cycle("2025 H2", start=datetime.date(2025, 7, 1))
    later = make_cycle("2026 H1")
    shared_review(pm, manager, framework, later)
    shared_review(pm, manager, framework, earlier)
    Assessment.objects.filter(cycle=earlier).update(shared_at=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC))
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "in the 2026 H1 review cycle" in html
    assert "2025 H2" not in html


def test_newer_unshared_assessment_does_not_replace_the_shared_outcome(client, framework, manager, pm):
    shared_review(pm, manager, framework, make_cycle("2025 H2", start=datetime.date(2025, 7, 1)))
    make_review(pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, dict.fromkeys(SELF_RANKS, 4))
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "in the 2025 H2 review cycle" in html
    assert '<div class="verdict verdict--nearly">' in html
    assert "verdict--ready" not in html


def test_shared_outcome_in_a_blind_cycle_waits_for_the_self_assessment(client, framework, manager, pm):
    cycle = make_cycle(blind=True)
    make_review(
        pm,
        manager,
        framework.levels.get(key="ic-3"),
        SELF_RANKS,
        MANAGER_RANKS,
        cycle=cycle,
        self_status=Assessment.Status.DRAFT,
        manager_status=Assessment.Status.SHARED,
    )
    client.force_login(pm)
    assert NOTHING_SHARED in client.get(reverse("home")).content.decode()
    Assessment.objects.filter(kind=Assessment.Kind.SELF).update(status=Assessment.Status.SUBMITTED)
    html = client.get(reverse("home")).content.decode()
    assert "Your latest outcome" in html and NOTHING_SHARED not in html


def test_manager_sees_no_outcome_for_their_reports_on_their_own_home(client, framework, manager, pm):
    shared_review(pm, manager, framework)
    client.force_login(manager)
    assert "Your latest outcome" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("reviews", [1, 6])
def test_home_with_an_outcome_query_count_does_not_grow_with_the_history(
    client, framework, manager, pm, reviews, django_assert_max_num_queries
):
    for number in range(reviews):
        shared_review(
            pm, manager, framework, make_cycle(f"{2020 + number} H1", start=datetime.date(2020 + number, 1, 1))
        )
    client.force_login(pm)
    # Measured 10: the session, the user, me (with the navigation's questions; someone with no reports has no team
    # to count and no reviews waiting), the open cycle, the next-step card's levels and their expectations, my own
    # assessments (the self-assessment card and the outcome), two or three for the outcome's comparison (ratings,
    # the scale, and the levels' expectations the next-step card has not read), What's next in one statement.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert f"in the {2020 + reviews - 1} H1 review cycle" in response.content.decode()


def test_an_outcome_from_a_former_manager_still_names_them(client, framework, manager, pm):
    """The authors come from me and my manager, read with me; one who no longer manages me is read apart."""
    shared_review(pm, manager, framework, make_cycle())
    new_manager = make_user("nora@example.com", "Nora New", level=framework.levels.get(key="mgr-1"))
    person = pm.person
    person.manager = new_manager.person
    person.save()
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "Your manager is <strong>Nora New</strong>" in html
    assert "Maya Manager assessed you against <strong>IC level 3</strong>" in html

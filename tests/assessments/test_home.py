import pytest
from django.urls import reverse

from frameworks.models import Framework
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
    assert 'href="/frameworks/product/v1/compare/?from=ic-2&amp;to=ic-3">Compare levels</a>' in html
    assert 'href="/frameworks/product/v1/levels/ic-3/">Read the level</a>' in html
    assert "Start self-assessment" in html


def test_levels_at_the_next_grade_on_other_tracks_are_offered(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "Or move to the Management track:" in html
    assert 'href="/frameworks/product/v1/levels/mgr-1/">Manager level 1</a>' in html
    assert 'href="/frameworks/product/v1/compare/?from=ic-2&amp;to=mgr-1"' in html


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


def test_hr_admin_is_pointed_to_people_administration(client, hr_admin):
    client.force_login(hr_admin)
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:assessments_person_changelist") in html


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
    with django_assert_max_num_queries(11):  # one more for the self-assessment card and the reviews waiting
        response = client.get(reverse("home"))
    assert f"You manage {size} people" in response.content.decode()

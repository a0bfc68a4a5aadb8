import pytest
from django.urls import reverse

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


def test_indirect_reports_are_grouped_under_their_manager_and_collapsed(client, manager, org):
    client.force_login(manager)
    html = client.get(reverse("team")).content.decode()
    assert '<details class="people-group">' in html  # closed by default
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


@pytest.mark.parametrize("size", [10, 100])
def test_team_query_count_does_not_grow_with_the_team(client, framework, manager, size, django_assert_max_num_queries):
    level = framework.levels.get(key="ic-1")
    leads = [make_user(f"lead{i}@example.com", f"Lead {i}", manager=manager, level=level) for i in range(size // 10)]
    for i in range(size - len(leads)):
        make_user(f"pm{i}@example.com", f"PM {i}", manager=leads[i % len(leads)], level=level)
    client.force_login(manager)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("team"))
    assert response.content.decode().count('href="/people/') == size

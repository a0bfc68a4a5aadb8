import pytest
from django.urls import reverse

from tests.factories import make_user


@pytest.fixture
def head(framework, manager):
    head = make_user("hugo@example.com", "Hugo Head", level=framework.levels.get(key="mgr-2"))
    person = manager.person
    person.manager = head.person
    person.save()
    return head


def url(user):
    return reverse("person", args=[user.person.pk])


def test_person_sees_their_own_page(client, pm, head):
    client.force_login(pm)
    response = client.get(url(pm))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Priya Product</h1>" in html
    assert "Your profile" in html
    assert 'href="/frameworks/product/v1/levels/ic/ic-2/">IC level 2</a>' in html
    # Priya's managers are named, but their pages are not hers to open.
    assert "Maya Manager" in html and "Hugo Head" in html
    assert url(pm.person.manager.user) not in html and url(head) not in html


def test_manager_sees_their_reports_page_with_a_link_to_themself(client, pm, manager, head):
    client.force_login(manager)
    response = client.get(url(pm))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{url(manager)}">Maya Manager</a>' in html
    assert "Hugo Head" in html and url(head) not in html


def test_skip_level_manager_sees_the_page_and_the_whole_line(client, pm, manager, head):
    client.force_login(head)
    response = client.get(url(pm))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{url(manager)}">Maya Manager</a>' in html
    assert f'<a href="{url(head)}">Hugo Head</a>' in html


@pytest.mark.parametrize("who", ["stranger", "peer"])
def test_peers_and_strangers_get_404(client, framework, pm, manager, stranger, who):
    viewer = stranger
    if who == "peer":
        viewer = make_user("pete@example.com", "Pete Peer", manager=manager, level=framework.levels.get(key="ic-1"))
    client.force_login(viewer)
    response = client.get(url(pm))
    assert response.status_code == 404
    assert b"Priya" not in response.content


def test_report_cannot_open_their_managers_page(client, pm, manager):
    client.force_login(pm)
    assert client.get(url(manager)).status_code == 404


def test_unknown_person_is_404_even_for_hr(client, hr_admin):
    client.force_login(hr_admin)
    assert client.get(reverse("person", args=[999_999])).status_code == 404


def test_hr_admin_sees_anyone_with_a_link_to_edit(client, pm, hr_admin):
    client.force_login(hr_admin)
    html = client.get(url(pm)).content.decode()
    assert reverse("admin:assessments_person_change", args=[pm.person.pk]) in html


def test_manager_page_lists_their_direct_reports(client, pm, manager, head):
    client.force_login(head)
    html = client.get(url(manager)).content.decode()
    assert "Maya Manager’s direct reports" in html
    assert f'<a href="{url(pm)}">Priya Product</a>' in html


def test_leaver_page_says_they_left_and_stays_visible_to_their_manager(client, pm, manager):
    pm.is_active = False
    pm.save()
    client.force_login(manager)
    response = client.get(url(pm))
    assert response.status_code == 200
    assert "Priya Product has left." in response.content.decode()


def test_new_joiner_page_says_who_sets_the_level(client, manager):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    client.force_login(manager)
    html = client.get(url(joiner)).content.decode()
    assert "Not set yet: their manager, Maya Manager, or HR sets it." in html


def test_manager_sets_a_new_joiners_level_and_then_only_hr_changes_it(client, framework, manager, head, hr_admin):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    set_url = reverse("person_level", args=[joiner.person.pk])
    client.force_login(head)  # above her manager: sees the page, may not set it
    assert "Set Nia New’s level" not in client.get(url(joiner)).content.decode()
    refused = client.post(set_url, {"level": ic2.pk})
    assert refused.status_code == 403
    assert "Only their manager, Maya Manager, or HR can set Nia New’s level." in refused.content.decode()
    client.force_login(manager)
    page = client.get(url(joiner)).content.decode()
    assert "Set Nia New’s level" in page and f'<option value="{ic2.pk}">' in page
    bad = client.post(set_url, {"level": "999999"})
    assert bad.status_code == 400
    assert "Choose a level from the list: that one is not in a published framework." in bad.content.decode()
    assert client.post(set_url, {"level": ""}).status_code == 400
    joiner.person.refresh_from_db()
    assert joiner.person.level is None
    response = client.post(set_url, {"level": ic2.pk}, follow=True)
    assert response.redirect_chain == [(url(joiner), 302)]
    assert "Nia New is now an IC level 2 on Product management." in response.content.decode()
    joiner.person.refresh_from_db()
    assert joiner.person.level == ic2
    assert joiner.person.history.first().history_user == manager  # the audit trail says who
    assert "Set Nia New’s level" not in response.content.decode()
    assert client.post(set_url, {"level": ic3.pk}).status_code == 403  # set now: HR changes it
    client.force_login(hr_admin)
    assert client.post(set_url, {"level": ic3.pk}).status_code == 302
    joiner.person.refresh_from_db()
    assert joiner.person.level == ic3
    assert client.get(set_url).status_code == 405


@pytest.mark.parametrize("size", [10, 100])
def test_person_page_query_count_is_flat(client, framework, manager, size, django_assert_max_num_queries):
    level = framework.levels.get(key="ic-1")
    for i in range(size):
        make_user(f"pm{i}@example.com", f"PM {i}", manager=manager, level=level)
    client.force_login(manager)
    with django_assert_max_num_queries(7):
        response = client.get(url(manager))
    assert response.content.decode().count('href="/people/') == size


def test_assess_button_continues_the_managers_own_draft(
    client, framework, pm, manager, head, django_assert_max_num_queries
):
    from assessments.reviews.models import Assessment

    ic3 = framework.levels.get(key="ic-3")
    client.force_login(manager)
    with django_assert_max_num_queries(9):  # one more than before: the draft
        html = client.get(url(pm)).content.decode()
    assert "Assess Priya Product against IC level 3</button>" in html and "Continue" not in html
    draft, _ = Assessment.start(subject=pm.person, author=manager.person, level=ic3)
    first = draft.ratings.order_by("pk").first()
    draft.ratings.filter(pk=first.pk).update(not_applicable=True)
    with django_assert_max_num_queries(9):  # one more than before: the draft
        html = client.get(url(pm)).content.decode()
    assert (
        f'<a class="btn btn-primary" href="{draft.get_absolute_url()}">Continue assessing Priya Product against '
        "IC level 3 — 1 of 4 rated</a>" in html
    )
    assert "Assess Priya Product" not in html
    client.force_login(head)  # Maya's draft is hers: her manager may still start his own
    html = client.get(url(pm)).content.decode()
    assert "Assess Priya Product against IC level 3</button>" in html and "Continue" not in html


def test_no_assess_button_until_the_level_is_set(client, framework, manager, head):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    client.force_login(manager)
    html = client.get(url(joiner)).content.decode()
    assert "Assess Nia New" not in html
    assert "To assess Nia New, set their level first: choose it under “Set Nia New’s level” above." in html
    client.force_login(head)
    html = client.get(url(joiner)).content.decode()
    assert "Assess Nia New" not in html
    assert "To assess Nia New, set their level first: their manager, Maya Manager, or HR sets it." in html

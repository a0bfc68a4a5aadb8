"""My assessments, and a person's assessments for their managers and HR: filters and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.reviews.models import ReviewCycle
from tests.assessments.assessment_helpers import level, make_cycle, shared, start, submitted
from tests.factories import make_framework, make_user

MINE = reverse("assessments:mine")
MAX_LIST_QUERIES = 14


def _person_url(user):
    return reverse("assessments:person", args=[user.person.pk])


def test_my_assessments_lists_mine_and_those_shared_with_me(client, pm, manager, framework):
    own = start(pm, pm, level(framework, "ic-3"))
    shared_one = shared(pm, manager, level(framework, "ic-2"))
    unshared = submitted(pm, manager, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.get(MINE)
    about_me = response.context["about_me"]
    assert response.status_code == 200
    assert set(about_me) == {own, shared_one}
    assert unshared not in about_me
    html = response.content.decode()
    assert "Your self-assessment" in html
    assert "Maya Manager’s assessment of you" in html
    assert "0 of 4 rated" in html
    assert html.count("<h1") == 1


def test_my_assessments_shows_what_a_manager_wrote(client, pm, manager, framework):
    mine = start(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    response = client.get(MINE)
    assert response.context["by_me"] == [mine]
    assert "Your assessment of Priya Product" in response.content.decode()


def test_my_assessments_filters_by_cycle_and_status(client, pm, manager, framework):
    h1 = make_cycle("2026 H1", status=ReviewCycle.Status.OPEN, starts_on="2026-01-01")
    in_h1 = submitted(pm, pm, level(framework, "ic-3"), h1)
    outside = start(pm, pm, level(framework, "ic-2"))
    client.force_login(pm)
    assert client.get(MINE, {"cycle": h1.pk}).context["about_me"] == [in_h1]
    assert client.get(MINE, {"cycle": "none"}).context["about_me"] == [outside]
    assert client.get(MINE, {"status": "draft"}).context["about_me"] == [outside]
    assert client.get(MINE, {"status": "submitted", "cycle": "none"}).context["about_me"] == []
    # Nonsense filters are ignored, not an error.
    assert set(client.get(MINE, {"cycle": "x", "status": "y"}).context["about_me"]) == {in_h1, outside}


def test_person_assessments_for_their_manager_show_submitted_not_drafts(client, pm, manager, framework):
    draft = start(pm, pm, level(framework, "ic-2"))
    done = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    response = client.get(_person_url(pm))
    assert response.status_code == 200
    assert response.context["assessments"] == [done]
    assert draft not in response.context["assessments"]
    assert "Assess Priya Product against IC level 3" in response.content.decode()


def test_person_assessments_filter_by_status(client, pm, manager, framework):
    done = submitted(pm, pm, level(framework, "ic-3"))
    mine = submitted(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    assert client.get(_person_url(pm), {"status": "submitted"}).context["assessments"] == [mine, done]
    assert client.get(_person_url(pm), {"status": "shared"}).context["assessments"] == []


def test_hr_sees_a_persons_submitted_assessments(client, pm, hr_admin, framework):
    done = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(hr_admin)
    response = client.get(_person_url(pm))
    assert response.context["assessments"] == [done]
    assert "Assess Priya Product" not in response.content.decode()  # HR reads; managers assess


def test_stranger_gets_404_on_a_persons_assessments(client, pm, stranger, framework):
    client.force_login(stranger)
    assert client.get(_person_url(pm)).status_code == 404


def test_pm_cannot_list_their_managers_assessments(client, pm, manager, framework):
    client.force_login(pm)
    assert client.get(_person_url(manager)).status_code == 404


def _org(size, key):
    fw = make_framework(key=key, areas=size // 5, capabilities_per_area=5)
    boss = make_user(f"boss-{key}@example.com", "Boss", level=fw.levels.get(key="mgr-2"))
    people = [
        make_user(f"p{i}-{key}@example.com", f"Person {i}", level=fw.levels.get(key="ic-1"), manager=boss)
        for i in range(size // 5)
    ]
    for person in people:
        submitted(person, person, fw.levels.get(key="ic-2"))
        shared(person, boss, fw.levels.get(key="ic-2"))
        start(person, person, fw.levels.get(key="ic-3"))
    return boss, people


@pytest.mark.parametrize("page", ["mine", "person"])
def test_list_query_counts_are_flat_from_10_to_60_capabilities_and_2_to_12_people(client, page, db):
    counts = []
    for size, key in ((10, "small"), (60, "large")):
        boss, people = _org(size, key)
        client.force_login(boss if page == "mine" else people[0])
        url = MINE if page == "mine" else _person_url(people[0])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"cycle": "none"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_LIST_QUERIES, counts


def test_my_assessments_offers_start_continue_or_choose(client, pm, framework):
    client.force_login(pm)
    assert "Start self-assessment against IC level 3</button>" in client.get(MINE).content.decode()
    draft = start(pm, pm, level(framework, "ic-3"))
    html = client.get(MINE).content.decode()
    assert (
        f'href="/assessments/{draft.pk}/">Continue your self-assessment against IC level 3 — 0 of 4 rated</a>' in html
    )
    assert "Start self-assessment against" not in html
    first = draft.ratings.order_by("pk").first()
    draft.ratings.filter(pk=first.pk).update(scale_level=framework.scale_levels.get(key="practitioner"))
    assert "Continue your self-assessment against IC level 3 — 1 of 4 rated</a>" in client.get(MINE).content.decode()
    draft.ratings.update(scale_level=framework.scale_levels.get(key="practitioner"))
    draft.submit()
    html = client.get(MINE).content.decode()
    assert "Start self-assessment against" not in html and "Continue your" not in html
    assert "Choose another level or cycle</a>" in html

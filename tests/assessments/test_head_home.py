"""A head's home (a manager with managers below them): the open cycle's progress in their part of the organisation."""

import datetime

import pytest
from django.urls import reverse

from assessments.reviews.cycles import ReviewCycle
from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import make_cycle, make_review, make_self
from tests.factories import make_user


@pytest.fixture
def org(framework, manager, pm):
    """Maya (head) → Priya (lead) → Ivy, Ian; Sam elsewhere, outside Maya's part."""
    level = framework.levels.get(key="ic-2")
    ivy = make_user("ivy@example.com", "Ivy Indirect", manager=pm, level=level)
    ian = make_user("ian@example.com", "Ian Indirect", manager=pm, level=level)
    sam = make_user("sam@example.com", "Sam Elsewhere", level=level)
    return {"ivy": ivy, "ian": ian, "sam": sam, "level": framework.levels.get(key="ic-3")}


def test_head_sees_the_open_cycles_progress_below_them(client, manager, pm, org):
    closed = make_cycle("2026 H1")
    make_self(org["ivy"], org["level"], {}, cycle=closed, status="submitted")  # another cycle: not counted
    ReviewCycle.objects.filter(pk=closed.pk).update(status=ReviewCycle.Status.CLOSED)
    cycle = make_cycle("2026 H2", start=datetime.date(2026, 7, 1))
    make_self(org["ivy"], org["level"], {}, cycle=cycle, status="draft")
    make_review(org["ian"], pm, org["level"], {}, {}, cycle=cycle, manager_status=Assessment.Status.SHARED)
    make_self(org["sam"], org["level"], {}, cycle=cycle, status="submitted")  # not Maya's: not counted
    client.force_login(manager)
    response = client.get(reverse("home"))
    progress = response.context["head_progress"]
    assert progress["cycle"] == cycle
    assert progress["counts"].total == 3  # Priya, Ivy, Ian
    # Maya is not HR: Ivy's draft is hers until she submits it, and reads "not submitted", as on the progress page.
    assert [(words, count) for _, words, count, _ in progress["self"]] == [("Not submitted", 2), ("Submitted", 1)]
    assert [(words, count) for _, words, count, _ in progress["manager"]] == [("Not submitted", 2), ("Shared", 1)]
    body = response.content.decode()
    assert "2026 H2 in your part of the organisation" in body
    assert "3 people are in this review cycle below you." in body
    url = reverse("reports:cycle_progress", args=[cycle.pk])
    assert f'<a href="{url}?manager={manager.person.pk}&amp;self_status=not_submitted">' in body
    assert f'<a href="{reverse("team")}">Open My team</a> to see each team' in body
    # The numbers lead to the progress page, which lists the same people.
    listed = client.get(f"{url}?manager={manager.person.pk}&self_status=not_submitted")
    assert listed.status_code == 200
    assert [row.person.name for row in listed.context["rows"]] == ["Ivy Indirect", "Priya Product"]


def test_only_heads_see_it_and_only_with_an_open_cycle(client, manager, pm, org):
    client.force_login(manager)
    assert client.get(reverse("home")).context["head_progress"] is None  # no open cycle
    make_cycle("2026 H2", start=datetime.date(2026, 7, 1))
    assert client.get(reverse("home")).context["head_progress"] is not None
    client.force_login(pm)  # a manager of PMs only
    response = client.get(reverse("home"))
    assert response.context["head_progress"] is None
    assert "in your part of the organisation" not in response.content.decode()
    client.force_login(org["ivy"])
    assert client.get(reverse("home")).context["head_progress"] is None


@pytest.mark.parametrize("size", [10, 100])
def test_head_home_query_count_is_flat(client, framework, manager, size, django_assert_max_num_queries):
    cycle = make_cycle("2026 H2", start=datetime.date(2026, 7, 1))
    level = framework.levels.get(key="ic-1")
    leads = [make_user(f"lead{i}@example.com", f"Lead {i}", manager=manager, level=level) for i in range(size // 10)]
    for i in range(size - len(leads)):
        person = make_user(f"pm{i}@example.com", f"PM {i}", manager=leads[i % len(leads)], level=level)
        if i % 3 == 0:
            make_self(person, level, {}, cycle=cycle, status="draft")
    client.force_login(manager)
    # Measured 12 at both sizes (on SQLite): the home page's own (mine and my reports' self-assessments are two
    # indexed queries, not one OR over every assessment; What's next one statement), and two for the progress (a
    # head? one GROUP BY); the open cycle is read once for home.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.context["head_progress"]["counts"].total == size

"""A person's history: ratings per capability across reviews, followed by key across framework versions."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, agree, make_cycle, make_review, set_status
from tests.factories import make_framework, make_user


def history_url(person):
    return reverse("reports:history", args=[person.pk])


@pytest.fixture
def two_versions(framework, pm, manager):
    """A 2025 review on version 1, then version 2 (capability 1.1 renamed) and a 2026 review on it."""
    early = make_cycle("2025 H2", start=datetime.date(2025, 7, 1))
    make_review(
        pm,
        manager,
        framework.levels.get(key="ic-3"),
        dict.fromkeys(SELF_RANKS, 2),
        dict.fromkeys(SELF_RANKS, 2),
        cycle=early,
    )
    draft = framework.new_version()
    renamed = draft.capabilities.get(key="cap-1-1")
    renamed.name = "User insight"
    renamed.save()
    draft.publish()
    late = make_cycle("2026 H1")
    _, theirs = make_review(pm, manager, draft.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS, cycle=late)
    agree(theirs, {"cap-1-2": 3})
    return {"early": early, "late": late, "v2": draft, "manager": theirs}


def test_history_follows_capabilities_by_key_across_versions(client, manager, pm, two_versions):
    client.force_login(manager)
    response = client.get(history_url(pm.person))
    assert response.status_code == 200
    history = response.context["history"]
    assert [point.cycle.name for point in history.points] == ["2025 H2", "2026 H1"]
    rows = {row.key: row for row in history.rows}
    assert set(rows) == {"cap-1-1", "cap-1-2", "cap-2-1", "cap-2-2"}
    assert rows["cap-1-1"].capability.name == "User insight"  # the newest name wins
    assert [cell.effective[0].rank for cell in rows["cap-1-2"].cells] == [2, 3]  # agreed 3 beats the manager's 2
    assert [cell.agreed for cell in rows["cap-1-2"].cells] == [False, True]
    assert [cell.self_answer[0].rank for cell in rows["cap-1-2"].cells] == [2, 3]
    body = response.content.decode()
    assert body.count('class="chart chart--history"') == 4
    assert "User insight over time" in body


def test_drafts_are_not_history(client, manager, pm, framework):
    make_review(
        pm,
        manager,
        framework.levels.get(key="ic-3"),
        SELF_RANKS,
        MANAGER_RANKS,
        manager_status="draft",
        self_status="draft",
    )
    client.force_login(manager)
    assert client.get(history_url(pm.person)).context["history"].points == []


def test_subject_sees_only_shared_manager_ratings(client, pm, manager, framework):
    _, theirs = make_review(pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS)
    client.force_login(pm)
    history = client.get(history_url(pm.person)).context["history"]
    assert [point.manager_assessment for point in history.points] == [None]
    assert "No manager rating" in client.get(history_url(pm.person)).content.decode()
    set_status(theirs, Assessment.Status.SHARED)
    history = client.get(history_url(pm.person)).context["history"]
    assert history.points[0].manager_assessment == theirs


def test_stranger_gets_404(client, stranger, pm):
    client.force_login(stranger)
    assert client.get(history_url(pm.person)).status_code == 404
    assert client.get(reverse("reports:history_csv", args=[pm.person.pk])).status_code == 404


def test_history_csv_has_one_line_per_capability_and_review(client, manager, pm, two_versions):
    client.force_login(manager)
    response = client.get(reverse("reports:history_csv", args=[pm.person.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="history-priya-product.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 8
    strategy = [row for row in rows if row["Capability key"] == "cap-1-2"]
    assert [(r["Review"], r["Agreed or manager rating"], r["Agreed"], r["Self rating"]) for r in strategy] == [
        ("2025 H2", "Working", "no", "Working"),
        ("2026 H1", "Practitioner", "yes", "Practitioner"),
    ]


def test_history_query_count_does_not_grow_with_reviews(client, django_assert_max_num_queries, db):
    framework = make_framework(areas=5, capabilities_per_area=6)
    boss = make_user("boss@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
    report = make_user("report@example.com", "Report", manager=boss, level=framework.levels.get(key="ic-2"))
    ranks = {c.key: 3 for c in framework.capabilities.all()}
    client.force_login(boss)
    for year in range(2020, 2026):
        make_review(
            report,
            boss,
            framework.levels.get(key="ic-3"),
            ranks,
            ranks,
            cycle=make_cycle(str(year), start=datetime.date(year, 1, 1)),
        )
        # Measured: 9 (page) and 9 (CSV) with 1 to 6 reviews of 30 capabilities.
        with django_assert_max_num_queries(9):
            assert client.get(history_url(report.person)).status_code == 200
        with django_assert_max_num_queries(9):
            assert client.get(reverse("reports:history_csv", args=[report.person.pk])).status_code == 200

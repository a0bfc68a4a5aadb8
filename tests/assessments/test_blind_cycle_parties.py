"""Blind cycles hold for an HR admin who is a party to the review: the person assessed, one of their managers,
or the author of either side. HR outside the review still sees everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.assessment_helpers import level, make_cycle, page_url, rate_all, shared, start, submitted
from tests.factories import make_user

SELF_EVIDENCE = "What I did this half, in my own words."
MANAGER_EVIDENCE = "What my manager saw this half."


def _report_urls(subject_user, target, cycle):
    query = f"?level={target.pk}&cycle={cycle.pk}"
    person = subject_user.person.pk
    return reverse("reports:compare", args=[person]) + query, reverse("reports:compare_csv", args=[person]) + query


def _seen(client, urls) -> dict[str, str]:
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode("utf-8-sig")
    return bodies


@pytest.fixture
def hr_subject(framework):
    """Hana, an HR admin, assessed by her own manager Mo in a blind cycle."""
    boss = make_user("mo@example.com", "Mo Manager", level=level(framework, "mgr-2"))
    hana = make_user("hana@example.com", "Hana Admin", hr_admin=True, manager=boss, level=level(framework, "mgr-1"))
    return hana, boss


def test_an_hr_admin_who_is_assessed_does_not_see_her_managers_ratings_before_submitting(client, framework, hr_subject):
    hana, boss = hr_subject
    cycle = make_cycle(blind=True)
    target = level(framework, "mgr-2")
    own = start(hana, hana, target, cycle)
    theirs = shared(hana, boss, target, cycle, evidence=MANAGER_EVIDENCE)
    client.force_login(hana)
    html = client.get(page_url(theirs)).content.decode()
    assert MANAGER_EVIDENCE not in html
    assert "until you have submitted your own self-assessment" in html
    # As for anyone assessed: nothing to compare until the manager's side is theirs to see.
    for url in _report_urls(hana, target, cycle):
        assert client.get(url).status_code == 404, url

    assert rate_all(own, evidence=SELF_EVIDENCE).submit()
    urls = [page_url(theirs), *_report_urls(hana, target, cycle)]
    for url, body in _seen(client, urls).items():
        assert MANAGER_EVIDENCE in body, url


def test_an_hr_admin_who_manages_the_person_does_not_see_the_self_ratings_before_submitting(client, framework):
    hana = make_user("hana@example.com", "Hana Admin", hr_admin=True, level=level(framework, "mgr-1"))
    rita = make_user("rita@example.com", "Rita Report", manager=hana, level=level(framework, "ic-2"))
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(rita, rita, target, cycle, evidence=SELF_EVIDENCE)
    mine = start(rita, hana, target, cycle)
    client.force_login(hana)
    urls = [page_url(theirs), page_url(mine), *_report_urls(rita, target, cycle)]
    for url, body in _seen(client, urls).items():
        assert SELF_EVIDENCE not in body, url
    assert "Ratings hidden: this review cycle is blind" in client.get(page_url(theirs)).content.decode()

    assert rate_all(mine, evidence=MANAGER_EVIDENCE).submit()
    for url, body in _seen(client, urls).items():
        assert SELF_EVIDENCE in body, url


def test_an_hr_admin_further_up_the_chain_is_on_the_managers_side(client, framework, manager, pm):
    hana = make_user("hana@example.com", "Hana Admin", hr_admin=True, level=level(framework, "mgr-2"))
    manager.person.manager = hana.person
    manager.person.save()
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(pm, pm, target, cycle, evidence=SELF_EVIDENCE)
    start(pm, manager, target, cycle)
    client.force_login(hana)
    for url, body in _seen(client, [page_url(theirs), *_report_urls(pm, target, cycle)]).items():
        assert SELF_EVIDENCE not in body, url


def test_hr_outside_the_review_sees_both_sides_of_a_blind_cycle(client, framework, manager, pm, hr_admin):
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(pm, pm, target, cycle, evidence=SELF_EVIDENCE)
    submitted(pm, manager, target, cycle, evidence=MANAGER_EVIDENCE)
    start(pm, pm, level(framework, "mgr-1"), cycle)  # unrelated work in progress changes nothing
    client.force_login(hr_admin)
    bodies = _seen(client, [page_url(theirs), *_report_urls(pm, target, cycle)])
    for url, body in bodies.items():
        assert SELF_EVIDENCE in body, url
    compare_page, compare_csv = _report_urls(pm, target, cycle)
    assert MANAGER_EVIDENCE in bodies[compare_page] and MANAGER_EVIDENCE in bodies[compare_csv]


def test_hr_history_of_blind_reviews_reads_the_reporting_lines_once(client, framework, manager, pm, hr_admin):
    client.force_login(hr_admin)
    counts = []
    for year in (2023, 2024, 2025, 2026):
        cycle = make_cycle(str(year), blind=True, starts_on=f"{year}-07-01")
        target = level(framework, "ic-3")
        submitted(pm, pm, target, cycle)
        submitted(pm, manager, target, cycle)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reports:history", args=[pm.person.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[-1], counts

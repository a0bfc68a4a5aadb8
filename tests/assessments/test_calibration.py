"""Calibration: how each manager's ratings sit against expectations and their people's own ratings."""

import csv
import io

import pytest
from django.urls import reverse

from tests.assessments.report_fixtures import make_cycle, make_review
from tests.factories import make_framework, make_user

KEYS = ["cap-1-1", "cap-1-2", "cap-1-3", "cap-2-1", "cap-2-2", "cap-2-3"]


def ranks(*values):
    return dict(zip(KEYS, values, strict=True))


@pytest.fixture
def org(db):
    """Hugo heads Maya (Priya, Pete) and Omar (Olive). IC level 3 expects Practitioner (3) for all six capabilities.

    Maya rates Priya one step above everywhere (Priya said 3) and Pete exactly as expected (as he did);
    Omar rates Olive one step below on four capabilities (she said 3 everywhere).
    """
    framework = make_framework(areas=2, capabilities_per_area=3)
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    mgr1, mgr2 = framework.levels.get(key="mgr-1"), framework.levels.get(key="mgr-2")
    hugo = make_user("hugo@example.com", "Hugo Head", level=mgr2)
    maya = make_user("maya@example.com", "Maya Manager", manager=hugo, level=mgr1)
    omar = make_user("omar@example.com", "Omar Other", manager=hugo, level=mgr1)
    priya = make_user("priya@example.com", "Priya Product", manager=maya, level=ic2)
    pete = make_user("pete@example.com", "Pete Peer", manager=maya, level=ic2)
    olive = make_user("olive@example.com", "Olive Other", manager=omar, level=ic2)
    cycle = make_cycle()
    make_review(priya, maya, ic3, ranks(3, 3, 3, 3, 3, 3), ranks(4, 4, 4, 4, 4, 4), cycle=cycle)
    make_review(pete, maya, ic3, ranks(3, 3, 3, 3, 3, 3), ranks(3, 3, 3, 3, 3, 3), cycle=cycle)
    make_review(olive, omar, ic3, ranks(3, 3, 3, 3, 3, 3), ranks(2, 2, 2, 2, 3, 3), cycle=cycle)
    # Another branch, outside Hugo's subtree.
    zoe = make_user("zoe@example.com", "Zoe Zed", level=mgr2)
    yan = make_user("yan@example.com", "Yan Why", manager=zoe, level=mgr1)
    xia = make_user("xia@example.com", "Xia Ex", manager=yan, level=ic2)
    make_review(xia, yan, ic3, ranks(3, 3, 3, 3, 3, 3), ranks(3, 3, 3, 3, 3, 3), cycle=cycle)
    return {"hugo": hugo, "maya": maya, "priya": priya, "cycle": cycle, "framework": framework}


def raters(response):
    return {rater.name: rater for rater in response.context["calibration"].raters}


def test_numbers_for_each_manager_and_the_organisation(client, org):
    client.force_login(org["hugo"])
    response = client.get(reverse("reports:calibration"))
    assert response.status_code == 200
    found = raters(response)
    assert set(found) == {"Maya Manager", "Omar Other"}  # Yan is outside Hugo's part of the organisation
    maya, omar = found["Maya Manager"], found["Omar Other"]
    assert (maya.people, maya.ratings, maya.vs_expectation, maya.vs_self, maya.share_above) == (2, 12, 0.5, 0.5, 0.5)
    assert (omar.people, omar.ratings, omar.share_above) == (1, 6, 0.0)
    assert omar.vs_expectation == pytest.approx(-4 / 6) and omar.vs_self == pytest.approx(-4 / 6)
    org_stats = response.context["calibration"].organisation
    assert (org_stats.people, org_stats.ratings) == (3, 18)
    assert org_stats.vs_expectation == pytest.approx(2 / 18)
    assert org_stats.share_above == pytest.approx(6 / 18)


def test_outliers_are_called_out_in_words(client, org):
    client.force_login(org["hugo"])
    response = client.get(reverse("reports:calibration"))
    assert response.context["calibration"].outliers == [
        "Omar Other rates 0.7 steps below expectation on average; the organisation, 0.1 above.",
        "Omar Other rates 0.7 steps below their people’s own ratings on average; the organisation, 0.1 above.",
    ]
    body = response.content.decode()
    assert "Omar Other rates 0.7 steps below expectation on average" in body
    assert "+0.5 steps" in body and "50% of ratings" in body
    assert '<svg class="chart chart--difference"' in body


def test_readiness_distribution_per_level(client, org):
    client.force_login(org["hugo"])
    lines = client.get(reverse("reports:calibration")).context["calibration"].readiness
    assert [(line.level_name, line.ready, line.nearly, line.not_yet, line.total) for line in lines] == [
        ("IC level 3", 2, 0, 1, 3)
    ]


def test_hr_sees_every_manager_and_filters_by_cycle(client, org, hr_admin):
    client.force_login(hr_admin)
    assert set(raters(client.get(reverse("reports:calibration")))) == {"Maya Manager", "Omar Other", "Yan Why"}
    other = make_cycle("2025 H2", start=org["cycle"].starts_on.replace(year=2025))
    response = client.get(reverse("reports:calibration") + f"?cycle={other.pk}")
    assert response.context["calibration"].raters == []
    assert "nothing to calibrate" in response.content.decode()


def test_first_line_managers_and_pms_get_404(client, org):
    for viewer in (org["maya"], org["priya"]):
        client.force_login(viewer)
        assert client.get(reverse("reports:calibration")).status_code == 404
        assert client.get(reverse("reports:calibration_csv")).status_code == 404


def test_calibration_csv_has_managers_then_the_organisation(client, org):
    client.force_login(org["hugo"])
    response = client.get(reverse("reports:calibration_csv") + f"?cycle={org['cycle'].pk}")
    assert response["Content-Disposition"] == 'attachment; filename="calibration-2026-h1.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Manager" and rows[0][3] == "Mean difference from expectation (steps)"
    assert rows[1:] == [
        ["Maya Manager", "2", "12", "0.5", "0.5", "12", "50"],
        ["Omar Other", "1", "6", "-0.67", "-0.67", "6", "0"],
        ["The organisation", "3", "18", "0.11", "0.11", "18", "33"],
    ]
    response = client.get(reverse("reports:calibration_csv") + "?table=readiness")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Level", "Framework", "Ready", "Nearly", "Not yet", "People"],
        ["IC level 3", "Product management", "2", "0", "1", "3"],
    ]


def test_calibration_query_count_is_flat_from_10_to_100_reports(client, django_assert_max_num_queries, db):
    framework = make_framework()
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    head = make_user("head@example.com", "Head", level=framework.levels.get(key="mgr-2"))
    lead = make_user("lead@example.com", "Lead", manager=head, level=framework.levels.get(key="mgr-1"))
    base = {c.key: 3 for c in framework.capabilities.all()}
    made = 0
    client.force_login(head)
    for size in (10, 100):
        while made < size:
            boss = head if made % 2 else lead
            report = make_user(f"r{made}@example.com", f"Report {made}", manager=boss, level=ic2)
            make_review(report, boss, ic3, base, {**base, "cap-1-1": 2})
            made += 1
        # Measured: 11 (page) and 9 (CSV) for both sizes.
        with django_assert_max_num_queries(11):
            response = client.get(reverse("reports:calibration"))
        assert sum(rater.people for rater in response.context["calibration"].raters) == size
        with django_assert_max_num_queries(9):
            assert client.get(reverse("reports:calibration_csv")).status_code == 200

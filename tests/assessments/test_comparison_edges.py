"""The comparison page at its edges: nothing to compare, a bad cycle, no level yet, an agreed "not applicable"."""

import datetime

import pytest
from django.urls import reverse

from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review
from tests.factories import make_user


def compare_url(person, **params):
    url = reverse("reports:compare", args=[person.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def ic3(framework):
    return framework.levels.get(key="ic-3")


@pytest.fixture
def newcomer(manager):
    """Nia reports to Maya and has no level yet."""
    return make_user("nia@example.com", "Nia Newcomer", manager=manager)


def test_someone_with_no_level_and_no_assessment_has_nothing_to_compare(client, manager, newcomer):
    client.force_login(manager)
    assert client.get(compare_url(newcomer.person)).status_code == 404


def test_a_cycle_that_is_not_a_number_is_not_found(client, manager, pm, ic3):
    make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=make_cycle())
    client.force_login(manager)
    assert client.get(compare_url(pm.person, cycle="last-year")).status_code == 404


def test_a_cycle_without_assessments_at_the_level_shows_an_empty_comparison(client, manager, pm, ic3):
    make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=make_cycle())
    other = make_cycle("2027 H1", start=datetime.date(2027, 1, 1))
    client.force_login(manager)
    response = client.get(compare_url(pm.person, level=ic3.pk, cycle=other.pk))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.cycle == other
    assert comparison.self_assessment is None and comparison.manager_assessment is None
    assert response.context["readiness"] is None


def test_someone_without_a_level_is_compared_with_the_level_assessed(client, manager, newcomer, framework):
    ic1 = framework.levels.get(key="ic-1")
    ranks = {"cap-1-1": 1, "cap-1-2": 1, "cap-2-1": 1}
    make_review(newcomer, manager, ic1, ranks, ranks)
    client.force_login(manager)
    response = client.get(compare_url(newcomer.person))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.level == ic1 and comparison.current_level is None
    assert all(row.expected_now is None for row in comparison.rows)
    assert response.context["readiness"].label == "Ready"


def test_an_agreed_not_applicable_counts_and_reads_as_such(client, manager, pm, ic3):
    _, theirs = make_review(pm, manager, ic3, MANAGER_RANKS, MANAGER_RANKS, cycle=make_cycle())  # both sides agree
    client.force_login(manager)
    page = client.get(compare_url(pm.person))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    capability = theirs.ratings.select_related("capability").get(capability__key="cap-2-1").capability
    data[f"agreed-{capability.pk}"] = "na"
    data[f"note-{capability.pk}"] = "This team has no data platform."
    response = client.post(reverse("reports:agreed", args=[theirs.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    rating = theirs.ratings.get(capability=capability)
    assert (rating.agreed_scale_level_id, rating.agreed_not_applicable) == (None, True)

    page = client.get(compare_url(pm.person))
    row = next(row for row in page.context["comparison"].rows if row.capability.pk == capability.pk)
    assert row.effective_answer == (None, True)
    assert row.gap is None
    assert row.gap_label == "Not applicable"
    assert page.context["form"][f"agreed-{capability.pk}"].value() == "na"

"""A self-assessment returned for changes is not lost from view: My team shows it as returned, with who and
when, while its answers stay private to the person rewriting them."""

import pytest
from django.urls import reverse

from tests.assessments.assessment_helpers import level, submitted
from tests.assessments.test_team import cell, row_of
from tests.factories import make_user


@pytest.fixture
def returned(client, framework, pm, manager):
    assessment = submitted(pm, pm, level(framework, "ic-3"), evidence="Private words about the pricing work.")
    client.force_login(manager)
    response = client.post(
        reverse("assessments:return", args=[assessment.pk]), {"comment": "Please add evidence for discovery."}
    )
    assert response.status_code == 302
    client.logout()
    return assessment


def test_my_team_shows_a_returned_self_assessment_as_returned(client, manager, returned):
    client.force_login(manager)
    row = row_of(client.get(reverse("team")).content.decode(), "Priya Product")
    assert cell(row, "Self-assessment").startswith("Returned by Maya Manager on ")


def test_a_skip_level_manager_sees_the_status_but_never_the_answers(client, framework, manager, returned):
    head = make_user("hugo@example.com", "Hugo Head", level=framework.levels.get(key="mgr-1"))
    person = manager.person
    person.manager = head.person
    person.save()
    client.force_login(head)
    page = client.get(reverse("team")).content.decode()
    assert cell(row_of(page, "Priya Product"), "Self-assessment").startswith("Returned by Maya Manager")
    assert "Private words about the pricing work." not in page
    assert client.get(reverse("assessments:detail", args=[returned.pk])).status_code == 404


def test_a_stranger_learns_nothing_of_it(client, stranger, returned):
    client.force_login(stranger)
    page = client.get(reverse("team")).content.decode()
    assert "Priya" not in page

"""The draft page's "Move to version N", and pages that speak of an assessment's own version."""

import re
from html import unescape

import pytest
from django.urls import reverse

from assessments.reviews.cycles import ReviewCycle
from assessments.reviews.models import Assessment
from frameworks.models import Capability, Expectation
from tests.assessments.assessment_helpers import make_cycle, page_url, rate_all, start, submitted


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def move_url(assessment):
    return reverse("assessments:move_version", args=[assessment.pk])


def shown(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def draft(pm, framework, cycle):
    """Priya's self-assessment against IC level 3 of version 1: every capability rated, with evidence."""
    return rate_all(start(pm, pm, framework.levels.get(key="ic-3"), cycle))


@pytest.fixture
def version_2(framework):
    """Version 2 no longer asks for capability 1.2 at IC level 3 and asks for Pricing instead."""
    new = framework.new_version()
    level = new.levels.get(key="ic-3")
    Expectation.objects.filter(level=level, capability__key="cap-1-2").delete()
    pricing = Capability.objects.create(framework=new, area=new.areas.get(key="area-2"), key="pricing", name="Pricing")
    Expectation.objects.create(level=level, capability=pricing, scale_level=new.scale_levels.get(rank=2))
    new.publish()
    return new


def test_the_author_is_offered_the_move_with_what_carries_and_what_cannot(
    client, pm, draft, version_2, django_assert_max_num_queries
):
    client.force_login(pm)
    with django_assert_max_num_queries(30):
        response = client.get(page_url(draft))
    page = text(response)
    assert "Version 2 of Product management has been published" in page
    assert "This self-assessment stays on version 1, the version it started on, unless you move it." in page
    assert "carries 3 answers with their evidence" in page
    assert (
        "1 answer can’t be carried: Capability 1.2 (rated Practitioner): IC level 3 in version 2 no longer asks for it."
        in page
    )
    assert "New at IC level 3 in version 2, to rate after the move: Pricing." in page
    assert f'<form method="post" action="{move_url(draft)}">' in response.content.decode()


def test_moving_keeps_the_one_draft_and_lists_what_was_not_carried(client, pm, draft, version_2):
    client.force_login(pm)
    response = client.post(move_url(draft), follow=True)
    assert response.redirect_chain[-1][0] == page_url(draft)
    messages = shown(response)
    assert "Moved to version 2: 3 answers carried; 1 could not be carried." in messages
    assert "Not carried to version 2:" in messages[1]
    assert "<li>Capability 1.2 (rated Practitioner): IC level 3 in version 2 no longer asks for it.</li>" in messages[1]
    assert Assessment.objects.filter(subject=pm.person, cycle=draft.cycle, kind="self").count() == 1
    moved = Assessment.objects.get(pk=draft.pk)
    assert moved.level.framework_id == version_2.pk
    assert moved.progress() == (3, 4)
    page = text(response)
    assert "has been published" not in page
    assert "version 2" in page


def test_the_move_is_refused_to_anyone_but_the_author(client, pm, manager, hr_admin, stranger, draft, version_2):
    for user in (manager, hr_admin, stranger):  # a draft is private: nobody else learns it exists
        client.force_login(user)
        assert client.post(move_url(draft)).status_code == 404
    assert Assessment.objects.get(pk=draft.pk).level.framework_id != version_2.pk


def test_a_submitted_assessment_is_not_offered_the_move(client, pm, manager, framework, cycle):
    done = submitted(pm, pm, framework.levels.get(key="ic-3"), cycle)
    framework.new_version().publish()
    client.force_login(pm)
    assert "has been published" not in text(client.get(page_url(done)))
    response = client.post(move_url(done))
    assert response.status_code == 403
    assert "Only a draft can move to a newer version; this one has been submitted." in text(response)
    client.force_login(manager)
    assert "Only the author can do this." in text(client.post(move_url(done)))


def test_in_a_closed_cycle_the_move_is_refused(client, pm, draft, version_2, cycle):
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
    client.force_login(pm)
    assert "has been published" not in text(client.get(page_url(draft)))
    response = client.post(move_url(draft))
    assert response.status_code == 403 and "is closed" in text(response)


def test_get_is_not_allowed(client, pm, draft, version_2):
    client.force_login(pm)
    assert client.get(move_url(draft)).status_code == 405


def test_nothing_newer_says_so(client, pm, draft):
    client.force_login(pm)
    page = client.get(page_url(draft))
    assert "has been published" not in text(page)
    response = client.post(move_url(draft), follow=True)
    assert "This assessment is already on the newest version of Product management." in shown(response)


def test_when_the_review_stays_on_its_version_the_page_says_why_without_a_button(
    client, pm, manager, framework, draft, cycle
):
    submitted(pm, manager, framework.levels.get(key="ic-3"), cycle)
    framework.new_version().publish()
    client.force_login(pm)
    response = client.get(page_url(draft))
    assert "This review is already under way on version 1, so this assessment stays on version 1." in text(response)
    assert move_url(draft) not in response.content.decode()


def test_a_draft_submitted_in_another_tab_is_not_moved(client, pm, draft, version_2, monkeypatch):
    from assessments.reviews.models import AssessmentLocked

    def locked(self, by):
        raise AssessmentLocked

    monkeypatch.setattr(Assessment, "move_to_published_version", locked)
    client.force_login(pm)
    response = client.post(move_url(draft), follow=True)
    assert "This assessment can no longer be changed, so it stays on version 1." in shown(response)


def test_home_and_lists_speak_of_the_drafts_own_version(client, pm, draft, version_2):
    client.force_login(pm)
    home = text(client.get(reverse("home")))
    assert "Continue against IC level 3 (version 1) — 4 of 4 rated" in home
    assert "Your draft is on version 1 of Product management, which a newer version has replaced." in home
    mine = text(client.get(reverse("assessments:mine")))
    assert "Continue your self-assessment against IC level 3 (version 1)" in mine
    assert "IC level 3 (Individual contributor, version 1)" in mine
    assert "4 of 4 rated" in mine
    started = client.post(reverse("assessments:start"), {"level": version_2.levels.get(key="ic-3").pk, "cycle": ""})
    assert started["Location"] == page_url(draft)


def test_a_move_that_carries_everything_says_only_that(client, pm, framework, draft):
    framework.new_version().publish()
    client.force_login(pm)
    response = client.post(move_url(draft), follow=True)
    assert shown(response) == ["Moved to version 2: 4 answers carried."]


def test_home_names_the_version_of_a_self_assessment_submitted_before_the_publish(client, pm, framework, cycle):
    submitted(pm, pm, framework.levels.get(key="ic-3"), cycle)
    framework.new_version().publish()
    client.force_login(pm)
    assert "Your self-assessment against IC level 3 (version 1): Submitted" in text(client.get(reverse("home")))


def test_the_managers_waiting_list_names_the_version_of_a_self_assessment_submitted_before_the_publish(
    client, pm, manager, framework, cycle
):
    submitted(pm, pm, framework.levels.get(key="ic-3"), cycle)
    client.force_login(manager)
    assert "against IC level 3 (version 1)" not in text(client.get(reverse("home")))
    framework.new_version().publish()
    assert f"{pm.person.name} against IC level 3 (version 1) ({cycle.name})" in text(client.get(reverse("home")))

"""The assessment pages when a save cannot go through: bad input, a submission in another tab, races lost."""

from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.reviews.models import Assessment, AssessmentLocked, Rating
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    make_cycle,
    page_post_data,
    page_url,
    rate_all,
    rating_url,
    start,
    submitted,
)

LOCKED = "this assessment has been submitted, so it can no longer be changed"


def messages_of(client, url):
    return [str(message) for message in client.get(url).context["messages"]]


@pytest.fixture
def draft(pm, framework):
    return start(pm, pm, level(framework, "ic-3"))


def details_url(assessment):
    return reverse("assessments:save_details", args=[assessment.pk])


# The plain form ------------------------------------------------------------------------------------


def test_a_rating_that_is_not_on_the_scale_is_refused_and_what_was_typed_is_shown_again(client, pm, draft):
    capability = draft.ratings.first().capability
    data = page_post_data(draft, changes={capability.pk: {"scale": "99999", "evidence": "Typed before the error."}})
    client.force_login(pm)
    response = client.post(page_url(draft), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Couldn’t save: Choose one of the ratings shown." in body
    assert "Typed before the error." in body
    assert Rating.objects.get(assessment=draft, capability=capability).evidence == ""


def test_a_recommendation_that_is_not_offered_is_refused(client, pm, manager, framework):
    assessment = rate_all(start(pm, manager, level(framework, "ic-3")))
    data = page_post_data(assessment, action="submit")
    data["recommendation"] = "promote-twice"
    client.force_login(manager)
    response = client.post(page_url(assessment), data)
    assert response.status_code == 400
    assert "Couldn’t save: Select a valid choice." in response.content.decode()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.recommendation) == ("draft", "ready")


def test_saving_a_submitted_assessment_again_is_refused_with_a_message(client, pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.post(page_url(assessment), page_post_data(assessment, action="save"))
    assert response["Location"] == page_url(assessment)
    assert any(LOCKED in message for message in messages_of(client, page_url(assessment)))


def test_a_submission_in_another_tab_during_the_save_is_refused_with_a_message(client, pm, draft):
    capability = draft.ratings.first().capability
    data = page_post_data(draft, changes={capability.pk: {"evidence": "Too late."}})
    client.force_login(pm)
    lock = Assessment.lock

    def submitted_meanwhile(pk):  # the other tab's submit commits just before this save takes the lock
        Assessment.objects.filter(pk=pk).update(status=Assessment.Status.SUBMITTED)
        return lock(pk)

    with mock.patch.object(Assessment, "lock", side_effect=submitted_meanwhile):
        response = client.post(page_url(draft), data)
    assert response["Location"] == page_url(draft)
    assert draft.ratings.get(capability=capability).evidence != "Too late."
    assert any(LOCKED in message for message in messages_of(client, page_url(draft)))


def test_a_rating_cleared_in_another_tab_as_it_is_submitted_sends_you_to_the_check_page(client, pm, manager, draft):
    rate_all(draft)
    client.force_login(pm)
    with mock.patch.object(Assessment, "submit", side_effect=ValidationError("Capability 1.1: Not rated yet.")):
        response = client.post(page_url(draft), page_post_data(draft, action="submit"))
    assert response["Location"] == reverse("assessments:check", args=[draft.pk])
    assert Assessment.objects.get(pk=draft.pk).status == "draft"
    assert not mail.outbox


def test_a_submission_that_lost_the_race_says_nothing_and_emails_nobody(client, pm, manager, draft):
    rate_all(draft)
    client.force_login(pm)
    with mock.patch.object(Assessment, "submit", return_value=False):
        response = client.post(page_url(draft), page_post_data(draft, action="submit"))
    assert response["Location"] == page_url(draft)
    assert not any("submitted" in message for message in messages_of(client, page_url(draft)))
    assert not mail.outbox


def test_the_check_page_of_a_submitted_assessment_goes_back_to_it(client, pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.get(reverse("assessments:check", args=[assessment.pk]))
    assert response["Location"] == page_url(assessment)


# Autosave --------------------------------------------------------------------------------------------


def test_an_autosave_that_meets_a_submission_is_refused_as_locked(client, pm, draft):
    rating = draft.ratings.select_related("capability").first()
    client.force_login(pm)
    with mock.patch.object(Rating, "record", side_effect=AssessmentLocked):
        response = client.post(
            rating_url(draft, rating.capability),
            {f"r{rating.capability_id}-evidence": "Late", f"r{rating.capability_id}-revision": rating.revision},
            **HTMX_HEADERS,
        )
    assert response.status_code == 409
    assert LOCKED in response.content.decode()


def test_details_autosave_of_a_submitted_assessment_is_refused_as_locked(client, pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.post(
        details_url(assessment), {"overall_comment": "Late", "revision": assessment.revision}, **HTMX_HEADERS
    )
    assert response.status_code == 409
    assert LOCKED in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).overall_comment == ""


def test_details_autosave_without_a_revision_is_refused(client, pm, draft):
    client.force_login(pm)
    response = client.post(details_url(draft), {"overall_comment": "No revision sent"}, **HTMX_HEADERS)
    assert response.status_code == 400
    assert "Couldn’t save:" in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).overall_comment == ""


def test_details_autosave_that_meets_a_submission_is_refused_as_locked(client, pm, draft):
    client.force_login(pm)
    with mock.patch.object(Assessment, "update_details", side_effect=AssessmentLocked):
        response = client.post(
            details_url(draft), {"overall_comment": "Late", "revision": draft.revision}, **HTMX_HEADERS
        )
    assert response.status_code == 409
    assert LOCKED in response.content.decode()


def test_details_autosave_without_htmx_goes_to_the_page(client, pm, draft):
    client.force_login(pm)
    response = client.post(details_url(draft), {"overall_comment": "Plain", "revision": draft.revision})
    assert response["Location"] == f"{page_url(draft)}#overall"
    assert Assessment.objects.get(pk=draft.pk).overall_comment == ""


# Return, share and start -----------------------------------------------------------------------------


def test_a_return_that_lost_the_race_emails_nobody(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    with mock.patch.object(Assessment, "return_for_changes", return_value=False):
        response = client.post(reverse("assessments:return", args=[assessment.pk]), {"comment": "Please add more."})
    assert response["Location"] == reverse("assessments:person", args=[pm.person.pk])
    assert not mail.outbox
    assert not any("Returned to" in m for m in messages_of(client, reverse("assessments:person", args=[pm.person.pk])))


def test_a_share_that_lost_the_race_emails_nobody(client, pm, manager, framework):
    assessment = submitted(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    with mock.patch.object(Assessment, "share", return_value=False):
        response = client.post(reverse("assessments:share", args=[assessment.pk]))
    assert response["Location"] == page_url(assessment)
    assert not mail.outbox
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


def test_a_cycle_closed_as_the_assessment_starts_is_refused_on_the_start_page(client, pm, framework):
    cycle = make_cycle()
    client.force_login(pm)
    refusal = ValidationError(f"The review cycle {cycle.name} is closed.")
    with mock.patch.object(Assessment, "start", side_effect=refusal):
        response = client.post(
            reverse("assessments:start"), {"level": level(framework, "ic-3").pk, "cycle": str(cycle.pk)}
        )
    assert response.status_code == 400
    assert "The review cycle 2026 H2 is closed." in response.content.decode()
    assert not Assessment.objects.exists()

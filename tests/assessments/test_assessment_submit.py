"""The plain form (no JavaScript): save everything, submit, the check page, the evidence rule, double submit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments.reviews.models import Assessment, Rating
from tests.assessments.assessment_helpers import level, page_post_data, page_url, rate_all, scale, start, submitted


@pytest.fixture
def draft(pm, framework):
    return start(pm, pm, level(framework, "ic-3"))


def _caps(framework):
    return list(framework.capabilities.order_by("area__position", "position"))


def test_save_draft_saves_every_answer_without_javascript(client, pm, draft, framework):
    caps = _caps(framework)
    working = scale(framework, "working")
    changes = {cap.pk: {"scale": str(working.pk), "evidence": f"Did {cap.name}."} for cap in caps}
    changes[caps[0].pk] = {"scale": "na", "evidence": ""}
    client.force_login(pm)
    response = client.post(page_url(draft), {**page_post_data(draft, changes=changes), "overall_comment": "Hi."})
    assert response.status_code == 302
    assert response["Location"] == page_url(draft)
    ratings = {r.capability_id: r for r in Rating.objects.filter(assessment=draft)}
    assert ratings[caps[0].pk].not_applicable
    assert ratings[caps[1].pk].scale_level == working and ratings[caps[1].pk].evidence == "Did Capability 1.2."
    draft.refresh_from_db()
    assert draft.overall_comment == "Hi."
    assert draft.status == Assessment.Status.DRAFT
    assert b"Draft saved." in client.get(page_url(draft)).content


def test_stale_rating_in_the_plain_form_is_refused_and_the_typed_text_is_shown_again(client, pm, draft, framework):
    caps = _caps(framework)
    client.force_login(pm)
    page = page_post_data(draft)  # the page as loaded in a first tab
    other = Rating.objects.get(assessment=draft, capability=caps[0])
    other.record(
        scale_level=scale(framework, "expert"), not_applicable=False, evidence="Other tab.", expected_revision=1
    )

    page[f"r{caps[0].pk}-scale"] = str(scale(framework, "working").pk)
    page[f"r{caps[0].pk}-evidence"] = "Typed in the first tab & kept."
    page[f"r{caps[1].pk}-scale"] = "na"
    response = client.post(page_url(draft), {**page, "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Couldn’t save — this was changed in another tab or by someone else." in html
    assert ">Typed in the first tab &amp; kept.</textarea>" in html
    assert "Saved now:" in html and "Other tab." in html
    stored = {r.capability_id: r for r in Rating.objects.filter(assessment=draft)}
    assert stored[caps[0].pk].evidence == "Other tab."  # the other save stands
    assert stored[caps[1].pk].not_applicable  # answers that were not stale are saved
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT  # and nothing is submitted


def test_stale_overall_comment_is_refused_and_kept(client, pm, draft):
    client.force_login(pm)
    page = page_post_data(draft)
    draft.update_details(expected_revision=1, overall_comment="From the other tab.")
    response = client.post(page_url(draft), {**page, "overall_comment": "From this tab."})
    assert response.status_code == 409
    assert ">From this tab.</textarea>" in response.content.decode()
    draft.refresh_from_db()
    assert draft.overall_comment == "From the other tab."


def test_submit_with_gaps_shows_the_check_page_and_submits_nothing(client, pm, draft, framework):
    caps = _caps(framework)
    expert = scale(framework, "expert")
    changes = {
        caps[0].pk: {"scale": str(expert.pk), "evidence": ""},  # above expectation, no evidence
        caps[1].pk: {"scale": str(expert.pk), "evidence": "Led the migration."},
        caps[2].pk: {"scale": "na"},
    }
    client.force_login(pm)
    response = client.post(page_url(draft), page_post_data(draft, action="submit", changes=changes))
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{draft.pk}/check/"
    html = client.get(response["Location"]).content.decode()
    assert "Before you submit: 2 things to finish" in html
    assert f'<a href="/assessments/{draft.pk}/#capability-{caps[0].pk}">Capability 1.1</a>: Needs evidence' in html
    assert f'<a href="/assessments/{draft.pk}/#capability-{caps[3].pk}">Capability 2.2</a>: Not rated yet.' in html
    assert "Capability 1.2</a>" not in html
    assert html.count("<h1") == 1
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT and draft.submitted_at is None
    assert not mail.outbox
    # What was typed before the check is saved.
    assert Rating.objects.get(assessment=draft, capability=caps[1]).evidence == "Led the migration."


def test_evidence_rule_only_applies_above_the_expectation(pm, draft, framework):
    practitioner, expert = scale(framework, "practitioner"), scale(framework, "expert")
    ratings = list(draft.ratings.select_related("capability"))
    ratings[0].record(scale_level=practitioner, not_applicable=False, evidence="", expected_revision=1)  # meets
    ratings[1].record(scale_level=scale(framework, "working"), not_applicable=False, evidence="", expected_revision=1)
    ratings[2].record(scale_level=None, not_applicable=True, evidence="", expected_revision=1)
    ratings[3].record(scale_level=expert, not_applicable=False, evidence="  \n ", expected_revision=1)
    problems = draft.problems()
    assert [p.subject for p in problems] == [ratings[3].capability.name]
    assert problems[0].message == (
        "Needs evidence: rated Expert, above the Practitioner that IC level 3 expects. "
        "Write it, or cite an entry from your evidence log."
    )
    with pytest.raises(ValidationError):
        draft.submit()
    ratings[3].refresh_from_db()
    ratings[3].record(scale_level=expert, not_applicable=False, evidence="Coached two PMs.", expected_revision=2)
    assert draft.problems() == []
    assert draft.submit()


def test_submit_complete_self_assessment_makes_it_read_only_and_tells_the_manager(client, pm, manager, draft):
    rate_all(draft)
    client.force_login(pm)
    response = client.post(page_url(draft), page_post_data(draft, action="submit"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]
    page = client.get(page_url(draft)).content.decode()
    assert "Your self-assessment has been submitted and sent to Maya Manager." in page
    assert "<textarea" not in page


def test_double_submit_is_harmless(client, pm, manager, draft):
    rate_all(draft)
    client.force_login(pm)
    data = page_post_data(draft, action="submit")
    client.post(page_url(draft), data)
    draft.refresh_from_db()
    submitted_at, revision = draft.submitted_at, draft.revision
    again = client.post(page_url(draft), data)
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.submitted_at, draft.revision) == (submitted_at, revision)
    assert len(mail.outbox) == 1
    assert b"has already been submitted" in client.get(page_url(draft)).content


def test_model_submit_twice_only_changes_once(pm, draft):
    rate_all(draft)
    first = Assessment.objects.get(pk=draft.pk)
    second = Assessment.objects.get(pk=draft.pk)
    assert first.submit() is True
    assert second.submit() is False
    assert Assessment.objects.get(pk=draft.pk).history.filter(status="submitted").count() == 1


def test_manager_assessment_needs_a_recommendation(client, pm, manager, framework):
    assessment = start(pm, manager, level(framework, "ic-3"))
    for rating in assessment.ratings.all():
        rating.record(
            scale_level=scale(framework, "practitioner"), not_applicable=False, evidence="", expected_revision=1
        )
    client.force_login(manager)
    response = client.post(page_url(assessment), page_post_data(assessment, action="submit"), follow=True)
    html = response.content.decode()
    assert f'<a href="/assessments/{assessment.pk}/#recommendation">Recommendation</a>' in html

    data = {**page_post_data(assessment, action="submit"), "recommendation": "not-yet", "rationale": "Soon."}
    response = client.post(page_url(assessment), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.recommendation) == ("submitted", "not-yet")
    assert not mail.outbox  # the subject hears only when it is shared


def test_returned_assessment_can_be_edited_and_resubmitted(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    assessment.return_for_changes(by=manager.person, comment="Add evidence for 1.1")
    client.force_login(pm)
    page = client.get(page_url(assessment)).content.decode()
    assert "Returned for changes by Maya Manager" in page
    assert "Add evidence for 1.1" in page
    assert 'id="assessment-form"' in page
    response = client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_page_post_by_a_read_only_viewer_is_403_and_changes_nothing(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    before = list(Rating.objects.filter(assessment=assessment).values_list("scale_level", "evidence", "revision"))
    client.force_login(manager)
    response = client.post(page_url(assessment), page_post_data(assessment, changes={}))
    assert response.status_code == 403
    after = list(Rating.objects.filter(assessment=assessment).values_list("scale_level", "evidence", "revision"))
    assert after == before


def test_page_post_by_a_stranger_is_404(client, stranger, draft):
    client.force_login(stranger)
    assert client.post(page_url(draft), page_post_data(draft)).status_code == 404
    assert Assessment.objects.get(pk=draft.pk).revision == 1


def test_check_page_of_a_complete_draft_sends_you_back_to_submit(client, pm, draft):
    rate_all(draft)
    client.force_login(pm)
    response = client.get(f"/assessments/{draft.pk}/check/", follow=True)
    assert "Nothing is missing: submit it when you are ready." in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).status == "draft"


def test_check_page_is_private_to_the_author(client, manager, stranger, draft):
    for user in (manager, stranger):
        client.force_login(user)
        assert client.get(f"/assessments/{draft.pk}/check/").status_code == 404

"""Autosave of one capability (htmx): saved state, stale saves refused, nothing typed lost, access rules."""

import pytest

from assessments.reviews.models import AssessmentLocked, Rating, StaleRevision
from tests.assessments.assessment_helpers import level, rate_all, rating_url, scale, start, submitted

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(pm, framework):
    return start(pm, pm, level(framework, "ic-3"))


@pytest.fixture
def capability(framework):
    return framework.capabilities.get(key="cap-1-1")


def _post(client, assessment, capability, *, scale_value="", evidence="", revision=1, **extra):
    prefix = f"r{capability.pk}"
    data = {f"{prefix}-scale": scale_value, f"{prefix}-evidence": evidence, f"{prefix}-revision": revision}
    return client.post(rating_url(assessment, capability), data, **{**HTMX, **extra})


def test_autosave_stores_the_rating_and_answers_with_save_state_revision_and_progress(
    client, pm, draft, capability, framework
):
    client.force_login(pm)
    working = scale(framework, "working")
    response = _post(client, draft, capability, scale_value=working.pk, evidence="Ran 12 interviews.")
    html = response.content.decode()
    rating = Rating.objects.get(assessment=draft, capability=capability)
    assert response.status_code == 200
    assert (rating.scale_level, rating.evidence, rating.revision) == (working, "Ran 12 interviews.", 2)
    assert "Saved at" in html
    assert f'id="r{capability.pk}-revision" value="2" hx-swap-oob="true"' in html
    assert 'id="assessment-progress" class="assessment-progress" hx-swap-oob="true"' in html
    assert "1 of 4 rated" in html
    # The evidence box itself is never sent back, so nothing the person typed since is replaced.
    assert "<textarea" not in html


def test_autosave_of_a_draft_leaves_no_history(client, pm, draft, capability, framework):
    # A draft is private to its author, in the audit trail too (reviews/history.py): submit records it.
    client.force_login(pm)
    _post(client, draft, capability, scale_value=scale(framework, "working").pk)
    assert not Rating.objects.get(assessment=draft, capability=capability).history.exists()


def test_not_applicable_is_a_rating(client, pm, draft, capability):
    client.force_login(pm)
    response = _post(client, draft, capability, scale_value="na")
    rating = Rating.objects.get(assessment=draft, capability=capability)
    assert rating.not_applicable and rating.scale_level is None and rating.is_rated
    assert "1 of 4 rated" in response.content.decode()


def test_rating_above_expectation_without_evidence_says_evidence_is_needed(client, pm, draft, capability, framework):
    client.force_login(pm)
    html = _post(client, draft, capability, scale_value=scale(framework, "expert").pk).content.decode()
    assert "Add evidence: Expert is above the Practitioner this level expects." in html


def test_stale_save_is_refused_with_a_message_and_changes_nothing(client, pm, draft, capability, framework):
    client.force_login(pm)
    _post(client, draft, capability, scale_value=scale(framework, "working").pk, evidence="First tab.", revision=1)
    response = _post(
        client, draft, capability, scale_value=scale(framework, "expert").pk, evidence="Second tab.", revision=1
    )
    html = response.content.decode()
    rating = Rating.objects.get(assessment=draft, capability=capability)
    assert response.status_code == 409
    assert "Couldn’t save — this was changed in another tab or by someone else." in html
    assert "Your text is kept below" in html
    # Neither the typed text nor the revision is replaced on the page, and the first save stands.
    assert "<textarea" not in html and "hx-swap-oob" not in html
    assert (rating.evidence, rating.revision) == ("First tab.", 2)


def test_resending_what_is_stored_is_not_a_conflict(client, pm, draft, capability, framework):
    client.force_login(pm)
    _post(client, draft, capability, scale_value=scale(framework, "working").pk, evidence="Same.", revision=1)
    response = _post(client, draft, capability, scale_value=scale(framework, "working").pk, evidence="Same.")
    assert response.status_code == 200
    assert Rating.objects.get(assessment=draft, capability=capability).revision == 2


def test_two_saves_from_the_same_revision_cannot_both_win(pm, draft, capability, framework):
    # Two requests that both read revision 1 before either wrote: the conditional UPDATE lets one through.
    first = Rating.objects.get(assessment=draft, capability=capability)
    second = Rating.objects.get(assessment=draft, capability=capability)
    assert first.record(
        scale_level=scale(framework, "working"), not_applicable=False, evidence="A", expected_revision=1
    )
    with pytest.raises(StaleRevision):
        second.record(scale_level=scale(framework, "expert"), not_applicable=False, evidence="B", expected_revision=1)
    stored = Rating.objects.get(pk=first.pk)
    assert (stored.evidence, stored.revision) == ("A", 2)
    assert stored.history.count() == 0  # a draft's saves are private


def test_autosave_after_submission_is_refused_and_keeps_the_text(client, pm, framework, capability):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = _post(client, assessment, capability, scale_value="na", evidence="Too late.", revision=2)
    assert response.status_code == 409
    assert "has been submitted, so it can no longer be changed" in response.content.decode()
    assert Rating.objects.get(assessment=assessment, capability=capability).evidence != "Too late."


def test_model_refuses_changes_to_a_submitted_assessment(pm, framework, capability):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    rating = assessment.ratings.get(capability=capability)
    with pytest.raises(AssessmentLocked):
        rating.record(scale_level=None, not_applicable=True, evidence="", expected_revision=rating.revision)


def test_invalid_choice_is_refused(client, pm, draft, capability):
    client.force_login(pm)
    response = _post(client, draft, capability, scale_value="999999")
    assert response.status_code == 400
    assert "Couldn’t save" in response.content.decode()
    assert not Rating.objects.get(assessment=draft, capability=capability).is_rated


def test_scale_level_of_another_framework_is_refused(client, pm, draft, capability, db):
    from tests.factories import make_framework

    other = make_framework(key="other")
    client.force_login(pm)
    response = _post(client, draft, capability, scale_value=other.scale_levels.first().pk)
    assert response.status_code == 400


def test_autosave_refuses_get(client, pm, draft, capability):
    client.force_login(pm)
    assert client.get(rating_url(draft, capability), **HTMX).status_code == 405


@pytest.mark.parametrize("who", ["stranger", "manager", "hr_admin"])
def test_nobody_but_the_author_can_even_find_a_draft(client, request, draft, capability, who):
    client.force_login(request.getfixturevalue(who))
    response = _post(client, draft, capability, scale_value="na")
    assert response.status_code == 404
    assert not Rating.objects.get(assessment=draft, capability=capability).is_rated


@pytest.mark.parametrize("who", ["manager", "hr_admin"])
def test_read_only_viewer_of_a_submitted_assessment_gets_403(client, request, pm, manager, framework, capability, who):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    before = list(assessment.ratings.values_list("evidence", "revision"))
    client.force_login(request.getfixturevalue(who))
    response = _post(client, assessment, capability, scale_value="na", revision=2)
    assert response.status_code == 403
    assert list(assessment.ratings.values_list("evidence", "revision")) == before


def test_capability_not_in_the_assessment_is_404(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-1"))  # the last capability is not asked at ic-1
    not_asked = framework.capabilities.get(key="cap-2-2")
    client.force_login(pm)
    assert _post(client, assessment, not_asked, scale_value="na").status_code == 404


def test_without_htmx_the_autosave_address_sends_you_to_the_page(client, pm, draft, capability):
    client.force_login(pm)
    response = client.post(rating_url(draft, capability), {})
    assert response.status_code == 302
    # On a big framework's page, the area that shows it.
    assert response["Location"].endswith(
        f"/assessments/{draft.pk}/?area={capability.area_id}#capability-{capability.pk}"
    )


def test_details_autosave_saves_the_comment_and_refuses_stale(client, pm, draft):
    from django.urls import reverse

    client.force_login(pm)
    url = reverse("assessments:save_details", args=[draft.pk])
    response = client.post(url, {"overall_comment": "A good half.", "revision": 1}, **HTMX)
    assert response.status_code == 200
    assert 'id="assessment-revision" value="2" hx-swap-oob="true"' in response.content.decode()
    stale = client.post(url, {"overall_comment": "Other tab.", "revision": 1}, **HTMX)
    assert stale.status_code == 409
    assert "Couldn’t save — this was changed in another tab" in stale.content.decode()
    draft.refresh_from_db()
    assert draft.overall_comment == "A good half."


def test_details_autosave_read_only_viewer_gets_403(client, pm, manager, framework):
    from django.urls import reverse

    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    url = reverse("assessments:save_details", args=[assessment.pk])
    assert client.post(url, {"overall_comment": "Mine now", "revision": 3}, **HTMX).status_code == 403
    assert client.get(url, **HTMX).status_code == 405


def test_rate_all_helper_leaves_every_capability_rated(pm, draft):
    assert rate_all(draft).progress() == (4, 4)


def test_autosave_reads_the_expectation_with_the_rating(
    client, pm, draft, capability, framework, django_assert_max_num_queries
):
    # The session and user, the viewer's place, the assessment, the rating with what the level expects of it, the
    # scale; the write (savepoint, lock — on SQLite a write first —, rating, assessment, release); the progress;
    # whether the rating cites an entry of the log (rated above the level without evidence text).
    client.force_login(pm)
    expert = scale(framework, "expert")
    with django_assert_max_num_queries(14):  # 13 on PostgreSQL (its lock writes nothing)
        response = _post(client, draft, capability, scale_value=expert.pk)
    assert response.status_code == 200
    assert "Add evidence: Expert is above the Practitioner this level expects." in response.content.decode()

"""Return for changes (manager, on a submitted self-assessment) and share (author of a manager assessment)."""

import pytest
from django.core import mail
from django.urls import reverse

from assessments.reviews.models import Assessment
from tests.assessments.assessment_helpers import level, page_url, start, submitted
from tests.factories import make_user


def _return_url(assessment):
    return reverse("assessments:return", args=[assessment.pk])


def _share_url(assessment):
    return reverse("assessments:share", args=[assessment.pk])


@pytest.fixture
def self_submitted(pm, manager, framework):
    return submitted(pm, pm, level(framework, "ic-3"))


@pytest.fixture
def manager_submitted(pm, manager, framework):
    return submitted(pm, manager, level(framework, "ic-3"))


# Return for changes -------------------------------------------------------------------------------


def test_manager_sees_the_return_form_on_a_submitted_self_assessment(client, manager, self_submitted):
    client.force_login(manager)
    html = client.get(page_url(self_submitted)).content.decode()
    assert "Return for changes" in html
    assert 'for="id_comment">What should change?</label>' in html


def test_return_for_changes_reopens_it_for_the_pm_and_emails_them(client, pm, manager, self_submitted):
    client.force_login(manager)
    response = client.post(_return_url(self_submitted), {"comment": "Please add evidence for discovery."})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:person", args=[pm.person.pk])
    self_submitted.refresh_from_db()
    assert self_submitted.status == Assessment.Status.RETURNED
    assert self_submitted.return_comment == "Please add evidence for discovery."
    assert self_submitted.returned_by == manager.person and self_submitted.returned_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["priya@example.com"]
    assert "Please add evidence for discovery." in email.body
    assert f"/assessments/{self_submitted.pk}/" in email.body
    # Editable again by the PM; private to her until she resubmits.
    client.force_login(pm)
    assert 'id="assessment-form"' in client.get(page_url(self_submitted)).content.decode()
    client.force_login(manager)
    assert client.get(page_url(self_submitted)).status_code == 404


def test_return_needs_a_comment(client, manager, self_submitted):
    client.force_login(manager)
    response = client.post(_return_url(self_submitted), {"comment": "  "})
    assert response.status_code == 400
    assert "Say what should change before returning it." in response.content.decode()
    self_submitted.refresh_from_db()
    assert self_submitted.status == Assessment.Status.SUBMITTED
    assert not mail.outbox


def test_return_refuses_get(client, manager, self_submitted):
    client.force_login(manager)
    assert client.get(_return_url(self_submitted)).status_code == 405


def test_return_by_a_stranger_is_404(client, stranger, self_submitted):
    client.force_login(stranger)
    assert client.post(_return_url(self_submitted), {"comment": "No"}).status_code == 404
    assert Assessment.objects.get(pk=self_submitted.pk).status == "submitted"


@pytest.mark.parametrize("who", ["pm", "hr_admin"])
def test_return_by_a_read_only_viewer_is_403(client, request, self_submitted, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_return_url(self_submitted), {"comment": "No"}).status_code == 403
    assert Assessment.objects.get(pk=self_submitted.pk).status == "submitted"
    assert not mail.outbox


def test_a_manager_further_up_the_chain_may_return_it(client, pm, manager, framework, self_submitted):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    client.force_login(director)
    client.post(_return_url(self_submitted), {"comment": "More detail please."})
    assert Assessment.objects.get(pk=self_submitted.pk).status == "returned"


def test_a_draft_cannot_be_returned(client, pm, manager, framework):
    draft = start(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    assert client.post(_return_url(draft), {"comment": "x"}).status_code == 404  # a draft is invisible to them


def test_returning_twice_is_harmless(client, manager, self_submitted):
    client.force_login(manager)
    client.post(_return_url(self_submitted), {"comment": "First."})
    second = client.post(_return_url(self_submitted), {"comment": "Second."})
    assert second.status_code == 404  # returned: private to the PM again
    assert Assessment.objects.get(pk=self_submitted.pk).return_comment == "First."
    assert len(mail.outbox) == 1


def test_a_manager_assessment_cannot_be_returned(client, manager, manager_submitted, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    client.force_login(director)
    assert client.post(_return_url(manager_submitted), {"comment": "x"}).status_code == 403


# Share ----------------------------------------------------------------------------------------------


def test_author_shares_a_submitted_manager_assessment_and_the_pm_is_emailed(client, pm, manager, manager_submitted):
    client.force_login(pm)
    assert client.get(page_url(manager_submitted)).status_code == 404  # not shared yet
    client.force_login(manager)
    assert "Preview and share with Priya Product" in client.get(page_url(manager_submitted)).content.decode()
    response = client.post(_share_url(manager_submitted))
    assert response.status_code == 302
    manager_submitted.refresh_from_db()
    assert manager_submitted.status == Assessment.Status.SHARED and manager_submitted.shared_at is not None
    assert [m.to for m in mail.outbox] == [["priya@example.com"]]
    assert page_url(manager_submitted) in mail.outbox[0].body
    client.force_login(pm)
    html = client.get(page_url(manager_submitted)).content.decode()
    assert "Maya Manager’s assessment of you against IC level 3" in html
    assert "<strong>Ready</strong>" in html


def test_sharing_twice_is_harmless(client, manager, manager_submitted):
    client.force_login(manager)
    client.post(_share_url(manager_submitted))
    shared_at = Assessment.objects.get(pk=manager_submitted.pk).shared_at
    again = client.post(_share_url(manager_submitted), follow=True)
    assert "Already shared with Priya Product." in again.content.decode()
    assert Assessment.objects.get(pk=manager_submitted.pk).shared_at == shared_at
    assert len(mail.outbox) == 1


def test_a_draft_cannot_be_shared(client, pm, manager, framework):
    draft = start(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    response = client.post(_share_url(draft), follow=True)
    assert "Submit the assessment before sharing it." in response.content.decode()
    assert Assessment.objects.get(pk=draft.pk).status == "draft"
    assert not mail.outbox


def test_share_refuses_get(client, manager, manager_submitted):
    client.force_login(manager)
    assert client.get(_share_url(manager_submitted)).status_code == 405


def test_share_by_a_stranger_is_404(client, stranger, manager_submitted):
    client.force_login(stranger)
    assert client.post(_share_url(manager_submitted)).status_code == 404


def test_share_by_a_read_only_viewer_is_403(client, hr_admin, manager_submitted):
    client.force_login(hr_admin)
    assert client.post(_share_url(manager_submitted)).status_code == 403
    assert Assessment.objects.get(pk=manager_submitted.pk).status == "submitted"


def test_a_self_assessment_cannot_be_shared(client, pm, self_submitted):
    client.force_login(pm)
    assert client.post(_share_url(self_submitted)).status_code == 403

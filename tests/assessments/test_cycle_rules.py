"""Cycle rules: a closed cycle is read-only for everyone (every action, in the model and through the pages);
HR reopens it explicitly and the history says who; at most one cycle is open; validation speaks in sentences;
one assessment per (subject, cycle, kind)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.reviews.models import Assessment, CycleClosed, Rating, ReviewCycle
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    make_cycle,
    page_post_data,
    page_url,
    rate_all,
    rating_url,
    scale,
    start,
    submitted,
)

CLOSED = "The review cycle 2026 H2 is closed, so nothing in it can be changed."


@pytest.fixture
def cycle(db):
    return make_cycle()


def _close(cycle):
    assert cycle.close()
    cycle.refresh_from_db()


def _first_rating(assessment) -> Rating:
    return assessment.ratings.select_related("capability").order_by("capability__position", "pk").first()


# A closed cycle refuses every action, through the pages ----------------------------------------------------


def test_autosave_of_a_rating_is_refused_with_a_sentence(client, pm, framework, cycle):
    draft = start(pm, pm, level(framework, "ic-3"), cycle)
    _close(cycle)
    rating = _first_rating(draft)
    client.force_login(pm)
    response = client.post(
        rating_url(draft, rating.capability),
        {f"r{rating.capability_id}-scale": str(scale(framework, "working").pk), f"r{rating.capability_id}-revision": 1},
        **HTMX_HEADERS,
    )
    assert response.status_code == 403
    assert response["X-Save-State"] == "refused"
    assert CLOSED in response.content.decode()
    rating.refresh_from_db()
    assert rating.scale_level_id is None and rating.revision == 1


def test_autosave_of_the_details_is_refused(client, pm, framework, cycle):
    draft = start(pm, pm, level(framework, "ic-3"), cycle)
    _close(cycle)
    client.force_login(pm)
    url = reverse("assessments:save_details", args=[draft.pk])
    response = client.post(url, {"overall_comment": "Rewritten.", "revision": draft.revision}, **HTMX_HEADERS)
    assert response.status_code == 403
    assert CLOSED in response.content.decode()
    draft.refresh_from_db()
    assert draft.overall_comment == ""


@pytest.mark.parametrize("action", ["save", "submit"])
def test_plain_save_and_submit_are_refused(client, pm, framework, cycle, action):
    draft = rate_all(start(pm, pm, level(framework, "ic-3"), cycle))
    _close(cycle)
    client.force_login(pm)
    response = client.post(page_url(draft), {**page_post_data(draft, action=action), "overall_comment": "New."})
    assert response.status_code == 403
    assert CLOSED in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT and draft.overall_comment == ""


def test_the_page_of_a_draft_in_a_closed_cycle_is_read_only_and_says_why(client, pm, framework, cycle):
    draft = start(pm, pm, level(framework, "ic-3"), cycle)
    _close(cycle)
    client.force_login(pm)
    html = client.get(page_url(draft)).content.decode()
    assert CLOSED in html
    assert 'id="assessment-form"' not in html


def test_return_for_changes_is_refused(client, pm, manager, framework, cycle):
    self_assessment = submitted(pm, pm, level(framework, "ic-3"), cycle)
    _close(cycle)
    client.force_login(manager)
    assert "Return for changes" not in client.get(page_url(self_assessment)).content.decode()
    response = client.post(reverse("assessments:return", args=[self_assessment.pk]), {"comment": "Add evidence."})
    assert response.status_code == 403
    assert CLOSED in response.content.decode()
    self_assessment.refresh_from_db()
    assert self_assessment.status == Assessment.Status.SUBMITTED
    assert not mail.outbox


def test_share_is_refused(client, pm, manager, framework, cycle):
    assessment = submitted(pm, manager, level(framework, "ic-3"), cycle)
    _close(cycle)
    client.force_login(manager)
    response = client.post(reverse("assessments:share", args=[assessment.pk]))
    assert response.status_code == 403
    assert CLOSED in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_the_agreed_outcome_is_refused(client, pm, manager, framework, cycle):
    target = level(framework, "ic-3")
    submitted(pm, pm, target, cycle)
    assessment = submitted(pm, manager, target, cycle)
    _close(cycle)
    client.force_login(manager)
    compare = reverse("reports:compare", args=[pm.person.pk]) + f"?level={target.pk}&cycle={cycle.pk}"
    assert 'action="' + reverse("reports:agreed", args=[assessment.pk]) not in client.get(compare).content.decode()
    rating = _first_rating(assessment)
    response = client.post(
        reverse("reports:agreed", args=[assessment.pk]),
        {"revision": assessment.revision, f"agreed-{rating.capability_id}": "na", f"note-{rating.capability_id}": "x"},
    )
    assert response.status_code == 403
    assert CLOSED in response.content.decode()
    rating.refresh_from_db()
    assert not rating.agreed_not_applicable


# ... and in the model, so nothing bypasses it --------------------------------------------------------------


def test_every_model_action_refuses_in_a_closed_cycle(pm, manager, framework, cycle):
    target = level(framework, "ic-3")
    draft = rate_all(start(pm, pm, target, cycle))
    manager_assessment = submitted(pm, manager, target, cycle)
    _close(cycle)
    draft = Assessment.objects.with_related().get(pk=draft.pk)
    rating = _first_rating(draft)
    with pytest.raises(CycleClosed, match="2026 H2 is closed"):
        rating.record(scale_level=None, not_applicable=True, evidence="", expected_revision=rating.revision)
    with pytest.raises(CycleClosed):
        draft.update_details(expected_revision=draft.revision, overall_comment="Changed.")
    with pytest.raises(CycleClosed):
        draft.submit()
    with pytest.raises(CycleClosed):
        manager_assessment.share()
    # The agreed outcome needs both sides submitted: set directly, since submitting is refused now.
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.SUBMITTED)
    agreed = _first_rating(manager_assessment)
    with pytest.raises(CycleClosed):
        manager_assessment.record_agreed_outcome(
            {agreed.capability_id: (None, True, "")}, expected_revision=manager_assessment.revision
        )
    draft.refresh_from_db()
    assert draft.overall_comment == ""
    assert Rating.objects.get(pk=rating.pk).not_applicable is False
    assert Rating.objects.get(pk=agreed.pk).agreed_not_applicable is False


def test_return_for_changes_refuses_in_a_closed_cycle(pm, manager, framework, cycle):
    self_assessment = submitted(pm, pm, level(framework, "ic-3"), cycle)
    _close(cycle)
    with pytest.raises(CycleClosed):
        self_assessment.return_for_changes(by=manager.person, comment="Add evidence.")
    self_assessment.refresh_from_db()
    assert self_assessment.status == Assessment.Status.SUBMITTED


# HR reopens explicitly, recorded ---------------------------------------------------------------------------


def test_hr_reopens_a_closed_cycle_with_the_admin_action_and_the_history_says_who(
    client, hr_admin, pm, framework, cycle
):
    draft = start(pm, pm, level(framework, "ic-3"), cycle)
    client.force_login(hr_admin)
    changelist = reverse("admin:assessments_reviewcycle_changelist")
    client.post(changelist, {"action": "close_cycles", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.CLOSED
    mail.outbox.clear()

    response = client.post(changelist, {"action": "open_and_notify", "_selected_action": [cycle.pk]}, follow=True)
    assert "2026 H2 is open again: its assessments can be changed. Nobody was emailed." in response.content.decode()
    assert not mail.outbox
    cycle.refresh_from_db()
    assert cycle.is_open
    latest, closing = cycle.history.order_by("-history_date", "-history_id")[:2]
    assert (latest.status, latest.history_user, latest.history_change_reason) == ("open", hr_admin, "Reopened")
    assert (closing.status, closing.history_user, closing.history_change_reason) == ("closed", hr_admin, "Closed")
    # Editable again.
    rating = _first_rating(draft)
    assert rating.record(scale_level=None, not_applicable=True, evidence="", expected_revision=rating.revision)


# At most one open cycle; sentences, not constraint names ----------------------------------------------------


def test_a_second_open_cycle_does_not_validate(cycle):
    second = ReviewCycle(name="2027 H1", starts_on="2027-01-04", ends_on="2027-06-30")
    with pytest.raises(ValidationError, match="Another review cycle is open"):
        second.full_clean()


def test_opening_a_cycle_while_another_is_open_says_which(cycle):
    other = make_cycle("2027 H1", starts_on="2027-07-01", status=ReviewCycle.Status.CLOSED)
    with pytest.raises(ValidationError, match="2026 H2 is open: close it before opening 2027 H1"):
        other.open()
    other.refresh_from_db()
    assert other.status == ReviewCycle.Status.CLOSED


def _cycle_form(**changes):
    return {"name": "2027 H1", "starts_on": "2027-01-04", "ends_on": "2027-06-30", "status": "open", **changes}


def test_the_admin_form_refuses_a_second_open_cycle_with_a_sentence(client, hr_admin, cycle):
    client.force_login(hr_admin)
    response = client.post(reverse("admin:assessments_reviewcycle_add"), _cycle_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Another review cycle is open: close it before opening this one" in html
    assert "cycle_at_most_one_open" not in html
    assert not ReviewCycle.objects.filter(name="2027 H1").exists()


def test_the_admin_action_refuses_a_second_open_cycle_with_a_sentence(client, hr_admin, cycle):
    other = make_cycle("2027 H1", starts_on="2027-07-01", status=ReviewCycle.Status.CLOSED)
    client.force_login(hr_admin)
    changelist = reverse("admin:assessments_reviewcycle_changelist")
    response = client.post(changelist, {"action": "open_and_notify", "_selected_action": [other.pk]}, follow=True)
    assert "2026 H2 is open: close it before opening 2027 H1" in response.content.decode()
    other.refresh_from_db()
    assert other.status == ReviewCycle.Status.CLOSED


def test_a_cycle_ending_before_it_starts_gets_a_sentence(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_add"), _cycle_form(starts_on="2027-07-01", ends_on="2027-06-01")
    )
    html = response.content.decode()
    assert "The cycle ends before it starts: choose an end date on or after the start date." in html
    assert "cycle_ends_after_start" not in html


# One assessment per (subject, cycle, kind) -----------------------------------------------------------------


def test_the_database_allows_one_assessment_per_subject_cycle_and_kind(pm, framework, cycle):
    start(pm, pm, level(framework, "ic-3"), cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            subject=pm.person, author=pm.person, level=level(framework, "ic-2"), cycle=cycle, kind="self"
        )


def test_start_against_another_level_returns_the_cycles_assessment(pm, framework, cycle):
    first, created = Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=cycle)
    again, created_again = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-2"), cycle=cycle
    )
    assert created and not created_again
    assert again.pk == first.pk and again.level == level(framework, "ic-3")


def test_outside_cycles_there_is_one_per_level(pm, framework):
    a, _ = Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"))
    b, created = Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-2"))
    assert created and a.pk != b.pk


def test_the_start_page_says_when_it_opens_the_assessment_against_another_level(client, pm, framework, cycle):
    first = start(pm, pm, level(framework, "ic-3"), cycle)
    client.force_login(pm)
    response = client.post(
        reverse("assessments:start"), {"level": level(framework, "ic-2").pk, "cycle": cycle.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == page_url(first)
    html = response.content.decode()
    assert "There is one self-assessment per review cycle, and this one is already against" in html
    assert Assessment.objects.filter(subject=pm.person, cycle=cycle).count() == 1


def test_the_admin_form_refuses_a_cycle_name_with_a_tab(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("admin:assessments_reviewcycle_add"), _cycle_form(name="2027\tH1", status="closed"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "A name must be one line of plain text, but this contains a tab. Remove it and try again."
    ]
    assert not ReviewCycle.objects.exists()

"""Hand-over: a manager assessment left behind when the person's manager changed is handed to the manager now
(by HR, or taken over by them) or discarded by HR with a reason; recorded, emailed, and refused in a closed cycle."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.reviews.cycles import CycleClosed
from assessments.reviews.handover import discard, hand_over, left_behind
from assessments.reviews.models import Assessment, Rating
from tests.assessments.assessment_helpers import level, make_cycle, page_url, rate_all, start, submitted
from tests.factories import make_user

START = reverse("assessments:start")
SECRET = "Notes only Maya has seen."


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def leo(db, framework):
    return make_user("leo@example.com", "Leo Lambert", level=level(framework, "mgr-1"))


@pytest.fixture
def moved(pm, manager, leo, framework, cycle):
    """Maya's draft of Priya in the open cycle, then Priya moves to Leo."""
    draft = rate_all(start(pm, manager, level(framework, "ic-3"), cycle), evidence=SECRET)
    draft.ratings.filter(pk=draft.ratings.first().pk).update(scale_level=None)
    pm.person.manager = leo.person
    pm.person.save()
    pm.person.refresh_from_db()
    return Assessment.objects.with_related().get(pk=draft.pk)


def handover_url(pm):
    return reverse("assessments:handover", args=[pm.person.pk])


def take_over_url(pm):
    return reverse("assessments:take_over", args=[pm.person.pk])


# The rules ----------------------------------------------------------------------------------------


def test_left_behind_is_the_former_managers_unshared_assessment_in_the_open_cycle(pm, manager, leo, moved):
    assert left_behind(pm.person) == moved
    moved.author = leo.person  # the manager now's own assessment is not left behind
    moved.save(update_fields=["author"])
    assert left_behind(pm.person) is None


def test_hand_over_makes_the_manager_now_the_author_records_it_and_emails_both(pm, manager, leo, hr_admin, moved):
    former = hand_over(moved, leo.person, by_user=hr_admin)
    assert former == manager.person
    moved.refresh_from_db()
    assert (moved.author, moved.status) == (leo.person, Assessment.Status.DRAFT)
    assert moved.ratings.filter(evidence=SECRET).exists()  # the answers move with it
    entry = LogEntry.objects.get(object_id=str(moved.pk))
    assert (entry.user, entry.action_flag) == (hr_admin, CHANGE)
    assert entry.change_message == "Handed over from Maya Manager to Leo Lambert by HR."
    assert not Assessment.history.filter(id=moved.pk).exists()  # a draft: private, whoever writes it
    assert left_behind(pm.person) is None


def test_a_submitted_unshared_one_goes_back_to_draft_for_its_new_author(pm, manager, leo, hr_admin, framework, cycle):
    review = submitted(pm, manager, level(framework, "ic-3"), cycle)
    pm.person.manager = leo.person
    pm.person.save()
    hand_over(review, leo.person, by_user=hr_admin)
    review.refresh_from_db()
    assert (review.author, review.status, review.submitted_at) == (leo.person, Assessment.Status.DRAFT, None)
    # What Maya submitted stays in the audit trail; nothing of the new draft is added.
    assert list(Assessment.history.filter(id=review.pk).values_list("status", "author_id")) == [
        ("submitted", manager.person.pk)
    ]


@pytest.mark.parametrize("state", ["still-manages", "shared", "self-assessment"])
def test_hand_over_is_refused_when_nothing_was_left_behind(state, pm, manager, leo, hr_admin, framework, cycle):
    if state == "still-manages":  # Maya is now above Leo: it is still hers
        leo.person.manager = manager.person
        leo.person.save()
        assessment = start(pm, manager, level(framework, "ic-3"), cycle)
        pm.person.manager = leo.person
        pm.person.save()
    elif state == "shared":
        assessment = submitted(pm, manager, level(framework, "ic-3"), cycle)
        assert assessment.share()
    else:
        assessment = start(pm, pm, level(framework, "ic-3"), cycle)
    with pytest.raises(ValidationError):
        hand_over(assessment, leo.person, by_user=hr_admin)
    assert Assessment.objects.get(pk=assessment.pk).author == assessment.author
    assert not LogEntry.objects.exists()


def test_hand_over_only_to_one_of_the_persons_managers(pm, stranger, hr_admin, moved):
    with pytest.raises(ValidationError, match="Sam Stranger does not manage Priya Product"):
        hand_over(moved, stranger.person, by_user=hr_admin)


def test_a_closed_cycle_is_refused(pm, leo, hr_admin, moved, cycle):
    assert cycle.close()
    assert left_behind(pm.person) is None
    with pytest.raises(CycleClosed):
        hand_over(moved, leo.person, by_user=hr_admin)
    with pytest.raises(CycleClosed):
        discard(moved, "Moved team.", by_user=hr_admin)
    assert Assessment.objects.filter(pk=moved.pk, author=moved.author).exists()


def test_discard_needs_a_reason_then_deletes_records_and_leaves_no_draft_text(pm, manager, hr_admin, moved):
    with pytest.raises(ValidationError, match="Say why"):
        discard(moved, "  ", by_user=hr_admin)
    assert Assessment.objects.filter(pk=moved.pk).exists()
    pk = moved.pk
    former = discard(moved, "Priya moved to Leo's team.", by_user=hr_admin)
    assert former == manager.person
    assert not Assessment.objects.filter(pk=pk).exists()
    entry = LogEntry.objects.get(object_id=str(pk))
    assert entry.action_flag == DELETION
    assert entry.change_message == "Discarded by HR (written by Maya Manager). Reason: Priya moved to Leo's team."
    assert not Rating.history.filter(assessment_id=pk).exists()
    assert not Assessment.history.filter(id=pk).exists()


# HR's page ----------------------------------------------------------------------------------------


def test_hr_sees_what_was_left_behind_without_its_answers(client, pm, hr_admin, moved, django_assert_max_num_queries):
    client.force_login(hr_admin)
    person_page = client.get(reverse("assessments:person", args=[pm.person.pk])).content.decode()
    assert "Maya Manager no longer manages Priya Product" in person_page
    assert handover_url(pm) in person_page
    with django_assert_max_num_queries(12):
        response = client.get(handover_url(pm))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Maya Manager started a manager assessment of Priya Product against IC level 3 in 2026 H2" in html
    assert "Hand it to Leo Lambert" in html
    assert SECRET not in html


def test_hr_hands_it_to_the_manager_now(client, pm, manager, leo, hr_admin, moved):
    client.force_login(hr_admin)
    response = client.post(handover_url(pm), {"action": "hand_over"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessments:person", args=[pm.person.pk])
    assert "Handed to Leo Lambert: it is their draft now." in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == leo.person
    emails = {email.to[0]: email for email in mail.outbox}
    assert set(emails) == {"maya@example.com", "leo@example.com"}
    assert "has been handed to Leo Lambert" in emails["maya@example.com"].body
    assert "that Maya Manager started" in emails["leo@example.com"].body
    assert page_url(moved) in emails["leo@example.com"].body
    assert SECRET not in emails["maya@example.com"].body + emails["leo@example.com"].body


def test_hr_discards_with_a_reason_and_without_one_is_told_at_the_field(client, pm, manager, hr_admin, moved):
    client.force_login(hr_admin)
    response = client.post(handover_url(pm), {"action": "discard", "reason": " "})
    assert response.status_code == 400
    assert "Say why it is discarded: the former manager is told." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Assessment.objects.filter(pk=moved.pk).exists()

    response = client.post(handover_url(pm), {"action": "discard", "reason": "Leo starts afresh."})
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=moved.pk).exists()
    [email] = mail.outbox
    assert email.to == ["maya@example.com"]
    assert "Leo starts afresh." in email.body


def test_hand_over_to_nobody_says_so(client, pm, hr_admin, moved):
    pm.person.manager = None
    pm.person.save()
    client.force_login(hr_admin)
    assert "has no manager yet" in client.get(handover_url(pm)).content.decode()
    response = client.post(handover_url(pm), {"action": "hand_over"})
    assert response.status_code == 400
    assert "Priya Product has no manager to hand it to" in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == moved.author


def test_nothing_to_hand_over(client, pm, hr_admin, moved, cycle):
    assert cycle.close()
    client.force_login(hr_admin)
    assert "Nothing to hand over" in client.get(handover_url(pm)).content.decode()
    response = client.post(handover_url(pm), {"action": "hand_over"}, follow=True)
    assert "Nothing is waiting to be handed over for Priya Product" in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == moved.author


@pytest.mark.parametrize(("who", "status"), [("leo", 403), ("pm", 403), ("stranger", 404)])
def test_only_hr_hands_over(client, who, status, request, pm, moved):
    client.force_login(request.getfixturevalue(who))
    for response in (client.get(handover_url(pm)), client.post(handover_url(pm), {"action": "hand_over"})):
        assert response.status_code == status
        assert SECRET not in response.content.decode()
    if status == 403:
        assert "Only HR can hand over or discard a manager assessment of Priya Product." in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == moved.author


# The manager now ----------------------------------------------------------------------------------


def test_the_manager_now_is_offered_the_draft_and_takes_it_over(
    client, pm, manager, leo, moved, django_assert_max_num_queries
):
    client.force_login(leo)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("assessments:person", args=[pm.person.pk])).content.decode()
    assert "Take over the draft Maya started" in page
    assert "3 of 4 rated" in page
    assert f'action="{START}"' not in page  # the plain "Assess" would only be refused
    response = client.post(take_over_url(pm))
    assert response["Location"] == page_url(moved)
    mine = client.get(page_url(moved))
    assert mine.status_code == 200 and mine.context["can_edit"]
    [email] = mail.outbox
    assert email.to == ["maya@example.com"] and "who manages them now." in email.body
    entry = LogEntry.objects.get(object_id=str(moved.pk))
    assert entry.user == leo and "by Leo Lambert (the manager now)" in entry.change_message

    client.force_login(manager)  # the former manager loses access
    assert client.get(page_url(moved)).status_code == 404


def test_taking_over_is_only_for_the_manager_now_and_says_the_same_either_way(client, pm, leo, framework, moved):
    head = make_user("nadia@example.com", "Nadia Okafor", level=level(framework, "mgr-2"))
    leo.person.manager = head.person
    leo.person.save()
    client.force_login(head)
    page = client.get(reverse("assessments:person", args=[pm.person.pk])).content.decode()
    assert "Take over" not in page and "Maya" not in page
    refused = client.post(take_over_url(pm))
    Assessment.objects.filter(pk=moved.pk).delete()
    refused_with_nothing = client.post(take_over_url(pm))
    assert refused.status_code == refused_with_nothing.status_code == 403
    body = [response.content.decode().split("<h1>")[1] for response in (refused, refused_with_nothing)]
    assert body[0] == body[1]  # the page after its tokens
    assert "Only Priya Product’s manager can take over" in refused.content.decode()


def test_taking_over_when_nothing_is_left_says_so(client, pm, leo, moved, cycle):
    assert cycle.close()
    client.force_login(leo)
    response = client.post(take_over_url(pm), follow=True)
    assert "Nothing is waiting to be handed over for Priya Product" in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == moved.author


def test_take_over_is_post_only(client, pm, leo, moved):
    client.force_login(leo)
    assert client.get(take_over_url(pm)).status_code == 405


# Refusals say only what the reader may know -------------------------------------------------------


def test_starting_when_something_was_left_behind_points_the_manager_now_to_it(client, pm, leo, moved):
    client.force_login(leo)
    response = client.post(START, {"subject": pm.person.pk}, follow=True)
    [message] = [str(message) for message in response.context["messages"]]
    assert message == (
        "Maya Manager started a manager assessment of Priya Product before Priya Product moved to you. "
        "You can take it over below."
    )
    assert "Take over the draft Maya started" in response.content.decode()
    assert Assessment.objects.get().author == moved.author


def test_a_skip_level_manager_refused_learns_neither_whose_nor_what(client, pm, leo, framework, moved):
    head = make_user("nadia@example.com", "Nadia Okafor", level=level(framework, "mgr-2"))
    leo.person.manager = head.person
    leo.person.save()
    client.force_login(head)
    response = client.post(START, {"subject": pm.person.pk, "level": level(framework, "ic-2").pk}, follow=True)
    [message] = [str(message) for message in response.context["messages"]]
    assert message == (
        "You can’t start a manager assessment of Priya Product in 2026 H2: there is one per person and cycle, "
        "and it is not yours to write. Ask HR if you need to assess Priya Product."
    )
    html = response.content.decode()
    for secret in ("Maya", "IC level 3", "draft", SECRET):
        assert secret not in message
    assert SECRET not in html and "Maya Manager" not in html


def test_the_admin_shows_who_handed_it_over_once_it_is_submitted(client, pm, leo, hr_admin, moved):
    hand_over(moved, leo.person, by_user=hr_admin)
    moved.refresh_from_db()
    moved.ratings.update(scale_level=moved.level.framework.scale_levels.first())
    moved.refresh_from_db()
    assert moved.submit()
    client.force_login(hr_admin)
    html = client.get(reverse("admin:assessments_assessment_change", args=[moved.pk])).content.decode()
    assert "Handed over from Maya Manager to Leo Lambert by HR." in html


def test_the_admin_says_when_nothing_was_handed_over(client, pm, manager, hr_admin, framework):
    review = submitted(pm, manager, level(framework, "ic-3"))
    client.force_login(hr_admin)
    html = client.get(reverse("admin:assessments_assessment_change", args=[review.pk])).content.decode()
    assert "hand-overs, newest first" in html.lower() or "Hand-overs" in html
    assert "Handed over" not in html


def test_hr_reaches_the_hand_over_from_the_people_admin(client, pm, manager, hr_admin, moved):
    client.force_login(hr_admin)
    changelist = reverse("admin:assessments_person_changelist")
    response = client.post(changelist, {"action": "hand_over_assessment", "_selected_action": [pm.person.pk]})
    assert response["Location"] == handover_url(pm)
    response = client.post(
        changelist,
        {"action": "hand_over_assessment", "_selected_action": [pm.person.pk, manager.person.pk]},
        follow=True,
    )
    assert "Choose one person to hand over their assessment." in response.content.decode()


def test_the_cycles_admin_page_lists_what_former_managers_left_behind(
    client, pm, manager, leo, hr_admin, framework, cycle, moved, django_assert_max_num_queries
):
    stays = make_user("ann@example.com", "Ann Stays", manager=leo, level=level(framework, "ic-2"))
    start(stays, leo, level(framework, "ic-3"), cycle)  # Leo's own report: not left behind
    client.force_login(hr_admin)
    url = reverse("admin:assessments_reviewcycle_change", args=[cycle.pk])
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert f'<a href="{handover_url(pm)}">Priya Product</a>' in html
    assert "Ann Stays" not in html
    hand_over(moved, leo.person, by_user=hr_admin)
    assert "Hand over or discard" not in client.get(url).content.decode()
    assert cycle.close()
    assert "None: a closed cycle is read-only." in client.get(url).content.decode()


def test_a_change_at_the_same_moment_is_said_not_crashed(client, pm, leo, hr_admin, moved, monkeypatch):
    # Between the page and the POST, the former manager became one of the person's managers again.
    def refuse(*args, **kwargs):
        raise ValidationError("Maya Manager still manages Priya Product, so it stays with them.")

    monkeypatch.setattr("assessments.reviews.handover_views.discard", refuse)
    monkeypatch.setattr("assessments.reviews.handover_views.hand_over", refuse)
    client.force_login(hr_admin)
    response = client.post(handover_url(pm), {"action": "discard", "reason": "Moved."})
    assert response.status_code == 400
    assert "still manages Priya Product" in response.content.decode()
    client.force_login(leo)
    response = client.post(take_over_url(pm), follow=True)
    assert "still manages Priya Product" in response.content.decode()
    assert Assessment.objects.get(pk=moved.pk).author == moved.author

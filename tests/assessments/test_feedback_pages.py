"""Feedback requests page by page: asking (for yourself, for a report), the lists, answering, declining, withdrawing.
Each with its happy path, bad input (a clear error, nothing changed, nothing typed lost) and the emails it queues."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.growth.feedback import FeedbackRequest
from assessments.growth.models import EvidenceEntry
from tests.assessments.feedback_helpers import ask
from tests.factories import make_user

TODAY = timezone.localdate


@pytest.fixture
def colleague(db, framework):
    return make_user("lee@example.com", "Sam Lee", level=framework.levels.get(key="ic-2"))


def caps(user, *keys):
    return [c.pk for c in user.person.level.framework.capabilities.filter(key__in=keys)]


def ask_data(user, **changes):
    data = {
        "colleagues": "lee@example.com\nsam@example.com",
        "capabilities": caps(user, "cap-1-1", "cap-2-1"),
        "question": "How did the pricing launch go?",
        "due_on": (TODAY() + datetime.timedelta(days=10)).isoformat(),
    }
    return {**data, **changes}


# Asking ------------------------------------------------------------------------------------------------------------


def test_a_pm_asks_two_colleagues_and_each_gets_an_email(client, pm, colleague, stranger):
    client.force_login(pm)
    page = client.get(reverse("growth:feedback_ask"))
    assert "Share the answers with my managers" in page.content.decode()
    response = client.post(reverse("growth:feedback_ask"), ask_data(pm, share_with_managers="on"))
    assert response.status_code == 302 and response["Location"] == reverse("growth:feedback_asked")
    requests = FeedbackRequest.objects.order_by("colleague__user__email")
    assert [r.colleague.user.email for r in requests] == ["lee@example.com", "sam@example.com"]
    assert all(r.asked_by_person and r.share_with_managers and r.capabilities.count() == 2 for r in requests)
    assert sorted(m.to[0] for m in mail.outbox) == ["lee@example.com", "sam@example.com"]
    email = mail.outbox[0]
    assert email.subject == "Priya Product asks for your feedback"
    assert "How did the pricing launch go?" in email.body and "Capability 1.1" in email.body
    assert f"/growth/feedback/{requests[0].pk}/" in email.body or f"/growth/feedback/{requests[1].pk}/" in email.body


def test_a_manager_asks_about_a_report_without_offering_to_share(client, pm, manager, colleague):
    client.force_login(manager)
    url = reverse("growth:feedback_ask_about", args=[pm.person.pk])
    assert "Share the answers" not in client.get(url).content.decode()
    response = client.post(url, ask_data(pm, colleagues="lee@example.com", share_with_managers="on"))
    assert response.status_code == 302
    request = FeedbackRequest.objects.get()
    assert request.asked_by == manager.person and request.person == pm.person and not request.share_with_managers
    assert mail.outbox[0].subject == "Maya Manager asks for your feedback on Priya Product"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"colleagues": "nobody@example.com"}, "Nobody signs in to Pathway as nobody@example.com"),
        ({"colleagues": "priya@example.com"}, "priya@example.com is you: ask a colleague."),
        ({"colleagues": ""}, "Enter the email address of at least one colleague."),
        ({"capabilities": []}, "Choose at least one capability to ask about."),
        ({"question": "  "}, "Enter the question you want answered."),
        ({"due_on": "2020-01-01"}, "The date must be today or later."),
        ({"due_on": "next Tuesday"}, "Enter a real date."),
    ],
)
def test_bad_input_asks_nobody_and_keeps_what_was_typed(client, pm, colleague, changes, error):
    client.force_login(pm)
    response = client.post(reverse("growth:feedback_ask"), ask_data(pm, **{"colleagues": "lee@example.com", **changes}))
    body = response.content.decode()
    assert response.status_code == 400 and error in body and 'id="form-errors"' in body
    assert FeedbackRequest.objects.count() == 0 and not mail.outbox
    if "question" not in changes:
        assert "How did the pricing launch go?" in body


def test_a_manager_cannot_ask_the_report_about_themself_and_a_leaver_cannot_be_asked(client, pm, manager, colleague):
    colleague.is_active = False
    colleague.save()
    client.force_login(manager)
    url = reverse("growth:feedback_ask_about", args=[pm.person.pk])
    body = client.post(url, ask_data(pm, colleagues="priya@example.com lee@example.com")).content.decode()
    assert "priya@example.com is Priya Product" in body and "Sam Lee can’t sign in to Pathway" in body
    assert FeedbackRequest.objects.count() == 0


def test_a_stranger_cannot_ask_about_someone_outside_their_scope(client, pm, stranger):
    client.force_login(stranger)
    assert client.get(reverse("growth:feedback_ask_about", args=[pm.person.pk])).status_code == 404


# Answering and declining ------------------------------------------------------------------------------------------


def test_an_answer_lands_in_the_log_attributed_and_the_asker_is_told(client, pm, manager, colleague):
    request = ask(pm, by=manager, to=colleague)
    client.force_login(colleague)
    page = client.get(reverse("growth:feedback_answer", args=[request.pk])).content.decode()
    assert "You can’t change it after you send it." in page and "What capability 1.1 is about." in page
    response = client.post(reverse("growth:feedback_answer", args=[request.pk]), {"text": "  Clear and calm.  "})
    assert response.status_code == 302 and response["Location"] == reverse("growth:feedback")
    entry = EvidenceEntry.objects.get()
    assert (entry.source, entry.author, entry.person, entry.text) == (
        "feedback",
        colleague.person,
        pm.person,
        "Clear and calm.",
    )
    assert entry.happened_on == TODAY() and not entry.shared and entry.feedback_request == request
    assert sorted(entry.capabilities.values_list("key", flat=True)) == ["cap-1-1", "cap-2-1"]
    assert mail.outbox[-1].to == ["maya@example.com"]
    assert mail.outbox[-1].subject == "Sam Lee answered your request for feedback on Priya Product"
    assert "Clear and calm" not in mail.outbox[-1].body
    # Sent is sent: a second answer changes nothing.
    client.post(reverse("growth:feedback_answer", args=[request.pk]), {"text": "Changed my mind."})
    assert EvidenceEntry.objects.get().text == "Clear and calm."


def test_an_empty_answer_is_refused_and_a_late_one_says_so(client, pm, manager, colleague):
    request = ask(pm, by=manager, to=colleague, due=TODAY() - datetime.timedelta(days=3))
    client.force_login(colleague)
    url = reverse("growth:feedback_answer", args=[request.pk])
    assert "You can still answer: it will show as late." in client.get(url).content.decode()
    response = client.post(url, {"text": "   "})
    assert response.status_code == 400 and "Write your feedback before sending it." in response.content.decode()
    assert not EvidenceEntry.objects.exists()
    assert client.post(url, {"text": "Late but useful."}).status_code == 302
    assert EvidenceEntry.objects.get().text == "Late but useful."


def test_a_decline_keeps_its_reason_and_tells_the_asker(client, pm, manager, colleague):
    request = ask(pm, by=manager, to=colleague)
    client.force_login(colleague)
    url = reverse("growth:feedback_decline", args=[request.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "We have not worked together."}).status_code == 302
    request.refresh_from_db()
    assert request.status == "declined" and request.decline_reason == "We have not worked together."
    assert "Their reason: We have not worked together." in mail.outbox[-1].body
    assert not EvidenceEntry.objects.exists()
    assert client.post(reverse("growth:feedback_answer", args=[request.pk]), {"text": "x"}).status_code == 302
    assert not EvidenceEntry.objects.exists()


def test_a_withdrawn_request_can_no_longer_be_answered(client, pm, manager, colleague):
    request = ask(pm, by=manager, to=colleague)
    client.force_login(manager)
    url = reverse("growth:feedback_withdraw", args=[request.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"
    client.force_login(colleague)
    page = client.get(reverse("growth:feedback_answer", args=[request.pk])).content.decode()
    assert "withdrew this request" in page and "Send my feedback" not in page
    client.post(reverse("growth:feedback_answer", args=[request.pk]), {"text": "Too late."})
    assert not EvidenceEntry.objects.exists()
    assert client.post(url).status_code == 403  # only the asker withdraws


# Lists -------------------------------------------------------------------------------------------------------------


def test_the_lists_show_each_status(client, pm, manager, colleague, stranger):
    waiting = ask(pm, by=manager, to=colleague)
    late = ask(pm, by=manager, to=stranger, due=TODAY() - datetime.timedelta(days=1))
    answered = ask(pm, by=pm, to=colleague)
    answered.give_answer("Good stuff.")
    declined = ask(pm, by=manager, to=make_user("x@example.com", "Xan Decliner"))
    declined.decline("Not my area.")
    assert list(FeedbackRequest.objects.waiting_for(colleague.person)) == [waiting]
    client.force_login(manager)
    body = client.get(reverse("growth:feedback_asked")).content.decode()
    assert body.count("growth-chip--waiting") == 1 and body.count("growth-chip--overdue") == 1
    assert "Xan Decliner declined: “Not my area.”" in body and "Good stuff." not in body  # Priya asked that one
    client.force_login(colleague)
    body = client.get(reverse("growth:feedback")).content.decode()
    assert "1 request waiting for your answer" in body and late.question not in body.replace(waiting.question, "", 1)
    body = client.get(reverse("growth:feedback") + "?show=done").content.decode()
    assert "1 request answered, declined or withdrawn" in body
    client.force_login(pm)
    assert "Good stuff." in client.get(reverse("growth:feedback_asked")).content.decode()


def test_the_pages_read_a_flat_number_of_queries(client, pm, manager, colleague, django_assert_max_num_queries):
    def run():
        # Each counts the session, the user, the person (with the navigation's questions).
        client.force_login(manager)
        with django_assert_max_num_queries(7):  # count, page, capabilities
            assert client.get(reverse("growth:feedback_asked")).status_code == 200
        client.force_login(colleague)
        with django_assert_max_num_queries(7):  # count, page, capabilities
            assert client.get(reverse("growth:feedback")).status_code == 200
        with django_assert_max_num_queries(7):  # the request, its capabilities, their expectations at the level
            assert client.get(reverse("growth:feedback_answer", args=[first.pk])).status_code == 200
        client.force_login(pm)
        with django_assert_max_num_queries(8):
            assert client.get(reverse("growth:log")).status_code == 200

    first = ask(pm, by=manager, to=colleague)
    first_answer = ask(pm, by=manager, to=colleague)
    first_answer.give_answer("One.")
    run()
    for n in range(10):
        ask(pm, by=manager, to=colleague, keys=("cap-1-1", "cap-1-2", "cap-2-1")).give_answer(f"Answer {n}")
        ask(pm, by=manager, to=colleague)
    run()


def test_home_says_how_many_requests_wait_for_my_feedback(client, pm, manager, colleague):
    client.force_login(colleague)
    assert "Nobody is waiting for your feedback." in client.get(reverse("home")).content.decode()
    ask(pm, by=manager, to=colleague, due=TODAY() + datetime.timedelta(days=3))
    ask(pm, by=pm, to=colleague, due=TODAY() + datetime.timedelta(days=9))
    body = client.get(reverse("home")).content.decode()
    due = (TODAY() + datetime.timedelta(days=3)).strftime("%-d %B")
    assert f"2 requests wait for your feedback; the soonest is due on {due} (in 3 days)." in body
    ask(pm, by=manager, to=colleague, due=TODAY() - datetime.timedelta(days=1))
    assert (
        "3 requests wait for your feedback; 1 is late, but you can still answer."
        in client.get(reverse("home")).content.decode()
    )


def test_the_ask_and_decline_pages_read_a_fixed_number_of_queries(
    client, pm, manager, colleague, django_assert_max_num_queries
):
    client.force_login(manager)
    # Measured 7: the session, the user, the person asked about, the viewer, the capabilities (one query, grouped
    # by area in Python); the navigation's questions come with the viewer's scope.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("growth:feedback_ask_about", args=[pm.person.pk])).status_code == 200
    request = ask(pm, by=manager, to=colleague, keys=("cap-1-1", "cap-1-2", "cap-2-1", "cap-2-2"))
    client.force_login(colleague)
    with django_assert_max_num_queries(5):  # the request, its capabilities, the navigation's question
        assert client.get(reverse("growth:feedback_decline", args=[request.pk])).status_code == 200

"""Emails: who gets them, and that each links to the right page with an absolute address. They are queued
(tests run the queue at once; `database_tasks` keeps them queued until a worker runs)."""

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessments.reviews import notifications
from assessments.reviews.models import ReviewCycle
from tests.assessments.assessment_helpers import level, make_cycle, page_post_data, page_url, rate_all, start, submitted
from tests.factories import make_user
from tests.mail_server import break_mail_server

SITE = "https://pathway.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_submitting_a_self_assessment_emails_the_manager_with_a_link(client, pm, manager, framework):
    cycle = make_cycle()
    assessment = rate_all(start(pm, pm, level(framework, "ic-3"), cycle))
    client.force_login(pm)
    client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["maya@example.com"]
    assert email.subject == "Priya Product submitted a self-assessment against IC level 3"
    assert "Hello Maya," in email.body
    assert "in the review cycle 2026 H2" in email.body
    assert f"{SITE}/assessments/{assessment.pk}/" in email.body


def test_no_manager_no_email(client, framework):
    loner = make_user("lee@example.com", "Lee Loner", level=level(framework, "ic-1"))
    assessment = rate_all(start(loner, loner, level(framework, "ic-2")))
    client.force_login(loner)
    client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert not mail.outbox
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_a_leaver_manager_gets_no_email(client, pm, manager, framework):
    manager.is_active = False
    manager.save()
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")))
    client.force_login(pm)
    client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert not mail.outbox


def test_returned_email_carries_the_comment_and_link(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    client.post(reverse("assessments:return", args=[assessment.pk]), {"comment": "Say more about 1.2, please."})
    email = mail.outbox[-1]
    assert email.to == ["priya@example.com"]
    assert email.subject == "Your self-assessment against IC level 3 was returned for changes"
    assert "Maya Manager has returned your self-assessment" in email.body
    assert "Say more about 1.2, please." in email.body
    assert f"{SITE}/assessments/{assessment.pk}/" in email.body


def test_shared_email_links_to_the_manager_assessment(client, pm, manager, framework):
    assessment = submitted(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    client.post(reverse("assessments:share", args=[assessment.pk]))
    email = mail.outbox[-1]
    assert email.to == ["priya@example.com"]
    assert email.subject == "Maya Manager shared their assessment of you against IC level 3"
    assert f"{SITE}/assessments/{assessment.pk}/" in email.body


def test_a_mail_server_failure_does_not_undo_the_submission(client, pm, manager, framework, settings):
    break_mail_server(settings, failures=-1)
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")))
    client.force_login(pm)
    response = client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert not mail.outbox


def test_submitting_queues_the_email_and_answers_without_sending_it(client, pm, manager, framework, database_tasks):
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")))
    client.force_login(pm)
    response = client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert response.status_code == 302
    assert not mail.outbox
    queued = DBTaskResult.objects.get()
    assert (queued.status, queued.args_kwargs["kwargs"]["to"]) == ("READY", ["maya@example.com"])
    assert database_tasks() == 1
    assert [m.to for m in mail.outbox] == [["maya@example.com"]]


# Review cycles opening ----------------------------------------------------------------------------


def _cycle_form(**overrides):
    return {"name": "2026 H2", "starts_on": "2026-07-01", "ends_on": "2026-12-31", "status": "open", **overrides}


def test_creating_an_open_cycle_in_the_admin_emails_everyone_with_a_level(client, hr_admin, pm, manager, stranger):
    make_user("nia@example.com", "Nia Newcomer")  # no level yet: not in scope
    client.force_login(hr_admin)
    response = client.post(reverse("admin:assessments_reviewcycle_add"), _cycle_form(blind="on"))
    assert response.status_code == 302
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["maya@example.com", "priya@example.com", "sam@example.com"]
    email = next(m for m in mail.outbox if m.to == ["priya@example.com"])
    assert email.subject == "The review cycle 2026 H2 is open"
    assert "from 1 July 2026 to 31 December 2026" in email.body
    assert "It is blind" in email.body
    assert f"{SITE}/assessments/start/" in email.body


def test_editing_a_closed_cycle_cannot_open_it_or_email_anyone(client, hr_admin, pm):
    cycle = make_cycle(status=ReviewCycle.Status.CLOSED)
    client.force_login(hr_admin)
    url = reverse("admin:assessments_reviewcycle_change", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page  # read-only: open, reopen and close are the list's actions
    client.post(url, _cycle_form(name="2026 H2 (renamed)"))
    cycle.refresh_from_db()
    assert (cycle.name, cycle.status) == ("2026 H2 (renamed)", "closed")
    assert not mail.outbox


def test_creating_a_closed_cycle_emails_nobody(client, hr_admin, pm):
    client.force_login(hr_admin)
    client.post(reverse("admin:assessments_reviewcycle_add"), _cycle_form(status="closed"))
    assert ReviewCycle.objects.get().status == "closed"
    assert not mail.outbox


def test_open_cycle_admin_action_opens_and_notifies(client, hr_admin, pm):
    cycle = make_cycle(status=ReviewCycle.Status.CLOSED)
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_changelist"),
        {"action": "open_and_notify", "_selected_action": [cycle.pk]},
        follow=True,
    )
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert sorted(m.to[0] for m in mail.outbox) == ["maya@example.com", "priya@example.com"]
    assert "2026 H2 is open. Emailing 2 people: the cycle&#x27;s page shows how many were sent." in (
        response.content.decode()
    )
    client.post(
        reverse("admin:assessments_reviewcycle_changelist"),
        {"action": "open_and_notify", "_selected_action": [cycle.pk]},
    )
    assert len(mail.outbox) == 2  # already open: nobody emailed twice


def test_cycle_opened_skips_leavers(pm, manager):
    manager.is_active = False
    manager.save()
    assert notifications.cycle_opened(make_cycle()).emailed == 1
    assert [m.to for m in mail.outbox] == [["priya@example.com"]]


def test_opening_a_cycle_answers_at_once_and_the_worker_sends_one_email_each(
    client, hr_admin, pm, manager, stranger, database_tasks
):
    client.force_login(hr_admin)
    response = client.post(reverse("admin:assessments_reviewcycle_add"), _cycle_form(), follow=True)
    assert "2026 H2 is open. Emailing 3 people" in response.content.decode()
    assert not mail.outbox  # nothing sent inside the request: one task queued, which queues the emails
    assert DBTaskResult.objects.get().task_name == "announce_cycle"
    cycle = ReviewCycle.objects.get()
    change = reverse("admin:assessments_reviewcycle_change", args=[cycle.pk])
    assert "None queued yet." in client.get(change).content.decode()

    assert database_tasks() == 4  # the announcement, then one task per person
    assert sorted(m.to[0] for m in mail.outbox) == ["maya@example.com", "priya@example.com", "sam@example.com"]
    emails = DBTaskResult.objects.filter(task_path="pathway.mail.send_email")
    assert sorted(e.args_kwargs["kwargs"]["to"][0] for e in emails) == sorted(m.to[0] for m in mail.outbox)
    assert "3 sent, 0 waiting, 0 failed" in client.get(change).content.decode()


def test_a_cycle_announcement_shows_who_is_still_waiting_and_who_failed(
    client, hr_admin, pm, manager, database_tasks, settings
):
    cycle = make_cycle(status=ReviewCycle.Status.CLOSED)
    client.force_login(hr_admin)
    client.post(
        reverse("admin:assessments_reviewcycle_changelist"),
        {"action": "open_and_notify", "_selected_action": [cycle.pk]},
    )
    break_mail_server(settings, failures=1)
    database_tasks()
    change = reverse("admin:assessments_reviewcycle_change", args=[cycle.pk])
    assert "1 sent, 1 waiting, 0 failed" in client.get(change).content.decode()  # one retries in a minute

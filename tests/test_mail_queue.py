"""Every email is a task: a mail server that is down delays emails, never loses them, and HR sees how each stands."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import sync_hr_admin_permissions
from pathway.mail import MAX_ATTEMPTS, RETRY_DELAYS, progress, queue_email
from tests.assessments.assessment_helpers import level, page_post_data, page_url, rate_all, start
from tests.mail_server import break_mail_server


def time_passes():
    """The retries that are waiting become due (instead of the test waiting minutes for them)."""
    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def attempts():
    return list(DBTaskResult.objects.order_by("enqueued_at", "run_after").values_list("status", "args_kwargs"))


def test_a_broken_mail_server_delays_the_email_until_it_is_sent_once(
    client, pm, manager, framework, hr_admin, settings, database_tasks
):
    server = break_mail_server(settings, failures=2)
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")))
    client.force_login(pm)
    response = client.post(page_url(assessment), page_post_data(assessment, action="submit"))
    assert response.status_code == 302 and not mail.outbox

    for attempt in (1, 2):
        started = timezone.now()
        assert database_tasks() == 1  # the attempt fails; the next one waits for its delay
        assert server.refused == attempt and not mail.outbox
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
        assert started + RETRY_DELAYS[attempt - 1] <= retry.run_after <= timezone.now() + RETRY_DELAYS[attempt - 1]
        assert database_tasks() == 0  # not due yet
        time_passes()

    assert database_tasks() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maya@example.com"]
    assert mail.outbox[0].subject == "Priya Product submitted a self-assessment against IC level 3"
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [(r.status, r.args_kwargs["kwargs"]["attempt"]) for r in results] == [
        ("FAILED", 1),
        ("FAILED", 2),
        ("SUCCESSFUL", 3),
    ]
    assert "SMTPServerDisconnected" in results[0].traceback  # the mail server's error, kept for HR

    # HR reads each attempt in the admin.
    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Email to maya@example.com: Priya Product submitted a self-assessment against IC level 3" in body
    assert f"Failed (attempt 1 of {MAX_ATTEMPTS}); retried" in body
    assert f"Sent (attempt 3 of {MAX_ATTEMPTS})" in body
    change = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[results[0].pk]))
    assert change.status_code == 200 and "SMTPServerDisconnected" in change.content.decode()


def test_a_retry_waiting_shows_when_it_runs(client, hr_admin, settings, database_tasks):
    break_mail_server(settings, failures=1)
    queue_email("Hello", "Body", ["ana@example.com"])
    database_tasks()
    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    body = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    assert f"Retrying: attempt 2 of {MAX_ATTEMPTS} after" in body


def test_after_the_last_attempt_the_email_fails_for_good_and_says_so(settings, database_tasks, caplog):
    server = break_mail_server(settings, failures=-1)
    queue_email("Hello", "Body", ["ana@example.com"], tag="greeting")
    for _ in range(MAX_ATTEMPTS):
        database_tasks()
        time_passes()
    assert database_tasks() == 0  # nothing left to retry
    assert server.refused == MAX_ATTEMPTS and not mail.outbox
    last = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=MAX_ATTEMPTS)
    assert last.status == "FAILED"
    assert last.exception_class_path == "pathway.mail.EmailNotSent"
    assert f"Not sent to ana@example.com after {MAX_ATTEMPTS} attempts" in last.traceback
    assert progress("greeting") == {"sent": 0, "waiting": 0, "failed": 1}
    assert any(r.levelname == "ERROR" and "Gave up emailing ana@example.com" in r.message for r in caplog.records)


def test_without_a_queue_that_can_wait_the_retries_run_at_once(settings):
    server = break_mail_server(settings, failures=2)  # the tests' immediate backend cannot defer a task
    queue_email("Hello", "Body", ["ana@example.com"])
    assert server.refused == 2
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]


def test_task_results_are_read_only_and_for_hr(client, hr_admin, pm, database_tasks):
    queue_email("Hello", "Body", ["ana@example.com"])
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    client.force_login(pm)
    assert client.get(url).status_code == 302  # not staff: the admin's sign-in
    sync_hr_admin_permissions()
    assert hr_admin.has_perm("django_tasks_database.view_dbtaskresult")
    assert not hr_admin.has_perm("django_tasks_database.change_dbtaskresult")
    client.force_login(hr_admin)
    body = client.get(url).content.decode()
    assert "Email to ana@example.com: Hello" in body and "Queued" in body


# Password reset -----------------------------------------------------------------------------------


@pytest.fixture
def reset_requested(client, pm, database_tasks):
    response = client.post(reverse("password_reset"), {"email": "priya@example.com"})
    assert response.status_code == 302 and not mail.outbox
    return DBTaskResult.objects.get()


def test_a_password_reset_is_queued_without_its_link(reset_requested):
    kwargs = reset_requested.args_kwargs["kwargs"]
    assert kwargs["to"] == ["priya@example.com"]
    assert kwargs["subject"] == "Reset your Pathway password"
    # The link is made when the email is sent: HR, who reads the queue, never sees a usable one.
    assert "token" not in str(reset_requested.args_kwargs) and "password-reset/" not in str(kwargs)


def test_the_queued_password_reset_sends_a_working_link(client, pm, reset_requested, database_tasks, settings):
    break_mail_server(settings, failures=1)
    database_tasks()
    time_passes()
    database_tasks()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in response.content.decode()


def test_a_password_reset_for_someone_who_left_since_is_not_sent(pm, reset_requested, database_tasks):
    pm.is_active = False
    pm.save()
    database_tasks()
    assert not mail.outbox
    assert DBTaskResult.objects.get().return_value == "Not sent: the account is gone or inactive"


def test_a_retry_is_due_after_its_delay(database_tasks, settings):
    break_mail_server(settings, failures=1)
    queue_email("Hello", "Body", ["ana@example.com"])
    database_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after - timezone.now() > RETRY_DELAYS[0] - timedelta(seconds=5)


def test_a_subject_is_always_one_line(db):
    """A name saved before names refused line breaks cannot split the subject (which would fail every attempt)."""
    queue_email("2026 H1\r\nBcc: everyone@example.com:  opens today", "Body", ["priya@example.com"])
    assert [message.subject for message in mail.outbox] == ["2026 H1 Bcc: everyone@example.com: opens today"]

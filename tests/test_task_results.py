"""How HR reads the background tasks: each email's outcome in words, and tasks that are not emails."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import sync_hr_admin_permissions
from assessments.reviews import notifications
from pathway.mail import MAX_ATTEMPTS, EmailNotSent, outcome
from tests.assessments.assessment_helpers import make_cycle

NOT_SENT = f"{EmailNotSent.__module__}.{EmailNotSent.__qualname__}"


@pytest.mark.parametrize(
    ("status", "attempt", "expected"),
    [
        ("SUCCESSFUL", 1, "Sent"),
        ("SUCCESSFUL", 3, f"Sent (attempt 3 of {MAX_ATTEMPTS})"),
        ("RUNNING", 1, f"Sending (attempt 1 of {MAX_ATTEMPTS})"),
        ("RUNNING", 2, f"Sending (attempt 2 of {MAX_ATTEMPTS})"),
        ("READY", 1, "Queued"),
    ],
)
def test_email_outcomes_in_words(status, attempt, expected):
    assert outcome(status, "", {"attempt": attempt}) == expected


def test_an_email_without_an_attempt_number_is_its_first_attempt():
    assert outcome("SUCCESSFUL", "", {}) == "Sent"


def test_a_waiting_retry_says_when_it_runs_in_local_time(settings):
    settings.TIME_ZONE = "Europe/London"
    run_after = datetime.datetime(2026, 7, 1, 13, 5, tzinfo=datetime.UTC)  # 14:05 in London in summer
    with timezone.override("Europe/London"):
        assert (
            outcome("READY", "", {"attempt": 2}, run_after)
            == f"Retrying: attempt 2 of {MAX_ATTEMPTS} after 01 Jul 14:05"
        )


@pytest.mark.parametrize("run_after", [None, datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)])
def test_a_retry_without_a_real_time_does_not_invent_one(run_after):
    assert outcome("READY", "", {"attempt": 4}, run_after) == f"Retrying: attempt 4 of {MAX_ATTEMPTS}"


def test_an_email_that_failed_for_good_says_how_often_it_was_tried():
    assert outcome("FAILED", NOT_SENT, {"attempt": MAX_ATTEMPTS}) == f"Failed: not sent after {MAX_ATTEMPTS} attempts"


def test_a_failed_attempt_that_was_retried_says_so():
    assert outcome("FAILED", "smtplib.SMTPServerDisconnected", {"attempt": 2}) == (
        f"Failed (attempt 2 of {MAX_ATTEMPTS}); retried"
    )


# Tasks that are not emails -----------------------------------------------------------------------------


def test_hr_reads_a_task_that_is_not_an_email_by_its_status(client, hr_admin, pm, database_tasks):
    cycle = make_cycle()
    notifications.cycle_opened(cycle)  # queues one announce_cycle task, not yet an email
    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    response = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.task_name for row in rows] == ["announce_cycle"]
    admin = response.context["cl"].model_admin
    assert admin.about(rows[0]) == ""
    assert admin.outcome(rows[0]) == "Ready"


def test_announcing_a_cycle_deleted_before_the_worker_ran_sends_nothing(pm, database_tasks):
    cycle = make_cycle()
    notifications.cycle_opened(cycle)
    cycle.delete()
    assert database_tasks() == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert DBTaskResult.objects.count() == 1  # no email was queued
    assert not mail.outbox


def test_announce_cycle_returns_how_many_emails_it_queued(pm, manager, stranger):
    cycle = make_cycle()
    assert notifications.announce_cycle.call(cycle.pk) == 3
    assert notifications.announce_cycle.call(cycle.pk + 1000) == 0

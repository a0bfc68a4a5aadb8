"""Feedback reminders: one to each colleague with an open request, from two days before it is due; never twice,
never after an answer, a decline or a withdrawal, never once it is past; retried while the mail server is down."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from assessments.growth.feedback_emails import send_feedback_reminders
from tests.assessments.feedback_helpers import ask
from tests.factories import make_user
from tests.mail_server import break_mail_server

DUE = datetime.date(2026, 12, 10)


def day(offset: int) -> str:
    return (DUE + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def colleagues(db, framework):
    ic2 = framework.levels.get(key="ic-2")
    return [make_user(f"c{n}@example.com", f"Colleague {n}", level=ic2) for n in range(5)]


@pytest.fixture
def requests(pm, manager, colleagues):
    """Five requests about Priya due on DUE: one waiting each for c0 and c1; answered, declined, withdrawn."""
    made = [ask(pm, by=manager, to=c, due=DUE) for c in colleagues]
    made[2].give_answer("Done.")
    made[3].decline()
    made[4].withdraw()
    mail.outbox.clear()
    return made


def test_only_open_requests_are_reminded_once_from_two_days_before(requests):
    assert send_feedback_reminders.call(today=day(-3)) == 0
    assert send_feedback_reminders.call(today=day(-2)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["c0@example.com", "c1@example.com"]
    assert mail.outbox[0].subject == "Reminder: Maya Manager asks for your feedback by 10 December"
    assert f"/growth/feedback/{requests[0].pk}/" in mail.outbox[0].body
    assert send_feedback_reminders.call(today=day(-1)) == 0  # never twice
    assert send_feedback_reminders.call(today=day(0)) == 0
    assert len(mail.outbox) == 2


def test_a_past_request_or_one_answered_before_the_run_is_not_reminded(requests):
    requests[0].give_answer("Answered in time.")
    assert send_feedback_reminders.call(today=day(1)) == 0
    assert send_feedback_reminders.call(today=day(0)) == 1
    assert [m.to for m in mail.outbox] == [["c1@example.com"]]


def test_the_reminder_is_recorded_and_retried_while_the_mail_server_is_down(requests, settings):
    server = break_mail_server(settings, failures=1)
    assert send_feedback_reminders.call(today=day(-2)) == 2
    assert server.refused == 1 and len(mail.outbox) == 2  # the refused one went on its retry
    assert all(r.reminded_at for r in requests[:2] if not r.refresh_from_db())
    assert send_feedback_reminders.call(today=day(-1)) == 0


def test_the_cycle_reminders_command_runs_them_too(requests):
    out = StringIO()
    call_command("send_cycle_reminders", f"--date={day(-2)}", stdout=out)
    assert "Feedback requests: reminded 2 colleagues of a request due soon." in out.getvalue()


def test_a_colleague_who_cannot_sign_in_is_not_reminded(requests, colleagues):
    colleagues[0].is_active = False
    colleagues[0].save()
    assert send_feedback_reminders.call(today=day(-2)) == 1

"""Reminders before a cycle's deadlines: to those who have not finished, only people who can sign in, once per
deadline however often the command runs."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from assessments.reviews.cycles import CycleReminder, Deadline
from assessments.reviews.models import ReviewCycle
from assessments.reviews.reminders import _remind, send_cycle_reminders
from tests.assessments.assessment_helpers import level, make_cycle, shared, start, submitted
from tests.factories import make_user

SELF_DUE = datetime.date(2026, 10, 16)
MANAGER_DUE = datetime.date(2026, 11, 13)


@pytest.fixture
def cycle(db):
    cycle = make_cycle()
    cycle.self_deadline, cycle.manager_deadline = SELF_DUE, MANAGER_DUE
    cycle.save()
    return cycle


@pytest.fixture
def team(framework, cycle, pm, manager):
    """Maya manages Priya (a draft), Pete (submitted, and Maya's review shared), Olive (returned for changes),
    Lee (left) and Noor (no usable password). Nia has no level yet."""
    ic2, ic3 = level(framework, "ic-2"), level(framework, "ic-3")
    people = {"priya": pm, "maya": manager}
    for key, name, extra in (
        ("pete", "Pete Peer", {}),
        ("olive", "Olive Other", {}),
        ("lee", "Lee Leaver", {"is_active": False}),
        ("noor", "Noor No-Password", {"password": None}),
    ):
        people[key] = make_user(f"{key}@example.com", name, manager=manager, level=ic2, **extra)
    people["nia"] = make_user("nia@example.com", "Nia Newcomer", manager=manager)
    start(pm, pm, ic3, cycle)
    submitted(people["pete"], people["pete"], ic3, cycle)
    shared(people["pete"], manager, ic3, cycle)
    returned = submitted(people["olive"], people["olive"], ic3, cycle)
    returned.return_for_changes(manager.person, "Add evidence.")
    mail.outbox.clear()
    return people


def pm_person(team):
    return team["priya"].person


def run(today, **options) -> str:
    out = StringIO()
    call_command("send_cycle_reminders", f"--date={today.isoformat()}", stdout=out, **options)
    return out.getvalue()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# Self-assessments ------------------------------------------------------------------------------------------


def test_three_days_before_everyone_who_has_not_submitted_and_can_sign_in_is_reminded(team, cycle):
    output = run(SELF_DUE - datetime.timedelta(days=3))
    # Priya (draft), Olive (returned), Maya (none); not Pete (submitted), Lee (left), Noor (cannot sign in),
    # Nia (no level).
    assert recipients() == ["maya@example.com", "olive@example.com", "priya@example.com"]
    assert output == "2026 H2: reminded 3 people of self-assessments due 16 October.\n"
    email = next(m for m in mail.outbox if m.to == ["priya@example.com"])
    assert email.subject == "Your self-assessment for 2026 H2 is due on 16 October"
    assert "Self-assessments in the review cycle 2026 H2 are due on 16 October 2026 (in 3 days)." in email.body
    assert "/assessments/start/" in email.body
    assert set(CycleReminder.objects.values_list("kind", "deadline").distinct()) == {("self", SELF_DUE)}
    reminder = CycleReminder.objects.get(person=pm_person(team))
    assert str(reminder) == f"Self-assessment reminder to {reminder.person_id} for {cycle.pk} (due 2026-10-16)"


def test_running_again_reminds_nobody_twice(team, cycle):
    run(SELF_DUE - datetime.timedelta(days=3))
    run(SELF_DUE - datetime.timedelta(days=3))
    output = run(SELF_DUE - datetime.timedelta(days=1))
    assert len(mail.outbox) == 3
    assert output == "2026 H2: reminded 0 people of self-assessments due 16 October.\n"


def test_someone_who_submits_before_the_run_is_not_reminded(team, cycle, framework):
    submitted(team["maya"], team["maya"], level(framework, "mgr-2"), cycle)
    mail.outbox.clear()
    run(SELF_DUE)  # the day itself still counts
    assert recipients() == ["olive@example.com", "priya@example.com"]


@pytest.mark.parametrize("days_before", [4, -1])
def test_nothing_goes_too_early_or_after_the_deadline(team, cycle, days_before):
    output = run(SELF_DUE - datetime.timedelta(days=days_before))
    assert not mail.outbox
    assert output == "No reminders due: no deadline of an open review cycle is close enough.\n"


def test_the_number_of_days_is_a_setting(team, cycle, settings):
    settings.CYCLE_REMINDER_DAYS = 5
    run(SELF_DUE - datetime.timedelta(days=5))
    assert len(mail.outbox) == 3
    mail.outbox.clear()
    run(SELF_DUE - datetime.timedelta(days=7), days=7)  # or an option; already reminded of this deadline
    assert not mail.outbox


def test_a_moved_deadline_is_a_new_deadline(team, cycle):
    run(SELF_DUE - datetime.timedelta(days=1))
    cycle.self_deadline = SELF_DUE + datetime.timedelta(days=7)
    cycle.save()
    run(SELF_DUE + datetime.timedelta(days=5))
    assert len(mail.outbox) == 6


def test_a_closed_cycle_reminds_nobody(team, cycle):
    cycle.close()
    assert run(SELF_DUE) == "No reminders due: no deadline of an open review cycle is close enough.\n"
    assert not mail.outbox


def test_two_runs_at_once_store_one_reminder_and_queue_one_email(team, cycle):
    deadline = Deadline("self", "Self-assessments", SELF_DUE, SELF_DUE)
    priya = team["priya"].person
    assert _remind(cycle, priya.pk, deadline, "Subject", "Body", priya.email) is True
    assert _remind(cycle, priya.pk, deadline, "Subject", "Body", priya.email) is False
    assert len(mail.outbox) == 1 and CycleReminder.objects.count() == 1


# Managers --------------------------------------------------------------------------------------------------


def test_managers_are_reminded_of_the_reports_whose_reviews_are_not_shared(team, cycle, stranger, framework):
    # Sam manages Ravi but cannot sign in any more: he is not reminded.
    make_user("ravi@example.com", "Ravi Report", manager=stranger, level=level(framework, "ic-2"))
    User.objects.filter(pk=stranger.pk).update(is_active=False)
    output = run(MANAGER_DUE - datetime.timedelta(days=2))
    assert output.splitlines() == ["2026 H2: reminded 1 manager of manager reviews due 13 November."]
    (email,) = mail.outbox
    assert email.to == ["maya@example.com"]
    assert email.subject == "3 reviews to share in 2026 H2 by 13 November"
    assert "Manager reviews in the review cycle 2026 H2 are due on 13 November 2026 (in 2 days)." in email.body
    assert "3 reviews of people who report to you are not shared yet:\n\n- Noor No-Password\n- Olive Other\n" in (
        email.body
    )
    assert "- Priya Product\n" in email.body and "Pete Peer" not in email.body and "Lee Leaver" not in email.body
    assert "/team/" in email.body
    run(MANAGER_DUE)
    assert len(mail.outbox) == 1


def test_a_long_list_of_reports_is_cut_short(cycle, manager, framework):
    for number in range(23):
        make_user(f"r{number}@example.com", f"Report {number:02d}", manager=manager, level=level(framework, "ic-2"))
    run(MANAGER_DUE)
    email = next(m for m in mail.outbox if m.to == ["maya@example.com"])
    assert "- Report 19\n- and 3 more" in email.body and "Report 20" not in email.body
    assert email.subject == "23 reviews to share in 2026 H2 by 13 November"


def test_one_report_reads_in_the_singular(cycle, pm, manager):
    run(MANAGER_DUE)
    email = next(m for m in mail.outbox if m.to == ["maya@example.com"])
    assert email.subject == "1 review to share in 2026 H2 by 13 November"
    assert "(today). 1 review of people who report to you is not shared yet:" in email.body


# The command and the task --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [({"date": "14/03/2026"}, "--date must be a date like 2026-03-14"), ({"days": -1}, "--days must be 0 or more.")],
)
def test_the_command_refuses_bad_options_with_a_sentence(db, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_cycle_reminders", **options)


def test_the_command_acts_on_today_by_default(db):
    ReviewCycle.objects.all().delete()
    out = StringIO()
    call_command("send_cycle_reminders", stdout=out)
    assert out.getvalue().startswith("No reminders due")


def test_the_task_runs_on_the_worker_and_queues_one_email_each(team, cycle, database_tasks):
    send_cycle_reminders.enqueue(today=SELF_DUE.isoformat())
    assert database_tasks() == 4  # the reminders task, then one email each
    assert recipients() == ["maya@example.com", "olive@example.com", "priya@example.com"]

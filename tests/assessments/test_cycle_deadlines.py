"""A cycle's deadlines (validated as sentences, shown as "Self-assessments due 14 March (in 5 days)"), and who
opening a cycle emails: only active people who can sign in, with the admin saying how many were left out and why."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User, can_sign_in_q
from assessments.reviews.cycles import Deadline, in_days
from assessments.reviews.models import ReviewCycle
from tests.assessments.assessment_helpers import make_cycle
from tests.factories import make_user

TODAY = datetime.date(2026, 3, 9)


def _cycle(**fields):
    values = {"name": "2026 H1", "starts_on": datetime.date(2026, 1, 5), "ends_on": datetime.date(2026, 6, 30)}
    return ReviewCycle(**{**values, **fields})


# Validation: sentences at the field they belong to ------------------------------------------------------


def test_deadlines_within_the_cycle_in_order_validate(db):
    _cycle(self_deadline=datetime.date(2026, 3, 14), manager_deadline=datetime.date(2026, 3, 14)).full_clean()


@pytest.mark.parametrize(
    ("fields", "field", "sentence"),
    [
        (
            {"self_deadline": datetime.date(2026, 1, 1)},
            "self_deadline",
            "Self-assessments must be due within the cycle, between 5 January and 30 June 2026.",
        ),
        (
            {"manager_deadline": datetime.date(2026, 7, 1)},
            "manager_deadline",
            "Manager reviews must be due within the cycle, between 5 January and 30 June 2026.",
        ),
        (
            {"self_deadline": datetime.date(2026, 3, 14), "manager_deadline": datetime.date(2026, 3, 13)},
            "manager_deadline",
            "Manager reviews can’t be due before the self-assessments they review: choose 14 March or later.",
        ),
    ],
)
def test_a_deadline_out_of_place_gets_a_sentence_at_its_field(db, fields, field, sentence):
    with pytest.raises(ValidationError) as caught:
        _cycle(**fields).full_clean()
    assert caught.value.message_dict == {field: [sentence]}


def test_without_dates_the_deadlines_are_not_checked_against_them(db):
    # The missing dates get their own "required" errors; the deadline adds nothing it cannot know.
    with pytest.raises(ValidationError) as caught:
        _cycle(starts_on=None, self_deadline=datetime.date(2020, 1, 1)).full_clean()
    assert set(caught.value.message_dict) == {"starts_on"}


def test_the_admin_keeps_what_was_typed_and_says_what_is_wrong(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_add"),
        {
            "name": "2027 H1",
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-30",
            "self_deadline": "2027-03-14",
            "manager_deadline": "2027-03-01",
            "status": "closed",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Manager reviews can’t be due before the self-assessments they review: choose 14 March or later." in html
    assert 'value="2027-03-01"' in html and 'value="2027-03-14"' in html
    assert not ReviewCycle.objects.exists()


# How a deadline reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (datetime.date(2026, 3, 14), "Self-assessments due 14 March (in 5 days)"),
        (datetime.date(2026, 3, 10), "Self-assessments due 10 March (tomorrow)"),
        (datetime.date(2026, 3, 9), "Self-assessments due 9 March (today)"),
        (datetime.date(2026, 3, 8), "Self-assessments were due 8 March (yesterday)"),
        (datetime.date(2026, 3, 2), "Self-assessments were due 2 March (7 days ago)"),
    ],
)
def test_a_deadline_says_when_in_words(day, words):
    assert str(Deadline("self", "Self-assessments", day, TODAY)) == words


def test_a_cycle_lists_the_deadlines_it_has(db):
    cycle = _cycle(self_deadline=datetime.date(2026, 3, 14), manager_deadline=datetime.date(2026, 3, 28))
    assert [str(d) for d in cycle.deadlines(TODAY)] == [
        "Self-assessments due 14 March (in 5 days)",
        "Manager reviews due 28 March (in 19 days)",
    ]
    assert cycle.deadline_for("manager", TODAY).days_left == 19
    assert _cycle().deadlines(TODAY) == [] and _cycle().deadline_for("self", TODAY) is None
    assert in_days(-1) == "yesterday" and in_days(2) == "in 2 days"


def test_the_opening_email_gives_the_deadlines(client, hr_admin, pm):
    client.force_login(hr_admin)
    client.post(
        reverse("admin:assessments_reviewcycle_add"),
        {
            "name": "2026 H2",
            "starts_on": "2026-07-01",
            "ends_on": "2026-12-31",
            "self_deadline": "2026-10-16",
            "manager_deadline": "2026-11-13",
            "status": "open",
        },
    )
    email = next(m for m in mail.outbox if m.to == ["priya@example.com"])
    assert "Self-assessments are due on 16 October 2026. Managers share their reviews by 13 November 2026." in (
        email.body
    )


# Opening a cycle: only people who can sign in, and the admin says who was left out ---------------------


@pytest.fixture
def mixed(pm, manager, framework):
    """Priya and Maya can sign in; a leaver, an account without a usable password and a new joiner without a
    level cannot be or are not emailed (nor is Hana, the HR admin, who has no level)."""
    ic2 = framework.levels.get(key="ic-2")
    make_user("lee@example.com", "Lee Leaver", level=ic2, is_active=False)
    make_user("nopass@example.com", "Noor No-Password", level=ic2, password=None)
    make_user("nia@example.com", "Nia Newcomer")
    blank = make_user("blank@example.com", "Bo Blank", level=ic2)
    User.objects.filter(pk=blank.pk).update(password="")


def test_who_can_sign_in(db, mixed):
    able = set(User.objects.filter(can_sign_in_q()).values_list("email", flat=True))
    assert able == {"priya@example.com", "maya@example.com", "nia@example.com"}
    in_memory = {user.email for user in User.objects.all() if user.can_sign_in}
    assert in_memory == able


def test_opening_a_cycle_emails_only_people_who_can_sign_in_and_says_who_was_left_out(client, hr_admin, mixed):
    cycle = make_cycle(status=ReviewCycle.Status.CLOSED)
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_changelist"),
        {"action": "open_and_notify", "_selected_action": [cycle.pk]},
        follow=True,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["maya@example.com", "priya@example.com"]
    html = response.content.decode().replace("&#x27;", "'")
    assert "2026 H2 is open. Emailing 2 people: the cycle's page shows how many were sent." in html
    assert (
        "Not emailed: 5 people: 1 who have left (inactive accounts); 2 who cannot sign in yet (no usable "
        "password: set one in their account); 2 without a level (a cycle is for people with a level)."
    ) in html


def test_when_everyone_can_be_emailed_nobody_is_said_to_be_left_out(client, hr_admin, pm, framework):
    hr_admin.person.level = framework.levels.get(key="ic-2")
    hr_admin.person.save()
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_add"),
        {"name": "2026 H2", "starts_on": "2026-07-01", "ends_on": "2026-12-31", "status": "open"},
        follow=True,
    )
    html = response.content.decode()
    assert "2026 H2 is open. Emailing 3 people" in html
    assert "Not emailed" not in html


def test_the_cycle_page_links_to_its_progress_and_keeps_the_status_read_only(client, hr_admin):
    cycle = make_cycle()
    client.force_login(hr_admin)
    html = client.get(reverse("admin:assessments_reviewcycle_change", args=[cycle.pk])).content.decode()
    assert reverse("reports:cycle_progress", args=[cycle.pk]) in html
    assert 'name="status"' not in html
    add = client.get(reverse("admin:assessments_reviewcycle_add")).content.decode()
    assert 'name="status"' in add  # a new cycle may be created open


# Where people read them ---------------------------------------------------------------------------------------


@pytest.fixture
def due_cycle(db):
    cycle = make_cycle()
    today = timezone.localdate()
    cycle.starts_on, cycle.ends_on = today - datetime.timedelta(days=30), today + datetime.timedelta(days=60)
    cycle.self_deadline, cycle.manager_deadline = (
        today + datetime.timedelta(days=5),
        today + datetime.timedelta(days=19),
    )
    cycle.save()
    return cycle


def _day(days: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.day} {day:%B}"


def test_home_gives_a_pm_their_deadline_and_a_manager_theirs(client, pm, manager, due_cycle):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "The review cycle <strong>2026 H2</strong> is open." in html
    assert f"Self-assessments due {_day(5)} (in 5 days)." in html
    assert "Manager reviews due" not in html
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert f"Manager reviews due {_day(19)} (in 19 days)." in html


def test_home_says_nothing_of_a_deadline_once_it_is_met_or_when_there_is_none(client, pm, framework, due_cycle):
    from tests.assessments.assessment_helpers import level, submitted

    submitted(pm, pm, level(framework, "ic-3"), due_cycle)
    client.force_login(pm)
    assert "Self-assessments due" not in client.get(reverse("home")).content.decode()
    ReviewCycle.objects.update(self_deadline=None, manager_deadline=None)
    assert "is open." not in client.get(reverse("home")).content.decode()


def test_the_assessment_page_gives_the_deadline_of_its_kind(client, pm, manager, framework, due_cycle):
    from tests.assessments.assessment_helpers import level, page_url, start

    draft = start(pm, pm, level(framework, "ic-3"), due_cycle)
    client.force_login(pm)
    html = client.get(page_url(draft)).content.decode()
    assert f"Self-assessments due {_day(5)} (in 5 days)." in html and "Manager reviews due" not in html
    review = start(pm, manager, level(framework, "ic-3"), due_cycle)
    client.force_login(manager)
    html = client.get(page_url(review)).content.decode()
    assert f"Manager reviews due {_day(19)} (in 19 days)." in html and "Self-assessments due" not in html

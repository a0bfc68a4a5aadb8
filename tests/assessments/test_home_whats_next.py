"""My pathway's "What's next for you": plan items due, evidence noted this month, in words, in a flat number of
queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.growth.plans import PlanItem
from assessments.home.whats_next import PlanDue, days_ago
from tests.assessments.feedback_helpers import ask
from tests.assessments.growth_helpers import make_entry
from tests.assessments.plan_helpers import make_plan_item
from tests.factories import make_user

DONE, IN_PROGRESS = PlanItem.Status.DONE, PlanItem.Status.IN_PROGRESS


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def words(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("counts", "summary"),
    [
        ({"open": 4, "soon": 3, "overdue": 1}, "3 plan items due in the next 30 days, 1 overdue."),
        ({"open": 1, "soon": 1}, "1 plan item due in the next 30 days."),
        ({"open": 2, "overdue": 2}, "2 plan items overdue."),
        ({"open": 5, "soon": 1, "overdue": 1}, "1 plan item due in the next 30 days, 1 overdue; 3 more due later."),
        ({"open": 2}, "Nothing due in the next 30 days; 2 plan items open."),
        ({"open": 0, "total": 3}, ""),
    ],
)
def test_the_plan_summary_never_leaves_a_number_alone(counts, summary):
    assert PlanDue(**counts).summary == summary


def test_days_ago_reads_as_words():
    today = datetime.date(2026, 12, 3)
    assert [days_ago(today - datetime.timedelta(days=d), today) for d in (0, 1, 5)] == [
        "today",
        "yesterday",
        "5 days ago",
    ]


def test_a_pm_with_nothing_yet_is_offered_a_first_plan_item_and_a_first_entry(client, pm):
    html = words(home(client, pm))
    assert "What’s next for you" in html
    assert "Nothing in your plan yet." in html
    assert f'href="{reverse("growth:plan_add", args=[pm.person.pk])}">Add to your plan' in html
    assert "Your log is empty." in html
    assert f'href="{reverse("growth:add")}">Note evidence' in html


def test_a_pm_sees_her_next_plan_items_by_due_date_and_how_many_are_due(client, pm, framework):
    first, second = framework.capabilities.order_by("pk")[:2]
    make_plan_item(pm, capability=first, days=40, action="Later work")
    make_plan_item(pm, capability=second, days=-3, action="Write the payments strategy")
    make_plan_item(pm, capability=first, days=12, action="Run a discovery", status=IN_PROGRESS)
    make_plan_item(pm, capability=first, days=20, action="Pair with a researcher")
    make_plan_item(pm, capability=first, days=2, action="Finished already", status=DONE)
    html = words(home(client, pm))
    assert "2 plan items due in the next 30 days, 1 overdue; 1 more due later." in html
    shown = ["Write the payments strategy", "Run a discovery", "Pair with a researcher"]
    assert [html.index(action) for action in shown] == sorted(html.index(action) for action in shown)
    assert "Later work" not in html and "Finished already" not in html
    assert f"{second.name}<span" in html and "(not started, 3 days overdue)" in html
    assert "(in progress, due in 12 days)" in html
    overdue = PlanItem.objects.get(action="Write the payments strategy")
    assert f'href="{reverse("growth:plan")}#plan-item-{overdue.pk}"' in html


def test_a_plan_all_done_says_so(client, pm):
    make_plan_item(pm, status=DONE)
    make_plan_item(pm, status=DONE, days=-10)
    assert "All 2 of your plan items are done." in words(home(client, pm))


def test_evidence_this_month_is_counted_with_the_last_entrys_age(client, pm):
    today = timezone.localdate()
    make_entry(pm, day=today)
    make_entry(pm, day=today)
    make_entry(pm, day=today - datetime.timedelta(days=400))
    assert "2 entries this month; the last one today." in words(home(client, pm))


def test_no_evidence_this_month_prompts_gently_with_the_last_entry(client, pm):
    today = timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=9)
    make_entry(pm, day=last)
    html = words(home(client, pm))
    ago = (today - last).days
    assert f"Nothing noted this month yet: your last entry was {ago} days ago ({last:%-d %B})." in html
    assert f'href="{reverse("growth:log")}">Open your log' in html


def test_a_manager_keeps_their_team_and_never_sees_a_reports_plan_or_log_on_home(client, pm, manager):
    make_plan_item(pm, action="Priya's own plan item")
    make_entry(pm, day=timezone.localdate(), text="Priya's own entry", shared=True)
    html = words(home(client, manager))
    assert "What’s next for you" in html and "Nothing in your plan yet." in html
    assert "Your log is empty." in html
    assert "You manage 1 person: 1 directly." in html
    assert "Priya's own" not in html


def test_nobody_without_a_level_is_shown_a_plan_or_a_log_to_fill_but_requests_for_them_show(client, manager, pm):
    joiner = make_user("nia@example.com", "Nia New", manager=manager)
    assert "What’s next for you" not in words(home(client, joiner))
    ask(pm, by=manager, to=joiner)
    html = words(home(client, joiner))
    assert "What’s next for you" in html and "1 request waits for your feedback" in html
    assert "Your development plan" not in html and "Your evidence log" not in html


@pytest.mark.parametrize("size", [1, 12])
def test_whats_next_costs_the_same_queries_whatever_the_plan_and_log_hold(
    client, pm, framework, size, django_assert_max_num_queries
):
    today = timezone.localdate()
    for number in range(size):
        make_plan_item(pm, days=number - 2, action=f"Plan item {number}")
        make_entry(pm, day=today, text=f"Entry {number}")
    client.force_login(pm)
    # The home without a plan or a log (test_home.py), whose What's next counts the plan, the log this month and
    # the feedback requests waiting for me in one statement, then one for the next three plan items.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert f"{size} {'entry' if size == 1 else 'entries'} this month" in words(response)

"""My pathway leads with what's next between reviews: a PM's plan items due and evidence this month (and the empty
states), a manager's own with their team below. axe on each; screenshots at desktop and phone width."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.growth.plans import PlanItem
from tests.assessments.growth_helpers import make_entry
from tests.assessments.plan_helpers import make_plan_item

pytestmark = pytest.mark.browser


def test_home_leads_with_whats_next_for_a_pm_and_a_manager(
    page, framework, pm, manager, password, sign_in, axe, screenshot
):
    sign_in(page, "priya@example.com", password)
    next_up = page.get_by_role("region", name="What’s next for you")
    expect(next_up).to_contain_text("Nothing in your plan yet.")
    expect(next_up).to_contain_text("Your log is empty.")
    axe(page)
    screenshot(page, "home-whats-next-empty")

    first, second = framework.capabilities.order_by("pk")[:2]
    make_plan_item(pm, capability=second, days=-4, action="Write the product strategy for payments")
    make_plan_item(
        pm,
        capability=first,
        days=9,
        action="Run the discovery for search with a researcher",
        status=PlanItem.Status.IN_PROGRESS,
    )
    make_plan_item(pm, capability=first, days=26, action="Present the discovery findings to the leadership team")
    make_plan_item(pm, capability=second, days=60, action="Pair with a senior PM on the roadmap")
    today = timezone.localdate()
    make_entry(pm, day=today, text="Ran the pricing test.")
    make_entry(pm, day=today - datetime.timedelta(days=80), text="Older entry.")
    page.reload()
    expect(next_up).to_contain_text("2 plan items due in the next 30 days, 1 overdue; 1 more due later.")
    expect(next_up).to_contain_text("1 entry this month; the last one today.")
    axe(page)
    screenshot(page, "home-whats-next")
    next_up.get_by_role("link", name="Open your plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your development plan")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "maya@example.com", password)
    expect(page.get_by_role("region", name="What’s next for you")).to_contain_text("Nothing in your plan yet.")
    expect(page.locator("main")).to_contain_text("You manage 1 person: 1 directly.")
    expect(page.locator("main")).not_to_contain_text("Write the product strategy")
    axe(page)
    screenshot(page, "home-whats-next-manager")

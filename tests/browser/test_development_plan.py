"""A gap becomes a plan item: the manager adds it from the comparison, the PM works on it from My plan."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.growth.plans import PlanItem
from tests.assessments.assessment_helpers import submitted

pytestmark = pytest.mark.browser


def test_a_gap_on_the_comparison_becomes_a_plan_item_the_pm_works_on(
    page, pm, manager, password, sign_in, axe, screenshot
):
    target = pm.person.level.framework.levels.get(key="ic-3")
    submitted(pm, pm, target, scale_key="working")
    submitted(pm, manager, target, scale_key="working")

    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/")
    page.get_by_role("link", name=re.compile("Add to plan.*Capability 1.2")).click()
    expect(page.get_by_role("heading", name="Add to Priya Product’s plan")).to_be_visible()
    page.get_by_label("What to do").fill("Lead the next discovery with a senior PM")
    due = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("By when").fill(due.isoformat())
    axe(page)
    screenshot(page, "plan-add")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("Added to the plan.")).to_be_visible()
    assert page.url.endswith(f"/reports/people/{pm.person.pk}/compare/")

    page.context.clear_cookies()
    sign_in(page, "priya@example.com", password)
    page.get_by_role("link", name="My plan").click()
    item = page.locator("article.plan-item")
    expect(item).to_contain_text("Capability 1.2")
    expect(item).to_contain_text("due in 30 days")
    item.get_by_label("Status").select_option(label="In progress")
    item.get_by_role("button", name="Update").click()
    expect(page.locator(".growth-count")).to_contain_text("0 of 1 item done.")
    expect(page.locator(".plan-chip")).to_have_text("In progress")
    axe(page)
    screenshot(page, "plan")
    assert PlanItem.objects.get().status == PlanItem.Status.IN_PROGRESS

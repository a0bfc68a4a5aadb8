"""A gap becomes a plan item: the manager adds it from the comparison of the 2026 H1 review, the PM works on it from
My plan, and when HR opens the next review cycle her new self-assessment shows the item under its capability."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.growth.plans import PlanItem
from assessments.reviews.models import Assessment, ReviewCycle
from tests.assessments.assessment_helpers import submitted

pytestmark = pytest.mark.browser


def test_a_gap_on_the_comparison_becomes_a_plan_item_in_the_next_cycle(
    page, pm, manager, password, sign_in, axe, screenshot
):
    target = pm.person.level.framework.levels.get(key="ic-3")
    h1 = ReviewCycle.objects.create(
        name="2026 H1", starts_on="2026-01-05", ends_on="2026-06-30", status=ReviewCycle.Status.OPEN
    )
    submitted(pm, pm, target, h1, scale_key="working")
    submitted(pm, manager, target, h1, scale_key="working")
    ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.CLOSED)

    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/?level={target.pk}&cycle={h1.pk}")
    page.get_by_role("link", name=re.compile("Add to plan.*Capability 1.2")).click()
    expect(page.get_by_role("heading", name="Add to Priya Product’s plan")).to_be_visible()
    page.get_by_label("What to do").fill("Lead the next discovery with a senior PM")
    due = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("By when").fill(due.isoformat())
    axe(page)
    screenshot(page, "plan-add")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_text("Added to the plan.")).to_be_visible()
    assert "/compare/" in page.url

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

    # HR opens the next review cycle: Priya starts her self-assessment from My pathway and finds the item there.
    ReviewCycle.objects.create(
        name="2026 H2", starts_on="2026-07-06", ends_on="2026-12-18", status=ReviewCycle.Status.OPEN
    )
    page.get_by_role("link", name="My pathway").click()
    expect(page.get_by_role("region", name="What’s next for you")).to_contain_text(
        "1 plan item due in the next 30 days."
    )
    page.get_by_role("button", name="Start blank self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment against IC level 3")
    assert Assessment.objects.get(kind="self", cycle__name="2026 H2").is_editable
    capability = page.locator(".capability", has=page.get_by_role("heading", name="Capability 1.2", exact=True))
    plan = capability.locator(".capability-plan")
    expect(plan).to_contain_text("In your development plan")
    expect(plan).to_contain_text("Lead the next discovery with a senior PM")
    expect(plan).to_contain_text("In progress, due in 30 days")
    axe(page)
    screenshot(page, "plan-next-cycle-self-assessment")

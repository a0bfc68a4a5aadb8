"""The self-assessment shows the person's development plan items under each capability (axe and screenshots)."""

import pytest

from assessments.growth.plans import PlanItem
from tests.assessments.assessment_helpers import page_url, self_draft_of
from tests.assessments.plan_helpers import make_plan_item

pytestmark = pytest.mark.browser


def test_a_pm_sees_her_plan_items_under_each_capability(page, pm, password, sign_in, axe, screenshot):
    draft = self_draft_of(pm)
    first, second = [r.capability for r in draft.ratings.select_related("capability").order_by("capability_id")][:2]
    make_plan_item(pm, capability=first, days=12, status=PlanItem.Status.IN_PROGRESS, action="Run a discovery")
    make_plan_item(pm, capability=first, days=40, action="Pair with a researcher on interviews")
    make_plan_item(pm, capability=second, days=-3, action="Write the product strategy for payments")
    sign_in(page, "priya@example.com", password)
    page.goto(page_url(draft))
    plan = page.locator(".capability-plan").first
    assert "In progress, due in 12 days" in plan.inner_text()
    assert "3 days overdue" in page.locator(".capability-plan").nth(1).inner_text()
    axe(page)
    screenshot(page, "self-assessment-plan-items")

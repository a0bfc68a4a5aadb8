"""HR publishes version 2 while a review cycle is open: the preview first, then the PM's one draft moves.

Priya has rated every capability of IC level 3 on version 1 in the open cycle. HR reads what publishing
version 2 affects (her level moves, her draft is on the old version, a capability is no longer asked at her
level) and confirms. Priya still has one draft with every rating; "Move to version 2" carries them and lists
the one it could not.
"""

import pytest
from playwright.sync_api import expect

from accounts.roles import sync_hr_admin_permissions
from assessments.reviews.models import Assessment
from frameworks.models import Capability, Expectation
from tests.assessments.assessment_helpers import make_cycle, rate_all, start

pytestmark = pytest.mark.browser


@pytest.fixture
def version_2(framework):
    """A draft of version 2: IC level 3 no longer asks for Capability 1.2, and asks for Pricing."""
    draft = framework.new_version()
    level = draft.levels.get(key="ic-3")
    Expectation.objects.filter(level=level, capability__key="cap-1-2").delete()
    pricing = Capability.objects.create(
        framework=draft, area=draft.areas.get(key="area-2"), key="pricing", name="Pricing", position=9
    )
    Expectation.objects.create(level=level, capability=pricing, scale_level=draft.scale_levels.get(rank=2))
    return draft


def test_publish_during_an_open_cycle_then_move_the_draft(
    page, hr_admin, pm, framework, version_2, password, sign_in, axe, screenshot
):
    cycle = make_cycle()
    draft = rate_all(start(pm, pm, framework.levels.get(key="ic-3"), cycle))
    sync_hr_admin_permissions()

    sign_in(page, "hana@example.com", password)
    page.goto(f"/admin/frameworks/framework/{version_2.pk}/change/")
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 2 of Product management?")
    expect(page.get_by_text("2 people move to the same level in version 2.")).to_be_visible()
    expect(page.get_by_text("1 open draft (including any returned for changes) on version 1")).to_be_visible()
    expect(page.get_by_text("Capabilities added")).to_be_visible()
    expect(page.get_by_text("Capability 1.2: No longer asked (was Practitioner)")).to_be_visible()
    axe(page)
    screenshot(page, "publish-preview")
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text("Version 2 published; version 1 archived.")

    # Publishing changed no assessment: Priya has one draft in the cycle, every rating on version 1.
    drafts = Assessment.objects.filter(subject=pm.person, cycle=cycle, kind="self")
    assert [(a.pk, a.level.framework.version, a.progress()) for a in drafts] == [(draft.pk, 1, (4, 4))]

    page.context.clear_cookies()
    sign_in(page, "priya@example.com", password)
    expect(page.get_by_role("link", name="Continue against IC level 3 (version 1) — 4 of 4 rated")).to_be_visible()
    expect(page.get_by_text("Your draft is on version 1 of Product management")).to_be_visible()
    axe(page)
    screenshot(page, "publish-pm-home")
    page.get_by_role("link", name="Continue against IC level 3 (version 1) — 4 of 4 rated").click()
    offer = page.locator(".assessment-callout--version")
    expect(offer.get_by_role("heading")).to_have_text("Version 2 of Product management has been published")
    expect(offer).to_contain_text("carries 3 answers with their evidence")
    expect(offer).to_contain_text("Capability 1.2 (rated Practitioner): IC level 3 in version 2 no longer asks for it.")
    expect(offer).to_contain_text("New at IC level 3 in version 2, to rate after the move: Pricing.")
    axe(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "version-move-offer")

    offer.get_by_role("button", name="Move to version 2").click()
    expect(page.locator(".messages")).to_contain_text("Moved to version 2: 3 answers carried; 1 could not be carried.")
    expect(page.locator(".messages")).to_contain_text(
        "Capability 1.2 (rated Practitioner): IC level 3 in version 2 no longer asks for it."
    )
    expect(page.locator(".assessment-meta")).to_contain_text("Product management, version 2.")
    expect(page.locator(".assessment-callout--version")).to_have_count(0)
    axe(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "version-moved")

    moved = Assessment.objects.get(subject=pm.person, cycle=cycle, kind="self")
    assert (moved.pk, moved.level.framework.version, moved.progress()) == (draft.pk, 2, (3, 4))

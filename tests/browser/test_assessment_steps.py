"""A big framework's assessment, one area at a time, with the keyboard: moving between areas keeps what was typed
(saved on the way, with or without JavaScript), and each area says how far it got."""

import pytest
from playwright.sync_api import expect

from assessments.reviews.models import Rating
from assessments.reviews.steps import ONE_PAGE_UP_TO
from tests.assessments.assessment_helpers import start
from tests.browser.test_assessment_journey import focus_by_tab, press_button, sign_in_by_keyboard
from tests.factories import make_framework, make_user

pytestmark = pytest.mark.browser

PER_AREA = 5


@pytest.fixture
def big_draft(transactional_db, password):
    fw = make_framework(key="big", areas=ONE_PAGE_UP_TO // PER_AREA + 1, capabilities_per_area=PER_AREA)
    person = make_user("pat@example.com", "Pat Person", level=fw.levels.get(key="ic-1"), password=password)
    return start(person, person, fw.levels.get(key="ic-2"))


def _first_capability(draft, position):
    area = draft.level.framework.areas.order_by("position")[position]
    return area, area.capabilities.order_by("position").first()


@pytest.mark.parametrize("scripts", [True, False], ids=["javascript", "no-javascript"])
def test_moving_between_areas_keeps_what_was_typed(browser, live_server, big_draft, password, axe, screenshot, scripts):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=scripts)
    page = context.new_page()
    page.set_default_timeout(10_000)
    (first, one), (second, two) = _first_capability(big_draft, 0), _first_capability(big_draft, 1)
    sign_in_by_keyboard(page, "pat@example.com", password)
    page.goto(big_draft.get_absolute_url())
    expect(page.get_by_role("heading", level=2, name=first.name, exact=True)).to_be_visible()
    expect(page.locator(".area-steps [aria-current=step]")).to_contain_text(f"{first.name} 0 of {PER_AREA} rated")

    # Rate the first capability and type evidence, then move on at once (before any autosave has answered).
    focus_by_tab(page, f"input[name='r{one.pk}-scale']")
    page.keyboard.press("Space")
    if scripts:  # the area's count follows the choices
        expect(page.locator(".area-steps [aria-current=step]")).to_contain_text(f"1 of {PER_AREA} rated")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed in the first area.")
    press_button(page, f"Save and continue: {second.name}")
    expect(page.get_by_role("heading", level=2, name=second.name, exact=True)).to_be_visible()
    expect(page.locator(f"#capability-{one.pk}")).to_have_count(0)
    expect(page.locator(".area-steps")).to_contain_text(f"{first.name} 1 of {PER_AREA} rated")
    if scripts:
        axe(page)
        screenshot(page, "assessment-big-area")

    # Type in the second area, then go back by the area list: both texts are kept.
    focus_by_tab(page, f"#r{two.pk}-evidence")
    page.keyboard.type("Typed in the second area.")
    press_button(page, first.name)
    expect(page.locator(f"#r{one.pk}-evidence")).to_have_value("Typed in the first area.")
    assert Rating.objects.get(assessment=big_draft, capability=two).evidence == "Typed in the second area."
    assert Rating.objects.get(assessment=big_draft, capability=one).scale_level is not None
    context.close()

"""The assessment page with the keyboard, on the demo: the sticky bar never covers the focused control, rated
capabilities collapse and come back, and the save state speaks only of what the server answered."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD
from assessments.reviews.models import Assessment
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

COVERED = """() => {
    const bar = document.querySelector(".assessment-bar").getBoundingClientRect();
    const box = document.activeElement.getBoundingClientRect();
    return box.top < bar.bottom - 1 && box.bottom > bar.top;
}"""


@pytest.fixture
def ravi_draft(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Assessment.objects.get(subject__user__email="ravi@example.com", status="draft")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 700}, PHONE], ids=["laptop", "phone"])
def test_the_sticky_bar_never_covers_the_focused_control(page, ravi_draft, sign_in, viewport):
    page.set_viewport_size(viewport)
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling: each position is final when measured
    sign_in(page, "ravi@example.com", DEMO_PASSWORD)
    page.goto(f"/assessments/{ravi_draft.pk}/")
    page.locator(".assessment-actions button").last.focus()
    checked = 0
    for _ in range(60):  # backwards through the page: each control scrolls in from under the bar
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.closest('.assessment-bar, header') !== null"):
            break
        tag = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        assert not page.evaluate(COVERED), f"the sticky bar covers {tag}"
        checked += 1
    assert checked > 20


def test_save_state_says_saving_until_the_server_answers(page, ravi_draft, sign_in, axe, screenshot):
    sign_in(page, "ravi@example.com", DEMO_PASSWORD)
    page.goto(f"/assessments/{ravi_draft.pk}/")
    rating = ravi_draft.ratings.select_related("capability").order_by("capability__position").first()
    pk = rating.capability_id
    state = page.locator(f"#save-{pk}")
    held = []
    page.route("**/ratings/**", lambda route: held.append(route))
    page.locator(f"#r{pk}-evidence").focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Ran the discovery")
    expect(state).to_have_text("Saving…")  # at once, while typing
    page.wait_for_timeout(1500)  # the request has gone; the server has not answered
    assert held, "the autosave did not leave"
    expect(state).to_have_text("Saving…")
    for route in held:
        route.continue_()
    page.unroute("**/ratings/**")
    expect(state).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))

    page.route("**/ratings/**", lambda route: route.abort())
    page.keyboard.type(" sprint.")
    expect(state).to_contain_text("Not saved — try again. Your text is kept.")
    expect(page.locator(f"#capability-{pk}").get_by_role("button", name="Try again")).to_be_visible()
    axe(page)
    page.unroute("**/ratings/**")
    page.locator(f"#capability-{pk}").get_by_role("button", name="Try again").click()
    expect(state).to_contain_text("Saved at")
    assert ravi_draft.ratings.get(capability_id=pk).evidence.endswith("Ran the discovery sprint.")


def test_rated_capabilities_collapse_and_come_back(page, ravi_draft, sign_in, axe, screenshot):
    sign_in(page, "ravi@example.com", DEMO_PASSWORD)
    page.goto(f"/assessments/{ravi_draft.pk}/")
    rated, total = ravi_draft.progress()
    toggle = page.get_by_role("button", name="Hide rated")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Show rated")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".capability:visible")).to_have_count(total - rated)
    notes = page.locator(".assessment-area__collapsed:visible")
    expect(notes.first).to_contain_text(re.compile(r"\d rated capabilit(y|ies) hidden\."))
    hidden = sum(int(text.split()[0]) for text in notes.all_inner_texts())
    assert hidden == rated
    axe(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "assessment-hide-rated")
    page.keyboard.press("Enter")
    expect(page.locator(".capability:visible")).to_have_count(total)
    expect(notes).to_have_count(0)

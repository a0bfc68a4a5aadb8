"""The assessment journey in Chromium, with the keyboard only: no mouse clicks anywhere.

A PM starts a self-assessment from My pathway, rates every capability with arrow keys, types evidence
(autosaved), reloads mid-way and finds everything saved, meets the check page, submits; her manager
reviews it, assesses her, submits and shares; she reads the shared assessment. A blind-cycle variant
keeps the self ratings from the manager until both have submitted.
"""

import re

import pytest
from playwright.sync_api import expect

from assessments.reviews.models import Assessment, Rating
from tests.assessments.assessment_helpers import level, make_cycle, start, submitted
from tests.factories import make_user

pytestmark = pytest.mark.browser

MAX_TABS = 250


def _tab_until(page, check, arg, what):
    trail = []
    for _ in range(MAX_TABS):
        if page.evaluate(check, arg):
            return
        page.keyboard.press("Tab")
        trail.append(page.evaluate("(document.activeElement || {}).id || (document.activeElement || {}).tagName"))
    raise AssertionError(f"Tab never reached {what} on {page.url}; focus went {trail[:40]}")


def focus_by_tab(page, selector):
    """Press Tab until the element matching the CSS `selector` has the focus."""
    _tab_until(page, "s => !!document.activeElement && document.activeElement.matches(s)", selector, selector)


def press_button(page, text):
    """Tab to the button or link whose text starts with `text`, and press Enter."""
    check = """t => {
        const el = document.activeElement;
        return !!el && el.matches("button, a") && el.textContent.trim().replace(/\\s+/g, " ").startsWith(t);
    }"""
    _tab_until(page, check, text, repr(text))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def shot(screenshot, page, name):
    # From the top, so the sticky status bar sits where a reader sees it rather than mid-page.
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def sign_in_by_keyboard(page, email, password):
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def wait_for_saves(page):
    """Let the autosaves finish: the evidence box saves 800 ms after the last key, then nothing is in flight.

    (The database is read only after this: SQLite's shared in-memory test database refuses a write
    that meets a read from another thread, which would fail the live server's save.)
    """
    page.wait_for_timeout(1000)
    expect(page.locator(".htmx-request")).to_have_count(0)


def rate_by_keyboard(page, capability, steps, evidence=None, *, assessment):
    """Tab into the capability's radio group, pick a rating with Space and arrow keys, type evidence."""
    focus_by_tab(page, f"input[name='r{capability.pk}-scale']")
    page.keyboard.press("Space")  # the first choice (the focused one when nothing is chosen yet)
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    if evidence:
        page.keyboard.press("Tab")  # out of the radio group: the evidence box
        assert page.evaluate("document.activeElement.id") == f"r{capability.pk}-evidence"
        page.keyboard.type(evidence)

    wait_for_saves(page)
    rating = Rating.objects.select_related("scale_level").get(assessment=assessment, capability=capability)
    assert rating.scale_level is not None
    assert evidence is None or rating.evidence == evidence
    expect(page.locator(f"#save-{capability.pk}")).to_contain_text("Saved at")


def test_pm_and_manager_assess_with_the_keyboard_only(page, pm, manager, framework, password, axe, screenshot):
    target = level(framework, "ic-3")
    capabilities = [expectation.capability for expectation in target.expectations.select_related("capability")]
    capabilities.sort(key=lambda capability: (capability.area.position, capability.position))

    # The PM starts a self-assessment against the next level from My pathway.
    sign_in_by_keyboard(page, "priya@example.com", password)
    press_button(page, "Start self-assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment against IC level 3")
    assessment = Assessment.objects.get(subject=pm.person, kind="self")
    expect(page.locator("#assessment-progress-text")).to_have_text("0 of 4 rated")
    axe(page)

    # Rate the first two capabilities: Practitioner (meets) and Expert (above, so with evidence).
    rate_by_keyboard(page, capabilities[0], 2, "Ran weekly research with caseworkers.", assessment=assessment)
    coached = "Coached two APMs; notes at https://wiki.example.com/x"
    rate_by_keyboard(page, capabilities[1], 3, coached, assessment=assessment)
    expect(page.locator("#assessment-progress-text")).to_have_text("2 of 4 rated")
    shot(screenshot, page, "assessment-self-draft")

    # Reload mid-way: everything is still there.
    page.reload()
    practitioner = framework.scale_levels.get(key="practitioner")
    expert = framework.scale_levels.get(key="expert")
    expect(page.locator(f"#r{capabilities[0].pk}-scale-{practitioner.pk}")).to_be_checked()
    expect(page.locator(f"#r{capabilities[1].pk}-scale-{expert.pk}")).to_be_checked()
    expect(page.locator(f"#r{capabilities[0].pk}-evidence")).to_have_value("Ran weekly research with caseworkers.")
    expect(page.locator("#assessment-progress-text")).to_have_text("2 of 4 rated")

    # Rate the third one above expectation without evidence, then try to submit: the check page says what is missing.
    rate_by_keyboard(page, capabilities[2], 3, assessment=assessment)
    expect(page.locator(f"#save-{capabilities[2].pk}")).to_contain_text("Add evidence")
    press_button(page, "Submit self-assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you submit: 2 things to finish")
    expect(page.get_by_role("link", name=capabilities[3].name)).to_be_visible()
    axe(page)
    shot(screenshot, page, "assessment-check")
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"

    # Follow the link to the missing capability, fix both, submit.
    press_button(page, capabilities[2].name)
    expect(page).to_have_url(re.compile(rf"#capability-{capabilities[2].pk}$"))
    focus_by_tab(page, f"#r{capabilities[2].pk}-evidence")
    page.keyboard.type("Led the service assessment.")
    rate_by_keyboard(page, capabilities[3], 1, assessment=assessment)  # Working, below: no evidence needed
    fixed = Rating.objects.get(assessment=assessment, capability=capabilities[2])
    assert fixed.evidence == "Led the service assessment."
    expect(page.locator("#assessment-progress-text")).to_have_text("4 of 4 rated")
    press_button(page, "Submit self-assessment")
    expect(page.get_by_text("Your self-assessment has been submitted and sent to Maya Manager.")).to_be_visible()
    expect(page.locator(".status-chip")).to_have_text("Submitted")
    assert page.locator("textarea").count() == 0
    axe(page)
    shot(screenshot, page, "assessment-self-submitted")

    # The manager sees it waiting on My pathway, reads it, and assesses Priya.
    sign_in_by_keyboard(page, "maya@example.com", password)
    expect(page.get_by_text("1 self-assessment waits for your review")).to_be_visible()
    press_button(page, "Priya Product against IC level 3")
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Product’s self-assessment against IC level 3")
    expect(page.get_by_text("Coached two APMs")).to_be_visible()
    axe(page)
    shot(screenshot, page, "assessment-readonly")
    press_button(page, "Assess Priya Product against IC level 3")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your assessment of Priya Product against IC level 3")
    expect(page.get_by_role("heading", name="Priya Product’s own rating", exact=True)).to_have_count(4)
    mine = Assessment.objects.get(subject=pm.person, kind="manager")
    for index, capability in enumerate(capabilities):
        rate_by_keyboard(page, capability, 2, "Seen in the quarterly review." if index == 1 else None, assessment=mine)
    focus_by_tab(page, "input[name='recommendation']")
    page.keyboard.press("Space")  # Ready, the first of the verdict's words
    page.keyboard.press("Tab")  # the radio group is one stop: next is the rationale
    assert page.evaluate("document.activeElement.id") == "rationale"
    page.keyboard.type("Works at IC level 3 already in every capability.")
    wait_for_saves(page)
    assert Assessment.objects.get(pk=mine.pk).rationale.startswith("Works at")
    axe(page)
    shot(screenshot, page, "assessment-manager")
    press_button(page, "Submit assessment")
    expect(page.get_by_text("Submitted. Share it with Priya Product")).to_be_visible()
    press_button(page, "Preview and share with Priya Product")  # the manager's page, at its Share step
    expect(page.get_by_role("heading", name="What Priya will see")).to_be_visible()
    press_button(page, "Share with Priya Product")
    expect(page.get_by_text("Shared with Priya Product. The email goes to them at")).to_be_visible()
    assert Assessment.objects.get(pk=mine.pk).status == Assessment.Status.SHARED

    # Priya reads the shared manager assessment.
    sign_in_by_keyboard(page, "priya@example.com", password)
    page.goto("/assessments/")
    axe(page)
    shot(screenshot, page, "assessment-list")
    press_button(page, "Maya Manager’s assessment of you")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Manager’s assessment of you against IC level 3")
    expect(page.locator("#overall").get_by_text("Ready", exact=True)).to_be_visible()
    expect(page.get_by_text("Seen in the quarterly review.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your own rating", exact=True)).to_have_count(4)
    axe(page)
    shot(screenshot, page, "assessment-shared")


@pytest.mark.parametrize("blind", [True])
def test_blind_cycle_keeps_self_ratings_from_the_manager_until_both_submitted(
    page, pm, manager, framework, password, axe, screenshot, blind
):
    cycle = make_cycle(blind=blind)
    target = level(framework, "ic-3")
    submitted(pm, pm, target, cycle, evidence="Only after both submit.")

    sign_in_by_keyboard(page, "maya@example.com", password)
    press_button(page, "Priya Product against IC level 3")
    expect(page.get_by_role("heading", name="Ratings hidden: this review cycle is blind")).to_be_visible()
    assert "Only after both submit." not in page.content()
    axe(page)
    press_button(page, "Assess Priya Product against IC level 3")
    expect(page.get_by_role("heading", name=re.compile("own ratings are hidden"))).to_be_visible()
    assert "Only after both submit." not in page.content()
    assert page.get_by_role("heading", name="Priya Product’s own rating", exact=True).count() == 0
    axe(page)
    shot(screenshot, page, "assessment-blind-manager")

    mine = Assessment.objects.get(subject=pm.person, kind="manager")
    for expectation in target.expectations.select_related("capability"):
        rate_by_keyboard(page, expectation.capability, 2, assessment=mine)
    focus_by_tab(page, "input[name='recommendation']")
    page.keyboard.press("Space")
    wait_for_saves(page)
    assert Assessment.objects.get(pk=mine.pk).recommendation == "ready"
    press_button(page, "Submit assessment")
    expect(page.get_by_role("heading", name="Priya Product’s own rating", exact=True)).to_have_count(4)
    expect(page.get_by_text("Only after both submit.").first).to_be_visible()
    axe(page)


def test_failed_and_stale_saves_say_so_and_keep_the_text(page, pm, framework, password, axe):
    from tests.assessments.assessment_helpers import start

    assessment = start(pm, pm, level(framework, "ic-3"))
    capability = assessment.ratings.select_related("capability").first().capability
    sign_in_by_keyboard(page, "priya@example.com", password)
    page.goto(f"/assessments/{assessment.pk}/")

    # The network drops: the save state says so, the text stays, and Retry saves it once it is back.
    page.route("**/ratings/**", lambda route: route.abort())
    focus_by_tab(page, f"#r{capability.pk}-evidence")
    page.keyboard.type("Typed while offline.")
    expect(page.locator(f"#save-{capability.pk}")).to_contain_text("Not saved — try again. Your text is kept.")
    expect(page.locator(f"#r{capability.pk}-evidence")).to_have_value("Typed while offline.")
    axe(page)
    page.unroute("**/ratings/**")
    focus_by_tab(page, f"#capability-{capability.pk} .save-state__retry")
    page.keyboard.press("Enter")
    expect(page.locator(f"#save-{capability.pk}")).to_contain_text("Saved at")
    wait_for_saves(page)
    assert Rating.objects.get(assessment=assessment, capability=capability).evidence == "Typed while offline."
    # The Enter that pressed Retry must not reach the evidence box as a new line.
    expect(page.locator(f"#r{capability.pk}-evidence")).to_have_value("Typed while offline.")

    # Another tab saves this capability first: this tab's save is refused, and its text stays on the page.
    other = page.context.new_page()
    other.goto(f"/assessments/{assessment.pk}/")
    other.locator(f"#r{capability.pk}-evidence").focus()
    other.keyboard.press("End")
    other.keyboard.type(" Edited in the other tab.")
    wait_for_saves(other)
    other.close()
    focus_by_tab(page, f"#r{capability.pk}-evidence")
    page.keyboard.press("End")
    page.keyboard.type(" And in this one.")
    expect(page.locator(f"#save-{capability.pk}")).to_contain_text(
        "Couldn’t save — this was changed in another tab or by someone else."
    )
    expect(page.locator(f"#r{capability.pk}-evidence")).to_have_value("Typed while offline. And in this one.")
    wait_for_saves(page)
    stored = Rating.objects.get(assessment=assessment, capability=capability)
    assert stored.evidence == "Typed while offline. Edited in the other tab."


def test_without_javascript_the_plain_form_saves_and_submits(browser, live_server, pm, manager, framework, password):
    from tests.assessments.assessment_helpers import start

    assessment = start(pm, pm, level(framework, "ic-3"))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_by_keyboard(page, "priya@example.com", password)
    page.goto(f"/assessments/{assessment.pk}/")
    for rating in assessment.ratings.select_related("capability"):
        focus_by_tab(page, f"input[name='r{rating.capability_id}-scale']")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # Working: below the expectation, so no evidence needed
    page.keyboard.press("Tab")  # the last capability's evidence box
    page.keyboard.type("Typed with scripts off.")
    press_button(page, "Save draft")
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("#assessment-progress-text")).to_have_text("4 of 4 rated")
    last = assessment.ratings.order_by("capability__area__position", "capability__position").last()
    expect(page.locator(f"#r{last.capability_id}-evidence")).to_have_value("Typed with scripts off.")
    press_button(page, "Submit self-assessment")
    expect(page.get_by_text("Your self-assessment has been submitted")).to_be_visible()
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"
    context.close()


def test_a_former_manager_reads_their_draft_with_a_notice_and_no_form(
    page, pm, manager, framework, password, axe, screenshot
):
    target = level(framework, "ic-3")
    mine = start(pm, manager, target)
    new_manager = make_user("omar@example.com", "Omar Other", level=level(framework, "mgr-1"))
    pm.person.manager = new_manager.person
    pm.person.save()

    sign_in_by_keyboard(page, "maya@example.com", password)
    page.goto(mine.get_absolute_url())
    expect(
        page.get_by_text("You no longer manage Priya Product, so this assessment can’t be changed or shared.")
    ).to_be_visible()
    assert page.locator("#assessment-form").count() == 0
    assert page.get_by_role("button", name=re.compile("Submit|Save|Share")).count() == 0
    axe(page)
    shot(screenshot, page, "assessment-no-longer-manager")

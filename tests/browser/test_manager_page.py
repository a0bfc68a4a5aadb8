"""The manager's page in Chromium: one page for a report in a cycle, from the comparison through agreeing the
ratings and recommending to sharing, then taking the share back before the email goes."""

import pytest
from playwright.sync_api import expect

from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review

pytestmark = pytest.mark.browser


def test_manager_agrees_recommends_shares_and_undoes_on_one_page(
    page, framework, pm, manager, password, axe, screenshot, sign_in
):
    page.set_default_timeout(30_000)  # a busy machine renders slowly; nothing here waits on purpose
    _, theirs = make_review(
        pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS, cycle=make_cycle()
    )
    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/")
    steps = page.locator(".manager-step__title")
    expect(steps).to_have_count(4)
    for index, title in enumerate(["Compare", "Agree the ratings", "Recommend", "Share"]):
        expect(steps.nth(index)).to_contain_text(f"Step {index + 1} of 4")
        expect(steps.nth(index)).to_contain_text(title)
    expect(page.get_by_role("navigation", name="Your steps")).to_contain_text("0 agreed")
    axe(page)
    screenshot(page, "manager-page")

    # Agree: one row changed needs one note, named at its row; the disagreement left as shown (1.2) needs none.
    page.get_by_label("Agreed rating for Capability 2.2", exact=True).select_option(label="Working")
    page.get_by_role("button", name="Save agreed ratings").click()
    error = "Add a note on Capability 2.2: say why the agreed rating changed from Practitioner to Working."
    expect(page.get_by_text(error)).to_have_count(2)
    expect(page.get_by_text("Add a note on")).to_have_count(2)
    expect(page.locator("#error-summary")).to_be_focused()
    axe(page)
    screenshot(page, "manager-page-agree-error")
    page.get_by_label("Note on the agreed rating for Capability 2.2").fill("Less roadmap work this half.")
    page.get_by_role("button", name="Save agreed ratings").click()
    expect(page.get_by_text("Saved: 1 agreed rating changed.")).to_be_visible()
    assert theirs.ratings.get(capability__key="cap-2-2").agreed_note == "Less roadmap work this half."

    # Recommend, in the verdict's words.
    recommend = page.locator("#recommend")
    for word in ("Ready", "Nearly", "Not yet"):
        expect(recommend.locator("label.rating-choice", has_text=word)).to_have_count(1)
    recommend.locator("label[for='recommend-nearly']").click()
    recommend.locator("#recommend-rationale").fill("Close: roadmapping is the one to grow.")
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.get_by_text("Recommendation saved: Nearly.")).to_be_visible()
    assert Assessment.objects.get(pk=theirs.pk).recommendation == "nearly"

    # Share: first what Priya will see, then share, then undo before the email goes.
    preview = page.get_by_role("region", name="What Priya will see")
    expect(preview).to_contain_text("Nearly for IC level 3: Close: roadmapping is the one to grow.")
    expect(preview).to_contain_text("1 agreed rating with your notes")
    axe(page)
    screenshot(page, "manager-page-share-preview")
    page.get_by_role("button", name="Share with Priya Product").click()
    expect(page.get_by_text("Shared with Priya Product. The email goes to them at")).to_be_visible()
    assert Assessment.objects.get(pk=theirs.pk).status == "shared"
    expect(page.get_by_role("navigation", name="Your steps")).to_contain_text("Shared")
    axe(page)
    screenshot(page, "manager-page-shared")
    page.get_by_role("button", name="Undo sharing").click()
    expect(page.get_by_text("Sharing undone: Priya Product can no longer see it, and no email goes.")).to_be_visible()
    assert Assessment.objects.get(pk=theirs.pk).status == "submitted"
    expect(page.get_by_role("button", name="Share with Priya Product")).to_be_visible()
    axe(page)

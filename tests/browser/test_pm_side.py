"""The PM's side of a review in Chromium, on the demo organisation: a self-assessment returned for changes on
My pathway and My team; a shared outcome with the manager's comment and gaps linked to the level; the PM's own
summary on the comparison; and carry forward (start from the last submitted ratings, see the marks, change one,
the check page lists the rest)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD
from assessments.reviews.models import Assessment

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_returned_self_assessment_is_seen_on_home_and_on_my_team(page, demo, axe, screenshot, sign_in):
    returned = Assessment.objects.get(subject__user__email="ella@example.com", status="returned")
    sign_in(page, "ella@example.com", DEMO_PASSWORD)
    status = page.locator(".people-status--returned")
    expect(status).to_contain_text("Returned for changes by Grace Park")
    expect(status).to_contain_text("Please add evidence for vision setting and developing talent")
    axe(page)
    screenshot(page, "pm-home-returned")
    page.get_by_role("link", name="Make changes to your self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Your self-assessment against"))
    expect(page.get_by_role("note").filter(has_text="Returned for changes by Grace Park")).to_be_visible()
    assert page.url.endswith(returned.get_absolute_url())
    sign_out(page)

    sign_in(page, "grace@example.com", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My team").click()
    ella = page.get_by_role("row", name=re.compile("Ella Brown"))
    expect(ella.locator('td[data-label="Self-assessment"]')).to_contain_text(re.compile(r"Returned\s+by Grace Park on"))
    axe(page)
    screenshot(page, "pm-team-returned")


def test_a_shared_outcome_shows_the_comment_and_links_each_gap_to_the_level(page, demo, axe, screenshot, sign_in):
    mine = Assessment.objects.get(subject__user__email="ravi@example.com", kind="self", cycle__name="2026 H1")
    Assessment.objects.filter(pk=mine.pk).update(overall_comment="I want to own a whole service next half.")
    theirs = Assessment.objects.get(subject__user__email="ravi@example.com", kind="manager", cycle__name="2026 H1")
    sign_in(page, "ravi@example.com", DEMO_PASSWORD)
    outcome = page.get_by_role("region", name="Your latest outcome")
    expect(outcome).to_contain_text("Leo Lambert’s comment")
    expect(outcome).to_contain_text(theirs.overall_comment.split(".")[0])
    gaps = outcome.locator(".people-outcome__gaps li a")
    axe(page)
    screenshot(page, "pm-home-outcome")
    expect(gaps).not_to_have_count(0)
    name = gaps.first.inner_text().split(":")[0].strip()
    gaps.first.click()
    target = page.locator(".expectation:target")  # the capability's expectation at the target level
    expect(target).to_be_visible()
    expect(target).to_contain_text(name)
    expect(page.get_by_role("heading", level=1)).to_have_text(theirs.level.name)
    axe(page)
    screenshot(page, "pm-level-gap")
    page.go_back()
    outcome.get_by_role("link", name="See the comparison").click()
    summary = page.get_by_role("region", name="Your summary")
    expect(summary).to_contain_text("I want to own a whole service next half.")
    axe(page)
    screenshot(page, "pm-comparison-summary")


def test_carry_forward_from_the_last_submitted_ratings(page, demo, axe, screenshot, sign_in):
    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    start_from = page.get_by_role("button", name="Start from your last submitted ratings (2026 H1)")
    expect(start_from).to_be_visible()
    expect(page.get_by_role("button", name="Start blank self-assessment")).to_be_visible()
    axe(page)
    screenshot(page, "carry-home")
    start_from.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Your self-assessment against"))
    draft = Assessment.objects.get(subject__user__email="leo@example.com", kind="self", cycle__name="2026 H2")
    carried = draft.ratings.filter(carried=True).count()
    assert carried > 1
    marks = page.locator(".capability__carried-tag")
    expect(marks).to_have_count(carried)
    expect(marks.first).to_have_text("Carried from 2026 H1")
    expect(page.locator("#carried-count")).to_have_text(f"{carried} ratings are")
    axe(page)
    screenshot(page, "carry-draft")

    # Change the first carried answer: its mark goes, and the count drops, as soon as the save is confirmed.
    first_id = (
        page.locator(".capability").filter(has=page.locator(".capability__carried-tag")).first.get_attribute("id")
    )
    first = page.locator(f"#{first_id}")  # pinned: once its mark goes, the filter above would find the next one
    evidence = first.locator("textarea")
    evidence.fill(evidence.input_value() + " This half: the fraud service went live.")
    expect(first.locator(".save-state__ok")).to_be_visible()
    expect(first.locator(".capability__carried-tag")).to_have_count(0)
    expect(page.locator("#carried-count")).to_have_text(f"{carried - 1} ratings are")

    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Before you submit"))
    listed = page.get_by_role("region", name=re.compile("Carried from 2026 H1 and not changed")).get_by_role("link")
    expect(listed).to_have_count(carried - 1)
    axe(page)
    screenshot(page, "carry-check")
    page.get_by_role("button", name="Submit with these ratings as they are").click()
    expect(page.get_by_text("Your self-assessment has been submitted")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED

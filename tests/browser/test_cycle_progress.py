"""A cycle's progress in Chromium, on the demo organisation: HR opens it from the cycle's admin page, filters by
status and drills into a manager's people; a manager opens it from My team and sees only their people."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_hr_follows_a_cycle_and_a_manager_their_people(page, demo, axe, screenshot, sign_in):
    sign_in(page, "hr@example.com", DEMO_PASSWORD)
    page.goto("/admin/assessments/reviewcycle/")
    page.get_by_role("link", name="2026 H2").click()
    page.get_by_role("link", name="See who has finished").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress in 2026 H2")
    expect(page.get_by_text(re.compile(r"^Everyone in the cycle: \d+ people"))).to_be_visible()
    expect(page.get_by_text(re.compile("Manager reviews due 11 December"))).to_be_visible()
    alex = page.get_by_role("row", name=re.compile("Alex Morgan"))
    expect(alex.locator('td[data-label="Self-assessment"]')).to_have_text("Submitted")
    axe(page)
    screenshot(page, "cycle-progress")

    page.get_by_label("Self-assessment").select_option("draft")
    page.get_by_role("button", name="Show people").click()
    expect(page.get_by_role("heading", name=re.compile(r"with these statuses"))).to_be_visible()
    for status in page.locator('td[data-label="Self-assessment"]').all_inner_texts():
        assert status == "Draft"
    page.get_by_role("link", name="Show everyone").first.click()
    alex = page.get_by_role("row", name=re.compile("Alex Morgan"))
    alex.get_by_role("link", name="Leo Lambert").click()
    expect(page.get_by_text(re.compile(r"^The people below Leo Lambert: 3 people"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Parts of the organisation above")).to_contain_text("Everyone")
    axe(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    expect(page.get_by_text(re.compile("Manager reviews due 11 December"))).to_be_visible()
    screenshot(page, "home-cycle-deadlines")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My team").click()
    screenshot(page, "team-cycle-progress-link")
    page.get_by_role("link", name="See who has finished in 2026 H2").click()
    expect(page.get_by_text(re.compile(r"^The people below you: 3 people"))).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_text("Draft", exact=True)).to_have_count(0)  # a draft reads "Not submitted" to a manager
    axe(page)
    screenshot(page, "cycle-progress-manager")

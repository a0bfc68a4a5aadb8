"""A Markdown ladder in Chromium: imported with the one import command, read on its level page (criteria and
examples), then rated by a PM on the words not yet / meets / exceeds, with the examples a disclosure beside each
capability; axe on each page, screenshots at desktop and phone width."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from assessments.reviews.models import Rating
from frameworks.models import Framework
from tests.assessments.assessment_helpers import rate_all, start
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

LADDER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "support-ladder.md"


def test_a_pm_reads_and_rates_an_imported_markdown_ladder(page, axe, screenshot, sign_in):
    call_command("import_framework", str(LADDER), "--publish", stdout=StringIO())
    ladder = Framework.objects.get(key="support-ladder")
    boss = make_user("mo@example.com", "Mo Manager", level=ladder.levels.get(key="level-3"))
    make_user("ana@example.com", "Ana Agent", manager=boss, level=ladder.levels.get(key="level-1"))

    sign_in(page, "ana@example.com", PASSWORD)
    page.goto(ladder.levels.get(key="level-2").get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Level 2")
    expect(page.get_by_text("2 capabilities have new criteria, 1 is new")).to_be_visible()
    expect(page.get_by_text("Turns a refund complaint into a clear plan the customer agrees with.")).to_be_visible()
    axe(page)
    screenshot(page, "criteria-level-page")

    page.goto("/")
    page.get_by_role("button", name=re.compile("Start self-assessment")).first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Level 2")
    care = ladder.capabilities.get(key="customer-care")
    section = page.locator(f"#capability-{care.pk}")
    expect(section).to_contain_text("Level 2 criteria")
    examples = section.locator("details.examples")
    expect(examples.get_by_text("Turns a refund complaint into a clear plan")).to_be_hidden()
    examples.locator("summary").click()
    expect(examples.get_by_text("Turns a refund complaint into a clear plan")).to_be_visible()
    section.get_by_text("Exceeds", exact=True).click()
    section.get_by_label("Evidence").fill("Took over the hardest refund cases in March.")
    page.wait_for_timeout(1000)
    expect(page.locator(".htmx-request")).to_have_count(0)
    expect(section.locator(".save-state")).to_contain_text("Saved")
    axe(page)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "criteria-assessment-page")
    rating = Rating.objects.get(assessment__subject__user__email="ana@example.com", capability=care)
    assert (rating.scale_level.name, rating.evidence) == ("Exceeds", "Took over the hardest refund cases in March.")

    # Her manager assesses her too (his ratings written directly), then compares the two views.
    mine = rating.assessment
    mine.ratings.exclude(pk=rating.pk).update(scale_level=ladder.scale_levels.get(key="meets"))
    mine.refresh_from_db()
    assert mine.submit()
    theirs = rate_all(start(mine.subject.user, boss, mine.level), scale_key="meets")
    theirs.ratings.filter(capability__key="troubleshooting").update(
        scale_level=ladder.scale_levels.get(key="not-yet"), evidence="Still needs the runbook for most cases."
    )
    theirs.refresh_from_db()
    assert theirs.submit()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "mo@example.com", PASSWORD)
    page.goto(reverse("reports:compare", args=[mine.subject.pk]) + f"?level={mine.level.pk}")
    expect(page.get_by_text(re.compile("1 capability below Level 2")).first).to_be_visible()
    axe(page)
    screenshot(page, "criteria-comparison-page")

"""The evidence log in Chromium: a PM notes evidence (after a refused attempt), finds it by capability, cites it in
her self-assessment with one click; her manager reads what she shared, and the cited entry in the promotion report.
axe on every page; screenshots of each new or changed page at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from assessments.reviews.models import Assessment
from tests.assessments.assessment_helpers import make_cycle, start
from tests.assessments.report_fixtures import make_manager, rate, set_status

pytestmark = pytest.mark.browser


def test_pm_logs_evidence_cites_it_and_her_manager_sees_it(
    page, framework, pm, manager, password, axe, screenshot, sign_in
):
    ic3 = framework.levels.get(key="ic-3")
    cycle = make_cycle()
    draft = start(pm, pm, ic3, cycle)
    first = framework.capabilities.order_by("area__position", "position").first()

    sign_in(page, "priya@example.com", password)
    page.get_by_role("link", name="My evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evidence log")
    axe(page)
    screenshot(page, "evidence-log-empty")

    page.get_by_role("link", name="Note evidence").click()
    page.get_by_label("What happened").fill("Ran the pricing test with 2,000 customers; conversion rose 4%.")
    page.get_by_label("Link (optional)").fill("not a link")
    page.get_by_role("button", name="Add to my log").click()
    expect(page.locator("#form-errors")).to_contain_text("Choose at least one capability")
    expect(page.locator("#form-errors")).to_contain_text("Enter a full web address")
    expect(page.get_by_label("What happened")).to_have_value(re.compile("Ran the pricing test"))
    axe(page)
    screenshot(page, "evidence-form-errors")
    page.get_by_label("Link (optional)").fill("https://example.com/pricing")
    page.get_by_label(first.name).check()
    page.get_by_label("Share with my managers").check()
    page.get_by_role("button", name="Add to my log").click()
    expect(page.get_by_role("status").filter(has_text="1 entry")).to_be_visible()
    page.get_by_label("Show evidence for").select_option(first.key)
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".growth-entry")).to_contain_text("Ran the pricing test")
    expect(page.locator(".growth-entry")).to_contain_text("Shared with your managers")
    axe(page)
    screenshot(page, "evidence-log")
    page.get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change an entry")
    axe(page)
    screenshot(page, "evidence-edit")
    page.go_back()
    page.get_by_role("link", name=re.compile("^Delete")).click()
    axe(page)
    screenshot(page, "evidence-delete")
    page.get_by_role("link", name="Keep it").click()

    # Her self-assessment offers the entry under the capability; one click cites it (htmx), nothing typed is lost.
    page.goto(f"/assessments/{draft.pk}/")
    block = page.locator(f"#capability-{first.pk}")
    block.get_by_label(re.compile("^Evidence")).fill("I own pricing for the checkout.")
    expect(block.locator(".save-state")).to_contain_text("Saved")
    block.locator("summary").click()
    expect(block.locator(".capability-log__offer")).to_contain_text("1 entry for this capability")
    screenshot(page, "evidence-self-assessment-offer")
    block.get_by_role("button", name=re.compile("^Cite")).click()
    expect(block.locator(".capability-log")).to_contain_text("Cited from your evidence log")
    expect(block.get_by_label(re.compile("^Evidence"))).to_have_value("I own pricing for the checkout.")
    expect(block.locator(".save-state")).to_contain_text("Saved")
    axe(page)
    screenshot(page, "evidence-self-assessment")
    rating = draft.ratings.get(capability=first)
    assert rating.cited_entries.get().text.startswith("Ran the pricing test")
    assert rating.evidence == "I own pricing for the checkout."  # the autosave and the cite both landed
    # Rated above the level with no text, the cited entry is evidence enough; removing it brings the hint back.
    block.get_by_text("Expert", exact=True).click()
    block.get_by_label(re.compile("^Evidence")).fill("")
    expect(block.locator(".save-state")).to_contain_text("Saved")
    block.get_by_role("button", name=re.compile("^Remove")).click()
    expect(block.locator(".save-state")).to_contain_text("Add evidence: Expert is above the Practitioner")
    block.get_by_role("button", name=re.compile("^Cite")).click()
    expect(block.locator(".save-state")).to_have_text("The cited entry counts as evidence.")
    axe(page)

    # Submitted, and Maya has assessed: the promotion report lists the cited entry under the capability.
    ranks = dict.fromkeys(framework.capabilities.values_list("key", flat=True), 3)
    rate(Assessment.objects.get(pk=draft.pk), ranks)
    set_status(Assessment.objects.get(pk=draft.pk), "submitted")
    make_manager(pm, manager, ic3, ranks, cycle=cycle, recommendation="nearly", rationale="Close.")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "maya@example.com", password)
    page.goto(f"/people/{pm.person.pk}/")
    page.get_by_role("link", name="Evidence Priya Product shared").click()
    expect(page.locator(".growth-entry")).to_contain_text("Ran the pricing test")
    axe(page)
    screenshot(page, "evidence-shared-log")
    # Maya reads what Priya cited beside Priya's own rating, on her own assessment page and in the comparison.
    page.goto(Assessment.objects.get(subject=pm.person, cycle=cycle, kind="manager").get_absolute_url())
    theirs = page.locator(f"#capability-{first.pk} .capability__theirs")
    expect(theirs).to_contain_text("Cited from Priya Product’s evidence log")
    expect(theirs).to_contain_text("Ran the pricing test")
    axe(page)
    screenshot(page, "evidence-manager-page")
    page.goto(f"/reports/people/{pm.person.pk}/compare/?level={ic3.pk}&cycle={cycle.pk}")
    page.locator("summary", has_text=f"for {first.name}").first.click()
    expect(page.locator(".report-cited").first).to_contain_text("Ran the pricing test")
    axe(page)
    screenshot(page, "evidence-comparison")
    page.goto(f"/reports/people/{pm.person.pk}/promotion/?level={ic3.pk}&cycle={cycle.pk}")
    expect(page.locator(".promotion-cited")).to_contain_text("Ran the pricing test")
    axe(page)
    screenshot(page, "evidence-promotion-report")

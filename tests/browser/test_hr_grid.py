"""HR raises one expectation in a new version and publishes it; the old version keeps showing what it asked."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import sync_hr_admin_permissions

pytestmark = pytest.mark.browser


def mastery_word(page, capability):
    row = page.locator("li.expectation").filter(has=page.get_by_role("heading", name=capability, exact=True))
    return row.locator(".mastery__word")


def test_hr_admin_raises_an_expectation_in_a_new_version(page, hr_admin, framework, password, sign_in, axe, screenshot):
    sync_hr_admin_permissions()
    sign_in(page, "hana@example.com", password)
    page.goto("/admin/frameworks/framework/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Select framework to change")
    page.get_by_role("link", name="Product management").click()
    expect(page.get_by_text("Version 1 is published. Make a new version to change it.")).to_be_visible()

    page.get_by_role("button", name="New version").click()
    expect(page.locator(".messagelist")).to_contain_text("Made draft version 2 from version 1.")
    expect(page.get_by_text("Version 2 is a draft.")).to_be_visible()
    screenshot(page, "hr-framework-draft")

    page.get_by_role("link", name="Edit expectations grid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Expectations: Product management, version 2")
    cell = page.get_by_label("Capability 1.1 at IC level 2")
    expect(cell).to_have_value(re.compile(r"\d+"))
    expect(cell.locator("option:checked")).to_have_text("Working")
    axe(page)
    screenshot(page, "hr-grid")

    cell.select_option(label="Expert")
    expect(page.get_by_text("1 unsaved change")).to_be_visible()
    expect(cell.locator("xpath=..")).to_have_class(re.compile(r"\btone-6\b.*\bis-changed\b"))
    page.get_by_role("button", name="Save expectations").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the Individual contributor expectations: 1 changed.")
    expect(page.get_by_label("Capability 1.1 at IC level 2").locator("option:checked")).to_have_text("Expert")

    page.get_by_role("link", name="Product management (v2, draft)").click()
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page.get_by_text("1 expectation raised")).to_be_visible()
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".messagelist")).to_contain_text("Version 2 published; version 1 archived.")
    expect(page.get_by_text("Version 2 is published. Make a new version to change it.")).to_be_visible()
    screenshot(page, "hr-framework-published")

    page.get_by_role("link", name="View expectations grid").click()
    expect(page.locator("select")).to_have_count(0)
    axe(page)
    screenshot(page, "hr-grid-published")

    page.goto("/frameworks/product/v2/levels/ic/ic-2/")
    expect(mastery_word(page, "Capability 1.1")).to_have_text("Expert")
    page.goto("/frameworks/product/v1/levels/ic/ic-2/")
    expect(mastery_word(page, "Capability 1.1")).to_have_text("Working")


def test_import_page_is_accessible_and_reports_problems(page, hr_admin, framework, password, sign_in, axe, screenshot):
    sync_hr_admin_permissions()
    sign_in(page, "hana@example.com", password)
    page.goto("/admin/frameworks/framework/")
    page.get_by_role("link", name="Import framework file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a framework file")
    axe(page)

    page.get_by_label("Framework file").set_input_files(
        files=[
            {
                "name": "broken.yaml",
                "mimeType": "application/yaml",
                "buffer": b"format: pathway-framework/1\nkey: Bad Key\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    report = page.get_by_role("alert")
    expect(report).to_contain_text("broken.yaml was not imported")
    expect(report).to_contain_text("key: 'Bad Key' is not a valid key")
    expect(report).to_be_focused()  # error-summary.js: the problems are read first
    axe(page)
    screenshot(page, "hr-import-errors")


def test_grid_merges_someone_elses_changes_before_saving_again(
    page, hr_admin, framework, password, sign_in, axe, screenshot
):
    sync_hr_admin_permissions()
    draft = framework.new_version()
    sign_in(page, "hana@example.com", password)
    page.goto(f"/admin/frameworks/framework/{draft.pk}/expectations/")
    page.get_by_label("Capability 2.1 at IC level 1").select_option(label="Expert")
    # Someone else changes the grid meanwhile.
    other = draft.levels.get(key="ic-3").expectations.get(capability__key="cap-1-1")
    other.scale_level = draft.scale_levels.get(key="awareness")
    other.save()
    page.get_by_role("button", name="Save expectations").click()
    expect(page.get_by_role("alert")).to_contain_text("Someone changed these expectations since you opened the grid.")
    expect(page.get_by_label("Capability 2.1 at IC level 1").locator("option:checked")).to_have_text("Expert")
    expect(page.get_by_text("Someone else changed this to: Awareness")).to_have_count(1)
    expect(page.get_by_label("Capability 1.1 at IC level 3").locator("option:checked")).to_have_text("Awareness")
    axe(page)
    screenshot(page, "hr-grid-stale")
    page.get_by_role("button", name="Save expectations").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved the Individual contributor expectations: 1 changed.")
    expect(page.get_by_label("Capability 1.1 at IC level 3").locator("option:checked")).to_have_text("Awareness")
    expect(page.get_by_label("Capability 2.1 at IC level 1").locator("option:checked")).to_have_text("Expert")

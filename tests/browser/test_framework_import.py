"""HR imports frameworks from where they already live: a broken GDaD CSV is refused cell by cell, a good one is
previewed (one framework per role family, the level not in use listed), then imported; then a spreadsheet grid."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import sync_hr_admin_permissions
from frameworks.models import Framework

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def choose(page, path: Path, content: bytes | None = None):
    page.get_by_label("Framework file").set_input_files(
        {"name": path.name, "mimeType": "application/octet-stream", "buffer": content or path.read_bytes()}
    )
    page.get_by_role("button", name="Check the file").click()


def test_hr_imports_a_gdad_csv_and_a_grid_after_seeing_what_they_create(
    page, hr_admin, password, sign_in, axe, screenshot
):
    sync_hr_admin_permissions()
    sign_in(page, "hana@example.com", password)
    page.goto("/admin/frameworks/framework/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a framework file")
    axe(page)
    screenshot(page, "framework-import")

    gdad = EXAMPLES / "gdad-roles.csv"
    broken = gdad.read_bytes().replace(b",working,Plans", b",guru,Plans", 1)
    choose(page, gdad, broken)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("gdad-roles.csv was not imported")
    expect(alert).to_contain_text("row 2, column H (Skill level): 'guru' is not a skill level")
    axe(page)
    screenshot(page, "framework-import-errors")

    choose(page, gdad)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what this file will import")
    expect(page.get_by_text("Senior delivery manager is marked not in use")).to_be_visible()
    expect(page.get_by_role("heading", name="Creates draft version 1 of Data (data).")).to_be_visible()
    axe(page)
    screenshot(page, "framework-import-preview")
    assert not Framework.objects.exists()
    page.get_by_role("button", name="Import 3 frameworks").click()
    expect(page.locator(".messagelist")).to_contain_text("Created draft version 1 of Data (data).")
    assert Framework.objects.count() == 3

    choose(page, EXAMPLES / "data-engineering.xlsx")
    expect(page.get_by_text("was read as Spreadsheet grid, Excel workbook (.xlsx)")).to_be_visible()
    expect(page.get_by_role("table", name="Tracks and their levels, lowest first")).to_contain_text(
        "Data engineering manager"
    )
    page.get_by_role("button", name="Import the framework").click()
    expect(page.locator(".messagelist")).to_contain_text("Created draft version 1 of Data engineering")
    axe(page)

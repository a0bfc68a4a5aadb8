"""HR imports people from a CSV file: a broken file is refused row by row, a good one is checked, then imported."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import sync_hr_admin_permissions

pytestmark = pytest.mark.browser

BROKEN = (
    "email,name,job title,level,manager email\n"
    "ann@example.com,Ann Able,PM,product/ic-1,\n"
    "bo@example.com,Brand, Bo,PM,product/ic-1,ann@example.com\n"
    'cy@example.com,"Open quote,,,\n'
)
GOOD = (
    "email,name,job title,level,manager email\n"
    "ann@example.com,Ann Able,PM,product/ic-1,\n"
    'bo@example.com,"Brand, Bo",PM,product/ic-1,ann@example.com\n'
)


def choose(page, name, text):
    page.get_by_label("CSV file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_role("button", name="Check the file").click()


def test_hr_imports_people_after_fixing_a_broken_file(page, hr_admin, framework, password, sign_in, axe, screenshot):
    sync_hr_admin_permissions()
    sign_in(page, "hana@example.com", password)
    page.goto("/admin/assessments/person/import/")
    choose(page, "people.csv", BROKEN)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported: the file has 2 problems.")
    expect(alert).to_contain_text("Row 3: the row has 6 cells but the header has 5 columns")
    expect(alert).to_contain_text("Row 4, column 'name': a quote (\") opens a cell and is never closed")
    axe(page)
    screenshot(page, "people-import-errors")
    assert not User.objects.filter(email="ann@example.com").exists()

    choose(page, "people.csv", GOOD)
    expect(page.get_by_text("2 people will be created, 0 updated.")).to_be_visible()
    page.get_by_role("button", name="Import: create 2, update 0").click()
    expect(page.locator(".messagelist")).to_contain_text("2 people were created, 0 updated.")
    assert User.objects.get(email="bo@example.com").person.manager.user.email == "ann@example.com"

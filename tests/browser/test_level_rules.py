"""HR writes a level rule in the admin, sees whom it would place, and places them."""

import pytest
from playwright.sync_api import expect

from accounts.roles import sync_hr_admin_permissions
from frameworks.models import Level
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_hr_writes_a_rule_previews_it_and_places_people(page, hr_admin, framework, password, sign_in, axe, screenshot):
    sync_hr_admin_permissions()
    for email, name, title in (
        ("pat@example.com", "Pat Park", "Product Manager"),
        ("di@example.com", "Di Dee", "Designer"),
    ):
        make_user(email, name, job_title=title)
    sign_in(page, "hana@example.com", password)

    page.goto("/admin/assessments/levelrule/add/")
    page.get_by_label("Position").fill("1")
    page.get_by_label("Job title contains").fill("product manager")
    page.get_by_label("Level:").select_option(label="IC level 2")
    page.get_by_role("button", name="Save and continue editing").click()

    preview = page.locator(".field-who_it_places")
    expect(preview).to_contain_text("It would place 1 person without a level")
    expect(preview).to_contain_text("Pat Park")
    expect(preview).not_to_contain_text("Di Dee")
    axe(page)
    screenshot(page, "level-rule")

    page.goto("/admin/assessments/levelrule/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("place_people_now")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("Placing people by the level rules")
    assert Level.objects.get(key="ic-2").people.get().user.email == "pat@example.com"

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_person_signs_in_lands_home_and_signs_out(page, pm, password, axe, screenshot, sign_in):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Pathway")
    axe(page)
    screenshot(page, "sign-in")

    sign_in(page, "priya@example.com", password)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Signed in as")).to_contain_text("Priya Product")
    axe(page)
    screenshot(page, "home")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))


def test_wrong_password_shows_error_in_browser(page, pm, axe, sign_in):
    sign_in(page, "priya@example.com", "wrong password")
    expect(page.get_by_text("Enter the email address and password")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("priya@example.com")
    axe(page)

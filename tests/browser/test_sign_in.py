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


def test_locked_sign_in_says_when_to_try_again_and_keeps_the_email(page, pm, password, axe, screenshot, sign_in):
    for _ in range(5):
        sign_in(page, "priya@example.com", "wrong password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Signing in is paused")
    expect(alert).to_contain_text(re.compile(r"You can try again after \d{1,2}:\d\d[ap]m\."))
    expect(alert).to_contain_text("ask your HR team to unlock your account")
    expect(page.get_by_label("Email address")).to_have_value("priya@example.com")
    axe(page)
    screenshot(page, "sign-in-locked")

    sign_in(page, "priya@example.com", password)  # the right password, still refused
    expect(page.get_by_role("alert")).to_contain_text("Signing in is paused")
    page.get_by_role("link", name="choose a new one").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")

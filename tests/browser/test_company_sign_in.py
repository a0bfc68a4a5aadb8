"""Company sign-in in Chromium, through the real test provider (tests/oidc_provider): click "Sign in with …",
sign in at the provider, land on My pathway; sign out of both."""

import re

import pytest
from playwright.sync_api import expect

from tests.oidc_provider.people import PASSWORD

pytestmark = pytest.mark.browser


def sign_in_at_provider(page, username):
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_person_signs_in_through_the_company_provider_and_out_of_both(
    page, live_server, company_sign_in, pm, axe, screenshot
):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    axe(page)
    screenshot(page, "sign-in-company")

    page.get_by_role("link", name="Sign in with Test ID").click()
    sign_in_at_provider(page, "priya")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Signed in as")).to_contain_text("Priya Product")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    expect(page.get_by_role("status")).to_contain_text("You have signed out of Pathway")
    axe(page)
    screenshot(page, "signed-out-company")

    page.get_by_role("link", name="Sign out of Test ID too").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/sign-in/")  # the provider sends her back
    page.get_by_role("link", name="Sign in with Test ID").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()  # signed out there too


def test_refusals_and_password_sign_in_off_are_clear(page, live_server, company_sign_in, settings, axe, screenshot):
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Sign in with Test ID").click()
    sign_in_at_provider(page, "nina")  # the provider knows her; Pathway does not
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in to Pathway yet")
    expect(page.get_by_text("There is no Pathway account for nina@example.com")).to_be_visible()
    axe(page)
    screenshot(page, "company-sign-in-refused")

    settings.PASSWORD_SIGN_IN = False
    page.get_by_role("link", name="Back to the sign-in page").click()
    expect(page.get_by_label("Password")).to_have_count(0)
    axe(page)
    screenshot(page, "sign-in-company-only")
    page.get_by_role("link", name="sign in with a password").click()
    expect(page.get_by_label("Password")).to_be_visible()
    axe(page)

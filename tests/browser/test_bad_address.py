import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_address_with_a_nul_character_gets_a_page_that_says_so(page, pm, password, axe, screenshot, sign_in):
    sign_in(page, "priya@example.com", password)
    response = page.goto("/team/?q=%00")
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("This address cannot be used")
    expect(page.get_by_text("This address contains a NUL character")).to_be_visible()
    axe(page)
    screenshot(page, "bad-address")

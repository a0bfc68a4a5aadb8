"""The main menu of someone with every item (HR admin who manages people) fits on one line at a desktop width
and goes behind the toggler below 1200px, rather than wrapping its words."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_the_longest_menu_stays_on_one_line_and_collapses_on_smaller_screens(page, framework, password, sign_in, axe):
    hana = make_user("hana@example.com", "Hannelore Administrator-Whitfield", hr_admin=True, is_superuser=True)
    make_user("rory@example.com", "Rory Report", manager=hana)
    sign_in(page, "hana@example.com", password)
    menu = page.get_by_role("navigation", name="Main")
    for item in ("My pathway", "My assessments", "My evidence", "My plan", "My team", "Calibration", "Admin"):
        expect(menu.get_by_role("link", name=item)).to_be_visible()
    boxes = [link.bounding_box() for link in page.locator(".site-header .navbar-nav .nav-link").all()]
    assert len({round(box["y"]) for box in boxes}) == 1, "the menu wraps onto a second row"
    line = page.locator(".site-header .signed-in-as").evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert max(box["height"] for box in boxes) < 2 * line, "a menu item's words wrap"
    assert page.locator(".site-header .signed-in-as").bounding_box()["height"] < 2 * line  # one line and padding
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe(page)

    page.set_viewport_size({"width": 1100, "height": 800})
    expect(menu.get_by_role("link", name="My team")).to_be_hidden()
    page.get_by_role("button", name="Show menu").click()
    expect(menu.get_by_role("link", name="My team")).to_be_visible()

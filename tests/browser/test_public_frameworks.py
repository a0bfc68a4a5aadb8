"""Anonymous visitors read a public framework in a real browser, and export_site's pages work from file://."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.factories import make_framework

pytestmark = pytest.mark.browser


def test_anonymous_visitor_reads_a_public_framework_and_its_levels(page, framework, pm, axe, screenshot):
    framework.set_public(True)
    make_framework(key="secret", name="Secret ladder")

    page.goto("/frameworks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Career frameworks")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Secret ladder")).to_have_count(0)
    axe(page)
    screenshot(page, "public-framework-list")

    page.get_by_role("link", name="Product management").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Product management")
    expect(page.get_by_text("You are here")).to_have_count(0)
    expect(page.get_by_text("Priya Product")).to_have_count(0)
    axe(page)
    screenshot(page, "public-framework")

    page.locator("a.pathway__link", has_text="IC level 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IC level 2")
    axe(page)
    screenshot(page, "public-level")
    page.get_by_role("link", name="Compare IC level 1 with IC level 2").click()
    expect(page.locator(".compare-summary")).to_contain_text("From IC level 1 to IC level 2")
    expect(page.get_by_role("button", name=re.compile("self-assessment"))).to_have_count(0)
    axe(page)

    # Signing in from a public page comes back to it.
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign in"))

    response = page.goto("/frameworks/secret/v1/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Secret ladder")).to_have_count(0)
    axe(page)


def test_exported_site_opens_from_the_file_system_with_working_links(browser, db, framework, tmp_path, axe, screenshot):
    framework.set_public(True)
    out = tmp_path / "site"
    call_command("export_site", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_violations = []  # axe() reads it; file:// pages have no policy
    try:
        page.goto((out / "index.html").as_uri())
        expect(page.get_by_role("heading", level=1)).to_have_text("Career frameworks")
        page.get_by_role("link", name="Product management").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Product management")
        # The stylesheets came along: the pathway is laid out as a grid, Bootstrap sets the page's width.
        assert page.locator(".pathway").evaluate("el => getComputedStyle(el).display") == "grid"
        assert page.locator("main.container").evaluate("el => getComputedStyle(el).maxWidth") == "1140px"
        axe(page)
        screenshot(page, "export-framework")

        page.locator("a.pathway__link", has_text="IC level 2").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("IC level 2")
        assert (
            page.locator(".mastery").first.evaluate("el => getComputedStyle(el).display") != "inline"
        )  # a span, styled
        assert page.url.startswith("file://") and page.url.endswith("/product/levels/ic/ic-2.html")
        axe(page)
        screenshot(page, "export-level")
        page.get_by_role("link", name="see what changes").click()
        expect(page.locator(".compare-summary")).to_contain_text("From IC level 2 to IC level 3")
        page.get_by_role("link", name="Read IC level 3").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("IC level 3")
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Frameworks").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Career frameworks")
        page.get_by_role("link", name="Pathway").click()
        assert page.url.endswith("/site/index.html")
    finally:
        context.close()

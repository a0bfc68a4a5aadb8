"""Headless Chromium (Debian's build) driven by Playwright, with axe and screenshot helpers."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told this is safe, which it is for tests that only block on the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver")
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


# Every page reports what the Content-Security-Policy refused (through a binding, which outlives navigations).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI || "inline",
    source: (event.sourceFile || document.location.href) + ":" + event.lineNumber,
    sample: event.sample || (event.target.outerHTML || "").slice(0, 160),
  });
});
"""


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab on the live server; the test fails if the page breaks the Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    violations = []
    context.expose_binding("reportCspViolation", lambda source, violation: violations.append(violation))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_violations = violations
    yield page
    context.close()
    if violations:
        details = "\n".join(
            f"{v['directive']} refused {v['blocked']} at {v['source']} {v['sample']!r}" for v in violations
        )
        pytest.fail(f"the page broke the Content-Security-Policy:\n{details}", pytrace=False)


@pytest.fixture
def axe():
    """axe(page) fails the test on serious or critical accessibility violations."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page):
        violations = getattr(page, "csp_violations", [])  # a test's own page (not the fixture's) has none
        seen = len(violations)
        results = checker.run(page)
        # axe-core measures some pages' styles with a <style> element of its own, which the policy refuses: not the
        # page's doing. A round trip to the page first delivers every violation reported during the run.
        page.evaluate("() => null")
        violations[seen:] = [v for v in violations[seen:] if (v["blocked"], v["sample"]) != ("inline", "")]
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:5]}" for v in serious
        )
        assert not serious, f"axe found serious problems on {page.url}:\n{details}"
        return results

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, name) writes screenshots/<name>-desktop.png and -phone.png (full page)."""

    def take(page, name):
        SCREENSHOTS.mkdir(exist_ok=True)
        original = page.viewport_size
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size(original)

    return take


@pytest.fixture
def sign_in():
    def do(page, email, password):
        page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return do

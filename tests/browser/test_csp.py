"""The Content-Security-Policy in a real browser: what it refuses is refused, and the browser tests hear of it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INJECT_INLINE_CODE = """() => new Promise((resolve) => {
    let reports = 0;
    document.addEventListener("securitypolicyviolation", () => { if (++reports === 2) resolve(); });
    const script = document.createElement("script");
    script.textContent = "window.inlineRan = true;";
    document.body.append(script);
    document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: red">x</p>');
})"""


def test_the_policy_refuses_inline_code_and_the_tests_hear_of_it(page):
    page.goto("/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.evaluate(INJECT_INLINE_CODE)
    assert page.evaluate("() => window.inlineRan") is None
    assert page.evaluate("() => document.getElementById('styled').style.color") == ""
    directives = {violation["directive"] for violation in page.csp_violations}
    assert directives == {"script-src-elem", "style-src-attr"}, page.csp_violations
    page.csp_violations.clear()  # heard; the fixture would otherwise fail this test

"""Feedback on capabilities in Chromium: a manager asks a colleague for feedback on two capabilities of a report
(after a refused attempt); the colleague finds the request on home, reads it, looks at declining, and answers
(after an empty try); the PM reads the answer in her evidence log, attributed; the manager reads it under the
capability in the comparison and on the requests she asked. axe on every page; screenshots of each at desktop and
phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.assessments.report_fixtures import make_review

pytestmark = pytest.mark.browser

ANSWER = "Priya ran the pricing interviews herself and turned them into three clear bets. Next time: share them sooner."


def test_manager_asks_colleague_answers_pm_and_manager_read_it(
    page, framework, pm, manager, stranger, password, axe, screenshot, sign_in
):
    ic2 = framework.levels.get(key="ic-2")
    ranks = dict.fromkeys(framework.capabilities.values_list("key", flat=True), 2)
    make_review(pm, manager, ic2, ranks, ranks)
    first, second = framework.capabilities.order_by("area__position", "position")[:2]

    # Maya asks, from Priya's page.
    sign_in(page, "maya@example.com", password)
    page.goto(f"/people/{pm.person.pk}/")
    page.get_by_role("link", name="Ask colleagues for feedback on Priya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for feedback on Priya Product")
    axe(page)
    screenshot(page, "feedback-ask")
    page.get_by_label("Colleagues’ email addresses").fill("sam@example.com\nnobody@example.com")
    page.get_by_label("Your question").fill("How did Priya run the pricing discovery?")
    page.get_by_role("button", name="Send the requests").click()
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text("Nobody signs in to Pathway as nobody@example.com")
    expect(errors).to_contain_text("Choose at least one capability to ask about.")
    expect(page.get_by_label("Your question")).to_have_value("How did Priya run the pricing discovery?")
    axe(page)
    screenshot(page, "feedback-ask-errors")
    page.get_by_label("Colleagues’ email addresses").fill("sam@example.com")
    page.get_by_label(first.name).check()
    page.get_by_label(second.name).check()
    page.get_by_role("button", name="Send the requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback you asked for")
    expect(page.locator(".messages")).to_contain_text("Asked Sam Stranger for feedback")
    expect(page.locator(".growth-entry")).to_contain_text("Waiting")
    axe(page)
    screenshot(page, "feedback-asked")
    page.get_by_role("button", name="Sign out").click()

    # Sam finds it on home, looks at declining, then answers (an empty answer is refused first).
    sign_in(page, "sam@example.com", password)
    expect(page.locator(".whats-next")).to_contain_text("1 request waits for your feedback")
    axe(page)
    screenshot(page, "feedback-home-card")
    page.get_by_role("link", name="Answer it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback requests for you")
    axe(page)
    screenshot(page, "feedback-for-me")
    page.get_by_role("link", name="Maya Manager asks for your feedback on Priya Product").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on Priya Product")
    expect(page.locator(".growth-request")).to_contain_text(first.name)
    expect(page.locator(".growth-request")).to_contain_text(second.name)
    expect(page.get_by_text("You can’t change it after you send it.")).to_be_visible()
    axe(page)
    screenshot(page, "feedback-answer")
    page.get_by_role("link", name="Decline this request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decline the request for feedback on Priya Product")
    axe(page)
    screenshot(page, "feedback-decline")
    page.get_by_role("link", name="Go back and answer").click()
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator("#form-errors")).to_contain_text("Write your feedback before sending it.")
    axe(page)
    page.get_by_label("Your feedback").fill(ANSWER)
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.locator(".messages")).to_contain_text("Your feedback is sent to Priya Product’s evidence log.")
    expect(page.get_by_role("status").filter(has_text="0 requests waiting")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # Priya reads it in her log, attributed.
    sign_in(page, "priya@example.com", password)
    page.get_by_role("link", name="My evidence").click()
    entry = page.locator(".growth-entry").first
    expect(entry).to_contain_text("Feedback from Sam Stranger, asked by Maya Manager")
    expect(entry).to_contain_text("For you and Maya Manager, who asked")
    expect(entry).to_contain_text(ANSWER)
    axe(page)
    screenshot(page, "feedback-in-log")
    page.get_by_role("button", name="Sign out").click()

    # Maya reads it under each capability in the comparison, and on her requests.
    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/")
    block = page.locator(f"#capability-{first.pk} .report-feedback")
    expect(block).to_contain_text("From Sam Stranger, asked by you")
    expect(block).to_contain_text(ANSWER)
    expect(page.locator(f"#capability-{second.pk} .report-feedback")).to_contain_text(ANSWER)
    axe(page)
    screenshot(page, "feedback-comparison")
    page.goto("/growth/feedback/asked/")
    expect(page.locator(".growth-answer")).to_contain_text(re.compile("Priya ran the pricing interviews"))
    axe(page)
    screenshot(page, "feedback-asked-answered")

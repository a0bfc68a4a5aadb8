"""The promotion PDF on the queue, in Chromium: the link opens "Preparing the PDF…", which polls with htmx; once a
worker has made the PDF, the page reloads and the download starts by itself."""

import pytest
from playwright.sync_api import expect

from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review
from tests.pdf import pdf_text

pytestmark = pytest.mark.browser


def test_the_pdf_is_prepared_then_downloads(
    page, manager, pm, framework, password, sign_in, axe, database_tasks, tmp_path
):
    review = make_review(pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS, cycle=make_cycle())[
        1
    ]
    # Requests reach the server only while the test waits on the browser, never while the worker below uses the
    # database: with in-memory SQLite the two threads share one connection.
    page.route("**/*", lambda route: route.continue_())
    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/promotion/?level={review.level_id}&cycle={review.cycle_id}")

    page.get_by_role("link", name="Download PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Preparing the PDF…")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Product")
    axe(page)

    assert database_tasks() == 1  # a worker makes the PDF
    with page.expect_download(timeout=30_000) as download_info:
        pass  # the page's next poll finds the PDF ready: the page reloads and starts the download
    download = download_info.value
    assert download.suggested_filename == "promotion-report-priya-product-ic-level-3-2026-h1.pdf"
    path = tmp_path / "report.pdf"
    download.save_as(path)
    assert "Priya Product" in pdf_text(path.read_bytes())
    expect(page.get_by_role("status")).to_contain_text("The PDF is ready.")
    axe(page)

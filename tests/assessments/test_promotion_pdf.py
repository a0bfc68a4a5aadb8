"""The promotion PDF is made by a worker, once per content: "Preparing the PDF…" until it is ready, then the
download; the same report again is served from what was made; a changed rating makes a new PDF.

WeasyPrint is stood in for here (a real PDF is made in test_promotion_report.py): `renders` records the HTML
of each PDF made."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.reports import pdf
from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review, rate, set_status
from tests.factories import make_user


@pytest.fixture
def ic3(framework):
    return framework.levels.get(key="ic-3")


@pytest.fixture
def review(pm, manager, ic3):
    return make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=make_cycle("2026 H1"))[1]


def url(name, review):
    query = f"?level={review.level_id}&cycle={review.cycle_id or 'none'}"
    return reverse(f"reports:{name}", args=[review.subject_id]) + query


@pytest.fixture(autouse=True)
def renders():
    """Stands in for WeasyPrint, recording the HTML of each PDF made."""
    with mock.patch.object(pdf, "write_pdf", side_effect=lambda html, base_url: b"%PDF-1.7 " + html.encode()) as spy:
        yield spy


def rendered(renders, n=-1) -> str:
    return renders.call_args_list[n].args[0]


def test_the_same_report_again_is_served_without_rendering(client, manager, review, renders):
    client.force_login(manager)
    first = client.get(url("promotion_pdf", review))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert renders.call_count == 1
    second = client.get(url("promotion_pdf", review))
    assert second.status_code == 200 and second.content == first.content
    assert renders.call_count == 1  # served from what was made


def test_a_changed_rating_makes_a_new_pdf(client, manager, review, renders):
    client.force_login(manager)
    before = client.get(url("promotion_pdf", review)).content
    rate(review, {**MANAGER_RANKS, "cap-2-1": 4}, {"cap-2-1": "Led the pricing strategy end to end."})
    after = client.get(url("promotion_pdf", review)).content
    assert renders.call_count == 2
    assert b"Led the pricing strategy end to end." in after
    assert b"Led the pricing strategy end to end." not in before
    assert client.get(url("promotion_pdf", review)).content == after and renders.call_count == 2


def test_readers_who_see_the_same_report_share_one_pdf_and_others_get_their_own(
    client, manager, hr_admin, pm, review, renders
):
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    client.force_login(hr_admin)
    assert client.get(url("promotion_pdf", review)).status_code == 200
    assert renders.call_count == 1  # the same HTML: the same PDF
    set_status(review, Assessment.Status.SHARED)
    client.force_login(pm)
    assert client.get(url("promotion_pdf", review)).status_code == 200
    assert renders.call_count == 2  # shared since: the report says so, so it is another PDF


def test_a_draft_made_into_a_pdf_is_never_served_to_someone_who_may_not_read_it(client, manager, pm, ic3, renders):
    cycle = make_cycle("2026 H1")
    draft = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle, manager_status="draft")[1]
    Assessment.objects.filter(pk=draft.pk).update(rationale="Draft thoughts only Maya may read.")
    client.force_login(manager)
    assert b"Draft thoughts only Maya may read." in client.get(url("promotion_pdf", draft)).content
    client.force_login(pm)
    assert client.get(url("promotion_pdf", draft)).status_code == 404
    assert client.get(url("promotion_pdf_status", draft)).status_code == 404


# On the queue --------------------------------------------------------------------------------------


def test_the_pdf_is_prepared_by_a_worker_while_the_page_says_so(client, manager, review, database_tasks):
    client.force_login(manager)
    response = client.get(url("promotion_pdf", review))
    assert response.status_code == 302 and response["Location"] == url("promotion_pdf_status", review)
    page = client.get(response["Location"]).content.decode()
    assert "Preparing the PDF…" in page
    # It polls itself with htmx; no inline script (a CSP is coming), no timed refresh (it would fail WCAG 2.2.1).
    assert f'hx-get="{url("promotion_pdf_status", review).replace("&", "&amp;")}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and "http-equiv" not in page
    task = DBTaskResult.objects.get()
    assert (task.task_name, task.status, task.priority) == ("render_promotion_pdf", "READY", pdf.PRIORITY_PDF)
    assert "Maya" not in str(task.args_kwargs)  # the report itself waits in the storage, not in the queue

    poll = client.get(url("promotion_pdf_status", review), {"shown": "preparing"}, headers={"HX-Request": "true"})
    assert poll.status_code == 204  # nothing new: nothing to swap
    assert DBTaskResult.objects.count() == 1  # polling queues nothing more

    assert database_tasks() == 1
    poll = client.get(url("promotion_pdf_status", review), {"shown": "preparing"}, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"  # ready: the page reloads, and its ready state starts the download
    page = client.get(url("promotion_pdf_status", review)).content.decode()
    assert "The PDF is ready." in page and "hx-trigger" not in page
    assert f'<meta http-equiv="refresh" content="0; url={url("promotion_pdf", review).replace("&", "&amp;")}">' in page
    download = client.get(url("promotion_pdf", review))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert "attachment;" in download["Content-Disposition"]
    assert [name for name in default_storage.listdir("promotion-pdfs")[1] if name.endswith(".html")] == []


def another_report(manager, ic3, review):
    """Alex's review by Maya in the same cycle: a second promotion report for Maya to ask for."""
    alex = make_user("alex@example.com", "Alex Analyst", manager=manager, level=ic3.track.levels.get(key="ic-2"))
    return make_review(alex, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=review.cycle)[1]


def test_one_render_per_person_at_a_time(client, manager, pm, ic3, review, database_tasks):
    other = another_report(manager, ic3, review)
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    client.get(url("promotion_pdf", other))
    page = client.get(url("promotion_pdf_status", other)).content.decode()
    assert "Preparing the PDF…" in page and "Your other PDF is being made first" in page
    assert DBTaskResult.objects.count() == 1  # the second waits for the first

    database_tasks()
    poll = client.get(url("promotion_pdf_status", other), {"shown": "waiting"}, headers={"HX-Request": "true"})
    fragment = poll.content.decode()  # its turn: the poll swaps in the new state
    assert "Your other PDF is being made first" not in fragment and "Preparing the PDF…" in fragment
    assert "<h1>" not in fragment and 'hx-vals=\'{"shown": "preparing", "digest": "' in fragment
    database_tasks()
    assert client.get(url("promotion_pdf", other))["Content-Type"] == "application/pdf"
    assert client.get(url("promotion_pdf", review))["Content-Type"] == "application/pdf"


def test_a_render_that_never_finished_does_not_hold_up_the_next_one(client, manager, pm, ic3, review, database_tasks):
    other = another_report(manager, ic3, review)
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    DBTaskResult.objects.update(status="RUNNING", enqueued_at=timezone.now() - pdf.RENDER_TIMEOUT * 2)  # worker died
    client.get(url("promotion_pdf", other))
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_failed_render_says_so_and_can_be_tried_again(client, manager, review, database_tasks, renders):
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    renders.side_effect = RuntimeError("out of memory")
    database_tasks()
    renders.side_effect = lambda html, base_url: b"%PDF-1.7"
    assert DBTaskResult.objects.get().status == "FAILED"  # HR sees it in the admin's task results
    page = client.get(url("promotion_pdf_status", review)).content.decode()
    assert "The PDF could not be made." in page and "hx-trigger" not in page
    assert DBTaskResult.objects.count() == 1  # the page alone does not retry

    assert client.get(url("promotion_pdf", review)).status_code == 302  # asking for the PDF again does
    database_tasks()
    assert client.get(url("promotion_pdf", review))["Content-Type"] == "application/pdf"


def test_files_older_than_a_week_are_removed(client, manager, review):
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    assert len(default_storage.listdir("promotion-pdfs")[1]) == 2  # the PDF and its ready marker
    pdf.remove_old_files(now=timezone.now() + timedelta(days=1))
    assert len(default_storage.listdir("promotion-pdfs")[1]) == 2
    pdf.remove_old_files(now=timezone.now() + pdf.KEEP_FOR + timedelta(minutes=1))
    assert default_storage.listdir("promotion-pdfs")[1] == []


def test_the_waiting_pages_poll_reads_the_pdfs_state_without_rendering_the_report(
    client, manager, pm, review, database_tasks
):
    client.force_login(manager)
    client.get(url("promotion_pdf", review))
    digest = re.search(r'"digest": "([0-9a-f]{64})"', client.get(url("promotion_pdf_status", review)).content.decode())[
        1
    ]
    poll = {"shown": "preparing", "digest": digest}
    with mock.patch("assessments.reports.views.render_to_string", side_effect=AssertionError("rendered")):
        assert client.get(url("promotion_pdf_status", review), poll, headers={"HX-Request": "true"}).status_code == 204
        database_tasks()
        ready = client.get(url("promotion_pdf_status", review), poll, headers={"HX-Request": "true"})
        assert ready["HX-Refresh"] == "true"
        client.force_login(pm)  # the report's access check still comes first: Priya may not see Maya's report
        assert client.get(url("promotion_pdf_status", review), poll, headers={"HX-Request": "true"}).status_code == 404


def test_a_poll_for_a_pdf_nobody_is_making_asks_for_it_again(client, manager, review, database_tasks):
    client.force_login(manager)
    poll = {"shown": "preparing", "digest": "0" * 64}
    answer = client.get(url("promotion_pdf_status", review), poll, headers={"HX-Request": "true"})
    assert answer.status_code == 204  # queued again by the full path: still "preparing", nothing new to show
    assert DBTaskResult.objects.get().status == "READY"

"""Submit racing an autosave: one request clears a rating while another submits, many times over, in real
threads with their own database connections. No submitted assessment may have an unrated capability, and no
request may fail (the submitter gets the check page or a refused save, never a 500).

Needs a database that several connections share: PostgreSQL (row locks), or SQLite in a file (it serialises
writers). The in-memory SQLite test database can't be shared between threads, so there the test is skipped.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from assessments.reviews.models import Assessment, Rating
from tests.assessments.assessment_helpers import HTMX_HEADERS, level, page_post_data, page_url, rating_url, scale, start

TRIES = 25


def _shared_database() -> bool:
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("not _shared_database()", reason="the in-memory SQLite test database is one per thread"),
]


def _run_together(*calls):
    """Run each call in its own thread, released at the same moment; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    errors = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # reported by the test
            errors[index] = error
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _post(client, url, data, responses, name, **headers):
    def post():
        responses[name] = client.post(url, data, **headers)

    return post


def _reset_to_a_complete_draft(assessment, step):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DRAFT, submitted_at=None)
    assessment.ratings.update(scale_level=step, not_applicable=False, evidence="Done it.")


def test_a_rating_cleared_while_submitting_never_leaves_a_submitted_assessment_unrated(pm, framework):
    target = level(framework, "ic-3")
    step = scale(framework, "working")
    draft = start(pm, pm, target)
    autosaver, submitter = Client(), Client()
    autosaver.force_login(pm)
    submitter.force_login(pm)
    ratings = list(draft.ratings.select_related("capability").order_by("pk"))
    answers = {"submitted": 0, "check": 0, "refused": 0}
    for attempt in range(TRIES):
        _reset_to_a_complete_draft(draft, step)
        draft = Assessment.objects.with_related().get(pk=draft.pk)
        rating = Rating.objects.get(pk=ratings[attempt % len(ratings)].pk)
        prefix = f"r{rating.capability_id}"
        page = page_post_data(draft, action="submit")
        responses = {}

        autosave_url, autosave_data = (
            rating_url(draft, rating.capability),
            {f"{prefix}-scale": "", f"{prefix}-evidence": "", f"{prefix}-revision": rating.revision},
        )
        clear = _post(autosaver, autosave_url, autosave_data, responses, "autosave", **HTMX_HEADERS)
        submit = _post(submitter, page_url(draft), page, responses, "submit")
        errors = _run_together(clear, submit)
        assert errors == [None, None], f"try {attempt}: {errors}"
        assert responses["autosave"].status_code in (200, 409), responses["autosave"].content
        submit_answer = responses["submit"]
        assert submit_answer.status_code in (302, 409), submit_answer.status_code
        draft.refresh_from_db()
        rated, total = draft.progress()
        if draft.status == Assessment.Status.SUBMITTED:
            assert rated == total, f"try {attempt}: submitted with {total - rated} unrated"
            assert responses["autosave"].status_code == 409  # the autosave came second and was refused
            answers["submitted"] += 1
        elif submit_answer.status_code == 302:
            assert submit_answer["Location"].endswith(f"/assessments/{draft.pk}/check/")
            answers["check"] += 1
        else:
            answers["refused"] += 1  # the page's save of that rating met the autosave's newer revision
    # Over this many tries each side wins some of the time; whichever does, the rule held.
    assert sum(answers.values()) == TRIES

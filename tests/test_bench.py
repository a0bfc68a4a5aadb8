"""Smoke tests of the benchmark and load-test tools (bench/): what they read from the pages and the database."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from assessments.reviews.models import Rating
from tests.assessments.assessment_helpers import HTMX_HEADERS, level, page_url, scale, start

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_module():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bench_lists_its_pages_and_budgets():
    listed = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--list"], capture_output=True, text=True, check=True
    ).stdout
    keys = [line.split()[0] for line in listed.splitlines()]
    assert {"home", "autosave", "calibration", "peer-page", "peer-save"} <= set(keys)
    assert len(keys) == len(set(keys))
    assert all(re.search(r"budget \d+×$", line) for line in listed.splitlines())


def test_the_page_profiler_starts_and_says_how_to_use_it():
    helped = subprocess.run(
        [sys.executable, str(BENCH / "profile_page.py"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(option in helped for option in ("--runs", "--queries", "--explain", "--split", "--cprofile"))


def test_a_session_the_load_test_makes_signs_its_person_in(client, pm, settings):
    """As the sign-in page's would: the first request with it is the person's, not a 500 (the backend it names must
    read users back) nor a sign-in page."""
    load = load_module()
    assert load.PASSWORD_BACKEND in settings.AUTHENTICATION_BACKENDS
    client.cookies[settings.SESSION_COOKIE_NAME] = load.session_for(pm)
    answer = client.get(reverse("home"))
    assert answer.status_code == 200
    assert answer.wsgi_request.user == pm


def test_the_load_test_reads_revisions_and_choices_from_the_page_and_an_autosave(client, pm, framework):
    load = load_module()
    draft = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    html = client.get(page_url(draft)).content.decode()
    assert load.revisions_on(html) == dict(draft.ratings.values_list("capability_id", "revision"))
    assert load.choices_on(html) == sorted(str(pk) for pk in framework.scale_levels.values_list("pk", flat=True))
    rating = draft.ratings.first()
    prefix = f"r{rating.capability_id}"
    answer = client.post(
        reverse("assessments:save_rating", args=[draft.pk, rating.capability_id]),
        {f"{prefix}-scale": scale(framework, "working").pk, f"{prefix}-evidence": "x", f"{prefix}-revision": 1},
        **HTMX_HEADERS,
    )
    assert load.revisions_on(answer.content.decode()) == {rating.capability_id: 2}


def test_the_load_test_counts_a_write_it_was_told_of_but_the_database_lacks(pm, framework):
    load = load_module()
    draft = start(pm, pm, level(framework, "ic-3"))
    kept, lost = list(draft.ratings.order_by("pk"))[:2]
    initial = dict(draft.ratings.values_list("pk", "revision"))
    working = scale(framework, "working")
    kept.record(scale_level=working, not_applicable=False, evidence="Saved", expected_revision=1)
    log = load.Log()
    log.acknowledged = {kept.pk: (working.pk, "Saved"), lost.pk: (working.pk, "Answered 200, never stored")}
    log.acks = 2
    assert load.lost_writes(log, initial) == (1, 1)
    assert Rating.objects.get(pk=lost.pk).evidence == ""

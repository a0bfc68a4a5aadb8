"""The cast: Priya (a PM) reports to Maya (her manager); Sam is a stranger; Hana is an HR admin."""

import itertools
import os
from unittest import mock

import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, make_framework, make_user

# The real OpenID Connect provider for the company sign-in tests (started only when a test asks for it).
pytest_plugins = ["tests.oidc_provider.fixtures"]

# Hypothesis (the fuzz tests in tests/fuzz/): `ci`, the default, is small and the same on every run, so the
# fast tier stays within its budget and a failure repeats; `long` is for a run by hand
# (HYPOTHESIS_PROFILE=long), thousands of new examples per property.
hypothesis_settings.register_profile("ci", max_examples=10, deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("long", max_examples=2_000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _no_collected_static_files(tmp_path_factory):
    """Static files as on a fresh clone: none collected. A `staticfiles/` left by `make serve` or `make load` (32 MB)
    is otherwise walked by WhiteNoise each time a test's client loads the middleware: a fifth more CPU for the suite."""
    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("static-root"))):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_folders(tmp_path_factory):
    """One folder per test process, holding each test's media folder; numbered, so each test has its own."""
    return tmp_path_factory.mktemp("media"), itertools.count()


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings, _media_folders):
    """Tasks (emails, PDFs) run inside the call that enqueues them, as if a worker picked them up at once; the
    files they make go to a folder of the test's own. Tests of the queue itself switch to `database_tasks`.

    The folder is made only when a test stores a file: most store none, and a `tmp_path` per test cost the fast
    tier thousands of directories to make and delete (over 10 s of CPU)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    base, numbers = _media_folders
    settings.MEDIA_ROOT = str(base / str(next(numbers)))


@pytest.fixture
def pdf_not_drawn(monkeypatch):
    """The promotion PDF is a stand-in of a few bytes instead of WeasyPrint's drawing (a second or two each): for
    tests of who gets a PDF, its headers or its queries, not of what it shows (tests/pdf.py reads a real one)."""
    from assessments.reports import pdf

    monkeypatch.setattr(pdf, "write_pdf", lambda html, base_url: b"%PDF-1.4\n%%EOF\n")


@pytest.fixture
def database_tasks(settings, db):
    """Tasks go to the database queue, as in production; call the fixture's value to run a worker over every task
    that is due, until none is left (what `manage.py db_worker --batch` does). Returns how many it ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run_worker() -> int:
        before = DBTaskResult.objects.finished().count()
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        # The worker closes stale connections between tasks; inside a test's transaction that would end the test.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            worker.run()
        return DBTaskResult.objects.finished().count() - before

    return run_worker


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def hr_admin(db):
    return make_user("hana@example.com", "Hana Admin", hr_admin=True, job_title="HR business partner")


@pytest.fixture
def manager(db, framework):
    return make_user(
        "maya@example.com", "Maya Manager", level=framework.levels.get(key="mgr-1"), job_title="Group product manager"
    )


@pytest.fixture
def pm(db, framework, manager):
    return make_user(
        "priya@example.com",
        "Priya Product",
        manager=manager,
        level=framework.levels.get(key="ic-2"),
        job_title="Product manager",
    )


@pytest.fixture
def stranger(db, framework):
    return make_user(
        "sam@example.com", "Sam Stranger", level=framework.levels.get(key="ic-2"), job_title="Product manager"
    )


def pytest_collection_modifyitems(config, items):
    """Keep the tiers honest: a test that drives Chromium (the `browser` fixture, which `page` uses) must
    carry the `browser` marker, so `-m browser` selects every browser test and the fast tier none."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError("Browser tests without the `browser` marker: " + ", ".join(unmarked))

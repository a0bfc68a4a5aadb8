"""Pathway benchmarks at organisation scale (issue 11): is every page within a few times a bare page?

`make bench` builds a throwaway test database (SQLite by default, the PostgreSQL of DATABASE_URL when it is
set), generates an organisation with `generate_org` at each size (2,000 then 20,000 people), signs in as
chosen people with Django's test client and measures each page in-process: the median wall time of
BENCH_REPEATS runs as a multiple of a bare signed-in page measured in turns with it for the same viewer,
the number of queries and the size of the response. It prints a table and exits 1 when a page is over its
budget (or fails), listing which; 0 when every page is within budget.

Settings (environment variables):
  BENCH_SIZES=2000,20000    organisation sizes, in people
  BENCH_REPEATS=21          timed runs per page (after one untimed run that counts queries)
  BENCH_ONLY=home,autosave  only these pages (the keys are in the first column of --list)
  BENCH_MAX_SECONDS=60      a page whose first run takes longer is timed fewer times (at least once)
  BENCH_PAGE_TIMEOUT=300    a request still running after this is stopped, and its page reported over budget
  BENCH_SKIP_SECONDS=30     a page that took longer a run at a smaller size is not run at the larger ones
                            (it is over budget already); its row says so
  DATABASE_URL=postgres://… benchmark PostgreSQL instead of SQLite

`python bench/run.py --list` lists the pages, who views them and their budgets.
"""

import logging
import os
import signal
import statistics
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathway.settings")
os.environ.setdefault("DEBUG", "1")  # the development secret key; DEBUG itself is switched off below

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, _TestState, setup_test_environment  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "2000,20000").split(",") if size.strip()]
# 21, not 7: measured in blocks on one kept database (assessment page, 20,000 people), the ratio of 7 runs moved with a
# standard deviation of 0.4× between blocks, that of 21 runs 0.25×; at 60 ms a page the 14 more pairs cost ~2 s.
REPEATS = int(os.environ.get("BENCH_REPEATS", "21"))
ONLY = {key.strip() for key in os.environ.get("BENCH_ONLY", "").split(",") if key.strip()}
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "60"))
SKIP_SECONDS = float(os.environ.get("BENCH_SKIP_SECONDS", "30"))
PAGE_TIMEOUT = float(os.environ.get("BENCH_PAGE_TIMEOUT", "300"))
# The bare signed-in page: an existing page with nothing on it but the site's frame (navigation, messages),
# behind the same sign-in, sessions and middleware as every other page.
BARE_URL = "/accounts/password/done/"
PEER_CAPABILITIES = 164
FORM = "application/x-www-form-urlencoded"
PEER_HTML_KB = 130  # the Django peer DIRECT's page for the same workload (issue 11)


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    viewer: str  # who is signed in: pm, manager (of the pm, ~8 reports), head (~50 below), ceo, hr, peer
    budget: float  # × the bare page
    max_kb: float | None = None


PAGES = [
    Page("home", "home (My pathway), PM", "pm", 5),
    Page("assessment", "assessment page, PM's draft", "pm", 5),
    Page("person", "person page, manager → PM", "manager", 5),
    Page("comparison", "comparison, manager → PM", "manager", 5),
    Page("promotion", "promotion report HTML, manager → PM", "manager", 5),
    Page("history", "history, manager → PM", "manager", 5),
    Page("autosave", "autosave one rating (htmx POST), PM", "pm", 3),
    Page("team-8", "My team, manager of 8", "manager", 8),
    Page("heatmap-8", "team heatmap, manager of 8", "manager", 8),
    Page("team-50", "My team, head of ~50", "head", 10),
    Page("heatmap-50", "team heatmap, head of ~50", "head", 10),
    Page("team-ceo", "My team, CEO (whole organisation)", "ceo", 15),
    Page("heatmap-ceo", "team heatmap, CEO (whole organisation)", "ceo", 15),
    Page("calibration", "calibration, HR (whole organisation)", "hr", 30),
    # The whole organisation's statuses: one GROUP BY and one sorted page over everyone, like calibration's budget.
    # Measured on SQLite at 20,000 people: 374 ms, 25× the bare page (the head of ~50: 119 ms, 4.8×).
    Page("progress-hr", "cycle progress, HR (whole organisation)", "hr", 30),
    Page("progress-50", "cycle progress, head of ~50", "head", 10),
    Page("peer-page", f"peer: assessment page, {PEER_CAPABILITIES} capabilities", "peer", 5, PEER_HTML_KB),
    Page("peer-save", f"peer: save all {PEER_CAPABILITIES} ratings, one full-page POST", "peer", 10),
]


@dataclass
class Result:
    page: Page
    people: int
    median_ms: float = 0.0
    ratio: float = 0.0
    queries: int = 0
    kb: float = 0.0
    runs: int = 0
    error: str = ""

    @property
    def over(self) -> list[str]:
        """What is over budget (or broken), in words; empty when within budget."""
        if self.error:
            return [self.error]
        found = []
        if self.ratio > self.page.budget:
            found.append(f"{self.ratio:.1f}× the bare page (budget {self.page.budget:g}×)")
        if self.page.max_kb is not None and self.kb > self.page.max_kb:
            found.append(f"{self.kb:.0f} KB of HTML (budget {self.page.max_kb:g} KB)")
        return found


# Reading the pages the way a browser would -------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of one form as a browser would post them, each radio group's choices, and the autosave
    addresses (hx-post) inside the form."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self.choices: dict[str, list[str]] = {}
        self.autosaves: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if attrs.get("hx-post"):
            self.autosaves.append(attrs["hx-post"])
        name = attrs.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                self.choices.setdefault(name, []).append(attrs.get("value", ""))
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "")
            elif kind not in ("submit", "button", "checkbox") or "checked" in attrs:
                self.values[name] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def read_form(client, url) -> FormReader:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}")
    reader = FormReader("assessment-form")
    reader.feed(response.content.decode())
    if not reader.values:
        raise AssertionError(f"{url} has no assessment form")
    return reader


def another_choice(reader: FormReader, name: str, run: int) -> str:
    """A rating different from the one saved: two ratings in turn, so that every run really writes."""
    options = [value for value in reader.choices[name] if value not in ("", "na")]
    current = reader.values.get(name, "")
    fresh = [value for value in options if value != current]
    return fresh[run % len(fresh)] if len(fresh) > 1 else fresh[0]


# The requests measured: POSTs encoded as browsers and htmx send a form without files (the test client's default
# is multipart, slower to parse) ------------------------------------------------------------------------------------


def autosave(url):
    """An htmx autosave of the first capability on the page, with a rating other than the saved one."""

    def request(client, run):
        reader = read_form(client, url)  # not timed: the page as it stands, with the current revision
        target = next(address for address in reader.autosaves if "/ratings/" in address)
        prefix = "r" + target.rstrip("/").rsplit("/", 1)[1]
        data = {
            f"{prefix}-scale": another_choice(reader, f"{prefix}-scale", run),
            f"{prefix}-evidence": reader.values.get(f"{prefix}-evidence", "") or "Shipped the onboarding work.",
            f"{prefix}-revision": reader.values[f"{prefix}-revision"],
        }
        return (lambda: client.post(target, urlencode(data), FORM, headers={"HX-Request": "true"})), 200

    return request


def full_save(url):
    """The plain form posted whole ("Save draft"), every rating changed."""

    def request(client, run):
        reader = read_form(client, url)
        data = dict(reader.values)
        for name in reader.choices:
            if name.endswith("-scale"):
                data[name] = another_choice(reader, name, run)
        data["action"] = "save"
        return (lambda: client.post(url, urlencode(data), FORM)), 302

    return request


# Measuring ---------------------------------------------------------------------------------------------------------


def get(url):
    def request(client, run):
        return (lambda: client.get(url)), 200

    return request


class PageTimeout(Exception):
    """A request stopped after BENCH_PAGE_TIMEOUT seconds: far over any budget."""


@contextmanager
def time_limit(seconds: float):
    """Stop a request that runs longer than `seconds`: SQLite interrupts its query from a progress handler,
    PostgreSQL by statement_timeout, and Python code by an alarm."""
    deadline = time.monotonic() + seconds

    def alarm(signum, frame):
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 100_000)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if connection.vendor == "sqlite":
            connection.connection.set_progress_handler(None, 0)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def once(client, request, run, *, count=False) -> tuple[float, object, int]:
    """One run: (seconds, response, queries) of the request alone; preparing a POST's data from the page (a GET
    of its own) is neither timed nor counted."""
    send, expected = request(client, run)
    started = time.perf_counter()
    try:
        with time_limit(PAGE_TIMEOUT), CaptureQueriesContext(connection) if count else nullcontext() as queries:
            response = send()
    except Exception as error:
        if isinstance(error, PageTimeout) or time.perf_counter() - started >= PAGE_TIMEOUT:
            raise PageTimeout(f"stopped after {PAGE_TIMEOUT:g} s (BENCH_PAGE_TIMEOUT)") from None
        raise
    elapsed = time.perf_counter() - started
    if response.status_code != expected:
        raise AssertionError(f"answered {response.status_code}, expected {expected}")
    return elapsed, response, len(queries) if count else 0


@dataclass
class Measurement:
    times: list[float]
    queries: int
    kb: float

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def measure(client, request) -> tuple[Measurement, Measurement]:
    """(the page, the bare page): one untimed run of each counting queries and bytes, then up to BENCH_REPEATS
    timed runs of each, taken in turns (bare, page, bare, page…) so that both see the machine in the same state.
    Fewer runs, at least one, when the page takes long (BENCH_MAX_SECONDS); just the first when it takes longer."""
    bare_request = get(BARE_URL)
    first, response, queries = once(client, request, 0, count=True)
    page = Measurement([first], queries, len(response.content) / 1024)
    first_bare, response, queries = once(client, bare_request, 0, count=True)
    bare = Measurement([first_bare], queries, len(response.content) / 1024)
    if first > MAX_SECONDS:
        return page, bare
    page.times, bare.times = [], []
    for run in range(1, max(1, min(REPEATS, int(MAX_SECONDS / max(first, 1e-6)))) + 1):
        bare.times.append(once(client, bare_request, run)[0])
        page.times.append(once(client, request, run)[0])
    return page, bare


# The organisation ----------------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who is signed in for which page, and the pages about them."""

    clients: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def choose_cast(peer_assessment) -> Cast:
    """A PM with a draft in the open cycle and a shared review behind them, their first-line manager of ~8, a head
    of about 50, the CEO, the HR admin, and the peer workload's author; each signed in with a client."""
    from accounts.models import User
    from assessments import orggen
    from assessments.people.models import Person

    reports, below, ceo = reporting_tree()
    head = min((pk for pk in below if pk != ceo), key=lambda pk: (abs(below[pk] - 50), pk))
    pm, manager, draft = pm_and_manager(reports)
    users = dict(Person.objects.filter(pk__in=[pm, manager, head, ceo]).values_list("pk", "user_id"))
    roles = {"pm": users[pm], "manager": users[manager], "head": users[head], "ceo": users[ceo]}
    roles |= {"hr": User.objects.get(email=orggen.HR_EMAIL).pk, "peer": peer_assessment.author.user_id}
    cast = Cast()
    for role, user_id in roles.items():
        cast.clients[role] = Client()
        cast.clients[role].force_login(User.objects.get(pk=user_id))
    cast.urls = {
        "draft": f"/assessments/{draft.pk}/",
        "person": f"/people/{pm}/",
        "comparison": f"/reports/people/{pm}/compare/",
        "promotion": f"/reports/people/{pm}/promotion/",
        "history": f"/reports/people/{pm}/history/",
        "peer": f"/assessments/{peer_assessment.pk}/",
        "progress": f"/reports/cycles/{draft.cycle_id}/progress/",
    }
    cast.notes.append(
        f"the PM's manager has {len(reports[manager])} direct reports; the head {below[head]} people below them; "
        f"the CEO {below[ceo]}"
    )
    return cast


def reporting_tree() -> tuple[dict[int, list[int]], dict[int, int], int]:
    """(direct reports of each generated person, how many people are below each, the CEO)."""
    from assessments import orggen
    from assessments.people.models import Person

    people = list(
        Person.objects.filter(user__email__endswith=f"@{orggen.DOMAIN}").order_by("pk").values_list("pk", "manager_id")
    )
    reports: dict[int, list[int]] = {}
    for pk, manager in people:
        if manager is not None:
            reports.setdefault(manager, []).append(pk)
    below: dict[int, int] = {}
    for pk, _ in reversed(people):  # generate_org writes managers before their reports: count bottom-up
        below[pk] = sum(1 + below[report] for report in reports.get(pk, []))
    ceo = next(pk for pk, manager in people if manager is None)
    return reports, below, ceo


def pm_and_manager(reports: dict[int, list[int]]):
    """(PM, their first-line manager, the PM's draft): the manager with the number of reports nearest 8, and one
    of their reports with a self-assessment part-way through in the open cycle and a shared review behind them."""
    from assessments.reviews.models import Assessment

    first_line = [pk for pk, team in reports.items() if not any(report in reports for report in team)]
    for manager in sorted(first_line, key=lambda pk: (abs(len(reports[pk]) - 8), pk)):
        for pm in reports[manager]:
            draft = Assessment.objects.filter(
                author_id=pm, kind="self", cycle__status="open", status="draft", ratings__scale_level__isnull=False
            ).first()
            if draft and Assessment.objects.filter(subject_id=pm, kind="manager", status="shared").exists():
                return pm, manager, draft
    raise RuntimeError("The generated organisation has no PM with a draft in the open cycle and a shared review.")


def requests_for(cast: Cast) -> dict:
    urls = cast.urls
    return {
        "home": get("/"),
        "assessment": get(urls["draft"]),
        "person": get(urls["person"]),
        "comparison": get(urls["comparison"]),
        "promotion": get(urls["promotion"]),
        "history": get(urls["history"]),
        "autosave": autosave(urls["draft"]),
        "team-8": get("/team/"),
        "heatmap-8": get("/reports/team/"),
        "team-50": get("/team/"),
        "heatmap-50": get("/reports/team/"),
        "team-ceo": get("/team/"),
        "heatmap-ceo": get("/reports/team/"),
        "calibration": get("/reports/calibration/"),
        "progress-hr": get(urls["progress"]),
        "progress-50": get(urls["progress"]),
        "peer-page": get(urls["peer"]),
        # All 164 at once: the page with every area (`?area=all`), posted whole; the page itself shows one area.
        "peer-save": full_save(urls["peer"] + "?area=all"),
    }


def peer_workload():
    """The Django peer DIRECT's workload: one self-assessment of a 164-capability framework, filled in."""
    from assessments.reviews.models import Assessment, Rating, ReviewCycle
    from frameworks.fileformat import import_framework, parse_framework_file
    from frameworks.models import Level
    from tests.factories import make_user

    text = generated_framework_file("peer-164", PEER_CAPABILITIES, tracks=2, levels_per_track=4)
    framework, _ = import_framework(parse_framework_file(text, "peer-164.yaml"), publish=True)
    author = make_user("peer@bench.example", "Pat Peer", level=Level.objects.get(framework=framework, key="t1-l1"))
    target = Level.objects.get(framework=framework, key="t1-l2")
    cycle = ReviewCycle.objects.filter(status="open").first()
    assessment, _ = Assessment.start(subject=author.person, author=author.person, level=target, cycle=cycle)
    working = framework.scale_levels.get(rank=2)
    Rating.objects.filter(assessment=assessment).update(
        scale_level=working, evidence="Ran the discovery sprint with the design team, ahead of the deadline."
    )
    analyze_frameworks()
    return assessment


def analyze_frameworks():
    """The frameworks' statistics as the database has them soon after an import (PostgreSQL's autovacuum analyses a
    table within a minute of that many new rows; generate_org ends with ANALYZE too). Measured at once, the planner
    took the new framework's level for one with no expectations, and the peer's page read them by nested loops:
    the area counts 12.7 ms instead of 1-2."""
    from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track

    with connection.cursor() as cursor:
        for model in (Framework, Track, Level, ScaleLevel, CapabilityArea, Capability, Expectation):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def generated_framework_file(key, capabilities, tracks, levels_per_track):
    """A pathway-framework/1 document with the given size, as a YAML string (every level asks every capability)."""
    import yaml

    scale = [{"key": k, "name": k.title()} for k in ("awareness", "working", "practitioner", "expert")]
    caps_per_area = 8
    areas = [
        {
            "key": f"area-{a // caps_per_area + 1}",
            "name": f"Area {a // caps_per_area + 1}",
            "capabilities": [
                {"key": f"cap-{c + 1}", "name": f"Capability {c + 1}", "description": "Generated."}
                for c in range(a, min(a + caps_per_area, capabilities))
            ],
        }
        for a in range(0, capabilities, caps_per_area)
    ]
    track_list = []
    for t in range(tracks):
        levels = []
        for i in range(levels_per_track):
            rank = min(4, 1 + i * 4 // levels_per_track)
            expectations = {f"cap-{c + 1}": scale[rank - 1]["key"] for c in range(capabilities)}
            levels.append(
                {"key": f"t{t + 1}-l{i + 1}", "name": f"Track {t + 1} level {i + 1}", "grade": i + 1 + t}
                | {"expectations": expectations}
            )
        kind = "ic" if t == 0 else "management"
        track_list.append({"key": f"track-{t + 1}", "name": f"Track {t + 1}", "kind": kind, "levels": levels})
    document = {
        "format": "pathway-framework/1",
        "key": key,
        "name": f"Generated {key}",
        "version": 1,
        "scale": scale,
        "areas": areas,
        "tracks": track_list,
    }
    return yaml.safe_dump(document, sort_keys=False)


# Running it --------------------------------------------------------------------------------------------------------

HEADER = f"{'page':<58} {'people':>7} {'median ms':>10} {'× bare':>8} {'budget':>8} {'queries':>8} {'KB':>7}"


def row(label, people, ms, ratio, budget, queries, kb, mark="") -> str:
    kb = f"{kb:.0f}" if kb != "" else ""
    return f"{label:<58} {people:>7,} {ms:>10.1f} {ratio:>8.1f} {budget:>8} {queries:>8} {kb:>7}  {mark}".rstrip()


def format_result(result: Result) -> str:
    page = result.page
    budget = f"{page.budget:g}×" + (f" {page.max_kb:g}K" if page.max_kb else "")
    if result.error:
        tag = "OVER" if result.error.startswith(("stopped", "not run")) else "ERROR"
        return f"{page.label:<58} {result.people:>7,}  {tag}: {result.error}"
    mark = "OVER" if result.over else ""
    if result.runs < REPEATS:
        mark = f"{mark} ({result.runs} run{'s' if result.runs != 1 else ''})".strip()
    ms = result.median_ms * 1000
    return row(page.label, result.people, ms, result.ratio, budget, result.queries, result.kb, mark)


def bench_size(people: int, slow: dict) -> list[Result]:
    """Generate the organisation, then measure each page in turns with the bare page for the same viewer: the
    ratio compares runs taken side by side, so a machine that slows down meanwhile does not skew it."""
    from assessments import orggen

    started = time.perf_counter()
    summary = orggen.generate(people, cycles=5, seed=1)
    print(f"\n{summary}\n(generate_org took {time.perf_counter() - started:.1f} s)")
    cast = choose_cast(peer_workload())
    print(f"Cast: {'; '.join(cast.notes)}.\n")
    print(HEADER)
    requests = requests_for(cast)
    results, bare_times = [], []
    for page in PAGES:
        if ONLY and page.key not in ONLY:
            continue
        client = cast.clients[page.viewer]
        result = Result(page, people)
        if page.key in slow:
            result.error = f"not run: {slow[page.key]}"
            results.append(result)
            print(format_result(result), flush=True)
            continue
        try:
            found, bare = measure(client, requests[page.key])
        except PageTimeout as error:
            result.error = str(error)
            slow[page.key] = f"a run took over {PAGE_TIMEOUT:g} s at {people:,} people"
        except Exception as error:  # a broken page is reported in the table, and the run goes on
            result.error = f"{type(error).__name__}: {error}"[:200]
        else:
            bare_times += bare.times
            result.median_ms, result.ratio = found.median, found.median / bare.median
            result.queries, result.kb, result.runs = found.queries, found.kb, len(found.times)
            if found.median > SKIP_SECONDS:
                slow[page.key] = (
                    f"{found.median:.0f} s a run at {people:,} people (BENCH_SKIP_SECONDS={SKIP_SECONDS:g})"
                )
        results.append(result)
        print(format_result(result), flush=True)
    if bare_times:
        print(row(f"bare signed-in page ({BARE_URL})", people, statistics.median(bare_times) * 1000, 1, "", "", ""))
    return results


def fresh_database():
    """A new test database for one size: a file for SQLite (an organisation of 20,000 does not belong in memory)."""
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "pathway-bench.sqlite3")
    else:
        # Named after the configured database, so that benches run from different databases never share one.
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def main() -> int:
    if "--list" in sys.argv:
        for page in PAGES:
            print(f"{page.key:<12} {page.label:<58} budget {page.budget:g}×")
        return 0
    unknown = ONLY - {page.key for page in PAGES}
    if unknown:
        print(f"BENCH_ONLY names no such page: {', '.join(sorted(unknown))} (see --list)", file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: static files are not collected here
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a failing page is reported in its row
    setup_test_environment()  # the test client's host and the in-memory email outbox
    # Time the pages as production runs them: DEBUG off (queries are counted by capturing them), and templates
    # rendered without the test instrumentation, which copies the context for every template and include.
    settings.DEBUG = False
    Template._render = _TestState.saved_data.template_render
    print(f"Pathway bench on {connection.vendor}: sizes {', '.join(f'{s:,}' for s in SIZES)}; median of {REPEATS} runs")
    results, slow = [], {}
    for people in SIZES:
        old_name = fresh_database()
        try:
            results += bench_size(people, slow)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print("\n" + HEADER)
    for result in results:
        print(format_result(result))
    over = [result for result in results if result.over]
    if over:
        print(f"\n{len(over)} of {len(results)} over budget:")
        for result in over:
            print(f"  {result.page.key} at {result.people:,} people: {'; '.join(result.over)}")
        return 1
    print(f"\nEvery page within budget ({len(results)} measured).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

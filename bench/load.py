"""Pathway load test (issue 11): 50 signed-in people at once against gunicorn and PostgreSQL, for a bounded minute.

`make load` (with DATABASE_URL=postgres://…) builds `<database>_load` on the same server once (migrations and
`generate_org --people LOAD_PEOPLE`; LOAD_FRESH=1 builds it again), starts gunicorn (LOAD_WORKERS sync workers,
one database connection each) and one task worker (`db_worker`, which makes the PDFs), then runs two phases of
LOAD_SECONDS each with LOAD_USERS people (managers with a draft self-assessment of their own):

  A. each person autosaves ratings of their draft, views pages (home, My team, their own draft, a report's
     person page, comparison and history) and asks for one promotion PDF, polling for it as the page does;
  B. the same, with 6 more people asking for promotion PDFs in parallel all the time.

It prints, per phase and kind of request, how many, their statuses and p50/p95 latency; the lost writes
(autosaves answered 200 whose answer is not what the database holds at the end, or whose count differs from the
ratings' revisions); and the other people's median latency in B against A. It exits 1 when a write was lost,
a request answered 5xx (or failed), or B's median is over LOAD_PDF_SLOWDOWN (3) times A's.
"""

import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "2000"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
WORKER_NICENESS = int(os.environ.get("LOAD_WORKER_NICENESS", "10"))  # 0: the worker at the web server's priority
PDF_PRESSURE = 6
SLOWDOWN = float(os.environ.get("LOAD_PDF_SLOWDOWN", "3"))
PORT = int(os.environ.get("LOAD_PORT", "8199"))
SECRET = secrets.token_urlsafe(40)
RUN = secrets.token_hex(4)
FORM = "application/x-www-form-urlencoded"


# Talking to the server ---------------------------------------------------------------------------------------------


@dataclass
class Record:
    kind: str
    status: int
    seconds: float
    phase: str


@dataclass
class Log:
    """Every request's outcome, shared by the threads."""

    records: list[Record] = field(default_factory=list)
    acknowledged: dict = field(default_factory=dict)  # rating id → (scale, evidence) of the last save answered 200
    acks: int = 0
    pdf_seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record):
        with self.lock:
            self.records.append(record)


class Browser:
    """One signed-in person: their session cookie and CSRF token, one request at a time."""

    def __init__(self, host: str, port: int, session: str, log: Log, phase: str = "A"):
        self.host, self.port, self.log, self.phase = host, port, log, phase
        self.cookies = {"sessionid": session}

    def request(self, kind: str, method: str, url: str, body=None, headers=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if method == "POST":
            headers |= {"Content-Type": FORM, "X-CSRFToken": self.cookies.get("csrftoken", "")}
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            connection.request(method, url, body=urlencode(body) if body else None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self.cookies |= {name: morsel.value for name, morsel in SimpleCookie(cookie).items()}
            connection.close()
        except OSError as error:
            status, content, response = 599, str(error).encode(), None
        self.log.add(Record(kind, status, time.perf_counter() - started, self.phase))
        return status, content, response

    def get(self, kind, url, headers=None):
        return self.request(kind, "GET", url, headers=headers)


def revisions_on(html: str) -> dict[int, int]:
    """capability id → the revision the page (or an autosave's answer) carries."""
    return {int(cap): int(rev) for cap, rev in re.findall(r'id="r(\d+)-revision" value="(\d+)"', html)}


def choices_on(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="r\d+-scale" id="r\d+-scale-(\d+)"', html)))


# One person's minute -------------------------------------------------------------------------------------------------


@dataclass
class Person:
    session: str
    draft: int  # their own draft self-assessment
    ratings: dict  # capability id → rating id
    report: int  # a person they manage, with a shared review
    pdf_report: int  # whose promotion PDF they ask for in this phase


def autosave(browser: Browser, person: Person, state: dict, rng: random.Random):
    capability = rng.choice(list(person.ratings))
    # Every save changes the evidence (this run's own words: a run before it on the same database made the same
    # random choices), so each one answered 200 moves its rating's revision by one.
    state["saves"] += 1
    scale, evidence = rng.choice(state["choices"]), f"Load test {RUN} save {state['saves']} by {browser.phase}"
    prefix = f"r{capability}"
    body = {f"{prefix}-scale": scale, f"{prefix}-evidence": evidence, f"{prefix}-revision": state["rev"][capability]}
    url = f"/assessments/{person.draft}/ratings/{capability}/"
    status, content, _ = browser.request("autosave", "POST", url, body, {"HX-Request": "true"})
    if status == 200:
        state["rev"] |= revisions_on(content.decode())
        with browser.log.lock:
            browser.log.acknowledged[person.ratings[capability]] = (int(scale), evidence)
            browser.log.acks += 1
    elif status == 409:  # someone else saved it: read the page again, as the person would
        state["rev"] |= revisions_on(browser.get("assessment", f"/assessments/{person.draft}/")[1].decode())


def fetch_pdf(browser: Browser, subject: int, until: float) -> float | None:
    """Ask for a promotion PDF and poll for it every 2 s as its page does; the seconds it took, or None."""
    started = time.perf_counter()
    status, _, response = browser.get("pdf", f"/reports/people/{subject}/promotion.pdf")
    if status == 200:
        return time.perf_counter() - started
    if status != 302:
        return None
    status_url = response.headers["Location"]
    page = browser.get("pdf page", status_url)[1].decode()
    values = dict(re.findall(r'"(shown|digest)": "([^"]*)"', page))  # the poll's hx-vals, as htmx sends them
    while time.perf_counter() < until:
        time.sleep(2)
        status, _, response = browser.get("pdf poll", f"{status_url}&{urlencode(values)}", {"HX-Request": "true"})
        if status == 200 and response.headers.get("HX-Refresh"):
            status, _, _ = browser.get("pdf", f"/reports/people/{subject}/promotion.pdf")
            return time.perf_counter() - started if status == 200 else None
        if status not in (200, 204):
            return None
    return None


def person_minute(browser: Browser, person: Person, until: float, seed: str):
    """Autosaves and page views in a random mix, with a pause like a person's between them, and one PDF."""
    rng = random.Random(seed)
    html = browser.get("assessment", f"/assessments/{person.draft}/")[1].decode()
    state = {"rev": revisions_on(html), "choices": choices_on(html), "saves": 0}
    pages = ["/", "/team/", f"/assessments/{person.draft}/", f"/people/{person.report}/"]
    pages += [f"/reports/people/{person.report}/compare/", f"/reports/people/{person.report}/history/"]
    kinds = {"/": "home", "/team/": "team"}
    pdf_at = time.perf_counter() + rng.uniform(0, SECONDS / 3)
    while time.perf_counter() < until:
        if pdf_at and time.perf_counter() >= pdf_at:
            pdf_at = None
            seconds = fetch_pdf(browser, person.pdf_report, until)
            if seconds is not None:
                with browser.log.lock:
                    browser.log.pdf_seconds.append(seconds)
        elif rng.random() < 0.5:
            autosave(browser, person, state, rng)
        else:
            url = rng.choice(pages)
            browser.get(kinds.get(url, url.strip("/").split("/")[-1] if "reports" in url else "page"), url)
        time.sleep(rng.uniform(0.2, 1.0))


def pdf_pressure(browser: Browser, subjects: list[int], until: float):
    """Keep one promotion PDF of someone new in flight, all the time."""
    for subject in subjects:
        if time.perf_counter() >= until:
            return
        fetch_pdf(browser, subject, until)


# The phases -------------------------------------------------------------------------------------------------------


def run_phase(name: str, people: list[Person], pressure: list[tuple[str, list[int]]], log: Log):
    until = time.perf_counter() + SECONDS
    threads = [
        threading.Thread(
            target=person_minute, args=(Browser("127.0.0.1", PORT, p.session, log, name), p, until, f"{name}{i}")
        )
        for i, p in enumerate(people)
    ]
    threads += [
        threading.Thread(target=pdf_pressure, args=(Browser("127.0.0.1", PORT, session, log, f"{name}-pdf"), s, until))
        for session, s in pressure
    ]
    load = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return load, os.getloadavg()[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def others_median(log: Log, phase: str) -> float:
    """The median latency of the people's own requests (not PDFs) in a phase."""
    return statistics.median(r.seconds for r in log.records if r.phase == phase and not r.kind.startswith("pdf"))


def report(log: Log, phase: str, loads: tuple[float, float]):
    records = [r for r in log.records if r.phase.startswith(phase)]
    print(f"\nPhase {phase}: {len(records):,} requests in {SECONDS:g} s (load average {loads[0]:.1f} → {loads[1]:.1f})")
    print(f"  {'request':<14} {'count':>6} {'statuses':<28} {'p50 ms':>8} {'p95 ms':>8}")
    kinds = defaultdict(list)
    for record in records:
        kinds[record.kind if record.phase == phase else f"{record.kind} (+6)"].append(record)
    for kind, group in sorted(kinds.items()):
        statuses = defaultdict(int)
        for record in group:
            statuses[record.status] += 1
        counts = " ".join(f"{status}×{n}" for status, n in sorted(statuses.items()))
        seconds = [r.seconds * 1000 for r in group]
        p50, p95 = percentile(seconds, 0.5), percentile(seconds, 0.95)
        print(f"  {kind:<14} {len(group):>6} {counts:<28} {p50:>8.0f} {p95:>8.0f}")
    everyone = [r.seconds * 1000 for r in records if r.phase == phase and not r.kind.startswith("pdf")]
    p50, p95 = percentile(everyone, 0.5), percentile(everyone, 0.95)
    print(f"  the people's pages and saves: p50 {p50:.0f} ms, p95 {p95:.0f} ms")


# Setting up: the database, the people, the server ----------------------------------------------------------------


def load_database() -> tuple[str, str]:
    """(the URL of `<database>_load` on DATABASE_URL's server, its name); exits when DATABASE_URL is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make load needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/name make load")
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_load"
    return parts._replace(path=f"/{name}").geturl(), name


def manage(url: str, *args: str):
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(url: str, name: str):
    """Create the load database with its organisation, unless it is there already (LOAD_FRESH=1: again)."""
    import psycopg

    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("LOAD_FRESH"):
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput", "--verbosity", "0")
    if not exists:
        print(f"Generating {PEOPLE:,} people in {name} (once; LOAD_FRESH=1 makes it again)…", flush=True)
        manage(url, "generate_org", "--people", str(PEOPLE), "--verbosity", "0")


# The backend a password sign-in records: the ones before it in AUTHENTICATION_BACKENDS (the sign-in throttle, the
# password gate) only ever refuse, and cannot read a user back from a session.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_for(user) -> str:
    """A signed-in session for `user`, as the sign-in page would make it (without hashing a password 50 times)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = PASSWORD_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def choose_people(count: int) -> tuple[list[Person], list[Person], list[tuple[str, list[int]]]]:
    """(the people of phase A, the same people for phase B, the 6 PDF askers of phase B with whose PDFs they ask
    for): managers with a draft self-assessment in the open cycle and two reports with a shared review."""
    from assessments.people.models import Person as Member
    from assessments.reviews.models import Assessment, Rating

    drafts = dict(
        Assessment.objects.filter(kind="self", status="draft", cycle__status="open").values_list("author_id", "pk")
    )
    reviewed = set(Assessment.objects.filter(kind="manager", status="shared").values_list("subject_id", flat=True))
    teams = defaultdict(list)
    for pk, manager in Member.objects.filter(pk__in=reviewed).order_by("pk").values_list("pk", "manager_id"):
        teams[manager].append(pk)
    chosen = [pk for pk in sorted(drafts) if len(teams.get(pk, [])) >= 3][:count]
    if len(chosen) < count:
        sys.exit(f"The organisation has only {len(chosen)} managers with a draft and three reviewed reports.")
    members = Member.objects.select_related("user").in_bulk(chosen)
    ratings = defaultdict(dict)
    for assessment, capability, rating in Rating.objects.filter(
        assessment_id__in=[drafts[pk] for pk in chosen]
    ).values_list("assessment_id", "capability_id", "pk"):
        ratings[assessment][capability] = rating
    phases = []
    for pdf_index in (1, 2):  # a different report's PDF in each phase, so that each phase makes its PDFs
        phases.append(
            [
                Person(
                    session_for(members[pk].user), drafts[pk], ratings[drafts[pk]], teams[pk][0], teams[pk][pdf_index]
                )
                for pk in chosen
            ]
        )
    taken = set(chosen) | {p.pdf_report for phase in phases for p in phase}
    askers = [pk for pk in sorted(teams, key=lambda pk: -len(teams[pk])) if pk not in taken][:PDF_PRESSURE]
    pressure = []
    for pk in askers:
        subjects = [subject for subject in teams[pk] if subject not in taken]
        taken |= set(subjects)
        pressure.append((session_for(Member.objects.select_related("user").get(pk=pk).user), subjects))
    return phases[0], phases[1], pressure


def start_server(url: str, media: str, logs: Path) -> list[subprocess.Popen]:
    """gunicorn (LOAD_WORKERS sync workers: one request and one database connection each) and one task worker,
    with the production settings (DEBUG off, static files collected), over plain HTTP on 127.0.0.1."""
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": media,
        "SITE_URL": f"http://127.0.0.1:{PORT}",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    web = [str(gunicorn), "pathway.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS)]
    web += ["--timeout", "120", "--backlog", "256", "--log-level", "warning"]
    # The worker runs at a lower CPU priority, as README "Deploying" advises where it shares a machine with the web
    # server: a PDF then takes the CPU only when no page wants it.
    worker = ["nice", "-n", str(WORKER_NICENESS), sys.executable, "manage.py", "db_worker", "--no-reload"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=(logs / f"{name}.log").open("w"), stderr=subprocess.STDOUT)
        for name, command in (("gunicorn", web), ("worker", worker))
    ]
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/accounts/sign-in/")
            if connection.getresponse().status == 200:
                return processes
        except OSError:
            time.sleep(0.5)
    stop(processes)
    sys.exit(f"gunicorn did not answer on port {PORT} within 60 s; see {logs}/gunicorn.log")


def stop(processes: list[subprocess.Popen]):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


# The verdict ------------------------------------------------------------------------------------------------------


def lost_writes(log: Log, initial: dict[int, int]) -> tuple[int, int]:
    """(acknowledged autosaves whose answer is not what is stored, revisions the ratings moved by in all)."""
    from assessments.reviews.models import Rating

    stored = {
        pk: (scale, evidence, revision)
        for pk, scale, evidence, revision in Rating.objects.filter(pk__in=initial).values_list(
            "pk", "scale_level_id", "evidence", "revision"
        )
    }
    lost = sum(1 for pk, answer in log.acknowledged.items() if stored[pk][:2] != answer)
    return lost, sum(stored[pk][2] - initial[pk] for pk in initial)


def verdict(log: Log, initial: dict[int, int]) -> int:
    from assessments.reviews.models import Rating  # noqa: F401 (Django is set up)

    lost, moved = lost_writes(log, initial)
    failed = [r for r in log.records if r.status >= 500]
    a, b = others_median(log, "A"), others_median(log, "B")
    pdfs = sorted(log.pdf_seconds)
    print(f"\nPDFs made for the people: {len(pdfs)}, median {statistics.median(pdfs) if pdfs else 0:.1f} s to download")
    print(f"Autosaves answered 200: {log.acks:,}; the ratings' revisions moved by {moved:,}; lost writes: {lost}")
    print(f"5xx or failed requests: {len(failed)}")
    print(
        f"The people's median latency: {a * 1000:.0f} ms without the 6 PDF askers, {b * 1000:.0f} ms with them "
        f"({b / a:.1f}×; at most {SLOWDOWN:g}×)"
    )
    problems = []
    if lost or moved != log.acks:
        problems.append(f"{lost} lost writes ({log.acks} acknowledged, revisions moved by {moved})")
    if failed:
        problems.append(f"{len(failed)} requests answered 5xx or failed")
    if b > SLOWDOWN * a:
        problems.append(f"the 6 parallel PDFs slowed everyone else {b / a:.1f}× (at most {SLOWDOWN:g}×)")
    print(
        "\n" + ("FAILED: " + "; ".join(problems) if problems else "Passed: no lost writes, no 5xx, PDFs off the path.")
    )
    return 1 if problems else 0


def main() -> int:
    url, name = load_database()
    prepare_database(url, name)
    os.environ |= {
        "DATABASE_URL": url,
        "DEBUG": "1",
        "SECRET_KEY": SECRET,
        "DJANGO_SETTINGS_MODULE": "pathway.settings",
    }
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    from assessments.reviews.models import Rating

    # Renders queued by an earlier run wait for HTML files that went with its media folder.
    DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).delete()
    phase_a, phase_b, pressure = choose_people(USERS)
    initial = dict(Rating.objects.filter(assessment_id__in=[p.draft for p in phase_a]).values_list("pk", "revision"))
    media, logs = tempfile.mkdtemp(prefix="pathway-load-media-"), Path(tempfile.mkdtemp(prefix="pathway-load-logs-"))
    processes = start_server(url, media, logs)
    print(
        f"Pathway load test: {USERS} people for {SECONDS:g} s a phase, gunicorn with {WORKERS} workers on {name} "
        f"({PEOPLE:,} people); logs in {logs}",
        flush=True,
    )
    log = Log()
    try:
        report(log, "A", run_phase("A", phase_a, [], log))
        report(log, "B", run_phase("B", phase_b, pressure, log))
    finally:
        stop(processes)
        shutil.rmtree(media, ignore_errors=True)
    return verdict(log, initial)


if __name__ == "__main__":
    sys.exit(main())

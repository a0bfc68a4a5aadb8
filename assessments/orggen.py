"""A generated organisation at scale, for benchmarks and load tests: `python manage.py generate_org`.

What it builds, deterministic for a seed (the same seed gives the same people, managers and ratings):

- a reporting tree: a CEO, heads under them, layers of managers (3–8 reports each), first-line managers of
  6–10 individual contributors; about six deep at 20,000 people. An HR admin reports to the CEO.
- levels on both default frameworks: each head's branch works on one framework (the branches alternate),
  managers on the management rungs, individual contributors spread over the IC rungs.
- review cycles (by default 5: 4 closed and the newest open; when a cycle is open already, as only one may be,
  the newest reviews go into it), each with a self and a manager assessment of
  everyone with a level (the CEO has no manager assessment), against their next level: drafts, submitted,
  returned, shared, in the proportions of a real cycle; a rating row for every capability the level asks
  for (drafts part-way through), evidence text of realistic length, recommendations, and agreed outcomes on
  some shared reviews.

Fast on purpose (20,000 people, 3 million ratings: about 80 s of CPU on SQLite; bench/README.md has the
timings): users and people are written with `bulk_create` in batches of 2,000 sharing one precomputed password
hash, with their reporting paths; assessments and ratings with COPY on PostgreSQL and `executemany` elsewhere,
into tables whose secondary indexes and constraints are put back once at the end (`_bulk_load`). All of it
skips `save()`, signals and simple-history: the bulk rows have no history, and the `Person` rows are written
here rather than by the user signal. One transaction per phase (the people, then all the reviews); PostgreSQL
ends with VACUUM ANALYZE.

Generated accounts have emails under `@org.example` and cycle names end in "(generated)": `clear()` removes
exactly that, and `generate()` refuses to run a second time on top of an earlier organisation.

This module sits at the top of the assessments app: it may import from every room.
"""

import datetime
import random
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction

from accounts.models import HR_ADMINS_GROUP, User
from assessments.orgclear import clear, generated_users  # noqa: F401 (clear is re-exported for the command)
from assessments.orgplan import (  # noqa: F401 (some are re-exported for the command and the tests)
    BATCH,
    CYCLE_SUFFIX,
    DID,
    DOMAIN,
    HR_EMAIL,
    JOINED,
    NOTES,
    PASSWORD,
    RESULT,
    WHAT,
    WITH,
    Member,
    Rung,
    load_catalogue,
    plan_org,
    tree_shape,
)
from assessments.people.models import Person, Scope
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from assessments.reviews.tallies import refresh_tallies
from assessments.reviews.verdict_sql import refresh_verdicts

# Writing it ------------------------------------------------------------------------------------------------


class AlreadyGenerated(Exception):
    """A generated organisation is there already: clear it first."""


@dataclass
class Summary:
    """What `generate` wrote, and how long each phase took."""

    people: int = 0
    managers: int = 0
    depth: int = 0
    cycles: int = 0
    assessments: int = 0
    ratings: int = 0
    phases: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.phases)

    def __str__(self):
        timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases)
        return (
            f"Generated {self.people:,} people ({self.managers:,} managers, {self.depth} levels deep), "
            f"{self.cycles} review cycles, {self.assessments:,} assessments and {self.ratings:,} ratings "
            f"in {self.seconds:.1f} s ({timing})."
        )


def generate(people: int, cycles: int = 5, seed: int = 1, *, log: Callable[[str], None] | None = None) -> Summary:
    """Write a generated organisation of `people` people (the HR admin included) with `cycles` review cycles,
    the newest open. Raises AlreadyGenerated when one is there already, ValueError for impossible sizes."""
    if people < 2:
        raise ValueError("An organisation needs at least 2 people: someone at the top, and the HR admin.")
    if cycles < 0:
        raise ValueError("The number of review cycles cannot be negative.")
    if generated_users().exists():
        raise AlreadyGenerated(
            f"A generated organisation is there already (accounts @{DOMAIN}): clear it first (generate_org --clear)."
        )
    clock = _Clock(log)
    members = plan_org(people, random.Random(f"{seed}:people"), load_catalogue())
    with transaction.atomic():
        person_ids = _write_people(members)
    clock.done(f"{len(members):,} people")
    summary = Summary(
        people=len(members),
        managers=len({member.manager for member in members if member.manager is not None and member.rung}),
        depth=1 + max(member.depth for member in members),
        cycles=cycles,
    )
    summary.assessments, summary.ratings = _write_reviews(members, person_ids, cycles, seed, clock)
    refresh_tallies()  # the reviews are written around submit, which keeps calibration's tallies
    clock.done("calibration tallies")
    _finish()
    clock.done("sequences and statistics")
    # After the statistics: planned without them, the verdicts' one statement over 3 million ratings ran for
    # over 14 minutes at 20,000 people (30 s with them).
    refresh_verdicts()  # and the stored verdicts
    clock.done("verdicts")
    summary.phases = clock.phases
    return summary


class _Clock:
    """How long each phase took, said as it ends."""

    def __init__(self, log: Callable[[str], None] | None):
        self.log = log or (lambda message: None)
        self.phases: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def done(self, phase: str):
        now = time.perf_counter()
        self.phases.append((phase, now - self.last))
        self.log(f"  {phase}: {now - self.last:.1f} s")
        self.last = now


def _write_reviews(members: list[Member], person_ids: list[int], cycles: int, seed: int, clock: _Clock):
    """Every cycle's assessments and ratings, oldest cycle first, in one transaction. (assessments, ratings) written.

    Only one cycle is open at a time: when one is open already, the newest generated reviews go into it.
    """
    texts = _Texts(random.Random(f"{seed}:texts"))
    open_cycle = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).first()
    totals = [0, 0]
    with transaction.atomic(), _bulk_load(Assessment, Rating):
        for age, (name, starts_on, ends_on) in reversed(list(enumerate(_cycle_dates(cycles)))):
            if age == 0 and open_cycle is not None:
                cycle = open_cycle
            else:
                cycle = ReviewCycle(name=name, starts_on=starts_on, ends_on=ends_on)
                cycle.status = ReviewCycle.Status.OPEN if age == 0 else ReviewCycle.Status.CLOSED
                ReviewCycle.objects.bulk_create([cycle])
            writer = _CycleWriter(cycle, age, members, person_ids, texts, random.Random(f"{seed}:cycle:{age}"))
            assessments, ratings = writer.write()
            totals[0], totals[1] = totals[0] + assessments, totals[1] + ratings
            clock.done(f"{cycle.name} ({assessments:,} assessments, {ratings:,} ratings)")
    clock.done("indexes and constraints put back")
    return totals[0], totals[1]


@contextmanager
def _bulk_load(*models_):
    """Write many rows into the tables of `models_` as both databases advise for bulk loads: without their secondary
    indexes and (on PostgreSQL) unique and foreign key constraints, put back once at the end: one sort per index
    and one join per foreign key, instead of millions of single-row index updates and deferred key lookups.

    Runs inside the caller's transaction, and DDL is transactional on PostgreSQL and SQLite alike: if anything
    fails, the schema is back as it was. The tables are locked meanwhile; this is for a generator, not for a site
    in use.
    """
    tables = [model._meta.db_table for model in models_]
    postgres = connection.vendor == "postgresql"
    if postgres:  # it alters no table with foreign key checks still queued in this transaction (a test's): run them
        connection.check_constraints()
    with connection.cursor() as cursor:
        drop, restore = (_postgres_extras if postgres else _sqlite_extras)(cursor, tables)
        for sql in drop:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in restore:
            cursor.execute(sql)


def _postgres_extras(cursor, tables) -> tuple[list[str], list[str]]:
    """(statements dropping, statements restoring) the foreign keys, unique constraints and plain indexes."""
    quote = connection.ops.quote_name
    keys, uniques, indexes = [], [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [quote(table)],
        )
        for name, kind, definition in cursor.fetchall():
            (keys if kind == "f" else uniques).append((quote(table), quote(name), definition))
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
            [table, quote(table)],
        )
        indexes += cursor.fetchall()
    drop = [f"ALTER TABLE {table} DROP CONSTRAINT {name}" for table, name, _ in keys + uniques]
    drop += [f"DROP INDEX {quote(name)}" for name, _ in indexes]
    restore = [definition for _, definition in indexes]
    restore += [f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for table, name, definition in uniques + keys]
    return drop, restore


def _sqlite_extras(cursor, tables) -> tuple[list[str], list[str]]:
    """(statements dropping, statements restoring) the indexes SQLite lets go (not those inside CREATE TABLE)."""
    found = []
    for table in tables:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
            "ORDER BY name",
            [table],
        )
        found += cursor.fetchall()
    return [f"DROP INDEX {connection.ops.quote_name(name)}" for name, _ in found], [sql for _, sql in found]


def _cycle_dates(count: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The newest first: 2026 H2, 2026 H1, 2025 H2, … (fixed dates, so that a seed always gives the same data)."""
    found, year, half = [], 2026, 2
    for _ in range(count):
        if half == 1:
            found.append((f"{year} H1{CYCLE_SUFFIX}", datetime.date(year, 1, 5), datetime.date(year, 6, 30)))
            year, half = year - 1, 2
        else:
            found.append((f"{year} H2{CYCLE_SUFFIX}", datetime.date(year, 7, 6), datetime.date(year, 12, 18)))
            half = 1
    return found


def _next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _write_people(members: list[Member]) -> list[int]:
    """Users and their Person rows, with ids chosen here so that managers and the reporting paths (Person.path)
    need no second pass."""
    password = make_password(PASSWORD)  # hashed once for everyone: hashing is slow on purpose
    first_user, first_person = _next_id(User), _next_id(Person)
    users = [
        User(
            id=first_user + i,
            email=member.email,
            full_name=member.name,
            password=password,
            is_staff=member.hr_admin,
            date_joined=JOINED,
        )
        for i, member in enumerate(members)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    person_ids = [first_person + i for i in range(len(members))]
    paths: list[str] = []
    people = []
    for i, member in enumerate(members):
        manager = person_ids[member.manager] if member.manager is not None else None
        paths.append(f"{paths[member.manager] if manager else '/'}{person_ids[i]}/")  # managers come first
        person = Person(
            id=person_ids[i],
            user_id=first_user + i,
            job_title=member.job_title,
            level_id=member.rung.pk if member.rung else None,
            manager_id=manager,
            path=paths[i],
        )
        people.append(person)
    Person.objects.bulk_create(people, batch_size=BATCH)
    group, _ = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=first_user + i, group_id=group.pk) for i, m in enumerate(members) if m.hr_admin]
    )
    return person_ids


class _Texts:
    """Evidence, comments and rationales from a small word list: a fixed pool per seed, picked from cheaply."""

    SIZE = 4096

    def __init__(self, rng: random.Random):
        did, what, with_, result = DID.split(), WHAT.split("|"), WITH.split("|"), RESULT.split("|")

        def sentence():
            return f"{rng.choice(did)} {rng.choice(what)} {rng.choice(with_)}, {rng.choice(result)}."

        self.evidence = [" ".join(sentence() for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))) for _ in range(self.SIZE)]
        self.comments = [" ".join(sentence() for _ in range(rng.choice((2, 3, 4)))) for _ in range(self.SIZE)]


class _Rows:
    """Insert many rows of one model fast: COPY on PostgreSQL, executemany elsewhere.

    Skips `save()`, signals and simple-history on purpose. `fields` are attribute names (e.g. "subject_id");
    any other column gets its model default, so a field added to the model later does not break the insert.
    """

    def __init__(self, model, fields: tuple[str, ...]):
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [f for name, f in by_attname.items() if name not in fields and not f.primary_key]
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(by_attname[name].column) for name in fields + tuple(f.attname for f in missing))
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in missing)
        self.width = len(fields) + len(missing)

    def write(self, rows: Iterable[tuple]) -> int:
        if self.defaults:
            rows = (row + self.defaults for row in rows)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            # Table and column names come from the model, quoted; the values travel as parameters.
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({', '.join(['%s'] * self.width)})"  # noqa: S608
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count


ASSESSMENT_FIELDS = (
    "id",
    "subject_id",
    "author_id",
    "level_id",
    "kind",
    "cycle_id",
    "status",
    "overall_comment",
    "recommendation",
    "rationale",
    "return_comment",
    "returned_by_id",
    "returned_at",
    "revision",
    "created_at",
    "updated_at",
    "submitted_at",
    "shared_at",
)
RATING_FIELDS = (
    "assessment_id",
    "capability_id",
    "scale_level_id",
    "not_applicable",
    "evidence",
    "agreed_scale_level_id",
    "agreed_not_applicable",
    "agreed_note",
    "revision",
    "updated_at",
)

DRAFT, SUBMITTED, SHARED, RETURNED = (s.value for s in Assessment.Status)
READY, NOT_YET, NOT_ASSESSED = (
    Assessment.Recommendation.READY.value,
    Assessment.Recommendation.NOT_YET.value,
    Assessment.Recommendation.NOT_ASSESSED.value,
)
# The mix of statuses: (status, weight). A closed cycle was finished by nearly everyone; the open one is under way.
CLOSED_SELF = [(SUBMITTED, 94), (DRAFT, 6)]
CLOSED_MANAGER = [(SHARED, 82), (SUBMITTED, 12), (DRAFT, 6)]
OPEN_SELF = [(DRAFT, 48), (SUBMITTED, 48), (RETURNED, 4)]
OPEN_MANAGER = [(DRAFT, 55), (SUBMITTED, 25), (SHARED, 20)]


RETURN_COMMENT = "Please add evidence for the ratings above the level, and say more about the roadmap work."


def _pick(weighted: list[tuple[str, int]], roll: float) -> str:
    """The status whose share of 100 `roll` (0 ≤ roll < 1) falls in."""
    point = roll * 100
    for status, weight in weighted:
        if point < weight:
            return status
        point -= weight
    return weighted[-1][0]


class _CycleWriter:
    """One cycle: a self and a manager assessment of everyone with a level, with their ratings, in chunks."""

    CHUNK = 20_000  # ratings held before a write

    def __init__(self, cycle, age: int, members: list[Member], person_ids: list[int], texts: _Texts, rng):
        self.cycle, self.age, self.members, self.person_ids = cycle, age, members, person_ids
        self.texts, self.rng = texts, rng
        self.next_id = _next_id(Assessment)
        self.stamps: dict = {}
        self.assessment_rows, self.rating_rows = [], []
        self.writers = (_Rows(Assessment, ASSESSMENT_FIELDS), _Rows(Rating, RATING_FIELDS))
        self.written = [0, 0]

    def write(self) -> tuple[int, int]:
        for index, member in enumerate(self.members):
            if member.rung is not None:
                self._review(index, member)
            if len(self.rating_rows) >= self.CHUNK:
                self._flush()
        self._flush()
        return self.written[0], self.written[1]

    def _flush(self):
        self.written[0] += self.writers[0].write(self.assessment_rows)
        self.written[1] += self.writers[1].write(self.rating_rows)
        self.assessment_rows, self.rating_rows = [], []

    def _stamp(self, day: datetime.date, step: int):
        """A time in working hours on `day` (`step` tens of minutes after 8:00), as the database stores it; cached,
        as a cycle has only a few thousand distinct ones."""
        key = (day, step)
        if key not in self.stamps:
            moment = datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC)
            self.stamps[key] = connection.ops.adapt_datetimefield_value(moment + datetime.timedelta(minutes=10 * step))
        return self.stamps[key]

    def _review(self, index: int, member: Member):
        """The person's self-assessment and their manager's assessment, rated from one shared truth."""
        rng, r = self.rng, self.rng.random
        target = member.rung.target
        top = max(target.scale)
        manager = self.members[member.manager] if member.manager is not None else None
        lean = manager.leniency if manager else 0.0
        base = member.ability - 0.15 * self.age - 0.3  # people grow from cycle to cycle
        own, theirs = [], []
        for _, expected in target.expectations:
            truth = expected + base + r() - 0.5
            own.append(min(top, max(1, round(truth + member.self_bias + (r() - 0.5) * 0.8))))
            theirs.append(min(top, max(1, round(truth + lean + (r() - 0.5) * 0.8))))
        is_open = self.age == 0
        self_status = _pick(OPEN_SELF if is_open else CLOSED_SELF, r())
        started = self.cycle.starts_on + datetime.timedelta(days=rng.randint(0, 40))
        self._add(Assessment.Kind.SELF.value, self_status, index, index, target, own, started)
        if manager is None:
            return
        manager_status = _pick(OPEN_MANAGER if is_open else CLOSED_MANAGER, r())
        agreed_from = own if manager_status == SHARED and self_status == SUBMITTED else None
        started += datetime.timedelta(days=rng.randint(0, 20))
        self._add(
            Assessment.Kind.MANAGER.value, manager_status, index, member.manager, target, theirs, started, agreed_from
        )

    def _add(self, kind, status, subject, author, target: Rung, values, created, agreed_from=None):
        r = self.rng.random
        pk, self.next_id = self.next_id, self.next_id + 1
        rated = len(values)
        if status == DRAFT:  # left part-way down the page, or not begun
            rated = 0 if r() < 0.15 else int(rated * (0.2 + 0.75 * r()))
        when = self._timeline(status, created, rated)
        counts = self._ratings(pk, status, target, values, rated, when.updated, agreed_from)
        self._assessment_row(pk, kind, status, subject, author, target, counts, when)

    def _timeline(self, status, created: datetime.date, rated: int) -> "_Timeline":
        randint, days = self.rng.randint, datetime.timedelta
        submitted = created + days(randint(3, 35)) if status != DRAFT else None
        shared = submitted + days(randint(2, 21)) if status == SHARED else None
        returned = submitted + days(randint(1, 7)) if status == RETURNED else None
        last = shared or returned or submitted or (created + days(randint(0, 20)) if rated else created)
        stamp = self._stamp
        return _Timeline(
            created=stamp(created, randint(0, 59)),
            updated=stamp(last, randint(0, 59)),
            submitted=stamp(submitted, 3) if submitted else None,
            shared=stamp(shared, 6) if shared else None,
            returned=stamp(returned, 9) if returned else None,
        )

    def _ratings(self, pk, status, target: Rung, values, rated: int, updated, agreed_from) -> tuple[int, int, int]:
        """One row per capability the level asks for; the first `rated` answered. Returns (rated, met, agreed):
        how many were answered, met the level's expectation, and have an agreed outcome."""
        rng, r, add, scale = self.rng, self.rng.random, self.rating_rows.append, target.scale
        evidence, share = self.texts.evidence, 0.5 if status == DRAFT else 0.7
        agreeing = agreed_from is not None and r() < 0.35
        agreed = met = 0
        for j, ((capability, expected), value) in enumerate(zip(target.expectations, values, strict=True)):
            if j >= rated:
                add((pk, capability, None, False, "", None, False, "", 1, updated))
                continue
            not_applicable = r() < 0.01
            met += not not_applicable and value >= expected
            # Above the level needs evidence to submit; most other answers have some too.
            text = evidence[rng.getrandbits(12)] if value > expected or r() < share else ""
            agreed_level, note, revision = None, "", 2
            if agreeing and agreed_from[j] != value and r() < 0.5:  # agreed on the person's own view
                agreed_level, revision, agreed = scale[agreed_from[j]], 3, agreed + 1
                note = NOTES[rng.randrange(len(NOTES))] if r() < 0.3 else ""
            level = None if not_applicable else scale[value]
            add((pk, capability, level, not_applicable, text, agreed_level, False, note, revision, updated))
        return rated, met, agreed

    def _assessment_row(self, pk, kind, status, subject, author, target: Rung, counts, when: "_Timeline"):
        rated, met, agreed = counts
        asked = len(target.expectations)
        is_manager = kind == Assessment.Kind.MANAGER.value
        finished = status != DRAFT
        comment = ""
        if finished and (is_manager or self.rng.random() < 0.5):
            comment = self.texts.comments[self.rng.getrandbits(12)]
        recommendation, rationale = NOT_ASSESSED, ""
        if is_manager and finished:
            recommendation = READY if met >= 0.85 * asked else NOT_YET
            first = self.members[subject].name.split()[0]
            rationale = f"{first} meets {met} of the {asked} expectations of {target.name}."
        revision = {DRAFT: 1 + (rated > 0), SUBMITTED: 3, SHARED: 4, RETURNED: 4}[status] + (agreed > 0)
        returned_by = self.person_ids[self.members[subject].manager] if when.returned else None
        self.assessment_rows.append(
            (
                pk,
                self.person_ids[subject],
                self.person_ids[author],
                target.pk,
                kind,
                self.cycle.pk,
                status,
                comment,
                recommendation,
                rationale,
                RETURN_COMMENT if when.returned else "",
                returned_by,
                when.returned,
                revision,
                when.created,
                when.updated,
                when.submitted,
                when.shared,
            )
        )


@dataclass
class _Timeline:
    """When an assessment was started, last changed, submitted, shared and returned, as the database stores it."""

    created: object
    updated: object
    submitted: object
    shared: object
    returned: object


def _finish():
    """Move the id sequences past the ids chosen here; give PostgreSQL's planner fresh statistics."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [User, Person, Assessment]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone then.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    Scope.generation += 1

"""Import people from a CSV file: create new people and update existing ones, matched by email.

Columns (a header row is required; names are case-insensitive, spaces and underscores alike):

    email, name, job title, level, manager email

`level` is written `framework-key/level-key` and must be a level of the published version of that
framework. A level key is unique only on its track, so when two tracks of a framework use the same
key the level is written with its track, `framework-key/track-key/level-key` (always accepted).
`email` and `name` are required; a column left out of the file is left alone for people who
already exist, and a blank cell clears the value (no level yet, no manager).

The whole file is checked before anything is written, and every problem is reported with its row
number (the header is row 1). Nothing is written unless every row is good, and then all rows are
written in one transaction, so a file is imported whole or not at all. Running the same file
again changes nothing.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import User
from assessments.people.models import Person
from frameworks.models import Framework, Level

COLUMNS = ("email", "name", "job_title", "level", "manager_email")
REQUIRED_COLUMNS = ("email", "name")
COLUMN_ALIASES = {"manager": "manager_email", "full_name": "name", "title": "job_title"}
NAME_MAX = User._meta.get_field("full_name").max_length
JOB_TITLE_MAX = Person._meta.get_field("job_title").max_length


class PeopleFileError(Exception):
    """The file as a whole cannot be read (no header, missing or unknown columns)."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class PersonRow:
    number: int  # the row number in the file, counting the header as row 1
    email: str
    name: str
    job_title: str | None  # None when the file has no such column
    level: str | None
    manager_email: str | None

    @property
    def label(self) -> str:
        return f"Row {self.number} ({self.email})" if self.email else f"Row {self.number}"


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def change_count(self) -> int:
        return len(self.created) + len(self.updated)

    @property
    def summary(self) -> str:
        """E.g. "3 people will be created, 2 updated and 1 left unchanged"."""
        if self.errors:
            count = len(self.errors)
            return f"Nothing was imported: the file has {count} {'problem' if count == 1 else 'problems'}."
        verb = "will be" if self.dry_run else ("was" if len(self.created) == 1 else "were")

        def people(count):
            return f"{count} {'person' if count == 1 else 'people'}"

        if not (self.created or self.updated or self.unchanged):
            return "The file has no people in it."
        parts = [f"{people(len(self.created))} {verb} created", f"{len(self.updated)} updated"]
        summary = f"{parts[0]}, {parts[1]}"
        if self.unchanged:
            summary += f" and {len(self.unchanged)} left unchanged"
        return summary


def _column_key(header: str) -> str:
    key = "_".join(header.strip().lower().replace("-", " ").replace("_", " ").split())
    return COLUMN_ALIASES.get(key, key)


def parse_people_csv(text: str) -> list[PersonRow]:
    """Read the rows of a people CSV. Raises PeopleFileError when the header is wrong."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise PeopleFileError(
            ["The file is empty: it needs a header row (email, name, job title, level, manager email)."]
        ) from None
    except csv.Error as error:
        raise PeopleFileError([f"Row 1: the header cannot be read as CSV ({error})."]) from None
    keys = [_column_key(cell) for cell in header]
    problems = []
    unknown = [cell for cell, key in zip(header, keys, strict=True) if key and key not in COLUMNS]
    if unknown:
        problems.append(
            f"Row 1: unknown {'column' if len(unknown) == 1 else 'columns'} {', '.join(repr(c) for c in unknown)}; "
            "the columns are: email, name, job title, level, manager email."
        )
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    if repeated:
        problems.append(f"Row 1: {', '.join(repeated)} appears more than once in the header.")
    missing = [column for column in REQUIRED_COLUMNS if column not in keys]
    if missing:
        problems.append(f"Row 1: the header has no {' or '.join(missing)} column (email and name are required).")
    if problems:
        raise PeopleFileError(problems)
    position = {key: index for index, key in enumerate(keys) if key}
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue

            def cell(column, cells=cells):
                if column not in position:
                    return None
                index = position[column]
                return cells[index].strip() if index < len(cells) else ""

            rows.append(
                PersonRow(
                    number=number,
                    email=(cell("email") or "").lower(),
                    name=cell("name") or "",
                    job_title=cell("job_title"),
                    level=cell("level"),
                    manager_email=None if cell("manager_email") is None else cell("manager_email").lower(),
                )
            )
    except csv.Error as error:
        raise PeopleFileError([f"Row {reader.line_num}: the row cannot be read as CSV ({error})."]) from None
    return rows


def _published_levels() -> tuple[dict[str, list[Level]], dict[str, Framework], set[str]]:
    levels = Level.objects.filter(framework__status=Framework.Status.PUBLISHED).select_related("framework", "track")
    by_framework: dict[str, list[Level]] = {}
    for level in levels:
        by_framework.setdefault(level.framework.key, []).append(level)
    published = {framework.key: framework for framework in Framework.objects.published()}
    known_keys = set(Framework.objects.values_list("key", flat=True))
    return by_framework, published, known_keys


def _resolve_level(row: PersonRow, by_framework, published, known_keys) -> tuple[Level | None, str | None]:
    """The Level a row names, or an error message."""
    if not row.level:
        return None, None
    framework_key, *rest = [part.strip() for part in row.level.split("/")]
    if not framework_key or len(rest) not in (1, 2) or not all(rest):
        return None, (
            f"level {row.level!r} must be written framework-key/level-key or framework-key/track-key/level-key, "
            "e.g. product-tracks/senior-pm or product-tracks/ic/senior-pm."
        )
    if framework_key not in published:
        if framework_key in known_keys:
            return None, f"framework {framework_key!r} has no published version yet, so its levels cannot be used."
        return None, f"unknown level {row.level!r}: there is no framework with the key {framework_key!r}."
    framework, level_key = published[framework_key], rest[-1]
    found = Level.matching_ref(by_framework.get(framework_key, []), "/".join(rest))
    if not found:
        where = f" on the track {rest[0]!r}" if len(rest) == 2 else ""
        return None, (
            f"unknown level {row.level!r}: the published version of {framework.name} "
            f"(version {framework.version}) has no level with the key {level_key!r}{where}."
        )
    if len(found) > 1:
        tracks = " and ".join(f"{level.track.name} ({level.track.key})" for level in found)
        return None, (
            f"level {row.level!r} is ambiguous: {framework.name} has a level {level_key!r} on more than one track "
            f"({tracks}); write it with its track, e.g. {framework_key}/{found[0].track.key}/{level_key}."
        )
    return found[0], None


def _find_loop(start: str, manager_of: dict[str, str | None]) -> list[str] | None:
    """The reporting loop through `start`, if following managers up from `start` comes back to it."""
    path = [start]
    seen = {start}
    current = manager_of.get(start)
    while current:
        if current == start:
            return [*path, start]
        if current in seen:
            return None  # a loop further up that does not pass through `start`: reported on its own rows
        path.append(current)
        seen.add(current)
        current = manager_of.get(current)
    return None


@dataclass
class _Plan:
    row: PersonRow
    user: User | None
    level: Level | None
    changes: list[str]


def import_people(text: str, dry_run: bool = False) -> ImportReport:
    """Check the whole file, then (unless dry_run, and only if every row is good) create and update people."""
    report = ImportReport(dry_run=dry_run)
    try:
        rows = parse_people_csv(text)
    except PeopleFileError as error:
        report.errors.extend(error.messages)
        return report

    emails = {row.email for row in rows if row.email}
    existing = _existing_users(emails | {row.manager_email for row in rows if row.manager_email})
    by_framework, published, known_keys = _published_levels()
    first_row_of: dict[str, int] = {}
    plans: list[_Plan] = []
    for row in rows:
        level, level_problem = _resolve_level(row, by_framework, published, known_keys)
        problems = [
            *_email_problems(row, first_row_of),
            *_name_and_title_problems(row),
            *([level_problem] if level_problem else []),
            *_manager_problems(row, emails, existing),
        ]
        report.errors.extend(f"{row.label}: {problem}" for problem in problems)
        plans.append(_Plan(row=row, user=existing.get(row.email), level=level, changes=[]))

    report.errors.extend(_reporting_loops(rows))
    if report.errors:
        return report
    _sort_changes(report, plans)
    if not dry_run:
        _write(plans)
    return report


def _existing_users(emails: set[str]) -> dict[str, User]:
    """The accounts with these email addresses (any case), by lower-cased email, with their person."""
    return {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("person", "person__level", "person__manager__user")
    }


def _email_problems(row: PersonRow, first_row_of: dict[str, int]) -> list[str]:
    """A missing, invalid or repeated email address; records in `first_row_of` the first row of each address."""
    if not row.email:
        return ["the email address is missing."]
    problems = []
    try:
        validate_email(row.email)
    except ValidationError:
        problems.append(f"{row.email!r} is not a valid email address.")
    if row.email in first_row_of:
        problems.append(f"the email address is also on row {first_row_of[row.email]}; each person goes on one row.")
    else:
        first_row_of[row.email] = row.number
    return problems


def _name_and_title_problems(row: PersonRow) -> list[str]:
    problems = []
    if not row.name:
        problems.append("the name is missing.")
    elif len(row.name) > NAME_MAX:
        problems.append(f"the name is longer than {NAME_MAX} characters.")
    if row.job_title and len(row.job_title) > JOB_TITLE_MAX:
        problems.append(f"the job title is longer than {JOB_TITLE_MAX} characters.")
    return problems


def _manager_problems(row: PersonRow, emails_in_file: set[str], existing: dict[str, User]) -> list[str]:
    """The manager must be someone else, in this file or an active account in Pathway."""
    if not row.manager_email:
        return []
    if row.manager_email == row.email:
        return ["a person cannot be their own manager."]
    if row.manager_email in emails_in_file:
        return []
    manager = existing.get(row.manager_email)
    if manager is None:
        return [f"unknown manager {row.manager_email}: they are not in this file or in Pathway."]
    if not manager.is_active:
        return [f"manager {row.manager_email} has left (their account is closed); choose another manager."]
    return []


def _sort_changes(report: ImportReport, plans: list[_Plan]) -> None:
    """Work out each plan's changes and list its email as created, updated or unchanged."""
    for plan in plans:
        plan.changes = _changes(plan)
        if plan.user is None:
            report.created.append(plan.row.email)
        elif plan.changes:
            report.updated.append(plan.row.email)
        else:
            report.unchanged.append(plan.row.email)


def _reporting_loops(rows: list[PersonRow]) -> list[str]:
    """Rows whose manager, followed upwards through the file and Pathway together, leads back to them."""
    manager_of = {
        email.lower(): (manager or "").lower() or None
        for email, manager in Person.objects.order_by().values_list("user__email", "manager__user__email")
    }
    for row in rows:
        if row.manager_email is not None:
            manager_of[row.email] = row.manager_email or None
    problems = []
    for row in rows:
        if not row.email or row.manager_email == row.email:
            continue  # reported on its own already
        loop = _find_loop(row.email, manager_of)
        if loop:
            problems.append(
                f"{row.label}: the reporting lines would go round in a circle ({' → '.join(loop)}), making "
                f"{row.email} their own indirect manager."
            )
    return problems


def _changes(plan: _Plan) -> list[str]:
    """What importing this row would change for an existing person (empty when nothing would)."""
    row, user = plan.row, plan.user
    if user is None:
        return ["created"]
    person = user.person
    changes = []
    if user.full_name != row.name:
        changes.append("name")
    if row.job_title is not None and person.job_title != row.job_title:
        changes.append("job title")
    if row.level is not None and person.level_id != (plan.level.pk if plan.level else None):
        changes.append("level")
    if row.manager_email is not None:
        current = person.manager.user.email.lower() if person.manager_id else ""
        if current != row.manager_email:
            changes.append("manager")
    return changes


def _write(plans: list[_Plan]) -> None:
    # New people cannot sign in until they set a password through "Forgotten your password?". Django's
    # reset form ignores accounts whose password is marked unusable, so new accounts get the hash of a
    # random secret that is thrown away instead: one hash for the whole file keeps big imports fast.
    placeholder_password = make_password(secrets.token_urlsafe(32))
    with transaction.atomic():
        for plan in plans:
            if plan.user is None:
                plan.user = User.objects.create(
                    email=plan.row.email, full_name=plan.row.name, password=placeholder_password
                )
            elif plan.user.full_name != plan.row.name:
                plan.user.full_name = plan.row.name
                plan.user.save(update_fields=["full_name"])
        wanted = {plan.row.email for plan in plans} | {
            plan.row.manager_email for plan in plans if plan.row.manager_email
        }
        people_by_email = {
            person.email_lower: person
            for person in Person.objects.select_related("user")
            .annotate(email_lower=Lower("user__email"))
            .filter(email_lower__in=wanted)
        }
        for plan in plans:
            if not plan.changes:
                continue
            row = plan.row
            person = people_by_email[row.email]
            if row.job_title is not None:
                person.job_title = row.job_title
            if row.level is not None:
                person.level = plan.level
            if row.manager_email is not None:
                person.manager = people_by_email[row.manager_email] if row.manager_email else None
            person.save()

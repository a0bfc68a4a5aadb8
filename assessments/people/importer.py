"""Import people from a CSV file: create new people and update existing ones, matched by email.

Columns (a header row is required; names are case-insensitive, spaces and underscores alike):

    email, name, job title, level, manager email, department, employee type

`level` is written `framework-key/level-key` and must be a level of the published version of that
framework. A level key is unique only on its track, so when two tracks of a framework use the same
key the level is written with its track, `framework-key/track-key/level-key` (always accepted).
`department` and `employee type` are what HR's level rules read (people/directory.py), as SCIM
sets them. `email` and `name` are required; a column left out of the file is left alone for people who
already exist, and a blank cell clears the value (no level yet, no manager).

The whole file is checked before anything is written, and every problem is reported with its row
number (the header is row 1). Nothing is written unless every row is good, and then all rows are
written in one transaction, so a file is imported whole or not at all. Running the same file
again changes nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from accounts.access import may_change_account
from accounts.models import User
from assessments.people.csvfile import COLUMNS, PeopleFileError, PersonRow, decode_people_csv, parse_people_csv
from assessments.people.import_write import DIRECTORY_FIELDS, Plan, write_people
from assessments.people.models import Person, managers_from_paths
from frameworks.models import Framework, Level
from pathway.text import refused_name_character

__all__ = ["COLUMNS", "ImportReport", "import_people", "parse_people_csv"]

NAME_MAX = User._meta.get_field("full_name").max_length
JOB_TITLE_MAX = Person._meta.get_field("job_title").max_length
# The one-line text columns besides the name: (the row attribute, its words in a message, its longest length)
TEXT_COLUMNS = [
    (attribute, attribute.replace("_", " "), Person._meta.get_field(attribute).max_length)
    for attribute in DIRECTORY_FIELDS
]


@dataclass
class Listed:
    """What a page lists of a long list: the first LISTED items and how many more there are."""

    items: list[str]
    more: int

    LISTED = 50

    @classmethod
    def of(cls, items: list[str]) -> "Listed":
        return cls(items[: cls.LISTED], max(0, len(items) - cls.LISTED))


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
    def errors_listed(self) -> "Listed":
        return Listed.of(self.errors)

    @property
    def created_listed(self) -> "Listed":
        return Listed.of(self.created)

    @property
    def updated_listed(self) -> "Listed":
        return Listed.of(self.updated)

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


def _find_loop(start, manager_of: dict) -> list | None:
    """The reporting loop through `start`, if following managers up from `start` comes back to it."""
    path = [start]
    seen = {start}
    current = manager_of.get(start)
    while current is not None:
        if current == start:
            return [*path, start]
        if current in seen:
            return None  # a loop further up that does not pass through `start`: reported on its own rows
        path.append(current)
        seen.add(current)
        current = manager_of.get(current)
    return None


def import_people(data: str | bytes, dry_run: bool = False, *, by: User | None = None) -> ImportReport:
    """Check the whole file, then (unless dry_run, and only if every row is good) create and update people.

    `by` is the user importing, held to the same rules as the person form (`may_change_account`); None for the
    command line, whose operator holds the database anyway. The file's bytes must be UTF-8.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        rows = parse_people_csv(decode_people_csv(data) if isinstance(data, bytes) else data)
    except PeopleFileError as error:
        report.errors.extend(error.messages)
        return report

    emails = {row.email for row in rows if row.email}
    existing = _existing_users(emails | {row.manager_email for row in rows if row.manager_email})
    by_framework, published, known_keys = _published_levels()
    first_row_of: dict[str, int] = {}
    plans: list[Plan] = []
    for row in rows:
        level, level_problem = _resolve_level(row, by_framework, published, known_keys)
        user = existing.get(row.email)
        problems = [
            *_email_problems(row, first_row_of),
            *_name_and_title_problems(row),
            *([level_problem] if level_problem else []),
            *_manager_problems(row, emails, existing),
            *_account_problems(row, user, by),
        ]
        report.errors.extend(f"{row.label}: {problem}" for problem in problems)
        manager = existing.get(row.manager_email) if row.manager_email else None
        plans.append(Plan(row, user, _person_of(user), level, _person_of(manager), changes=[]))

    report.errors.extend(_reporting_loops(rows, existing))
    if report.errors:
        return report
    _sort_changes(report, plans)
    if not dry_run and report.change_count:
        write_people(plans, by)
    return report


def _person_of(user: User | None) -> Person | None:
    try:
        return user.person if user is not None else None
    except Person.DoesNotExist:
        return None


def _existing_users(emails: set[str]) -> dict[str, User]:
    """The accounts with these email addresses (any case), by lower-cased email, with their person: one query."""
    return {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("person")
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
    """As the person form: a name, a job title, a department and an employee type are one line of plain text
    (pathway.text), within their length."""
    problems = []
    if not row.name:
        problems.append("the name is missing.")
    elif len(row.name) > NAME_MAX:
        problems.append(f"the name is longer than {NAME_MAX} characters.")
    elif found := refused_name_character(row.name):
        problems.append(f"the name must be one line of plain text, but it contains {found}.")
    for attribute, words, longest in TEXT_COLUMNS:
        value = getattr(row, attribute)
        if value and len(value) > longest:
            problems.append(f"the {words} is longer than {longest} characters.")
        elif value and (found := refused_name_character(value)):
            problems.append(f"the {words} must be one line of plain text, but it contains {found}.")
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


def _account_problems(row: PersonRow, user: User | None, by: User | None) -> list[str]:
    """The file may rename an account only where the person form may (the rest is the person's, not the account's)."""
    if user is None or by is None or not row.name or row.name == user.full_name or may_change_account(by, user):
        return []
    return [
        f"the name would change from {user.full_name!r} to {row.name!r}, but only a superuser can change the name "
        "of a superuser’s account. Leave the name as it is, or ask a superuser to import the file."
    ]


def _sort_changes(report: ImportReport, plans: list[Plan]) -> None:
    """Work out each plan's changes and list its email as created, updated or unchanged."""
    for plan in plans:
        plan.changes = _changes(plan)
        if plan.user is None:
            report.created.append(plan.row.email)
        elif plan.changes:
            report.updated.append(plan.row.email)
        else:
            report.unchanged.append(plan.row.email)


def _reporting_loops(rows: list[PersonRow], existing: dict[str, User]) -> list[str]:
    """Rows whose manager, followed upwards through the file and Pathway together, leads back to them.

    Pathway's side of the tree comes from the stored paths of the people already loaded (the file's people and
    their managers): a path names every manager above someone, so no other person is read unless a loop is found
    (for its message).
    """
    known = {email: person for email, user in existing.items() if (person := _person_of(user))}
    node_of = {email: person.pk for email, person in known.items()}
    manager_of: dict = managers_from_paths(known.values())
    for row in rows:
        if row.email and row.manager_email is not None:
            manager = node_of.get(row.manager_email, row.manager_email) if row.manager_email else None
            manager_of[node_of.get(row.email, row.email)] = manager
    loops = []
    for row in rows:
        if row.email and row.manager_email != row.email:  # being one's own manager is reported on its own
            loop = _find_loop(node_of.get(row.email, row.email), manager_of)
            if loop:
                loops.append((row, loop))
    if not loops:
        return []
    email_of = {pk: email for email, pk in node_of.items()}
    others = {node for _, loop in loops for node in loop if isinstance(node, int) and node not in email_of}
    email_of.update(
        (pk, email.lower()) for pk, email in Person.objects.filter(pk__in=others).values_list("pk", "user__email")
    )
    return [
        f"{row.label}: the reporting lines would go round in a circle "
        f"({' → '.join(email_of.get(node, node) for node in loop)}), making {row.email} their own indirect manager."
        for row, loop in loops
    ]


def _changes(plan: Plan) -> list[str]:
    """What importing this row would change for an existing person (empty when nothing would)."""
    row, user, person = plan.row, plan.user, plan.person
    if user is None:
        return ["created"]
    if person is None:
        return ["person"]
    changes = []
    if user.full_name != row.name:
        changes.append("name")
    for attribute, words, _ in TEXT_COLUMNS:
        if getattr(row, attribute) is not None and getattr(person, attribute) != getattr(row, attribute):
            changes.append(words)
    if row.level is not None and person.level_id != (plan.level.pk if plan.level else None):
        changes.append("level")
    if row.manager_email is not None:
        wanted = plan.manager.pk if plan.manager else None
        if (row.manager_email and plan.manager is None) or person.manager_id != wanted:
            changes.append("manager")
    return changes

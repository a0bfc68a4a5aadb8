"""Writing a checked people CSV file: a few statements for every 500 people, never a statement per person.

A 3,000-person file took 16–52 s written a person at a time (a `save`, its history row and its path update for
each), past gunicorn's 30-second timeout. Here the new accounts and people are inserted in batches, every
changed person is updated by one `UPDATE … FROM (VALUES …)` per batch (Django's `bulk_update` builds a CASE
per row and field, which costs more than the database's work), the history gets one row per person changed,
and the reporting paths are worked out in memory from the paths already stored.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from assessments.people.csvfile import PersonRow
from assessments.people.directory import place_people
from assessments.people.models import Person, Scope, managers_from_paths, move_subtree
from frameworks.models import Level
from pathway.sql import update_rows

BATCH = 500  # rows per statement


@dataclass
class Plan:
    row: PersonRow
    user: User | None  # None for someone new
    person: Person | None  # None for someone new (or an account made without its person)
    level: Level | None
    manager: Person | None  # the manager's person when they are in Pathway already
    changes: list[str]


def write_people(plans: list[Plan], by: User | None) -> None:
    """Create and update everyone in `plans` in one transaction; `by` is recorded in the people's history."""
    with transaction.atomic():
        people, created = _create_accounts_and_people(plans)
        changed = []
        for plan in plans:
            row, person = plan.row, people[plan.row.email]
            before = _compared(person)
            for field in DIRECTORY_FIELDS:
                if getattr(row, field) is not None:
                    setattr(person, field, getattr(row, field))
            if row.level is not None and person.level_id != (plan.level.pk if plan.level else None):
                person.level, person.level_rule = plan.level, None  # HR's level: the rules never overwrite it
            if row.manager_email is not None:
                person.manager = people[row.manager_email] if row.manager_email else None
            if _compared(person) != before:
                changed.append(person)
        moved = _place_in_tree([people[plan.row.email] for plan in plans], people.values())
        created_ids = {person.pk for person in created}
        updated = [person for person in changed if person.pk not in created_ids]
        update_rows(Person, [*{person.pk: person for person in [*changed, *moved, *created]}.values()], PERSON_FIELDS)
        # One history row per person: created with what the file says, or changed.
        Person.history.bulk_history_create(created, batch_size=BATCH, default_user=by)
        Person.history.bulk_history_create(updated, batch_size=BATCH, default_user=by, update=True)
        place_people(Person.objects.filter(pk__in=[people[plan.row.email].pk for plan in plans]), by=by)
    Scope.generation += 1


DIRECTORY_FIELDS = ("job_title", "department", "employee_type")  # the file's text columns, as on Person
PERSON_FIELDS = (*DIRECTORY_FIELDS, "level", "level_rule", "manager", "path")


def _compared(person: Person) -> tuple:
    return (*(getattr(person, field) for field in DIRECTORY_FIELDS), person.level_id, person.manager_id)


def _create_accounts_and_people(plans: list[Plan]) -> tuple[dict[str, Person], list[Person]]:
    """Create the new accounts and their people, and rename accounts. Returns every row's person (and every
    manager's already in Pathway) by email, and the people created."""
    # New people cannot sign in until they set a password through "Forgotten your password?". Django's reset
    # form ignores accounts whose password is marked unusable, so new accounts get the hash of a random secret
    # that is thrown away instead: one hash for the whole file keeps big imports fast.
    new_users = [User(email=plan.row.email, full_name=plan.row.name) for plan in plans if not plan.user]
    if new_users:
        password = make_password(secrets.token_urlsafe(32))
        for user in new_users:
            user.password = password
    created_users = iter(User.objects.bulk_create(new_users, batch_size=BATCH))
    renamed = []
    for plan in plans:
        if plan.user is None:
            plan.user = next(created_users)
        elif plan.user.full_name != plan.row.name:
            plan.user.full_name = plan.row.name
            renamed.append(plan.user)
    update_rows(User, renamed, ("full_name",))
    new_people = [
        Person(user=plan.user, level=plan.level, **{name: getattr(plan.row, name) or "" for name in DIRECTORY_FIELDS})
        for plan in plans
        if plan.person is None
    ]
    Person.objects.bulk_create(new_people, batch_size=BATCH)
    people = {plan.row.email: plan.person for plan in plans if plan.person is not None}
    people.update((person.user.email.lower(), person) for person in new_people)
    people.update((plan.manager.user.email.lower(), plan.manager) for plan in plans if plan.manager is not None)
    return people, new_people


def _place_in_tree(file_people: list[Person], known: Iterable[Person]) -> list[Person]:
    """Give the file's people their paths under their managers (in memory; returns those whose path changes) and
    move the people below them who are not in the file: one UPDATE for each file person with such reports whose
    path changes, deepest first, so that a move inside a moved branch is not undone.

    Everyone above a known person (the file's people and their managers) is on that person's stored path, so the
    new paths need nothing else read.
    """
    parent = managers_from_paths(known)  # the known people's managers as the file has set them
    paths: dict[int | None, str] = {None: "/"}

    def path_of(pk: int | None) -> str:
        chain = []
        while pk not in paths:
            chain.append(pk)
            pk = parent.get(pk)
        for lower in reversed(chain):
            paths[lower] = f"{paths[pk]}{lower}/"
            pk = lower
        return paths[pk]

    moved = [(person, new) for person in file_people if (new := path_of(person.pk)) != person.path]
    old_paths = {person.pk: person.path for person, _ in moved if person.path}
    if old_paths:
        with_others_below = (
            Person.objects.filter(manager_id__in=list(old_paths))
            .exclude(pk__in=[person.pk for person in file_people])
            .order_by()
            .values_list("manager_id", flat=True)
            .distinct()
        )
        for pk in sorted(set(with_others_below), key=lambda pk: -len(old_paths[pk])):
            move_subtree(old_paths[pk], paths[pk])
    for person, new in moved:
        person.path = new
    return [person for person, _ in moved]

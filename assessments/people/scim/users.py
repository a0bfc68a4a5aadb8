"""A SCIM User is a person and their account: how one reads as the other, and how the directory's writes land.

userName and emails → the account's email (the primary email if there is one); name, displayName → the full
name; title → job title; userType → employee type; enterprise department and manager → the person's; active:
false → a leaver. Each write is one transaction that records, in the person's history, which token wrote it.
"""

import secrets
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from scim2_models import (
    Email,
    EnterpriseUser,
    ForbiddenException,
    InvalidValueException,
    Manager,
    Meta,
    Name,
    NotFoundException,
    UniquenessException,
    User,
)

from assessments.people.directory import place_from_directory
from assessments.people.models import Person
from assessments.people.scim.groups import leave_all_groups
from assessments.people.scim.models import DirectoryEntry

UserResource = User[EnterpriseUser]


def people():
    """Every person SCIM shows: all but those the directory deleted."""
    return (
        Person.objects.select_related("user", "directory_entry").exclude(directory_entry__removed=True).order_by("pk")
    )


def get_person(person_id: str, *, for_update=False) -> Person:
    query = people()
    if for_update:
        query = query.select_for_update(of=("self",))
    person = query.filter(pk=int(person_id)).first() if person_id.isdigit() else None
    if person is None:
        raise NotFoundException(detail=f"There is no user with id {person_id}.")
    return person


def entry_of(person: Person) -> DirectoryEntry | None:
    try:
        return person.directory_entry
    except DirectoryEntry.DoesNotExist:
        return None


def to_resource(person: Person, base: str) -> UserResource:
    """A person as the directory wrote them; a person Pathway made, from their account."""
    entry = entry_of(person)
    user = person.user
    if entry is None:
        entry = DirectoryEntry(user_name=user.email, formatted_name=user.full_name, display_name=user.full_name)
    name = Name(
        formatted=entry.formatted_name or None,
        given_name=entry.given_name or None,
        family_name=entry.family_name or None,
    )
    resource = UserResource(
        id=str(person.pk),
        external_id=entry.external_id or None,
        user_name=entry.user_name or user.email,
        name=name if name.model_dump(exclude_none=True) else None,
        display_name=entry.display_name or None,
        title=person.job_title or None,
        user_type=person.employee_type or None,
        active=user.is_active,
        emails=[Email(value=user.email, type=entry.email_type or None, primary=entry.email_primary)],
        meta=Meta(resource_type="User", created=user.date_joined, location=f"{base}/Users/{person.pk}"),
    )
    manager = None
    if person.manager_id is not None:
        manager = Manager(value=str(person.manager_id), ref=f"{base}/Users/{person.manager_id}")
    if person.department or manager:
        resource[EnterpriseUser] = EnterpriseUser(department=person.department or None, manager=manager)
    return resource


@dataclass
class Wanted:
    """What the directory wants a user to be, read from a resource."""

    user_name: str
    email: str
    full_name: str
    formatted_name: str
    display_name: str
    given_name: str
    family_name: str
    email_type: str
    email_primary: bool | None
    external_id: str
    job_title: str
    employee_type: str
    department: str
    manager_id: int | None
    active: bool

    @classmethod
    def read(cls, resource: UserResource, person: Person | None, before: UserResource | None = None) -> "Wanted":
        """What `resource` asks for; `before` (the user as they were read) tells which name the directory changed."""
        if not resource.user_name or not resource.user_name.strip():
            raise InvalidValueException(detail="A user needs a userName.")
        emails = resource.emails or []
        email = next((item for item in emails if item.primary), emails[0] if emails else None)
        address = email.value if email and email.value else resource.user_name
        if "@" not in address:
            raise InvalidValueException(detail="A user needs an email address (emails, or a userName that is one).")
        name = resource.name or Name()
        enterprise = resource[EnterpriseUser] or EnterpriseUser()
        return cls(
            user_name=resource.user_name.strip(),
            email=get_user_model().objects.normalize_email(address).lower(),
            full_name=_full_name(resource, person, before, address),
            formatted_name=name.formatted or "",
            display_name=resource.display_name or "",
            given_name=name.given_name or "",
            family_name=name.family_name or "",
            email_type=str(email.type.value if hasattr(email.type, "value") else email.type or "") if email else "",
            email_primary=email.primary if email else None,
            external_id=resource.external_id or "",
            job_title=resource.title or "",
            employee_type=resource.user_type or "",
            department=enterprise.department or "",
            manager_id=_manager_id(enterprise.manager),
            active=resource.active is not False,
        )


def _names(resource: UserResource | None) -> list[str]:
    """name.formatted, displayName and "given family", as sent (blank when absent)."""
    if resource is None:
        return ["", "", ""]
    name = resource.name or Name()
    composed = " ".join(part.strip() for part in (name.given_name, name.family_name) if part and part.strip())
    return [(name.formatted or "").strip(), (resource.display_name or "").strip(), composed]


def _full_name(resource: UserResource, person: Person | None, before: UserResource | None, address: str) -> str:
    """The account's full name: the first of name.formatted, displayName and "given family" that the directory
    changed; when it changed none (or removed them), the name the account has."""
    for new, old in zip(_names(resource), _names(before), strict=True):
        if new and new != old:
            return new
    if person is not None and person.user.full_name:
        return person.user.full_name
    return next((name for name in _names(resource) if name), address)


def _manager_id(manager: Manager | None) -> int | None:
    if manager is None or not manager.value:
        return None
    value = str(manager.value)
    if not value.isdigit() or not people().filter(pk=int(value)).exists():
        raise InvalidValueException(detail=f"The manager {value} is not a user here.")
    return int(value)


@cache
def _unknown_password() -> str:
    # Like the people import: the hash of a secret nobody keeps, so "Forgotten your password?" works, and company
    # sign-in needs none. Hashed once per process: a hash per user would make a big first sync crawl.
    return make_password(secrets.token_urlsafe(32))


def _refuse_clashes(wanted: Wanted, person: Person | None):
    others = Person.objects.exclude(pk=person.pk) if person else Person.objects.all()
    if others.filter(user__email__iexact=wanted.email).exists():
        raise UniquenessException(detail=f"Another user has the email address {wanted.email}.")
    named = Q(directory_entry__user_name__iexact=wanted.user_name) | Q(
        Q(directory_entry__isnull=True) | Q(directory_entry__user_name=""), user__email__iexact=wanted.user_name
    )
    if others.filter(named).exists():
        raise UniquenessException(detail=f"Another user has the userName {wanted.user_name}.")


def create(wanted: Wanted, token) -> Person:
    """A new person from the directory; or a person the directory deleted, back with the same userName."""
    with transaction.atomic():
        removed = (
            Person.objects.select_for_update(of=("self",))
            .filter(directory_entry__removed=True, directory_entry__user_name__iexact=wanted.user_name)
            .first()
        )
        if removed is not None:
            return write(removed, wanted, token, "came back")
        _refuse_clashes(wanted, None)
        user = get_user_model().objects.create(
            email=wanted.email, full_name=wanted.full_name, password=_unknown_password(), is_active=wanted.active
        )
        person = Person.objects.select_related("user").get(user=user)
        return write(person, wanted, token, "created")


def write(person: Person, wanted: Wanted, token, action: str = "updated") -> Person:
    """Make `person` what the directory wants, or change nothing and raise a SCIM error."""
    with transaction.atomic():
        _refuse_clashes(wanted, person)
        user = person.user
        account = (wanted.email, wanted.full_name, wanted.active)
        if user.is_superuser and account != (user.email, user.full_name, user.is_active):
            raise ForbiddenException(detail="Only a superuser can change a superuser’s account.")
        was_active = user.is_active
        user.email, user.full_name, user.is_active = account
        person.job_title = wanted.job_title
        person.employee_type = wanted.employee_type
        person.department = wanted.department
        person.manager_id = wanted.manager_id
        _validate(user, person)
        user.save()
        entry = entry_of(person)
        adding = entry is None
        entry = entry or DirectoryEntry(person=person)
        for field in (
            "user_name",
            "external_id",
            "formatted_name",
            "display_name",
            "given_name",
            "family_name",
            "email_type",
            "email_primary",
        ):
            setattr(entry, field, getattr(wanted, field))
        entry.removed = False
        entry.save(force_insert=adding)
        person.directory_entry = entry
        if was_active and not wanted.active:
            action += ", marked as leaver (active: false)"
        elif wanted.active and not was_active:
            action += ", active again"
        save_with_reason(person, token, action)
        place_from_directory(person)
    return person


def _validate(user, person: Person):
    try:
        # The email address's uniqueness (any case) is `_refuse_clashes`'s, with its own SCIM error (409).
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        person.full_clean(exclude=["user", "level", "path"])
    except ValidationError as error:
        messages = [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in error.message_dict.items()
            for message in items
        ]
        raise InvalidValueException(detail=" ".join(messages)) from error


def save_with_reason(person: Person, token, action: str):
    """Save `person` with a history row that says which SCIM token did what."""
    person._change_reason = f"SCIM token “{token.name}”: {action}"
    person.save()


def remove(person: Person, token):
    """DELETE: the person becomes a leaver, out of the directory's groups; nothing of their history goes."""
    with transaction.atomic():
        user = person.user
        if user.is_superuser:
            raise ForbiddenException(detail="Only a superuser can close a superuser’s account.")
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        entry = entry_of(person) or DirectoryEntry(person=person, user_name=user.email)
        entry.removed = True
        entry.save()
        leave_all_groups(person, token)
        save_with_reason(person, token, "deleted by the directory, marked as leaver")

"""The organisation the policy tables (`test_*_policy.py`) ask about, built once per test module.

    Cleo Chief     CEO, and an HR admin: the "HR admin who is a party" (a manager up every chain below her)
    ├── Hugo Head          the skip-level manager
    │   └── Maya Manager   the direct manager
    │       ├── Priya Product   the subject PM
    │       └── Pete Peer       a peer PM
    ├── Omar Other         a manager in another branch
    │   ├── Olive Other
    │   └── Hal Hr         an HR admin who is a PM (the subject of his own reviews)
    └── Fred Former        Priya's former manager: she moved from him to Maya
        └── Frank Former
    Hana Admin     an HR admin outside the tree

Each module builds it in a module-scoped fixture (`organisation`) inside a transaction rolled back when the
module ends; every test still runs in its own savepoint (the `db` fixture), so what one test changes is
gone for the next. Every viewer is a fresh user object, so nothing cached on a user (`Scope`,
`is_hr_admin`) leaks from one test into another.

A role is a viewer: `Cast.viewer(role)`. "inactive_pm" and "inactive_manager" are Priya and Hugo after
they left (deactivated, still in the tree); "anonymous" is a visitor who is not signed in.

The tables are rows: one test per role, asserting the role's whole row (a dict, one entry per object
state or target) so a failure shows every cell that differs. A cell where the policy breaks the
convention is left out of its row and asserted alone, as it should be, under a strict xfail (`known`).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from assessments.people.models import Person
from assessments.reviews.models import Assessment, ReviewCycle
from tests.assessments.assessment_helpers import make_cycle
from tests.factories import make_framework, make_user

ROLES = (
    "subject",
    "peer",
    "manager",
    "skip_level",
    "other_manager",
    "former_manager",
    "hr",
    "hr_party",
    "inactive_pm",
    "inactive_manager",
    "anonymous",
)

ROLE_NAMES = {
    "subject": "priya",
    "peer": "pete",
    "manager": "maya",
    "skip_level": "hugo",
    "other_manager": "omar",
    "former_manager": "fred",
    "hr": "hana",
    "hr_party": "cleo",
    "inactive_pm": "priya",
    "inactive_manager": "hugo",
    "anonymous": None,
}

INACTIVE = {"inactive_pm", "inactive_manager"}

# name: (full name, manager's name, level key, HR admin)
PEOPLE = {
    "cleo": ("Cleo Chief", None, "mgr-2", True),
    "hugo": ("Hugo Head", "cleo", "mgr-2", False),
    "maya": ("Maya Manager", "hugo", "mgr-1", False),
    "fred": ("Fred Former", "cleo", "mgr-1", False),
    "priya": ("Priya Product", "fred", "ic-2", False),  # moved to Maya below
    "pete": ("Pete Peer", "maya", "ic-2", False),
    "omar": ("Omar Other", "cleo", "mgr-1", False),
    "olive": ("Olive Other", "omar", "ic-1", False),
    "hal": ("Hal Hr", "omar", "ic-2", True),
    "frank": ("Frank Former", "fred", "ic-1", False),
    "hana": ("Hana Admin", None, None, True),
}
EVERYONE = frozenset(PEOPLE)


def _build() -> dict[str, int]:
    framework = make_framework(ic_levels=6, management_levels=6)  # levels to spare: one per object outside cycles
    users: dict[str, User] = {}
    for name, (full_name, manager, level_key, hr_admin) in PEOPLE.items():
        users[name] = make_user(
            f"{name}@example.com",
            full_name,
            password=None,  # no hashing: the tables never sign in
            manager=users[manager] if manager else None,
            level=framework.levels.get(key=level_key) if level_key else None,
            hr_admin=hr_admin,
        )
    # Priya moves from Fred to Maya: Fred is now her former manager.
    priya = users["priya"].person
    priya.manager = users["maya"].person
    priya.save()
    ids = {name: user.pk for name, user in users.items()}
    ids["level"] = framework.levels.get(key="ic-3").pk  # what every assessment is against
    return ids


def organisation(django_db_blocker, then=None):
    """Body of a module-scoped fixture: yield the `Cast` (after `then(cast)`, which may make what the whole
    module asks about), then roll it all back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cast = Cast(_build())
            if then is not None:
                then(cast)
            yield cast
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Cast:
    """The organisation, loaded once for the module: people by name, and a fresh user object per viewer.

    Its Person objects are read, never changed: a test that moves someone saves a fresh copy (the
    savepoint undoes it) and reads again what it asks about, as the next request would.
    """

    def __init__(self, ids: dict):
        self.ids = ids
        self._people = {
            person.user_id: person
            for person in Person.objects.select_related("user").filter(user_id__in=[ids[name] for name in PEOPLE])
        }
        self.objects = {}

    def user(self, name) -> User:
        return self.person(name).user

    def person(self, name) -> Person:
        return self._people[self.ids[name]]

    def pid(self, name) -> int:
        return self.person(name).pk

    def name_of(self, person_id) -> str:
        return next(name for name in PEOPLE if self.pid(name) == person_id)

    def viewer(self, role):
        """A fresh user object (a new request) for a role or a person's name; the inactive roles are
        deactivated first."""
        if role == "anonymous":
            return AnonymousUser()
        pk = self.ids[ROLE_NAMES.get(role, role)]
        if role in INACTIVE:
            User.objects.filter(pk=pk).update(is_active=False)
        return User.objects.get(pk=pk)

    def assessment(self, kind="self", status="draft", *, author=None, subject="priya", cycle=None, level=None):
        """An assessment of `subject` (Priya) against IC level 3; a manager assessment is Maya's unless `author`.

        Made in one INSERT, without ratings and whatever its cycle's status: no policy reads a rating, and a
        closed cycle is a state to ask about, not a reason to refuse.
        """
        author = author or (subject if kind == "self" else "maya")
        now = timezone.now()
        return Assessment.objects.create(
            subject=self.person(subject),
            author=self.person(author),
            level_id=level.pk if level else self.ids["level"],
            kind=kind,
            cycle=cycle,
            status=status,
            submitted_at=now if status in Assessment.SUBMITTED_STATUSES else None,
            shared_at=now if status == Assessment.Status.SHARED else None,
        )

    def cycle(self, name="2026 H2", *, blind=False, closed=False) -> ReviewCycle:
        status = ReviewCycle.Status.CLOSED if closed else ReviewCycle.Status.OPEN
        return make_cycle(name, status=status, blind=blind)


def names(cast: Cast, people) -> set[str]:
    """The cast names of these people (Person objects or ids)."""
    return {cast.name_of(getattr(person, "pk", person)) for person in people}


# Tables ---------------------------------------------------------------------------------------------


def rows(expected, known=None, roles=ROLES):
    """One case per role: (role, its row without the cells listed in `known`). `expected(role)` is the row."""
    known = known or {}
    cases = []
    for role in roles:
        row = {column: value for column, value in expected(role).items() if (role, column) not in known}
        if row:  # a row whose every cell is known asks nothing more
            cases.append(pytest.param(role, row, id=role))
    return cases


def known(cells: dict, raises=None):
    """The cells where the policy once broke the convention: (role, column, the answer the convention gives).
    Each was a strict xfail whose reason said what happened instead; all are mended now, so each is a plain
    case that pins the mend (the reason stays as the case's history). `raises` is kept for the record."""
    return [
        pytest.param(role, column, answer, id=f"{role}-{column}") for (role, column), (answer, _was) in cells.items()
    ]


def answer(call):
    """("ok", result), ("404", message) or ("403", message)."""
    try:
        return "ok", call()
    except Http404 as error:
        return "404", str(error)
    except PermissionDenied as error:
        return "403", str(error)


def assert_sentence(message: str):
    """A 403 says why, in a sentence: a capital, a few words, a full stop."""
    assert message[:1].isupper() and message.endswith(".") and len(message.split()) >= 4, message

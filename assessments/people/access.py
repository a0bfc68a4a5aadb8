"""Access policy for people: who may see a person, and who manages whom. The only place these rules live.

Roles are derived, never typed in: everyone is a PM of themself; a person with reports manages them
and everyone below them; HR admins (the HR admins group, and superusers) see everyone.

The convention, shared by every policy module: outside your scope the answer is a 404, so nobody
learns who or what exists beyond what is theirs to see; inside it, an action you may not take is a
403 with a sentence saying why. The viewer's place in the tree is read at most once per request
(`Scope.of`), and "everyone below" is an indexed prefix query on `Person.path`.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.people.models import Person, Scope, in_hr_admins_group, report_managers_exist, reports_exist


def person_of(user) -> Person:
    """The signed-in user's own Person, with what pages show about it (and whether the user is an HR admin,
    which most pages ask next: `Scope.remember`)."""
    person = (
        Person.objects.with_related()
        .annotate(
            in_hr_admins_group=in_hr_admins_group(),
            reports_exist=reports_exist(),
            report_managers_exist=report_managers_exist(),
        )
        .filter(user=user)
        .first()
    )
    if person is None:
        # Users made before the post_save signal existed (or by raw fixtures) get their profile now.
        Person.objects.get_or_create(user=user)
        person = Person.objects.with_related().get(user=user)
    Scope.remember(user, person)
    return person


def scope_of(user) -> Scope:
    """The user's place in the reporting tree (themself and everyone below), read once per request."""
    return Scope.of(user)


def get_person_for_user(user, pk, *, with_manager=True) -> Person:
    """The person `pk` if `user` may see them (themself, someone below them, or anyone for HR), else 404.
    `with_manager=False`: without their manager (`PersonQuerySet.with_related`), for a page that does not show it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such person.") from None
    person = Person.objects.visible_to(user).with_related(manager=with_manager).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def can_see_person(user, person: Person) -> bool:
    if not signed_in(user):
        return False
    return user.is_hr_admin or Scope.of(user).sees(person)


def is_manager_of(user, person: Person) -> bool:
    """Is `user` one of `person`'s managers, directly or further up the chain? (HR is not, by being HR.)"""
    return signed_in(user) and Scope.of(user).manages(person)


def get_team_manager(user, me: Person, manager_param) -> Person:
    """Whose team My team shows: the reader's own by default; a manager below them (or anyone, for HR)
    when asked for by id. Anyone else is a 404."""
    if manager_param in (None, "", str(me.pk)):
        return me
    return get_person_for_user(user, manager_param)


def can_set_level(user, person: Person) -> bool:
    """A level not yet set (a new joiner's) is set by the person's own manager or by HR; once set, HR changes it."""
    if not signed_in(user):
        return False
    if user.is_hr_admin:
        return True
    return person.level_id is None and person.manager_id is not None and person.manager_id == Scope.of(user).person_id


def require_can_set_level(user, person: Person) -> None:
    """403 with a sentence for someone who may see `person` but not set their level (call get_person_for_user
    first, which answers 404 to everyone else)."""
    if can_set_level(user, person):
        return
    if person.level_id is not None:
        raise PermissionDenied(f"{person.name}’s level is set already; HR changes it in the people administration.")
    manager = f"their manager, {person.manager.name}," if person.manager_id else "their manager"
    raise PermissionDenied(f"Only {manager} or HR can set {person.name}’s level.")


def manages_anyone(user) -> bool:
    """Does anyone report to `user`? (Offers "My team".) Answered by the scope when the page has read it."""
    if not signed_in(user):
        return False
    scope = Scope.known(user)
    if scope is not None and scope.has_reports is not None:
        return scope.has_reports
    return Person.objects.filter(manager__user=user).exists()


def visible_chain(user, chain: list[Person]) -> set[int]:
    """Which of a person's managers (up the chain) `user` may open: all for HR, else themself and below."""
    if not signed_in(user):
        return set()
    if user.is_hr_admin:
        return {person.pk for person in chain}
    return {person.pk for person in chain if Scope.of(user).sees(person)}


def signed_in(user) -> bool:
    """A user who may be asked anything at all: signed in, and not a leaver."""
    return user is not None and user.is_authenticated and user.is_active

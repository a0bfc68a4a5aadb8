"""Who may see whom: the one place the rule lives.

Every view fetches a person through these helpers. Roles are derived, never typed in: everyone
is a PM of themself; a person with reports manages them and everyone below them; HR admins
(the HR admins group, and superusers) see everyone. Anyone outside that scope gets a 404, so
nobody learns who exists beyond what is theirs to see.
"""

from django.http import Http404

from assessments.people.models import Person, ReportingTree


def person_of(user) -> Person:
    """The signed-in user's own Person, with what pages show about it."""
    person = Person.objects.with_related().filter(user=user).first()
    if person is None:
        # Users made before the post_save signal existed (or by raw fixtures) get their profile now.
        Person.objects.get_or_create(user=user)
        person = Person.objects.with_related().get(user=user)
    return person


def get_person_for_user(user, pk) -> Person:
    """The person `pk` if `user` may see them (themself, someone below them, or anyone for HR), else 404."""
    person = Person.objects.visible_to(user).with_related().filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def is_manager_of(user, person: Person) -> bool:
    """Is `user` one of `person`'s managers, directly or further up the chain?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    tree_rows = list(Person.objects.order_by().values_list("id", "manager_id", "user_id"))
    own_id = next((row[0] for row in tree_rows if row[2] == user.pk), None)
    if own_id is None or own_id == person.pk:
        return False
    tree = ReportingTree((person_id, manager_id) for person_id, manager_id, _ in tree_rows)
    return own_id in tree.above(person.pk)


def can_see_person(user, person: Person) -> bool:
    return Person.objects.visible_to(user).filter(pk=person.pk).exists()

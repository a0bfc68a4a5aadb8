"""Access policy for development plans: the only place that decides who may see and change a person's plan.

- A person's plan is theirs and their managers' up the chain (direct, and every manager above): each of them sees
  every item and may add, change, update the status of and remove items. A plan is worked on together.
- Nobody else sees it: other managers, peers, HR admins (who keep the learning resources in the admin, and read
  a plan's progress only in a promotion report they may open).

Outside your scope: 404 (docs/architecture.md).
"""

from django.http import Http404

from assessments.growth.plans import PlanItem
from assessments.people.access import get_person_for_user, is_manager_of, signed_in
from assessments.people.models import Person, Scope


def is_own_plan(user, person: Person) -> bool:
    return signed_in(user) and Scope.of(user).person_id == person.pk


def can_work_on_plan(user, person: Person) -> bool:
    """See and change `person`'s plan: the person, or a manager up their chain."""
    return is_own_plan(user, person) or is_manager_of(user, person)


def get_plan_owner(user, pk) -> Person:
    """The person whose plan `user` asks for, if they may work on it; else 404."""
    person = get_person_for_user(user, pk)
    if not can_work_on_plan(user, person):
        raise Http404("Not found.")
    return person


def get_item_for_user(user, pk) -> PlanItem:
    """A plan item of a plan `user` may work on; else 404."""
    item = PlanItem.objects.select_related("person__user", "capability__framework").filter(pk=pk).first()
    if item is None or not can_work_on_plan(user, item.person):
        raise Http404("Not found.")
    return item

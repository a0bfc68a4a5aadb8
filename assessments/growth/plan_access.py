"""Access policy for development plans: the only place that decides who may see and change a person's plan.

- A person's plan is theirs and their managers' up the chain (direct, and every manager above): each of them sees
  every item and may add, change, update the status of and remove items. A plan is worked on together.
- Nobody else sees it: other managers, peers, HR admins (who keep the learning resources in the admin, and read
  a plan's progress only in a promotion report they may open: `can_read_plan_in_report`).

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


def can_read_plan_in_report(user, person: Person) -> bool:
    """Read `person`'s plan (its progress and items, not a way to change them) in a promotion report on them.

    The person and their managers up the chain, who work on the plan, and HR admins: a promotion report is what HR
    reads to decide, and how the gaps are being closed is part of the case, so HR reads it there, as of the report,
    and still never browses or changes plans. The caller has already checked that `user` may open the report
    (reports/access.py); anyone else who may open it (a manager outside the chain) does not read the plan.
    """
    return can_work_on_plan(user, person) or bool(signed_in(user) and user.is_hr_admin)

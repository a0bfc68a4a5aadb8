"""Development plan items shown beside a review: under each capability of a self-assessment, and in a promotion
report. Who may see them is growth/plan_access.py's; this module only fetches, in one query for all capabilities."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from assessments.growth.plans import PlanItem

SHOWN_PER_CAPABILITY = 5


@dataclass
class PlanForCapability:
    """A capability's plan items (open ones first, soonest due first), SHOWN_PER_CAPABILITY at most."""

    items: list = field(default_factory=list)
    more: int = 0

    def __bool__(self):
        return bool(self.items)


def plan_by_key(person, framework_key: str, capability_keys) -> dict[str, PlanForCapability]:
    """capability key → the person's plan items for it, across framework versions. One query."""
    items = (
        PlanItem.objects.filter(
            person=person, capability__framework__key=framework_key, capability__key__in=set(capability_keys)
        )
        .select_related("capability")
        .order_by("due_on", "pk")
    )
    by_key = defaultdict(PlanForCapability)
    for item in sorted(items, key=lambda item: item.is_done):
        plan = by_key[item.capability.key]
        if len(plan.items) < SHOWN_PER_CAPABILITY:
            plan.items.append(item)
        else:
            plan.more += 1
    return dict(by_key)


def attach_plan(person, framework_key: str, rows) -> None:
    """Give each row (with a `capability`) its `plan`: the person's plan items for that capability. One query."""
    rows = list(rows)
    plans = plan_by_key(person, framework_key, [row.capability.key for row in rows])
    for row in rows:
        row.plan = plans.get(row.capability.key)


def plan_progress(person) -> dict:
    """How the person's whole plan stands: total, done and overdue items, counted in the database (one query)."""
    return PlanItem.objects.filter(person=person).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=PlanItem.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=PlanItem.Status.DONE) & Q(due_on__lt=timezone.localdate())),
    )


def plan_for_report(person, framework_key: str, rows) -> dict:
    """The plan's progress and, per capability of the report (in its order), the items for it. Two queries, or
    one when the plan is empty (the progress says so)."""
    progress = plan_progress(person)
    plans = plan_by_key(person, framework_key, [row.capability.key for row in rows]) if progress["total"] else {}
    by_capability = [(row.capability, plans[row.capability.key]) for row in rows if row.capability.key in plans]
    return {"progress": progress, "by_capability": by_capability}

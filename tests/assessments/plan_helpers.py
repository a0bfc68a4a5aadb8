import datetime

from django.utils import timezone

from assessments.growth.plans import PlanItem
from frameworks.models import Capability


def make_plan_item(
    user, *, by=None, capability=None, days=30, status=PlanItem.Status.PLANNED, action="Lead a discovery"
):
    person = user.person
    capability = capability or Capability.objects.filter(framework_id=person.level.framework_id).order_by("pk").first()
    return PlanItem.objects.create(
        person=person,
        capability=capability,
        action=action,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        status=status,
        created_by=(by or user).person,
    )

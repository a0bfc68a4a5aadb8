"""The demo organisation's development plans, and the learning resources HR keeps per capability.

Each demo PM's plan works on their real gaps: the capabilities below the target level in their latest comparison
(Alex: four to Lead PM; Ravi: product management), or where their own self-assessment put them below it (Bea,
Chloe, Dev), or what their manager asked for (Ella's returned self-assessment). Some items are done, some in
progress; Alex's forum item is overdue. Dates are counted from the day the demo is seeded, so the plan reads as
current. Safe to run again: a missing resource is added; a person who has a plan already is left alone.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from assessments.demo_resources import RESOURCES
from assessments.growth.plans import LearningResource, PlanItem
from assessments.people.models import Person
from frameworks.models import Capability, Framework

DONE, IN_PROGRESS, PLANNED = PlanItem.Status.DONE, PlanItem.Status.IN_PROGRESS, PlanItem.Status.PLANNED


@dataclass(frozen=True)
class Item:
    capability: str
    action: str
    days: int  # due this many days after the demo is seeded (negative: before)
    status: str
    resource: str = ""  # a title in RESOURCES for the capability
    by_manager: bool = False  # added by the manager, from the comparison


PLANS = {
    "alex@example.com": [
        Item(
            "strategic-ownership",
            "Map the whole Blue Badge renewal journey with the councils, paper route included, and agree who owns "
            "each hand-off.",
            -40,
            DONE,
            "Mapping the whole journey",
            by_manager=True,
        ),
        Item(
            "stakeholder-relationship-management",
            "Chair the councils’ forum for a quarter, taking it over from Leo.",
            -6,
            IN_PROGRESS,
            by_manager=True,
        ),
        Item(
            "teaching",
            "Run the accessibility-testing show and tell for two teams outside the directorate.",
            18,
            IN_PROGRESS,
            "Running a good show and tell",
        ),
        Item(
            "applying-user-centred-insights",
            "Plan and observe a round of research with badge holders who renew by phone.",
            45,
            PLANNED,
            "Sitting in on research: a field guide",
        ),
    ],
    "ravi@example.com": [
        Item(
            "product-management",
            "Present the renewals results to the service assessment panel and explain the paper-form decision.",
            -50,
            DONE,
            by_manager=True,
        ),
        Item(
            "product-management",
            "Write the fishing licence service’s one-page product strategy and test it with Leo and the policy lead.",
            14,
            IN_PROGRESS,
            "The one-page product strategy",
            by_manager=True,
        ),
        Item("mentoring", "Mentor Bea through her first alpha, meeting every fortnight.", 60, PLANNED),
    ],
    "bea@example.com": [
        Item(
            "strategic-ownership",
            "Own the school meals problem statement and defend it at the portfolio show and tell.",
            21,
            IN_PROGRESS,
            "Mapping the whole journey",
        ),
        Item(
            "product-leadership",
            "Shadow Ravi at two portfolio reviews, then present Report a pothole at the next one.",
            35,
            PLANNED,
            "Explaining product to senior leaders",
        ),
    ],
    "chloe@example.com": [
        Item(
            "thinking-in-bets",
            "Write the checkout bets down before building, each with the number that would prove it wrong.",
            -120,
            DONE,
            "Writing bets down",
            by_manager=True,
        ),
        Item(
            "strategy-and-roadmap",
            "Draft a twelve-month checkout roadmap tied to outcomes and review it with Grace.",
            -75,
            DONE,
            "From strategy to a twelve-month roadmap",
        ),
        Item(
            "systems-thinking",
            "Map how checkout changes land on support, fraud and finance, and agree one shared measure with them.",
            25,
            IN_PROGRESS,
            "Mapping second-order effects",
        ),
    ],
    "dev@example.com": [
        Item(
            "narratives",
            "Tell the onboarding story at the all-hands, failures included.",
            -110,
            DONE,
        ),
        Item(
            "market-awareness",
            "Review three competitors’ onboarding each quarter and share what we would copy and what we would avoid.",
            30,
            IN_PROGRESS,
            "Competitor review template",
            by_manager=True,
        ),
    ],
    "ella@example.com": [
        Item(
            "vision-setting",
            "Write the payments API’s three-year vision and test it with the five biggest partners.",
            40,
            IN_PROGRESS,
            "Testing a vision with partners",
        ),
        Item(
            "developing-talent",
            "Set up a second rotation into the platform team, building on Sam’s.",
            75,
            PLANNED,
            "Rotations between teams",
            by_manager=True,
        ),
    ],
}


def _resource_url(title: str) -> str:
    return f"https://learning.example.com/{slugify(title)}"


def seed_resources() -> int:
    """Add each demo resource missing from the published version of its framework; count those added."""
    capabilities = Capability.objects.filter(
        framework__status=Framework.Status.PUBLISHED, key__in=RESOURCES
    ).select_related("framework")
    have = set(LearningResource.objects.filter(capability__in=capabilities).values_list("capability_id", "title"))
    missing = [
        LearningResource(capability=capability, title=title, url=_resource_url(title), note=note)
        for capability in capabilities
        for title, note in RESOURCES[capability.key]
        if (capability.pk, title) not in have
    ]
    LearningResource.objects.bulk_create(missing)
    return len(missing)


def _plan_for(person: Person, items: list[Item], today: datetime.date) -> int:
    capabilities = {capability.key: capability for capability in person.level.framework.capabilities.all()}
    resources = {
        (resource.capability_id, resource.title): resource
        for resource in LearningResource.objects.filter(capability__in=capabilities.values())
    }
    made = []
    for item in items:
        capability = capabilities.get(item.capability)
        if capability is None:
            continue
        made.append(
            PlanItem(
                person=person,
                capability=capability,
                action=item.action,
                due_on=today + datetime.timedelta(days=item.days),
                status=item.status,
                resource=resources.get((capability.pk, item.resource)),
                created_by=person.manager if item.by_manager and person.manager_id else person,
            )
        )
    bulk_create_with_history(made, PlanItem)
    return len(made)


def seed_demo_plans() -> str:
    """Add the learning resources and the demo PMs' plans that are not there yet; say what was done."""
    today = timezone.localdate()
    people = Person.objects.filter(user__email__in=PLANS, level__isnull=False).select_related(
        "user", "level__framework", "manager"
    )
    with transaction.atomic():
        resources = seed_resources()
        items = sum(
            _plan_for(person, PLANS[person.user.email], today) for person in people if not person.plan_items.exists()
        )
    if not resources and not items:
        return "Demo development plans already in place: nothing changed."
    return f"Demo development plans added: {items} plan items, {resources} learning resources."

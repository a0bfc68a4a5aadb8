"""The demo organisation's evidence logs: what the demo PMs noted between reviews, and what they cited.

Written for the demo (Ravi, Bea and Alex in Leo's public-services team; Chloe, Dev and Ella in Grace's platform
group). Entries before July 2026 belong to the first half; the 2026 H2 self-assessments offer the later ones and
cite a few. Safe to run again: a person who has a log already is left alone.
"""

import datetime

from django.db import transaction

from assessments.growth.models import EvidenceEntry
from assessments.people.models import Person
from assessments.reviews.citations import Citation
from assessments.reviews.models import Assessment, Rating

# email: [(day, text, link, capability keys, shared, cited in the H2 self-assessment)]
LOGS = {
    "ravi@example.com": [
        (
            "2026-05-20",
            "Ran six interviews with anglers who let their licence lapse. Most did not know it had "
            "expired; the reminder email goes to spam.",
            "",
            ["applying-user-centred-insights"],
            True,
            False,
        ),
        (
            "2026-07-16",
            "Took the licence renewal reminder from email to text message after the spring research. "
            "Renewals in the pilot region rose from 61% to 74% in four weeks.",
            "https://example.com/fishing/renewals",
            ["applying-user-centred-insights", "product-management"],
            True,
            True,
        ),
        (
            "2026-08-27",
            "Facilitated the first joint planning day with the policy team and the contact centre: one "
            "list of problems instead of three.",
            "",
            ["facilitating", "stakeholder-relationship-management"],
            True,
            True,
        ),
        (
            "2026-09-30",
            "Paired with Bea on her first discovery plan; she ran the kick-off on her own.",
            "",
            ["mentoring", "teaching"],
            False,
            False,
        ),
        (
            "2026-10-21",
            "Feedback from Leo after the service assessment: the panel singled out how clearly I "
            "explained why we dropped the paper form.",
            "",
            ["product-management"],
            True,
            False,
        ),
    ],
    "bea@example.com": [
        (
            "2026-08-12",
            "Wrote the discovery plan for the school meals service with Ravi and ran its kick-off.",
            "https://example.com/school-meals/plan",
            ["product-leadership", "strategic-ownership"],
            True,
            False,
        ),
        (
            "2026-10-08",
            "Cut the application form from 14 questions to 6 by reusing what the council already holds.",
            "",
            ["applying-user-centred-insights"],
            False,
            False,
        ),
    ],
    "alex@example.com": [
        (
            "2026-07-09",
            "Agreed one renewal timeline with all 12 pilot councils; the last two signed up after I "
            "visited them with the service designer.",
            "",
            ["stakeholder-relationship-management"],
            True,
            True,
        ),
        (
            "2026-08-20",
            "Wrote the Blue Badge renewals vision for the next two years and tested it with the "
            "director and the councils' forum.",
            "https://example.com/blue-badge/vision",
            ["strategic-ownership"],
            True,
            True,
        ),
        (
            "2026-10-02",
            "Ran a show-and-tell on our accessibility testing for the whole directorate; two teams "
            "have copied the approach since.",
            "",
            ["teaching"],
            True,
            False,
        ),
    ],
    "chloe@example.com": [
        (
            "2026-07-22",
            "Wrote down three bets for the checkout roadmap before we built anything, each with the "
            "number that would prove it wrong.",
            "https://example.com/checkout/bets",
            ["thinking-in-bets", "strategy-and-roadmap"],
            True,
            True,
        ),
        (
            "2026-09-03",
            "Dropped the saved-cards bet after two weeks when the numbers said no, and moved the team "
            "to address lookup.",
            "",
            ["thinking-in-bets", "prioritisation"],
            True,
            True,
        ),
        (
            "2026-10-14",
            "Sat with the support team for a day; three of their top five complaints are now on the roadmap.",
            "",
            ["empathy"],
            True,
            False,
        ),
    ],
    "dev@example.com": [
        (
            "2026-08-05",
            "Told the onboarding story at the all-hands: what we tried, what failed, and the 9-point "
            "lift in week-one retention.",
            "",
            ["narratives"],
            True,
            True,
        ),
        (
            "2026-09-17",
            "Helped the payments team set up their first experiment using our onboarding playbook.",
            "",
            ["developing-talent", "systems-thinking"],
            False,
            False,
        ),
    ],
    "ella@example.com": [
        (
            "2026-07-28",
            "Published the payments API roadmap for the next year, with the partners' top requests "
            "and what we will not do.",
            "https://example.com/payments-api/roadmap",
            ["vision-setting"],
            True,
            False,
        ),
        (
            "2026-09-09",
            "Set up Sam's three-month rotation into the platform team; Sam now leads the webhook work.",
            "",
            ["developing-talent"],
            True,
            False,
        ),
    ],
}


def _entries_for(person: Person, rows) -> list[tuple[EvidenceEntry, list[str], bool]]:
    capabilities = {capability.key: capability for capability in person.level.framework.capabilities.all()}
    made = []
    for day, text, link, keys, shared, cited in rows:
        entry = EvidenceEntry.objects.create(
            person=person,
            author=person,
            happened_on=datetime.date.fromisoformat(day),
            text=text,
            link=link,
            shared=shared,
        )
        entry.capabilities.set([capabilities[key] for key in keys if key in capabilities])
        made.append((entry, [key for key in keys if key in capabilities], cited))
    return made


def _cite(person: Person, made) -> int:
    """Cite the chosen entries in the person's 2026 H2 self-assessment (written around the lock: it is seed data)."""
    assessment = Assessment.objects.filter(subject=person, kind=Assessment.Kind.SELF, cycle__name="2026 H2").first()
    if assessment is None:
        return 0
    ratings = {
        rating.capability.key: rating
        for rating in Rating.objects.filter(assessment=assessment).select_related("capability")
    }
    cited = 0
    for entry, keys, cite in made:
        for key in keys if cite else []:
            if key in ratings:
                Citation.objects.get_or_create(rating=ratings[key], entry=entry)
                cited += 1
    return cited


def seed_demo_evidence() -> str:
    """Add the demo PMs' evidence logs if they have none yet; say what was done."""
    people = {
        person.user.email: person
        for person in Person.objects.filter(user__email__in=LOGS, level__isnull=False).select_related("user", "level")
    }
    entries = cited = 0
    with transaction.atomic():
        for email, rows in LOGS.items():
            person = people.get(email)
            if person is None or person.evidence.exists():
                continue
            made = _entries_for(person, rows)
            entries += len(made)
            cited += _cite(person, made)
    if not entries:
        return "Demo evidence logs already in place: nothing changed."
    return f"Demo evidence logs added: {entries} entries, {cited} cited in self-assessments."

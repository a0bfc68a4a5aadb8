"""Demo assessments on top of `seed_demo`'s organisation, so that `make run` shows a lived-in product.

A closed cycle "2026 H1" with submitted self-assessments and shared manager assessments, and an open
cycle "2026 H2" with drafts, a self-assessment waiting for review and a manager's draft. Safe to run
again: a cycle that already has assessments is left alone.
"""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from assessments.assessment_forms import next_level
from assessments.models import Assessment, Person, Rating, ReviewCycle

EVIDENCE = [
    "Ran fortnightly research sessions with caseworkers and changed the roadmap twice because of them: {link}",
    "Wrote the service's outcome measures with the performance analyst and reported on them every month.",
    "Led the alpha assessment; the panel's only red was fixed within the sprint after.",
    "Negotiated the scope cut with policy colleagues so that the private beta could ship on time.",
    "Coached two associate PMs through their first discovery, and they now run their own show and tells.",
    "Set up the prioritisation session the three teams now use each quarter; notes: {link}",
    "Worked with the tech lead to pay down the riskiest technical debt before the peak season.",
    "Presented the business case to the portfolio board and secured funding for the next phase.",
]
LINK = "https://wiki.example.com/product/{slug}"

# (subject email, what happens in H1, what happens in H2)
PLAN = [
    ("ravi@example.com", "shared", "self-draft"),
    ("chloe@example.com", "shared", "self-submitted"),
    ("alex@example.com", "manager-submitted", "manager-draft"),
    ("dev@example.com", "self-only", "self-submitted"),
    ("bea@example.com", None, "self-draft"),
]


def _pick(*parts, modulo):
    digest = hashlib.sha256("/".join(str(part) for part in parts).encode()).hexdigest()
    return int(digest[:8], 16) % modulo


def _rate(assessment: Assessment, author: Person, when: datetime.datetime, *, share=1.0, lean=0):
    """Rate a share of the capabilities near what the level expects (a little above or below), with evidence."""
    scale = {level.rank: level for level in assessment.level.framework.scale_levels.all()}
    expectations = {expectation.capability_id: expectation for expectation in assessment.expectations()}
    ratings = list(assessment.ratings.all())
    changed = []
    for index, rating in enumerate(ratings):
        if index >= round(len(ratings) * share):
            break
        expected = expectations[rating.capability_id]
        offset = (-1, 0, 0, 0, 1)[_pick(assessment.subject_id, rating.capability_id, modulo=5)] + lean
        rank = min(max(expected.scale_level.rank + offset, 1), max(scale))
        rating.scale_level = scale[rank]
        text = EVIDENCE[_pick(author.pk, rating.capability_id, modulo=len(EVIDENCE))]
        rating.evidence = text.format(link=LINK.format(slug=expected.capability.key))
        rating.revision += 1
        rating.updated_at = when
        changed.append(rating)
    if changed:
        bulk_update_with_history(
            changed,
            Rating,
            ["scale_level", "evidence", "revision", "updated_at"],
            default_user=author.user,
            default_date=when,
        )


def _assessment(subject, author, target, cycle, *, status, when, share=1.0, lean=0):
    assessment, _ = Assessment.start(subject=subject, author=author, level=target, cycle=cycle)
    _rate(assessment, author, when, share=share, lean=lean)
    changes = {"created_at": when - datetime.timedelta(days=9), "updated_at": when, "revision": 2}
    if assessment.is_manager_assessment and share == 1.0:
        ready = _pick(subject.pk, target.pk, modulo=2) == 0
        changes.update(
            recommendation=Assessment.Recommendation.READY if ready else Assessment.Recommendation.NOT_YET,
            rationale=(
                f"{subject.name} already works at {target.name} in most capabilities; the gaps are small."
                if ready
                else f"Strong progress; another half-year of leading discovery would make {target.name} clear."
            ),
            overall_comment="A good half: clear priorities, and the team trusts the roadmap.",
        )
    if status in (Assessment.Status.SUBMITTED, Assessment.Status.SHARED):
        changes.update(status=Assessment.Status.SUBMITTED, submitted_at=when)
    if status == Assessment.Status.SHARED:
        changes.update(status=Assessment.Status.SHARED, shared_at=when + datetime.timedelta(days=5))
    Assessment.objects.filter(pk=assessment.pk).update(**changes)
    return assessment


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T10:30"))


def seed_demo_assessments() -> str:
    """Add the demo cycles and assessments if they are not there yet; say what was done."""
    people = {person.user.email: person for person in Person.objects.select_related("user", "level__framework")}
    wanted = [email for email, *_ in PLAN]
    if not all(email in people and people[email].level and people[email].manager_id for email in wanted):
        return "Demo assessments skipped: the demo organisation is not complete."
    done = []
    with transaction.atomic():
        h1, _ = ReviewCycle.objects.get_or_create(
            name="2026 H1",
            defaults={"starts_on": datetime.date(2026, 1, 5), "ends_on": datetime.date(2026, 6, 30)},
        )
        if not h1.assessments.exists():
            ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.OPEN)
            h1.status = ReviewCycle.Status.OPEN
            for email, first_half, _ in PLAN:
                subject = people[email]
                manager = Person.objects.get(pk=subject.manager_id)
                target = next_level(subject.level)
                if first_half is None or target is None:
                    continue
                submitted = Assessment.Status.SUBMITTED
                _assessment(subject, subject, target, h1, status=submitted, when=_at("2026-06-08"))
                if first_half in ("shared", "manager-submitted"):
                    status = Assessment.Status.SHARED if first_half == "shared" else submitted
                    _assessment(subject, manager, target, h1, status=status, when=_at("2026-06-15"), lean=-1)
            ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.CLOSED)
            done.append("2026 H1 (closed)")
        h2, _ = ReviewCycle.objects.get_or_create(
            name="2026 H2",
            defaults={"starts_on": datetime.date(2026, 7, 6), "ends_on": datetime.date(2026, 12, 18)},
        )
        if not h2.assessments.exists() and h2.is_open:
            for email, _, second_half in PLAN:
                subject = people[email]
                manager = Person.objects.get(pk=subject.manager_id)
                target = next_level(subject.level)
                if target is None:
                    continue
                if second_half == "self-draft":
                    _assessment(subject, subject, target, h2, status="draft", when=_at("2026-11-02"), share=0.45)
                elif second_half == "self-submitted":
                    _assessment(subject, subject, target, h2, status="submitted", when=_at("2026-11-10"), lean=1)
                elif second_half == "manager-draft":
                    _assessment(subject, subject, target, h2, status="submitted", when=_at("2026-11-04"))
                    _assessment(subject, manager, target, h2, status="draft", when=_at("2026-11-12"), share=0.3)
            done.append("2026 H2 (open)")
    if not done:
        return "Demo assessments already in place: nothing changed."
    return f"Demo assessments added in the review cycles {' and '.join(done)}."

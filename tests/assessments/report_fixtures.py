"""Helpers for the report tests: reviews (a self-assessment and a manager assessment) made with model calls."""

import datetime

from django.utils import timezone

from assessments.reviews.models import Assessment, Rating, ReviewCycle
from assessments.reviews.tallies import refresh_tallies
from frameworks.models import ScaleLevel

NA = "na"


def make_cycle(name="2026 H1", *, start=datetime.date(2026, 1, 1), blind=False):
    return ReviewCycle.objects.create(
        name=name, starts_on=start, ends_on=start + datetime.timedelta(days=180), blind=blind
    )


def rate(assessment, ranks: dict, evidence: dict | None = None):
    """Give each capability (by key) a rank, NA, or None (left unrated)."""
    scale = {s.rank: s for s in ScaleLevel.objects.filter(framework_id=assessment.level.framework_id)}
    evidence = evidence or {}
    for rating in assessment.ratings.select_related("capability"):
        value = ranks.get(rating.capability.key)
        rating.scale_level = scale[value] if isinstance(value, int) else None
        rating.not_applicable = value == NA
        rating.evidence = evidence.get(rating.capability.key, f"Evidence for {rating.capability.name}.")
        rating.save()
    return assessment


def set_status(assessment, status):
    now = timezone.now()
    fields = {"status": status}
    if status in (Assessment.Status.SUBMITTED, Assessment.Status.SHARED):
        fields["submitted_at"] = now
    if status == Assessment.Status.SHARED:
        fields["shared_at"] = now
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    assessment.refresh_from_db()
    # Written around submit and return, so the fixture refreshes calibration's tally as they would.
    refresh_tallies([assessment])
    return assessment


def make_self(subject_user, level, ranks, *, cycle=None, status="submitted", evidence=None):
    person = subject_user.person
    assessment, _ = Assessment.start(subject=person, author=person, level=level, cycle=cycle)
    rate(assessment, ranks, evidence)
    return set_status(assessment, status)


def make_manager(subject_user, manager_user, level, ranks, *, cycle=None, status="submitted", evidence=None, **details):
    assessment, _ = Assessment.start(subject=subject_user.person, author=manager_user.person, level=level, cycle=cycle)
    rate(assessment, ranks, evidence)
    if details:
        Assessment.objects.filter(pk=assessment.pk).update(**details)
    return set_status(assessment, status)


def make_review(
    subject_user,
    manager_user,
    level,
    self_ranks,
    manager_ranks,
    *,
    cycle=None,
    self_status="submitted",
    manager_status="submitted",
    **details,
):
    details.setdefault("recommendation", Assessment.Recommendation.NOT_YET)
    details.setdefault("rationale", "Strong on users; strategy still growing.")
    mine = (
        make_self(subject_user, level, self_ranks, cycle=cycle, status=self_status) if self_ranks is not None else None
    )
    theirs = make_manager(
        subject_user, manager_user, level, manager_ranks, cycle=cycle, status=manager_status, **details
    )
    return mine, theirs


def agree(manager_assessment, ranks: dict, notes: dict | None = None):
    """Record agreed ratings directly (the view is tested elsewhere)."""
    scale = {s.rank: s for s in ScaleLevel.objects.filter(framework_id=manager_assessment.level.framework_id)}
    notes = notes or {}
    for rating in Rating.objects.filter(assessment=manager_assessment).select_related("capability"):
        if rating.capability.key in ranks:
            value = ranks[rating.capability.key]
            rating.agreed_scale_level = scale[value] if isinstance(value, int) else None
            rating.agreed_not_applicable = value == NA
            rating.agreed_note = notes.get(rating.capability.key, "")
            rating.save()


# The standard review of Priya (IC level 2) against IC level 3, which expects Practitioner (3) everywhere:
# she and Maya disagree on 1.2; both put 2.1 one step below; 1.1 and 2.2 meet it.
SELF_RANKS = {"cap-1-1": 3, "cap-1-2": 3, "cap-2-1": 2, "cap-2-2": 3}
MANAGER_RANKS = {"cap-1-1": 3, "cap-1-2": 2, "cap-2-1": 2, "cap-2-2": 3}

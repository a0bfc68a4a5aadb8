"""Small helpers for assessment tests: start, rate and submit assessments without going through pages."""

from django.urls import reverse

from assessments.reviews.models import Assessment, ReviewCycle
from frameworks.models import Level, ScaleLevel


def level(framework, key) -> Level:
    return framework.levels.get(key=key)


def scale(framework, key) -> ScaleLevel:
    return framework.scale_levels.get(key=key)


def make_cycle(name="2026 H2", *, status=ReviewCycle.Status.OPEN, blind=False, starts_on="2026-07-01"):
    return ReviewCycle.objects.create(
        name=name, starts_on=starts_on, ends_on=starts_on.replace("-07-", "-12-"), status=status, blind=blind
    )


def start(subject_user, author_user, target: Level, cycle=None) -> Assessment:
    assessment, _ = Assessment.start(subject=subject_user.person, author=author_user.person, level=target, cycle=cycle)
    return Assessment.objects.with_related().get(pk=assessment.pk)


def rate_all(assessment: Assessment, scale_key="practitioner", evidence="Led the discovery for the tax service."):
    """Rate every capability at one scale step, with evidence (one UPDATE: the pages' saves are tested elsewhere)."""
    step = assessment.level.framework.scale_levels.get(key=scale_key)
    assessment.ratings.update(scale_level=step, not_applicable=False, evidence=evidence)
    if assessment.is_manager_assessment:
        assessment.refresh_from_db()
        assessment.update_details(
            expected_revision=assessment.revision,
            overall_comment="Strong year.",
            recommendation=Assessment.Recommendation.READY,
            rationale="Meets every expectation.",
        )
    assessment.refresh_from_db()
    return assessment


def submitted(subject_user, author_user, target: Level, cycle=None, **rate) -> Assessment:
    assessment = rate_all(start(subject_user, author_user, target, cycle), **rate)
    assert assessment.submit()
    return Assessment.objects.with_related().get(pk=assessment.pk)


def shared(subject_user, author_user, target: Level, cycle=None, **rate) -> Assessment:
    assessment = submitted(subject_user, author_user, target, cycle, **rate)
    assert assessment.share()
    return Assessment.objects.with_related().get(pk=assessment.pk)


def page_url(assessment) -> str:
    return reverse("assessments:detail", args=[assessment.pk])


def rating_url(assessment, capability) -> str:
    return reverse("assessments:save_rating", args=[assessment.pk, capability.pk])


def page_post_data(assessment, *, action="save", changes=None, revisions=None):
    """The plain form as the page would post it, from what is stored, with `changes` per capability id."""
    changes = changes or {}
    revisions = revisions or {}
    data = {
        "action": action,
        "revision": assessment.revision,
        "overall_comment": assessment.overall_comment,
        "rationale": assessment.rationale,
    }
    if assessment.recommendation != Assessment.Recommendation.NOT_ASSESSED:
        data["recommendation"] = assessment.recommendation
    for rating in assessment.ratings.all():
        prefix = f"r{rating.capability_id}"
        if rating.not_applicable:
            data[f"{prefix}-scale"] = "na"
        elif rating.scale_level_id:
            data[f"{prefix}-scale"] = str(rating.scale_level_id)
        data[f"{prefix}-evidence"] = rating.evidence
        data[f"{prefix}-revision"] = revisions.get(rating.capability_id, rating.revision)
        for name, value in changes.get(rating.capability_id, {}).items():
            data[f"{prefix}-{name}"] = value
    return data


# For the access matrix (tests/test_access_matrix.py): assessments of a user against their next level.


def _next(user):
    from assessments.reviews.forms import next_level

    return next_level(user.person.level)


def self_draft_of(user) -> Assessment:
    return start(user, user, _next(user))


def self_submitted_of(user) -> Assessment:
    return submitted(user, user, _next(user))


def manager_submitted_of(user, manager) -> Assessment:
    return submitted(user, manager, _next(user))


HTMX_HEADERS = {"HTTP_HX_REQUEST": "true"}

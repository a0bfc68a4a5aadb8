"""The calibration figures as they were computed before the database did it: in Python, over every rating.

Kept as the oracle the SQL is compared with (`test_calibration_sql.py`); it reads everything, so only small
fixtures use it.
"""

from collections import Counter
from statistics import mean

from assessments.reports.calibration import RaterStats
from assessments.reports.team import _expectations_by_level, _ratings_by_assessment, _readiness
from assessments.reviews.models import Assessment


def _stats(manager, diffs_expected, diffs_self, people) -> RaterStats:
    return RaterStats(
        manager=manager,
        people=len(people),
        ratings=len(diffs_expected),
        vs_expectation=mean(diffs_expected) if diffs_expected else None,
        vs_self=mean(diffs_self) if diffs_self else None,
        self_pairs=len(diffs_self),
        share_above=(sum(1 for d in diffs_expected if d > 0) / len(diffs_expected)) if diffs_expected else None,
    )


def _submitted_for_calibration(user, scope: list[int] | None, cycle):
    """(manager assessments newest first per subject, self-assessment pk by (subject, level, cycle)), as far as
    `user` may see them."""
    managers_qs = Assessment.objects.visible_to(user).submitted().filter(kind=Assessment.Kind.MANAGER)
    selves_qs = Assessment.objects.visible_to(user).submitted().filter(kind=Assessment.Kind.SELF)
    if scope is not None:
        managers_qs = managers_qs.filter(subject_id__in=scope)
        selves_qs = selves_qs.filter(subject_id__in=scope)
    if cycle is not None:
        managers_qs = managers_qs.filter(cycle=cycle)
        selves_qs = selves_qs.filter(cycle=cycle)
    manager_assessments = list(
        managers_qs.select_related("author__user", "subject__user", "subject__level", "level__framework").order_by(
            "subject_id", "-submitted_at", "-pk"
        )
    )
    self_by_pair = {
        (a.subject_id, a.level_id, a.cycle_id): a.pk for a in selves_qs.only("pk", "subject", "level", "cycle")
    }
    return manager_assessments, self_by_pair


def _rater_stats(manager_assessments, self_by_pair, ratings, expectations) -> tuple[list[RaterStats], RaterStats]:
    """Each manager's differences from expectation and from their people's own ratings, and the organisation's."""
    per_manager: dict[int, dict] = {}
    everyone = {"expected": [], "self": [], "people": set()}
    for assessment in manager_assessments:
        bucket = per_manager.setdefault(
            assessment.author_id, {"manager": assessment.author, "expected": [], "self": [], "people": set()}
        )
        theirs = ratings.get(self_by_pair.get((assessment.subject_id, assessment.level_id, assessment.cycle_id)), {})
        asked = expectations.get(assessment.level_id, {})
        for key, rating in ratings.get(assessment.pk, {}).items():
            if rating.scale_level is None:
                continue
            for target in (bucket, everyone):
                target["people"].add(assessment.subject_id)
            if key in asked:
                diff = rating.scale_level.rank - asked[key].scale_level.rank
                bucket["expected"].append(diff)
                everyone["expected"].append(diff)
            self_rating = theirs.get(key)
            if self_rating is not None and self_rating.scale_level is not None:
                diff = rating.scale_level.rank - self_rating.scale_level.rank
                bucket["self"].append(diff)
                everyone["self"].append(diff)
    raters = sorted(
        (_stats(b["manager"], b["expected"], b["self"], b["people"]) for b in per_manager.values()),
        key=lambda stats: (stats.name.lower(), stats.manager.pk),
    )
    return raters, _stats(None, everyone["expected"], everyone["self"], everyone["people"])


def _readiness_by_level(manager_assessments, ratings, expectations) -> list[tuple]:
    """How many people are ready, nearly or not yet, per level, from each person's newest manager assessment."""
    counts: dict[int, Counter] = {}
    levels: dict[int, object] = {}
    subjects: dict[int, dict] = {}
    seen_subjects = set()
    for assessment in manager_assessments:  # newest first per subject
        if assessment.subject_id in seen_subjects:
            continue
        seen_subjects.add(assessment.subject_id)
        result = _readiness(assessment.subject, assessment.level, expectations, ratings.get(assessment.pk, {}))
        counts.setdefault(assessment.level_id, Counter())[result.verdict.value] += 1
        subjects.setdefault(assessment.level_id, {}).setdefault(result.verdict.value, set()).add(assessment.subject_id)
        levels[assessment.level_id] = assessment.level
    return [
        (levels[pk].name, levels[pk].framework.name, dict(counts[pk]), subjects[pk])
        for pk in sorted(counts, key=lambda pk: (levels[pk].framework.name, levels[pk].grade, levels[pk].name))
    ]


def build_calibration(user, scope, cycle=None):
    """Per manager: how their ratings sit against expectations and against their people's own ratings."""
    manager_assessments, self_by_pair = _submitted_for_calibration(user, scope, cycle)
    ratings = _ratings_by_assessment([a.pk for a in manager_assessments] + list(self_by_pair.values()))
    level_ids = {a.level_id for a in manager_assessments} | {
        a.subject.level_id for a in manager_assessments if a.subject.level_id
    }
    expectations = _expectations_by_level(level_ids)
    raters, organisation = _rater_stats(manager_assessments, self_by_pair, ratings, expectations)
    readiness = _readiness_by_level(manager_assessments, ratings, expectations)
    return raters, organisation, readiness

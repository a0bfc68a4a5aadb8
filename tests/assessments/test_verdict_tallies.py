"""The stored verdicts (`reviews/verdict_sql.py`, `VerdictTally`) are kept right by the actions that change a
verdict, in their transaction, and a verdict stored for an older revision or another current level is never used:
after random submits, shares, undos, agreed outcomes, recommendations and moves between levels, every stored row
still in use equals a recomputation from the ratings, every row carries its assessment's cycle, and what the pages
read equals the verdict computed with nothing stored."""

import random
from collections import Counter

import pytest
from django.db import transaction

from assessments.reports.calibration import calibration_assessments
from assessments.reports.verdicts import readiness_groups, verdicts_for
from assessments.reviews.models import Assessment
from assessments.reviews.verdict_sql import VerdictTally, computed_verdicts, refresh_verdicts
from frameworks.models import ScaleLevel
from tests.assessments.report_fixtures import make_cycle, rate
from tests.assessments.test_calibration_sql import random_org
from tests.factories import make_framework, make_user


def stored() -> dict[int, tuple]:
    """assessment id → counts, for the stored rows that still match their assessment's revision and person's level."""
    rows = VerdictTally.objects.select_related("assessment__subject")
    return {
        row.assessment_id: (row.verdict, row.asked, row.met, row.below_target, row.below_current, row.unrated)
        for row in rows
        if row.revision == row.assessment.revision and row.person_level_id == row.assessment.subject.level_id
    }


def read_with_nothing_stored(managers, read=verdicts_for):
    with transaction.atomic():
        VerdictTally.objects.all().delete()
        found = read(managers)
        transaction.set_rollback(True)
    return found


def in_other_cycles() -> list[int]:
    """Stored verdicts whose cycle is not their assessment's (calibration reads a cycle's rows by it)."""
    rows = VerdictTally.objects.select_related("assessment")
    return [row.assessment_id for row in rows if row.cycle_id != row.assessment.cycle_id]


def test_a_rebuild_stores_what_the_ratings_give_and_the_pages_read_it(db, hr_admin):
    random_org(4, people=16)  # written around the actions: nothing stored yet, every verdict computed
    managers = calibration_assessments(hr_admin, None)
    computed = verdicts_for(managers)
    refresh_verdicts()
    assert stored() == computed_verdicts() and len(stored()) >= len(computed) > 0
    assert verdicts_for(managers) == computed


def test_verdicts_kept_by_the_actions_match_a_recomputation_after_random_changes(db, hr_admin):
    rng = random.Random(11)
    framework = make_framework(areas=2, capabilities_per_area=3)
    levels = list(framework.levels.filter(track__key="ic"))
    scale = list(ScaleLevel.objects.filter(framework=framework))
    cycle = make_cycle()
    boss = make_user("boss@example.com", "Boss", level=framework.levels.get(key="mgr-1")).person
    pairs = []
    for number in range(5):
        person = make_user(f"p{number}@example.com", f"Person {number}", manager=boss.user, level=levels[0]).person
        target = rng.choice(levels)
        mine = rate(Assessment.start(subject=person, author=person, level=target, cycle=cycle)[0], {})
        theirs = rate(Assessment.start(subject=person, author=boss, level=target, cycle=cycle)[0], {})
        pairs.append((mine, theirs))
    happened = Counter()
    for step in range(45):
        mine, theirs = rng.choice(pairs)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        action = rng.choice(["submit", "submit", "share", "undo", "agree", "recommend", "move"])
        for assessment in (mine, theirs):
            if action == "submit" and assessment.is_editable:
                rate(assessment, {r.capability.key: rng.randint(1, 4) for r in assessment.ratings.all()})
                Assessment.objects.filter(pk=assessment.pk).update(recommendation="not-yet", rationale="Growing.")
                assessment.refresh_from_db()
                assert assessment.submit()
                happened[action] += 1
        if action == "share" and theirs.status == "submitted":
            assert theirs.share()
        elif action == "undo" and theirs.can_undo_share:
            assert theirs.undo_share()
        elif action == "agree" and mine.is_submitted and theirs.is_submitted:
            outcomes = {
                r.capability_id: (rng.choice(scale), rng.random() < 0.2, "Agreed.")
                for r in theirs.ratings.all()
                if rng.random() < 0.6
            }
            theirs.record_agreed_outcome(outcomes, expected_revision=theirs.revision)
        elif action in ("share", "undo", "agree") or (action == "recommend" and not theirs.is_submitted):
            continue
        elif action == "recommend" and theirs.is_submitted:
            words = rng.choice(["ready", "nearly", "not-yet"])
            theirs.record_recommendation(
                recommendation=words, rationale=f"Step {step}.", expected_revision=theirs.revision
            )
        elif action == "move":  # HR moves the person: their stored verdict no longer matches, and is not used
            type(boss).objects.filter(pk=theirs.subject_id).update(level=rng.choice([*levels, None]))
        happened[action] += action != "submit"
        theirs.refresh_from_db()
        if theirs.is_submitted and action != "move":
            assert theirs.pk in stored(), f"step {step}: {action} left no usable stored verdict"
        kept = stored()
        assert kept == computed_verdicts(kept), f"after step {step} ({action})"
        managers = Assessment.objects.submitted().filter(kind="manager")
        assert verdicts_for(managers) == read_with_nothing_stored(managers), f"after step {step} ({action})"
        # Calibration's readiness table reads the cycle's stored rows and computes the rest: the same groups.
        in_cycle = managers.filter(cycle=cycle)
        groups = readiness_groups(in_cycle, 2, cycle)
        assert groups == read_with_nothing_stored(in_cycle, lambda m: readiness_groups(m, 2, cycle)), step
        assert in_other_cycles() == [], f"after step {step} ({action})"
    assert set(happened) == {"submit", "share", "undo", "agree", "recommend", "move"}, happened


@pytest.mark.parametrize("deleted", [True, False])
def test_a_manager_assessment_handed_back_to_draft_has_no_verdict(db, deleted):
    framework = make_framework(areas=1, capabilities_per_area=2)
    level = framework.levels.get(key="ic-2")
    boss = make_user("boss@example.com", "Boss", level=framework.levels.get(key="mgr-1")).person
    person = make_user("p@example.com", "Pat", manager=boss.user, level=level).person
    theirs = rate(Assessment.start(subject=person, author=boss, level=level)[0], {"cap-1-1": 3, "cap-1-2": 2})
    Assessment.objects.filter(pk=theirs.pk).update(recommendation="not-yet", rationale="Growing.")
    theirs.refresh_from_db()
    assert theirs.submit() and theirs.pk in stored()
    assert VerdictTally.objects.get().cycle_id is None and in_other_cycles() == []  # outside cycles
    Assessment.objects.filter(pk=theirs.pk).update(status="draft", revision=theirs.revision + 1)
    if deleted:
        VerdictTally.objects.all().delete()
    assert verdicts_for(Assessment.objects.submitted().filter(kind="manager")) == {}

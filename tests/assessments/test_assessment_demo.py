"""seed_demo adds lived-in assessments: a finished closed cycle and an open one part-way through, with ratings
designed so that verdicts, recommendations, the heatmap and calibration tell a consistent story."""

import re
from io import StringIO

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from assessments.demo import EVIDENCE, PLANS, verdict_for
from assessments.reports.calibration import build_calibration
from assessments.reports.readiness import Verdict
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from tests.factories import kept_for_the_module


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module's tests (a second each), rolled back after them."""
    with kept_for_the_module(django_db_blocker), override_settings(DEBUG=True):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def ratings_of(assessment):
    return {
        rating.capability.key: rating.scale_level.rank
        for rating in assessment.ratings.select_related("capability", "scale_level")
        if rating.scale_level
    }


def find(email, kind, cycle):
    return Assessment.objects.select_related("subject__level", "level__framework").get(
        subject__user__email=email, kind=kind, cycle__name=cycle
    )


# Before any test that seeds: the module's demo is there from the first such test to the module's end.
def test_demo_assessments_are_skipped_without_the_demo_organisation(db):
    from assessments.demo import seed_demo_assessments

    assert seed_demo_assessments().startswith("Demo assessments skipped")
    assert not ReviewCycle.objects.exists()


def test_seed_demo_adds_cycles_and_assessments(seeded):
    assert "Demo assessments added in the review cycles 2026 H1 (closed) and 2026 H2 (open)." in seeded
    h1, h2 = ReviewCycle.objects.get(name="2026 H1"), ReviewCycle.objects.get(name="2026 H2")
    assert (h1.status, h2.status) == ("closed", "open")
    # Every submitted assessment is complete and follows the evidence rule.
    for assessment in Assessment.objects.filter(status__in=["submitted", "shared"]):
        assert assessment.problems() == [], assessment
    # Drafts are part-way through, as a person would leave them.
    draft = Assessment.objects.filter(cycle=h2, kind="self", status="draft").first()
    rated, total = draft.progress()
    assert 0 < rated < total
    # The audit trail names who rated.
    assert Rating.history.filter(history_user__email="leo@example.com").exists()


def test_the_closed_cycle_is_finished(seeded):
    in_h1 = Assessment.objects.filter(cycle__name="2026 H1")
    assert set(in_h1.filter(kind="self").values_list("status", flat=True)) == {"submitted"}
    assert set(in_h1.filter(kind="manager").values_list("status", flat=True)) == {"shared"}
    selves = set(in_h1.filter(kind="self").values_list("subject_id", flat=True))
    assert set(in_h1.filter(kind="manager").values_list("subject_id", flat=True)) == selves
    assert in_h1.filter(kind="manager").count() >= 5


def test_the_open_cycle_has_a_mix_of_states(seeded):
    in_h2 = Assessment.objects.filter(cycle__name="2026 H2")
    assert in_h2.filter(kind="self", status="draft").count() >= 2
    assert in_h2.filter(kind="self", status="submitted").count() >= 2
    assert in_h2.filter(kind="manager", status="draft").count() == 1
    assert in_h2.filter(kind="manager", status="shared").count() == 1
    returned = in_h2.get(status="returned")
    assert returned.return_comment and returned.returned_by == returned.subject.manager and returned.returned_at
    # What the comment asks for is really missing: above-level ratings without evidence.
    assert [p.subject for p in returned.problems()] == ["Vision setting", "Identifying and developing talent"]


def test_every_recommendation_follows_the_verdict_of_its_ratings(seeded):
    verdicts = set()
    for assessment in Assessment.objects.filter(kind="manager", status="shared").select_related(
        "subject__level", "subject__user", "level__framework"
    ):
        readiness = verdict_for(assessment.subject, assessment.level, ratings_of(assessment))
        verdicts.add(readiness.verdict)
        ready = readiness.verdict == Verdict.READY
        assert assessment.recommendation == readiness.verdict, assessment
        assert f"meets {readiness.met} of {readiness.asked} expectations" in assessment.rationale
        assert ("for the next promotion round" in assessment.rationale) == ready
    assert verdicts == {Verdict.READY, Verdict.NEARLY, Verdict.NOT_YET}


def test_manager_assessments_have_their_own_comments(seeded):
    comments = list(
        Assessment.objects.filter(kind="manager", status="shared").values_list("overall_comment", flat=True)
    )
    assert all(comments) and len(set(comments)) == len(comments)


def test_self_and_manager_ratings_agree_in_places_and_differ_both_ways(seeded):
    higher = lower = same = 0
    for manager in Assessment.objects.filter(kind="manager", status="shared"):
        mine, theirs = ratings_of(manager), ratings_of(manager.counterpart())
        for key, rank in mine.items():
            higher += theirs[key] > rank
            lower += theirs[key] < rank
            same += theirs[key] == rank
    assert higher and lower and same > higher + lower


def test_history_shows_progress_between_cycles(seeded):
    first = ratings_of(find("alex@example.com", "self", "2026 H1"))
    second = ratings_of(find("alex@example.com", "self", "2026 H2"))
    assert any(second[key] > first[key] for key in first)
    assert all(second[key] >= first[key] for key in first)
    assert find("chloe@example.com", "manager", "2026 H1").recommendation == "nearly"
    assert find("chloe@example.com", "manager", "2026 H2").recommendation == "ready"


def test_calibration_calls_out_the_generous_manager(seeded):
    nadia = User.objects.get(email="nadia@example.com")
    calibration = build_calibration(nadia, None)
    by_name = {rater.name: rater for rater in calibration.raters}
    assert by_name["Grace Park"].vs_expectation >= 0.5
    assert abs(by_name["Leo Lambert"].vs_expectation) <= 0.2
    assert by_name["Leo Lambert"].vs_self < 0 < by_name["Grace Park"].vs_self
    assert any(sentence.startswith("Grace Park rates") for sentence in calibration.outliers)
    assert not any("Leo Lambert" in sentence for sentence in calibration.outliers)


def test_evidence_is_written_for_the_capability_it_supports(seeded):
    keys = set()
    for path in (django_settings.BASE_DIR / "frameworks" / "data").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        keys |= {capability["key"] for area in data["areas"] for capability in area["capabilities"]}
    assert keys == set(EVIDENCE)
    evidence = {
        (rating.capability.key, rating.evidence)
        for rating in Rating.objects.select_related("capability").exclude(evidence="")
    }
    for key, text in evidence:
        templates = [re.escape(variant).replace(re.escape("{product}"), ".+") for variant in EVIDENCE[key]]
        assert any(re.fullmatch(template, text) for template in templates), (key, text)
    assert not any("caseworker" in text for _, text in evidence)
    # Different people get different wording for the same capability.
    assert len({text for key, text in evidence if key == "prioritisation"}) > 1


def test_everyone_planned_has_assessments_and_the_new_joiner_none(seeded):
    subjects = {plan.subject for plan in PLANS}
    assert set(Assessment.objects.values_list("subject__user__email", flat=True)) == subjects
    assert "finn@example.com" not in subjects


def test_seed_demo_assessments_twice_changes_nothing(seeded):
    from assessments.demo import seed_demo_assessments

    before = sorted(Assessment.objects.values_list("pk", "status", "revision", "updated_at"))
    ratings = Rating.history.count()
    assert seed_demo_assessments() == "Demo assessments already in place: nothing changed."
    assert sorted(Assessment.objects.values_list("pk", "status", "revision", "updated_at")) == before
    assert Rating.history.count() == ratings

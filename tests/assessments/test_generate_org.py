"""generate_org: a realistic organisation at scale, the same for the same seed, and valid in every row."""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from accounts.models import User
from assessments import orggen
from assessments.people.models import Person
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from assessments.reviews.tallies import RatingTally
from assessments.reviews.verdict_sql import VerdictTally
from frameworks.models import Expectation
from tests.factories import make_user

PEOPLE, CYCLES = 60, 2


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def generate(*args, **options):
    out = StringIO()
    call_command("generate_org", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def org(db, debug):
    generate(people=PEOPLE, cycles=CYCLES, seed=7)


def generated_people():
    return Person.objects.filter(user__email__endswith="@org.example").select_related("user", "manager__user", "level")


def snapshot():
    """Everything a seed decides, by names rather than database ids."""
    people = sorted(
        (
            p.user.email,
            p.user.full_name,
            p.job_title,
            p.level.key if p.level else "",
            p.manager.user.email if p.manager else "",
        )
        for p in generated_people()
    )
    assessments = sorted(
        Assessment.objects.filter(subject__in=generated_people()).values_list(
            "subject__user__email", "author__user__email", "kind", "cycle__name", "level__key", "status",
            "recommendation", "created_at", "submitted_at",
        )
    )  # fmt: skip
    ratings = sorted(
        Rating.objects.values_list(
            "assessment__subject__user__email", "assessment__cycle__name", "assessment__kind", "capability__key",
            "scale_level__rank", "not_applicable", "evidence", "agreed_scale_level__rank",
        )
    )  # fmt: skip
    return people, assessments, ratings


def test_the_tree_has_one_top_first_line_managers_of_6_to_10_and_an_hr_admin(org):
    people = list(generated_people())
    assert len(people) == PEOPLE
    tops = [p for p in people if p.manager is None]
    assert len(tops) == 1
    ceo = tops[0]
    assert ceo.level.key == "cpo"
    hr = next(p for p in people if p.user.email == orggen.HR_EMAIL)
    assert hr.user.is_hr_admin and hr.user.is_staff and hr.manager == ceo and hr.level is None
    reports = Counter(p.manager_id for p in people if p.manager_id)
    has_reports = set(reports)
    first_line = [pk for pk in has_reports if not any(p.manager_id == pk and p.pk in has_reports for p in people)]
    assert first_line and all(6 <= reports[pk] <= 10 for pk in first_line)
    assert not any(p.user.is_staff for p in people if p != hr)
    frameworks = Counter(p.level.framework.key for p in people if p.level)
    assert set(frameworks) == {"gov-product-management", "product-tracks"}


@pytest.mark.parametrize(("size", "levels"), [(59, 3), (1999, 5), (19999, 6)])
def test_tree_shape_at_scale(size, levels):
    parents = orggen.tree_shape(size, random.Random(1))
    assert len(parents) == size and parents[0] is None and None not in parents[1:]
    assert all(parent < child for child, parent in enumerate(parents) if parent is not None)  # managers come first
    depth = [0] * size
    for child, parent in enumerate(parents[1:], start=1):
        depth[child] = depth[parent] + 1
    assert max(depth) + 1 == levels
    reports = Counter(parent for parent in parents if parent is not None)
    managers = set(reports)
    first_line = [m for m in managers if not any(parents[c] == m for c in managers)]
    assert all(6 <= reports[m] <= 10 for m in first_line)
    assert 2 <= reports[0] <= 15  # the CEO's heads
    assert all(3 <= count <= 10 for manager, count in reports.items() if manager != 0)
    # Someone heads a part of the organisation of about fifty people, as the benchmarks need.
    below = Counter()
    for child in range(size - 1, 0, -1):
        below[parents[child]] += 1 + below[child]
    if size > 1000:
        assert any(40 <= count <= 70 for count in below.values())


def test_the_same_seed_gives_the_same_organisation_and_another_seed_another(db, debug):
    generate(people=PEOPLE, cycles=CYCLES, seed=7)
    first = snapshot()
    generate("--clear", people=PEOPLE, cycles=CYCLES, seed=7)
    assert snapshot() == first
    generate("--clear", people=PEOPLE, cycles=CYCLES, seed=8)
    other = snapshot()
    assert other[0] != first[0] and other[2] != first[2]


def test_every_assessment_has_one_rating_per_capability_its_level_asks_for(org):
    assessments = Assessment.objects.filter(subject__in=generated_people())
    asked = {}
    for level_id, capability_id in Expectation.objects.values_list("level_id", "capability_id"):
        asked.setdefault(level_id, set()).add(capability_id)
    rated = {}
    for assessment_id, capability_id in Rating.objects.values_list("assessment_id", "capability_id"):
        rated.setdefault(assessment_id, []).append(capability_id)
    for assessment in assessments:
        capabilities = rated.get(assessment.pk, [])
        assert len(capabilities) == len(set(capabilities))
        assert set(capabilities) == asked[assessment.level_id], assessment
    people_with_levels = generated_people().filter(level__isnull=False).count()
    # A self and a manager assessment of everyone with a level, in every cycle (the CEO has no manager).
    assert assessments.count() == CYCLES * (2 * people_with_levels - 1)


def test_statuses_are_a_realistic_mix_and_every_finished_assessment_could_have_been_submitted(org):
    cycles = list(ReviewCycle.objects.filter(name__endswith=orggen.CYCLE_SUFFIX).order_by("starts_on"))
    assert [c.status for c in cycles] == ["closed", "open"]
    assessments = Assessment.objects.filter(subject__in=generated_people()).select_related(
        "subject", "author", "level__framework"
    )
    statuses = Counter((a.cycle.is_open, a.kind, a.status) for a in assessments)
    assert statuses[(False, "self", "submitted")] and statuses[(False, "manager", "shared")]
    assert statuses[(True, "self", "draft")] and statuses[(True, "self", "submitted")]
    assert statuses[(True, "manager", "draft")]
    for assessment in assessments:
        if assessment.kind == "self":
            assert assessment.author_id == assessment.subject_id and assessment.status != "shared"
        else:
            assert assessment.author_id == assessment.subject.manager_id
        assert assessment.level.framework.status == "published"
        if assessment.status == "draft":
            continue
        assert assessment.submitted_at and assessment.problems() == [], assessment
        assert (assessment.status == "shared") == (assessment.shared_at is not None)
        if assessment.status == "returned":
            assert assessment.returned_by_id == assessment.subject.manager_id and assessment.return_comment
    unrated = Q(ratings__scale_level__isnull=True, ratings__not_applicable=False)
    drafts = assessments.filter(status="draft").annotate(
        unrated=Count("ratings", filter=unrated), rows=Count("ratings")
    )
    assert any(0 < draft.unrated < draft.rows for draft in drafts)  # left part-way down the page
    agreed = Rating.objects.filter(assessment__in=assessments, agreed_scale_level__isnull=False)
    assert agreed.exists() and all(r.assessment.status == "shared" for r in agreed.select_related("assessment"))
    evidence = [len(text) for text in Rating.objects.exclude(evidence="").values_list("evidence", flat=True)]
    assert len(evidence) > Rating.objects.count() / 3 and 60 < sum(evidence) / len(evidence) < 400


def test_every_submitted_manager_assessment_is_tallied_with_its_cycle(org):
    """Calibration and the heatmap read one cycle's tallies and stored verdicts by their cycle."""
    done = Assessment.objects.filter(kind="manager", status__in=Assessment.SUBMITTED_STATUSES)
    cycles = dict(done.values_list("pk", "cycle_id"))
    assert len(set(cycles.values())) == CYCLES
    assert dict(RatingTally.objects.values_list("assessment_id", "cycle_id")) == cycles
    assert dict(VerdictTally.objects.values_list("assessment_id", "cycle_id")) == cycles


def test_a_second_run_is_refused_and_clear_removes_only_what_was_generated(db, debug):
    someone = make_user("someone@example.com", "Some One")
    generate(people=PEOPLE, cycles=CYCLES)
    with pytest.raises(CommandError, match="--clear"):
        generate(people=PEOPLE)
    output = generate("--clear")
    assert f"Removed the generated organisation ({PEOPLE} people)" in output
    assert not User.objects.filter(email__endswith="@org.example").exists()
    assert not Assessment.objects.exists() and not Rating.objects.exists()
    assert not ReviewCycle.objects.filter(name__endswith=orggen.CYCLE_SUFFIX).exists()
    assert list(Person.objects.values_list("user__email", flat=True)) == [someone.email]
    assert generate("--clear") == "Nothing to clear.\n"


def test_paths_match_the_tree_and_an_open_cycle_already_there_takes_the_newest_reviews(db, debug):
    current = ReviewCycle.objects.create(
        name="2026 H2", starts_on=datetime.date(2026, 7, 6), ends_on=datetime.date(2026, 12, 18)
    )
    generate(people=PEOPLE, cycles=CYCLES)
    assert Person.objects.rebuild_paths() == 0  # every stored reporting path is the one the managers give
    assert list(ReviewCycle.objects.filter(status="open")) == [current]
    assert current.assessments.count() == 2 * (PEOPLE - 1) - 1
    generate("--clear")
    assert list(ReviewCycle.objects.all()) == [current]


def test_refused_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        generate(people=PEOPLE)
    assert "Generated 60 people" in generate(people=PEOPLE, cycles=1, force=True)


def test_generated_people_can_use_the_app(org, client):
    pm = generated_people().filter(level__isnull=False, reports__isnull=True).order_by("pk").first()
    client.force_login(pm.user)
    assert client.get("/").status_code == 200
    draft = Assessment.objects.filter(author=pm, cycle__status="open").get()
    assert client.get(f"/assessments/{draft.pk}/").status_code == 200
    client.force_login(pm.manager.user)
    assert client.get("/team/").status_code == 200
    assert client.get(f"/people/{pm.pk}/").status_code == 200

"""Calibration computed by the database gives the same figures as the Python computation it replaced (kept in
`calibration_oracle.py`), on SQLite and PostgreSQL; the tallies kept by submit and return match a rebuild after
random actions; and no query of calibration, its drill-down or the heatmap returns more rows than a page shows."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db.backends import utils
from django.urls import reverse

from assessments.reports import calibration, views
from assessments.reports.calibration import build_calibration, calibration_assessments, raters_by_name
from assessments.reports.verdicts import verdict_summaries, verdicts_for
from assessments.reviews.models import Assessment, Rating
from assessments.reviews.tallies import RatingTally, refresh_tallies
from assessments.reviews.verdict_sql import VerdictTally, refresh_verdicts
from frameworks.models import ScaleLevel
from tests.assessments import calibration_oracle as oracle
from tests.assessments.report_fixtures import NA, make_cycle, make_review, rate
from tests.factories import make_framework, make_user

ANSWERS = [1, 2, 3, 4, 4, 3, 2, NA, None]


def random_org(seed: int, people: int = 14):
    """Two frameworks whose capabilities share keys, three managers under a head, people on levels of either
    framework (or none), reviews over two cycles with random ranks, "not applicable", unrated capabilities,
    agreed ratings and missing self-assessments."""
    rng = random.Random(seed)
    product = make_framework(areas=2, capabilities_per_area=3)
    other = make_framework(key="other", name="Other ladder", areas=2, capabilities_per_area=3)
    type(other).objects.filter(pk=other.pk).update(readiness_target_share=60, readiness_requires_current_level=False)
    levels = [*product.levels.filter(track__key="ic"), *other.levels.filter(track__key="ic")]
    head = make_user("head@example.com", "Hedda Head", level=product.levels.get(key="mgr-2"))
    managers = [
        make_user(f"m{i}@example.com", f"Manager {'ZAB'[i]}", manager=head, level=product.levels.get(key="mgr-1"))
        for i in range(3)
    ]
    cycles = [make_cycle("2025 H2", start=datetime.date(2025, 7, 1)), make_cycle()]
    for number in range(people):
        boss = rng.choice(managers)
        current = rng.choice([*levels, None])
        person = make_user(f"p{number}@example.com", f"Person {number:02}", manager=boss, level=current)
        for cycle in rng.sample(cycles, rng.randint(0, 2)):
            target = rng.choice(levels)
            keys = [c.key for c in target.framework.capabilities.all()]
            mine = {key: rng.choice(ANSWERS) for key in keys} if rng.random() < 0.8 else None
            theirs = {key: rng.choice(ANSWERS) for key in keys}
            _, assessment = make_review(
                person, rng.choice([boss, head]), target, mine, theirs, cycle=cycle,
                manager_status=rng.choice(["submitted", "shared", "submitted", "draft"]),
            )  # fmt: skip
            scale = list(ScaleLevel.objects.filter(framework_id=target.framework_id))
            for rating in assessment.ratings.all():
                if rng.random() < 0.2:
                    agreed_na = rng.random() < 0.3
                    Rating.objects.filter(pk=rating.pk).update(
                        agreed_not_applicable=agreed_na, agreed_scale_level=None if agreed_na else rng.choice(scale)
                    )
        if rng.random() < 0.2:  # a rating row missing for something the level asks for
            first = Rating.objects.filter(assessment__subject=person.person, assessment__kind="manager").first()
            if first is not None:
                first.delete()
    refresh_tallies()
    return head, cycles


def same_raters(sql, python):
    assert [r.name for r in sql] == [r.name for r in python]
    for mine, theirs in zip(sql, python, strict=True):
        assert (mine.people, mine.ratings, mine.self_pairs) == (theirs.people, theirs.ratings, theirs.self_pairs)
        for name in ("vs_expectation", "vs_self", "share_above"):
            assert getattr(mine, name) == pytest.approx(getattr(theirs, name)), (mine.name, name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_figures_match_the_python_computation(db, hr_admin, seed, monkeypatch):
    monkeypatch.setattr(calibration, "RATERS_PAGE_SIZE", 2)
    monkeypatch.setattr(calibration, "OUTLIERS_SHOWN", 1)
    head, cycles = random_org(seed)
    more_than_shown = 0
    for viewer, scope in ((hr_admin, None), (head, type(head.person).objects.in_subtree_of(head.person).values("pk"))):
        for cycle in (None, *cycles):
            raters, organisation, readiness = oracle.build_calibration(viewer, scope, cycle)
            managers = calibration_assessments(viewer, scope, cycle)
            same_raters(raters_by_name(managers, cycle), sorted(raters, key=lambda r: r.name.lower()))
            found = build_calibration(viewer, scope, cycle)
            same_raters([found.organisation], [organisation])
            # The page's managers, page by page, and the outliers: the oracle's, by name.
            by_name = sorted(raters, key=lambda r: (r.name.lower(), r.manager.pk))
            last = max(1, -(-len(raters) // calibration.RATERS_PAGE_SIZE))
            pages = [build_calibration(viewer, scope, cycle, number).raters for number in range(1, last + 1)]
            same_raters([rater for page in pages for rater in page], by_name)
            standing_out = [r for r in by_name if calibration._sentences(r, organisation)]
            shown = standing_out[: calibration.OUTLIERS_SHOWN]
            assert found.outliers == [s for r in shown for s in calibration._sentences(r, found.organisation)]
            assert found.more_outliers == len(standing_out) - len(shown)
            more_than_shown += found.more_outliers > 0
            assert [(line.level_name, line.framework_name, line.counts) for line in found.readiness] == [
                (name, framework, counts) for name, framework, counts, _ in readiness
            ]
            for line, (_, _, _, subjects) in zip(found.readiness, readiness, strict=True):
                for group in line.groups:
                    named = {pk for pk, _ in group.named}
                    assert named <= subjects.get(group.verdict.value, set())
                    assert len(named) == min(group.people, calibration.NAMES_SHOWN)
    assert more_than_shown  # outliers past the first were counted, in some scope and cycle


@pytest.mark.parametrize("seed", [4, 5])
def test_each_verdict_matches_the_readiness_rule(db, hr_admin, seed):
    random_org(seed, people=16)
    newest, _ = oracle._submitted_for_calibration(hr_admin, None, None)
    ratings = oracle._ratings_by_assessment([a.pk for a in newest])
    expectations = oracle._expectations_by_level(
        {a.level_id for a in newest} | {a.subject.level_id for a in newest if a.subject.level_id}
    )
    expected, headlines = {}, {}
    for assessment in newest:  # newest first per person
        if assessment.subject_id not in expected:
            verdict = oracle._readiness(assessment.subject, assessment.level, expectations, ratings[assessment.pk])
            expected[assessment.subject_id] = verdict.verdict.order
            headlines[assessment.subject_id] = (verdict.verdict, verdict.headline)
    assert expected and verdicts_for(calibration_assessments(hr_admin, None)) == expected
    assert {0, 1, 2} & set(expected.values())
    # My team's rows: the verdict's headline from the database's counts, word for word.
    # Read from the stored verdicts, and computed from the ratings where no stored one matches any more.
    refresh_verdicts()
    summaries = verdict_summaries(calibration_assessments(hr_admin, None))
    assert {pk: (found.verdict, found.headline) for pk, found in summaries.items()} == headlines
    VerdictTally.objects.filter(pk__in=list(VerdictTally.objects.values_list("pk", flat=True))[::2]).delete()
    summaries = verdict_summaries(calibration_assessments(hr_admin, None))
    assert {pk: (found.verdict, found.headline) for pk, found in summaries.items()} == headlines


def tallies() -> dict:
    return {row.pop("assessment_id"): row for row in RatingTally.objects.values()}


def test_tallies_kept_by_submit_and_return_match_a_rebuild_after_random_actions(db, hr_admin):
    rng = random.Random(7)
    framework = make_framework(areas=2, capabilities_per_area=3)
    level = framework.levels.get(key="ic-2")
    scale = {s.rank: s for s in ScaleLevel.objects.filter(framework=framework)}
    cycle = make_cycle()
    type(cycle).objects.filter(pk=cycle.pk).update(status="open")
    cycle.refresh_from_db()
    boss = make_user("boss@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
    drafts = []
    for number in range(6):
        person = make_user(f"p{number}@example.com", f"Person {number}", manager=boss, level=level).person
        drafts.append(Assessment.start(subject=person, author=person, level=level, cycle=cycle)[0])
        drafts.append(Assessment.start(subject=person, author=boss.person, level=level, cycle=cycle)[0])
    for step in range(40):
        assessment = rng.choice(drafts)
        assessment.refresh_from_db()
        if assessment.is_editable:
            rate(
                assessment,
                {r.capability.key: rng.randint(1, 4) for r in assessment.ratings.select_related("capability")},
            )
            Assessment.objects.filter(pk=assessment.pk).update(recommendation="not_yet")
            assessment.refresh_from_db()
            assert assessment.submit()
        elif assessment.kind == "self" and rng.random() < 0.5:
            assert assessment.return_for_changes(boss.person, "Say more about discovery.")
        kept = tallies()
        refresh_tallies()
        assert kept == tallies(), f"after step {step}"
        assert {row["cycle_id"] for row in kept.values()} <= {cycle.pk}  # calibration reads a cycle's by it
    assert RatingTally.objects.exists() and scale


@pytest.fixture
def rows_returned(monkeypatch):
    """Rows each query returned: one entry per executed statement."""
    counts: list[list] = []
    original = utils.CursorWrapper.execute

    def execute(self, sql, params=None):
        counts.append([sql, 0])
        self._counted = counts[-1]
        return original(self, sql, params)

    def counting(name):
        def fetch(self, *args):
            rows = getattr(self.cursor, name)(*args)
            if hasattr(self, "_counted"):
                self._counted[1] += (rows is not None) if name == "fetchone" else len(rows)
            return rows

        return fetch

    monkeypatch.setattr(utils.CursorWrapper, "execute", execute)
    for name in ("fetchone", "fetchmany", "fetchall"):
        monkeypatch.setattr(utils.CursorWrapper, name, counting(name), raising=False)
    return counts


def test_no_calibration_or_heatmap_query_returns_more_than_a_page(client, db, hr_admin, monkeypatch, rows_returned):
    monkeypatch.setattr(calibration, "RATERS_PAGE_SIZE", 2)
    monkeypatch.setattr(calibration, "OUTLIERS_SHOWN", 2)
    monkeypatch.setattr(calibration, "NAMES_SHOWN", 2)
    monkeypatch.setattr(views, "HEATMAP_PAGE_SIZE", 2)
    head, _ = random_org(8, people=30)
    # A page of 2 people: their ratings (2 × 6 capabilities), the expectations of the levels involved (≤ 4 × 6).
    bound = 24
    client.force_login(hr_admin)
    rater = Assessment.objects.filter(kind="manager").exclude(status="draft").values_list("author_id", flat=True)[0]
    for url in (
        reverse("reports:calibration"),
        reverse("reports:calibration") + "?page=2",
        reverse("reports:calibration_manager", args=[rater]),
        reverse("reports:team") + f"?manager={head.person.pk}",
        # Past a screenful the heatmap is one row per team; a search pages through each person's heatmap.
        reverse("reports:team") + f"?manager={head.person.pk}&q=person&page=3",
    ):
        rows_returned.clear()
        assert client.get(url).status_code == 200
        biggest = max(rows_returned, key=lambda entry: entry[1])
        assert biggest[1] <= bound, (url, biggest)


def test_the_rebuild_command_mends_tallies_written_around_submit(db, hr_admin):
    random_org(9, people=6)
    kept = tallies()
    RatingTally.objects.all().delete()
    out = io.StringIO()
    call_command("refresh_tallies", stdout=out)
    assert tallies() == kept and f"Tallied {len(kept)} submitted manager assessments." in out.getvalue()

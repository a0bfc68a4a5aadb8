"""A criteria framework (a Markdown ladder) end to end: read, rated by a PM, compared by her manager; examples shown."""

from pathlib import Path

import pytest
from django.urls import reverse

from frameworks.fileformat import import_framework
from frameworks.fileformat.markdown import parse_markdown_ladder
from frameworks.models import Expectation
from tests.assessments.assessment_helpers import page_url, rating_url, start
from tests.factories import make_user

LADDER = Path(__file__).resolve().parents[2] / "docs" / "examples" / "support-ladder.md"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ladder(db):
    framework, _ = import_framework(parse_markdown_ladder(LADDER.read_bytes(), LADDER.name), publish=True)
    return framework


@pytest.fixture
def cast(ladder):
    level_1, level_2 = ladder.levels.get(key="level-1"), ladder.levels.get(key="level-2")
    boss = make_user("mo@example.com", "Mo Manager", level=ladder.levels.get(key="level-3"))
    ana = make_user("ana@example.com", "Ana Agent", manager=boss, level=level_1)
    return {"manager": boss, "pm": ana, "target": level_2, "steps": {s.key: s for s in ladder.scale_levels.all()}}


def _rate(client, assessment, answers):
    capabilities = {capability.key: capability for capability in assessment.level.framework.capabilities.all()}
    for key, (step, evidence) in answers.items():
        prefix = f"r{capabilities[key].pk}"
        data = {f"{prefix}-scale": step.pk, f"{prefix}-evidence": evidence, f"{prefix}-revision": 1}
        assert client.post(rating_url(assessment, capabilities[key]), data, **HTMX).status_code == 200
    assessment.refresh_from_db()
    if assessment.is_manager_assessment:
        assessment.update_details(
            expected_revision=assessment.revision, recommendation="nearly", rationale="One topic to grow."
        )
        assessment.refresh_from_db()
    assert assessment.submit()


def test_a_pm_rates_a_criteria_level_and_her_manager_compares(client, cast):
    pm, boss, target, steps = cast["pm"], cast["manager"], cast["target"], cast["steps"]
    mine = start(pm, pm, target)
    client.force_login(pm)
    page = client.get(page_url(mine)).content.decode()
    # The level's criteria and a compact disclosure of its examples beside each capability; the three words.
    assert "Level 2 criteria" in page and "Handles difficult conversations on their own" in page
    assert '<details class="examples">' in page and "(2 examples)" in page
    assert "Reads the logs to show a failed import came from a malformed file." in page
    for word in ("Not yet", "Meets", "Exceeds"):
        assert f">{word}</label>" in page
    _rate(
        client,
        mine,
        {
            "customer-care": (steps["meets"], ""),
            "troubleshooting": (steps["exceeds"], "Found the cause of the March import failures."),
            "teamwork": (steps["meets"], ""),
        },
    )
    theirs = start(pm, boss, target)
    client.force_login(boss)
    _rate(
        client,
        theirs,
        {
            "customer-care": (steps["meets"], ""),
            "troubleshooting": (steps["not-yet"], "Still follows the runbook."),
            "teamwork": (steps["meets"], ""),
        },
    )
    response = client.get(reverse("reports:compare", args=[pm.person.pk]) + f"?level={target.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    readiness = response.context["readiness"]
    assert readiness.below_target == ["Troubleshooting"] and readiness.below_current == []
    assert "1 capability below Level 2" in html
    # The ratings use the one mastery look: a three-segment bar and the word, for not yet, meets and exceeds alike.
    assert '<span class="mastery__word">Not yet</span><span class="visually-hidden"> (1 of 3)</span>' in html
    assert '<span class="mastery__word">Exceeds</span><span class="visually-hidden"> (3 of 3)</span>' in html


def test_the_level_page_shows_criteria_examples_and_what_changes(client, cast, ladder):
    client.force_login(cast["pm"])
    response = client.get(cast["target"].get_absolute_url())
    html = response.content.decode()
    assert "Criteria at this level:" in html and "What this looks like:" in html
    assert "<li>Turns a refund complaint into a clear plan the customer agrees with.</li>" in html
    assert 'class="mastery__word">Meets' not in html  # every expectation is "meets": the criteria say it all
    assert "2 capabilities have new criteria, 1 is new" in html
    assert "New criteria</span>" in html


@pytest.mark.django_db
def test_hr_edits_examples_one_a_line_and_the_grid_counts_them(client, hr_admin, ladder):
    from accounts.roles import sync_hr_admin_permissions

    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    draft = ladder.new_version()
    expectation = Expectation.objects.get(level__framework=draft, level__key="level-2", capability__key="teamwork")
    grid = client.get(reverse("admin:frameworks_framework_expectations", args=[draft.pk])).content.decode()
    assert "Add examples" in grid and "2 examples" in grid
    url = reverse("admin:frameworks_expectation_change", args=[expectation.pk])
    data = {
        "scale_level": expectation.scale_level_id,
        "description": expectation.description,
        "examples": "Answers a new starter's question.\n\n  Pairs on a first shift.  \n",
    }
    assert client.post(url, data).status_code == 302
    expectation.refresh_from_db()
    assert expectation.examples == ["Answers a new starter's question.", "Pairs on a first shift."]
    refused = client.post(url, {**data, "examples": "x" * 301})
    assert "Example 1 is longer than 300 characters" in refused.content.decode()


def test_against_another_level_only_evidence_carries_forward(client, cast):
    from assessments.reviews.models import Assessment

    pm, steps = cast["pm"], cast["steps"]
    level_1 = pm.person.level
    first = start(pm, pm, level_1)
    client.force_login(pm)
    answers = {key: (steps["meets"], f"Did {key}.") for key in ("customer-care", "troubleshooting")}
    _rate(client, first, answers)
    first.refresh_from_db()
    again, _ = Assessment.start(subject=pm.person, author=pm.person, level=cast["target"], carry_from=first)
    carried = {rating.capability.key: rating for rating in again.ratings.select_related("capability")}
    assert carried["customer-care"].evidence == "Did customer-care." and carried["customer-care"].carried
    assert carried["customer-care"].scale_level_id is None  # level 1's criteria met says nothing of level 2's


def test_the_framework_page_says_every_level_expects_its_own_criteria(client, cast, ladder):
    client.force_login(cast["pm"])
    html = client.get(ladder.get_absolute_url()).content.decode()
    assert "Each level asks for its own written criteria in each capability" in html
    assert "Expected mastery in each capability" not in html

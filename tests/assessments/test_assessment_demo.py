"""seed_demo adds lived-in assessments: a closed cycle with submitted and shared ones, an open one with drafts."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.demo import seed_demo_assessments
from assessments.models import Assessment, Rating, ReviewCycle


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_adds_cycles_and_assessments(seeded):
    assert "Demo assessments added in the review cycles 2026 H1 (closed) and 2026 H2 (open)." in seeded
    h1, h2 = ReviewCycle.objects.get(name="2026 H1"), ReviewCycle.objects.get(name="2026 H2")
    assert (h1.status, h2.status) == ("closed", "open")
    in_h1 = Assessment.objects.filter(cycle=h1)
    assert in_h1.filter(kind="self", status="submitted").count() >= 3
    assert in_h1.filter(kind="manager", status="shared").count() >= 2
    assert not in_h1.filter(status="draft").exists()
    assert Assessment.objects.filter(cycle=h2, status="draft").count() >= 2
    # Every submitted assessment is complete and follows the evidence rule.
    for assessment in Assessment.objects.filter(status__in=["submitted", "shared"]):
        assert assessment.problems() == [], assessment
    # Drafts are part-way through, as a person would leave them.
    draft = Assessment.objects.filter(cycle=h2, kind="self", status="draft").first()
    rated, total = draft.progress()
    assert 0 < rated < total
    # The audit trail names who rated.
    assert Rating.history.filter(history_user__email="leo@example.com").exists()


def test_seed_demo_assessments_twice_changes_nothing(seeded):
    before = sorted(Assessment.objects.values_list("pk", "status", "revision"))
    assert seed_demo_assessments() == "Demo assessments already in place: nothing changed."
    assert sorted(Assessment.objects.values_list("pk", "status", "revision")) == before


def test_demo_assessments_are_skipped_without_the_demo_organisation(db):
    assert seed_demo_assessments().startswith("Demo assessments skipped")
    assert not ReviewCycle.objects.exists()

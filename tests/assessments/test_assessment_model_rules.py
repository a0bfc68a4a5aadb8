"""What an assessment refuses on its own, whichever page or script asks: wrong kind, wrong state, no reason given."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from assessments.reviews.models import Assessment, AssessmentLocked, AssessmentQuerySet, ReviewCycle
from tests.assessments.assessment_helpers import level, make_cycle, rate_all, scale, shared, start, submitted


def test_nobody_starts_an_assessment_in_a_closed_cycle(pm, framework):
    cycle = make_cycle(status=ReviewCycle.Status.CLOSED)
    with pytest.raises(ValidationError, match="The review cycle 2026 H2 is closed."):
        Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=cycle)
    assert not Assessment.objects.exists()


def test_two_tabs_starting_at_once_share_one_assessment(pm, framework):
    first, created = Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"))
    assert created
    # The second tab looked before the first had saved, so it found nothing and tries to create one too.
    with mock.patch.object(AssessmentQuerySet, "first", return_value=None):
        second, created = Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"))
    assert (second.pk, created) == (first.pk, False)
    assert Assessment.objects.count() == 1
    assert second.ratings.count() == first.ratings.count()


def test_submitting_twice_is_harmless(pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    revision = assessment.revision
    assert assessment.submit() is False
    assessment.refresh_from_db()
    assert (assessment.status, assessment.revision) == ("submitted", revision)


def test_an_incomplete_assessment_is_refused_listing_what_is_missing(pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    with pytest.raises(ValidationError) as raised:
        assessment.submit()
    assert raised.value.messages[0] == "Capability 1.1: Not rated yet."
    assert len(raised.value.messages) == assessment.ratings.count()
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"


def test_only_a_self_assessment_is_returned_for_changes(pm, manager, framework):
    assessment = submitted(pm, manager, level(framework, "ic-3"))
    with pytest.raises(ValidationError, match="Only a self-assessment can be returned for changes."):
        assessment.return_for_changes(manager.person, "Please redo.")
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_returning_needs_a_reason(pm, manager, framework, comment):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    with pytest.raises(ValidationError, match="Say what should change."):
        assessment.return_for_changes(manager.person, comment)
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


def test_a_returned_comment_is_kept_without_its_surrounding_spaces(pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    assert assessment.return_for_changes(manager.person, "  More evidence on 1.2, please.\n")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.return_comment, assessment.returned_by) == (
        "returned",
        "More evidence on 1.2, please.",
        manager.person,
    )


def test_only_a_manager_assessment_is_shared(pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    with pytest.raises(ValidationError, match="Only a manager assessment is shared."):
        assessment.share()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.shared_at) == ("submitted", None)


def test_details_of_a_submitted_assessment_cannot_change(pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    with pytest.raises(AssessmentLocked):
        assessment.update_details(expected_revision=assessment.revision, overall_comment="Changed my mind.")
    assert Assessment.objects.get(pk=assessment.pk).overall_comment == ""


def test_details_saved_unchanged_write_nothing(pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    revision = assessment.revision
    assert assessment.update_details(expected_revision=revision, overall_comment="") is False
    assert Assessment.objects.get(pk=assessment.pk).revision == revision


# The agreed outcome --------------------------------------------------------------------------------


def test_no_agreed_outcome_before_the_self_assessment_is_submitted(pm, manager, framework):
    mine = rate_all(start(pm, pm, level(framework, "ic-3")))  # still a draft
    theirs = submitted(pm, manager, level(framework, "ic-3"))
    capability = theirs.ratings.first().capability_id
    with pytest.raises(ValidationError, match="once both assessments are submitted"):
        theirs.record_agreed_outcome(
            {capability: (scale(framework, "expert"), False, "")}, expected_revision=theirs.revision
        )
    assert mine.status == "draft"
    assert not theirs.ratings.filter(agreed_scale_level__isnull=False).exists()


def test_no_agreed_outcome_on_a_self_assessment(pm, manager, framework):
    mine = submitted(pm, pm, level(framework, "ic-3"))
    submitted(pm, manager, level(framework, "ic-3"))
    with pytest.raises(ValidationError, match="once both assessments are submitted"):
        mine.record_agreed_outcome({}, expected_revision=mine.revision)


def test_recording_the_same_agreed_outcome_again_changes_no_rating(pm, manager, framework):
    submitted(pm, pm, level(framework, "ic-3"))
    theirs = shared(pm, manager, level(framework, "ic-3"))
    capability = theirs.ratings.first().capability_id
    outcome = {capability: (scale(framework, "expert"), False, "Agreed in the meeting.")}
    assert theirs.record_agreed_outcome(outcome, expected_revision=theirs.revision) == 1
    theirs.refresh_from_db()
    rating_revision = theirs.ratings.get(capability_id=capability).revision
    assert theirs.record_agreed_outcome(outcome, expected_revision=theirs.revision) == 0
    assert theirs.ratings.get(capability_id=capability).revision == rating_revision


def test_an_agreed_not_applicable_clears_the_agreed_level(pm, manager, framework):
    submitted(pm, pm, level(framework, "ic-3"))
    theirs = submitted(pm, manager, level(framework, "ic-3"))
    capability = theirs.ratings.first().capability_id
    changed = theirs.record_agreed_outcome(
        {capability: (scale(framework, "expert"), True, "Does not apply to this team.")},
        expected_revision=theirs.revision,
    )
    assert changed == 1
    rating = theirs.ratings.get(capability_id=capability)
    assert (rating.agreed_scale_level_id, rating.agreed_not_applicable) == (None, True)

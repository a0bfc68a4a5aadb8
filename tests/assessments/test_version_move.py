"""Moving an open draft to the framework version published since it started (the model)."""

import pytest
from django.core.exceptions import ValidationError

from assessments.reviews.cycles import CycleClosed, ReviewCycle
from assessments.reviews.models import Assessment, AssessmentLocked
from assessments.reviews.versions import plan_move
from frameworks.models import Capability, Expectation, ScaleLevel
from tests.assessments.assessment_helpers import make_cycle, rate_all, start, submitted


def publish_v2(framework, change=None):
    """Make version 2 from version 1, let `change(draft)` edit it, publish it."""
    draft = framework.new_version()
    if change is not None:
        change(draft)
    draft.publish()
    return draft


def drop_capability(key):
    def change(draft):
        capability = Capability.objects.get(framework=draft, key=key)
        Expectation.objects.filter(capability=capability).delete()
        capability.delete()

    return change


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def draft(pm, framework, cycle):
    """Priya's self-assessment against IC level 3 of version 1, every capability rated Practitioner with evidence."""
    return rate_all(start(pm, pm, framework.levels.get(key="ic-3"), cycle))


def answers(assessment):
    return {
        r.capability.key: (r.scale_level.key if r.scale_level else None, r.not_applicable, r.evidence)
        for r in assessment.ratings.select_related("capability", "scale_level")
    }


def test_move_carries_every_answer_onto_the_same_row_and_level_of_the_new_version(pm, framework, draft):
    before = answers(draft)
    v2 = publish_v2(framework)
    move = Assessment.objects.with_related().get(pk=draft.pk).move_to_published_version(pm.person)
    moved = Assessment.objects.with_related().get(pk=draft.pk)
    assert (moved.level.framework_id, moved.level.ref) == (v2.pk, "ic/ic-3")
    assert answers(moved) == before
    assert {r.capability.framework_id for r in moved.ratings.select_related("capability")} == {v2.pk}
    assert {r.scale_level.framework_id for r in moved.ratings.select_related("scale_level")} == {v2.pk}
    assert len(move.carried) == 4 and move.not_carried == []
    assert Assessment.objects.filter(subject=pm.person, cycle=draft.cycle, kind="self").count() == 1
    assert not moved.history.exists()  # a draft, so private: the audit trail keeps submitted states (history.py)
    assert moved.revision == draft.revision + 1


def test_answers_the_new_level_no_longer_asks_for_are_listed_and_new_ones_start_unrated(pm, framework, draft):
    def change(version):
        drop_capability("cap-1-2")(version)
        area = version.areas.get(key="area-1")
        added = Capability.objects.create(framework=version, area=area, key="cap-new", name="Pricing", position=5)
        level = version.levels.get(key="ic-3")
        Expectation.objects.create(level=level, capability=added, scale_level=version.scale_levels.get(rank=2))

    publish_v2(framework, change)
    move = plan_move(Assessment.objects.with_related().get(pk=draft.pk))
    assert move.possible and len(move.carried) == 3
    assert [(n.label, n.reason) for n in move.not_carried] == [
        ("Capability 1.2 (rated Practitioner)", "IC level 3 in version 2 no longer asks for it.")
    ]
    draft.move_to_published_version(pm.person)
    moved = answers(Assessment.objects.get(pk=draft.pk))
    assert set(moved) == {"cap-1-1", "cap-2-1", "cap-2-2", "cap-new"}
    assert moved["cap-new"] == (None, False, "")
    assert moved["cap-1-1"][0] == "practitioner"


def test_a_scale_step_that_is_gone_keeps_the_evidence_and_asks_to_rate_again(pm, framework, draft):
    def change(version):
        ScaleLevel.objects.filter(framework=version, key="practitioner").update(key="skilled", name="Skilled")

    publish_v2(framework, change)
    move = draft.move_to_published_version(pm.person)
    assert move.carried == [] and len(move.not_carried) == 4
    assert "scale has no Practitioner: its evidence is kept, rate it again." in move.not_carried[0].reason
    moved = answers(Assessment.objects.get(pk=draft.pk))
    assert set(moved.values()) == {(None, False, "Led the discovery for the tax service.")}


def test_not_applicable_and_unrated_answers_with_evidence_are_carried(pm, framework, cycle):
    assessment = start(pm, pm, framework.levels.get(key="ic-2"), cycle)
    first, second, *_ = assessment.ratings.order_by("capability__key")
    first.record(scale_level=None, not_applicable=True, evidence="", expected_revision=first.revision)
    second.record(scale_level=None, not_applicable=False, evidence="Notes so far.", expected_revision=second.revision)
    publish_v2(framework, drop_capability("cap-2-2"))  # asked at IC level 2, never answered: nothing to list
    move = assessment.move_to_published_version(pm.person)
    assert move.carried == ["Capability 1.1", "Capability 1.2"] and move.not_carried == []
    assert move.summary == "2 answers carried"
    moved = answers(Assessment.objects.get(pk=assessment.pk))
    assert moved["cap-1-1"] == (None, True, "") and moved["cap-1-2"] == (None, False, "Notes so far.")


def test_a_closed_cycle_refuses_the_move(pm, framework, draft, cycle):
    publish_v2(framework)
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
    with pytest.raises(CycleClosed):
        draft.move_to_published_version(pm.person)
    assert Assessment.objects.get(pk=draft.pk).level.framework_id == framework.pk


def test_only_the_author_may_move_it(pm, manager, framework, draft):
    publish_v2(framework)
    with pytest.raises(ValidationError, match="Only the author"):
        draft.move_to_published_version(manager.person)
    assert Assessment.objects.get(pk=draft.pk).level.framework_id == framework.pk


def test_a_submitted_assessment_stays_on_its_version(pm, framework, cycle):
    done = submitted(pm, pm, framework.levels.get(key="ic-3"), cycle)
    publish_v2(framework)
    with pytest.raises(AssessmentLocked):
        done.move_to_published_version(pm.person)


def test_nothing_to_move_on_the_newest_version(pm, framework, draft):
    assert plan_move(draft) is None
    with pytest.raises(ValidationError, match="already on the newest version"):
        draft.move_to_published_version(pm.person)


def test_a_level_the_new_version_does_not_have_refuses_the_move(pm, framework, draft):
    publish_v2(framework, lambda version: version.levels.get(key="ic-3").delete())
    move = plan_move(Assessment.objects.with_related().get(pk=draft.pk))
    assert not move.possible and move.target is None
    assert move.problem.startswith("Version 2 has no IC level 3 on the Individual contributor track")
    with pytest.raises(ValidationError, match="stays on version 1"):
        draft.move_to_published_version(pm.person)


def test_a_review_whose_other_side_is_submitted_stays_on_its_version(pm, manager, framework, draft, cycle):
    submitted(pm, manager, framework.levels.get(key="ic-3"), cycle)
    publish_v2(framework)
    move = plan_move(Assessment.objects.with_related().get(pk=draft.pk))
    assert move.problem == "This review is already under way on version 1, so this assessment stays on version 1."
    with pytest.raises(ValidationError):
        draft.move_to_published_version(pm.person)


def test_outside_cycles_a_second_assessment_against_the_new_level_is_refused(pm, framework):
    old = start(pm, pm, framework.levels.get(key="ic-3"))
    v2 = publish_v2(framework)
    start(pm, pm, v2.levels.get(key="ic-3"))
    move = plan_move(Assessment.objects.with_related().get(pk=old.pk))
    assert move.problem == "There is already a self-assessment against IC level 3 in version 2."


def test_what_was_not_carried_says_what_it_was(pm, framework, cycle):
    assessment = start(pm, pm, framework.levels.get(key="ic-2"), cycle)
    ratings = {r.capability.key: r for r in assessment.ratings.select_related("capability")}
    one, two = ratings["cap-1-1"], ratings["cap-1-2"]
    one.record(scale_level=None, not_applicable=True, evidence="", expected_revision=one.revision)
    two.record(scale_level=None, not_applicable=False, evidence="Notes.", expected_revision=two.revision)
    publish_v2(framework, lambda version: [drop_capability(key)(version) for key in ("cap-1-1", "cap-1-2")])
    move = plan_move(Assessment.objects.with_related().get(pk=assessment.pk))
    assert [n.label for n in move.not_carried] == ["Capability 1.1 (not applicable)", "Capability 1.2 (evidence only)"]

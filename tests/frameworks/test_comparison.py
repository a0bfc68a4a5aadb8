"""Level-to-level comparison and version diff: pure functions over a loaded framework."""

import pytest

from frameworks.comparison import Change, classify, compare_levels, diff_versions
from frameworks.models import Capability, Expectation, Level, ScaleLevel
from frameworks.views import prefetch_catalogue
from tests.factories import make_framework


def loaded(*frameworks):
    prefetch_catalogue(frameworks)
    return frameworks[0] if len(frameworks) == 1 else frameworks


def level(framework, key):
    return next(level for level in framework.levels.all() if level.key == key)


def set_expectation(framework, level_key, capability_key, scale_key):
    expectation = Expectation.objects.get(
        level__framework=framework, level__key=level_key, capability__key=capability_key
    )
    expectation.scale_level = ScaleLevel.objects.get(framework=framework, key=scale_key)
    expectation.save()


@pytest.mark.parametrize(
    "before, after, expected",
    [
        (None, 2, Change.NEW),
        (1, 3, Change.RAISED_MORE),
        (1, 4, Change.RAISED_MORE),
        (2, 3, Change.RAISED),
        (3, 3, Change.UNCHANGED),
        (3, 1, Change.LOWERED),
        (2, None, Change.DROPPED),
        (None, None, None),
    ],
)
def test_classify_orders_changes_by_rank(before, after, expected):
    assert classify(before, after) == expected


def test_next_level_on_the_track_rises_and_adds(db, django_assert_num_queries):
    framework = loaded(make_framework())
    with django_assert_num_queries(0):
        comparison = compare_levels(level(framework, "ic-1"), level(framework, "ic-2"))
        summary = comparison.summary
        labels = [change.label for change in comparison.changes]
    assert summary == "3 capabilities rise, 1 is new"
    assert comparison.headline == "From IC level 1 to IC level 2: 3 capabilities rise, 1 is new"
    assert (comparison.risen, comparison.new, comparison.unchanged, comparison.lowered, comparison.dropped) == (
        3,
        1,
        0,
        0,
        0,
    )
    # New first, then the rises, each in framework order.
    assert [change.capability.key for change in comparison.changes] == ["cap-2-2", "cap-1-1", "cap-1-2", "cap-2-1"]
    assert labels[0] == "New: asked at Working"
    assert labels[1] == "Rises from Awareness to Working"
    assert comparison.changes[0].tag == "New at this level"
    assert comparison.changes[1].tag == "Rises from Awareness"


def test_comparison_across_tracks_sorts_bigger_rises_first(db):
    framework = make_framework(publish=False)
    set_expectation(framework, "mgr-2", "cap-1-2", "working")
    framework = loaded(framework)
    comparison = compare_levels(level(framework, "ic-1"), level(framework, "mgr-2"))
    assert [group[0] for group in comparison.groups()] == [Change.NEW, Change.RAISED_MORE, Change.RAISED]
    assert comparison.changes[1].label == "Rises 3 steps, from Awareness to Expert"
    assert comparison.changes[1].steps == 3
    assert comparison.changes[-1].capability.key == "cap-1-2"
    assert comparison.changes[-1].label == "Rises from Awareness to Working"
    assert comparison.summary == "3 capabilities rise, 1 is new"


def test_going_down_a_ladder_is_lower_and_no_longer_asked(db):
    framework = loaded(make_framework())
    comparison = compare_levels(level(framework, "mgr-2"), level(framework, "ic-1"))
    assert comparison.summary == "3 capabilities are lower, 1 is no longer asked"
    dropped = comparison.changes[-1]
    assert dropped.change == Change.DROPPED
    assert dropped.label == "No longer asked (was Expert)"
    assert dropped.to_scale is None and dropped.from_scale.key == "expert"
    assert comparison.changes[0].label == "Drops 3 steps, from Expert to Awareness"


def test_one_change_reads_in_the_singular(db):
    framework = make_framework()
    draft = framework.new_version()
    set_expectation(draft, "ic-2", "cap-1-1", "practitioner")
    framework, draft = loaded(framework, draft)
    comparison = compare_levels(level(framework, "ic-2"), level(draft, "ic-2"))  # across versions, by key
    assert comparison.summary == "1 capability rises"
    assert comparison.unchanged == 3


def test_same_expectations_say_nothing_changes(db):
    framework = loaded(make_framework())
    comparison = compare_levels(level(framework, "ic-3"), level(framework, "mgr-1"))
    assert comparison.summary == "nothing changes: all capabilities stay the same"
    assert [group[0] for group in comparison.groups()] == [Change.UNCHANGED]
    assert comparison.changes[0].label == "Stays at Practitioner"
    assert comparison.changes[0].tag == ""


def test_levels_asking_for_nothing_say_so(db):
    draft = make_framework(publish=False)
    Expectation.objects.filter(level__framework=draft, level__key__in=["ic-1", "ic-2"]).delete()
    draft = loaded(draft)
    comparison = compare_levels(level(draft, "ic-1"), level(draft, "ic-2"))
    assert comparison.changes == []
    assert comparison.summary == "neither level asks for any capability"


def test_version_diff_reports_expectations_raised_lowered_new_and_dropped(db, django_assert_num_queries):
    framework = make_framework()
    draft = framework.new_version()
    set_expectation(draft, "ic-2", "cap-1-1", "expert")  # raised 2
    set_expectation(draft, "ic-2", "cap-1-2", "awareness")  # lowered 1
    Expectation.objects.get(level__framework=draft, level__key="mgr-1", capability__key="cap-2-1").delete()
    Expectation.objects.create(
        level=draft.levels.get(key="ic-1"),
        capability=draft.capabilities.get(key="cap-2-2"),
        scale_level=draft.scale_levels.get(key="awareness"),
    )
    framework, draft = loaded(framework, draft)
    with django_assert_num_queries(0):
        diff = diff_versions(framework, draft)
        summary = diff.summary
    assert summary == (
        "From version 1 to version 2: 1 expectation raised, 1 expectation lowered, 1 expectation newly asked, "
        "1 expectation no longer asked."
    )
    by_level = {entry.level.key: entry.changes for entry in diff.expectations}
    assert list(by_level) == ["ic-1", "ic-2", "mgr-1"]
    assert [(c.capability.key, c.change, c.label) for c in by_level["ic-2"]] == [
        ("cap-1-1", Change.RAISED_MORE, "Raised 2 steps, from Working to Expert"),
        ("cap-1-2", Change.LOWERED, "Lowered 1 step, from Working to Awareness"),
    ]
    assert by_level["ic-1"][0].label == "Now asked at Awareness"
    assert by_level["mgr-1"][0].label == "No longer asked (was Practitioner)"
    assert not diff.capabilities_added and not diff.levels_added


def test_version_diff_reports_capabilities_and_levels(db):
    framework = make_framework()
    draft = framework.new_version()
    Capability.objects.get(framework=draft, key="cap-1-2").delete()
    renamed = Capability.objects.get(framework=draft, key="cap-1-1")
    renamed.name = "Understanding users"
    renamed.area = draft.areas.get(key="area-2")
    renamed.save()
    added = Capability.objects.create(framework=draft, area=draft.areas.get(key="area-1"), key="ethics", name="Ethics")
    Expectation.objects.create(
        level=draft.levels.get(key="ic-2"), capability=added, scale_level=draft.scale_levels.get(key="working")
    )
    Level.objects.get(framework=draft, key="mgr-2").delete()
    ic3 = Level.objects.get(framework=draft, key="ic-3")
    ic3.name = "Principal"
    ic3.grade = 4
    ic3.save()
    Level.objects.create(
        framework=draft, track=draft.tracks.get(key="ic"), key="ic-4", name="Distinguished", grade=5, position=3
    )
    framework, draft = loaded(framework, draft)

    diff = diff_versions(framework, draft)
    assert [c.key for c in diff.capabilities_added] == ["ethics"]
    assert [c.key for c in diff.capabilities_removed] == ["cap-1-2"]
    assert [(r.old_name, r.new_name) for r in diff.capabilities_renamed] == [("Capability 1.1", "Understanding users")]
    assert [(m.capability.key, m.old_area, m.new_area) for m in diff.capabilities_moved] == [
        ("cap-1-1", "Area 1", "Area 2")
    ]
    assert [level.key for level in diff.levels_added] == ["ic-4"]
    assert [level.key for level in diff.levels_removed] == ["mgr-2"]
    assert [(r.old_name, r.new_name) for r in diff.levels_renamed] == [("IC level 3", "Principal")]
    assert [move.what for move in diff.levels_moved] == ["grade changed from 3 to 4"]
    # Whole capabilities coming and going are reported once, not at every level.
    assert diff.expectations == []
    assert diff.summary == (
        "From version 1 to version 2: 1 capability added, 1 capability removed, 1 capability renamed, "
        "1 capability moved to another area, 1 level added, 1 level removed, 1 level renamed, 1 level moved."
    )


def test_identical_versions_have_no_changes(db):
    framework = make_framework()
    framework, draft = loaded(framework, framework.new_version())
    diff = diff_versions(framework, draft)
    assert not diff.has_changes
    assert diff.summary == "From version 1 to version 2: no capability, level or expected mastery changed."


def test_text_changes_marks_the_words_each_side_alone_has():
    from frameworks.comparison import text_changes

    before, after = text_changes("Leads discovery for one team.", "Leads discovery across several teams, and coaches.")
    assert before == [("Leads discovery ", False), ("for one team.", True)]
    assert after == [("Leads discovery ", False), ("across several teams, and coaches.", True)]
    assert "".join(words for words, _ in after) == "Leads discovery across several teams, and coaches."
    assert text_changes("", "New here.") == ([], [("New here.", True)])
    assert text_changes("Same words", "same  words") == ([("Same words", False)], [("same  words", False)])

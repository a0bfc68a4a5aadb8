"""Small rules worked out in memory: the readiness rule's wording, the reporting tree on bad data, the next level."""

import pytest

from assessments.people.models import Person, ReportingTree
from assessments.reports.readiness import Rule, Standing, Verdict, assess
from assessments.reviews.forms import next_level
from tests.factories import make_user

# The readiness rule --------------------------------------------------------------------------------


def standing(name, now, target, rating, not_applicable=False):
    return Standing(name=name, expected_now=now, expected_target=target, rating=rating, not_applicable=not_applicable)


def test_the_rule_in_words_leaves_out_the_current_level_when_it_is_not_required():
    assert Rule(target_share=75, max_steps_below=2, requires_current_level=False).description == (
        "Ready means: meets at least 75% of the target level's expectations and no capability more than 2 steps "
        "below the target."
    )
    assert Rule(target_share=80, max_steps_below=1, requires_current_level=True).description == (
        "Ready means: meets every expectation of the current level, meets at least 80% of the target level's "
        "expectations and no capability more than 1 step below the target."
    )


@pytest.mark.parametrize(
    ("item", "rated", "gap"),
    [
        (standing("Met", 2, 3, 3), True, 0),
        (standing("Above", 2, 3, 4), True, 0),
        (standing("Two short", 2, 3, 1), True, 2),
        (standing("Not applicable", 2, 3, None, not_applicable=True), True, None),
        (standing("Unrated", 2, 3, None), False, None),
        (standing("Not asked at the target", 2, None, 3), True, None),
    ],
)
def test_a_capability_gap_is_only_told_when_it_can_be(item, rated, gap):
    assert (item.rated, item.gap) == (rated, gap)


def test_a_target_that_asks_for_nothing_that_applies_says_so():
    result = assess(
        [standing("Strategy", 2, 3, None, not_applicable=True)],
        Rule(target_share=80, max_steps_below=1, requires_current_level=False),
        "Senior PM",
    )
    assert result.reasons[0] == "Senior PM asks for no capability that applies"
    assert result.asked == 0


def test_without_the_current_level_rule_a_shortfall_there_does_not_hold_back():
    standings = [standing(f"Cap {n}", 3, 3, 3) for n in range(4)] + [standing("Strategy", 3, 3, 2)]
    lenient = assess(standings, Rule(80, 1, requires_current_level=False), "Senior PM", "PM")
    strict = assess(standings, Rule(80, 1, requires_current_level=True), "Senior PM", "PM")
    assert lenient.verdict == Verdict.READY
    assert strict.verdict != Verdict.READY


# The reporting tree --------------------------------------------------------------------------------


def test_the_tree_never_loops_forever_on_a_cycle_written_around_the_checks():
    tree = ReportingTree([(1, 2), (2, 3), (3, 1), (4, 1)])
    assert tree.below(1) == [3, 4, 2]
    assert tree.above(1) == [2, 3]
    assert tree.loops_back(1) and tree.loops_back(2)
    assert not tree.loops_back(4)


def test_would_loop_asks_about_the_new_manager_only():
    tree = ReportingTree([(1, None), (2, 1), (3, 2)])
    assert tree.would_loop(1, None) is False  # no manager: nothing to loop through
    assert tree.would_loop(1, 1) is True  # their own manager
    assert tree.would_loop(1, 3) is True  # an indirect report
    assert tree.would_loop(3, 1) is False  # moving someone up
    assert tree.path_of(3) == "/1/2/3/"


def test_a_person_reads_their_account_and_reports(pm, manager):
    assert manager.person.has_reports()
    assert not pm.person.has_reports()
    assert pm.person.email == "priya@example.com"
    assert pm.person.is_active
    pm.is_active = False
    pm.save()
    assert not Person.objects.get(user=pm).is_active


def test_saving_other_fields_keeps_the_path(pm, manager, stranger):
    person = Person.objects.get(user=pm)
    path = person.path
    person.manager = stranger.person  # changed in memory, but only the job title is saved
    person.job_title = "Senior PM"
    person.save(update_fields=["job_title"])
    assert Person.objects.get(pk=person.pk).path == path
    assert Person.objects.get(pk=person.pk).manager == manager.person


# The next level --------------------------------------------------------------------------------------


def test_the_next_level_is_the_next_rung_of_the_published_version(framework):
    ic2 = framework.levels.get(key="ic-2")
    assert next_level(ic2) == framework.levels.get(key="ic-3")
    assert next_level(framework.levels.get(key="ic-3")) == framework.levels.get(key="ic-3")  # the top stays
    assert next_level(None) is None


def test_a_level_dropped_from_the_published_version_has_no_next_level(framework):
    new = framework.new_version()
    new.levels.get(key="ic-2").delete()
    new.publish()
    person = make_user("old@example.com", "Old Level", level=framework.levels.get(key="ic-2")).person
    assert next_level(person.level) is None


def test_a_level_of_an_old_version_moves_on_in_the_published_one(framework):
    new = framework.new_version()
    new.publish()
    assert next_level(framework.levels.get(key="ic-1")) == new.levels.get(key="ic-2")

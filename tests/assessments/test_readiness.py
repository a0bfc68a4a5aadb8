"""The readiness rule on hand-made cases: no database, just ranks in and a verdict with reasons out."""

from assessments.reports.readiness import Rule, Standing, Verdict, assess

RULE = Rule(target_share=80, max_steps_below=1, requires_current_level=True)


def standing(name, now, target, rating, not_applicable=False):
    return Standing(name=name, expected_now=now, expected_target=target, rating=rating, not_applicable=not_applicable)


def test_everything_met_is_ready_and_says_why():
    result = assess(
        [standing("Strategy", 2, 3, 3), standing("Delivery", 2, 3, 4), standing("User insight", 2, 3, 3)],
        RULE,
        "Senior PM",
        "PM",
    )
    assert result.verdict == Verdict.READY
    assert result.label == "Ready"
    assert result.reasons[0] == "Meets 3 of 3 expectations of Senior PM (100%; Ready needs 80%)"
    assert "Meets every expectation of the current level, PM" in result.reasons
    assert result.holding_back == []


def test_one_step_short_on_one_of_five_is_still_ready_and_names_it():
    standings = [standing(f"Cap {n}", 2, 3, 3) for n in range(4)] + [standing("Strategy", 2, 3, 2)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.READY
    assert "1 capability below Senior PM: Strategy" in result.reasons
    assert result.met == 4 and result.asked == 5


def test_two_short_of_five_is_nearly_with_the_capabilities_named_first():
    standings = [standing(f"Cap {n}", 2, 3, 3) for n in range(3)] + [
        standing("User insight", 2, 3, 2),
        standing("Strategy", 2, 3, 2),
    ]
    result = assess(standings, RULE, "Senior Product Manager", "Product Manager")
    assert result.verdict == Verdict.NEARLY
    assert result.reasons[0] == "2 capabilities below Senior Product Manager: User insight, Strategy"
    assert "Meets 3 of 5 expectations of Senior Product Manager (60%; Ready needs 80%)" in result.reasons
    assert result.summary.startswith("Nearly: 2 capabilities below")
    assert result.headline == "2 capabilities below Senior Product Manager"


def test_two_steps_below_stops_ready_but_allows_nearly():
    standings = [standing(f"Cap {n}", 1, 3, 3) for n in range(9)] + [standing("Strategy", 1, 3, 1)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NEARLY
    assert result.too_far_below == ["Strategy"]
    assert result.reasons[0] == "1 capability below Senior PM, by 2 steps (Ready allows 1): Strategy"


def test_three_steps_below_is_not_yet():
    standings = [standing(f"Cap {n}", None, 4, 4) for n in range(9)] + [standing("Strategy", None, 4, 1)]
    result = assess(standings, RULE, "Principal PM")
    assert result.verdict == Verdict.NOT_YET
    assert result.largest_gap == 3


def test_many_short_is_not_yet():
    standings = [standing(f"Cap {n}", 2, 3, 2) for n in range(5)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NOT_YET
    assert result.reasons[0].startswith("5 capabilities below Senior PM: Cap 0, Cap 1")


def test_below_the_current_level_is_not_yet_when_the_rule_requires_it():
    # Delivery meets the target but not the current level, which asks for more.
    standings = [standing(f"Cap {n}", 2, 3, 3) for n in range(4)] + [standing("Delivery", 3, 2, 2)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NOT_YET
    assert "1 capability below the current level, PM: Delivery" in result.reasons


def test_below_the_current_level_does_not_count_when_the_rule_says_so():
    standings = [standing(f"Cap {n}", 2, 3, 3) for n in range(4)] + [standing("Delivery", 3, 3, 2)]
    result = assess(standings, Rule(requires_current_level=False), "Senior PM", "PM")
    assert result.verdict == Verdict.READY
    assert result.below_current == []


def test_not_applicable_capabilities_are_left_out_of_the_share():
    standings = [
        standing("Strategy", 2, 3, 3),
        standing("Delivery", 2, 3, 3),
        standing("Budgets", 2, 3, None, not_applicable=True),
        standing("Hiring", 2, 3, None, not_applicable=True),
    ]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.READY
    assert result.asked == 2
    assert result.not_applicable == ["Budgets", "Hiring"]
    assert result.reasons[0] == "Meets 2 of 2 expectations of Senior PM (100%; Ready needs 80%)"


def test_capabilities_not_asked_at_the_target_are_ignored():
    standings = [
        standing("Strategy", 2, 3, 3),
        standing("Delivery", 2, 3, 3),
        standing("Coding", None, None, 1),
    ]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.READY
    assert result.asked == 2
    assert "Coding" not in " ".join(result.reasons)


def test_a_capability_new_at_the_target_counts_only_for_the_target():
    standings = [standing("Strategy", 2, 3, 3), standing("Coaching", None, 2, 1)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NEARLY
    assert result.below_current == []
    assert result.below_target == ["Coaching"]


def test_unrated_capabilities_stop_ready_and_are_named():
    standings = [standing(f"Cap {n}", 2, 3, 3) for n in range(9)] + [standing("Strategy", 2, 3, None)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NEARLY
    assert "1 capability not rated yet: Strategy" in result.reasons


def test_share_boundary_uses_the_frameworks_percentage():
    standings = [standing(f"Cap {n}", None, 3, 3) for n in range(3)] + [standing("Strategy", None, 3, 2)]
    assert assess(standings, Rule(target_share=75), "Senior PM").verdict == Verdict.READY
    assert assess(standings, Rule(target_share=100), "Senior PM").verdict == Verdict.NEARLY


def test_rule_reads_the_frameworks_fields_and_describes_itself(framework):
    framework.readiness_target_share = 90
    rule = Rule.for_framework(framework)
    assert rule == Rule(target_share=90, max_steps_below=1, requires_current_level=True)
    assert rule.description == (
        "Ready means: meets every expectation of the current level, meets at least 90% of the target level's "
        "expectations and no capability more than 1 step below the target."
    )


def test_verdicts_sort_ready_first():
    assert sorted([Verdict.NOT_YET, Verdict.READY, Verdict.NEARLY], key=lambda v: v.order) == [
        Verdict.READY,
        Verdict.NEARLY,
        Verdict.NOT_YET,
    ]


def test_reasons_are_one_line_each_and_name_every_capability_once():
    standings = [
        standing("Strategy", 3, 4, 2),  # 2 steps below the target, below the current level too
        standing("Delivery", 3, 4, 3),  # 1 step below the target
        standing("Budgets", 2, 3, 1),  # 2 steps below the target, below the current level too
        standing("Insight", 3, 4, 4),
        standing("Coaching", 2, 3, None),
    ]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.verdict == Verdict.NOT_YET
    assert result.reasons == [
        "3 capabilities below Senior PM, by 2 steps (Ready allows 1): Strategy, Budgets; by 1 step: Delivery",
        "2 of these are also below the current level, PM",
        "1 capability not rated yet: Coaching",
        "Meets 1 of 5 expectations of Senior PM (20%; Ready needs 80%)",
    ]
    text = " ".join(result.reasons)
    for name in ("Strategy", "Delivery", "Budgets", "Coaching"):
        assert text.count(name) == 1, name
    assert result.headline == "3 capabilities below Senior PM"


def test_below_the_current_level_names_only_what_the_target_line_has_not():
    standings = [
        standing("Strategy", 2, 3, 1),  # below both
        standing("Delivery", 3, None, 2),  # the target does not ask: below the current level only
        standing("Insight", 2, 3, 3),
    ]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.reasons[:2] == [
        "1 capability below Senior PM, by 2 steps (Ready allows 1): Strategy",
        "2 capabilities below the current level, PM: Delivery, and 1 of those named above",
    ]


def test_a_single_capability_below_both_levels_is_named_once():
    standings = [standing("Strategy", 3, 3, 2), standing("Insight", 3, 3, 3)]
    result = assess(standings, RULE, "Senior PM", "PM")
    assert result.reasons[:2] == ["1 capability below Senior PM: Strategy", "It is also below the current level, PM"]

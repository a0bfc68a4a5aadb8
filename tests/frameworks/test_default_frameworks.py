"""The two frameworks that ship with Pathway: their keys are fixed, their facts follow the sources."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from frameworks.models import Capability, Expectation, Framework, Level

A, W, P, E = "awareness", "working", "practitioner", "expert"
GOV_LEVELS = ["apm", "pm", "spm", "lpm", "hop"]

# The UK government Digital and Data capability framework, product manager role: required mastery per skill.
GOV_REQUIRED = {
    "agile-and-lean-practices": [W, P, P, E, E],
    "applying-user-centred-insights": [W, P, P, E, E],
    "creating-value-for-money": [A, W, P, P, E],
    "life-cycle-management": [A, W, P, E, E],
    "managing-product-outcomes": [A, W, P, P, E],
    "product-leadership": [A, W, P, P, E],
    "product-management": [W, P, E, E, E],
    "stakeholder-relationship-management": [W, P, P, E, E],
    "strategic-ownership": [A, W, P, E, E],
}
LEADERSHIP_SKILLS = ["business-strategy", "digital-transformation", "teaching", "mentoring", "coaching", "facilitating"]
RANK = {A: 1, W: 2, P: 3, E: 4}


@pytest.fixture
def defaults(db):
    call_command("load_default_frameworks", stdout=StringIO())
    return {framework.key: framework for framework in Framework.objects.published()}


def mastery(framework):
    """{capability key: {level key: scale key}} for a framework version."""
    table = {}
    for capability, level, scale in Expectation.objects.filter(level__framework=framework).values_list(
        "capability__key", "level__key", "scale_level__key"
    ):
        table.setdefault(capability, {})[level] = scale
    return table


def test_both_default_frameworks_are_published_under_their_fixed_keys(defaults):
    assert set(defaults) == {"gov-product-management", "product-tracks"}
    assert all(framework.version == 1 for framework in defaults.values())


def test_loading_the_defaults_twice_changes_nothing(defaults):
    before = (Framework.objects.count(), Level.objects.count(), Expectation.objects.count())
    history = Framework.history.count()
    call_command("load_default_frameworks", stdout=StringIO())
    assert (Framework.objects.count(), Level.objects.count(), Expectation.objects.count()) == before
    assert Framework.history.count() == history


def test_government_framework_has_five_levels_and_fifteen_capabilities(defaults):
    framework = defaults["gov-product-management"]
    assert list(framework.scale_levels.values_list("key", flat=True)) == [A, W, P, E]
    assert list(framework.tracks.values_list("key", "kind")) == [("product", "ic")]
    levels = list(framework.levels.values_list("key", "name", "grade", "stage"))
    assert levels == [
        ("apm", "Associate Product Manager", 1, "Product management"),
        ("pm", "Product Manager", 2, "Product management"),
        ("spm", "Senior Product Manager", 3, "Product leadership"),
        ("lpm", "Lead Product Manager", 4, "Product leadership"),
        ("hop", "Head of Product", 5, "Product leadership"),
    ]
    keys = set(framework.capabilities.values_list("key", flat=True))
    assert keys == set(GOV_REQUIRED) | set(LEADERSHIP_SKILLS)
    assert len(keys) == 15
    assert set(framework.capabilities.filter(area__key="leadership").values_list("key", flat=True)) == set(
        LEADERSHIP_SKILLS
    )


def test_government_framework_asks_exactly_the_mastery_the_government_table_requires(defaults):
    table = mastery(defaults["gov-product-management"])
    for skill, required in GOV_REQUIRED.items():
        assert table[skill] == dict(zip(GOV_LEVELS, required, strict=True)), skill


def test_leadership_skills_are_asked_only_from_senior_product_manager_up(defaults):
    table = mastery(defaults["gov-product-management"])
    for skill in LEADERSHIP_SKILLS:
        assert set(table[skill]) == {"spm", "lpm", "hop"}, skill
        assert table[skill]["spm"] in (W, P)


def test_government_framework_names_its_source_and_licence(defaults):
    source = defaults["gov-product-management"].source
    assert "https://ddat-capability-framework.service.gov.uk/product-manager.html" in source
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in source


@pytest.mark.parametrize("key", ["gov-product-management", "product-tracks"])
def test_everything_is_described(defaults, key):
    framework = defaults[key]
    assert framework.description and framework.source
    assert all(framework.scale_levels.values_list("description", flat=True))
    assert all(framework.areas.values_list("description", flat=True))
    assert all(framework.tracks.values_list("description", flat=True))
    assert all(framework.levels.values_list("summary", flat=True))
    for name, short_name, description in framework.capabilities.values_list("name", "short_name", "description"):
        assert description, name
        assert short_name and len(short_name) <= 20, name
    descriptions = Expectation.objects.filter(level__framework=framework).values_list("description", flat=True)
    assert all(text.endswith(".") and len(text) > 20 for text in descriptions)


@pytest.mark.parametrize("key", ["gov-product-management", "product-tracks"])
def test_mastery_never_drops_along_a_track(defaults, key):
    framework = defaults[key]
    for track in framework.tracks.all():
        levels = list(track.levels.values_list("key", flat=True))
        for capability, by_level in mastery(framework).items():
            ranks = [RANK[by_level[level]] for level in levels if level in by_level]
            assert ranks == sorted(ranks), (track.key, capability)
            asked = [level in by_level for level in levels]
            assert asked == sorted(asked), f"{capability} stops being asked on {track.key}"


@pytest.mark.parametrize("key", ["gov-product-management", "product-tracks"])
def test_short_names_are_unique_for_the_heatmap(defaults, key):
    short_names = Counter(Capability.objects.filter(framework=defaults[key]).values_list("short_name", flat=True))
    assert max(short_names.values()) == 1


def test_product_tracks_has_an_ic_and_a_management_track_with_aligned_grades(defaults):
    framework = defaults["product-tracks"]
    assert list(framework.tracks.values_list("key", "kind")) == [("ic", "ic"), ("management", "management")]
    levels = {
        key: (track, grade, stage)
        for key, track, grade, stage in framework.levels.values_list("key", "track__key", "grade", "stage")
    }
    assert levels == {
        "pm": ("ic", 1, "Foundation building"),
        "senior-pm": ("ic", 2, "Iterative growth"),
        "principal-pm": ("ic", 3, "Strategic leadership"),
        "group-pm": ("management", 3, "Strategic leadership"),
        "head-of-product": ("management", 4, "Strategic leadership"),
        "cpo": ("management", 5, "Strategic leadership"),
    }
    assert levels["principal-pm"][1] == levels["group-pm"][1]
    assert list(framework.scale_levels.values_list("key", flat=True)) == [A, W, P, E]


def test_product_tracks_keeps_the_craft_on_the_management_track_and_leadership_off_the_ic_track(defaults):
    framework = defaults["product-tracks"]
    table = mastery(framework)
    craft = framework.capabilities.filter(area__key__in=["product-judgement", "strategy"]).values_list("key", flat=True)
    for capability in craft:
        assert {"group-pm", "head-of-product", "cpo"} <= set(table[capability]), capability
    organisation = framework.capabilities.filter(area__key="organisation-leadership").values_list("key", flat=True)
    for capability in organisation:
        asked_on_ic = {
            level: table[capability][level]
            for level in ("pm", "senior-pm", "principal-pm")
            if level in table[capability]
        }
        assert all(scale in (A, W) for scale in asked_on_ic.values()), capability
    leading = framework.capabilities.filter(area__key="leading-people").values_list("key", flat=True)
    for capability in leading:
        assert not {"pm", "senior-pm"} & set(table[capability]), capability


def test_each_product_tracks_level_asks_at_least_what_the_level_below_asks(defaults):
    framework = defaults["product-tracks"]
    for track in framework.tracks.all():
        counts = [level.expectations.count() for level in track.levels.all()]
        assert counts == sorted(counts) and counts[0] > 0, track.key

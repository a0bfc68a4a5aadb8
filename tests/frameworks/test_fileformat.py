"""Reading, importing and exporting pathway-framework/1 files."""

import copy
import json
from pathlib import Path

import pytest
import yaml

from frameworks.fileformat import (
    FrameworkFileError,
    dump_spec,
    export_framework,
    framework_to_spec,
    import_framework,
    parse_framework_file,
)
from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track
from tests.factories import TWO_LEADS, make_framework

DATA = Path(__file__).resolve().parents[2] / "frameworks" / "data"
DEFAULT_FILES = sorted(DATA.glob("*.yaml"))

HAND_WRITTEN = """\
# A hand-written file: comments, flow style, fields in any order, spare spaces.
format: pathway-framework/1
name:   Support engineering
key: support
description: |
  A ladder for support engineers.
  Second line.
readiness: {target_share: 75, current_level_met: false}
scale:
  - {name: Learning, key: learning, description: "  Still learning.  "}
  - {key: doing, name: Doing}
  - {key: teaching, name: Teaching}
areas:
  - key: customers
    name: Customers
    capabilities:
      - {key: empathy, name: Empathy, short_name: Empathy}
      - {key: triage, name: Triage, description: Sorting problems by urgency.}
  - key: product
    name: Product knowledge
    capabilities:
      - {key: debugging, name: Debugging}
tracks:
  - key: ic
    name: Engineer
    levels:
      - key: se1
        name: Support engineer
        grade: 1
        stage: Early career
        expectations:
          debugging: {level: learning}
          empathy: doing
      - key: se2
        name: Senior support engineer
        grade: 1
        summary: Leads on hard cases.
        expectations:
          triage: {level: teaching, description: Teaches triage to new starters.}
          debugging: doing
          empathy: doing
  - key: lead
    name: Team lead
    kind: management
    description: Leads a support team.
    levels: []
"""

NORMALISED = """\
format: pathway-framework/1
key: support
name: Support engineering
version: 1
description: |-
  A ladder for support engineers.
  Second line.
readiness:
  target_share: 75
  max_steps_below: 1
  current_level_met: false
scale:
- key: learning
  name: Learning
  description: Still learning.
- key: doing
  name: Doing
- key: teaching
  name: Teaching
areas:
- key: customers
  name: Customers
  capabilities:
  - key: empathy
    name: Empathy
    short_name: Empathy
  - key: triage
    name: Triage
    description: Sorting problems by urgency.
- key: product
  name: Product knowledge
  capabilities:
  - key: debugging
    name: Debugging
tracks:
- key: ic
  name: Engineer
  kind: ic
  levels:
  - key: se1
    name: Support engineer
    grade: 1
    stage: Early career
    expectations:
      empathy: doing
      debugging: learning
  - key: se2
    name: Senior support engineer
    grade: 1
    summary: Leads on hard cases.
    expectations:
      empathy: doing
      triage:
        level: teaching
        description: Teaches triage to new starters.
      debugging: doing
- key: lead
  name: Team lead
  kind: management
  description: Leads a support team.
"""


def with_version(content, version):
    return content.replace("key: support\n", f"key: support\nversion: {version}\n", 1)


# Reading -------------------------------------------------------------------------------------------


def test_parse_fills_defaults_and_orders_expectations_like_the_capabilities():
    spec = parse_framework_file(HAND_WRITTEN, "support.yaml")
    assert spec["version"] == 1
    assert spec["source"] == ""
    assert spec["readiness"] == {"target_share": 75, "max_steps_below": 1, "current_level_met": False}
    assert spec["scale"][0] == {"key": "learning", "name": "Learning", "description": "Still learning."}
    assert spec["tracks"][0]["kind"] == "ic"
    se1 = spec["tracks"][0]["levels"][0]
    assert se1["summary"] == ""
    assert list(se1["expectations"]) == ["empathy", "debugging"]
    assert se1["expectations"]["debugging"] == {"level": "learning", "description": "", "examples": []}


def test_json_is_read_by_extension_or_by_its_opening_brace():
    as_json = json.dumps(yaml.safe_load(HAND_WRITTEN))
    expected = parse_framework_file(HAND_WRITTEN)
    assert parse_framework_file(as_json, "support.json") == expected
    assert parse_framework_file(as_json.encode(), "upload") == expected
    assert parse_framework_file(as_json.encode(), "") == expected


def test_yaml_dates_and_numbers_are_not_taken_for_text():
    dated = HAND_WRITTEN.replace("name: Debugging}", "name: 2024-01-01}")
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(dated)
    assert caught.value.errors == ["areas[1].capabilities[0].name: expected text, got a date"]


# Importing -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_a_draft_with_positions_from_list_order():
    framework, outcome = import_framework(parse_framework_file(HAND_WRITTEN))
    assert outcome == "created"
    assert framework.is_draft and framework.version == 1
    assert framework.readiness_target_share == 75 and framework.readiness_requires_current_level is False
    assert list(framework.scale_levels.values_list("key", "rank")) == [("learning", 1), ("doing", 2), ("teaching", 3)]
    assert list(framework.areas.values_list("key", "position")) == [("customers", 0), ("product", 1)]
    assert list(framework.capabilities.values_list("key", "area__key", "position")) == [
        ("empathy", "customers", 0),
        ("triage", "customers", 1),
        ("debugging", "product", 0),
    ]
    assert list(framework.tracks.values_list("key", "kind", "position")) == [("ic", "ic", 0), ("lead", "management", 1)]
    assert list(framework.levels.values_list("key", "track__key", "grade", "position")) == [
        ("se1", "ic", 1, 0),
        ("se2", "ic", 1, 1),
    ]
    triage = Expectation.objects.get(level__key="se2", capability__key="triage")
    assert (triage.scale_level.key, triage.description) == ("teaching", "Teaches triage to new starters.")
    assert not Expectation.objects.filter(level__key="se1", capability__key="triage").exists()


@pytest.mark.django_db
def test_import_with_publish_publishes_the_new_version():
    framework, outcome = import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    assert outcome == "created"
    framework.refresh_from_db()
    assert framework.status == Framework.Status.PUBLISHED and framework.published_at is not None


@pytest.mark.django_db
def test_publishing_a_new_version_archives_the_previous_one():
    first, _ = import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    second, outcome = import_framework(parse_framework_file(with_version(HAND_WRITTEN, 2)), publish=True)
    first.refresh_from_db()
    assert outcome == "created"
    assert (first.status, second.status) == (Framework.Status.ARCHIVED, Framework.Status.PUBLISHED)


@pytest.mark.django_db
def test_reimporting_a_published_version_unchanged_writes_nothing(django_assert_max_num_queries):
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    history = Framework.history.count()
    with django_assert_max_num_queries(9):
        again, outcome = import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    assert (again.pk, outcome) == (framework.pk, "unchanged")
    assert Framework.history.count() == history
    assert Framework.objects.count() == 1


@pytest.mark.django_db
def test_reimporting_into_a_draft_replaces_its_contents_whole():
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    changed = HAND_WRITTEN.replace("      - {key: debugging, name: Debugging}\n", "").replace(
        "          debugging: {level: learning}\n", ""
    )
    changed = changed.replace("          debugging: doing\n", "").replace(
        "name:   Support engineering", "name: Support"
    )
    again, outcome = import_framework(parse_framework_file(changed))
    assert (again.pk, outcome) == (framework.pk, "replaced")
    framework.refresh_from_db()
    assert framework.name == "Support" and framework.is_draft
    assert list(framework.capabilities.values_list("key", flat=True)) == ["empathy", "triage"]
    assert framework_to_spec(framework) == parse_framework_file(changed)
    assert Capability.objects.count() == 2 and Framework.objects.count() == 1


@pytest.mark.django_db
def test_replacing_a_draft_and_publishing_it():
    import_framework(parse_framework_file(HAND_WRITTEN))
    framework, outcome = import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    assert outcome == "replaced"
    assert Framework.objects.get(pk=framework.pk).status == Framework.Status.PUBLISHED


@pytest.mark.django_db
def test_a_failure_half_way_through_writing_leaves_nothing_behind(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Expectation.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_framework(parse_framework_file(HAND_WRITTEN), publish=True)
    for model in (Framework, ScaleLevel, CapabilityArea, Capability, Track, Level, Expectation):
        assert not model.objects.exists(), model


@pytest.mark.django_db
def test_a_failure_while_replacing_a_draft_keeps_the_draft_as_it_was(monkeypatch):
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    before = framework_to_spec(framework)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Level.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_framework(parse_framework_file(HAND_WRITTEN.replace("Triage", "Sorting")))
    framework.refresh_from_db()
    assert framework_to_spec(framework) == before


@pytest.mark.django_db
def test_a_draft_with_people_placed_on_it_cannot_be_replaced(pm):
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    pm.person.level = framework.levels.get(key="se1")
    pm.person.save()
    with pytest.raises(FrameworkFileError) as caught:
        import_framework(parse_framework_file(HAND_WRITTEN))
    assert caught.value.errors[0].startswith("version: draft version 1 of support is in use")
    assert framework.levels.count() == 2


@pytest.mark.django_db
def test_import_runs_a_fixed_number_of_queries_whatever_the_size(django_assert_max_num_queries):
    big = parse_framework_file(DEFAULT_FILES[0].read_bytes(), DEFAULT_FILES[0].name)
    with django_assert_max_num_queries(20):
        import_framework(big)
    with django_assert_max_num_queries(20):
        import_framework(parse_framework_file(HAND_WRITTEN))


# Exporting -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_then_export_gives_the_normalised_file():
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    assert export_framework(framework) == NORMALISED
    assert dump_spec(parse_framework_file(HAND_WRITTEN)) == NORMALISED


@pytest.mark.django_db
def test_json_export_has_the_same_content_as_yaml():
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    assert json.loads(export_framework(framework, "json")) == yaml.safe_load(NORMALISED)
    assert export_framework(framework, "json").startswith('{\n  "format": "pathway-framework/1",\n  "key": "support",')


@pytest.mark.django_db
def test_export_refuses_an_unknown_format(framework):
    with pytest.raises(ValueError, match="use 'yaml' or 'json'"):
        export_framework(framework, "xml")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("path", DEFAULT_FILES, ids=[path.stem for path in DEFAULT_FILES])
def test_default_frameworks_round_trip_without_loss(path, fmt):
    original, _ = import_framework(parse_framework_file(path.read_bytes(), path.name))
    exported = export_framework(original, fmt)
    original_spec = framework_to_spec(original)
    # Remove the draft (expectations first: they protect the scale) and import the export in its place.
    Expectation.objects.filter(level__framework=original).delete()
    original.delete()

    copy, outcome = import_framework(parse_framework_file(exported, f"{path.stem}.{fmt}"))
    assert outcome == "created"
    assert export_framework(copy, fmt) == exported
    assert framework_to_spec(copy) == original_spec


@pytest.mark.django_db
def test_default_framework_files_are_already_in_normalised_form():
    for path in DEFAULT_FILES:
        text = path.read_text(encoding="utf-8")
        without_comments = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
        assert dump_spec(parse_framework_file(text, path.name)) == without_comments, path.name


@pytest.mark.django_db
def test_a_framework_built_in_the_admin_exports_and_imports_as_a_new_version(framework):
    exported = export_framework(framework)
    copy, outcome = import_framework(parse_framework_file(exported.replace("version: 1\n", "version: 2\n", 1)))
    assert outcome == "created"
    original, imported = framework_to_spec(framework), framework_to_spec(copy)
    assert imported.pop("version") == 2 and original.pop("version") == 1
    assert imported == original


@pytest.mark.django_db
def test_export_writes_multi_line_text_as_a_block_and_keeps_unicode():
    framework = make_framework(publish=False)
    area = framework.areas.first()
    area.description = "Line one —\r\nline two é"
    area.save()
    exported = export_framework(framework)
    assert "  description: |-\n    Line one —\n    line two é\n" in exported
    assert parse_framework_file(exported)["areas"][0]["description"] == "Line one —\nline two é"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Before\x85after", "Line one\nthen\x85the rest"])
def test_export_keeps_a_next_line_character_that_yaml_would_read_as_a_line_break(text):
    # Found by the fuzz test: written plain, quoted or as a block, U+0085 came back as a space or a line break.
    framework = make_framework(publish=False)
    Capability.objects.filter(framework=framework, key="cap-1-1").update(description=text)
    exported = export_framework(framework)
    assert parse_framework_file(exported)["areas"][0]["capabilities"][0]["description"] == text


@pytest.mark.django_db
def test_export_is_the_same_every_time(framework):
    assert export_framework(framework) == export_framework(Framework.objects.get(pk=framework.pk))
    assert export_framework(framework, "json") == export_framework(framework, "json")


@pytest.mark.django_db
def test_the_example_in_the_documentation_imports():
    document = (Path(__file__).resolve().parents[2] / "docs" / "framework-format.md").read_text(encoding="utf-8")
    example = document.split("```yaml\n", 1)[1].split("```", 1)[0]
    framework, outcome = import_framework(parse_framework_file(example, "example.yaml"))
    assert outcome == "created"
    assert framework.levels.get().expectations.count() == 2


# Level keys are unique within their track ----------------------------------------------------------


@pytest.mark.django_db
def test_two_tracks_may_each_have_a_level_keyed_lead_and_it_round_trips():
    framework, outcome = import_framework(parse_framework_file(TWO_LEADS), publish=True)
    assert outcome == "created"
    leads = {level.track.key: level for level in framework.levels.filter(key="lead").select_related("track")}
    assert {track: level.name for track, level in leads.items()} == {
        "ic": "Lead engineer",
        "mgmt": "Engineering team lead",
    }
    # Each lead keeps its own expectations: they are written to the level of the right track.
    asked = {
        track: dict(level.expectations.values_list("capability__key", "scale_level__key"))
        for track, level in leads.items()
    }
    assert asked == {
        "ic": {"code": "teaching", "design": "teaching", "mentoring": "doing"},
        "mgmt": {"code": "doing", "design": "doing", "mentoring": "teaching"},
    }

    exported = export_framework(framework)
    assert exported.count("  - key: lead\n") == 2
    copy, outcome = import_framework(parse_framework_file(exported.replace("version: 1\n", "version: 2\n", 1)))
    assert outcome == "created"
    assert export_framework(copy) == exported.replace("version: 1\n", "version: 2\n", 1)
    original, imported = framework_to_spec(framework), framework_to_spec(copy)
    assert imported.pop("version") == 2 and original.pop("version") == 1
    assert imported == original
    # Importing the same file again leaves the published version alone: it matches what is stored.
    assert import_framework(parse_framework_file(exported))[1] == "unchanged"


@pytest.mark.django_db
def test_a_real_framework_family_with_a_one_level_track_keyed_like_another_tracks_level_imports_whole():
    # The government product family, with Head of Product also offered as a people-leadership role: a track
    # of one level whose key, `hop`, is the key of the product track's top level.
    path = DATA / "gov-product-management.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    product = document["tracks"][0]
    head = next(level for level in product["levels"] if level["key"] == "hop")
    document["tracks"].append(
        {
            "key": "people-leadership",
            "name": "People leadership",
            "kind": "management",
            "levels": [
                {**copy.deepcopy(head), "name": "Head of Product (people leader)", "summary": "Leads the product team."}
            ],
        }
    )
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)

    framework, outcome = import_framework(parse_framework_file(text, path.name), publish=True)
    assert outcome == "created"
    levels = list(framework.levels.select_related("track").order_by("track__position", "position"))
    assert [level.ref for level in levels] == [
        "product/apm",
        "product/pm",
        "product/spm",
        "product/lpm",
        "product/hop",
        "people-leadership/hop",
    ]
    expected = len(head["expectations"])
    assert [level.expectations.count() for level in levels if level.key == "hop"] == [expected, expected]
    assert Expectation.objects.filter(level__framework=framework).count() == sum(
        len(level.get("expectations", {})) for track in document["tracks"] for level in track["levels"]
    )
    assert framework_to_spec(framework) == parse_framework_file(text, path.name)

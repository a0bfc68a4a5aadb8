"""Markdown ladders (YAML front matter with levels and topics) read into a criteria framework."""

from pathlib import Path

import pytest
import yaml

from frameworks.fileformat import (
    FrameworkFileError,
    export_framework,
    framework_to_spec,
    import_framework,
    parse_framework_file,
)
from frameworks.fileformat.markdown import parse_markdown_ladder
from frameworks.models import Expectation, Framework

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
LADDER = (EXAMPLES / "support-ladder.md").read_text()

SMALL = """\
---
title: Data ladder
levels: 2
topics:
  - name: analysis_skills
    title: Analysis
    content:
      - level: 1
        criteria:
          - Runs a query someone else wrote.
        examples:
          - Updates the weekly report.
      - level: 2
        criteria: Writes queries from scratch.
---
Body text.
"""


def test_a_ladder_becomes_a_criteria_framework_with_one_track():
    spec = parse_markdown_ladder(SMALL, "data-ladder.md")
    assert spec["key"] == "data-ladder"  # from the file name when the front matter has none
    assert spec["name"] == "Data ladder" and spec["description"] == "Body text."
    assert spec["scale_kind"] == "criteria"
    assert [step["name"] for step in spec["scale"]] == ["Not yet", "Meets", "Exceeds"]
    assert spec["readiness"]["current_level_met"] is False
    [capability] = spec["areas"][0]["capabilities"]
    assert capability == {"key": "analysis-skills", "name": "Analysis", "short_name": "", "description": ""}
    [track] = spec["tracks"]
    assert [(level["key"], level["name"], level["grade"]) for level in track["levels"]] == [
        ("level-1", "Level 1", 1),
        ("level-2", "Level 2", 2),
    ]
    assert track["levels"][0]["expectations"]["analysis-skills"] == {
        "level": "meets",
        "description": "Runs a query someone else wrote.",
        "examples": ["Updates the weekly report."],
    }
    assert track["levels"][1]["expectations"]["analysis-skills"]["examples"] == []


def test_level_names_may_be_listed_and_site_fields_are_ignored():
    text = SMALL.replace("levels: 2", "levels: [Analyst, Senior analyst]\npath: /data\nsidebarGroup: Data")
    spec = parse_markdown_ladder(text, "x.md")
    assert [level["key"] for level in spec["tracks"][0]["levels"]] == ["analyst", "senior-analyst"]


@pytest.mark.django_db
def test_the_example_ladder_imports_and_round_trips_through_the_pathway_format():
    spec = parse_markdown_ladder(LADDER, "support-ladder.md")
    framework, outcome = import_framework(spec)
    assert outcome == "created" and framework.is_criteria
    assert framework_to_spec(framework) == spec
    exported = export_framework(framework)
    document = yaml.safe_load(exported)
    assert document["scale"] == "criteria" and "readiness" not in document
    care = document["tracks"][0]["levels"][0]["expectations"]["customer-care"]
    assert care["examples"] == [
        "Closes a password-reset request in one reply.",
        "Flags an angry customer to the shift lead instead of guessing.",
    ]
    assert document["tracks"][0]["levels"][0]["expectations"]["troubleshooting"] == (
        "Reproduces a reported problem by following the runbook."
    )
    assert parse_framework_file(exported) == spec
    assert Expectation.objects.filter(level__framework=framework).exclude(scale_level__key="meets").count() == 0
    assert framework.publishing_problems() == []


# Malformed ladders: each is refused whole, with the line and column (and field) at fault. -----------

BROKEN = [
    ("no front matter", "title: x\n", "line 1, column 1: a Markdown ladder starts with front matter"),
    ("front matter never closed", "---\ntitle: x\nlevels: 1\n", "line 4, column 1: the front matter that starts"),
    ("YAML syntax", SMALL.replace("title: Data ladder", "title: [Data"), "line 3, column 7: YAML syntax error"),
    (
        "unknown field",
        SMALL.replace("topics:", "topic:"),
        "line 4, column 1 (topic): unknown field; did you mean 'topics'?",
    ),
    (
        "no levels",
        SMALL.replace("levels: 2", "levels: 0"),
        "line 3, column 1 (levels): must be a number of levels from 1 to 50, not 0",
    ),
    (
        "level out of range",
        SMALL.replace("- level: 2", "- level: 5"),
        "line 13, column 9 (topics[0].content[1].level): expected a level number from 1 to 2",
    ),
    (
        "level twice",
        SMALL.replace("- level: 2", "- level: 1"),
        "line 13, column 9 (topics[0].content[1].level): level 1 is given twice",
    ),
    (
        "empty criteria",
        SMALL.replace("criteria: Writes queries from scratch.", "criteria: []"),
        "line 14, column 9 (topics[0].content[1].criteria): must not be empty",
    ),
    (
        "example not text",
        SMALL.replace("- Updates the weekly report.", "- 42"),
        "line 12, column 13 (topics[0].content[0].examples[0]): expected a text, got the number 42",
    ),
    (
        "topic without a name",
        SMALL.replace("- name: analysis_skills\n    title", "- title"),
        "(topics[0].name): missing",
    ),
    ("no title", SMALL.replace("title: Data ladder\n", ""), "(title): missing"),
    (
        "duplicate key",
        SMALL.replace("levels: 2", "levels: 2\nlevels: 3"),
        "line 4: duplicate key 'levels' (first given on line 3)",
    ),
    ("title too long", SMALL.replace("Data ladder", "D" * 201), "line 2, column 1 (title): is 201 characters long"),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_malformed_ladder_is_refused_with_the_place_at_fault(text, expected):
    with pytest.raises(FrameworkFileError) as raised:
        parse_markdown_ladder(text, "data.md")
    assert any(expected in error for error in raised.value.errors), raised.value.errors


def test_every_problem_is_reported_at_once():
    text = SMALL.replace("levels: 2", "levels: 0").replace("- Updates the weekly report.", "- 42")
    with pytest.raises(FrameworkFileError) as raised:
        parse_markdown_ladder(text.replace("title: Data ladder\n", "titel: Data\n"), "data.md")
    assert len(raised.value.errors) >= 3, raised.value.errors
    assert any("did you mean 'title'" in error for error in raised.value.errors)


@pytest.mark.django_db
def test_a_refused_ladder_writes_nothing():
    with pytest.raises(FrameworkFileError):
        import_framework(parse_markdown_ladder(SMALL.replace("- level: 2", "- level: 9"), "data.md"))
    assert not Framework.objects.exists()


# The pathway-framework/1 file: examples on any expectation, and `scale: criteria`. --------------------

MASTERY_WITH_EXAMPLES = """\
format: pathway-framework/1
key: tiny
name: Tiny
scale: [{key: low, name: Low}, {key: high, name: High}]
areas: [{key: a, name: A, capabilities: [{key: c, name: C}]}]
tracks:
  - key: ic
    name: IC
    levels:
      - key: one
        name: One
        grade: 1
        expectations:
          c: {level: high, examples: [Leads a review., "  Writes the plan.  "]}
"""


@pytest.mark.django_db
def test_examples_round_trip_on_a_mastery_framework():
    spec = parse_framework_file(MASTERY_WITH_EXAMPLES)
    expectation = spec["tracks"][0]["levels"][0]["expectations"]["c"]
    assert expectation == {"level": "high", "description": "", "examples": ["Leads a review.", "Writes the plan."]}
    framework, _ = import_framework(spec)
    assert framework.scale_kind == "mastery"
    exported = export_framework(framework)
    assert "c:\n        level: high\n        examples:\n        - Leads a review." in exported
    assert parse_framework_file(exported) == spec
    copy = framework.publish().new_version()
    assert Expectation.objects.get(level__framework=copy).examples == ["Leads a review.", "Writes the plan."]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("scale: [{key: low, name: Low}, {key: high, name: High}]", "scale: criterion"), "scale: expected a list"),
        (
            (
                "scale: [{key: low, name: Low}, {key: high, name: High}]",
                "scale: criteria\nreadiness: {current_level_met: true}",
            ),
            "readiness.current_level_met: must be false with `scale: criteria`",
        ),
        (
            ("c: {level: high, examples:", "c: {level: high, description: x, examples: 3, z:"),
            "examples: expected a list",
        ),
        (("Leads a review.", "'" + "x" * 301 + "'"), "examples[0]: is 301 characters long"),
    ],
)
def test_bad_criteria_and_examples_are_refused(change, expected):
    with pytest.raises(FrameworkFileError) as raised:
        parse_framework_file(MASTERY_WITH_EXAMPLES.replace(*change))
    assert any(expected in error for error in raised.value.errors), raised.value.errors


def test_a_criteria_expectation_is_its_criteria_text():
    text = MASTERY_WITH_EXAMPLES.replace("scale: [{key: low, name: Low}, {key: high, name: High}]", "scale: criteria")
    with pytest.raises(FrameworkFileError) as raised:
        parse_framework_file(text)
    errors = raised.value.errors
    assert "tracks[0].levels[0].expectations.c.description: missing" in errors, errors
    assert any(error.startswith("tracks[0].levels[0].expectations.c.level: unknown field") for error in errors)
    spec = parse_framework_file(text.replace("{level: high, examples:", "{description: Leads., examples:"))
    assert spec["tracks"][0]["levels"][0]["expectations"]["c"]["level"] == "meets"


@pytest.mark.django_db
def test_a_criteria_framework_cannot_require_the_current_level(framework):
    from django.core.exceptions import ValidationError

    framework.scale_kind = "criteria"
    with pytest.raises(ValidationError, match="criteria framework"):
        framework.validate_constraints()
    framework.readiness_requires_current_level = False
    framework.validate_constraints()


# Through the format registry: the one import command (and admin page) detect a ladder. -----------------


@pytest.mark.django_db
def test_the_import_command_detects_a_ladder_and_refuses_a_broken_one_whole(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("import_framework", str(EXAMPLES / "support-ladder.md"), "--publish", stdout=out)
    framework = Framework.objects.get(key="support-ladder")
    assert framework.is_criteria and framework.status == "published"
    assert framework.levels.count() == 3 and framework.capabilities.count() == 3

    broken = tmp_path / "ladder.txt"  # no .md: the format is forced
    broken.write_text(SMALL.replace("- level: 2", "- level: 7").replace("levels: 2", "levels: 2\nlevls: 3"))
    with pytest.raises(CommandError) as raised:
        call_command("import_framework", str(broken), "--format", "markdown-ladder")
    message = str(raised.value)
    assert "nothing was changed" in message
    assert "line 4, column 1 (levls): unknown field; did you mean 'levels'?" in message
    assert "line 14, column 9 (topics[0].content[1].level): expected a level number from 1 to 2" in message
    assert not Framework.objects.filter(key="ladder").exists()


def test_a_checker_problem_is_told_at_the_front_matter_line():
    from frameworks.fileformat import read_file

    with pytest.raises(FrameworkFileError) as raised:
        read_file(SMALL.replace("title: Analysis", "title: '" + "A" * 201 + "'"), "data.md")
    assert raised.value.errors == ["line 5, column 5 (topics[0]): is 201 characters long; the most allowed is 200"], (
        raised.value.errors
    )


def test_the_example_ladder_and_its_pathway_file_describe_the_same_framework():
    yaml_file = (EXAMPLES / "support-ladder.yaml").read_text()
    assert parse_framework_file(yaml_file) == parse_markdown_ladder(LADDER, "support-ladder.md")

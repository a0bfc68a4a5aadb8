"""A malformed framework file is refused whole, with the path at fault, and nothing is written."""

import json

import pytest

from frameworks.fileformat import MAX_FILE_BYTES, FrameworkFileError, import_framework, parse_framework_file
from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track
from tests.factories import TWO_LEADS

VALID = """\
format: pathway-framework/1
key: test-ladder
name: Test ladder
scale:
  - {key: awareness, name: Awareness}
  - {key: working, name: Working}
  - {key: expert, name: Expert}
areas:
  - key: craft
    name: Craft
    capabilities:
      - {key: cap-a, name: Capability A}
      - {key: cap-b, name: Capability B}
tracks:
  - key: ic
    name: Individual contributor
    kind: ic
    levels:
      - key: junior
        name: Junior
        grade: 1
        expectations:
          cap-a: awareness
      - key: senior
        name: Senior
        grade: 2
        expectations:
          cap-a: expert
          cap-b: {level: working, description: Does it on their own.}
"""

VALID_JSON = json.dumps(
    {
        "format": "pathway-framework/1",
        "key": "test-ladder",
        "name": "Test ladder",
        "scale": [{"key": "working", "name": "Working"}],
        "areas": [{"key": "craft", "name": "Craft", "capabilities": [{"key": "cap-a", "name": "A"}]}],
        "tracks": [{"key": "ic", "name": "IC", "levels": [{"key": "one", "name": "One", "grade": 1}]}],
    },
    indent=2,
)


def variant(old, new, base=VALID):
    assert old in base, old
    return base.replace(old, new, 1)


def row_counts():
    return [
        model.objects.count()
        for model in (Framework, ScaleLevel, CapabilityArea, Capability, Track, Level, Expectation)
    ]


def rejected(content, filename="ladder.yaml"):
    """Parse and import; return the errors and check that nothing was written."""
    before = row_counts()
    with pytest.raises(FrameworkFileError) as caught:
        import_framework(parse_framework_file(content, filename))
    assert row_counts() == before
    return caught.value.errors


def assert_error(errors, path, message):
    matching = [error for error in errors if error.startswith(f"{path}: ") and message in error]
    assert matching, f"no error at {path!r} containing {message!r} in {errors!r}"


MALFORMED = [
    # Found by the fuzz test: PyYAML raised a bare ValueError for these (a server error in the admin's import).
    pytest.param(
        variant("name: Test ladder\n", 'name: "Test \\U00110000 ladder"\n'),
        "line 3, column 15",
        "YAML syntax error: an escaped character beyond the last one in Unicode",
        id="escape-beyond-unicode",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: 2026-02-30\n"),
        "line 3, column 7",
        "YAML syntax error: 2026-02-30 is not a date that exists (put it in quotes if it is text)",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: [Test ladder\n"),
        "line 4, column 6",
        "YAML syntax error",
        id="bad-yaml-syntax",
    ),
    pytest.param(
        variant("format: pathway-framework/1", "format: pathway-framework/2"),
        "format",
        "the text 'pathway-framework/2' is not a format Pathway reads; expected 'pathway-framework/1'",
        id="wrong-format-tag",
    ),
    pytest.param(
        variant("format: pathway-framework/1\n", ""),
        "format",
        "missing; a framework file starts with 'format: pathway-framework/1'",
        id="missing-format",
    ),
    pytest.param(
        variant("      - {key: cap-b, name: Capability B}", "      - {key: cap-a, name: Capability B}"),
        "areas[0].capabilities[1].key",
        "duplicate capability key 'cap-a' (also at areas[0].capabilities[0])",
        id="duplicate-capability-key",
    ),
    pytest.param(
        variant("          cap-a: expert\n", "          cap-a: expert\n          cap-a: working\n"),
        "line 29",
        "duplicate key 'cap-a' (first given on line 28)",
        id="duplicate-yaml-mapping-key",
    ),
    pytest.param(
        variant("          cap-a: awareness", "          cap-z: awareness"),
        "tracks[0].levels[0].expectations.cap-z",
        "unknown capability 'cap-z'",
        id="unknown-capability",
    ),
    pytest.param(
        variant("          cap-a: expert", "          cap-a: exprt"),
        "tracks[0].levels[1].expectations.cap-a",
        "unknown scale level 'exprt'; did you mean 'expert'?",
        id="unknown-scale-level",
    ),
    pytest.param(
        variant("{level: working,", "{level: wrking,"),
        "tracks[0].levels[1].expectations.cap-b.level",
        "unknown scale level 'wrking'",
        id="unknown-scale-level-long-form",
    ),
    pytest.param(
        variant("        grade: 2", "        grade: 0"),
        "tracks[0].levels[1].grade",
        "0 is lower than the grade of the level before it (1); grades never decrease along a track",
        id="decreasing-grade",
    ),
    pytest.param(variant("name: Test ladder\n", ""), "name", "missing", id="missing-name"),
    pytest.param(variant("name: Test ladder\n", "name: '  '\n"), "name", "must not be empty", id="blank-name"),
    pytest.param(
        variant("        grade: 1", "        grade: three"),
        "tracks[0].levels[0].grade",
        "expected a whole number (0 or more), got the text 'three'",
        id="grade-as-text",
    ),
    pytest.param(
        variant("        grade: 1", "        grade: 1.5"),
        "tracks[0].levels[0].grade",
        "expected a whole number (0 or more), got the number 1.5",
        id="grade-as-fraction",
    ),
    pytest.param(
        variant("        grade: 1", "        grade: -1"),
        "tracks[0].levels[0].grade",
        "must be 0 or more",
        id="negative-grade",
    ),
    pytest.param(
        "format: pathway-framework/1\nkey: x\nname: X\nscale: [{key: a, name: A}]\n"
        "areas: [{key: c, name: C}]\ntracks: [{key: t, name: T, levels: {key: one}}]\n",
        "tracks[0].levels",
        "expected a list of levels, got a mapping",
        id="levels-not-a-list",
    ),
    pytest.param(
        variant(
            """scale:
  - {key: awareness, name: Awareness}
  - {key: working, name: Working}
  - {key: expert, name: Expert}
""",
            "scale: []\n",
        ),
        "scale",
        "must not be empty: give at least one scale level",
        id="empty-scale",
    ),
    pytest.param(
        VALID + "# " + "x" * MAX_FILE_BYTES + "\n",
        "file",
        f"bytes; the largest framework file accepted is {MAX_FILE_BYTES:,} bytes",
        id="file-over-size-limit",
    ),
    pytest.param(
        variant("    kind: ic", "    kind: manager"),
        "tracks[0].kind",
        "must be 'ic' or 'management', not the text 'manager'",
        id="bad-kind",
    ),
    pytest.param(
        variant(
            "        expectations:\n          cap-a: awareness", "        expectation:\n          cap-a: awareness"
        ),
        "tracks[0].levels[0].expectation",
        "unknown field; did you mean 'expectations'?",
        id="unknown-field-typo",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\ncolour: blue\n"),
        "colour",
        "unknown field (the fields here are: format, key, name, version",
        id="unknown-top-level-field",
    ),
    # Found by the fuzz test: a key ending in a line break was taken, and no page could link to it after.
    pytest.param(
        variant("{key: cap-a, name: Capability A}", '{key: "cap-a\\n", name: Capability A}'),
        "areas[0].capabilities[0].key",
        "is not a valid key: use lowercase letters, digits and single hyphens",
        id="key-ending-in-a-line-break",
    ),
    pytest.param(
        variant("key: test-ladder", 'key: "test-ladder\\n"'),
        "key",
        "is not a valid key: use lowercase letters, digits and single hyphens",
        id="framework-key-ending-in-a-line-break",
    ),
    pytest.param(
        variant("{key: cap-a, name: Capability A}", "{key: Cap A, name: Capability A}"),
        "areas[0].capabilities[0].key",
        "'Cap A' is not a valid key: use lowercase letters, digits and single hyphens",
        id="non-slug-key",
    ),
    pytest.param(
        variant("key: test-ladder", "key: " + "a" * 61),
        "key",
        "is 61 characters long; a key has at most 60",
        id="key-too-long",
    ),
    pytest.param(
        variant("name: Test ladder", "name: " + "N" * 201),
        "name",
        "is 201 characters long; the most allowed is 200",
        id="name-too-long",
    ),
    pytest.param(
        variant("{key: cap-a, name: Capability A}", "{key: cap-a, name: Capability A, short_name: " + "s" * 41 + "}"),
        "areas[0].capabilities[0].short_name",
        "is 41 characters long; the most allowed is 40",
        id="short-name-too-long",
    ),
    pytest.param(
        variant("      - key: senior", "      - key: junior"),
        "tracks[0].levels[1].key",
        "duplicate level key 'junior' (also at tracks[0].levels[0])",
        id="duplicate-level-key",
    ),
    pytest.param(
        variant("  - {key: expert, name: Expert}", "  - {key: working, name: Expert}"),
        "scale[2].key",
        "duplicate scale level key 'working' (also at scale[1])",
        id="duplicate-scale-key",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\nversion: 0\n"),
        "version",
        "must be 1 or more",
        id="version-zero",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\nversion: two\n"),
        "version",
        "expected a positive whole number, got the text 'two'",
        id="version-as-text",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\nreadiness: {target_share: 150}\n"),
        "readiness.target_share",
        "must be 100 or less, not 150",
        id="readiness-share-out-of-range",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\nreadiness: {current_level_met: maybe}\n"),
        "readiness.current_level_met",
        "expected true or false, got the text 'maybe'",
        id="readiness-flag-not-boolean",
    ),
    pytest.param(
        variant("name: Test ladder\n", "name: Test ladder\nreadiness: {target_shares: 70}\n"),
        "readiness.target_shares",
        "unknown field; did you mean 'target_share'?",
        id="readiness-typo",
    ),
    pytest.param(
        variant("    name: Craft\n", "    name: &craft Craft\n    description: *craft\n"),
        "line 11, column 18",
        "aliases (*name) are not allowed",
        id="yaml-alias",
    ),
    pytest.param(
        "- format: pathway-framework/1\n",
        "file",
        "expected a mapping of fields (format, key, name, ...)",
        id="not-a-mapping",
    ),
    pytest.param("", "file", "is empty", id="empty-file"),
    pytest.param(
        variant("          cap-a: awareness", "          cap-a: 3"),
        "tracks[0].levels[0].expectations.cap-a",
        "expected a scale level key such as 'working'",
        id="expectation-not-a-key",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "path", "message"), MALFORMED)
def test_malformed_yaml_file_is_refused_with_the_path_at_fault_and_nothing_written(content, path, message):
    assert_error(rejected(content), path, message)


@pytest.mark.django_db
def test_json_syntax_error_names_line_and_column():
    broken = variant('"key": "test-ladder",', '"key": "test-ladder"', base=VALID_JSON)
    errors = rejected(broken, "ladder.json")
    assert errors == ["line 4, column 3: JSON syntax error: Expecting ',' delimiter"]


@pytest.mark.django_db
def test_json_duplicate_keys_are_reported():
    duplicated = variant('"name": "Test ladder",', '"name": "Test ladder",\n  "name": "Other",', base=VALID_JSON)
    assert_error(rejected(duplicated, "ladder.json"), "file", "duplicate key 'name' in a JSON object")


@pytest.mark.django_db
def test_json_file_with_wrong_types_reports_paths_like_yaml():
    wrong = variant('"grade": 1', '"grade": "1"', base=VALID_JSON)
    assert_error(rejected(wrong, "ladder.json"), "tracks[0].levels[0].grade", "got the text '1'")


@pytest.mark.django_db
def test_file_not_in_utf8_is_refused():
    assert_error(rejected(VALID.replace("Craft", "Cr\u00e4ft").encode("latin-1")), "file", "is not UTF-8 text")


@pytest.mark.django_db
def test_every_problem_is_reported_at_once():
    content = variant("        grade: 1", "        grade: three")
    content = variant("    kind: ic", "    kind: manager", base=content)
    content = variant("          cap-a: expert", "          cap-a: exprt", base=content)
    content = variant("name: Test ladder\n", "", base=content)
    errors = rejected(content)
    assert len(errors) == 4, errors
    assert_error(errors, "name", "missing")
    assert_error(errors, "tracks[0].kind", "not the text 'manager'")
    assert_error(errors, "tracks[0].levels[0].grade", "got the text 'three'")
    assert_error(errors, "tracks[0].levels[1].expectations.cap-a", "unknown scale level 'exprt'")


@pytest.mark.django_db
def test_a_broken_scale_does_not_flood_every_expectation_with_errors():
    errors = rejected(variant("  - {key: working, name: Working}", "  - {key: Working!, name: Working}"))
    assert len(errors) == 1
    assert_error(errors, "scale[1].key", "'Working!' is not a valid key")


@pytest.mark.django_db
def test_changing_a_published_version_without_raising_version_is_refused():
    import_framework(parse_framework_file(VALID), publish=True)
    before = row_counts()
    changed = variant("{key: cap-b, name: Capability B}", "{key: cap-b, name: Capability B renamed}")
    errors = rejected(changed)
    assert errors == [
        "version: version 1 of test-ladder is published and cannot be changed; raise `version` to make a new one "
        "(the next free version is 2)"
    ]
    assert row_counts() == before
    assert Capability.objects.get(key="cap-b").name == "Capability B"


@pytest.mark.django_db
def test_changing_an_archived_version_is_refused():
    import_framework(parse_framework_file(VALID), publish=True)
    import_framework(
        parse_framework_file(VALID.replace("name: Test ladder", "name: Test ladder\nversion: 2")), publish=True
    )
    assert_error(
        rejected(VALID.replace("Capability B", "Capability Bee")), "version", "is archived and cannot be changed"
    )


@pytest.mark.django_db
def test_a_version_below_the_latest_that_does_not_exist_is_refused():
    import_framework(parse_framework_file(VALID.replace("name: Test ladder", "name: Test ladder\nversion: 3")))
    errors = rejected(VALID.replace("name: Test ladder", "name: Test ladder\nversion: 2"))
    assert errors == [
        "version: test-ladder already has version 3; a new version must be numbered above it (use 4), not 2"
    ]


@pytest.mark.django_db
def test_a_second_draft_of_the_same_framework_is_refused():
    import_framework(parse_framework_file(VALID))
    errors = rejected(VALID.replace("name: Test ladder", "name: Test ladder\nversion: 2"))
    assert_error(errors, "version", "test-ladder already has a draft, version 1; a framework has one draft at a time")


@pytest.mark.django_db
def test_publishing_a_file_without_levels_is_refused_and_nothing_written():
    no_levels = "format: pathway-framework/1\nkey: x\nname: X\nscale: [{key: a, name: A}]\n" + (
        "areas: [{key: c, name: C, capabilities: [{key: cap, name: Cap}]}]\ntracks: [{key: t, name: T}]\n"
    )
    before = row_counts()
    with pytest.raises(FrameworkFileError) as caught:
        import_framework(parse_framework_file(no_levels), publish=True)
    assert caught.value.errors == ["file: cannot be published: There are no levels on any track."]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_level_key_repeated_on_one_track_is_refused_with_its_path_even_when_another_track_shares_it():
    # `lead` on both tracks is fine; a second `lead` on the management track is not.
    duplicate = TWO_LEADS.replace("  - key: head\n", "  - key: lead\n", 1)
    errors = rejected(duplicate)
    assert errors == ["tracks[1].levels[1].key: duplicate level key 'lead' (also at tracks[1].levels[0])"]


# Text no database column can hold (PostgreSQL refuses NUL; nothing can encode a lone surrogate), and names that
# are not one line, are refused at their path before anything is written.
@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (variant("name: Test ladder", "name: Test\x00ladder"), "f.yaml", "line 3, column 11: contains a NUL"),
        (variant("name: Test ladder", 'name: "Test\\0ladder"'), "f.yaml", "name: contains a NUL character"),
        (
            variant('"name": "A"', '"name": "A\\ud800"', VALID_JSON),
            "f.json",
            "areas[0].capabilities[0].name: contains an unpaired surrogate (\\ud800)",
        ),
        (variant('"cap-a"', '"cap-\\u0000a"', VALID_JSON), "f.json", "areas[0].capabilities[0].key: contains a NUL"),
        (
            variant('"format"', '"\\udfff": 1, "format"', VALID_JSON),
            "f.json",
            "\\udfff: contains an unpaired surrogate (\\udfff)",
        ),
        (variant("name: Junior", 'name: "Jun\\tior"'), "f.yaml", "tracks[0].levels[0].name: must be one line"),
        (variant("name: Craft", 'name: "Cr\\naft"'), "f.yaml", "areas[0].name: must be one line of plain text"),
    ],
    ids=["yaml-nul", "yaml-escaped-nul", "json-surrogate", "json-nul-key", "json-surrogate-key", "tab", "newline"],
)
def test_unstorable_text_or_a_name_over_lines_is_refused_at_its_path(content, filename, expected):
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework_file(content.encode("utf-8", "surrogatepass"), filename)
    assert any(error.startswith(expected) for error in caught.value.errors), caught.value.errors
    for error in caught.value.errors:
        error.encode("utf-8")  # every message can be shown as it is

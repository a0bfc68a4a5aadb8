"""GDaD CSV: one framework per role family, a track per role, a level per role level, the four skill levels."""

from pathlib import Path

import pytest
from django.urls import reverse

from frameworks.fileformat import FrameworkFileError, detect_format, import_specs, read_file
from frameworks.models import Expectation, Framework
from tests.frameworks.test_commands import run

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "gdad-roles.csv"
HEADER = (
    "Role family,Role,Role description,Role level,Role level description,Skill name,Skill description,"
    "Skill level,Skill level description,Role type\n"
)
ROW_1 = "Data,Analyst,Answers questions with data.,Junior,Learning.,Charts,Draws charts.,working,Clear charts.,Core\n"
ROW_2 = "Data,Analyst,Answers questions with data.,Senior,Leads.,Charts,Draws charts.,expert,Teaches charts.,Core\n"
SMALL = HEADER + ROW_1 + ROW_2


def read(text, name="roles.csv"):
    return read_file(text.encode() if isinstance(text, str) else text, name)


@pytest.mark.django_db
def test_the_example_makes_one_framework_per_role_family_and_reports_the_level_not_in_use():
    checked = read(EXAMPLE.read_bytes(), EXAMPLE.name)
    assert checked.format.name == "gdad-csv"
    assert checked.notes == [
        "Product and delivery: Delivery manager, Senior delivery manager is marked not in use, so its 2 rows "
        "(from row 15) were left out."
    ]
    results = import_specs(checked.specs, auto_versions=checked.auto_versions)
    assert [(result.key, result.outcome, result.version) for result in results] == [
        ("product-and-delivery", "created", 1),
        ("user-centred-design", "created", 1),
        ("data", "created", 1),
    ]
    product = Framework.objects.get(key="product-and-delivery")
    assert product.licence == "Open Government Licence v3.0" and "gdad-roles.csv" in product.source
    assert list(product.scale_levels.values_list("key", flat=True)) == [
        "awareness",
        "working",
        "practitioner",
        "expert",
    ]
    assert list(product.tracks.values_list("name", flat=True)) == ["Product manager", "Delivery manager"]
    delivery = product.tracks.get(key="delivery-manager")
    assert list(delivery.levels.values_list("name", "grade")) == [
        ("Associate delivery manager", 1),
        ("Delivery manager", 2),
    ]
    assert product.capabilities.count() == 5
    expectation = Expectation.objects.get(
        level__track__key="product-manager", level__key="product-manager", capability__key="prioritising-work"
    )
    assert (expectation.scale_level.key, expectation.description) == (
        "working",
        "Orders the backlog and says no to work that does not fit.",
    )
    assert "Role type: Core" in delivery.description


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing_and_a_changed_one_makes_a_new_draft():
    checked = read(SMALL)
    [result] = import_specs(checked.specs, auto_versions=checked.auto_versions, publish=True)
    assert (result.version, result.status) == (1, "published")
    [again] = import_specs(checked.specs, auto_versions=checked.auto_versions)
    assert (again.outcome, again.version) == ("unchanged", 1)
    changed = read(SMALL.replace("expert,Teaches", "practitioner,Teaches"))
    [draft] = import_specs(changed.specs, auto_versions=changed.auto_versions)
    assert (draft.outcome, draft.version, draft.status) == ("created", 2, "draft")
    [replaced] = import_specs(read(SMALL).specs, auto_versions=[True])
    assert (replaced.outcome, replaced.version) == ("replaced", 2)


def test_headers_match_whatever_their_case_spaces_and_underscores():
    header = HEADER.replace("Role family", " ROLE_FAMILY ").replace("Skill level,", "skill  level,")
    assert detect_format((header + ROW_1).encode(), "x.txt").name == "gdad-csv"
    [spec] = read(header + ROW_1).specs
    assert spec["key"] == "data" and spec["tracks"][0]["levels"][0]["expectations"]["charts"]["level"] == "working"


def test_a_role_with_no_level_in_use_is_reported_and_left_out():
    unused = "Data,Engineer,Builds pipelines.,Engineer,Not in use,Charts,Draws charts.,working,,Core\n"
    checked = read(SMALL + unused)
    assert [track["key"] for track in checked.specs[0]["tracks"]] == ["analyst"]
    assert checked.notes[-1] == "Data: Engineer has no level in use, so the role was left out."


@pytest.mark.django_db
def test_the_import_command_reads_a_gdad_csv_and_says_what_it_left_out():
    output = run("import_framework", str(EXAMPLE), "--dry-run")
    lines = output.splitlines()
    assert lines[0].startswith("Note: Product and delivery: Delivery manager, Senior delivery manager is marked")
    assert lines[1] == (
        "Creates draft version 1 of Product and delivery (product-and-delivery): 2 tracks, 5 levels, "
        "5 capabilities and 13 expectations."
    )
    assert not Framework.objects.exists()


TOO_LONG = "x" * 201


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER.replace(",Skill level,", ",Mastery,") + ROW_1, "row 1: the header has no 'skill level' column"),
        (HEADER + ROW_1.replace(",working,", ",guru,"), "row 2, column H (Skill level): 'guru' is not a skill level"),
        (HEADER + ROW_1 + ROW_2.replace("Data,Analyst,", "Data,,"), "row 3, column B (Role): must not be empty"),
        (HEADER + ROW_1.replace(",Core\n", ",Core,extra\n"), "row 2: has 11 cells; the header has 10"),
        (HEADER + ROW_1 + ROW_1.replace(",working,", ",expert,"), "row 3: Charts is given twice for Analyst, Junior"),
        (
            SMALL + ROW_1.replace("Answers questions with data.", "Something else."),
            "row 4, column C (Role description): differs from the role description of the role Analyst on row 2",
        ),
        (HEADER.encode() + b"Data,\xff\n", "file: is not UTF-8 text"),
        (HEADER + ROW_1 + 'Data,"Analyst,unclosed\n', "row 3: is not valid CSV"),
        (HEADER + ROW_1.replace("Data,", TOO_LONG + ",", 1), "row 2, column A (Role family): is 201 characters long"),
        (HEADER, "file: has no rows to import"),
        (HEADER.replace("\n", ",Role\n") + ROW_1.replace("\n", ",x\n"), "row 1, column K (Role): the column 'role'"),
        (SMALL + ROW_1.replace("Data,", "DATA!,", 1), "the role family 'DATA!' makes the same framework key 'data'"),
    ],
    ids=[
        "missing-column",
        "unknown-skill-level",
        "empty-role",
        "extra-cell",
        "skill-twice",
        "conflicting-role-description",
        "not-utf8",
        "unclosed-quote",
        "name-too-long",
        "header-only",
        "column-twice",
        "same-key-twice",
    ],
)
def test_a_malformed_gdad_csv_is_refused_whole_with_the_cell_at_fault(content, expected):
    with pytest.raises(FrameworkFileError) as caught:
        read(content)
    assert any(expected in error for error in caught.value.errors), caught.value.errors


def test_every_problem_is_reported_at_once():
    content = HEADER + ROW_1.replace(",working,", ",guru,") + ROW_2.replace("Data,Analyst,", "Data,,")
    with pytest.raises(FrameworkFileError) as caught:
        read(content)
    assert [error.split(":")[0] for error in caught.value.errors] == [
        "row 2, column H (Skill level)",
        "row 3, column B (Role)",
    ]


@pytest.mark.django_db
def test_hr_uploads_a_gdad_csv_sees_the_preview_and_imports_every_family(hr_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.frameworks.test_admin_import import check_then_import

    preview = hr_client.post(
        reverse("admin:frameworks_framework_import"),
        {"file": SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())},
    )
    content = preview.content.decode()
    assert "was read as GDaD CSV" in content and "holds 3 frameworks" in content
    assert "Senior delivery manager is marked not in use" in content
    assert "Creates draft version 1 of User-centred design (user-centred-design)." in content
    assert ">Import 3 frameworks</button>" in content
    assert not Framework.objects.exists()
    response = check_then_import(hr_client, {"file": SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes())})
    assert response.status_code == 302
    assert sorted(Framework.objects.values_list("key", flat=True)) == [
        "data",
        "product-and-delivery",
        "user-centred-design",
    ]

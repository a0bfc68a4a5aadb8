"""Spreadsheet grids, CSV and XLSX: capabilities down, levels across; out to a spreadsheet and back."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from frameworks.fileformat import FrameworkFileError, framework_to_spec, import_specs, read_file
from frameworks.fileformat.grid import export_grid
from frameworks.models import Expectation, Framework
from tests.frameworks.test_commands import run

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CSV_EXAMPLE = EXAMPLES / "customer-support.csv"
XLSX_EXAMPLE = EXAMPLES / "data-engineering.xlsx"


def import_file(content, name, **options):
    checked = read_file(content, name, options=options)
    return checked, import_specs(checked.specs, auto_versions=checked.auto_versions)


@pytest.mark.django_db
def test_the_csv_example_makes_a_new_framework_with_one_track():
    checked, [result] = import_file(CSV_EXAMPLE.read_bytes(), CSV_EXAMPLE.name)
    assert checked.format.name == "grid-csv"
    assert (result.key, result.outcome, result.version) == ("customer-support", "created", 1)
    framework = Framework.objects.get(key="customer-support")
    [track] = framework.tracks.all()
    assert list(track.levels.values_list("key", "grade")) == [
        ("support-engineer", 1),
        ("senior-support-engineer", 2),
        ("lead-support-engineer", 3),
    ]
    assert list(framework.areas.values_list("name", flat=True)) == ["Customers", "Product knowledge"]
    assert framework.capabilities.filter(area__name="Customers").count() == 2  # an empty area cell: the one above
    expectation = Expectation.objects.get(level__key="senior-support-engineer", capability__key="listening")
    assert (expectation.scale_level.key, expectation.description) == (
        "practitioner",
        "Spots the real problem behind a vague report.",
    )
    assert not Expectation.objects.filter(level__key="support-engineer", capability__key="working-with-engineers")


@pytest.mark.django_db
def test_the_xlsx_example_makes_a_framework_with_two_tracks():
    checked, [result] = import_file(XLSX_EXAMPLE.read_bytes(), XLSX_EXAMPLE.name)
    assert checked.format.name == "grid-xlsx"
    framework = Framework.objects.get(pk=result.pk)
    assert list(framework.tracks.values_list("key", "kind")) == [("engineer", "ic"), ("manager", "management")]
    assert result.counts == {"tracks": 2, "levels": 3, "capabilities": 4, "expectations": 11}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_framework_round_trips_through_a_spreadsheet(framework, fmt):
    Expectation.objects.filter(level__framework=framework).update(description="Shown: at this level")
    exported = export_grid(framework, fmt)
    checked, [result] = import_file(exported, f"product-v1.{fmt}")
    assert (result.outcome, result.version) == ("unchanged", 1)
    assert checked.specs[0] == {**framework_to_spec(framework), "version": 1}
    if fmt == "csv":  # a workbook records when it was saved, so only the CSV is the same bytes twice
        assert export_grid(framework, fmt) == exported


@pytest.mark.django_db
def test_a_grid_changed_in_a_spreadsheet_makes_a_new_draft_keeping_keys(framework):
    text = export_grid(framework, "csv").decode().replace("Capability 1.1", "Capability one", 1)
    text = text.replace(",working,", ",expert,", 1)
    _, [result] = import_file(text, "anything.csv", key="product")
    assert (result.outcome, result.version, result.status) == ("created", 2, "draft")
    draft = Framework.objects.get(pk=result.pk)
    assert draft.capabilities.get(name="Capability one").key != "cap-1-1"  # a renamed capability is a new one
    assert list(draft.tracks.values_list("key", flat=True)) == ["ic", "management"]
    assert draft.scale_levels.count() == 4


@pytest.mark.django_db
def test_export_command_writes_a_grid_and_import_reads_it_back(framework, tmp_path):
    path = tmp_path / "product.xlsx"
    run("export_framework", "product", "--format", "xlsx", "--output", str(path))
    assert run("import_framework", str(path)) == "Version 1 of Product management (product) is unchanged (published).\n"


HEADER = "area,capability,description,junior,senior\n"
ROW = "Craft,Listening,Hears people out.,working: Asks questions,expert\n"


def workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("capability,area,description,junior\n" + ROW, "x.csv", "row 1: the first three columns must be area,"),
        (
            HEADER + ROW.replace("expert", "guru"),
            "x.csv",
            "row 2, column E (senior): 'guru' is not a step of the scale",
        ),
        (
            HEADER + ROW + "Craft,,No name.,working,working\n",
            "x.csv",
            "row 3, column B (capability): must not be empty",
        ),
        (HEADER + ROW + ROW, "x.csv", "row 3, column B (capability): 'Listening' is in the grid already (row 2)"),
        (HEADER + ROW.replace("\n", ",working\n"), "x.csv", "row 2: has a value beyond the last column"),
        (HEADER + ROW.replace("expert", ": text only"), "x.csv", "row 2, column E (senior): give a scale word"),
        (HEADER.replace("senior", "junior"), "x.csv", "row 1, column E (junior): the level 'junior' has a column"),
        (HEADER.replace("senior", "a/b/c") + ROW, "x.csv", "row 1, column E (a/b/c): name the level"),
        (HEADER.replace("junior", "ic/junior") + ROW, "x.csv", "row 1: name every level column as track/level"),
        (HEADER + ",Listening,Hears people out.,working,expert\n", "x.csv", "row 2, column A (area): name the area"),
        (HEADER, "x.csv", "file: the grid has no capabilities under its header"),
        (b"PK\x03\x04 not really a workbook", "x.xlsx", "file: is not an XLSX workbook that can be read"),
        (
            workbook([["area", "capability", "description", "junior"], ["Craft", "Listening", "", "wizard"]]),
            "x.xlsx",
            "row 2, column D (junior): 'wizard' is not a step of the scale",
        ),
    ],
    ids=[
        "columns-out-of-order",
        "unknown-word",
        "empty-capability",
        "capability-twice",
        "extra-cell",
        "no-word-before-colon",
        "level-twice",
        "too-many-slashes",
        "mixed-level-names",
        "no-first-area",
        "no-rows",
        "not-a-workbook",
        "xlsx-unknown-word",
    ],
)
@pytest.mark.django_db
def test_a_malformed_grid_is_refused_whole_with_the_cell_at_fault(content, name, expected):
    with pytest.raises(FrameworkFileError) as caught:
        read_file(content, name)
    assert any(expected in error for error in caught.value.errors), caught.value.errors
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_grid_without_track_names_is_refused_for_a_framework_with_several_tracks(framework):
    with pytest.raises(FrameworkFileError) as caught:
        read_file(HEADER + ROW, "product.csv")
    assert caught.value.errors == ["row 1: product has several tracks (ic, management); name each column track/level"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hr_exports_a_grid_from_the_admin_and_the_import_page_finds_it_unchanged(hr_client, framework, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = hr_client.get(reverse("admin:frameworks_framework_export", args=[framework.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="product-v1.{fmt}"'
    upload = SimpleUploadedFile(f"product-v1.{fmt}", response.content)
    preview = hr_client.post(reverse("admin:frameworks_framework_import"), {"file": upload})
    content = preview.content.decode()
    assert "Version 1 of Product management (product) is unchanged (published)." in content
    assert "Everything in the file is already imported." in content and 'name="confirm"' not in content

"""The registry of file formats and the one import path every format shares: detect, read, check, import."""

import pytest
from django.core.management import CommandError
from django.urls import reverse

from frameworks.fileformat import (
    FORMATS,
    FrameworkFileError,
    detect_format,
    export_framework,
    framework_to_spec,
    import_specs,
    read_file,
)
from frameworks.fileformat.formats import locate
from frameworks.models import Framework
from tests.frameworks.test_commands import run
from tests.frameworks.test_import_errors import VALID


def test_every_format_has_a_name_label_and_extensions():
    assert "pathway-framework" in FORMATS
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.label and fmt.extensions


def test_a_yaml_file_is_detected_as_a_pathway_framework_file():
    assert detect_format(VALID.encode(), "ladder.yaml").name == "pathway-framework"


def test_an_unknown_forced_format_is_refused_with_the_choices():
    with pytest.raises(FrameworkFileError) as caught:
        read_file(VALID, "ladder.yaml", "word-document")
    assert caught.value.errors[0].startswith("format: 'word-document' is not a format Pathway reads; choose one of")


@pytest.mark.parametrize(
    ("problem", "shown"),
    [
        ("areas[0].capabilities[2].name: too long", "row 4, column B: too long"),
        ("areas[0].capabilities[2].description: bad", "row 4, column B: bad"),  # the nearest known field above
        ("tracks[0].kind: wrong", "tracks[0].kind: wrong"),  # nowhere known: the path stays
    ],
)
def test_a_checker_problem_is_told_where_the_reader_found_the_field(problem, shown):
    assert locate(problem, {"areas[0].capabilities[2]": "row 4, column B"}) == shown


@pytest.mark.django_db
def test_a_preview_runs_the_whole_import_and_writes_nothing():
    checked = read_file(VALID, "ladder.yaml")
    [result] = import_specs(checked.specs, dry_run=True)
    assert (result.outcome, result.status, result.pk) == ("created", "draft", None)
    assert result.describe(done=False) == "Creates draft version 1 of Test ladder (test-ladder)."
    assert not Framework.objects.exists()
    [result] = import_specs(checked.specs)
    assert result.describe(done=True) == "Created draft version 1 of Test ladder (test-ladder)."
    assert Framework.objects.get().pk == result.pk


@pytest.mark.django_db
def test_import_command_dry_run_shows_what_it_would_create(tmp_path):
    path = tmp_path / "ladder.txt"
    path.write_text(VALID, encoding="utf-8")
    output = run("import_framework", str(path), "--dry-run", "--format", "pathway-framework")
    assert output.splitlines()[-1] == "Nothing was written (--dry-run)."
    assert output.startswith("Creates draft version 1 of Test ladder (test-ladder): 1 track, ")
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_import_command_refuses_an_unknown_format(tmp_path):
    path = tmp_path / "ladder.yaml"
    path.write_text(VALID, encoding="utf-8")
    with pytest.raises(CommandError):
        run("import_framework", str(path), "--format", "word-document")


@pytest.mark.django_db
def test_a_framework_records_its_source_and_licence_and_exports_them(tmp_path):
    text = VALID.replace(
        "name: Test ladder\n",
        "name: Test ladder\nsource: https://example.org/ladder\nlicence: Open Government Licence v3.0\n",
    )
    [result] = import_specs(read_file(text, "ladder.yaml").specs)
    framework = Framework.objects.get(pk=result.pk)
    assert (framework.source, framework.licence) == ("https://example.org/ladder", "Open Government Licence v3.0")
    exported = export_framework(framework)
    assert "source: https://example.org/ladder\nlicence: Open Government Licence v3.0\n" in exported
    assert read_file(exported, "again.yaml").specs == [framework_to_spec(framework)]


def test_a_licence_is_one_line():
    text = VALID.replace("name: Test ladder\n", 'name: Test ladder\nlicence: "OGL\\nv3"\n')
    with pytest.raises(FrameworkFileError) as caught:
        read_file(text, "ladder.yaml")
    assert caught.value.errors[0].startswith("licence: must be one line of plain text")


@pytest.mark.django_db
def test_the_level_page_ends_with_the_frameworks_credits(client, pm, framework):
    Framework.objects.filter(pk=framework.pk).update(source="https://example.org/x", licence="CC BY 4.0")
    level = framework.levels.select_related("track").first()
    client.force_login(pm)
    page = client.get(reverse("frameworks:level", args=[framework.key, framework.version, level.track.key, level.key]))
    content = page.content.decode()
    assert '<footer class="framework-credits">' in content
    assert "Licence:</span> CC BY 4.0" in content and 'href="https://example.org/x"' in content
    detail = client.get(framework.get_absolute_url()).content.decode()
    assert "Licence:</span> CC BY 4.0" in detail

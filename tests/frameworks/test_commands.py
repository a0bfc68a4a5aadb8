"""import_framework, export_framework and load_default_frameworks, as an HR admin or `make run` uses them."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from frameworks.fileformat import export_framework
from frameworks.models import Capability, Expectation, Framework, Level
from tests.factories import make_framework
from tests.frameworks.test_import_errors import VALID


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def ladder_file(tmp_path):
    path = tmp_path / "ladder.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_framework_creates_a_draft_and_says_so(ladder_file):
    output = run("import_framework", str(ladder_file))
    assert output == "Created draft version 1 of Test ladder (test-ladder).\n"
    assert Framework.objects.get(key="test-ladder").is_draft


@pytest.mark.django_db
def test_import_framework_with_publish_archives_the_previous_version(ladder_file, tmp_path):
    assert run("import_framework", str(ladder_file), "--publish") == (
        "Created and published version 1 of Test ladder (test-ladder).\n"
    )
    second = tmp_path / "ladder-2.yaml"
    second.write_text(VALID.replace("name: Test ladder\n", "name: Test ladder\nversion: 2\n"), encoding="utf-8")
    output = run("import_framework", str(second), "--publish")
    assert output == "Created and published version 2 of Test ladder (test-ladder).\nVersion 1 is now archived.\n"
    statuses = dict(Framework.objects.filter(key="test-ladder").values_list("version", "status"))
    assert statuses == {1: "archived", 2: "published"}


@pytest.mark.django_db
def test_import_framework_again_reports_unchanged(ladder_file):
    run("import_framework", str(ladder_file), "--publish")
    assert run("import_framework", str(ladder_file), "--publish") == (
        "Version 1 of Test ladder (test-ladder) is unchanged (published).\n"
    )


@pytest.mark.django_db
def test_import_framework_lists_every_error_and_writes_nothing(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(VALID.replace("grade: 1", "grade: three").replace("kind: ic", "kind: boss"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_framework", str(path))
    assert str(caught.value).splitlines() == [
        f"{path} was not imported, nothing was changed:",
        "tracks[0].kind: must be 'ic' or 'management', not the text 'boss'",
        "tracks[0].levels[0].grade: expected a whole number (0 or more), got the text 'three'",
    ]
    assert not Framework.objects.exists() and not Capability.objects.exists() and not Level.objects.exists()


@pytest.mark.django_db
def test_import_framework_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nope.yaml: No such file or directory\."):
        run("import_framework", str(tmp_path / "nope.yaml"))


@pytest.mark.django_db
def test_import_framework_reads_json(tmp_path):
    path = tmp_path / "ladder.json"
    path.write_text(json.dumps(yaml.safe_load(VALID)), encoding="utf-8")
    run("import_framework", str(path))
    assert Expectation.objects.filter(level__framework__key="test-ladder").count() == 3


@pytest.mark.django_db
def test_import_framework_refuses_an_oversized_file_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(VALID.encode() + b"#" * 2_000_000)
    with pytest.raises(CommandError, match=r"file: is 1,000,001 bytes; the largest framework file accepted"):
        run("import_framework", str(path))


@pytest.mark.django_db
def test_export_framework_writes_the_published_version_to_stdout(framework):
    assert run("export_framework", "product") == export_framework(framework)


@pytest.mark.django_db
def test_export_framework_prefers_the_published_version_over_a_newer_draft(framework):
    framework.new_version()
    assert yaml.safe_load(run("export_framework", "product"))["version"] == 1
    assert yaml.safe_load(run("export_framework", "product", "--version", "2"))["version"] == 2


@pytest.mark.django_db
def test_export_framework_without_a_published_version_gives_the_latest():
    make_framework(key="draft-only", publish=False)
    assert yaml.safe_load(run("export_framework", "draft-only"))["key"] == "draft-only"


@pytest.mark.django_db
def test_export_framework_as_json_to_a_file(framework, tmp_path):
    path = tmp_path / "out.json"
    output = run("export_framework", "product", "--format", "json", "--output", str(path))
    assert output == f"Wrote version 1 of Product management (published) to {path}.\n"
    assert path.read_text(encoding="utf-8") == export_framework(framework, "json")


@pytest.mark.django_db
def test_export_then_import_gives_the_same_framework(framework, tmp_path):
    path = tmp_path / "product.yaml"
    run("export_framework", "product", "--output", str(path))
    assert run("import_framework", str(path)) == "Version 1 of Product management (product) is unchanged (published).\n"


@pytest.mark.django_db
def test_export_framework_of_a_missing_key_is_a_clear_error(framework):
    with pytest.raises(CommandError, match=r"^There is no framework with the key 'nope'\. Known keys: product\.$"):
        run("export_framework", "nope")


@pytest.mark.django_db
def test_export_framework_of_a_missing_version_is_a_clear_error(framework):
    with pytest.raises(CommandError, match=r"^product has no version 7; its versions are 1\.$"):
        run("export_framework", "product", version=7)


@pytest.mark.django_db
def test_load_default_frameworks_publishes_them_and_is_safe_to_run_again():
    first = run("load_default_frameworks")
    assert first.splitlines() == [
        "Created and published version 1 of Product management (Government Digital and Data) (gov-product-management).",
        "Created and published version 1 of Product management (IC and management tracks) (product-tracks).",
    ]
    counts = (Framework.objects.count(), Capability.objects.count(), Expectation.objects.count())
    second = run("load_default_frameworks")
    assert second.count("is unchanged (published).") == 2
    assert (Framework.objects.count(), Capability.objects.count(), Expectation.objects.count()) == counts


@pytest.mark.django_db
def test_import_framework_refuses_a_lone_surrogate_at_its_path(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({**yaml.safe_load(VALID), "name": "Ladder \udc80"}), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_framework", str(path))
    assert "name: contains an unpaired surrogate (\\udc80), which cannot be saved; remove it" in str(caught.value)
    assert not Framework.objects.exists()

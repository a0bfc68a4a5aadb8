"""Management commands when something is wrong: missing or unreadable files, absent data, a half-loaded catalogue."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from assessments.management.commands import seed_demo
from frameworks.management.commands import load_default_frameworks
from frameworks.models import Framework
from tests.factories import make_framework
from tests.frameworks.test_import_errors import VALID


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue()


# load_default_frameworks --------------------------------------------------------------------------


def test_load_default_frameworks_with_no_files_says_where_it_looked(db, tmp_path):
    with (
        mock.patch.object(load_default_frameworks, "DATA_DIR", tmp_path),
        pytest.raises(CommandError, match=f"No framework files found in {tmp_path}"),
    ):
        run("load_default_frameworks")
    assert not Framework.objects.exists()


def test_load_default_frameworks_names_the_bad_file_and_its_problems(db, tmp_path):
    (tmp_path / "a-good.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b-broken.yaml").write_text("format: pathway-framework/1\nkey: [unclosed\n", encoding="utf-8")
    with (
        mock.patch.object(load_default_frameworks, "DATA_DIR", tmp_path),
        pytest.raises(CommandError) as raised,
    ):
        run("load_default_frameworks")
    message = str(raised.value)
    assert message.startswith("b-broken.yaml was not loaded:\n")
    assert "a-good.yaml" not in message


def test_load_default_frameworks_ignores_files_that_are_not_yaml(db, tmp_path):
    (tmp_path / "ladder.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a framework", encoding="utf-8")
    with mock.patch.object(load_default_frameworks, "DATA_DIR", tmp_path):
        output = run("load_default_frameworks")
    assert output.count("\n") == 1
    assert Framework.objects.published().count() == 1


# export_framework ---------------------------------------------------------------------------------


def test_export_framework_to_an_unwritable_place_is_a_clear_error(framework, tmp_path):
    target = tmp_path / "no-such-folder" / "product.yaml"
    with pytest.raises(CommandError, match=rf"Cannot write {target}: No such file or directory\."):
        run("export_framework", "product", "--output", str(target))
    assert not target.exists()


# import_people ------------------------------------------------------------------------------------


def test_import_people_refuses_a_file_that_is_not_utf8(framework, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("email,name\nzoë@example.com,Zoë\n".encode("latin-1"))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: the file has 1 problem"):
        call_command("import_people", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("Row 2, column 'email': the file is not UTF-8 text: it has the byte 0xEB")
    assert not User.objects.filter(full_name__startswith="Zo").exists()


def test_import_people_reads_a_file_saved_with_a_byte_order_mark(framework, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        "email,name,job title,level,manager email\nann@example.com,Ann,PM,product/ic-1,\n".encode("utf-8-sig")
    )
    assert run("import_people", str(path)).startswith("1 person was created, 0 updated.")
    assert User.objects.get(email="ann@example.com").person.level.key == "ic-1"


# seed_demo ----------------------------------------------------------------------------------------


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_seed_demo_without_the_default_frameworks_command_says_so(db, debug):
    unknown = CommandError("Unknown command: 'load_default_frameworks'")
    with (
        mock.patch.object(seed_demo, "call_command", side_effect=unknown),
        pytest.raises(CommandError, match="this Pathway has no load_default_frameworks command"),
    ):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_passes_on_any_other_failure_to_load_the_frameworks(db, debug):
    broken = CommandError("gov-product-management.yaml was not loaded:\nkey: required")
    with (
        mock.patch.object(seed_demo, "call_command", side_effect=broken),
        pytest.raises(CommandError, match="gov-product-management.yaml was not loaded"),
    ):
        run("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_stops_when_the_frameworks_still_are_not_published(db, debug):
    make_framework(key="product-tracks", name="Product tracks")
    with (
        mock.patch.object(seed_demo, "call_command") as load,
        pytest.raises(CommandError, match="The default frameworks did not load: gov-product-management missing."),
    ):
        run("seed_demo")
    load.assert_called_once()
    assert not User.objects.exists()


def test_seed_demo_on_frameworks_without_the_demo_levels_writes_nothing(db, debug):
    # Both frameworks are published, so nothing is loaded, but neither has the levels the demo people need.
    make_framework(key="gov-product-management", name="Government product management")
    make_framework(key="product-tracks", name="Product tracks")
    with pytest.raises(CommandError) as raised:
        run("seed_demo")
    message = str(raised.value)
    assert message.startswith("The demo organisation could not be loaded:\n")
    assert "gov-product-management/hop" in message
    assert not User.objects.exists()

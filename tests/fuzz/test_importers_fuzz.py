"""Property: any bytes given to the framework importer or the people importer are imported, or refused with
messages; never an exception (run on PostgreSQL too: a NUL byte or a lone surrogate only fails there)."""

from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.people.importer import import_people
from frameworks.fileformat import (
    OUTCOMES,
    FrameworkFileError,
    framework_to_spec,
    import_framework,
    parse_framework_file,
)
from tests.fuzz import fuzz_settings
from tests.fuzz.strategies import framework_files, people_files


def assert_has_addresses(framework):
    """What was imported can be linked to: the version's page and each level's page have an address."""
    reverse("frameworks:detail", kwargs={"key": framework.key, "version": framework.version})
    for level in framework.levels.select_related("track"):
        reverse(
            "frameworks:level",
            kwargs={
                "key": framework.key,
                "version": framework.version,
                "track_key": level.track.key,
                "level_key": level.key,
            },
        )


def is_message(text):
    return isinstance(text, str) and text.strip() != ""


@fuzz_settings(3)
@given(file=framework_files(existing_key="product"), publish=st.booleans())
def test_any_framework_file_imports_or_is_refused_with_messages(framework, file, publish):
    content, filename = file
    with transaction.atomic():
        try:
            spec = parse_framework_file(content, filename)
            imported, outcome = import_framework(spec, publish=publish)
        except FrameworkFileError as error:
            assert error.errors and all(is_message(message) for message in error.errors), error.errors
        else:
            assert outcome in OUTCOMES
            assert framework_to_spec(imported) == spec
            assert_has_addresses(imported)
        transaction.set_rollback(True)


@fuzz_settings(10)
@given(content=people_files(), dry_run=st.booleans())
def test_any_people_file_imports_or_is_refused_with_messages(pm, hr_admin, content, dry_run):
    with transaction.atomic():
        report = import_people(content, dry_run=dry_run, by=hr_admin)
        assert all(is_message(message) for message in report.errors), report.errors
        assert is_message(report.summary)
        transaction.set_rollback(True)

"""Property: every framework a strategy can build survives export and import unchanged, in YAML and in JSON."""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from frameworks.fileformat import dump_spec, export_framework, framework_to_spec, import_framework, parse_framework_file
from tests.fuzz import fuzz_settings
from tests.fuzz.strategies import framework_specs


@pytest.mark.django_db
@fuzz_settings()
@given(spec=framework_specs(), fmt=st.sampled_from(["yaml", "json"]))
def test_a_framework_round_trips_through_its_file(spec, fmt):
    text = dump_spec(spec, fmt)
    assert parse_framework_file(text.encode(), f"framework.{fmt}") == spec
    with transaction.atomic():  # each example on its own: nothing it writes is seen by the next
        framework, outcome = import_framework(spec)
        assert outcome == "created"
        assert framework_to_spec(framework) == spec
        assert export_framework(framework, fmt) == text
        transaction.set_rollback(True)

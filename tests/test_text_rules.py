"""pathway.text: what any stored text and any name may contain, as the forms and importers apply it."""

import pytest
from django.core.exceptions import ValidationError

from pathway.text import validate_name, validate_storable


@pytest.mark.parametrize("name", ["José Núñez-O’Brien", "Zoë 李", "محمد\u200cرضا", "👩\u200d💻 Ada", "Ana\u00a0María"])
def test_a_name_in_any_script_is_accepted(name):
    validate_name(name)
    validate_storable(name)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Priya\nProduct", "a line break"),
        ("Priya\r", "a line break"),
        ("Priya\u2028", "a line break"),
        ("Priya\x85", "a line break"),
        ("Priya\tProduct", "a tab"),
        ("Priya\u202eProduct", "a control character (U+202E)"),
        ("Priya\x1b[31m", "a control character (U+001B)"),
        ("Priya\x00", "a control character (U+0000)"),
        ("Priya\ud800", "a control character (U+D800)"),
    ],
)
def test_a_name_over_lines_or_with_control_characters_is_refused(name, found):
    with pytest.raises(ValidationError) as caught:
        validate_name(name)
    assert caught.value.messages == [
        f"A name must be one line of plain text, but this contains {found}. Remove it and try again."
    ]


@pytest.mark.parametrize(
    ("text", "found"), [("a\x00b", "a NUL character (\\x00)"), ("a\udfffb", "an unpaired surrogate (\\udfff)")]
)
def test_text_no_database_can_hold_is_refused(text, found):
    validate_storable("Line one\nline two\ttabbed")
    with pytest.raises(ValidationError) as caught:
        validate_storable(text)
    assert caught.value.messages == [f"This contains {found}, which cannot be saved. Remove it and try again."]

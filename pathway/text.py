"""What text the app stores: no NUL bytes or unpaired surrogates anywhere, and no control characters in names.

PostgreSQL refuses a NUL byte in a text column and no database can encode a lone surrogate (`"\\ud800"`, which a
JSON file can carry), so either one, unchecked, ends in a server error. A name is one line: a line break in a
person's or cycle's name would reach an email's subject line and the log.
"""

import unicodedata

from django.core.exceptions import ValidationError

# Zero-width (non-)joiners are format characters that belong in some scripts' spelling (Persian, Hindi, emoji).
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
# Control and format characters, surrogates, and the Unicode line and paragraph separators.
REFUSED_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def unstorable_character(value: str) -> str | None:
    """The first character no database column can hold (a NUL byte or an unpaired surrogate), described."""
    if "\x00" in value:
        return "a NUL character (\\x00)"
    for character in value:
        if "\ud800" <= character <= "\udfff":
            return f"an unpaired surrogate (\\u{ord(character):04x})"
    return None


def refused_name_character(value: str) -> str | None:
    """The first character a name may not contain (a line break, tab, other control or format character)."""
    for character in value:
        if unicodedata.category(character) in REFUSED_IN_NAMES and character not in ALLOWED_FORMAT_CHARACTERS:
            if character in "\r\n\u2028\u2029\x85\x0b\x0c":
                return "a line break"
            if character == "\t":
                return "a tab"
            return f"a control character (U+{ord(character):04X})"
    return None


def validate_storable(value):
    """A validator for any text: refuses NUL bytes and unpaired surrogates with a sentence."""
    found = unstorable_character(value) if isinstance(value, str) else None
    if found:
        raise ValidationError(f"This contains {found}, which cannot be saved. Remove it and try again.", "unstorable")


def validate_name(value):
    """A validator for names: one line of plain text, so it can stand in an email's subject and a log line as it is."""
    found = refused_name_character(value) if isinstance(value, str) else None
    if found:
        raise ValidationError(
            f"A name must be one line of plain text, but this contains {found}. Remove it and try again.",
            "control_character",
        )

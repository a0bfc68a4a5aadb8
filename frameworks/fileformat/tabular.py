"""What the readers of tables (CSV and XLSX) share: rows with their numbers, header names, cell addresses, keys.

Rows are numbered as a spreadsheet numbers them (the header is row 1) and columns by letter and header name,
so every problem points at a cell: "row 4, column F (skill level)".
"""

import csv
import io
import re

from django.utils.text import slugify

from frameworks.fileformat.checking import KEY_MAX_LENGTH
from frameworks.fileformat.reading import decode_text
from frameworks.fileformat.spec import FrameworkFileError, clean_text
from pathway.text import unstorable_character


def normalise_header(name: str) -> str:
    """A header as compared: case, spaces, underscores and hyphens do not matter ("Role_Level" is "role level")."""
    return " ".join(re.split(r"[\s_\-]+", (name or "").strip().lower())).strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell(row: int, column: int, header: list[str] | None = None) -> str:
    """Where a cell is: "row 4, column F (skill level)"."""
    name = header[column].strip() if header and column < len(header) and header[column].strip() else ""
    return f"row {row}, column {column_letter(column)}" + (f" ({name})" if name else "")


def read_csv_rows(raw: bytes) -> list[list[str]]:
    """The CSV's rows as lists of text, every cell cleaned; FrameworkFileError when it cannot be read as CSV.

    Commas separate cells, or semicolons when the header has semicolons and no commas (as some spreadsheets
    save CSV).
    """
    text = decode_text(raw)
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise FrameworkFileError(f"row {len(rows) + 1}: is not valid CSV ({exc})") from None
    problems = [
        f"{cell(number, column)}: contains {found}, which cannot be saved; remove it"
        for number, row in enumerate(rows, start=1)
        for column, value in enumerate(row)
        if (found := unstorable_character(value))
    ]
    if problems:
        raise FrameworkFileError(problems)
    return [[clean_text(value) for value in row] for row in rows]


def is_blank(row) -> bool:
    return not any(str(value).strip() for value in row)


def first_line_headers(raw: bytes) -> list[str]:
    """The normalised names in a CSV's first line, or [] when it is not text (used to detect a format)."""
    try:
        text = raw[:4096].decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    first = text.split("\n", 1)[0].strip("\r")
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        names = next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [normalise_header(name) for name in names]


class Keys:
    """Keys made from names, unique among themselves: "Senior PM" → "senior-pm", then "senior-pm-2"."""

    def __init__(self, fallback: str):
        self.used = set()
        self.fallback = fallback

    def make(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", slugify(name))[:KEY_MAX_LENGTH].strip("-") or self.fallback
        key, number = base, 2
        while key in self.used:
            suffix = f"-{number}"
            key = base[: KEY_MAX_LENGTH - len(suffix)].strip("-") + suffix
            number += 1
        self.used.add(key)
        return key

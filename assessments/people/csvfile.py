"""Reading a people CSV file strictly: every way a spreadsheet's file can be broken is a sentence at its row.

The bytes must be UTF-8 (Excel's "CSV UTF-8" writes a byte order mark first, which is dropped); a file in
another encoding names the row and column of its first character that is not UTF-8. Each row must have the
header's number of cells (a name with an unquoted comma would otherwise shift every cell after it), and a quote
that opens a cell must close it: a lenient reader would take the rest of the file as one cell and import a
person named `Open quote,,,`. Rows are counted as a spreadsheet shows them, the header being row 1.
"""

import codecs
import csv
import io
from dataclasses import dataclass

from pathway.text import unstorable_character

COLUMNS = ("email", "name", "job_title", "level", "manager_email", "department", "employee_type")
COLUMN_NAMES = "email, name, job title, level, manager email, department, employee type"
REQUIRED_COLUMNS = ("email", "name")
COLUMN_ALIASES = {"manager": "manager_email", "full_name": "name", "title": "job_title"}
# The most people one file may hold: the largest import then takes ~15 s on PostgreSQL on a loaded 2-core machine
# (bench/README.md), well within gunicorn's timeout (pathway/gunicorn.conf.py), so it runs in the request.
MAX_PEOPLE = 10_000
SAVE_AS_UTF8 = "In Excel, use Save As › “CSV UTF-8 (Comma delimited)”, then choose the new file."


class PeopleFileError(Exception):
    """The file cannot be read: each message names its row (the header is row 1)."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass
class PersonRow:
    number: int  # the row number in the file, counting the header as row 1
    email: str
    name: str
    job_title: str | None  # None when the file has no such column
    level: str | None
    manager_email: str | None
    department: str | None = None  # None when the file has no such column
    employee_type: str | None = None

    @property
    def label(self) -> str:
        return f"Row {self.number} ({self.email})" if self.email else f"Row {self.number}"


def decode_people_csv(data: bytes) -> str:
    """The text of an uploaded file, which must be UTF-8 (with or without Excel's byte order mark)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:2].count(0) == 1:
        raise PeopleFileError(
            [f"Row 1: the file is saved as UTF-16 (Excel's “Unicode Text”), not as CSV UTF-8. {SAVE_AS_UTF8}"]
        )
    # Without its byte order mark first: a decoding error's position counts from after it.
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = body[error.start : error.start + 1]
        where = _place(body[: error.start].decode("utf-8"))
        raise PeopleFileError(
            [
                f"{where}: the file is not UTF-8 text: it has the byte 0x{byte.hex().upper()} "
                f"(“{byte.decode('cp1252', errors='replace')}” in Windows-1252), so it was probably saved as "
                f"“CSV (Comma delimited)”. {SAVE_AS_UTF8}"
            ]
        ) from None


def _place(before: str) -> str:
    """ "Row 3, column 'name'": where the text following `before` (the start of the file) sits."""
    try:
        rows = list(csv.reader(io.StringIO(before + "x", newline="")))
    except csv.Error:  # a cell too large for CSV before it: the line is near enough
        return f"Row {len(io.StringIO(before + 'x', newline='').readlines())}"
    number, cell = len(rows), len(rows[-1]) - 1
    if number == 1:
        return "Row 1 (the header)"
    header = rows[0]
    column = header[cell].strip() if cell < len(header) and header[cell].strip() else f"column {cell + 1}"
    return f"Row {number}, column {column!r}" if cell < len(header) else f"Row {number}, {column}"


def _column_key(header: str) -> str:
    key = "_".join(header.strip().lower().replace("-", " ").replace("_", " ").split())
    return COLUMN_ALIASES.get(key, key)


class _Lines:
    """The file's lines for the CSV reader, counting the characters handed out (to find a broken row's text)."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="")
        self.read = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.read += len(line)
        return line


def parse_people_csv(text: str) -> list[PersonRow]:
    """Read the rows of a people CSV. Raises PeopleFileError naming every row that cannot be read."""
    text = text.lstrip("\ufeff")
    found = unstorable_character(text)
    if found:
        index = next(index for index, character in enumerate(text) if unstorable_character(character))
        raise PeopleFileError(
            [
                f"{_place(text[:index])}: the file contains {found}, which cannot be saved: it is probably not a "
                f"CSV text file. {SAVE_AS_UTF8}"
            ]
        )
    lines = _Lines(text)
    reader = csv.reader(lines, strict=True)
    header = _read_header(reader, text)
    keys = [_column_key(cell) for cell in header]
    position = {key: index for index, key in enumerate(keys) if key}
    rows, problems = [], []
    number = 1
    while True:
        number += 1
        start = lines.read
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(_broken_row(number, text[start:], header, error))
            break  # after a broken quote, where the next row starts is a guess: stop here
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) + len(problems) == MAX_PEOPLE:
            problems.append(
                f"Row {number}: the file goes on past {MAX_PEOPLE:,} people, the most one file may hold. Split it "
                f"into files of up to {MAX_PEOPLE:,} people, the one with the managers first, and import each."
            )
            break
        problem = _cell_count_problem(number, cells, header)
        if problem:
            problems.append(problem)
            continue
        rows.append(_row(number, cells, position))
    if problems:
        raise PeopleFileError(problems)
    return rows


def _read_header(reader, text: str) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise PeopleFileError([f"The file is empty: it needs a header row ({COLUMN_NAMES})."]) from None
    except csv.Error as error:
        raise PeopleFileError([_broken_row(1, text, [], error)]) from None
    keys = [_column_key(cell) for cell in header]
    problems = []
    unknown = [cell for cell, key in zip(header, keys, strict=True) if key and key not in COLUMNS]
    if unknown:
        problems.append(
            f"Row 1: unknown {'column' if len(unknown) == 1 else 'columns'} {', '.join(repr(c) for c in unknown)}; "
            f"the columns are: {COLUMN_NAMES}."
        )
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    if repeated:
        problems.append(f"Row 1: {', '.join(repeated)} appears more than once in the header.")
    missing = [column for column in REQUIRED_COLUMNS if column not in keys]
    if missing:
        problems.append(f"Row 1: the header has no {' or '.join(missing)} column (email and name are required).")
    if problems:
        raise PeopleFileError(problems)
    return header


def _broken_row(number: int, rest: str, header: list[str], error: csv.Error) -> str:
    """The sentence for a row the strict reader refused (`rest` is the file from the row's first character)."""
    cell, problem = _quote_problem(rest)
    if cell is None:
        return f"Row {number}: the {'header' if number == 1 else 'row'} cannot be read as CSV ({error})."
    where = f"Row {number}" if number == 1 or cell >= len(header) else f"Row {number}, column {header[cell].strip()!r}"
    if problem == "open":
        return (
            f'{where}: a quote (") opens a cell and is never closed, so the rest of the file would be read as '
            "that one cell. Close the quote, or remove it."
        )
    return (
        f"{where}: a quoted cell has more text after its closing quote. Put the whole cell in quotes, and write a "
        'quote inside it as two quotes ("").'
    )


def _quote_problem(record: str) -> tuple[int | None, str]:
    """The cell (counted from 0) of a record's first broken quote and what is wrong: "open" or "after"."""
    cell, at, end = 0, 0, len(record)
    while at < end:
        if record[at] == '"':
            close = at + 1
            while (close := record.find('"', close)) != -1 and record[close + 1 : close + 2] == '"':
                close += 2
            if close == -1:
                return cell, "open"
            at = close + 1
            if at < end and record[at] not in ",\r\n":
                return cell, "after"
        else:
            while at < end and record[at] not in ",\r\n":
                at += 1
        if at >= end or record[at] in "\r\n":
            break
        cell, at = cell + 1, at + 1
    return None, ""


def _cell_count_problem(number: int, cells: list[str], header: list[str]) -> str | None:
    count, columns = len(cells), len(header)
    if count == columns:
        return None
    names = ", ".join(cell.strip() for cell in header if cell.strip())
    if count < columns:
        return (
            f"Row {number}: the row has {count} {'cell' if count == 1 else 'cells'} but the header has {columns} "
            f"columns ({names}). Give every column a cell, even an empty one."
        )
    return (
        f"Row {number}: the row has {count} cells but the header has {columns} columns ({names}). A cell with a comma "
        "in it (such as “Smith, Ann”) must be in quotes."
    )


def _row(number: int, cells: list[str], position: dict[str, int]) -> PersonRow:
    def cell(column):
        return cells[position[column]].strip() if column in position else None

    manager_email = cell("manager_email")
    return PersonRow(
        number=number,
        email=(cell("email") or "").lower(),
        name=cell("name") or "",
        job_title=cell("job_title"),
        level=cell("level"),
        manager_email=None if manager_email is None else manager_email.lower(),
        department=cell("department"),
        employee_type=cell("employee_type"),
    )

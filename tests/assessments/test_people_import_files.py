"""People CSV files that are malformed in ways a spreadsheet produces: nothing is imported, and the row is named."""

import codecs
import csv

import pytest

from accounts.models import User
from assessments.people.importer import JOB_TITLE_MAX, NAME_MAX, import_people
from assessments.people.models import Person

HEADER = "email,name,job title,level,manager email\n"


def csv_of(*rows):
    return HEADER + "".join(row + "\n" for row in rows)


def test_a_file_with_only_a_header_has_no_people(db):
    report = import_people(HEADER)
    assert report.ok
    assert report.summary == "The file has no people in it."
    assert not User.objects.exists()


def test_a_column_given_twice_is_refused(db):
    report = import_people("email,name,Email\nann@example.com,Ann,bo@example.com\n")
    assert report.errors == ["Row 1: email appears more than once in the header."]
    assert not User.objects.exists()


def test_a_column_given_twice_under_its_alias_is_refused(db):
    report = import_people("email,name,manager,manager email\nann@example.com,Ann,,\n")
    assert report.errors == ["Row 1: manager_email appears more than once in the header."]


def test_every_header_problem_is_reported_at_once(db):
    report = import_people("email,email,salary\nann@example.com,ann@example.com,1\n")
    assert report.errors == [
        "Row 1: unknown column 'salary'; the columns are: email, name, job title, level, manager email, department, "
        "employee type.",
        "Row 1: email appears more than once in the header.",
        "Row 1: the header has no name column (email and name are required).",
    ]


def test_a_cell_too_large_for_csv_names_its_row(db):
    huge = "x" * (csv.field_size_limit() + 1)
    report = import_people(csv_of("ann@example.com,Ann,PM,,", f"bo@example.com,{huge},PM,,"))
    assert len(report.errors) == 1
    assert report.errors[0].startswith("Row 3: the row cannot be read as CSV (field larger than field limit")
    assert not User.objects.exists()


def test_a_header_too_large_for_csv_is_row_1(db):
    huge = "x" * (csv.field_size_limit() + 1)
    report = import_people(f"email,{huge}\nann@example.com,Ann\n")
    assert report.errors[0].startswith("Row 1: the header cannot be read as CSV (")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (f"ann@example.com,{'A' * (NAME_MAX + 1)},PM,,", f"the name is longer than {NAME_MAX} characters."),
        (
            f"ann@example.com,Ann,{'P' * (JOB_TITLE_MAX + 1)},,",
            f"the job title is longer than {JOB_TITLE_MAX} characters.",
        ),
    ],
)
def test_a_name_or_title_too_long_for_pathway_is_refused(db, row, problem):
    report = import_people(csv_of(row))
    assert report.errors == [f"Row 2 (ann@example.com): {problem}"]
    assert not User.objects.exists()


def test_a_name_and_title_at_their_limits_are_imported(db):
    report = import_people(csv_of(f"ann@example.com,{'A' * NAME_MAX},{'P' * JOB_TITLE_MAX},,"))
    assert report.ok, report.errors
    person = Person.objects.get(user__email="ann@example.com")
    assert (len(person.user.full_name), len(person.job_title)) == (NAME_MAX, JOB_TITLE_MAX)


def test_a_loop_higher_up_is_blamed_on_its_own_rows_only(db):
    # Ann reports into a loop (Ben ↔ Cat) without being part of it: only Ben and Cat are named.
    report = import_people(
        csv_of(
            "ann@example.com,Ann,PM,,ben@example.com",
            "ben@example.com,Ben,PM,,cat@example.com",
            "cat@example.com,Cat,PM,,ben@example.com",
        )
    )
    assert [error.split(":")[0] for error in report.errors] == ["Row 3 (ben@example.com)", "Row 4 (cat@example.com)"]
    assert not User.objects.exists()


# Strict reading: each broken file is one sentence at its row (and column), and nothing changes --------------

COLUMN_LIST = "(email, name, job title, level, manager email)"
SAVE_AS = "In Excel, use Save As › “CSV UTF-8 (Comma delimited)”, then choose the new file."


def people_snapshot():
    return sorted(Person.objects.values_list("user__email", "user__full_name", "job_title", "level__key"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", 'ann@example.com,"Open ""quote"",,,', "bo@example.com,Bo,PM,,"),
            "Row 3, column 'name': a quote (\") opens a cell and is never closed, so the rest of the file would be "
            "read as that one cell. Close the quote, or remove it.",
            id="unterminated-quote",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", 'ann@example.com,"Ann" Able,PM,,'),
            "Row 3, column 'name': a quoted cell has more text after its closing quote. Put the whole cell in quotes, "
            'and write a quote inside it as two quotes ("").',
            id="text-after-quote",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", "ann@example.com,Ann"),
            f"Row 3: the row has 2 cells but the header has 5 columns {COLUMN_LIST}. Give every column a cell, "
            "even an empty one.",
            id="too-few-cells",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", "ann@example.com,Able, Ann,PM,,"),
            f"Row 3: the row has 6 cells but the header has 5 columns {COLUMN_LIST}. A cell with a comma in it "
            "(such as “Smith, Ann”) must be in quotes.",
            id="unquoted-comma",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", "zoë@example.com,Zoë,PM,,").encode("cp1252"),
            "Row 3, column 'email': the file is not UTF-8 text: it has the byte 0xEB (“ë” in Windows-1252), so it "
            f"was probably saved as “CSV (Comma delimited)”. {SAVE_AS}",
            id="windows-1252",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,").encode("utf-16"),
            f"Row 1: the file is saved as UTF-16 (Excel's “Unicode Text”), not as CSV UTF-8. {SAVE_AS}",
            id="utf-16",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,").encode("utf-16-le"),
            f"Row 1: the file is saved as UTF-16 (Excel's “Unicode Text”), not as CSV UTF-8. {SAVE_AS}",
            id="utf-16-without-bom",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", "ann@example.com,An\x00n,PM,,"),
            "Row 3, column 'name': the file contains a NUL character (\\x00), which cannot be saved: it is probably "
            f"not a CSV text file. {SAVE_AS}",
            id="nul",
        ),
        pytest.param(
            csv_of("maya@example.com,Maya Renamed,,,", "ann@example.com,Ann,P\ud800M,,"),
            "Row 3, column 'job title': the file contains an unpaired surrogate (\\ud800), which cannot be saved: it "
            f"is probably not a CSV text file. {SAVE_AS}",
            id="lone-surrogate",
        ),
    ],
)
def test_a_broken_file_is_one_sentence_at_its_row_and_nothing_changes(manager, data, error):
    before = people_snapshot()
    report = import_people(data)
    assert report.errors == [error]
    assert report.summary == "Nothing was imported: the file has 1 problem."
    assert people_snapshot() == before


def test_every_row_with_the_wrong_number_of_cells_is_reported(db):
    report = import_people(csv_of("ann@example.com,Ann", "bo@example.com,Bo,PM,,", "cy@example.com,Cy,PM,,,x"))
    assert [error.split(":")[0] for error in report.errors] == ["Row 2", "Row 4"]
    assert not User.objects.exists()


def test_a_broken_quote_in_the_header_is_row_1(db):
    report = import_people('email,"name\nann@example.com,Ann\n')
    assert report.errors == [
        'Row 1: a quote (") opens a cell and is never closed, so the rest of the file would be read as that one '
        "cell. Close the quote, or remove it."
    ]


def test_a_non_utf8_byte_after_a_cell_too_large_for_csv_still_names_its_row(db):
    huge = "x" * (csv.field_size_limit() + 1)
    report = import_people(f"email,name\nann@example.com,{huge}\xe9\n".encode("cp1252"))
    assert report.errors[0].startswith("Row 2: the file is not UTF-8 text: it has the byte 0xE9")


def test_a_non_utf8_byte_after_a_byte_order_mark_names_its_row_and_byte(db):
    # Found by the fuzz test: the position counted from after the mark, so the message's own decoding failed.
    report = import_people(codecs.BOM_UTF8 + "email,name\nann@example.com,Ren\xe9e\n".encode("cp1252"))
    assert report.errors[0].startswith("Row 2, column 'name': the file is not UTF-8 text: it has the byte 0xE9")


def test_a_non_utf8_byte_in_the_header_is_row_1(db):
    report = import_people("email,nâme\n".encode("cp1252"))
    assert report.errors[0].startswith("Row 1 (the header): the file is not UTF-8 text: it has the byte 0xE2")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(csv_of("ann@example.com,Zoë Åberg,PM,product/ic-1,").encode("utf-8-sig"), id="excel-utf8-bom"),
        pytest.param("\ufeff" + csv_of("ann@example.com,Zoë Åberg,PM,product/ic-1,"), id="bom-in-text"),
        pytest.param(
            '\ufeff"email","name","job title","level","manager email"\r\n'
            '"ann@example.com","Zoë Åberg","PM","product/ic-1",""\r\n'.encode(),
            id="bom-quoted-header-crlf",
        ),
        pytest.param(
            csv_of('ann@example.com,"Zoë Åberg",PM,product/ic-1,').replace("\n", "\r").encode(), id="old-mac-lines"
        ),
    ],
)
def test_excel_utf8_with_a_byte_order_mark_imports(framework, data):
    report = import_people(data)
    assert report.ok, report.errors
    person = Person.objects.select_related("user", "level").get(user__email="ann@example.com")
    assert (person.name, person.job_title, person.level.key) == ("Zoë Åberg", "PM", "ic-1")


def test_a_quoted_cell_may_hold_commas_and_quotes(framework):
    report = import_people(csv_of('ann@example.com,"Able, Ann ""Annie""",PM,,'))
    assert report.ok, report.errors
    assert User.objects.get(email="ann@example.com").full_name == 'Able, Ann "Annie"'


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ('ann@example.com,"Ann\nAble",PM,,', "the name must be one line of plain text, but it contains a line break."),
        ("ann@example.com,Ann\tAble,PM,,", "the name must be one line of plain text, but it contains a tab."),
        (
            'ann@example.com,Ann,"PM\r\n2026-12-02 INFO forged log line",,',
            "the job title must be one line of plain text, but it contains a line break.",
        ),
        (
            "ann@example.com,Ann,P\x1bM,,",
            "the job title must be one line of plain text, but it contains a control character (U+001B).",
        ),
    ],
)
def test_a_name_or_title_with_a_line_break_or_control_character_is_refused(manager, row, problem):
    before = people_snapshot()
    report = import_people(csv_of("maya@example.com,Maya Renamed,,,", row))
    assert report.errors == [f"Row 3 (ann@example.com): {problem}"]
    assert people_snapshot() == before


def test_a_name_in_any_script_is_one_line_of_plain_text(db):
    report = import_people(csv_of("ann@example.com,می\u200cخواهم Zoë 李,PM,,"))
    assert report.ok, report.errors


def test_a_file_of_more_people_than_one_import_takes_is_refused_at_the_first_row_too_many(db, monkeypatch):
    monkeypatch.setattr("assessments.people.csvfile.MAX_PEOPLE", 2)
    report = import_people(csv_of("a@example.com,A,,,", "", "b@example.com,B,,,", "c@example.com,C,,,"))
    assert report.errors == [
        "Row 5: the file goes on past 2 people, the most one file may hold. Split it into files of up to 2 people, "
        "the one with the managers first, and import each."
    ]
    assert not User.objects.exists()

"""People CSV files that are malformed in ways a spreadsheet produces: nothing is imported, and the row is named."""

import csv

import pytest

from accounts.models import User
from assessments.people.importer import JOB_TITLE_MAX, NAME_MAX, import_people, parse_people_csv
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
        "Row 1: unknown column 'salary'; the columns are: email, name, job title, level, manager email.",
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


def test_a_row_shorter_than_the_header_leaves_the_missing_cells_blank(db):
    rows = parse_people_csv(HEADER + "ann@example.com,Ann\n")
    assert [(row.email, row.name, row.job_title, row.level, row.manager_email) for row in rows] == [
        ("ann@example.com", "Ann", "", "", "")
    ]


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

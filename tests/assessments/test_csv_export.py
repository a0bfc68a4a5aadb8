"""CSV downloads: UTF-8 with a header row, and typed text never runs as a spreadsheet formula."""

import csv
import io

import pytest

from assessments.reports.csv_export import csv_response, filename, safe_cell, to_csv


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Plain evidence", "Plain evidence"),
        ("Costs = benefits", "Costs = benefits"),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_made_safe(typed, written):
    assert safe_cell(typed) == written


def test_numbers_stay_numbers_even_when_negative():
    assert safe_cell(-0.8) == -0.8
    assert safe_cell(3) == 3
    assert safe_cell(None) == ""
    assert safe_cell(True) == "yes"


def test_csv_has_a_bom_a_header_row_and_round_trips_unicode():
    text = to_csv(["Name", "Evidence"], [["Zoë", "=1+1"], ["Ålex", "Led the “discovery” work"]])
    assert text.startswith("\ufeffName,Evidence\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["Name", "Evidence"], ["Zoë", "'=1+1"], ["Ålex", "Led the “discovery” work"]]


def test_bom_can_be_left_out():
    assert to_csv(["A"], [], bom=False) == "A\r\n"


def test_response_is_an_attachment_with_a_readable_name():
    response = csv_response(filename("comparison", "Priya Product", "2026 H2"), ["A"], [["b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="comparison-priya-product-2026-h2.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffA\r\nb")

"""CSV downloads of the report tables: UTF-8, a header row, and no cell a spreadsheet would run as a formula.

Spreadsheets treat a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (CSV injection), and names and evidence are typed by people. Such text cells get a
leading `'`, which spreadsheets show as plain text. Real numbers (int, float, Decimal) are
written as they are: a negative mean difference must stay a number.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(header: list[str], rows, *, bom: bool = True) -> str:
    """The whole table as CSV text; `bom` lets Excel recognise UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM if bom else "") + buffer.getvalue()


def filename(*parts) -> str:
    """A download name from words: ("comparison", "Priya Product", "2026 H2") → comparison-priya-product-2026-h2.csv."""
    words = [slugify(str(part)) for part in parts if part]
    return "-".join(word for word in words if word) + ".csv"


def csv_response(name: str, header: list[str], rows, *, bom: bool = True) -> HttpResponse:
    response = HttpResponse(to_csv(header, rows, bom=bom), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed response."""

    def write(self, value):
        return value


def csv_stream(name: str, header: list[str], rows, *, bom: bool = True) -> StreamingHttpResponse:
    """Like csv_response, for tables too big to hold: rows are written as they are produced."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines():
        yield (BOM if bom else "") + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

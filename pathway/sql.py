# ruff: noqa: S608 -- the SQL is built from table and column names; every value is a parameter.
"""Saving some fields of many existing rows in a few statements, on PostgreSQL and SQLite alike.

Django's `bulk_update` builds a CASE per row and field, which costs more in Python than the database's work
(seconds for a page of 164 ratings or a file of 3,000 people), and an UPDATE per row sends one statement each.
"""

from collections.abc import Iterable

from django.db import connection

ROWS_PER_STATEMENT = 500  # far below SQLite's 32,766 parameters and PostgreSQL's 65,535 at a dozen columns a row


def update_rows(model, objects: list, fields: Iterable[str]) -> None:
    """Save `fields` of `objects` (rows of `model` that exist) with one UPDATE … FROM (VALUES …) per 500 rows."""
    if not objects:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [model._meta.pk, *(model._meta.get_field(name) for name in fields)]
    # VALUES columns are column1, column2… on both databases. PostgreSQL needs their types (a column of NULLs
    # would be text); SQLite needs none, and a cast would turn its text datetimes into numbers.
    typed = connection.vendor == "postgresql"
    row = "(" + ", ".join(f"CAST(%s AS {c.cast_db_type(connection)})" if typed else "%s" for c in columns) + ")"
    sets = ", ".join(f"{quote(column.column)} = v.column{index}" for index, column in enumerate(columns[1:], start=2))
    with connection.cursor() as cursor:
        for start in range(0, len(objects), ROWS_PER_STATEMENT):
            batch = objects[start : start + ROWS_PER_STATEMENT]
            params = [
                column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in batch for column in columns
            ]
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(batch))}) AS v "
                f"WHERE {table}.{quote(columns[0].column)} = v.column1",
                params,
            )

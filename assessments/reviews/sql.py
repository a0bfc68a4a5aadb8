"""Writes that Django's ORM makes slow at a page's scale, in plain SQL that runs on SQLite and PostgreSQL."""

from django.db import connection


def write_answers(ratings):
    """Store the answers of many ratings in one statement sent once (`executemany`): Django's bulk_update builds
    a CASE per row and field, and spent seconds in Python on a page of 164 capabilities."""
    if not ratings:
        return
    model = type(ratings[0])
    names = ("scale_level", "not_applicable", "evidence", "carried", "revision")
    fields = [model._meta.get_field(name) for name in names]
    fields.append(model._meta.get_field("updated_at"))
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    rows = [
        [field.get_db_prep_save(getattr(rating, field.attname), connection) for field in fields] + [rating.pk]
        for rating in ratings
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE id = %s", rows)  # noqa: S608

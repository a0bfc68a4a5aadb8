"""Reads and writes that Django's ORM makes slow at a page's scale, in plain SQL that runs on SQLite and PostgreSQL."""

from django.db import connection

ROWS_PER_STATEMENT = 500  # 7 parameters a row: far below SQLite's 32,766 and PostgreSQL's 65,535


def write_answers(ratings):
    """Store the answers of many ratings in one UPDATE … FROM (VALUES …) per 500: Django's bulk_update builds a
    CASE per row and field and spent seconds in Python on a page of 164 capabilities, and an UPDATE per row
    (`executemany`) made PostgreSQL run 164 statements. `ratings` is not empty."""
    model = type(ratings[0])
    names = ("id", "scale_level", "not_applicable", "evidence", "carried", "revision", "updated_at")
    fields = [model._meta.get_field(name) for name in names]
    quote, table = connection.ops.quote_name, connection.ops.quote_name(model._meta.db_table)
    # VALUES columns are column1, column2… on both databases. PostgreSQL needs their types (a column of NULLs
    # would be text); SQLite needs none, and a cast would turn its text datetimes into numbers.
    typed = connection.vendor == "postgresql"
    row = "(" + ", ".join(f"CAST(%s AS {f.cast_db_type(connection)})" if typed else "%s" for f in fields) + ")"
    sets = ", ".join(f"{quote(field.column)} = v.column{index}" for index, field in enumerate(fields[1:], start=2))
    for start in range(0, len(ratings), ROWS_PER_STATEMENT):
        batch = ratings[start : start + ROWS_PER_STATEMENT]
        values = ", ".join([row] * len(batch))
        params = [
            field.get_db_prep_save(getattr(rating, field.attname), connection) for rating in batch for field in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v WHERE {table}.{quote('id')} = v.column1",  # noqa: S608
                params,
            )


def area_counts(assessment, level_id) -> list[tuple]:
    """Per area of the assessment, in the framework's order: (area id, name, ratings, rated, left to do, carried).
    The rows are the ratings whose capability the level asks for; left to do is unrated, or rated above the level
    with no evidence (evidence of only spaces counts as none). One grouped query instead of every row in Python."""
    from frameworks.models import Capability, CapabilityArea, Expectation, ScaleLevel

    rating, expectation, capability, area, scale = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (type(assessment).ratings.rel.related_model, Expectation, Capability, CapabilityArea, ScaleLevel)
    )
    rated = "(r.not_applicable OR r.scale_level_id IS NOT NULL)"
    sql = f"""
        SELECT c.area_id, a.name, COUNT(*),
               SUM(CASE WHEN {rated} THEN 1 ELSE 0 END),
               SUM(CASE WHEN NOT {rated} OR (rs.rank > es.rank AND TRIM(r.evidence) = '') THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.carried THEN 1 ELSE 0 END)
        FROM {rating} r
        JOIN {expectation} e ON e.capability_id = r.capability_id AND e.level_id = %s
        JOIN {capability} c ON c.id = r.capability_id
        JOIN {area} a ON a.id = c.area_id
        JOIN {scale} es ON es.id = e.scale_level_id
        LEFT JOIN {scale} rs ON rs.id = r.scale_level_id
        WHERE r.assessment_id = %s
        GROUP BY c.area_id, a.name, a.position
        ORDER BY a.position, c.area_id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [level_id, assessment.pk])
        return cursor.fetchall()

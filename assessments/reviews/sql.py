"""Reads and writes that Django's ORM makes slow at a page's scale, in plain SQL that runs on SQLite and PostgreSQL."""

from django.db import connection

from pathway.sql import update_rows


def write_answers(ratings):
    """Store the answers of many ratings in one UPDATE … FROM (VALUES …) per 500 rows (`pathway.sql`): Django's
    bulk_update spent seconds in Python on a page of 164 capabilities, and an UPDATE per row (`executemany`) made
    PostgreSQL run 164 statements. `ratings` is not empty."""
    update_rows(
        type(ratings[0]), ratings, ("scale_level", "not_applicable", "evidence", "carried", "revision", "updated_at")
    )


def area_counts(assessment, level_id) -> list[tuple]:
    """Per area of the assessment, in the framework's order: (area id, name, ratings, rated, left to do, carried).
    The rows are the ratings whose capability the level asks for; left to do is unrated, or rated above the level
    with no evidence (evidence of only spaces counts as none; an entry of the evidence log cited counts as some). One
    grouped query instead of every row in Python."""
    from frameworks.models import Capability, CapabilityArea, Expectation, ScaleLevel

    rating_model = type(assessment).ratings.rel.related_model
    rating, expectation, capability, area, scale, citation = (
        connection.ops.quote_name(model._meta.db_table)
        for model in (
            rating_model,
            Expectation,
            Capability,
            CapabilityArea,
            ScaleLevel,
            rating_model.citations.rel.related_model,
        )
    )
    rated = "(r.not_applicable OR r.scale_level_id IS NOT NULL)"
    # The expectation is joined (its unique index on level and capability), and the two ranks are looked up per row
    # rather than joined: with the scale levels joined too, PostgreSQL compared every pair of rows for the peer
    # framework's 164 (9.4 ms at 2,000 people); with the expectation looked up per rating as well, it ran that lookup
    # twice per row. Run 200 times at 20,000 people: 5.1-5.4 ms -> 2.9-3.0 for 164 ratings, 1.7-1.8 -> 1.2 for 18.
    sql = f"""
        SELECT c.area_id, a.name, COUNT(*),
               SUM(CASE WHEN {rated} THEN 1 ELSE 0 END),
               SUM(CASE WHEN NOT {rated} OR (
                   (SELECT rs.rank FROM {scale} rs WHERE rs.id = r.scale_level_id)
                   > (SELECT es.rank FROM {scale} es WHERE es.id = e.scale_level_id) AND TRIM(r.evidence) = ''
                   AND NOT EXISTS (SELECT 1 FROM {citation} ci WHERE ci.rating_id = r.id)) THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.carried THEN 1 ELSE 0 END)
        FROM {rating} r
        JOIN {expectation} e ON e.level_id = %s AND e.capability_id = r.capability_id
        JOIN {capability} c ON c.id = r.capability_id
        JOIN {area} a ON a.id = c.area_id
        WHERE r.assessment_id = %s
        GROUP BY c.area_id, a.name, a.position
        ORDER BY a.position, c.area_id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [level_id, assessment.pk])
        return cursor.fetchall()

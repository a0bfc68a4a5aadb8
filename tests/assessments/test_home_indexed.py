"""My pathway's assessments come from two indexed queries (mine by subject; my reports' by their manager), never
from one OR that makes the database read every assessment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reviews.lists import home_assessments
from tests.assessments.report_fixtures import make_self
from tests.factories import make_user

TABLE = "assessments_assessment"


def full_scans(sql: str) -> list[str]:
    """The plan lines that read the whole assessments table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Forbid sequential scans where an index could answer: a plan that still scans could do nothing else.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            lines = [row[0] for row in cursor.fetchall()]
            cursor.execute("SET LOCAL enable_seqscan = on")
            return [line for line in lines if "Seq Scan on " + TABLE in line]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall() if row[-1].startswith(f"SCAN {TABLE}")]


@pytest.mark.django_db
def test_home_reads_assessments_through_indexes(framework, manager, pm):
    level = framework.levels.get(key="ic-2")
    make_self(pm, level, {})  # submitted, outside cycles: it waits for the manager
    for number in range(5):  # other people's reviews, which home must not read
        other = make_user(f"o{number}@example.com", f"Other {number}", level=level)
        make_self(other, level, {})
    with CaptureQueriesContext(connection) as queries:
        found = home_assessments(manager.person)
    assert [a.subject_id for a in found["waiting"]] == [pm.person.pk]
    reading = [q["sql"] for q in queries.captured_queries if f'FROM "{TABLE}"' in q["sql"]]
    assert 2 <= len(reading) <= 4  # mine, my reports', what they wait for, a source to carry forward
    for sql in reading:
        assert full_scans(sql) == [], sql

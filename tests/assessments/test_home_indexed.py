"""My pathway's assessments come from indexed queries (mine by subject; my reports' by their manager), never
from one OR that makes the database read every assessment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
def test_home_reads_assessments_through_indexes(client, framework, manager, pm):
    level = framework.levels.get(key="ic-2")
    make_self(pm, level, {})  # submitted, outside cycles: it waits for the manager
    for number in range(5):  # other people's reviews, which home must not read
        other = make_user(f"o{number}@example.com", f"Other {number}", level=level)
        make_self(other, level, {})
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert "1 self-assessment waits for your review" in response.content.decode()
    reading = [q["sql"] for q in queries.captured_queries if f'FROM "{TABLE}"' in q["sql"]]
    # my own (the outcome's and the next-step card's), my reports', what they wait for
    assert 2 <= len(reading) <= 4
    for sql in reading:
        assert full_scans(sql) == [], sql

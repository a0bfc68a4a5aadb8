"""A database built at the layout before the rooms (commit a29f580), holding the demo organisation, migrates
to today's layout with every row intact.

The demo is loaded through today's models, the project apps are migrated back to the migrations that
existed at a29f580, every row of their tables is copied out, and then everything is migrated forward
again: each copied row must still be there, with the same values in every column both layouts have.
When there are no newer migrations the backward step does nothing and the test checks the round trip
of the current migrations, which must hold too.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from assessments.models import Assessment, Person, Rating, RatingTally, VerdictTally
from assessments.reviews.verdict_sql import refresh_verdicts
from frameworks.models import Framework
from tests.assessments.test_calibration_sql import random_org

# The newest migration of each project app at a29f580, the last commit before the rooms
# (`git ls-tree a29f580 */migrations`: frameworks already had its 0002 there).
MAIN_ERA_NODES = [
    ("accounts", "0002_hr_admins_group"),
    ("frameworks", "0002_delete_draft_with_expectations"),
    ("assessments", "0003_agreed_ratings"),
]
PROJECT_APPS = ("accounts", "frameworks", "assessments")
# Values a migration rewrites on purpose: (table, column) → {old: new}. 0010 puts the recommendation in the
# verdict's words ("not_yet" → "not-yet").
TRANSLATED = {
    (table, "recommendation"): {"not_yet": "not-yet"}
    for table in ("assessments_assessment", "assessments_historicalassessment")
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def project_tables():
    return sorted(
        name for name in connection.introspection.table_names() if name.startswith(tuple(f"{a}_" for a in PROJECT_APPS))
    )


def table_rows(table):
    """{primary key: {column: value}} for every row of the table, read with plain SQL."""
    with connection.cursor() as cursor:
        pk = connection.introspection.get_primary_key_column(cursor, table)
        quoted = connection.ops.quote_name
        if pk is None:  # no single-column key: index the rows by their position in a full ordering
            cursor.execute(f"SELECT * FROM {quoted(table)}")  # noqa: S608 - table names come from introspection
            columns = [column[0] for column in cursor.description]
            rows = sorted(cursor.fetchall(), key=repr)
            return {index: dict(zip(columns, row, strict=True)) for index, row in enumerate(rows)}
        cursor.execute(f"SELECT * FROM {quoted(table)} ORDER BY {quoted(pk)}")  # noqa: S608
        columns = [column[0] for column in cursor.description]
        return {row[columns.index(pk)]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def snapshot():
    return {table: table_rows(table) for table in project_tables()}


def lost_or_changed(before, after):
    """Every row of `before` missing from `after`, or with a different value in a column both have."""
    problems = []
    for table, rows in before.items():
        if table not in after:
            if rows:
                problems.append(f"{table}: the table is gone, with its {len(rows)} rows")
            continue
        for pk, row in rows.items():
            now = after[table].get(pk)
            if now is None:
                problems.append(f"{table} row {pk}: missing")
                continue
            row = {column: TRANSLATED.get((table, column), {}).get(value, value) for column, value in row.items()}
            changed = sorted(column for column in row.keys() & now.keys() if row[column] != now[column])
            if changed:
                problems.append(f"{table} row {pk}: {', '.join(f'{c} {row[c]!r} -> {now[c]!r}' for c in changed)}")
    return problems


@pytest.mark.django_db(transaction=True)
def test_a_main_era_database_with_the_demo_migrates_with_every_row_intact():
    call_command("load_default_frameworks", stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())
    try:
        migrate(MAIN_ERA_NODES)
        before = snapshot()
    finally:
        migrate(latest_nodes())  # forward to today's layout; in `finally` so later tests always get it
    after = snapshot()

    counts = {table: len(rows) for table, rows in before.items()}
    for table in ("accounts_user", "frameworks_framework", "frameworks_expectation", "assessments_person"):
        assert counts[table] > 0, f"{table} was empty before migrating: the test would prove nothing"
    assert counts["assessments_assessment"] > 0 and counts["assessments_rating"] > 0
    assert lost_or_changed(before, after) == []

    # The demo still works through today's models.
    nadia = Person.objects.get(user__email="nadia@example.com")
    assert set(nadia.reports.values_list("user__email", flat=True)) == {"leo@example.com", "grace@example.com"}
    assert Person.objects.get(user__email="ravi@example.com").level.framework.key == "gov-product-management"
    assert Framework.objects.published().count() == 2
    assert Assessment.objects.count() == counts["assessments_assessment"]
    assert Rating.objects.count() == counts["assessments_rating"]
    assert not Rating.objects.exclude(capability__framework=F("assessment__level__framework")).exists()
    assert Assessment.objects.filter(subject__manager__manager=nadia).exists()


@pytest.mark.django_db(transaction=True)
def test_tallies_stored_before_they_had_a_cycle_are_rebuilt_with_it():
    """0021 gives calibration's tallies and the stored verdicts their assessment's cycle; 0022 fills them all again,
    as they were, and fills them where they were never filled (a database from before 0011 and 0017)."""
    random_org(3, people=8)
    refresh_verdicts()
    tallied = {row["assessment_id"]: row for row in RatingTally.objects.values()}
    verdicts = {row["assessment_id"]: row for row in VerdictTally.objects.values()}
    assert len({row["cycle_id"] for row in tallied.values()}) == 2 and verdicts
    try:
        migrate([("assessments", "0020_feedback_requests")])
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM assessments_verdicttally")
    finally:
        migrate(latest_nodes())
    assert {row["assessment_id"]: row for row in RatingTally.objects.values()} == tallied
    assert {row["assessment_id"]: row for row in VerdictTally.objects.values()} == verdicts
    cycles = dict(Assessment.objects.values_list("pk", "cycle_id"))
    assert all(row["cycle_id"] == cycles[pk] for pk, row in [*tallied.items(), *verdicts.items()])

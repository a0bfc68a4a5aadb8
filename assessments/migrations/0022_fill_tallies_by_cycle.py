from django.db import migrations


def rebuild_tallies(apps, schema_editor):
    """Every tally and stored verdict again, each with its assessment's cycle, by the SQL the actions run.

    0011 and 0017 used to fill them with that SQL, which now names the cycle column added here: so they fill
    nothing, and this fills them for databases coming from before them too."""
    from assessments.reviews.tallies import refresh_tallies
    from assessments.reviews.verdict_sql import refresh_verdicts

    refresh_tallies()
    refresh_verdicts()


class Migration(migrations.Migration):
    # Apart from 0021: on PostgreSQL its indexes are created as that migration ends, and cannot be while these
    # writes' deferred foreign key checks are pending in the same transaction.
    dependencies = [("assessments", "0021_tallies_by_cycle")]

    operations = [migrations.RunPython(rebuild_tallies, migrations.RunPython.noop)]

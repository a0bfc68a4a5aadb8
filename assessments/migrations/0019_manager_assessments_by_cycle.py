from django.db import migrations

# Each person's newest submitted manager assessment in a cycle, read in order from this index alone (no sort of
# ~20,000 rows, no visit to the table) by the whole-organisation pages: the heatmap's summary per team and
# calibration (`reviews/verdict_sql.py` latest_sql). Written here rather than in Assessment.Meta.indexes because
# the model module is at its 600-line limit; the same SQL on SQLite and PostgreSQL (both have partial indexes).
CREATE = """
    CREATE INDEX assessment_manager_done_idx ON assessments_assessment
        (cycle_id, subject_id, submitted_at DESC, id DESC, revision, level_id, author_id, status)
    WHERE kind = 'manager' AND status IN ('submitted', 'shared')
"""


class Migration(migrations.Migration):
    dependencies = [("assessments", "0018_development_plans")]

    operations = [migrations.RunSQL(CREATE, "DROP INDEX assessment_manager_done_idx")]

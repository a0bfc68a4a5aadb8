# ruff: noqa: S608 -- the SQL is built from table names and fixed fragments; every value is a parameter.
"""Each submitted manager assessment's ratings, tallied against the level's expectations and against the person's
own submitted ratings of the same level and cycle: what calibration adds up per manager.

Calibration over a whole organisation would otherwise read every rating of every submitted review (300,000 at
2,000 people over five cycles: 0.8 to 2 seconds on PostgreSQL however the joins are planned). A tally only
changes when a manager assessment is submitted, or when the self-assessment it is compared with is submitted or
returned (ratings never change once submitted, and a published level never changes), so those actions refresh
it, in their own transaction (`Assessment._transition`: submit, return, share, undo). Code that writes statuses
around them (the demo, the generated organisation, test fixtures) calls `refresh_tallies`;
`manage.py refresh_tallies` rebuilds every tally.

One INSERT … SELECT per refresh, the same SQL on SQLite and PostgreSQL: joins on (level, capability) and on
(subject, level, cycle), grouped by assessment — no subquery per row.
"""

from django.db import connection, models, transaction

from assessments.reviews.models import Assessment, Rating, ReviewCycle


class RatingTally(models.Model):
    """One submitted manager assessment; only ratings on the scale count ("not applicable" is left out)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    # The assessment's cycle (which never changes), so that one cycle's tallies are read by index, not all hashed.
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rated = models.PositiveIntegerField(help_text="Capabilities rated on the scale.")
    compared = models.PositiveIntegerField(help_text="Of those, how many the level expects something for.")
    above = models.PositiveIntegerField(help_text="Rated above what the level expects.")
    sum_vs_expected = models.IntegerField(help_text="Sum of (rating − expected), in steps of the scale.")
    self_pairs = models.PositiveIntegerField(help_text="Rated by the person too, in their submitted self-assessment.")
    sum_vs_self = models.IntegerField(help_text="Sum of (manager's rating − person's own rating), in steps.")

    class Meta:
        verbose_name = "rating tally"

    def __str__(self):
        return f"Tally of assessment {self.assessment_id}"


def _tally_sql(ids: int | None) -> str:
    """The INSERT for `ids` placeholders of manager assessment ids (None: every submitted manager assessment)."""
    from frameworks.models import Expectation, ScaleLevel

    a, r = Assessment._meta.db_table, Rating._meta.db_table
    e, s = Expectation._meta.db_table, ScaleLevel._meta.db_table
    done = ", ".join(f"'{status}'" for status in Assessment.SUBMITTED_STATUSES)
    only = "" if ids is None else " AND m.id IN (" + ", ".join(["%s"] * ids) + ")"
    return f"""
        INSERT INTO {RatingTally._meta.db_table}
            (assessment_id, cycle_id, rated, compared, above, sum_vs_expected, self_pairs, sum_vs_self)
        SELECT m.id, m.cycle_id, COUNT(rs.rank), COUNT(es.rank),
               SUM(CASE WHEN rs.rank > es.rank THEN 1 ELSE 0 END),
               COALESCE(SUM(rs.rank - es.rank), 0),
               COUNT(ss.rank),
               COALESCE(SUM(rs.rank - ss.rank), 0)
        FROM {a} m
        LEFT JOIN {r} r ON r.assessment_id = m.id AND r.scale_level_id IS NOT NULL
        LEFT JOIN {s} rs ON rs.id = r.scale_level_id
        LEFT JOIN {e} e ON e.level_id = m.level_id AND e.capability_id = r.capability_id
        LEFT JOIN {s} es ON es.id = e.scale_level_id
        LEFT JOIN {a} mine ON mine.kind = 'self' AND mine.status IN ({done})
            AND mine.subject_id = m.subject_id AND mine.level_id = m.level_id
            AND COALESCE(mine.cycle_id, 0) = COALESCE(m.cycle_id, 0)
        LEFT JOIN {r} sr ON sr.assessment_id = mine.id AND sr.capability_id = r.capability_id
        LEFT JOIN {s} ss ON ss.id = sr.scale_level_id
        WHERE m.kind = 'manager' AND m.status IN ({done}){only}
        GROUP BY m.id, m.cycle_id
    """


def refresh_tallies(assessments=None) -> None:
    """Recompute the tallies touched by `assessments` (a queryset or a list of Assessment; None: every one).

    A self-assessment touches the manager assessments of the same person, level and cycle.
    """
    with transaction.atomic():
        if assessments is None:
            RatingTally.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute(_tally_sql(None))
            return
        keys = {(a.subject_id, a.level_id, a.cycle_id) for a in assessments}
        if not keys:
            return
        touched = models.Q()
        for subject_id, level_id, cycle_id in keys:
            touched |= models.Q(subject_id=subject_id, level_id=level_id, cycle_id=cycle_id)
        ids = list(Assessment.objects.filter(touched, kind=Assessment.Kind.MANAGER).values_list("pk", flat=True))
        RatingTally.objects.filter(assessment_id__in=ids).delete()
        if not ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(_tally_sql(len(ids)), ids)

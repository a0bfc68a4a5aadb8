"""The audit trail keeps submitted states only (assessments/reviews/history.py): remove what it held of drafts.

Before this, every autosave of a draft was a history row, so once submitted, HR could read every intermediate
text in the admin, including text the author deleted. This removes every assessment history row recorded while
it was a draft (or returned for changes), and every rating history row recorded while its assessment was one;
then records, for each submitted or shared assessment, its submitted answers as they stand (a rating's own
answer never changes after submit; the agreed outcome is recorded by its own rows).
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Q, Subquery

EDITABLE = ("draft", "returned")
SUBMITTED = ("submitted", "shared")
BATCH = 2000


def _remove_draft_rows(apps):
    HistoricalAssessment = apps.get_model("assessments", "HistoricalAssessment")
    HistoricalRating = apps.get_model("assessments", "HistoricalRating")
    state_then = (
        HistoricalAssessment.objects.filter(id=OuterRef("assessment_id"), history_date__lte=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    # Where the assessment's own history does not say (rows written in bulk), what it is now decides.
    unknown_then_private = (
        Q(assessment__status__in=EDITABLE)
        | Q(assessment__submitted_at__isnull=True)
        | Q(history_date__lt=F("assessment__submitted_at"))
    )
    private = HistoricalRating.objects.annotate(state=Subquery(state_then)).filter(
        Q(state__in=EDITABLE) | (Q(state__isnull=True) & unknown_then_private)
    )
    private.delete()
    HistoricalAssessment.objects.filter(status__in=EDITABLE).delete()


def _record_submitted_answers(apps):
    Assessment = apps.get_model("assessments", "Assessment")
    Rating = apps.get_model("assessments", "Rating")
    HistoricalRating = apps.get_model("assessments", "HistoricalRating")
    submitted = Assessment.objects.filter(status__in=SUBMITTED, submitted_at__isnull=False)
    recorded = HistoricalRating.objects.filter(
        id=OuterRef("pk"), history_date__gte=OuterRef("assessment__submitted_at")
    )
    ratings = (
        Rating.objects.filter(assessment__in=submitted)
        .exclude(Exists(recorded))  # already recorded when it was submitted (the rule in today's code)
        .select_related("assessment__author")
    )
    rows = []
    for rating in ratings.order_by("pk").iterator(chunk_size=BATCH):
        rows.append(
            HistoricalRating(
                id=rating.pk,
                assessment_id=rating.assessment_id,
                capability_id=rating.capability_id,
                scale_level_id=rating.scale_level_id,
                not_applicable=rating.not_applicable,
                evidence=rating.evidence,
                revision=rating.revision,
                updated_at=rating.assessment.submitted_at,
                history_date=rating.assessment.submitted_at,
                history_type="~",
                history_change_reason="Submitted",
                history_user_id=rating.assessment.author.user_id,
            )
        )
        if len(rows) >= BATCH:
            HistoricalRating.objects.bulk_create(rows)
            rows = []
    HistoricalRating.objects.bulk_create(rows)


def forwards(apps, schema_editor):
    _remove_draft_rows(apps)
    _record_submitted_answers(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_one_review_per_cycle")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

from django.db.models import Count, Q
from django.dispatch import receiver

from assessments.reviews.cycles import ReviewCycle
from assessments.reviews.models import Assessment
from frameworks.hooks import DraftProgress, draft_progress
from frameworks.impact import ImpactSection, publish_impact
from frameworks.models import Framework


@receiver(publish_impact, sender=Framework, dispatch_uid="assessments.assessments_on_the_old_version")
def assessments_on_the_old_version(sender, framework, previous=None, **kwargs):
    """For the publish preview: the open cycle's drafts and submitted assessments made against the version
    published now. Publishing leaves them on it; a draft's author can move it (assessments.reviews.versions).
    Two queries, counted by the database."""
    if previous is None:
        return None
    cycle = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).order_by("-starts_on", "-pk").first()
    counts = {"drafts": 0, "submitted": 0}
    if cycle is not None:
        counts = Assessment.objects.filter(cycle=cycle, level__framework=previous).aggregate(
            drafts=Count("pk", filter=Q(status__in=Assessment.EDITABLE_STATUSES)),
            submitted=Count("pk", filter=Q(status__in=Assessment.SUBMITTED_STATUSES)),
        )
    context = {"framework": framework, "previous": previous, "cycle": cycle, **counts}
    return ImpactSection(
        20, "Assessments in the open review cycle", "assessments/reviews/includes/publish_impact.html", context
    )


@receiver(draft_progress, dispatch_uid="assessments.reviews.draft_progress")
def reader_draft(sender, user, level, subject=None, **kwargs):
    """The reader's own draft that a one-click start against `level` would open, with its progress (one query)."""
    draft = Assessment.objects.drafts_by(user, subject).one_click(level).select_related("level").first()
    if draft is None:
        return None
    return DraftProgress(draft.get_absolute_url(), draft.level.name, draft.rated_count, draft.capability_count)

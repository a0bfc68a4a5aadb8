"""Citing evidence: a rating keeps links to entries of its subject's evidence log (the growth room).

A self-assessment shows, under each capability, the person's entries tagged with it since their last review, and one
click cites one. Citing changes the rating's links, never its evidence text, and runs under the assessment's lock
like any other change, so a closed cycle or a submitted assessment refuses it. Whoever may read the assessment reads
its cited entries with it (the cite is the person's choice to show them), whether or not the entry is shared.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.growth.models import EvidenceEntry
from assessments.reviews.cycles import CycleClosed, ReviewCycle
from assessments.reviews.results import AssessmentLocked

SHOWN_PER_CAPABILITY = 5


class Citation(models.Model):
    """One rating citing one entry of its subject's log (Rating.cited_entries' through table)."""

    rating = models.ForeignKey("assessments.Rating", on_delete=models.CASCADE, related_name="citations")
    # A cited entry is never deleted from under a rating: the log refuses to delete or change it (growth/access.py).
    entry = models.ForeignKey(EvidenceEntry, on_delete=models.PROTECT, related_name="citations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "entry"], name="citation_one_per_rating_entry")]

    def __str__(self):
        return f"{self.rating} cites {self.entry_id}"


def change_citation(rating, entry: EvidenceEntry, *, cite: bool) -> bool:
    """Cite `entry` in `rating` (or stop citing it). True when something changed. Raises CycleClosed or
    AssessmentLocked, changing nothing. The caller has asked growth/access.py whether the entry may be cited."""
    from assessments.reviews.models import Assessment

    with transaction.atomic():
        locked = Assessment.lock(rating.assessment_id)
        if locked.cycle_closed:
            raise CycleClosed(ReviewCycle.objects.filter(assessments=rating.assessment_id).first())
        if locked.status not in Assessment.EDITABLE_STATUSES:
            raise AssessmentLocked
        if cite:
            _, created = Citation.objects.get_or_create(rating=rating, entry=entry)
            return created
        return Citation.objects.filter(rating=rating, entry=entry).delete()[0] > 0


def _earlier_cycle_ends(assessment):
    """The end of the last review cycle before this assessment's (outside cycles: before today), as a one-row query."""
    before = assessment.cycle.starts_on if assessment.cycle_id else timezone.localdate()
    cycles = ReviewCycle.objects.exclude(pk=assessment.cycle_id).filter(ends_on__lt=before)
    return cycles.order_by("-ends_on").values("ends_on")[:1]


def log_since(assessment) -> date | None:
    """Entries after this day are offered: since the end of the last review cycle before this assessment's. None: no
    earlier cycle, so the whole log."""
    return _earlier_cycle_ends(assessment).values_list("ends_on", flat=True).first()


@dataclass
class LogForCapability:
    """What the page shows under one capability: the entries it cites, and the latest others to offer."""

    cited: list = field(default_factory=list)
    offered: list = field(default_factory=list)
    more: int = 0  # tagged entries not shown (the log has them all)


def log_for_ratings(assessment, ratings, *, offer: bool, keys: dict | None = None) -> dict[int, LogForCapability]:
    """capability id → its cited entries and (when `offer`) the subject's other entries tagged with it since the last
    review, newest first, SHOWN_PER_CAPABILITY at most. `keys`: capability id → key, when the caller has them.
    Two queries at most whatever the number of capabilities (three with entries to offer); ratings read
    `with_cites()` say already whether they cite anything, and none that does not is asked about."""
    ratings = list(ratings)
    found = {rating.capability_id: LogForCapability() for rating in ratings}
    rating_capability = {rating.pk: rating.capability_id for rating in ratings if getattr(rating, "cites", True)}
    cited = (
        Citation.objects.filter(rating_id__in=rating_capability)
        .select_related("entry")
        .order_by("-entry__happened_on", "-entry_id")
        if rating_capability
        else []
    )
    cited_ids: dict[int, set] = {}
    for citation in cited:
        capability_id = rating_capability[citation.rating_id]
        found[capability_id].cited.append(citation.entry)
        cited_ids.setdefault(capability_id, set()).add(citation.entry_id)
    if not offer or not ratings:
        return found
    _offer(assessment, found, cited_ids, keys)
    return found


def _offer(assessment, found: dict, cited_ids: dict, keys: dict | None) -> None:
    """Add the subject's tagged entries since the last review to `found`, matched by capability key."""
    from frameworks.models import Capability

    if keys is None:
        keys = dict(Capability.objects.filter(pk__in=found).values_list("pk", "key"))
    by_key = {key: pk for pk, key in keys.items()}
    framework_key = assessment.level.framework.key
    tags = EvidenceEntry.capabilities.through.objects.filter(
        evidenceentry__person_id=assessment.subject_id,
        capability__key__in=by_key,
        capability__framework__key=framework_key,
    )
    # After the last review's end; with no earlier cycle, after any day (one comparison, not an OR with NOT EXISTS).
    since = Coalesce(models.Subquery(_earlier_cycle_ends(assessment)), models.Value(date.min))
    tags = tags.filter(evidenceentry__happened_on__gt=since)
    rows = tags.order_by("-evidenceentry__happened_on", "-evidenceentry_id").values_list(
        "capability__key", "evidenceentry_id"
    )
    shown: dict[int, list[int]] = {}
    for key, entry_id in rows:
        capability_id = by_key[key]
        ids = shown.setdefault(capability_id, [])
        if entry_id in cited_ids.get(capability_id, ()) or entry_id in ids:
            continue
        if len(ids) < SHOWN_PER_CAPABILITY:
            ids.append(entry_id)
        else:
            found[capability_id].more += 1
    entries = EvidenceEntry.objects.in_bulk([pk for ids in shown.values() for pk in ids]) if shown else {}
    for capability_id, ids in shown.items():
        found[capability_id].offered = [entries[pk] for pk in ids]


def attach_cited(rows) -> None:
    """Give each comparison row (reports) `cited`: the entries its self-rating cites, newest first. One query."""
    rows = list(rows)
    by_rating = {row.self_rating.pk: row for row in rows if row.show_self and row.self_rating is not None}
    for row in rows:
        row.cited = []
    citations = Citation.objects.filter(rating_id__in=by_rating).select_related("entry")
    for citation in citations.order_by("-entry__happened_on", "-entry_id"):
        by_rating[citation.rating_id].cited.append(citation.entry)

"""An open draft on an older framework version, moved to the version published since.

An assessment stays on the version it started on: publishing never touches it. Its author may move an open
draft (or one returned for changes) to the published version: the assessment keeps its row (so there is still
one per subject, cycle and kind), its level becomes the same level (track key and level key) in the new
version, and every rating whose capability the new level still asks for is carried, with its evidence, its
mastery matched by the scale step's key. `plan_move` says beforehand what will carry and what cannot;
`move_to_published_version` does it, under the assessment's lock, in one transaction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments.reviews.cycles import CycleClosed, ReviewCycle
from assessments.reviews.models import Assessment, AssessmentLocked, Rating
from frameworks.models import Expectation, Framework, ScaleLevel


@dataclass(frozen=True)
class NotCarried:
    """An answer that could not come along, and why, in words for its author."""

    capability: str
    reason: str
    answer: str  # what it was: "rated Practitioner", "not applicable", "evidence only"

    @property
    def label(self) -> str:
        return f"{self.capability} ({self.answer})"


@dataclass
class VersionMove:
    """What moving `assessment` to the published `version` would do (nothing is changed by reading it)."""

    assessment: Assessment
    version: Framework
    target: object | None  # the same level in `version`, or None when it has none
    problem: str = ""  # why it cannot be moved ("" when it can)
    carried: list[str] = field(default_factory=list)  # capabilities whose answer comes along
    not_carried: list[NotCarried] = field(default_factory=list)
    newly_asked: list[str] = field(default_factory=list)  # capabilities the new level asks for that start unrated
    # rating pk → (new capability pk, new scale level pk or None); ratings not listed are deleted
    _writes: dict = field(default_factory=dict, repr=False)

    @property
    def possible(self) -> bool:
        return not self.problem

    @property
    def summary(self) -> str:
        carried = len(self.carried)
        text = f"{carried} {'answer' if carried == 1 else 'answers'} carried"
        if self.not_carried:
            text += f"; {len(self.not_carried)} could not be carried"
        return text


def newer_published_version(assessment: Assessment) -> Framework | None:
    """The published version of the assessment's framework, if it is newer than the assessment's own. One query."""
    framework = assessment.level.framework
    if framework.status == Framework.Status.PUBLISHED:  # one version is published at a time: it is the newest
        return None
    return Framework.objects.published().filter(key=framework.key, version__gt=framework.version).first()


def plan_move(assessment: Assessment, version: Framework | None = None) -> VersionMove | None:
    """What a move to the newer published version would carry; None when the assessment is on the newest one.

    `assessment` needs its level's track and framework loaded (`Assessment.objects.with_related()`).
    A few queries, whatever the framework's size.
    """
    version = version or newer_published_version(assessment)
    if version is None:
        return None
    level = assessment.level
    target = level.same_in(version)
    move = VersionMove(assessment, version, target)
    move.problem = _problem(assessment, version, target)
    if target is None:
        return move
    asked = {
        e.capability.key: e.capability for e in Expectation.objects.filter(level=target).select_related("capability")
    }
    steps = {step.key: step for step in ScaleLevel.objects.filter(framework=version)}
    ratings = assessment.ratings.select_related("capability", "scale_level").order_by(
        "capability__area__position", "capability__position", "capability_id"
    )
    for rating in ratings:
        answered = rating.is_rated or bool(rating.evidence.strip())
        capability = asked.get(rating.capability.key)
        if capability is None:
            if answered:
                move.not_carried.append(
                    NotCarried(
                        rating.capability.name,
                        f"{target.name} in version {version.version} no longer asks for it.",
                        _answer(rating),
                    )
                )
            continue
        step = None
        if rating.scale_level_id is not None:
            step = steps.get(rating.scale_level.key)
            if step is None:
                move.not_carried.append(
                    NotCarried(
                        rating.capability.name,
                        f"Version {version.version}’s scale has no {rating.scale_level.name}: "
                        "its evidence is kept, rate it again.",
                        _answer(rating),
                    )
                )
        if answered and (step is not None or rating.scale_level_id is None):
            move.carried.append(rating.capability.name)
        move._writes[rating.pk] = (capability.pk, step.pk if step else None)
    had = {rating.capability.key for rating in ratings}
    move.newly_asked = [capability.name for key, capability in asked.items() if key not in had]
    return move


def _answer(rating) -> str:
    if rating.not_applicable:
        return "not applicable"
    if rating.scale_level_id is not None:
        return f"rated {rating.scale_level.name}"
    return "evidence only"


def _problem(assessment: Assessment, version: Framework, target) -> str:
    """Why this assessment cannot move to `version`, or ""."""
    old = assessment.level.framework.version
    if target is None:
        return (
            f"Version {version.version} has no {assessment.level.name} on the {assessment.level.track.name} track, "
            f"so this assessment stays on version {old}. Ask HR if you need it moved."
        )
    # The two sides of a review are compared level by level: once the other side is finished on this
    # version, this one stays with it. (Said without naming the other side: its author may not see it.)
    other_side_done = (
        Assessment.objects.filter(
            subject_id=assessment.subject_id,
            cycle_id=assessment.cycle_id,
            level_id=assessment.level_id,
            kind=assessment.other_kind,
            status__in=Assessment.SUBMITTED_STATUSES,
        )
        .exclude(pk=assessment.pk)
        .exists()
    )
    if other_side_done:
        return f"This review is already under way on version {old}, so this assessment stays on version {old}."
    if (
        assessment.cycle_id is None
        and Assessment.objects.filter(subject_id=assessment.subject_id, level=target, kind=assessment.kind).exists()
    ):
        kind = assessment.get_kind_display().lower()
        return f"There is already a {kind} against {target.name} in version {version.version}."
    return ""


def move_to_published_version(assessment: Assessment, by) -> VersionMove:
    """Move `assessment` (an open draft of `by`'s) to its framework's newer published version.

    Raises ValidationError (not the author, nothing newer, or a reason it cannot move), AssessmentLocked (no
    longer a draft) or CycleClosed, changing nothing. Returns the move: what was carried and what was not.
    """
    if assessment.author_id != by.pk:
        raise ValidationError("Only the author can move an assessment to a newer version.")
    with transaction.atomic():
        locked = Assessment.lock(assessment.pk)
        if locked.cycle_closed:
            raise CycleClosed(ReviewCycle.objects.filter(pk=assessment.cycle_id).first())
        if locked.status not in Assessment.EDITABLE_STATUSES:
            raise AssessmentLocked
        assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
        move = plan_move(assessment)
        if move is None:
            raise ValidationError(
                f"This assessment is already on the newest version of {assessment.level.framework.name}."
            )
        if move.problem:
            raise ValidationError(move.problem)
        _write(assessment, move)
    return move


def _write(assessment: Assessment, move: VersionMove):
    # A draft leaves no audit trail (reviews/history.py), so plain writes: nothing here enters the history.
    ratings, now = list(assessment.ratings.filter(pk__in=move._writes)), timezone.now()
    for rating in ratings:
        rating.capability_id, rating.scale_level_id = move._writes[rating.pk]
        # A draft has no agreed outcome (that comes after both sides submit), so there is nothing to carry there.
        rating.agreed_scale_level_id, rating.agreed_not_applicable = None, False
        rating.revision += 1
        rating.updated_at = now
    fields = ["capability", "scale_level", "agreed_scale_level", "agreed_not_applicable", "revision", "updated_at"]
    Rating.objects.bulk_update(ratings, fields)
    assessment.ratings.exclude(pk__in=move._writes).delete()
    Assessment.objects.filter(pk=assessment.pk).update(
        level=move.target, revision=models.F("revision") + 1, updated_at=now
    )
    assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
    assessment.ensure_ratings()

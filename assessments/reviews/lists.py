"""The assessment lists (mine, a person's) and what My pathway shows about assessments."""

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from assessments.people.access import get_person_for_user, person_of
from assessments.people.models import Person
from assessments.reviews.access import may_assess, may_hand_over, may_take_over
from assessments.reviews.carry import newest_submitted, source_name
from assessments.reviews.forms import ListFilterForm, next_level
from assessments.reviews.handover import left_behind
from assessments.reviews.models import Assessment, ReviewCycle

# Lists ------------------------------------------------------------------------------------------


def _list_rows(assessments):
    return list(assessments.with_related().with_progress().order_by("-updated_at", "-pk"))


def my_assessments(request):
    """Mine: my self-assessments, manager assessments shared with me, and the ones I wrote about others."""
    me = person_of(request.user)
    filters = ListFilterForm(request.GET or None)
    visible = Assessment.objects.visible_to(request.user).filter(Q(subject=me) | Q(author=me))
    rows = _list_rows(filters.filter(visible))
    # What a one-click start would open: the next level, in the only open cycle (or outside cycles).
    default_level = next_level(me.level)
    open_cycles = list(ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN)[:2])
    one_click = default_level is not None and len(open_cycles) < 2
    existing = None
    if one_click:
        # In a cycle there is one self-assessment, whatever its level or framework version: that is the one to open.
        lookup = {"subject": me, "kind": Assessment.Kind.SELF, "cycle": open_cycles[0] if open_cycles else None}
        if lookup["cycle"] is None:
            lookup["level"] = default_level
        existing = Assessment.objects.filter(**lookup).select_related("level__framework").with_progress().first()
    return render(
        request,
        "assessments/reviews/list.html",
        {
            "me": me,
            "one_click": one_click,
            "existing": existing,
            "filters": filters,
            "about_me": [row for row in rows if row.subject_id == me.pk],
            "by_me": [row for row in rows if row.subject_id != me.pk],
            "filtered": bool(request.GET),
            "default_level": default_level,
        },
    )


def person_assessments(request, pk):
    """A person's assessments, for their managers up the chain and HR."""
    subject = get_person_for_user(request.user, pk)
    me = person_of(request.user)
    filters = ListFilterForm(request.GET or None)
    rows = _list_rows(filters.filter(Assessment.objects.visible_to(request.user).filter(subject=subject)))
    # What a former manager left behind: offered to the manager now, and to HR to hand over or discard.
    take_over, hand_over = may_take_over(request.user, subject), may_hand_over(request.user)
    stranded = left_behind(subject) if take_over or hand_over else None
    return render(
        request,
        "assessments/reviews/person_list.html",
        {
            "subject": subject,
            "is_self": subject.pk == me.pk,
            "filters": filters,
            "assessments": rows,
            "filtered": bool(request.GET),
            "can_assess": may_assess(request.user, subject) and not (take_over and stranded),
            "left_behind": stranded,
            "may_take_over": take_over,
            "may_hand_over": hand_over,
            "default_level": next_level(subject.level),
            "today": timezone.localdate(),
            "list_url": reverse("assessments:person", args=[subject.pk]),
        },
    )


# My pathway (home) ------------------------------------------------------------------------------


def home_assessments(me: Person, mine: list[Assessment], open_cycle: ReviewCycle | None, has_reports=True) -> dict:
    """What My pathway shows about assessments: the self-assessment to continue (a draft, or one returned for
    changes), else the one already submitted in the current review; and, for a manager, the direct reports'
    submitted self-assessments still waiting for a manager assessment.

    `mine`: the reader's assessments of themself that they may see, with their cycles and levels
    (`visible_assessments`, which the page reads for its latest outcome too): an author sees all their own, and
    a self-assessment is written by its subject, so every self-assessment of theirs is among them. `open_cycle`:
    the open review cycle, or None. Queries only for the draft's progress, for what waits for a manager (one
    indexed query on my reports, one more only when something waits) and for who returned a draft.

    `has_reports`: False when the caller already knows `me` has no active direct reports (nothing can wait
    for their review), which spares the query.
    """

    # The current review is the one a one-click start would open: the open cycle's, or outside cycles
    # when no cycle is open.
    def in_current_review(assessment):
        if assessment.cycle is not None:
            return assessment.cycle.status == ReviewCycle.Status.OPEN
        return open_cycle is None

    own = [assessment for assessment in mine if assessment.kind == Assessment.Kind.SELF]
    shown = sorted(
        (
            assessment
            for assessment in own
            if assessment.is_editable
            or (assessment.status == Assessment.Status.SUBMITTED and in_current_review(assessment))
        ),
        key=lambda assessment: (assessment.updated_at, assessment.pk),
        reverse=True,
    )
    draft = next((row for row in shown if row.is_editable), None)
    submitted = None if draft else next(iter(shown), None)
    if draft is not None:
        _read_draft_card(draft)
    waiting = _waiting_for_review(me) if has_reports else []
    # Nothing started in the current review: offer to start from the last submitted self-assessment.
    carry_from = None if draft or submitted else newest_submitted(own)
    return {
        "draft": draft,
        "submitted": submitted,
        "waiting": waiting,
        "carry_from": carry_from,
        "carry_name": source_name(carry_from) if carry_from else "",
    }


def _read_draft_card(draft: Assessment) -> None:
    """What the card shows of the reader's draft: its progress (one aggregate over its ratings) and, for one
    returned for changes, who returned it."""
    draft.rated_count, draft.capability_count = draft.progress()
    if draft.returned_by_id is not None:
        draft.returned_by = Person.objects.select_related("user").filter(pk=draft.returned_by_id).first()


def _waiting_for_review(me: Person) -> list[Assessment]:
    """My active direct reports' submitted self-assessments that no manager assessment answers yet: one indexed
    query on my reports, one more only when something waits."""
    waiting = list(
        Assessment.objects.filter(kind=Assessment.Kind.SELF)
        .select_related("subject__user", "level__framework", "cycle")
        .filter(
            subject__in=Person.objects.filter(manager=me, user__is_active=True).values("pk"),
            status=Assessment.Status.SUBMITTED,
        )
        # A closed cycle's self-assessment can no longer be answered with a manager assessment.
        .filter(Q(cycle__isnull=True) | Q(cycle__status=ReviewCycle.Status.OPEN))
        .order_by("submitted_at", "pk")
    )
    if not waiting:
        return []
    reviewed = set(
        Assessment.objects.filter(
            kind=Assessment.Kind.MANAGER,
            status__in=Assessment.SUBMITTED_STATUSES,
            subject_id__in={assessment.subject_id for assessment in waiting},
        ).values_list("subject_id", "level_id", "cycle_id")
    )
    return [a for a in waiting if (a.subject_id, a.level_id, a.cycle_id) not in reviewed]

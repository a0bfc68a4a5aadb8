"""Access policy for assessments: who may see, change, submit, return, share and start one. The only
place these rules live; views ask it and never re-derive a rule.

Outside your scope, a 404: strangers, and everyone but the author for a draft, never learn that an
assessment exists. Inside it, an action you may not take is a 403 whose sentence says why (the
`require_*` helpers raise it). A manager who no longer manages the person still reads what they
wrote, but may no longer change or share it. A closed review cycle is read-only for everyone: nothing
in it is saved, submitted, returned, shared or agreed until HR reopens the cycle (`require_open_cycle`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from assessments.people.access import can_see_person, is_manager_of, scope_of, signed_in
from assessments.people.models import Person
from assessments.reviews.cycles import closed_cycle_message
from assessments.reviews.models import Assessment
from frameworks.models import Level


def get_assessment_for_user(user, pk, related: tuple[str, ...] | None = None) -> tuple[Assessment, bool]:
    """The assessment `pk` if `user` may see it (else 404), and whether they may change its answers.

    `related`: the relations to load with it, for a request that needs fewer than a page's `with_related()`
    (each join costs PostgreSQL planning time on every request)."""
    # `get()`, not `first()`: the pk is unique, so no order to sort by (which costs Django a pass over every column).
    visible = Assessment.objects.visible_to(user)
    try:
        if related is not None:
            assessment = visible.select_related(*related).get(pk=pk)
        else:
            # What `with_related()` loads, in two queries quick to plan rather than one slow to: the assessment with
            # its level and cycle, then its people with their users (`_attach_people`), the subject's manager too.
            query = visible.select_related("level__track", "level__framework", "cycle")
            assessment = _attach_people(query.annotate(subject_manager_id=F("subject__manager_id")).get(pk=pk))
    except Assessment.DoesNotExist:
        raise Http404("No such assessment.") from None
    return assessment, can_edit(user, assessment)


def _attach_people(assessment: Assessment) -> Assessment:
    """Give the assessment its subject (with their manager), author and returner, each with their user, read in one
    query. The manager is read whether or not the page names them (the last step of a self-assessment does): a row
    more costs less than a query more."""
    wanted = {assessment.subject_id, assessment.author_id, assessment.subject_manager_id, assessment.returned_by_id}
    people = Person.objects.select_related("user").order_by().in_bulk(wanted - {None})
    assessment.subject = people[assessment.subject_id]
    assessment.author = people[assessment.author_id]
    if assessment.subject_manager_id is not None:
        assessment.subject.manager = people[assessment.subject_manager_id]
    if assessment.returned_by_id is not None:
        assessment.returned_by = people[assessment.returned_by_id]
    return assessment


def attach_levels(assessments, known=()):
    """Give each assessment its level with the level's track and framework, read in one query over the few
    levels among them, rather than joined into the assessments' own query: with them, the single assessment a
    page reads (its people, users, cycle, and who may see it) took PostgreSQL 5.4 ms to plan against 1.1 ms
    without them (EXPLAIN, 2,000 people), and a person's assessments 3.2 ms against 1.5 ms. `known`: levels the
    page has read already with their track and framework; no query when they are all there. Returns them."""
    levels = {level.pk: level for level in known}
    missing = {assessment.level_id for assessment in assessments} - levels.keys()
    if missing:
        levels |= Level.objects.select_related("track", "framework").order_by().in_bulk(missing)
    for assessment in assessments:
        assessment.level = levels[assessment.level_id]
    return assessments


# Seeing -----------------------------------------------------------------------------------------


def visible_counterpart(user, assessment: Assessment) -> Assessment | None:
    """The other side's assessment (self ↔ manager) if `user` may see it, else None, as if there were none."""
    return (
        Assessment.objects.visible_to(user)
        .filter(
            subject_id=assessment.subject_id,
            level_id=assessment.level_id,
            cycle_id=assessment.cycle_id,
            kind=assessment.other_kind,
        )
        .select_related("author__user")
        .first()
    )


def can_see(user, assessment: Assessment) -> bool:
    return Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()


def hidden_by_blind_cycle(user, assessment: Assessment, counterpart: Assessment | None) -> bool:
    """In a blind cycle, the other side's ratings stay out of the page until both sides have submitted.

    The author always sees their own ratings, and HR sees everything, unless the HR admin is a party to
    this review: then the rule holds for them as for anyone. A manager up the chain reading another
    manager's assessment is on the manager's side.
    """
    if assessment.cycle is None or not assessment.cycle.blind:
        return False
    if not signed_in(user):
        return True
    if assessment.author.user_id == user.pk:
        return False
    if user.is_hr_admin and not _is_party(user, assessment, counterpart):
        return False
    if assessment.kind == Assessment.Kind.MANAGER and assessment.subject.user_id != user.pk:
        return False
    return not (assessment.is_submitted and counterpart is not None and counterpart.is_submitted)


def _is_party(user, assessment: Assessment, counterpart: Assessment | None) -> bool:
    """Is `user` the person assessed, one of their managers, or the author of either side?"""
    if user.pk in (assessment.subject.user_id, assessment.author.user_id):
        return True
    if counterpart is not None and counterpart.author.user_id == user.pk:
        return True
    return is_manager_of(user, assessment.subject)


def returned_self_assessments(user, subject_ids) -> dict[int, Assessment]:
    """subject id → their newest self-assessment returned for changes, for the subjects `user` manages.

    A returned self-assessment is the author's draft again, so its answers stay private; but the
    person's managers know it went back (one of them sent it), so they see that status, who and when.
    """
    if not signed_in(user):
        return {}
    returned = (
        Assessment.objects.filter(
            scope_of(user).below_q("subject__"),
            subject_id__in=subject_ids,
            kind=Assessment.Kind.SELF,
            status=Assessment.Status.RETURNED,
        )
        .select_related("returned_by__user", "subject__user", "level", "cycle")
        .order_by("subject_id", "-returned_at", "-pk")
    )
    found: dict[int, Assessment] = {}
    for assessment in returned:
        found.setdefault(assessment.subject_id, assessment)
    return found


# Acting -----------------------------------------------------------------------------------------


def is_author(user, assessment: Assessment) -> bool:
    return signed_in(user) and assessment.author.user_id == user.pk


def no_longer_manages(user, assessment: Assessment) -> bool:
    """Is `user` the author of this manager assessment but no longer one of the person's managers?

    They moved, or the person did: what they wrote stays theirs to read, but no longer theirs to change
    or share.
    """
    return (
        assessment.kind == Assessment.Kind.MANAGER
        and is_author(user, assessment)
        and not is_manager_of(user, assessment.subject)
    )


def in_closed_cycle(assessment: Assessment) -> bool:
    """Part of a review cycle that is closed: read-only for everyone."""
    return assessment.cycle is not None and not assessment.cycle.is_open


def can_edit(user, assessment: Assessment) -> bool:
    """Change answers, save, submit: the author, while it is a draft (or returned), in an open cycle (or outside
    cycles), and still their report."""
    return (
        assessment.is_editable
        and not in_closed_cycle(assessment)
        and is_author(user, assessment)
        and not no_longer_manages(user, assessment)
    )


def can_return(user, assessment: Assessment) -> bool:
    """A manager up the chain may send a submitted self-assessment back to its author."""
    return (
        assessment.kind == Assessment.Kind.SELF
        and assessment.status == Assessment.Status.SUBMITTED
        and not in_closed_cycle(assessment)
        and is_manager_of(user, assessment.subject)
    )


def can_share(user, assessment: Assessment) -> bool:
    """The author shows their submitted manager assessment to its subject (while they still manage them)."""
    return (
        assessment.kind == Assessment.Kind.MANAGER
        and assessment.status == Assessment.Status.SUBMITTED
        and not in_closed_cycle(assessment)
        and is_author(user, assessment)
        and not no_longer_manages(user, assessment)
    )


def can_move_version(user, assessment: Assessment) -> bool:
    """Move a draft to the framework's newer published version (reviews/versions.py): whoever may change its
    answers. Whether there is a newer version to move to is the assessment's own fact, not a permission."""
    return can_edit(user, assessment)


def require_can_move_version(user, assessment: Assessment):
    """403 with a sentence for anyone who sees the assessment but may not move it: a closed cycle, not the
    author (or no longer their manager), or no longer a draft."""
    require_open_cycle(assessment)
    require_author(user, assessment)
    if not assessment.is_editable:
        raise PermissionDenied("Only a draft can move to a newer version; this one has been submitted.")


def can_undo_share(user, assessment: Assessment) -> bool:
    """The author takes a share back while its undo window is open (before the email goes)."""
    return (
        assessment.can_undo_share
        and not in_closed_cycle(assessment)
        and is_author(user, assessment)
        and not no_longer_manages(user, assessment)
    )


def require_open_cycle(assessment: Assessment):
    """For every change (save, submit, return, share, agree): 403 in a closed cycle, for everyone who can see
    the assessment (they see its cycle, so the sentence reveals nothing)."""
    if in_closed_cycle(assessment):
        raise PermissionDenied(closed_cycle_message(assessment.cycle))


def require_author(user, assessment: Assessment):
    """For actions only the author takes (changing, submitting, sharing, agreeing): 403 for anyone else who
    can see it, and for an author who no longer manages the person."""
    if not is_author(user, assessment):
        raise PermissionDenied("Only the author can do this.")
    if no_longer_manages(user, assessment):
        raise PermissionDenied(no_longer_manages_message(assessment))


def require_can_return(user, assessment: Assessment):
    """403 unless `user` is one of the person's managers and this is a self-assessment."""
    if assessment.kind != Assessment.Kind.SELF or not is_manager_of(user, assessment.subject):
        raise PermissionDenied("Only the person's managers can return a self-assessment.")


def require_manager_assessment(assessment: Assessment, action: str):
    if assessment.kind != Assessment.Kind.MANAGER:
        raise PermissionDenied(f"Only a manager assessment is {action}.")


def no_longer_manages_message(assessment: Assessment) -> str:
    return (
        f"You no longer manage {assessment.subject.name}, so this assessment can’t be changed or shared. "
        "Ask HR if this is wrong."
    )


# Starting ---------------------------------------------------------------------------------------


def may_assess(user, subject: Person) -> bool:
    """Start a manager assessment of `subject`: one of their managers, up the chain."""
    return is_manager_of(user, subject)


def may_assess_from(user, self_assessment: Assessment, counterpart: Assessment | None) -> bool:
    """Offer "Assess" on a report's submitted self-assessment: no manager assessment of that review is visible
    yet, its cycle is open, and `user` is one of the person's managers."""
    return (
        self_assessment.kind == Assessment.Kind.SELF
        and self_assessment.is_submitted
        and counterpart is None
        and (self_assessment.cycle is None or self_assessment.cycle.is_open)
        and self_assessment.subject.user_id != user.pk
        and is_manager_of(user, self_assessment.subject)
    )


def get_subject_for_start(user, me: Person, pk) -> Person:
    """Whom an assessment may be started about: yourself, or someone below you. Anyone else is a 404."""
    if not pk or str(pk) == str(me.pk):
        return me
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such person.") from None
    subject = Person.objects.with_related().filter(pk=pk).first()
    if subject is None or not can_see_person(user, subject):
        raise Http404("No such person.")
    if not is_manager_of(user, subject):
        raise PermissionDenied(
            f"You can start a manager assessment only of people who report to you, not of {subject.name}."
        )
    return subject


# Hand-over (reviews/handover.py) -----------------------------------------------------------------


def may_hand_over(user) -> bool:
    """Hand a left-behind manager assessment to the person's manager now, or discard it: HR."""
    return signed_in(user) and user.is_hr_admin


def require_may_hand_over(user, subject: Person):
    """403 for anyone but HR who can see the person; the sentence is the same whether anything waits or not."""
    if not may_hand_over(user):
        raise PermissionDenied(f"Only HR can hand over or discard a manager assessment of {subject.name}.")


def may_take_over(user, subject: Person) -> bool:
    """Take over the manager assessment a former manager left behind: the person's manager now."""
    return signed_in(user) and subject.manager_id is not None and subject.manager.user_id == user.pk


def require_may_take_over(user, subject: Person):
    """403 for anyone else who can see the person, saying the same whether anything was left behind or not."""
    if not may_take_over(user, subject):
        raise PermissionDenied(
            f"Only {subject.name}’s manager can take over an assessment a former manager started. "
            "Ask HR if it should be handed to you."
        )

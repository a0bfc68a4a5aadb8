"""Access policy for reports: who may see a comparison, a promotion report, a team heatmap, calibration,
and who may record the agreed outcome and the recommendation. The only place these rules live; views ask it.

The convention of every policy module: outside your scope, a 404 (nobody learns that the person, the
report or the team exists); inside it, an action you may not take is a 403 saying why. A report reads
assessments only through `Assessment.objects.visible_to`, so it never shows more than its reader may
see of the assessments behind it; CSV exports answer to exactly the same rules as their pages.
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import Http404

from assessments.people.access import get_person_for_user, manages_anyone, person_of, scope_of, signed_in
from assessments.people.models import Person, Scope
from assessments.reports.comparison import (
    Comparison,
    build_comparison,
    choose_cycle,
    choose_level,
    visible_assessments_of_person,
)
from assessments.reviews.access import (
    in_closed_cycle,
    is_author,
    no_longer_manages,
    require_author,
    require_manager_assessment,
    require_open_cycle,
)
from assessments.reviews.models import Assessment, ReviewCycle

# Comparison, promotion report, history --------------------------------------------------------------


def get_comparison_for_user(user, person_pk, params) -> tuple[Person, Comparison, list[Assessment]]:
    """(subject, comparison, visible assessments) for the level and cycle in `params`.

    404 for anyone who may not see the person, and for the subject until a manager assessment of this
    level and cycle has been shared with them.
    """
    subject = get_person_for_user(user, person_pk, with_manager=False)  # the pages name the assessment's author
    assessments = visible_assessments_of_person(user, subject)
    level = choose_level(user, subject, params.get("level"), assessments)
    cycle = choose_cycle(params.get("cycle"), level, assessments)
    comparison = build_comparison(user, subject, level, cycle, assessments)
    if subject.user_id == user.pk and comparison.manager_assessment is None:
        raise Http404("Nothing has been shared with you yet.")
    return subject, comparison, assessments


def can_record_agreed(user, comparison: Comparison) -> bool:
    """The manager who wrote the assessment records the agreed outcome, once both sides are submitted, while
    its cycle is open (or outside cycles)."""
    return (
        comparison.can_record_agreed
        and comparison.manager_assessment.author.user_id == user.pk
        and not in_closed_cycle(comparison.manager_assessment)
    )


def require_can_record_agreed(user, assessment: Assessment):
    """403 unless `user` wrote this manager assessment (and still manages the person), and its cycle is open."""
    require_open_cycle(assessment)
    require_author(user, assessment)
    require_manager_assessment(assessment, "where the agreed outcome is recorded, so only it")


def can_recommend(user, assessment: Assessment | None) -> bool:
    """The author of a submitted (or shared) manager assessment may change the recommendation after the
    discussion, while they manage the person and the cycle is open."""
    return (
        assessment is not None
        and assessment.kind == Assessment.Kind.MANAGER
        and assessment.is_submitted
        and is_author(user, assessment)
        and not no_longer_manages(user, assessment)
        and not in_closed_cycle(assessment)
    )


def require_can_recommend(user, assessment: Assessment):
    """403 unless `user` wrote this manager assessment (and still manages the person), and its cycle is open."""
    require_open_cycle(assessment)
    require_author(user, assessment)
    require_manager_assessment(assessment, "where a recommendation is made, so only it")


# Team heatmap -----------------------------------------------------------------------------------


def managers_for(user, me: Person) -> list[Person]:
    """The managers whose teams the viewer may open: anyone with reports for HR; else themself and those below."""
    if not signed_in(user):
        return []
    managers = Person.objects.filter(reports__isnull=False)
    if not user.is_hr_admin:
        managers = managers.filter(path__startswith=scope_of(user).path)
    return sorted(
        managers.distinct().select_related("user"),
        key=lambda person: (person.pk != me.pk, person.name.lower()),
    )


MANAGERS_LISTED = 50  # more than this and the heatmap offers drill-down and search instead of a list to pick from


def get_team_for_user(user, manager_param) -> tuple[Person, Person | None, list[Person]]:
    """(the viewer, the manager whose team is shown, the managers one may choose from).

    The managers to choose from are listed only up to MANAGERS_LISTED (an empty list past that: a whole
    organisation's managers are thousands, so the page drills down team by team instead). 404 for anyone without
    a team to see, and for a manager outside the viewer's part of the organisation.
    """
    if not signed_in(user):
        raise Http404("No team to show.")
    me = person_of(user)
    candidates = Person.objects.filter(Exists(Person.objects.filter(manager=OuterRef("pk"))))
    if not user.is_hr_admin:
        candidates = candidates.filter(path__startswith=scope_of(user).path)
    # Unordered, so that the database stops at the first MANAGERS_LISTED + 1 rather than sort thousands.
    first = list(candidates.select_related("user").order_by()[: MANAGERS_LISTED + 1])
    if len(first) <= MANAGERS_LISTED:
        listed = sorted(first, key=lambda p: (p.pk != me.pk, p.name.lower(), p.pk))
        return _chosen_team(user, me, manager_param, listed)
    if manager_param in (None, ""):
        if candidates.filter(pk=me.pk).exists():
            return me, me, []
        if not user.is_hr_admin:
            raise Http404("No team to show.")
        # HR starts at the top of the organisation, and drills down from there.
        top = candidates.filter(manager=None).select_related("user").order_by(Lower("user__full_name"), "pk")
        return me, top.first() or first[0], []
    try:
        pk = int(manager_param)
    except (TypeError, ValueError):
        raise Http404("No such manager.") from None
    chosen = candidates.select_related("user").filter(pk=pk).first()
    if chosen is None:
        raise Http404("No such manager.")
    return me, chosen, []


def _chosen_team(user, me: Person, manager_param, managers: list[Person]) -> tuple[Person, Person | None, list]:
    if not managers:
        if user.is_hr_admin:
            return me, None, []
        raise Http404("No team to show.")
    if manager_param in (None, ""):
        chosen = next((person for person in managers if person.pk == me.pk), None)
        if chosen is None and not user.is_hr_admin:
            raise Http404("No team to show.")
        return me, chosen or managers[0], managers
    try:
        pk = int(manager_param)
    except (TypeError, ValueError):
        raise Http404("No such manager.") from None
    chosen = next((person for person in managers if person.pk == pk), None)
    if chosen is None:
        raise Http404("No such manager.")
    return me, chosen, managers


# Calibration ------------------------------------------------------------------------------------


def can_see_calibration(user) -> bool:
    """Calibration is for HR admins and for managers of managers (someone who reports to them has reports)."""
    if not signed_in(user):
        return False
    if user.is_hr_admin:
        return True
    scope = Scope.known(user)
    if scope is not None and scope.has_report_managers is not None:
        return scope.has_report_managers
    return Person.objects.filter(manager__manager__user=user).exists()


def get_calibration_scope_for_user(user):
    """(the viewer, the people in scope as a query of ids): None (everyone) for HR; a head's whole subtree;
    404 for anyone else."""
    if not can_see_calibration(user):
        raise Http404("Calibration is for HR and for managers of managers.")
    me = person_of(user)
    if user.is_hr_admin:
        return me, None
    return me, Person.objects.in_subtree_of(me).values("pk")


# Cycle progress ---------------------------------------------------------------------------------


def can_see_cycle_progress(user) -> bool:
    """A cycle's progress is for HR (everyone) and for managers (the people below them)."""
    return signed_in(user) and (user.is_hr_admin or manages_anyone(user))


def progress_shows_drafts(user) -> bool:
    """Does the progress page tell a draft from nothing started? For HR, who runs the cycle; for a manager both
    read "Not submitted", as on My team: a draft is its author's until they submit it."""
    return signed_in(user) and user.is_hr_admin


def get_progress_scope_for_user(user, cycle_pk, manager_param) -> tuple[ReviewCycle, Person | None]:
    """(the cycle, the manager whose part of the organisation is shown: None means everyone, for HR only).

    A manager sees their own part by default, or a manager below them (`?manager=`); HR sees everyone, or
    anyone's part. 404 for anyone else, for a cycle that does not exist, and for a manager outside the
    viewer's part of the organisation.
    """
    if not can_see_cycle_progress(user):
        raise Http404("Review progress is for HR and for managers.")
    cycle = ReviewCycle.objects.filter(pk=cycle_pk).first()
    if cycle is None:
        raise Http404("No such review cycle.")
    if manager_param in (None, ""):
        return cycle, None if user.is_hr_admin else person_of(user)
    return cycle, get_person_for_user(user, manager_param)


def get_calibration_manager_for_user(user, person_pk) -> Person:
    """The manager whose people calibration drills into: anyone for HR; for a head, themself or someone below them;
    404 otherwise (and for anyone who may not see calibration)."""
    if not can_see_calibration(user):
        raise Http404("Calibration is for HR and for managers of managers.")
    manager = Person.objects.visible_to(user).select_related("user").filter(pk=person_pk).first()
    if manager is None:
        raise Http404("No such manager.")
    return manager

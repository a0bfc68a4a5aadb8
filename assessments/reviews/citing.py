"""Citing evidence on the assessment page: the person's log under each capability, with Cite and Remove.

With htmx a button posts to `cite` and swaps the capability's log block. Without JavaScript the same button submits
the page's plain form to the page itself, which saves every answer first (views.detail) and then cites
(`cite_from_form`), so nothing typed is lost either way. Who may cite: growth/access.py; whether the assessment may
still change: the lock in reviews/citations.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.growth.access import can_cite, get_entry_for_user, is_own_log
from assessments.growth.plan_access import can_work_on_plan
from assessments.growth.plan_summary import attach_plan
from assessments.reviews.access import get_assessment_for_user, require_author
from assessments.reviews.citations import change_citation, log_for_ratings, log_since
from assessments.reviews.cycles import CycleClosed
from assessments.reviews.models import Assessment, AssessmentLocked, Rating
from assessments.reviews.row_html import log_html
from frameworks.models import Expectation

LOCKED = "Couldn’t change the cited evidence: this self-assessment has been submitted, so it can no longer change."


def attach_log(user, assessment: Assessment, areas, can_edit: bool):
    """Give each row on the page its `log` (cited entries; for the person editing their own self-assessment, the
    entries to offer too). Returns the day the offer starts from (None: the whole log)."""
    rows = [row for area in areas for row in area.rows]
    if assessment.kind != Assessment.Kind.SELF:
        _attach_theirs_cited(rows)
        return None
    if rows and can_work_on_plan(user, assessment.subject):  # their plan items per row (growth/plan_summary.py)
        attach_plan(assessment.subject, assessment.level.framework.key, rows)
    offer = can_edit and is_own_log(user, assessment.subject)
    keys = {row.capability.pk: row.capability.key for row in rows}
    logs = log_for_ratings(assessment, [row.rating for row in rows], offer=offer, keys=keys)
    for row in rows:
        row.log = logs.get(row.capability.pk)
    offered = any(log.offered for log in logs.values())
    return log_since(assessment) if offered else None


def _attach_theirs_cited(rows) -> None:
    """Beside a manager assessment: each row's `theirs_cited`, the entries the person's own rating cites (as cited:
    a cited entry cannot change). Only where the page shows their rating (`theirs`: not hidden by a blind cycle).
    One query."""
    theirs = [row.theirs for row in rows if getattr(row, "theirs", None) is not None]
    cited = log_for_ratings(None, theirs, offer=False) if theirs else {}
    for row in rows:
        log = cited.get(row.theirs.capability_id) if getattr(row, "theirs", None) is not None else None
        row.theirs_cited = log.cited if log else []


def _change(user, assessment, rating, entry_pk, adding: bool) -> tuple[str, str, int]:
    """Cite or stop citing: (message, error, status). Raises 404 for an entry the user may not read, 403 for one
    they may not cite here."""
    entry = get_entry_for_user(user, entry_pk)
    if not can_cite(user, entry, assessment.subject):
        raise PermissionDenied("Only the person cites their own evidence, in their own self-assessment.")
    try:
        changed = change_citation(rating, entry, cite=adding)
    except AssessmentLocked:
        return "", LOCKED, 409
    except CycleClosed as closed:
        return "", " ".join(closed.args), 403
    if not changed:
        return "", "", 200
    return ("Cited in your evidence." if adding else "No longer cited."), "", 200


def _redirect(assessment, rating):
    return redirect(
        f"{assessment.get_absolute_url()}?area={rating.capability.area_id}#capability-{rating.capability_id}"
    )


@require_POST
def cite(request, pk, capability_pk):
    """Cite an entry of the person's log in one capability's rating (or stop citing it: `action=remove`)."""
    assessment, can_edit = get_assessment_for_user(request.user, pk)
    if not can_edit:
        require_author(request.user, assessment)
    rating = get_object_or_404(
        Rating.objects.select_related("capability", "scale_level"), assessment=assessment, capability_id=capability_pk
    )
    adding = request.POST.get("action") != "remove"
    message, error, status = _change(request.user, assessment, rating, request.POST.get("entry"), adding)
    if not request.htmx:
        if message or error:
            (messages.error if error else messages.success)(request, error or message)
        return _redirect(assessment, rating)
    log = log_for_ratings(assessment, [rating], offer=True)[rating.capability_id]
    # A cited entry counts as evidence: for a rating above the level with no text, the capability's "Add evidence"
    # hint follows (swapped out of band); any other save state is left as it is.
    expectations = Expectation.objects.select_related("scale_level")
    expectation = expectations.filter(level_id=assessment.level_id, capability_id=rating.capability_id).first()
    above = expectation and rating.scale_level_id and rating.scale_level.rank > expectation.scale_level.rank
    context = {
        "log_html": log_html(
            rating.capability, log, assessment, can_edit, log_since(assessment), message=message, error=error
        ),
        "expectation": expectation if above and not rating.evidence.strip() else None,
        "needs_evidence": not log.cited,
        "rating": rating,
    }
    response = render(request, "assessments/reviews/includes/capability_log.html", context, status=status)
    if status == 403:  # shown in place, like an autosave's refusal (static/js/assessment.js)
        response["X-Save-State"] = "refused"
    return response


def cite_from_form(request, assessment: Assessment):
    """The plain form's Cite or Remove button ("<capability id>:<entry id>:cite|remove"), after the page's answers
    were saved: change the citation and go back to the capability."""
    try:
        capability_pk, entry_pk, action = request.POST["cite"].split(":")
        rating = Rating.objects.select_related("capability").get(
            assessment=assessment, capability_id=int(capability_pk)
        )
    except (ValueError, Rating.DoesNotExist):
        raise Http404("Not found.") from None
    message, error, _ = _change(request.user, assessment, rating, entry_pk, action != "remove")
    if message or error:
        (messages.error if error else messages.success)(request, error or message)
    return _redirect(assessment, rating)

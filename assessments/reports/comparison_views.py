"""The comparison page, and on it the manager's page for a report in a cycle: compare, agree the ratings,
recommend, share (with a preview, and an undo until the email goes).

Anyone who may see the comparison reads it (`reports/access.py` decides); the author of the manager
assessment also gets the steps, each a form of its own that posts to its own address and comes back to the
page at the next step. A step's messages are shown inside the step (tagged with its name), so the manager
reads them where they are on the page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assessments.growth.access import can_see_log, is_own_log
from assessments.growth.feedback_access import can_ask_about
from assessments.growth.feedback_summary import answers_by_capability
from assessments.growth.plan_access import can_work_on_plan
from assessments.people.models import Scope
from assessments.reports.access import (
    can_recommend,
    can_record_agreed,
    get_comparison_for_user,
    require_can_recommend,
    require_can_record_agreed,
)
from assessments.reports.comparison import build_comparison, visible_assessments
from assessments.reports.forms import AgreedOutcomeForm, RecommendationForm, saved_message
from assessments.reports.readiness import Rule
from assessments.reports.views import report_url
from assessments.reviews.access import (
    can_share,
    can_undo_share,
    get_assessment_for_user,
    in_closed_cycle,
    is_author,
    no_longer_manages,
)
from assessments.reviews.citations import attach_cited
from assessments.reviews.cycles import closed_cycle_message
from assessments.reviews.models import StaleRevision
from assessments.reviews.notifications import shared_email_subject

TEMPLATE = "assessments/reports/comparison.html"
STALE = (
    "Nothing was saved: this assessment changed since you opened the page (in another tab, or it was shared). "
    "The page now shows the latest version with your choices kept; check them and save again."
)


def _choices(comparison, assessments):
    """The levels and cycles one can switch the comparison to, from what the viewer may see."""
    levels, cycles, outside = {}, {}, False
    for assessment in assessments:
        levels.setdefault(assessment.level_id, assessment.level)
        if assessment.level_id == comparison.level.pk:
            if assessment.cycle is None:
                outside = True
            else:
                cycles.setdefault(assessment.cycle_id, assessment.cycle)
    levels.setdefault(comparison.level.pk, comparison.level)
    if comparison.cycle is not None:
        cycles.setdefault(comparison.cycle.pk, comparison.cycle)
    cycle_choices = [(str(cycle.pk), cycle.name) for cycle in sorted(cycles.values(), key=lambda c: c.starts_on)]
    if outside or comparison.cycle is None:
        cycle_choices.append(("none", "Outside review cycles"))
    return sorted(levels.values(), key=lambda level: (level.framework.name, level.grade, level.name)), cycle_choices


def _steps(request, comparison, form=None, recommend_form=None) -> dict:
    """The manager's steps, for the author of the manager assessment who still manages the person (else none)."""
    user, assessment = request.user, comparison.manager_assessment
    if assessment is None or not is_author(user, assessment) or no_longer_manages(user, assessment):
        return {"steps": False, "form": form}
    if form is None and can_record_agreed(user, comparison):
        form = AgreedOutcomeForm(comparison=comparison)
    if recommend_form is None and can_recommend(user, assessment):
        recommend_form = RecommendationForm(assessment=assessment)
    here = report_url("compare", comparison.subject, comparison.level, comparison.cycle)
    return {
        "steps": True,
        "form": form,
        "recommend_form": recommend_form,
        "can_share": can_share(user, assessment),
        "can_undo_share": can_undo_share(user, assessment),
        "cycle_closed": closed_cycle_message(assessment.cycle) if in_closed_cycle(assessment) else "",
        "share_next": f"{here}#share",
        "share_email_subject": shared_email_subject(assessment),
    }


def _feedback_log_url(user, subject) -> str:
    """Where the reader finds every answer: their own log, or the report's log as a manager sees it; else nowhere."""
    if is_own_log(user, subject):
        return reverse("growth:log")
    return reverse("growth:person_log", args=[subject.pk]) if can_see_log(user, subject) else ""


def _attach_feedback(user, subject, comparison) -> None:
    """Each row's feedback answers that the reader may read (growth/feedback_access.py), latest first, in one query."""
    found = answers_by_capability(user, subject, comparison.level.framework.key)
    for row in comparison.rows:
        row.feedback, row.feedback_total = found.get(row.capability.key, ([], 0))


def _context(request, subject, comparison, assessments, form=None, recommend_form=None):
    level_choices, cycle_choices = _choices(comparison, assessments)
    _attach_feedback(request.user, subject, comparison)
    attach_cited(comparison.rows)  # the evidence-log entries the self-assessment cites, read with its evidence
    return {
        "subject": subject,
        "comparison": comparison,
        "readiness": comparison.readiness,
        "rule": Rule.for_framework(comparison.level.framework),
        "chart": comparison.chart(),
        "level_choices": level_choices,
        "cycle_choices": cycle_choices,
        "selected_cycle": str(comparison.cycle.pk) if comparison.cycle else "none",
        "is_subject": subject.user_id == request.user.pk,
        "can_plan": can_work_on_plan(request.user, subject),
        "feedback_log_url": _feedback_log_url(request.user, subject),
        "viewer_person_id": Scope.of(request.user).person_id,
        "can_ask_feedback": not is_own_log(request.user, subject) and can_ask_about(request.user, subject),
        "pdf_url": report_url("promotion_pdf", subject, comparison.level, comparison.cycle),
        "report_url": report_url("promotion", subject, comparison.level, comparison.cycle),
        "csv_url": report_url("compare_csv", subject, comparison.level, comparison.cycle),
        "history_url": reverse("reports:history", args=[subject.pk]),
        **_steps(request, comparison, form, recommend_form),
    }


@require_GET
def comparison(request, person_pk):
    subject, found, assessments = get_comparison_for_user(request.user, person_pk, request.GET)
    return render(request, TEMPLATE, _context(request, subject, found, assessments))


def _manager_comparison(request, assessment):
    """(visible assessments, the comparison) around a manager assessment, as its author sees it."""
    assessments = visible_assessments(request.user, assessment.subject)
    found = build_comparison(request.user, assessment.subject, assessment.level, assessment.cycle, assessments)
    return assessments, found


@require_POST
def record_agreed(request, pk):
    """Step 2: save the agreed ratings that changed. A refused save keeps everything typed, each error at its row."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_can_record_agreed(request.user, assessment)
    subject = assessment.subject
    assessments, found = _manager_comparison(request, assessment)
    here = report_url("compare", subject, assessment.level, assessment.cycle)
    if not found.can_record_agreed:
        messages.error(request, "The agreed ratings can be recorded once both assessments are submitted.", "agree")
        return redirect(f"{here}#agree-heading")
    form = AgreedOutcomeForm(request.POST, comparison=found)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(request, subject, found, assessments, form), status=400)
    try:
        assessment.record_agreed_outcome(form.outcomes(), expected_revision=form.cleaned_data["revision"])
    except StaleRevision:
        # Keep what was typed, on top of the latest version; saving again is a deliberate choice.
        assessments, fresh = _manager_comparison(request, assessment)
        data = request.POST.copy()
        data["revision"] = fresh.manager_assessment.revision
        form = AgreedOutcomeForm(data, comparison=fresh)
        form.is_valid()
        messages.error(request, STALE, "agree")
        return render(request, TEMPLATE, _context(request, subject, fresh, assessments, form), status=409)
    # On to the next step; the count is shown there, where the page now is.
    messages.success(request, saved_message(*form.counts()), "recommend")
    return redirect(f"{here}#recommend")


@require_POST
def recommend(request, pk):
    """Step 3: the recommendation in the verdict's words, and why."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_can_recommend(request.user, assessment)
    here = report_url("compare", assessment.subject, assessment.level, assessment.cycle)
    if not assessment.is_submitted:
        messages.error(request, "Submit your assessment before recommending here.", "recommend")
        return redirect(f"{here}#recommend")
    form = RecommendationForm(request.POST, assessment=assessment)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = assessment.record_recommendation(
                recommendation=data["recommendation"],
                rationale=data["rationale"].strip(),
                expected_revision=data["revision"],
            )
        except StaleRevision:
            # Keep the choice and the reason on top of the latest version.
            assessment.refresh_from_db()
            posted = request.POST.copy()
            posted["revision"] = assessment.revision
            form = RecommendationForm(posted, assessment=assessment)
            form.is_valid()
            form.add_error(None, STALE)
            status = 409
        else:
            word = assessment.get_recommendation_display()
            text = f"Recommendation saved: {word}." if changed else f"Nothing had changed: you recommend {word}."
            messages.success(request, text, "share")
            return redirect(f"{here}#share")
    assessments, found = _manager_comparison(request, assessment)
    context = _context(request, assessment.subject, found, assessments, recommend_form=form)
    return render(request, TEMPLATE, context, status=status)

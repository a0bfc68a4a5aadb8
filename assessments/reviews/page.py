"""The assessment page's content: its rows, capability by capability and area by area, and everything else it
shows (`page_context`), read in a fixed number of queries whatever the framework's size. How a row looks:
row_html.py. The views (views.py) ask for it; the access rules stay in access.py."""

from dataclasses import dataclass, field

from django.shortcuts import render

from assessments.reviews import steps as page_steps
from assessments.reviews.access import (
    can_return,
    can_share,
    hidden_by_blind_cycle,
    in_closed_cycle,
    is_author,
    may_assess_from,
    no_longer_manages,
    no_longer_manages_message,
    visible_counterpart,
)
from assessments.reviews.carry import carried_label
from assessments.reviews.citing import attach_log
from assessments.reviews.cycles import closed_cycle_message
from assessments.reviews.forms import NOT_APPLICABLE, ReturnForm
from assessments.reviews.models import Assessment, Rating
from assessments.reviews.row_html import RowPage, rows_html
from assessments.reviews.verdict import Verdict
from assessments.reviews.versions import plan_move
from frameworks.models import Expectation, ScaleLevel

# Page building -----------------------------------------------------------------------------------


@dataclass
class Row:
    """One capability on the page: what the level expects, the answer shown, and the other side's answer."""

    expectation: Expectation
    rating: Rating
    scale_value: str
    evidence: str
    revision: int
    error: str = ""
    current: Rating | None = None  # what is saved now, shown when this page's save was refused
    theirs: Rating | None = None
    theirs_cited: list = field(default_factory=list)  # what `theirs` cites from the person's log (citing.py)
    log: object = None  # a self-assessment's evidence log under the capability (citing.py)
    plan: object = None  # the person's development plan items for it (growth/plan_summary.py)
    html: str = ""  # the row as the page shows it (row_html.py)

    @property
    def capability(self):
        return self.expectation.capability

    @property
    def needs_evidence(self) -> bool:
        return self.rating.needs_evidence(self.expectation)


@dataclass
class Area:
    pk: int
    name: str
    rows: list[Row] = field(default_factory=list)


def _answer_value(rating: Rating) -> str:
    if rating.not_applicable:
        return NOT_APPLICABLE
    return str(rating.scale_level_id) if rating.scale_level_id else ""


def _heading(assessment: Assessment, user) -> str:
    subject, author, level = assessment.subject, assessment.author, assessment.level.name
    if assessment.kind == Assessment.Kind.SELF:
        if subject.user_id == user.pk:
            return f"Your self-assessment against {level}"
        return f"{subject.name}’s self-assessment against {level}"
    if author.user_id == user.pk:
        return f"Your assessment of {subject.name} against {level}"
    if subject.user_id == user.pk:
        return f"{author.name}’s assessment of you against {level}"
    return f"{author.name}’s assessment of {subject.name} against {level}"


def _counterpart(user, assessment: Assessment, can_edit: bool) -> Assessment | None:
    """The other side only as far as this viewer may see it: a draft or unshared one is as good as absent. Its
    author editing their own self-assessment is shown nothing of it (the comparison page shows both sides): not
    read."""
    if can_edit and assessment.kind == Assessment.Kind.SELF:
        return None
    return visible_counterpart(user, assessment)


def _theirs(user, assessment: Assessment, counterpart: Assessment | None) -> tuple[bool, bool, dict]:
    """Beside a manager assessment: the person's own submitted self-assessment, unless a blind cycle keeps it
    out. (shown at all, hidden by the blind rule, capability id → their rating)."""
    show = assessment.is_manager_assessment and counterpart is not None and counterpart.is_submitted
    if not show:
        return False, False, {}
    if hidden_by_blind_cycle(user, counterpart, assessment):
        return True, True, {}
    return True, False, {r.capability_id: r for r in counterpart.ratings.select_related("scale_level")}


def _expectations(assessment: Assessment, steps, scale_levels) -> list[Expectation]:
    """What the level asks for in the capabilities shown, with each capability; each expectation's scale level is
    taken from the framework's (read once), and the areas' order from their counts (`_areas`), rather than both
    joined to every row."""
    by_id = {level.pk: level for level in scale_levels}
    expectations = Expectation.objects.filter(level_id=assessment.level_id).select_related("capability").order_by()
    # In the framework's order, sorted here: an ORDER BY costs Django a pass over every selected column.
    expectations = sorted(steps.narrow(expectations), key=lambda e: (e.capability.position, e.capability_id))
    for expectation in expectations:
        expectation.scale_level = by_id[expectation.scale_level_id]
    return expectations


def _areas(counts, expectations, ratings: dict, theirs: dict, typed: dict, errors: dict) -> list[Area]:
    """The page's rows grouped by area, in the framework's order (`counts`, area by area); a refused save (`typed`)
    shows what was typed, with its error."""
    areas = {count.area_id: Area(count.area_id, count.name) for count in counts}
    for expectation in expectations:
        rating = ratings.get(expectation.capability_id)
        area = areas.get(expectation.capability.area_id)
        # A capability added to a draft level after the assessment started (or, for the area, since it was counted).
        if rating is None or area is None:
            continue
        form = typed.get(expectation.capability_id)
        if form is not None:
            row = Row(
                expectation,
                rating,
                scale_value=form.data.get(form.add_prefix("scale"), ""),
                evidence=form.data.get(form.add_prefix("evidence"), ""),
                revision=rating.revision,
                error=errors.get(expectation.capability_id, ""),
                current=rating,
            )
        else:
            row = Row(expectation, rating, _answer_value(rating), rating.evidence, rating.revision)
        row.theirs = theirs.get(expectation.capability_id)
        area.rows.append(row)
    return [area for area in areas.values() if area.rows]


def _details_values(assessment: Assessment, details) -> dict:
    names = ("overall_comment", "recommendation", "rationale")
    if details is not None:  # a refused save: show what was typed
        return {name: details.data.get(name, "") for name in names}
    return {name: getattr(assessment, name) for name in names}


def page_context(request, assessment, can_edit: bool, *, typed=None, errors=None, details=None, step=None):
    """Everything the assessment page shows, in a fixed number of queries whatever the framework's size.

    `typed` (capability id → RatingForm) re-shows what was typed when a save was refused; `errors`
    (capability id → message) says why. `step`: the area shown when the page shows one at a time (steps.py).
    """
    errors = errors or {}
    user = request.user
    scale_levels = list(ScaleLevel.objects.filter(framework_id=assessment.level.framework_id).order_by("rank"))
    counts = page_steps.area_counts(assessment)
    overall_title = "Summary and recommendation" if assessment.is_manager_assessment else "Summary"
    steps = page_steps.choose_for_page(assessment, can_edit, counts, step, overall_title)
    shown = steps.narrow(assessment.ratings.with_cites())  # a cited entry counts as evidence
    ratings = {rating.capability_id: rating for rating in page_steps.with_scale_levels(shown, scale_levels)}
    counterpart = _counterpart(user, assessment, can_edit)
    show_theirs, theirs_hidden, theirs = _theirs(user, assessment, counterpart)
    expectations = _expectations(assessment, steps, scale_levels)
    areas = _areas(counts, expectations, ratings, theirs, typed or {}, errors)
    # An author who may edit still manages the person: only ask the reporting lines otherwise.
    no_longer_manager = not can_edit and no_longer_manages(user, assessment)
    carried_count = sum(count.carried for count in counts) if can_edit else 0
    context = {
        "steps": steps,
        "overall_title": overall_title,
        "carried_count": carried_count,
        "carried_label": carried_label(assessment) if carried_count else "",
        "assessment": assessment,
        "heading": _heading(assessment, user),
        "details_values": _details_values(assessment, details),
        "can_edit": can_edit,
        "is_author": is_author(user, assessment),
        "is_subject": assessment.subject.user_id == user.pk,
        "areas": areas,
        "scale_levels": scale_levels,
        "scale_length": len(scale_levels),
        "criteria": assessment.level.framework.is_criteria,
        "rated": sum(count.rated for count in counts),
        "total": sum(count.total for count in counts),
        "hide_ratings": hidden_by_blind_cycle(user, assessment, counterpart),
        "show_theirs": show_theirs,
        "theirs_hidden": theirs_hidden,
        "counterpart": counterpart,
        "details": details,
        "details_error": errors.get("details", ""),
        "can_return": can_return(user, assessment),
        "return_form": ReturnForm(),
        "no_longer_manager": no_longer_manages_message(assessment) if no_longer_manager else "",
        "cycle_closed": closed_cycle_message(assessment.cycle) if in_closed_cycle(assessment) else "",
        "can_share": can_share(user, assessment),
        "can_assess": may_assess_from(user, assessment, counterpart),
        # An open draft on an older framework version: what moving it to the published one would carry.
        "version_move": plan_move(assessment) if can_edit else None,
        "verdict_words": Verdict.choices,
        "log_since": attach_log(user, assessment, areas, can_edit),  # the evidence log per row (reviews/citing.py)
    }
    rows_html([row for area in areas for row in area.rows], RowPage.from_context(context))
    return context


def render_page(request, assessment, can_edit, status=200, **kwargs):
    context = page_context(request, assessment, can_edit, **kwargs)
    return render(request, "assessments/reviews/detail.html", context, status=status)

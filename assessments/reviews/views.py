"""Assessment pages: start, fill in (with autosave), submit, return for changes, and the lists (sharing: `sharing.py`).

Every view starts with an access helper: `get_assessment_for_user` for an assessment (404 for strangers,
`can_edit` False for read-only viewers, whose changes get a 403), `get_person_for_user` for a person.
The page is one plain form that saves everything without JavaScript; htmx autosaves one capability at
a time on top of it. Saves carry the revision they were based on, and a stale one is refused.
"""

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from assessments.people.access import person_of
from assessments.reviews import notifications, page
from assessments.reviews import steps as page_steps
from assessments.reviews.access import (
    can_return,
    can_see,
    get_assessment_for_user,
    get_subject_for_start,
    in_closed_cycle,
    may_take_over,
    require_author,
    require_can_move_version,
    require_can_return,
    require_open_cycle,
)
from assessments.reviews.carry import (
    carried_label,
    carry_source,
    offer_for,
    source_name,
    started_message,
    untouched_carried,
)
from assessments.reviews.citing import cite_from_form
from assessments.reviews.cycles import CycleClosed, closed_cycle_message
from assessments.reviews.forms import (
    CARRY,
    NO_CYCLE,
    DetailsForm,
    RatingForm,
    ReturnForm,
    StartForm,
    next_level,
)
from assessments.reviews.handover import left_behind
from assessments.reviews.models import Assessment, AssessmentLocked, Rating, StaleRevision
from frameworks.models import Expectation, ScaleLevel

STALE_MESSAGE = (
    "Couldn’t save — this was changed in another tab or by someone else. Your text is kept below; "
    "copy it, reload, and apply it again."
)
LOCKED_MESSAGE = (
    "Couldn’t save — this assessment has been submitted, so it can no longer be changed. "
    "Your text is kept below; copy it if you need it."
)


# Starting --------------------------------------------------------------------------------------


def _already_started_message(user, assessment: Assessment) -> str:
    """Someone else's manager assessment is in the way. Say only what this reader may know: its author and level
    when they can read it; that a former manager left it behind to the person's manager now (who may take it
    over); to anyone else, neither whose it is, nor its level, nor how far it got."""
    subject = assessment.subject
    if may_take_over(user, subject) and left_behind(subject) == assessment:
        return (
            f"{assessment.author.name} started a manager assessment of {subject.name} before {subject.name} moved "
            "to you. You can take it over below."
        )
    if can_see(user, assessment):
        where = f"{assessment.level.name}{' in ' + assessment.cycle.name if assessment.cycle else ''}"
        return f"{assessment.author.name} is already assessing {subject.name} against {where}."
    # The cycle (or, outside cycles, the level) is the one this reader asked for: it tells them nothing new.
    if assessment.cycle:
        where, per = f"in {assessment.cycle.name}", "person and cycle"
    else:
        where, per = f"against {assessment.level.name}", "person and level"
    return (
        f"You can’t start a manager assessment of {subject.name} {where}: there is one per {per}, and it is not "
        f"yours to write. Ask HR if you need to assess {subject.name}."
    )


def _other_level_message(assessment: Assessment) -> str:
    """Asked for one level, but this review already has its assessment against another: say which is opened."""
    kind = assessment.get_kind_display().lower()
    framework = assessment.level.framework
    version = "" if framework.status == framework.Status.PUBLISHED else f" (version {framework.version})"
    return (
        f"There is one {kind} per review cycle, and this one is already against {assessment.level.name}{version} "
        f"in {assessment.cycle.name}: here it is."
    )


def _start_or_refuse(request, form, subject, me, source):
    """Start (or open) the assessment and go to it; None when the model refused (the error is on the form)."""
    carry_from = source if form.cleaned_data["begin"] == CARRY else None
    try:
        assessment, created = Assessment.start(
            subject=subject,
            author=me,
            level=form.cleaned_data["level"],
            cycle=form.cleaned_data["cycle"],
            carry_from=carry_from,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    if assessment.author_id != me.pk:
        messages.error(request, _already_started_message(request.user, assessment))
        return redirect("assessments:person", subject.pk)
    if created:
        messages.success(request, started_message(assessment))
    elif assessment.level_id != form.cleaned_data["level"].pk:
        messages.info(request, _other_level_message(assessment))
    return redirect(assessment)


def start(request):
    """GET: choose a level, a cycle, and (with earlier submitted ratings to start from) how to begin. POST: start
    (or reopen) the assessment and go to it; a one-click start that could carry ratings first asks how to begin."""
    me = person_of(request.user)
    subject = get_subject_for_start(request.user, me, request.POST.get("subject") or request.GET.get("subject"))
    default_level = next_level(subject.level)
    status, source, draft = 200, None, None
    if request.method == "POST":
        form = StartForm(request.POST, default_level=default_level)
        if "level" not in request.POST and default_level is not None:
            form = StartForm({**request.POST.dict(), "level": default_level.pk}, default_level=default_level)
        valid = form.is_valid()
        level, cycle = form.cleaned_data.get("level"), form.cleaned_data.get("cycle")
        source = offer_for(subject=subject, author=me, level=level, cycle=cycle)
        if valid and (source is None or form.cleaned_data["begin"]):
            response = _start_or_refuse(request, form, subject, me, source)
            if response is not None:
                return response
        status = 400 if form.errors else 200
        if status == 200:  # asked how to begin: show what the one click chose, the cycle included
            chosen = {"level": level.pk, "cycle": str(cycle.pk) if cycle else NO_CYCLE}
            form = StartForm(initial=chosen, default_level=default_level)
    else:
        form = StartForm(default_level=default_level)
        cycle = form.open_cycles[0] if len(form.open_cycles) == 1 else None
        source = carry_source(subject=subject, author=me, cycle=cycle)
        # What the form's default choice opens, when the reader has started it already: "Continue — N of M rated".
        mine = Assessment.objects.drafts_by(request.user, subject).select_related("level", "cycle")
        draft = mine.one_click(default_level).first()
    context = {"form": form, "subject": subject, "is_self": subject.pk == me.pk, "source": source, "draft": draft}
    if source is not None:
        context["source_name"] = source_name(source)
    return render(request, "assessments/reviews/start.html", context, status=status)


# The assessment page ----------------------------------------------------------------------------


def _errors_text(form) -> str:
    return "Couldn’t save: " + " ".join(message for messages_ in form.errors.values() for message in messages_)


def _save_ratings(request, assessment: Assessment) -> tuple[dict, dict, bool]:
    """Save every capability posted by the plain form, in one transaction: (typed forms and errors of refused
    rows, any stale). Raises AssessmentLocked when it was submitted meanwhile."""
    scale_levels = list(ScaleLevel.objects.filter(framework_id=assessment.level.framework_id).order_by("rank"))
    reader, errors, answers = RatingForm(scale_levels=scale_levels), {}, []
    for rating in assessment.ratings.all():
        if f"r{rating.capability_id}-revision" not in request.POST:  # not on the page posted (another area's)
            continue
        answer, problems = reader.read(request.POST, rating.capability_id)
        if problems:
            errors[rating.capability_id] = "Couldn’t save: " + " ".join(problems)
        else:
            answers.append((rating, answer))
    for rating in assessment.record_answers(answers):
        errors[rating.capability_id] = STALE_MESSAGE
    typed = {pk: RatingForm(request.POST, scale_levels=scale_levels, capability_id=pk) for pk in errors}
    return typed, errors, any(message == STALE_MESSAGE for message in errors.values())


def _save_details(request, assessment: Assessment, errors: dict) -> tuple[DetailsForm | None, bool]:
    """Save the overall comment (and recommendation): (the form to show again, or None once saved; stale).
    Raises AssessmentLocked when it was submitted meanwhile. Not on the page posted (an area's step): nothing."""
    if "overall_comment" not in request.POST:
        return None, False
    details = DetailsForm(request.POST, assessment=assessment)
    if not details.is_valid():
        errors["details"] = _errors_text(details)
        return details, False
    try:
        assessment.update_details(expected_revision=details.cleaned_data["revision"], **details.changes())
    except StaleRevision:
        errors["details"] = STALE_MESSAGE
        assessment.refresh_from_db(from_queryset=Assessment.objects.with_related())
        return details, True
    return None, False


def _submit(request, assessment: Assessment, *, carried_checked=False):
    if assessment.problems() or (not carried_checked and untouched_carried(assessment)):
        # Its own address, so that the links back to the page's anchors load the page.
        return redirect("assessments:check", assessment.pk)
    try:
        submitted = assessment.submit()
    except ValidationError:  # something was cleared at the same moment (an autosave in another tab)
        return redirect("assessments:check", assessment.pk)
    if submitted:
        if assessment.kind == Assessment.Kind.SELF:
            notifications.self_assessment_submitted(assessment)
            manager = assessment.subject.manager
            to = f" and sent to {manager.name}" if manager else ""
            messages.success(request, f"Your self-assessment has been submitted{to}.")
        else:
            messages.success(
                request, f"Submitted. Share it with {assessment.subject.name} when you are ready to talk it through."
            )
    return redirect(assessment)


def detail(request, pk):
    """GET: the page. POST (the plain form): save every answer posted, then go to the step asked for (`goto`),
    stay (save the draft), or submit."""
    assessment, can_edit = get_assessment_for_user(request.user, pk)
    if request.method != "POST":
        return page.render_page(request, assessment, can_edit, step=request.GET.get("area"))

    require_open_cycle(assessment)
    action = request.POST.get("action", "save")
    locked = LOCKED_MESSAGE.replace(" Your text is kept below; copy it if you need it.", "")
    if not can_edit:
        require_author(request.user, assessment)
        if action == "submit":  # a second click on Submit: it is submitted already
            messages.info(request, f"This {assessment.get_kind_display().lower()} has already been submitted.")
        else:
            messages.error(request, locked)
        return redirect(assessment)
    if action == "submit-checked":  # from the check page, which posts no answers: submit, carried ones as they are
        return _submit(request, assessment, carried_checked=True)
    try:
        typed, errors, stale_ratings = _save_ratings(request, assessment)
        details, stale_details = _save_details(request, assessment, errors)
    except AssessmentLocked:
        messages.error(request, locked)
        return redirect(assessment)
    step = request.POST.get("step")
    if errors:
        status = 409 if stale_ratings or stale_details else 400
        context = {"typed": typed, "errors": errors, "details": details, "step": step}
        return page.render_page(request, assessment, can_edit, status=status, **context)
    if action == "submit":
        return _submit(request, assessment)
    if request.POST.get("cite"):  # a Cite or Remove button, without JavaScript: answers saved above, then cite
        return cite_from_form(request, assessment)
    goto = request.POST.get("goto")
    if not goto:
        messages.success(request, "Draft saved.")
    step = goto or step
    return redirect(assessment.get_absolute_url() + (f"?{urlencode({'area': step})}" if step else ""))


def check(request, pk):
    """What stops the assessment from being submitted, with links to each capability (nothing is submitted)."""
    assessment, can_edit = get_assessment_for_user(request.user, pk)
    if not can_edit:
        return redirect(assessment)
    expectations = list(assessment.expectations())
    problems = assessment.problems(expectations=expectations)
    carried = untouched_carried(assessment, expectations)
    if not problems and not carried:
        messages.success(request, "Nothing is missing: submit it when you are ready.")
        return redirect(assessment)
    if len(expectations) > page_steps.ONE_PAGE_UP_TO:  # links to the area that shows each one
        area_of = {e.capability_id: e.capability.area_id for e in expectations}
        problems = [replace(p, area=page_steps.step_of(area_of, p.anchor)) for p in problems]
        carried = [replace(p, area=page_steps.step_of(area_of, p.anchor)) for p in carried]
    context = {"assessment": assessment, "problems": problems, "carried": carried}
    if carried:
        context["carried_label"] = carried_label(assessment)
    return render(request, "assessments/reviews/check.html", context)


def _refused(request, partial, context, assessment):
    """An autosave in a closed cycle: 403, with the policy's sentence in the save state (the page's script
    shows a refusal that carries the X-Save-State header)."""
    response = render(request, partial, {**context, "error": closed_cycle_message(assessment.cycle)}, status=403)
    response["X-Save-State"] = "refused"
    return response


# What an autosave reads of its assessment: who wrote it (may they change it), about whom (do they still manage
# them; the rare refusal that names them reads their name then), its level's framework (the scale) and its cycle.
AUTOSAVE_RELATED = ("author", "subject", "level", "cycle")


@require_POST
def save_rating(request, pk, capability_pk):
    """Autosave one capability (htmx). Answers a small partial: the save state, the new revision, the progress."""
    assessment, can_edit = get_assessment_for_user(request.user, pk, related=AUTOSAVE_RELATED)
    if not can_edit:
        require_author(request.user, assessment)
    # With what the level expects of it (a subquery, not a second query after the save; a capability the level no
    # longer asks for is not on the page), and its scale level from the framework's scale read below, not joined.
    expected = Expectation.objects.filter(level_id=assessment.level_id, capability_id=OuterRef("capability_id"))
    ratings = Rating.objects.annotate(expected_id=Subquery(expected.order_by().values("scale_level_id")[:1]))
    rating = get_object_or_404(ratings, assessment=assessment, capability_id=capability_pk, expected_id__isnull=False)
    if not request.htmx:
        # The plain form posts the whole page; this address only answers htmx.
        return redirect(f"{assessment.get_absolute_url()}?area={rating.capability.area_id}#capability-{capability_pk}")
    context = {"assessment": assessment, "rating": rating, "target": f"capability-{capability_pk}"}
    if in_closed_cycle(assessment):
        return _refused(request, "assessments/reviews/includes/save_state.html", context, assessment)
    if not can_edit:
        return render(
            request, "assessments/reviews/includes/save_state.html", {**context, "error": LOCKED_MESSAGE}, status=409
        )
    scale_levels = list(ScaleLevel.objects.filter(framework_id=assessment.level.framework_id).order_by("rank"))
    by_id = {level.pk: level for level in scale_levels}
    rating.scale_level = by_id.get(rating.scale_level_id)
    expectation = Expectation(level_id=assessment.level_id, capability_id=capability_pk)
    expectation.scale_level = by_id[rating.expected_id]
    form = RatingForm(request.POST, scale_levels=scale_levels, capability_id=capability_pk)
    if not form.is_valid():
        error = _errors_text(form)
        return render(request, "assessments/reviews/includes/save_state.html", {**context, "error": error}, status=400)
    was_carried = rating.carried
    try:
        changed = rating.record(**form.answer())
    except StaleRevision:
        return render(
            request, "assessments/reviews/includes/save_state.html", {**context, "error": STALE_MESSAGE}, status=409
        )
    except AssessmentLocked:
        return render(
            request, "assessments/reviews/includes/save_state.html", {**context, "error": LOCKED_MESSAGE}, status=409
        )
    rated, total = assessment.progress()
    if was_carried and changed:  # its "carried from" mark goes, and the count at the top drops
        context.update(
            was_carried=True,
            carried_left=assessment.ratings.filter(carried=True).count(),
            carried_label=carried_label(assessment),
        )
    return render(
        request,
        "assessments/reviews/includes/save_state.html",
        {
            **context,
            "saved": True,
            "needs_evidence": rating.needs_evidence(expectation),
            "expectation": expectation,
            "rated": rated,
            "total": total,
        },
    )


@require_POST
def save_details(request, pk):
    """Autosave the overall comment, recommendation and rationale (htmx)."""
    assessment, can_edit = get_assessment_for_user(request.user, pk)
    if not can_edit:
        require_author(request.user, assessment)
    if not request.htmx:
        return redirect(f"{assessment.get_absolute_url()}#overall")
    partial = "assessments/reviews/includes/details_state.html"
    if in_closed_cycle(assessment):
        return _refused(request, partial, {"assessment": assessment}, assessment)
    if not can_edit:
        return render(request, partial, {"assessment": assessment, "error": LOCKED_MESSAGE}, status=409)
    form = DetailsForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return render(request, partial, {"assessment": assessment, "error": _errors_text(form)}, status=400)
    try:
        assessment.update_details(expected_revision=form.cleaned_data["revision"], **form.changes())
    except StaleRevision:
        return render(request, partial, {"assessment": assessment, "error": STALE_MESSAGE}, status=409)
    except AssessmentLocked:
        return render(request, partial, {"assessment": assessment, "error": LOCKED_MESSAGE}, status=409)
    return render(request, partial, {"assessment": assessment, "saved": True})


@require_POST
def return_for_changes(request, pk):
    """A manager up the chain sends a submitted self-assessment back to its author, with a comment."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_open_cycle(assessment)
    require_can_return(request.user, assessment)
    if not can_return(request.user, assessment):
        messages.info(request, "This self-assessment is no longer waiting for review.")
        return redirect(assessment)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = page.page_context(request, assessment, False)
        context["return_form"] = form
        return render(request, "assessments/reviews/detail.html", context, status=400)
    me = person_of(request.user)
    if assessment.return_for_changes(by=me, comment=form.cleaned_data["comment"]):
        notifications.assessment_returned(assessment)
        messages.success(request, f"Returned to {assessment.subject.name} with your comment.")
    # The author can edit it again; to everyone else it is private until resubmitted.
    return redirect("assessments:person", assessment.subject_id)


@require_POST
def move_version(request, pk):
    """The author moves an open draft to its framework's newer published version (reviews/versions.py): the
    same assessment, every answer the new level still asks for carried; what could not be carried is listed."""
    assessment, _ = get_assessment_for_user(request.user, pk)
    require_can_move_version(request.user, assessment)
    old_version = assessment.level.framework.version
    try:
        move = assessment.move_to_published_version(person_of(request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assessment)
    except (AssessmentLocked, CycleClosed):  # submitted, or the cycle closed, since the page was shown
        messages.error(request, f"This assessment can no longer be changed, so it stays on version {old_version}.")
        return redirect(assessment)
    messages.success(request, f"Moved to version {move.version.version}: {move.summary}.")
    if move.not_carried:
        messages.warning(
            request,
            format_html(
                'Not carried to version {}:<ul class="mb-0">{}</ul>',
                move.version.version,
                format_html_join("", "<li>{}: {}</li>", ((row.label, row.reason) for row in move.not_carried)),
            ),
        )
    return redirect(assessment)

"""Report pages: the comparison and its agreed outcome, the promotion report (HTML and PDF), a person's
history, the team heatmap and calibration, each table with a CSV twin. The PDF is made by a worker (`pdf.py`);
its page says "Preparing the PDF…" until it is ready.

Every view starts with a question to the report access policy (`reports/access.py`): strangers get a
404; read-only viewers who try to change something get a 403. A subject sees their comparison and
report only once the manager has shared their assessment, and then only what was shared.
"""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from assessments.growth.plan_access import can_read_plan_in_report
from assessments.growth.plan_summary import plan_for_report
from assessments.people.access import get_person_for_user
from assessments.people.models import Person
from assessments.reports.access import (
    get_calibration_manager_for_user,
    get_calibration_scope_for_user,
    get_comparison_for_user,
    get_team_for_user,
)
from assessments.reports.calibration import (
    RaterStats,
    build_calibration,
    calibration_assessments,
    organisation_figures,
    people_rated_by,
    raters_by_name,
    readiness_by_level,
)
from assessments.reports.charts import difference_plot
from assessments.reports.comparison import (
    visible_assessments_of_person,
    words_for,
)
from assessments.reports.csv_export import csv_response, csv_stream, filename
from assessments.reports.forms import ALL_CYCLES, CycleFilterForm, TeamFilterForm
from assessments.reports.history import build_history, earlier_history
from assessments.reports.pdf import State, known_state, request_pdf
from assessments.reports.readiness import Rule
from assessments.reports.team import CELL_STATES, build_team_heatmap
from assessments.reports.team_summary import team_verdicts
from assessments.reports.verdicts import PeopleByVerdict, managers_visible_to
from assessments.reviews.citations import attach_cited
from assessments.reviews.models import Assessment, ReviewCycle
from frameworks.models import Track

# Helpers ------------------------------------------------------------------------------------------


def report_query(level, cycle) -> str:
    return urlencode({"level": level.pk, "cycle": cycle.pk if cycle else "none"})


def report_url(name: str, subject: Person, level, cycle) -> str:
    return f"{reverse(f'reports:{name}', args=[subject.pk])}?{report_query(level, cycle)}"


@require_GET
def comparison_csv(request, person_pk):
    subject, found, _ = get_comparison_for_user(request.user, person_pk, request.GET)
    headings = {key: heading for key, heading, _, _ in found.groups}
    header = [
        "Group",
        "Area",
        "Capability",
        f"Expected at current level ({found.current_level.name if found.current_level else 'none'})",
        f"Expected at {found.level.name}",
        "Self rating",
        "Manager rating",
        "Agreed rating",
        "Agreed note",
        "Against target",
        "Self evidence",
        "Manager evidence",
    ]
    rows = [
        [
            headings[row.group],
            row.capability.area.name,
            row.capability.name,
            row.now_scale.name if row.now_scale else "Not asked",
            row.target_scale.name if row.target_scale else "Not asked",
            words_for(row.self_answer) if found.has_self else "Not shown",
            words_for(row.manager_answer) if found.has_manager else "Not shown",
            words_for(row.agreed_answer) if row.agreed else "",
            row.agreed_note,
            row.gap_label,
            row.self_evidence,
            row.manager_evidence,
        ]
        for _, _, _, group_rows in found.groups
        for row in group_rows
    ]
    cycle_name = found.cycle.name if found.cycle else "outside-cycles"
    return csv_response(filename("comparison", subject.name, found.level.name, cycle_name), header, rows)


# Promotion report ---------------------------------------------------------------------------------


def _promotion_context(request, subject, found, assessments, *, for_pdf):
    history = earlier_history(build_history(request.user, subject, assessments, charts=False, known=found), found)
    manager_assessment = found.manager_assessment
    attach_cited(found.rows)  # the evidence-log entries the self-assessment cites, under each capability
    return {
        "subject": subject,
        "comparison": found,
        "readiness": found.readiness,
        "rule": Rule.for_framework(found.level.framework),
        "chart": found.chart("promotion-chart"),
        "history": history,
        "manager_assessment": manager_assessment,
        "manager_name": manager_assessment.author.name if manager_assessment else _manager_name(subject),
        "generated_on": timezone.localdate(),
        "for_pdf": for_pdf,
        "base_template": "assessments/reports/print_base.html" if for_pdf else "base.html",
        "pdf_url": report_url("promotion_pdf", subject, found.level, found.cycle),
        "compare_url": report_url("compare", subject, found.level, found.cycle),
        "plan": plan_for_report(subject, found.level.framework.key, found.rows)
        if can_read_plan_in_report(request.user, subject)
        else None,
    }


def _manager_name(subject: Person) -> str:
    """The person's manager, read only for a report without a manager assessment to name its author."""
    if subject.manager_id is None:
        return ""
    return Person.objects.select_related("user").get(pk=subject.manager_id).name


@require_GET
def promotion_report(request, person_pk):
    subject, found, assessments = get_comparison_for_user(request.user, person_pk, request.GET)
    context = _promotion_context(request, subject, found, assessments, for_pdf=False)
    return render(request, "assessments/reports/promotion.html", context)


def _promotion_pdf(request, person_pk, *, again=False):
    """(subject, comparison, the PDF) after the report's access check; queues the PDF if it is not made yet."""
    subject, found, assessments = get_comparison_for_user(request.user, person_pk, request.GET)
    context = _promotion_context(request, subject, found, assessments, for_pdf=True)
    # Rendered without the request, so nothing that differs per request (a token, a nonce) changes the PDF's key.
    html = render_to_string("assessments/reports/promotion.html", context)
    return subject, found, request_pdf(request.user, html, request.build_absolute_uri("/"), again=again)


@require_GET
def promotion_pdf(request, person_pk):
    """The PDF, when it is made; otherwise the page that waits for it. Asking again retries a failed render."""
    subject, found, pdf = _promotion_pdf(request, person_pk, again=True)
    if pdf.state != State.READY:
        return redirect(report_url("promotion_pdf_status", subject, found.level, found.cycle))
    name = "-".join(
        slugify(part)
        for part in ("promotion report", subject.name, found.level.name, found.cycle.name if found.cycle else "")
        if part
    )
    response = HttpResponse(pdf.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_GET
def promotion_pdf_status(request, person_pk):
    """The page that says "Preparing the PDF…" until the PDF is made, then downloads it.

    It polls itself with htmx (no inline script: a Content-Security-Policy is coming): a poll that finds nothing
    new answers 204, one that finds the PDF ready reloads the page, whose ready state starts the download.
    """
    digest = request.GET.get("digest", "")
    if request.htmx and re.fullmatch(r"[0-9a-f]{64}", digest):
        # A poll: after the report's access check, the state by the PDF's name, without rendering the report.
        get_comparison_for_user(request.user, person_pk, request.GET)
        state = known_state(request.user, digest)
        if state == State.READY:
            return HttpResponseClientRefresh()
        if state == request.GET.get("shown"):
            return HttpResponse(status=204)
    subject, found, pdf = _promotion_pdf(request, person_pk)
    if request.htmx and pdf.state == State.READY:
        return HttpResponseClientRefresh()
    if request.htmx and pdf.state == request.GET.get("shown"):
        return HttpResponse(status=204)
    context = {
        "subject": subject,
        "comparison": found,
        "state": pdf.state.value,
        "digest": pdf.digest,
        "status_url": report_url("promotion_pdf_status", subject, found.level, found.cycle),
        "pdf_url": report_url("promotion_pdf", subject, found.level, found.cycle),
        "report_url": report_url("promotion", subject, found.level, found.cycle),
    }
    if request.htmx:
        return render(request, "assessments/reports/includes/pdf_status.html", context)
    return render(request, "assessments/reports/promotion_pdf.html", context)


# History ------------------------------------------------------------------------------------------


@require_GET
def history(request, person_pk):
    subject = get_person_for_user(request.user, person_pk)
    found = build_history(request.user, subject, visible_assessments_of_person(request.user, subject))
    return render(
        request,
        "assessments/reports/history.html",
        {"subject": subject, "history": found, "csv_url": reverse("reports:history_csv", args=[subject.pk])},
    )


@require_GET
def history_csv(request, person_pk):
    subject = get_person_for_user(request.user, person_pk)
    found = build_history(request.user, subject, visible_assessments_of_person(request.user, subject), charts=False)
    header = [
        "Capability key",
        "Capability",
        "Review",
        "Level assessed against",
        "Expected at that level",
        "Agreed or manager rating",
        "Agreed",
        "Self rating",
    ]
    rows = [
        [
            row.key,
            row.capability.name,
            point.cycle.name if point.cycle else point.date.isoformat(),
            point.level.name,
            cell.expected.name if cell.expected else "Not asked",
            words_for(cell.effective) if point.manager_assessment else "",
            cell.agreed,
            words_for(cell.self_answer) if point.self_assessment else "",
        ]
        for row in found.rows
        for point, cell in zip(found.points, row.cells, strict=True)
        if cell.has_any
    ]
    return csv_response(filename("history", subject.name), header, rows)


# Team heatmap -------------------------------------------------------------------------------------


HEATMAP_PAGE_SIZE = 25  # a screenful of rows (issue 11 §4), as My team's pages
CSV_CHUNK = 200


def _team(request):
    """Everything the heatmap and its CSV show, after the access check: the filter form, the people in
    scope as a query (never a list of the whole organisation), and the chosen cycle, track and sort."""
    me, manager, managers = get_team_for_user(request.user, request.GET.get("manager"))
    people = Person.objects.none()
    if manager is not None:
        people = Person.objects.with_related().active().in_subtree_of(manager).order_by("user__full_name", "pk")
    tracks = sorted(
        # An EXISTS per track (a handful) stops at the first person on it, not a DISTINCT over everyone in scope.
        Track.objects.filter(Exists(people.filter(level__track=OuterRef("pk"))))
        .order_by()
        .values_list("key", "name")
        .distinct(),
        key=lambda track: track[1],
    )
    # Only cycles with submitted work this viewer may see: someone's draft must not show through the filter.
    # An EXISTS per cycle (a handful) stops at the first such assessment, not a join over every one in scope.
    visible = Assessment.objects.visible_to(request.user).submitted().filter(subject__in=people.values("pk"))
    cycles = list(
        ReviewCycle.objects.filter(Exists(visible.filter(cycle=OuterRef("pk")))).order_by("-starts_on", "name")
    )
    form = TeamFilterForm(
        request.GET or None,
        managers=managers if request.user.is_hr_admin or len(managers) > 1 else (),
        cycles=cycles,
        tracks=tracks,
        initial={
            "manager": manager.pk if manager else None,
            "cycle": cycles[0].pk if cycles else "",
            "sort": "verdict",
        },
    )
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # One cycle at a time: the chosen one, else the latest with submitted work.
    cycle = next((c for c in cycles if str(c.pk) == chosen.get("cycle")), cycles[0] if cycles else None)
    if chosen.get("track"):
        people = people.filter(level__track__key=chosen["track"])
    query = urlencode(_kept(request, form))
    return {
        "me": me,
        "manager": manager,
        "people": people,
        "form": form,
        "cycle": cycle,
        "sort": chosen.get("sort") or "verdict",
        "query": query,
        "states": CELL_STATES,
        "csv_url": reverse("reports:team_csv") + (f"?{query}" if query else ""),
        "cycle_query": f"cycle={cycle.pk}" if cycle else "cycle=latest",
    }


# More people than this below the manager shown and the heatmap shows one row per team (a screenful), as My team
# does past its TEAM_IN_FULL (the same number; tests/assessments/test_heatmap_summary.py checks they agree).
HEATMAP_IN_FULL = HEATMAP_PAGE_SIZE


@require_GET
def team_heatmap(request):
    """Up to HEATMAP_IN_FULL people below the manager: the heatmap, HEATMAP_PAGE_SIZE people a page, by verdict (the
    database orders the whole scope, so page 2 follows page 1) or by name. More: one row per team with its counts
    by verdict (drill in with ?manager=), and a search for one person (?q=), whose results are a heatmap."""
    context = _team(request)
    people = context["people"]
    search = request.GET.get("q", "").strip()[:100]
    manager = context["manager"]
    if search:
        people = people.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    elif manager is not None:
        teams = (
            team_verdicts(request.user, manager, people, context["cycle"], request.GET.get("page"))
            if _is_big(people)
            else None
        )
        if teams is not None:
            context.update(teams=teams.teams, team_page=teams.page, people_count=teams.people)
            return render(request, "assessments/reports/team.html", _with_chain(request, context))
    # Everyone fits on one page unless it is a search: then `build_team_heatmap` orders them by verdict itself.
    if context["sort"] == "verdict" and (search or HEATMAP_IN_FULL > HEATMAP_PAGE_SIZE):
        people = PeopleByVerdict(people, managers_visible_to(request.user, people.values("pk"), context["cycle"]))
    elif not search:
        # At most HEATMAP_IN_FULL people: read them once, and the paginator counts the list instead of the database.
        people = list(people)
    page = Paginator(people, HEATMAP_PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    tables = build_team_heatmap(request.user, people, context["cycle"], context["sort"]) if people else []
    placed = {row.person.pk for table in tables for row in table.rows}
    context.update(
        page=page,
        people_count=page.paginator.count,
        tables=tables,
        search=search,
        # Everyone is listed: people with no level (and no assessment to go by) are named below the tables.
        unplaced=[person for person in people if person.pk not in placed],
    )
    if search:
        context["query"] = urlencode({**dict(_kept(request, context["form"])), "q": search})
    return render(request, "assessments/reports/team.html", _with_chain(request, context))


def _is_big(people) -> bool:
    """More than HEATMAP_IN_FULL people: counted up to one more than that, not everyone."""
    return people.order_by()[: HEATMAP_IN_FULL + 1].count() > HEATMAP_IN_FULL


def _kept(request, form) -> list[tuple[str, str]]:
    """The filters a link or a search keeps: the form's, and the manager when the form has no list of them."""
    keep = set(form.fields) | {"manager"}
    return [(key, value) for key, value in request.GET.items() if key in keep and value]


def _with_chain(request, context: dict) -> dict:
    """The managers between the viewer and the team shown (the breadcrumb back up), and the search's filters."""
    me, manager = context["me"], context["manager"]
    chain = []
    if manager is not None and manager.pk != me.pk:
        chain = [
            p for p in reversed(manager.managers_up_chain()) if request.user.is_hr_admin or p.path.startswith(me.path)
        ]
    context.update(chain=chain, kept=[(k, v) for k, v in _kept(request, context["form"]) if k not in ("q", "page")])
    return context


TEAM_CSV_HEADER = [
    "Framework",
    "Person",
    "Current level",
    "Target level",
    "Verdict",
    "Reasons",
    "Area",
    "Capability",
    "Expected at target",
    "Agreed or manager rating",
    "Against target",
]


def _team_csv_rows(user, people, cycle, sort):
    """Every heatmap cell of everyone in scope, CSV_CHUNK people at a time, so memory stays flat."""
    for page in Paginator(people, CSV_CHUNK):
        chunk = list(page.object_list)
        tables = build_team_heatmap(user, chunk, cycle, sort)
        placed = {row.person.pk for table in tables for row in table.rows}
        for person in chunk:
            if person.pk not in placed:
                yield ["", person.name, "", "", "No level set", "", "", "", "", "", ""]
        for table in tables:
            for row in table.rows:
                for capability, cell in zip(table.capabilities, row.cells, strict=True):
                    yield [
                        f"{table.framework.name} (version {table.framework.version})",
                        row.person.name,
                        row.person.level.name if row.person.level else "",
                        row.target.name,
                        row.readiness.label if row.readiness else "No manager assessment yet",
                        "; ".join(row.readiness.reasons) if row.readiness else "",
                        capability.area.name,
                        capability.name,
                        cell.expected.name if cell.expected else "Not asked",
                        cell.rating.name if cell.rating else "",
                        cell.word,
                    ]


@require_GET
def team_csv(request):
    """The whole scope (not just a page), streamed."""
    context = _team(request)
    manager = context["manager"]
    rows = _team_csv_rows(request.user, context["people"], context["cycle"], context["sort"])
    return csv_stream(filename("team", manager.name if manager else "", context["cycle"]), TEAM_CSV_HEADER, rows)


# Calibration --------------------------------------------------------------------------------------


def _calibration(request):
    """The viewer's scope and the cycle calibrated: the chosen one, "all", or by default the newest cycle with a
    submitted manager assessment in scope (a whole organisation's every cycle at once is five times the work)."""
    me, scope = get_calibration_scope_for_user(request.user)
    cycles = ReviewCycle.objects.order_by("-starts_on", "-pk")
    in_scope = Assessment.objects.filter(cycle=OuterRef("pk"))
    if scope is not None:
        # An EXISTS per cycle (a handful), not a DISTINCT over every assessment in scope (as the heatmap's list).
        in_scope = in_scope.filter(subject_id__in=scope)
        cycles = cycles.filter(Exists(in_scope))
    rated = in_scope.filter(kind=Assessment.Kind.MANAGER, status__in=Assessment.SUBMITTED_STATUSES)
    cycles = list(cycles.annotate(rated=Exists(rated)))
    newest = next((c for c in cycles if c.rated), None)
    form = CycleFilterForm(request.GET or None, cycles=cycles, initial={"cycle": newest.pk if newest else ALL_CYCLES})
    chosen = form.cleaned_data.get("cycle") if form.is_bound and form.is_valid() else ""
    cycle = None if chosen == ALL_CYCLES else next((c for c in cycles if str(c.pk) == chosen), newest)
    query = urlencode({"cycle": cycle.pk if cycle else ALL_CYCLES})
    return {"me": me, "scope": scope, "form": form, "cycle": cycle, "cycle_query": query}


@require_GET
def calibration(request):
    context = _calibration(request)
    found = build_calibration(request.user, context["scope"], context["cycle"], request.GET.get("page"))
    context["calibration"] = found
    plotted = [(rater.name, rater.vs_expectation) for rater in found.raters if rater.vs_expectation is not None]
    org = found.organisation.vs_expectation or 0.0
    if plotted:
        context["plot"] = difference_plot(
            "calibration-plot",
            plotted,
            org,
            "How far each manager's ratings sit from expectation, on average",
            "One dot per manager on this page, in steps of the mastery scale: 0 is exactly what the level expects, "
            f"positive is above, negative below. The dashed line is the organisation's average, {org:+.1f}. "
            + "; ".join(f"{name}: {value:+.1f}" for name, value in plotted)
            + ".",
        )
    query = context["cycle_query"]
    context["csv_url"] = reverse("reports:calibration_csv") + (f"?{query}" if query else "")
    context["readiness_csv_url"] = (
        reverse("reports:calibration_csv") + "?" + (f"{query}&" if query else "") + "table=readiness"
    )
    return render(request, "assessments/reports/calibration.html", context)


@require_GET
def calibration_manager(request, person_pk):
    """One manager's people, each with how the manager's ratings of them sit; each name leads to the ratings."""
    context = _calibration(request)
    manager = get_calibration_manager_for_user(request.user, person_pk)
    stats, page, people = people_rated_by(
        request.user, context["scope"], context["cycle"], manager, request.GET.get("page")
    )
    context.update(manager=manager, stats=stats, page=page, people=people)
    return render(request, "assessments/reports/calibration_manager.html", context)


def _steps_value(value):
    return round(value, 2) if value is not None else ""


@require_GET
def calibration_csv(request):
    context = _calibration(request)
    managers = calibration_assessments(request.user, context["scope"], context["cycle"])
    cycle_name = context["cycle"].name if context["cycle"] else "all-cycles"
    if request.GET.get("table") == "readiness":
        header = ["Level", "Framework", "Ready", "Nearly", "Not yet", "People"]
        rows = [
            [line.level_name, line.framework_name, line.ready, line.nearly, line.not_yet, line.total]
            for line in readiness_by_level(managers, context["cycle"])
        ]
        return csv_response(filename("readiness", cycle_name), header, rows)
    header = [
        "Manager",
        "People rated",
        "Ratings",
        "Mean difference from expectation (steps)",
        "Mean difference from people's own ratings (steps)",
        "Ratings compared with people's own",
        "Share above expectation (%)",
    ]
    rows = [
        [
            rater.name,
            rater.people,
            rater.ratings,
            _steps_value(rater.vs_expectation),
            _steps_value(rater.vs_self),
            rater.self_pairs,
            round(100 * rater.share_above) if rater.share_above is not None else "",
        ]
        for rater in [
            *raters_by_name(managers, context["cycle"]),
            RaterStats.from_row(None, organisation_figures(managers, context["cycle"])),
        ]
    ]
    return csv_response(filename("calibration", cycle_name), header, rows)

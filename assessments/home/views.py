from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

from assessments.home.team import (
    TEAM_IN_FULL,
    TEAM_PAGE_SIZE,
    TeamGroup,
    review_cycle_for_summary,
    team_statuses,
    team_summaries,
)
from assessments.home.whats_next import whats_next
from assessments.people.access import can_see_person, get_team_manager, manages_anyone, person_of
from assessments.people.models import Person, ReportingTree, by_name
from assessments.people.next_steps import indefinite_article, next_steps
from assessments.reports.access import progress_shows_drafts
from assessments.reports.comparison import Comparison, build_comparison, visible_assessments
from assessments.reports.progress import count_statuses, cycle_people, progress_url
from assessments.reports.views import report_url
from assessments.reviews.access import hidden_by_blind_cycle
from assessments.reviews.lists import home_assessments
from assessments.reviews.models import Assessment, ReviewCycle


@dataclass(frozen=True)
class Gap:
    """A capability below what the target level expects, linked to that expectation on the level's page."""

    name: str
    gap_label: str
    url: str


@dataclass
class Outcome:
    """My pathway's "Your latest outcome": the newest manager assessment shared with me, as the comparison shows it."""

    comparison: Comparison
    compare_url: str
    report_url: str

    @property
    def assessment(self) -> Assessment:
        return self.comparison.manager_assessment

    @property
    def gaps(self) -> list[Gap]:
        """Each capability below the target, in the framework's order, linked to what the target level expects."""
        level_url = self.comparison.level.get_absolute_url()
        return [
            Gap(row.capability.name, row.gap_label, f"{level_url}#capability-{row.capability.key}")
            for row in self.comparison.rows
            if row.below
        ]


def latest_outcome(user, me: Person, assessments: list[Assessment], expectations: dict | None = None) -> Outcome | None:
    """The newest manager assessment of `me` that was shared with them, with its verdict; None when there is none.

    `assessments`: `visible_assessments(user, me)`; computed by `build_comparison`, so it says exactly what the
    comparison page says (a blind cycle's shared assessment stays out until the self-assessment is submitted too).
    `expectations`: what the next-step card has read already (`NextSteps`).
    """
    shared = sorted(
        (a for a in assessments if a.kind == Assessment.Kind.MANAGER and a.status == Assessment.Status.SHARED),
        key=lambda a: (a.shared_at or a.submitted_at or a.created_at, a.pk),
        reverse=True,
    )
    for assessment in shared:
        counterpart = next(
            (
                a
                for a in assessments
                if a.kind == Assessment.Kind.SELF
                and a.level_id == assessment.level_id
                and a.cycle_id == assessment.cycle_id
            ),
            None,
        )
        if hidden_by_blind_cycle(user, assessment, counterpart):
            continue
        return Outcome(
            comparison=build_comparison(user, me, assessment.level, assessment.cycle, assessments, expectations),
            compare_url=report_url("compare", me, assessment.level, assessment.cycle),
            report_url=report_url("promotion", me, assessment.level, assessment.cycle),
        )
    return None


def head_progress(user, me: Person, cycle: ReviewCycle) -> dict | None:
    """For a head (a manager with managers below them): the open cycle's progress in their part of the
    organisation, counted by the cycle progress page's own GROUP BY, in its words for this reader (a draft reads
    "not submitted" unless they are HR). None for anyone else."""
    if not Person.objects.filter(manager__manager=me).exists():
        return None
    drafts = progress_shows_drafts(user)
    counts = count_statuses(cycle_people(cycle, me, drafts=drafts))
    url = progress_url(cycle, me)  # their own part, also when they are HR

    def link(kind, status):
        return f"{url}&{kind}_status={status}"

    return {
        "cycle": cycle,
        "counts": counts,
        "url": url,
        "self": [row for row in counts.rows("self", link, drafts) if row[2]],
        "manager": [row for row in counts.rows("manager", link, drafts) if row[2]],
    }


def home(request):
    me = person_of(request.user)
    team_counts = {"total": 0}
    if manages_anyone(request.user):  # read with `me`: no query
        team_counts = (
            Person.objects.active()
            .in_subtree_of(me)
            .aggregate(total=Count("pk"), direct=Count("pk", filter=Q(manager=me)))
        )
    if team_counts["total"]:
        team_counts["indirect"] = team_counts["total"] - team_counts["direct"]
    else:
        team_counts = None
    open_cycle = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).first()
    steps = next_steps(me.level)
    # My own assessments, with their levels taken from those the next-step card has read, and their authors from me
    # and my manager (read with me).
    mine = visible_assessments(request.user, me, steps.levels if steps else (), [me, *filter(None, [me.manager])])
    return render(
        request,
        "assessments/home/home.html",
        {
            "me": me,
            "article": indefinite_article(me.level.name) if me.level else "",
            "steps": steps,
            "team_counts": team_counts,
            "assessments": home_assessments(
                me, mine, open_cycle, has_reports=bool(team_counts and team_counts["direct"])
            ),
            "outcome": latest_outcome(request.user, me, mine, steps.expectations if steps else None),
            "open_cycle": open_cycle,
            "head_progress": head_progress(request.user, me, open_cycle) if team_counts and open_cycle else None,
            "whats_next": whats_next(me),
        },
    )


def _full_team(user, viewer: Person, manager: Person) -> dict:
    """Everyone below `manager`: their direct reports, then each manager's team under them (few people)."""
    people = {person.pk: person for person in Person.objects.with_related().in_subtree_of(manager)}
    tree = ReportingTree((person.pk, person.manager_id) for person in people.values())
    below = tree.below(manager.pk)
    statuses = team_statuses(user, viewer, list(people.values()))

    def rows(ids):
        return [(person, statuses[person.pk]) for person in by_name(people[pk] for pk in ids if pk in people)]

    groups = []
    for pk in below:
        report_ids = tree.reports_of.get(pk)
        if pk not in people or not report_ids:
            continue
        chain_ids = tree.above(pk)
        chain = [people[chain_pk] for chain_pk in chain_ids[: chain_ids.index(manager.pk)] if chain_pk in people]
        groups.append(TeamGroup(manager=people[pk], chain=chain, reports=rows(report_ids)))
    indirect_count = sum(1 for pk in below if pk in people and people[pk].manager_id != manager.pk)
    return {"direct": rows(tree.reports_of.get(manager.pk, ())), "groups": groups, "indirect_count": indirect_count}


def _summarised_team(user, viewer, manager: Person, below_count: int, cycle: ReviewCycle | None, page_number) -> dict:
    """Many people below `manager`: a page of direct reports (by name, leavers last, as `by_name`), and one summary
    row per team of those on the page, counted in `cycle` (`review_cycle_for_summary`)."""
    direct = Person.objects.with_related().filter(manager=manager).by_name()
    page = Paginator(direct, TEAM_PAGE_SIZE).get_page(page_number)
    direct_people = list(page.object_list)
    statuses = team_statuses(user, viewer, direct_people)
    with_teams = Person.objects.filter(pk__in=[person.pk for person in direct_people], reports__isnull=False)
    with_teams = set(with_teams.values_list("pk", flat=True).distinct())
    return {
        "direct": [(person, statuses[person.pk]) for person in direct_people],
        "direct_page": page,
        "direct_count": page.paginator.count,
        "summaries": team_summaries(manager, [person for person in direct_people if person.pk in with_teams], cycle),
        "summary_cycle": cycle,
        "indirect_count": below_count - page.paginator.count,
    }


def _search(user, viewer: Person, manager: Person, query: str, page_number) -> dict:
    """People below `manager` whose name or email holds `query`, a page at a time."""
    found = (
        Person.objects.with_related()
        .in_subtree_of(manager)
        .filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
        .order_by("user__full_name", "pk")
    )
    page = Paginator(found, TEAM_PAGE_SIZE).get_page(page_number)
    statuses = team_statuses(user, viewer, list(page.object_list))
    return {"results": [(person, statuses[person.pk]) for person in page.object_list], "page": page}


def team(request):
    """My team: direct reports, then everyone below them grouped under their own manager; for a big part of
    the organisation, one row per team below (drill in with ?manager=) and a search (?q=).

    A person with no reports gets a 200 page saying so (not a 404): the page is theirs, it is just empty,
    and the nav only offers it to people who manage someone. A team outside the reader's scope is a 404.
    """
    me = person_of(request.user)
    manager = get_team_manager(request.user, me, request.GET.get("manager"))
    query = request.GET.get("q", "").strip()[:100]
    below_count = Person.objects.in_subtree_of(manager).count()
    context = {"me": me, "manager": manager, "is_mine": manager.pk == me.pk, "query": query}
    context["chain"] = [person for person in manager.managers_up_chain() if can_see_person(request.user, person)]
    cycle = review_cycle_for_summary()
    if cycle is not None and below_count:
        context["progress_cycle"] = cycle
        context["progress_url"] = progress_url(cycle, None if manager.pk == me.pk else manager)
    if query:
        context.update(_search(request.user, me, manager, query, request.GET.get("page")))
    elif below_count <= TEAM_IN_FULL:
        context.update(_full_team(request.user, me, manager))
    else:
        context.update(_summarised_team(request.user, me, manager, below_count, cycle, request.GET.get("page")))
    return render(request, "assessments/home/team.html", context)

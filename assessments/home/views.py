from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render

from assessments.people.access import person_of
from assessments.people.models import Person, ReportingTree, by_name
from assessments.people.next_steps import indefinite_article, next_steps
from assessments.reports.comparison import Comparison, build_comparison, visible_assessments
from assessments.reports.readiness import Readiness
from assessments.reports.team import next_levels, readiness_by_subject
from assessments.reports.views import report_url
from assessments.reviews.access import hidden_by_blind_cycle, returned_self_assessments
from assessments.reviews.forms import NO_CYCLE
from assessments.reviews.models import Assessment
from assessments.reviews.views import home_assessments
from frameworks.models import Framework, Level


@dataclass
class Outcome:
    """My pathway's "Your latest outcome": the newest manager assessment shared with me, as the comparison shows it."""

    comparison: Comparison
    compare_url: str
    report_url: str

    @property
    def assessment(self) -> Assessment:
        return self.comparison.manager_assessment


def latest_outcome(user, me: Person) -> Outcome | None:
    """The newest manager assessment of `me` that was shared with them, with its verdict; None when there is none.

    Read through `visible_assessments`, and computed by `build_comparison`, so it says exactly what the comparison
    page says (a blind cycle's shared assessment stays out until the self-assessment is submitted too).
    """
    assessments = visible_assessments(user, me)
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
            comparison=build_comparison(user, me, assessment.level, assessment.cycle, assessments),
            compare_url=report_url("compare", me, assessment.level, assessment.cycle),
            report_url=report_url("promotion", me, assessment.level, assessment.cycle),
        )
    return None


def home(request):
    me = person_of(request.user)
    team_counts = (
        Person.objects.active().in_subtree_of(me).aggregate(total=Count("pk"), direct=Count("pk", filter=Q(manager=me)))
    )
    if team_counts["total"]:
        team_counts["indirect"] = team_counts["total"] - team_counts["direct"]
    else:
        team_counts = None
    return render(
        request,
        "assessments/home/home.html",
        {
            "me": me,
            "article": indefinite_article(me.level.name) if me.level else "",
            "steps": next_steps(me.level),
            "team_counts": team_counts,
            "assessments": home_assessments(me),
            "outcome": latest_outcome(request.user, me),
        },
    )


@dataclass
class TeamGroup:
    """The direct reports of one manager inside the viewer's team."""

    manager: Person
    chain: list[Person]  # from that manager's own manager up to (not including) the viewer
    reports: list[tuple[Person, "TeamStatus"]]


@dataclass
class TeamStatus:
    """Where one report stands, from what the viewer may see: their current review and their latest verdict.

    The current review is the level and cycle of their newest visible assessment (one in an open cycle first);
    the verdict comes from their newest submitted manager assessment, as on the team heatmap.
    """

    target: Level | None
    target_is_next: bool  # no assessment to go by: the target is the next level on their track
    self_assessment: Assessment | None
    manager_assessment: Assessment | None
    returned: Assessment | None  # a self-assessment sent back for changes: its status shows, not its answers
    verdict_from: Assessment | None
    readiness: Readiness | None
    compare_url: str | None
    start_fields: dict  # what the Assess button posts besides the subject
    viewer_pk: int

    @property
    def in_open_review(self) -> bool:
        """The current review can still be answered: it is in an open cycle, or outside cycles."""
        current = self.self_assessment or self.manager_assessment
        return current is not None and (current.cycle is None or current.cycle.is_open)

    @property
    def own_assessment(self) -> Assessment | None:
        """The viewer's own manager assessment to continue, or to open while its review is under way."""
        manager = self.manager_assessment
        if manager is None or manager.author_id != self.viewer_pk:
            return None
        return manager if manager.is_editable or self.in_open_review else None

    @property
    def may_start(self) -> bool:
        """Offer "Assess": nobody's manager assessment is under way in the current review (as far as one can see)."""
        return self.own_assessment is None and (self.manager_assessment is None or not self.in_open_review)

    @property
    def verdict_elsewhere(self) -> bool:
        """The verdict comes from another review than the current one (say which)."""
        current = self.self_assessment or self.manager_assessment
        return (
            self.verdict_from is not None
            and current is not None
            and (self.verdict_from.level_id, self.verdict_from.cycle_id) != (current.level_id, current.cycle_id)
        )


def _review_order(assessment: Assessment):
    # An open cycle's review is the one under way; otherwise the newest, by the cycle's dates.
    cycle = assessment.cycle
    day = cycle.starts_on if cycle else assessment.created_at.date()
    return (cycle is not None and cycle.is_open, day, assessment.created_at, assessment.pk)


def team_statuses(user, viewer: Person, people: list[Person]) -> dict[int, TeamStatus]:
    """person pk → their TeamStatus. A fixed number of queries whatever the size of the team.

    Assessments are read only through `Assessment.objects.visible_to`: a report's draft is absent, so the
    table cannot tell that it exists. A self-assessment returned for changes shows as returned (who, when),
    never its answers: the access policy's `returned_self_assessments`.
    """
    if not people:
        return {}
    by_subject: dict[int, list[Assessment]] = {}
    for assessment in (
        Assessment.objects.visible_to(user).filter(subject_id__in=[person.pk for person in people]).with_related()
    ):
        by_subject.setdefault(assessment.subject_id, []).append(assessment)
    track_ids = {person.level.track_id for person in people if person.level_id}
    candidates = list(Level.objects.filter(track_id__in=track_ids).select_related("framework", "track"))
    following = next_levels(candidates, track_ids)

    verdict_from = {}
    for pk, assessments in by_subject.items():
        submitted = [a for a in assessments if a.kind == Assessment.Kind.MANAGER and a.is_submitted]
        if submitted:
            verdict_from[pk] = max(submitted, key=lambda a: (a.submitted_at or a.created_at, a.pk))
    readiness = readiness_by_subject(people, verdict_from)
    returned = returned_self_assessments(user, [person.pk for person in people])

    statuses = {}
    for person in people:
        assessments = by_subject.get(person.pk, [])
        current = max(assessments, key=_review_order, default=None)
        in_review = (
            [a for a in assessments if (a.level_id, a.cycle_id) == (current.level_id, current.cycle_id)]
            if current
            else []
        )
        self_assessment = next((a for a in in_review if a.kind == Assessment.Kind.SELF), None)
        manager_assessment = next((a for a in in_review if a.kind == Assessment.Kind.MANAGER), None)
        target = current.level if current else following.get(person.level_id)
        start_fields = {}
        if target is not None and target.framework.status == Framework.Status.PUBLISHED:
            start_fields["level"] = target.pk
        if current is not None and (current.cycle is None or current.cycle.is_open):
            start_fields["cycle"] = current.cycle_id or NO_CYCLE
        # Only an assessment gives something to compare: without one the comparison would be empty.
        compare_url = report_url("compare", person, current.level, current.cycle) if current is not None else None
        statuses[person.pk] = TeamStatus(
            target=target,
            target_is_next=current is None,
            self_assessment=self_assessment,
            manager_assessment=manager_assessment,
            returned=None if self_assessment else returned.get(person.pk),
            verdict_from=verdict_from.get(person.pk),
            readiness=readiness.get(person.pk),
            compare_url=compare_url,
            start_fields=start_fields,
            viewer_pk=viewer.pk,
        )
    return statuses


def team(request):
    """My team: direct reports, then everyone below them grouped under their own manager.

    A person with no reports gets a 200 page saying so (not a 404): the page is theirs, it is
    just empty, and the nav only offers it to people who manage someone.
    """
    me = person_of(request.user)
    people = {person.pk: person for person in Person.objects.with_related().in_subtree_of(me)}
    tree = ReportingTree((person.pk, person.manager_id) for person in people.values())
    below = tree.below(me.pk)
    statuses = team_statuses(request.user, me, list(people.values()))

    def rows(ids):
        return [(person, statuses[person.pk]) for person in by_name(people[pk] for pk in ids if pk in people)]

    direct = rows(tree.reports_of.get(me.pk, ()))
    groups = []
    for pk in below:
        report_ids = tree.reports_of.get(pk)
        if pk not in people or not report_ids:
            continue
        chain_ids = tree.above(pk)
        chain = [people[chain_pk] for chain_pk in chain_ids[: chain_ids.index(me.pk)] if chain_pk in people]
        groups.append(TeamGroup(manager=people[pk], chain=chain, reports=rows(report_ids)))
    indirect_count = sum(1 for pk in below if pk in people and people[pk].manager_id != me.pk)
    return render(
        request,
        "assessments/home/team.html",
        {"me": me, "direct": direct, "groups": groups, "indirect_count": indirect_count},
    )

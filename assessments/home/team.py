"""My team's building blocks: where each report stands, and for big scopes one row per team.

Nobody's page lists more than a screenful of people: up to TEAM_IN_FULL people below the manager shown,
everyone is listed (direct reports, then each manager's team, collapsed); past that, the direct reports
and one summary row per team below them, each a link to drill in, with a search for one person.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, StrIndex, Substr

from assessments.people.models import Person
from assessments.reports.readiness import VerdictSummary
from assessments.reports.verdicts import verdict_summaries
from assessments.reports.views import report_url
from assessments.reviews.access import returned_self_assessments
from assessments.reviews.forms import NO_CYCLE
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from frameworks.models import Framework, Level

TEAM_PAGE_SIZE = 25
# A screenful (issue 11 §4): a head of ~50 sees their direct reports and a row per team, as the CEO does, rather
# than 50 rows each with its statuses and an Assess form.
TEAM_IN_FULL = TEAM_PAGE_SIZE


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
    readiness: VerdictSummary | None
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


def _review_order(row: dict):
    # An open cycle's review is the one under way; otherwise the newest, by the cycle's dates.
    in_cycle = row["cycle_id"] is not None
    day = row["cycle__starts_on"] if in_cycle else row["created_at"].date()
    return (in_cycle and row["cycle__status"] == ReviewCycle.Status.OPEN, day, row["created_at"], row["pk"])


def _chosen(user, people: list[Person]) -> dict[int, tuple[dict | None, dict | None, dict | None]]:
    """person pk → (self, manager, verdict_from) as light rows: the current review's two assessments and the
    newest submitted manager assessment. One query of a few columns over every visible assessment of `people`."""
    rows = (
        Assessment.objects.visible_to(user)
        .filter(subject_id__in=[person.pk for person in people])
        .order_by()
        .values(
            "pk",
            "subject_id",
            "kind",
            "level_id",
            "cycle_id",
            "status",
            "created_at",
            "submitted_at",
            "cycle__status",
            "cycle__starts_on",
        )  # fmt: skip
    )
    by_subject: dict[int, list[dict]] = {}
    for row in rows:
        by_subject.setdefault(row["subject_id"], []).append(row)
    chosen = {}
    for pk, assessments in by_subject.items():
        current = max(assessments, key=_review_order)
        in_review = [
            a for a in assessments if (a["level_id"], a["cycle_id"]) == (current["level_id"], current["cycle_id"])
        ]
        submitted = [
            a
            for a in assessments
            if a["kind"] == Assessment.Kind.MANAGER and a["status"] in Assessment.SUBMITTED_STATUSES
        ]
        chosen[pk] = (
            next((a for a in in_review if a["kind"] == Assessment.Kind.SELF), None),
            next((a for a in in_review if a["kind"] == Assessment.Kind.MANAGER), None),
            max(submitted, key=lambda a: (a["submitted_at"] or a["created_at"], a["pk"]), default=None),
        )
    return chosen


def _own_progress(viewer: Person) -> dict:
    """rated_count and capability_count ("Continue — N of M rated") of the viewer's own editable assessments only,
    each a guarded subquery: the others (most rows) are neither counted nor grouped (`with_progress` grouped every
    row by its joined columns)."""
    ratings = Rating.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    mine = Q(author_id=viewer.pk, status__in=Assessment.EDITABLE_STATUSES)

    def count(of):
        return Case(When(mine, then=Coalesce(Subquery(of.annotate(n=Count("pk")).values("n")), 0)), default=None)

    rated = ratings.filter(Q(not_applicable=True) | Q(scale_level__isnull=False))
    return {"capability_count": count(ratings), "rated_count": count(rated)}


def team_statuses(user, viewer: Person, people: list[Person]) -> dict[int, TeamStatus]:
    """person pk → their TeamStatus. A fixed number of queries whatever the size of the team.

    Assessments are read only through `Assessment.objects.visible_to`: a report's draft is absent, so the
    table cannot tell that it exists. A self-assessment returned for changes shows as returned (who, when),
    never its answers: the access policy's `returned_self_assessments`. The verdict and its headline come from
    the database (`verdict_summaries`), so no rating is read into Python.
    """
    if not people:
        return {}
    chosen = _chosen(user, people)
    wanted = {row["pk"] for rows in chosen.values() for row in rows if row is not None}
    found = Assessment.objects.filter(pk__in=wanted).select_related("author__user", "level__framework", "cycle")
    loaded = {assessment.pk: assessment for assessment in found.annotate(**_own_progress(viewer))}
    by_pk = {person.pk: person for person in people}
    for assessment in loaded.values():
        assessment.subject = by_pk[assessment.subject_id]
    following = Level.objects.next_on_track_for(person.level for person in people if person.level_id)
    verdict_ids = [rows[2]["pk"] for rows in chosen.values() if rows[2] is not None]
    readiness = verdict_summaries(Assessment.objects.filter(pk__in=verdict_ids)) if verdict_ids else {}
    returned = returned_self_assessments(user, [person.pk for person in people])

    statuses = {}
    for person in people:
        self_row, manager_row, verdict_row = chosen.get(person.pk, (None, None, None))
        self_assessment = loaded[self_row["pk"]] if self_row else None
        manager_assessment = loaded[manager_row["pk"]] if manager_row else None
        current = self_assessment or manager_assessment
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
            verdict_from=loaded[verdict_row["pk"]] if verdict_row else None,
            readiness=readiness.get(person.pk),
            compare_url=compare_url,
            start_fields=start_fields,
            viewer_pk=viewer.pk,
        )
    return statuses


@dataclass
class TeamSummary:
    """One team below the viewer, summarised: its manager, its people, and how far the review has come."""

    manager: Person
    people: int
    self_submitted: int
    manager_submitted: int


def review_cycle_for_summary() -> ReviewCycle | None:
    """The cycle a summary counts: the open one (the newest, if several), else the newest."""
    is_open = Case(When(status=ReviewCycle.Status.OPEN, then=Value(0)), default=Value(1))
    return ReviewCycle.objects.order_by(is_open, "-starts_on", "-pk").first()


def team_summaries(parent: Person, managers: list[Person], cycle: ReviewCycle | None) -> list[TeamSummary]:
    """Every team's counts in one query, whatever the number of teams: each of `managers` reports to `parent`.

    Everyone below `parent` is grouped by their path up to the segment just below `parent` (that segment is the
    direct report whose team they are in); the direct reports themselves are not in their own team.
    """
    depth = len(parent.path)
    rest = Substr("path", depth + 1)
    # Only this cycle's submitted assessments are joined: a person's other assessments never reach the sort.
    done = FilteredRelation(
        "assessments_about",
        condition=Q(assessments_about__status__in=Assessment.SUBMITTED_STATUSES, assessments_about__cycle=cycle),
    )
    rows = (
        Person.objects.active()
        .in_subtree_of(parent)
        .exclude(manager=parent)
        .annotate(team=Substr("path", 1, StrIndex(rest, Value("/")) + depth), done=done)
        .order_by()
        .values("team")
        .annotate(
            people=Count("pk", distinct=True),
            self_submitted=Count("done", filter=Q(done__kind=Assessment.Kind.SELF), distinct=True),
            manager_submitted=Count("done", filter=Q(done__kind=Assessment.Kind.MANAGER), distinct=True),
        )
    )
    counts = {row.pop("team"): row for row in rows}
    nobody = {"people": 0, "self_submitted": 0, "manager_submitted": 0}
    return [TeamSummary(manager=manager, **counts.get(manager.path, nobody)) for manager in managers]

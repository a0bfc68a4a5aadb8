"""A review cycle's progress: per person, where their self-assessment and their manager's review stand.

For HR (everyone, or one manager's part of the organisation) and for managers (the people below them), through
`reports/access.py`. HR tells a draft from nothing started; anyone else sees both as "Not submitted", as on My
team, since a draft is its author's until submitted. The page never holds the organisation in memory: the
people in scope are one indexed prefix query on `Person.path`, both statuses are joined in by the database, the
counts at the top are one GROUP BY, and the list is a page of 50. It shows only each assessment's status, never
what it says.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, FilteredRelation, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assessments.people.access import can_see_person
from assessments.people.models import Person
from assessments.reports.access import get_progress_scope_for_user, progress_shows_drafts
from assessments.reviews.models import Assessment, ReviewCycle

PAGE_SIZE = 50
NOT_STARTED = "not_started"
NOT_SUBMITTED = "not_submitted"
WORDS = {
    NOT_STARTED: "Not started",
    NOT_SUBMITTED: "Not submitted",
    Assessment.Status.DRAFT: "Draft",
    Assessment.Status.RETURNED: "Returned",
    Assessment.Status.SUBMITTED: "Submitted",
    Assessment.Status.SHARED: "Shared",
}
DRAFT, RETURNED = Assessment.Status.DRAFT, Assessment.Status.RETURNED
SUBMITTED, SHARED = Assessment.Status.SUBMITTED, Assessment.Status.SHARED


def statuses(kind: str, drafts: bool) -> list[str]:
    """The statuses one side can be in, as the viewer may tell them apart (`drafts`: HR), in order."""
    if kind == "self":
        return [NOT_STARTED, DRAFT, RETURNED, SUBMITTED] if drafts else [NOT_SUBMITTED, RETURNED, SUBMITTED]
    return [NOT_STARTED, DRAFT, SUBMITTED, SHARED] if drafts else [NOT_SUBMITTED, SUBMITTED, SHARED]


class ProgressFilterForm(forms.Form):
    self_status = forms.ChoiceField(
        label="Self-assessment",
        required=False,
        error_messages={"invalid_choice": "Choose a self-assessment status from the list."},
    )
    manager_status = forms.ChoiceField(
        label="Manager review",
        required=False,
        error_messages={"invalid_choice": "Choose a manager review status from the list."},
    )

    def __init__(self, *args, drafts: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (("self_status", "self"), ("manager_status", "manager")):
            self.fields[name].choices = [("", "Any"), *((status, WORDS[status]) for status in statuses(kind, drafts))]


def _status(alias: str, drafts: bool):
    if drafts:
        return Coalesce(F(f"{alias}__status"), Value(NOT_STARTED))
    return Case(
        When(**{f"{alias}__status__isnull": True}, then=Value(NOT_SUBMITTED)),
        When(**{f"{alias}__status": DRAFT}, then=Value(NOT_SUBMITTED)),
        default=F(f"{alias}__status"),
    )


def cycle_people(cycle: ReviewCycle, root: Person | None, *, drafts: bool = True):
    """Everyone the cycle is for, below `root` (everyone when None), each with `self_status` and `manager_status`.

    The cycle is for every active person with a level, and for anyone who has an assessment in it (a leaver's
    submitted self-assessment still counts). One assessment per (subject, cycle, kind), so each join finds at
    most one row. Without `drafts`, a draft reads as "not submitted", like nothing started.
    """
    return with_statuses(people_in_cycle(cycle, root), cycle, drafts=drafts)


def people_in_cycle(cycle: ReviewCycle, root: Person | None):
    """Everyone the cycle is for, below `root` (everyone when None), without their statuses."""
    in_cycle = Q(user__is_active=True, level__isnull=False) | Exists(
        Assessment.objects.filter(subject_id=OuterRef("pk"), cycle=cycle)
    )
    people = Person.objects.filter(in_cycle)
    if root is not None:
        people = people.in_subtree_of(root)
    return people


def with_statuses(people, cycle: ReviewCycle, *, drafts: bool):
    """`people`, each with `self_status` and `manager_status` in `cycle` (see `cycle_people`)."""
    mine = Q(assessments_about__cycle=cycle)
    return people.annotate(
        own=FilteredRelation("assessments_about", condition=mine & Q(assessments_about__kind=Assessment.Kind.SELF)),
        review=FilteredRelation(
            "assessments_about", condition=mine & Q(assessments_about__kind=Assessment.Kind.MANAGER)
        ),
    ).annotate(
        self_status=_status("own", drafts),
        manager_status=_status("review", drafts),
    )


@dataclass
class Counts:
    """How many people stand where, for the counts at the top of the page."""

    total: int
    self: dict[str, int]
    manager: dict[str, int]
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (self status, manager status) → people

    def matching(self, self_status: str = "", manager_status: str = "") -> int:
        """How many people have these statuses (either may be "": any), from the GROUP BY's cells."""
        return sum(
            people
            for (own, review), people in self.cells.items()
            if self_status in ("", own) and manager_status in ("", review)
        )

    def rows(self, kind: str, link, drafts: bool = True) -> list[tuple[str, str, int, str]]:
        """(status, words, how many, `link(kind, status)`) for one side, "self" or "manager", in the words of
        `cycle_people(..., drafts=)`."""
        found = self.self if kind == "self" else self.manager
        return [(status, WORDS[status], found.get(status, 0), link(kind, status)) for status in statuses(kind, drafts)]


def count_statuses(people) -> Counts:
    """One GROUP BY over (self status, manager status): at most 16 rows, whatever the size of the scope."""
    grid = people.order_by().values("self_status", "manager_status").annotate(people=Count("pk"))
    own: dict[str, int] = {}
    review: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    for row in grid:
        own[row["self_status"]] = own.get(row["self_status"], 0) + row["people"]
        review[row["manager_status"]] = review.get(row["manager_status"], 0) + row["people"]
        cells[row["self_status"], row["manager_status"]] = row["people"]
    return Counts(total=sum(cells.values()), self=own, manager=review, cells=cells)


@dataclass
class Row:
    person: Person
    self_status: str
    manager_status: str

    @property
    def self_words(self) -> str:
        return WORDS[self.self_status]

    @property
    def manager_words(self) -> str:
        return WORDS[self.manager_status]


def _query(params: dict, **changes) -> str:
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return f"?{urlencode(merged)}" if merged else ""


@require_GET
def cycle_progress(request, pk):
    """The progress page: counts at the top, then a page of people with both statuses, filterable."""
    cycle, root = get_progress_scope_for_user(request.user, pk, request.GET.get("manager"))
    drafts = progress_shows_drafts(request.user)
    people = cycle_people(cycle, root, drafts=drafts)
    counts = count_statuses(people)
    form = ProgressFilterForm(request.GET, drafts=drafts)
    chosen = form.cleaned_data if form.is_valid() else {}
    filtered = people
    if chosen.get("self_status"):
        filtered = filtered.filter(self_status=chosen["self_status"])
    if chosen.get("manager_status"):
        filtered = filtered.filter(manager_status=chosen["manager_status"])
    by_name = ("user__full_name", "pk")
    # The page's fifty are picked by name first, without the statuses when no status is chosen (joining both
    # assessments for a whole organisation only to keep fifty rows was most of the page); then only those fifty
    # are read with their statuses.
    picked = filtered if chosen.get("self_status") or chosen.get("manager_status") else people_in_cycle(cycle, root)
    paginator = Paginator(picked.order_by(*by_name).values_list("pk", flat=True), PAGE_SIZE)
    # The GROUP BY has counted them already: the paginator need not scan the scope again.
    paginator.count = counts.matching(chosen.get("self_status", ""), chosen.get("manager_status", ""))
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = (
        with_statuses(Person.objects.filter(pk__in=page.object_list), cycle, drafts=drafts)
        .select_related("user", "level", "manager__user")
        .order_by(*by_name)
    )
    params = {
        "manager": root.pk if root is not None and request.GET.get("manager") else "",
        "self_status": chosen.get("self_status", ""),
        "manager_status": chosen.get("manager_status", ""),
    }

    def only(kind, status):  # a count's link: those people, whatever the other side
        return _query(params, **{"self_status": "", "manager_status": "", f"{kind}_status": status})

    chain = []
    if root is not None:
        chain = [person for person in root.managers_up_chain() if can_see_person(request.user, person)]
    context = {
        "cycle": cycle,
        "root": root,
        "chain": chain,
        "is_everyone": root is None,
        "counts": counts,
        "form": form,
        "filtering": bool(chosen.get("self_status") or chosen.get("manager_status")),
        "page": page,
        "rows": [Row(person, person.self_status, person.manager_status) for person in page.object_list],
        "base_url": reverse("reports:cycle_progress", args=[cycle.pk]),
        "self_counts": counts.rows("self", only, drafts),
        "manager_counts": counts.rows("manager", only, drafts),
        "drafts": drafts,
        "page_query": _query(params),
        "clear_query": _query(params, self_status="", manager_status=""),
    }
    return render(request, "assessments/reports/cycle_progress.html", context)


def progress_url(cycle: ReviewCycle, manager: Person | None = None) -> str:
    """The progress page of `cycle`, limited to `manager`'s part of the organisation when given."""
    url = reverse("reports:cycle_progress", args=[cycle.pk])
    return f"{url}?{urlencode({'manager': manager.pk})}" if manager is not None else url

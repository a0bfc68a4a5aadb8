"""The assessment page in steps: a big framework shows one area at a time.

Up to ONE_PAGE_UP_TO capabilities (the default frameworks ask 15 and 22) the page shows everything at once: a
person works down it in one sitting, with the jump list. Above that (the Django peer's 164-capability framework)
one page would run to dozens of screens and hundreds of KB, so the page shows one area at a time, an area list
with each area's progress, then a summary step (the overall comment, the recommendation, Submit); `?area=all`
still shows everything, to read, print or search. Moving between areas is a submit of the plain form, so what was
typed is saved on the way, with or without JavaScript.
"""

from dataclasses import dataclass, field

from assessments.people.models import Person

ONE_PAGE_UP_TO = 40
ALL, SUMMARY = "all", "summary"


@dataclass
class Step:
    key: str  # an area's id, or SUMMARY
    name: str
    rated: int = 0
    total: int = 0
    current: bool = False

    @property
    def is_area(self) -> bool:
        return self.key != SUMMARY


@dataclass
class Steps:
    """Where the page is among the steps. `paged` False: everything is on one page and there are no steps."""

    paged: bool = False
    current: str = ALL
    steps: list[Step] = field(default_factory=list)
    previous: Step | None = None
    next: Step | None = None

    @property
    def shows_overall(self) -> bool:
        return self.current in (ALL, SUMMARY)

    @property
    def shows_all(self) -> bool:
        return self.current == ALL

    def narrow(self, queryset, field="capability__area_id"):
        """Only the rows of the area shown (none on the summary step; all when everything is shown)."""
        if self.current == ALL:
            return queryset
        if self.current == SUMMARY:
            return queryset.none()
        return queryset.filter(**{field: int(self.current)})


@dataclass
class AreaCount:
    """One area of an assessment, counted by the database: its ratings, how many are rated, how many still need
    something (a rating, or evidence for one above the level), and how many are carried and unchanged."""

    area_id: int
    name: str
    total: int
    rated: int
    todo: int
    carried: int


def with_scale_levels(ratings, scale_levels):
    """The ratings with their scale levels from the framework's (read once) rather than joined to every row."""
    by_id = {level.pk: level for level in scale_levels}
    for rating in ratings:
        rating.scale_level = by_id.get(rating.scale_level_id)
        yield rating


def area_counts(assessment) -> list[AreaCount]:
    """Each area's counts, in the framework's order, by the database (reviews/sql.py): the page builds model objects
    only for the area it shows."""
    from assessments.reviews.sql import area_counts as counted

    return [AreaCount(*row) for row in counted(assessment, assessment.level_id)]


def choose(counts: list[AreaCount], requested: str | None, summary_name: str) -> Steps:
    """The steps for the page's `?area=` (an area's id, SUMMARY or ALL; anything else: the first area with
    something left to do, or the first area)."""
    if sum(count.total for count in counts) <= ONE_PAGE_UP_TO:
        return Steps()
    steps = [Step(str(count.area_id), count.name, count.rated, count.total) for count in counts]
    steps.append(Step(SUMMARY, summary_name))
    keys = [step.key for step in steps]
    default = next((str(count.area_id) for count in counts if count.todo), keys[0])
    current = requested if requested in keys or requested == ALL else default
    if current == ALL:
        return Steps(True, ALL, steps)
    index = keys.index(current)
    steps[index].current = True
    return Steps(
        True,
        current,
        steps,
        previous=steps[index - 1] if index else None,
        next=steps[index + 1] if index + 1 < len(steps) else None,
    )


def step_of(areas_by_capability: dict, anchor: str) -> str:
    """The `?area=` that shows an anchor of the check page ("capability-12" or the recommendation)."""
    if anchor.startswith("capability-"):
        return str(areas_by_capability.get(int(anchor.removeprefix("capability-")), ALL))
    return SUMMARY


def choose_for_page(assessment, can_edit: bool, counts: list[AreaCount], requested, summary_name: str) -> Steps:
    """`choose`, for the assessment page. The last step of the author's own self-assessment names the person's
    manager beside Submit: read with the assessment (reviews/access.py), else here with their name in one query (not
    the person, then their user)."""
    steps = choose(counts, requested, summary_name)
    subject = assessment.subject
    if (
        can_edit
        and steps.next is None
        and not assessment.is_manager_assessment
        and subject.manager_id
        and not Person.manager.is_cached(subject)
    ):
        subject.manager = Person.objects.select_related("user").filter(pk=subject.manager_id).first()
    return steps

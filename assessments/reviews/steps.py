"""The assessment page in steps: a big framework shows one area at a time.

Up to ONE_PAGE_UP_TO capabilities (the default frameworks ask 15 and 22) the page shows everything at once: a
person works down it in one sitting, with the jump list. Above that (the Django peer's 164-capability framework)
one page would run to dozens of screens and hundreds of KB, so the page shows one area at a time, an area list
with each area's progress, then a summary step (the overall comment, the recommendation, Submit); `?area=all`
still shows everything, to read, print or search. Moving between areas is a submit of the plain form, so what was
typed is saved on the way, with or without JavaScript.
"""

from dataclasses import dataclass, field

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


def _default(areas, steps: list[Step]) -> str:
    """The first area with something left to do (a rating, or evidence a rating needs); else the first area."""
    for area, step in zip(areas, steps, strict=False):
        if any(not row.rating.is_rated or row.needs_evidence for row in area.rows):
            return step.key
    return steps[0].key


def choose(areas, requested: str | None, summary_name: str) -> tuple[Steps, list]:
    """(the steps, the areas to show) for the page's `?area=` (an area's id, SUMMARY or ALL; anything else: the
    first area with something left to do)."""
    if sum(len(area.rows) for area in areas) <= ONE_PAGE_UP_TO or not areas:
        return Steps(), areas
    steps = [
        Step(str(area.area.pk), area.area.name, sum(row.rating.is_rated for row in area.rows), len(area.rows))
        for area in areas
    ]
    steps.append(Step(SUMMARY, summary_name))
    keys = [step.key for step in steps]
    current = requested if requested in keys or requested == ALL else _default(areas, steps)
    if current == ALL:
        return Steps(True, ALL, steps), areas
    index = keys.index(current)
    steps[index].current = True
    chosen = Steps(
        True,
        current,
        steps,
        previous=steps[index - 1] if index else None,
        next=steps[index + 1] if index + 1 < len(steps) else None,
    )
    return chosen, [area for area in areas if str(area.area.pk) == current]


def step_of(areas_by_capability: dict, anchor: str) -> str:
    """The `?area=` that shows an anchor of the check page ("capability-12" or the recommendation)."""
    if anchor.startswith("capability-"):
        return str(areas_by_capability.get(int(anchor.removeprefix("capability-")), ALL))
    return SUMMARY

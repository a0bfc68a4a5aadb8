"""The comparison of one person against one level in one cycle: expected vs self vs manager vs agreed.

Computed, never stored. Built only from the assessments the viewer may see
(`Assessment.objects.visible_to`), so what a viewer may not see is absent from the rows, the
chart, the verdict and the CSV alike. In a blind cycle the self-assessment and the manager
assessment are only put side by side once both are submitted; until then each side sees only
its own (see `apply_blind_rule`).

Capabilities are matched by `key` between the person's current level and the target level, so a
comparison still works when the two sit in different versions of a framework. The effective
rating of a capability is the agreed one when it was recorded, else the manager's; readiness
and history use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.http import Http404

from assessments.people.models import Person
from assessments.reports.charts import Series, comparison_chart
from assessments.reports.readiness import Readiness, Rule, Standing, assess
from assessments.reviews.access import attach_levels, hidden_by_blind_cycle
from assessments.reviews.models import Assessment, Rating
from frameworks.models import Capability, Expectation, Framework, Level, ScaleLevel
from frameworks.reading import read_expectations

# Each row sits in exactly one group. A disagreement that is also below expectation stays under
# Disagreements (it needs the discussion first) and is named again in the Below expectation group,
# so that group's count matches the verdict's "N capabilities below …".
GROUPS = [
    ("disagreements", "Disagreements", "Where the self rating and the manager rating differ."),
    ("below", "Below expectation", "Rated below what the target level expects."),
    ("meets", "Meets or exceeds", "At or above what the target level expects, not asked there, or not applicable."),
    ("unrated", "Not rated yet", "No rating counts here yet; Ready needs every capability the target asks for rated."),
]


def effective(rating: Rating | None) -> tuple[ScaleLevel | None, bool]:
    """(scale level, not applicable) that counts for a manager rating: the agreed outcome, else as rated."""
    if rating is None:
        return None, False
    if rating.agreed_not_applicable:
        return None, True
    if rating.agreed_scale_level_id:
        return rating.agreed_scale_level, False
    return rating.scale_level, rating.not_applicable


def has_agreed(rating: Rating | None) -> bool:
    return rating is not None and (rating.agreed_not_applicable or rating.agreed_scale_level_id is not None)


def rank_of(scale_level: ScaleLevel | None) -> int | None:
    return scale_level.rank if scale_level is not None else None


def _same(a: tuple, b: tuple) -> bool:
    """Two (scale level, not applicable) answers are the same rating."""
    return (rank_of(a[0]), a[1]) == (rank_of(b[0]), b[1])


def is_rated(answer: tuple) -> bool:
    return answer[0] is not None or answer[1]


def words_for(answer: tuple) -> str:
    scale_level, not_applicable = answer
    if not_applicable:
        return "Not applicable"
    return scale_level.name if scale_level is not None else "Not rated"


@dataclass
class Row:
    """One capability's line. Its answers, gap and group are worked out once (`cached_property`): a page asks for
    them many times over, and the ratings they come from do not change once the row is built."""

    capability: object
    expected_now: Expectation | None
    expected_target: Expectation | None
    self_rating: Rating | None
    manager_rating: Rating | None
    show_self: bool
    show_manager: bool

    @cached_property
    def self_answer(self) -> tuple:
        if not self.show_self or self.self_rating is None:
            return None, False
        return self.self_rating.scale_level, self.self_rating.not_applicable

    @cached_property
    def manager_answer(self) -> tuple:
        if not self.show_manager or self.manager_rating is None:
            return None, False
        return self.manager_rating.scale_level, self.manager_rating.not_applicable

    @property
    def agreed(self) -> bool:
        return self.show_manager and has_agreed(self.manager_rating)

    @property
    def agreed_answer(self) -> tuple:
        return effective(self.manager_rating) if self.agreed else (None, False)

    @property
    def agreed_note(self) -> str:
        return self.manager_rating.agreed_note if self.agreed else ""

    @cached_property
    def effective_answer(self) -> tuple:
        """What counts: agreed, else manager; the self rating only when there is no manager side to show."""
        if self.show_manager and self.manager_rating is not None:
            return effective(self.manager_rating)
        return self.self_answer

    @property
    def target_scale(self) -> ScaleLevel | None:
        return self.expected_target.scale_level if self.expected_target else None

    @property
    def now_scale(self) -> ScaleLevel | None:
        return self.expected_now.scale_level if self.expected_now else None

    @property
    def disagreement(self) -> bool:
        mine, theirs = self.self_answer, self.manager_answer
        return is_rated(mine) and is_rated(theirs) and not _same(mine, theirs)

    @cached_property
    def gap(self) -> int | None:
        """Steps above (positive) or below (negative) the target expectation; None when it cannot be told."""
        scale_level, not_applicable = self.effective_answer
        if not_applicable or scale_level is None or self.target_scale is None:
            return None
        return scale_level.rank - self.target_scale.rank

    @property
    def gap_label(self) -> str:
        scale_level, not_applicable = self.effective_answer
        if self.target_scale is None:
            return "Not asked at this level"
        if not_applicable:
            return "Not applicable"
        if scale_level is None:
            return "Not rated yet"
        gap = self.gap
        if gap == 0:
            return "Meets"
        steps = "1 step" if abs(gap) == 1 else f"{abs(gap)} steps"
        return f"{steps} above" if gap > 0 else f"{steps} below"

    @property
    def below(self) -> bool:
        return self.gap is not None and self.gap < 0

    @property
    def rated(self) -> bool:
        return is_rated(self.effective_answer)

    @cached_property
    def group(self) -> str:
        if self.disagreement:
            return "disagreements"
        if self.below:
            return "below"
        if not self.rated:
            return "unrated"
        return "meets"

    @property
    def self_words(self) -> str:
        return words_for(self.self_answer)

    @property
    def manager_words(self) -> str:
        return words_for(self.manager_answer)

    @property
    def outcome_words(self) -> str:
        """The agreed rating, or the manager's when none was agreed ("empty means as rated")."""
        return words_for(effective(self.manager_rating)) if self.show_manager and self.manager_rating else ""

    @property
    def self_evidence(self) -> str:
        return self.self_rating.evidence if self.show_self and self.self_rating else ""

    @property
    def manager_evidence(self) -> str:
        return self.manager_rating.evidence if self.show_manager and self.manager_rating else ""


@dataclass
class Comparison:
    subject: Person
    level: Level
    current_level: Level | None
    cycle: object | None
    self_assessment: Assessment | None
    manager_assessment: Assessment | None
    rows: list[Row]
    scale: list[ScaleLevel]
    hidden_by_blind_cycle: str = ""
    readiness: Readiness | None = None
    groups: list[tuple[str, str, str, list[Row]]] = field(default_factory=list)
    # What was read to build it, for a page that builds more from the same levels (the promotion report's history):
    # the whole scales of the frameworks read, by id (`scale_by_id`), and {level pk: {capability key: expectation}}.
    scale_by_id: dict = field(default_factory=dict)
    expectations: dict = field(default_factory=dict)

    @property
    def scale_length(self) -> int:
        return len(self.scale)

    @property
    def has_self(self) -> bool:
        return self.self_assessment is not None

    @property
    def has_manager(self) -> bool:
        return self.manager_assessment is not None

    @property
    def manager_is_draft(self) -> bool:
        return self.manager_assessment is not None and not self.manager_assessment.is_submitted

    @property
    def below_count(self) -> int:
        """Every capability below the target, wherever its row is listed (the verdict counts the same)."""
        return sum(1 for row in self.rows if row.below)

    @cached_property
    def below_among_disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.below and row.disagreement]

    @property
    def rated_count(self) -> int:
        return sum(1 for row in self.rows if row.rated)

    @property
    def agreed_count(self) -> int:
        return sum(1 for row in self.rows if row.agreed)

    @property
    def can_record_agreed(self) -> bool:
        """Both sides submitted: the manager may now record the agreed outcome."""
        return (
            self.manager_assessment is not None
            and self.manager_assessment.is_submitted
            and self.self_assessment is not None
            and self.self_assessment.is_submitted
        )

    def series(self) -> list[Series]:
        series = [
            Series("expected", f"Expected at {self.level.name}", [rank_of(row.target_scale) for row in self.rows])
        ]
        if self.has_self:
            series.append(Series("self", "Self", [rank_of(row.self_answer[0]) for row in self.rows]))
        if self.has_manager:
            series.append(Series("manager", "Manager", [rank_of(row.manager_answer[0]) for row in self.rows]))
        if self.agreed_count:
            # Where nothing was agreed the outcome is the manager's rating, so the line stays whole.
            outcome = [rank_of(effective(row.manager_rating)[0]) if row.show_manager else None for row in self.rows]
            series.append(Series("agreed", "Agreed", outcome))
        return series

    def chart(self, chart_id: str = "comparison-chart"):
        labels = [row.capability.label for row in self.rows]
        return comparison_chart(chart_id, labels, self.series(), [s.name for s in self.scale], self.subject.name)


def apply_blind_rule(user, self_assessment, manager_assessment) -> tuple:
    """Drop a side the blind-cycle rule hides from this viewer (the rule lives in `assessment_access`)."""
    hide_self = self_assessment is not None and hidden_by_blind_cycle(user, self_assessment, manager_assessment)
    hide_manager = manager_assessment is not None and hidden_by_blind_cycle(user, manager_assessment, self_assessment)
    if not (hide_self or hide_manager):
        return self_assessment, manager_assessment, ""
    cycle = (self_assessment or manager_assessment).cycle
    message = f"{cycle.name} is a blind cycle: the two assessments are shown side by side once both are submitted."
    return (None if hide_self else self_assessment), (None if hide_manager else manager_assessment), message


def visible_assessments_of_person(user, subject: Person) -> list[Assessment]:
    """`visible_assessments`, taking the subject's own level as `get_person_for_user` read it (with its track and
    framework), so that only the other levels assessed are read."""
    return visible_assessments(user, subject, [subject.level] if subject.level else ())


def visible_assessments(user, subject: Person, known_levels=(), known_authors=None) -> list[Assessment]:
    """Every assessment of `subject` the viewer may see, newest first, with their levels (`attach_levels`;
    `known_levels`: levels read already with their track and framework, such as the subject's own) and `subject`
    itself as their subject (not joined again).

    `known_authors`: people read already with their users (My pathway's own person and manager, who wrote nearly
    all of its assessments): the authors are taken from them instead of joined, any other read in one query; the
    two joins cost PostgreSQL more to plan than the rest of the statement."""
    related = ["cycle", *(["author__user"] if known_authors is None else [])]
    assessments = list(
        Assessment.objects.visible_to(user)
        .filter(subject=subject)
        .select_related(*related)
        .order_by("-created_at", "-pk")
    )
    for assessment in assessments:
        assessment.subject = subject
    if known_authors is not None:
        known = {person.pk: person for person in known_authors}
        attach(assessments, known, Person.objects.select_related("user"), "author")
    return attach_levels(assessments, known_levels)


def choose_level(user, subject: Person, level_param: str | None, assessments: list[Assessment]) -> Level:
    """The level asked for in the URL, else the one assessed most recently, else the next rung, else the current."""
    if level_param:
        try:
            pk = int(level_param)
        except ValueError:
            raise Http404("No such level.") from None
        level = (
            Level.objects.filter(pk=pk, framework__in=Framework.objects.visible_to(user))
            .select_related("framework", "track")
            .first()
        )
        if level is None:
            raise Http404("No such level.")
        return level
    for kind in (Assessment.Kind.MANAGER, Assessment.Kind.SELF):
        for assessment in assessments:
            if assessment.kind == kind:
                return assessment.level
    if subject.level is not None:
        return subject.level.next_on_track() or subject.level
    raise Http404("Nothing to compare yet.")


def choose_cycle(cycle_param: str | None, level: Level, assessments: list[Assessment]):
    """(cycle or None, found): the cycle asked for, or "latest": that of the newest assessment against `level`."""
    at_level = [assessment for assessment in assessments if assessment.level_id == level.pk]
    if cycle_param in (None, "", "latest"):
        # The most recent review: by the cycle's dates (a review outside cycles by when it was made).
        def when(assessment):
            day = assessment.cycle.starts_on if assessment.cycle else assessment.created_at.date()
            return (day, assessment.created_at)

        for kind in (Assessment.Kind.MANAGER, Assessment.Kind.SELF):
            mine = [assessment for assessment in at_level if assessment.kind == kind]
            if mine:
                return max(mine, key=when).cycle
        return None
    if cycle_param == "none":
        return None
    try:
        pk = int(cycle_param)
    except ValueError:
        raise Http404("No such cycle.") from None
    for assessment in at_level:
        if assessment.cycle_id == pk:
            return assessment.cycle
    from assessments.reviews.models import ReviewCycle

    cycle = ReviewCycle.objects.filter(pk=pk).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


def expectations_by_level(
    levels: list[Level | None], scale: dict[int, ScaleLevel], known: dict | None = None
) -> dict[int, dict[str, Expectation]]:
    """{level pk: {capability key: expectation}} for these levels, in the framework's order; those not `known`
    already are read together, in one query."""
    found = {level.pk: known[level.pk] for level in levels if level is not None and known and level.pk in known}
    missing = {level.pk for level in levels if level is not None} - found.keys()
    if missing:
        expectations = read_expectations(missing, with_scale_levels=False)
        for expectation in attach_scale(expectations, scale, "scale_level"):
            found.setdefault(expectation.level_id, {})[expectation.capability.key] = expectation
    return found


def scale_by_id(framework_ids) -> dict[int, ScaleLevel]:
    """The scale levels of these frameworks by id, lowest rank first: one query over a tiny table."""
    return {
        scale_level.pk: scale_level
        for scale_level in ScaleLevel.objects.filter(framework_id__in=set(framework_ids)).order_by("rank", "pk")
    }


# What a rating's answer is, without its texts (`ratings_of(..., answers_only=True)`).
ANSWER_FIELDS = (
    "assessment_id",
    "capability_id",
    "scale_level_id",
    "not_applicable",
    "agreed_scale_level_id",
    "agreed_not_applicable",
)


@dataclass(slots=True)
class RatingAnswer:
    """A rating's answer without its texts (`ratings_of(..., answers_only=True)`): what `effective`, `has_agreed`
    and the history read of a rating, without a model built for each of every review's ratings."""

    assessment_id: int
    capability_id: int
    scale_level_id: int | None
    not_applicable: bool
    agreed_scale_level_id: int | None
    agreed_not_applicable: bool
    capability: Capability | None = None
    scale_level: ScaleLevel | None = None
    agreed_scale_level: ScaleLevel | None = None


def ratings_of(
    assessment_ids, scale: dict[int, ScaleLevel], capabilities: dict[int, Capability], *, answers_only=False
) -> list[Rating]:
    """The ratings of these assessments, with what the rows show of them (no query when there are none).

    Each rating's scale levels come from `scale` (`scale_by_id` of the assessments' frameworks) and its capability,
    with its area, from `capabilities` (those of the expectations already read), instead of joins that would build
    them again for every rating; any not in them is read in one query (and added). `answers_only`: without the
    evidence and the agreed note, as `RatingAnswer`s, for pages that show no text (the history: every review's
    ratings)."""
    if not assessment_ids:
        return []
    ratings = Rating.objects.filter(assessment_id__in=assessment_ids)
    if answers_only:
        ratings = [RatingAnswer(*answer) for answer in ratings.values_list(*ANSWER_FIELDS)]
    else:
        ratings = list(ratings)
    attach(ratings, capabilities, Capability.objects.select_related("area"), "capability")
    return attach(ratings, scale, ScaleLevel.objects.all(), "scale_level", "agreed_scale_level")


def attach_scale(items: list, scale: dict[int, ScaleLevel], *fields: str) -> list:
    """`attach` for scale levels."""
    return attach(items, scale, ScaleLevel.objects.all(), *fields)


def attach(items: list, known: dict, queryset, *fields: str) -> list:
    """Set each foreign key in `fields` of every item from `known` (pk → object); those not in it are read from
    `queryset` in one query and added to it. A null key stays null."""
    missing = {getattr(item, f"{name}_id") for item in items for name in fields} - known.keys() - {None}
    if missing:
        known.update(queryset.in_bulk(missing))
    for item in items:
        for name in fields:
            related = known.get(getattr(item, f"{name}_id"))
            if isinstance(item, models.Model):
                # Into the relation's cache, as select_related does: the key is the object's already, and assigning
                # through the descriptor (checks, then the same key again) cost more, hundreds of times a page.
                item._meta.get_field(name).set_cached_value(item, related)
            else:  # a plain object with the key, such as a RatingAnswer
                setattr(item, name, related)
    return items


def _self_and_manager(
    assessments: list[Assessment], level: Level, cycle
) -> tuple[Assessment | None, Assessment | None]:
    """(self, manager): the assessments of `level` in `cycle` (None: outside cycles)."""
    pair = [a for a in assessments if a.level_id == level.pk and a.cycle_id == (cycle.pk if cycle else None)]
    self_assessment = next((a for a in pair if a.kind == Assessment.Kind.SELF), None)
    manager_assessment = next((a for a in pair if a.kind == Assessment.Kind.MANAGER), None)
    return self_assessment, manager_assessment


def _ratings_by_key(
    self_assessment, manager_assessment, scale: dict[int, ScaleLevel], capabilities: dict[int, Capability]
) -> tuple[dict[str, Rating], dict[str, Rating]]:
    """(self ratings, manager ratings) of the sides shown, each by capability key."""
    shown = [a.pk for a in (self_assessment, manager_assessment) if a is not None]
    self_by_key, manager_by_key = {}, {}
    for rating in ratings_of(shown, scale, capabilities):
        target = self_by_key if self_assessment and rating.assessment_id == self_assessment.pk else manager_by_key
        target[rating.capability.key] = rating
    return self_by_key, manager_by_key


def _capabilities_in_order(*by_key: dict) -> list[tuple[str, object]]:
    """(key, capability) for every key in any of the mappings (first one wins), in framework order."""
    capabilities = {}
    for source in by_key:
        for key, item in source.items():
            capabilities.setdefault(key, item.capability)
    return sorted(
        capabilities.items(),
        key=lambda pair: (pair[1].area.position, pair[1].area_id, pair[1].position, pair[1].pk),
    )


def build_comparison(
    user, subject: Person, level: Level, cycle, assessments: list[Assessment], expectations: dict | None = None
) -> Comparison:
    """The rows, verdict and groups for `subject` against `level` in `cycle` (None: outside cycles).

    `expectations`: levels' expectations already read in this request ({level pk: {capability key: expectation}},
    with each capability's area and scale level), so that they are not read again."""
    self_assessment, manager_assessment = _self_and_manager(assessments, level, cycle)
    self_assessment, manager_assessment, blind_message = apply_blind_rule(user, self_assessment, manager_assessment)
    frameworks = [level.framework_id, *([subject.level.framework_id] if subject.level_id else [])]
    scale_levels = scale_by_id(frameworks)
    whole_scales = dict(scale_levels)  # before any other scale level read for a rating is added to it
    current_level = subject.level
    by_level = expectations_by_level([level, current_level], scale_levels, expectations)
    target_expectations = by_level.get(level.pk, {})
    now_expectations = by_level.get(current_level.pk, {}) if current_level is not None else {}
    capabilities = {e.capability_id: e.capability for e in [*now_expectations.values(), *target_expectations.values()]}
    self_by_key, manager_by_key = _ratings_by_key(self_assessment, manager_assessment, scale_levels, capabilities)

    rows = [
        Row(
            capability=capability,
            expected_now=now_expectations.get(key),
            expected_target=target_expectations.get(key),
            self_rating=self_by_key.get(key),
            manager_rating=manager_by_key.get(key),
            show_self=self_assessment is not None,
            show_manager=manager_assessment is not None,
        )
        for key, capability in _capabilities_in_order(target_expectations, self_by_key, manager_by_key)
    ]
    scale = [scale_level for scale_level in scale_levels.values() if scale_level.framework_id == level.framework_id]
    comparison = Comparison(
        subject=subject,
        level=level,
        current_level=current_level,
        cycle=cycle,
        self_assessment=self_assessment,
        manager_assessment=manager_assessment,
        rows=rows,
        scale=scale,
        hidden_by_blind_cycle=blind_message,
        scale_by_id=whole_scales,
        expectations={
            level.pk: target_expectations,
            **({current_level.pk: now_expectations} if current_level is not None else {}),
        },
    )
    comparison.groups = [
        (key, heading, hint, [row for row in rows if row.group == key]) for key, heading, hint in GROUPS
    ]
    if manager_assessment is not None:
        comparison.readiness = readiness_for(rows, level, current_level)
    return comparison


def readiness_for(rows: list[Row], level: Level, current_level: Level | None) -> Readiness:
    # Assessed against their own level, the current level is the target: check it once, not twice.
    same_level = current_level is None or current_level.pk == level.pk
    standings = [
        Standing(
            name=row.capability.name,
            expected_now=None if same_level else rank_of(row.now_scale),
            expected_target=rank_of(row.target_scale),
            rating=rank_of(row.effective_answer[0]),
            not_applicable=row.effective_answer[1],
        )
        for row in rows
        if row.expected_target is not None or row.manager_rating is not None
    ]
    current_name = None if same_level else current_level.name
    return assess(standings, Rule.for_framework(level.framework), level.name, current_name)

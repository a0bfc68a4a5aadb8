"""The framework pages everyone reads: the list, a framework, a level, level comparison, version diff."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from frameworks.access import get_framework_for_user, readable_versions, reads_as_person
from frameworks.comparison import Change, compare_levels, diff_versions
from frameworks.hooks import draft_progress_of
from frameworks.models import Capability, Expectation, Framework, Level, Track

# One query per table, whatever the framework's size.
CATALOGUE_LOOKUPS = (
    "scale_levels",
    "areas",
    Prefetch("capabilities", queryset=Capability.objects.select_related("area")),
    "tracks",
    Prefetch("levels", queryset=Level.objects.select_related("track")),
    Prefetch("levels__expectations", queryset=Expectation.objects.select_related("capability__area", "scale_level")),
)


def prefetch_catalogue(frameworks):
    prefetch_related_objects(list(frameworks), *CATALOGUE_LOOKUPS)


def load_framework(request, key, version=None, *, catalogue=True) -> Framework:
    """The version the reader may read (frameworks.access; 404 for anything else), with everything in it loaded."""
    framework = get_framework_for_user(request.user, key, version)
    if catalogue:
        prefetch_catalogue([framework])
    return framework


def _reader_level_ref(user, framework) -> str | None:
    """The reader's level as "track-key/level-key" if it is in this framework (in this or any other version)."""
    if not reads_as_person(user):
        return None
    found = (
        Level.objects.filter(people__user=user, framework__key=framework.key).values_list("track__key", "key").first()
    )
    return "/".join(found) if found else None


def _admin_change_url(framework) -> str | None:
    try:
        return reverse("admin:frameworks_framework_change", args=[framework.pk])
    except NoReverseMatch:  # the admin registers Framework; without it, the page simply has no link
        return None


def _hr_actions(user, framework) -> dict[str, str]:
    """The admin's URLs for HR's buttons on the framework page (the admin does the work); empty for anyone else."""
    if not getattr(user, "is_hr_admin", False):
        return {}
    names = {
        "grid": ("frameworks_framework_expectations", [framework.pk]),
        "publish": ("frameworks_framework_publish", [framework.pk]),
        "new_version": ("frameworks_framework_new_version", [framework.pk]),
        "export_yaml": ("frameworks_framework_export", [framework.pk, "yaml"]),
        "export_json": ("frameworks_framework_export", [framework.pk, "json"]),
    }
    try:
        return {key: reverse(f"admin:{name}", args=args) for key, (name, args) in names.items()}
    except NoReverseMatch:
        return {}


def _versions_context(user, framework) -> dict:
    """The other versions of this framework the reader may see, and the published one."""
    versions = list(
        readable_versions(user)
        .filter(key=framework.key)
        .only("pk", "key", "version", "status", "published_at")
        .order_by("-version")
    )
    published = next((v for v in versions if v.status == Framework.Status.PUBLISHED), None)
    earlier = [v for v in versions if v.version < framework.version and v.status != Framework.Status.DRAFT]
    return {
        "published_version": published,
        "other_versions": [v for v in versions if v.pk != framework.pk],
        "previous_version": earlier[0] if earlier else None,
        "is_hr_admin": getattr(user, "is_hr_admin", False),
        "admin_url": _admin_change_url(framework) if getattr(user, "is_hr_admin", False) else None,
        "hr_actions": _hr_actions(user, framework),
        "existing_draft": next(
            (v for v in versions if v.status == Framework.Status.DRAFT and v.pk != framework.pk), None
        ),
    }


def track_label(track) -> str:
    return track.name if track.name.lower().endswith("track") else f"{track.name} track"


# Shapes of a loaded framework ------------------------------------------------------------------


def _levels_by_track(framework) -> dict[int, list[Level]]:
    """track pk → its levels, lowest rung first (an empty list for a track without levels)."""
    return {track.pk: [] for track in framework.tracks.all()} | Level.ladders(framework.levels.all())


def _track_start(framework, track, ladders) -> Level | None:
    """Where a track that starts above the bottom grade branches from: the most senior individual
    contributor level below its first grade (e.g. Senior PM for the management track)."""
    ladder = ladders.get(track.pk) or []
    if track.kind == Track.Kind.IC or not ladder:
        return None
    first_grade = min(level.grade for level in ladder)
    below = [
        level
        for other in framework.tracks.all()
        if other.kind == Track.Kind.IC and other.pk != track.pk
        for level in ladders.get(other.pk, [])
        if level.grade < first_grade
    ]
    return max(below, key=lambda level: (level.grade, level.position), default=None)


@dataclass
class PathwayLevel:
    level: Level
    row: int  # grid line where the card starts, counting the track-name row as row 1
    span: int
    is_here: bool

    @property
    def list_row(self) -> int:
        """The row inside the track's list of levels, which starts below the track-name row."""
        return self.row - 1


@dataclass
class PathwayTrack:
    track: Track
    column: int
    levels: list[PathwayLevel]
    starts_from: Level | None = None
    start_row: int = 0
    start_span: int = 1

    @property
    def label(self) -> str:
        """E.g. "Management track", without doubling a name that already ends in "track"."""
        return track_label(self.track)


@dataclass
class PathwayBand:
    name: str
    row: int
    span: int
    tone: int


@dataclass
class PathwayGrade:
    grade: int
    row: int
    span: int


# static/css/pathway-grid.css places the diagram's cells for grids up to this size (the CSP allows no style
# attributes); a larger framework's pathway is shown as one list per track instead.
PATHWAY_MAX_ROWS = 24
PATHWAY_MAX_TRACKS = 8


@dataclass
class Pathway:
    tracks: list[PathwayTrack]
    grades: list[PathwayGrade]
    bands: list[PathwayBand]
    rows: int = 0
    here: Level | None = None
    band_column: int = field(init=False, default=0)

    def __post_init__(self):
        self.band_column = len(self.tracks) + 2

    @property
    def fits_grid(self) -> bool:
        return self.rows <= PATHWAY_MAX_ROWS and len(self.tracks) <= PATHWAY_MAX_TRACKS


def build_pathway(framework, reader_level_ref=None) -> Pathway:
    """Lay the levels out on a grid: tracks as columns, grades as rows, most senior at the top.

    A grade takes as many rows as the most levels any one track has at that grade, so two rungs
    that share a grade sit one above the other instead of on top of each other.
    """
    tracks = list(framework.tracks.all())
    ladders = _levels_by_track(framework)
    heights: dict[int, int] = {}
    for ladder in ladders.values():
        per_grade: dict[int, int] = {}
        for level in ladder:
            per_grade[level.grade] = per_grade.get(level.grade, 0) + 1
        for grade, count in per_grade.items():
            heights[grade] = max(heights.get(grade, 0), count)

    grade_rows: dict[int, PathwayGrade] = {}
    row = 2  # row 1 holds the track names
    for grade in sorted(heights, reverse=True):
        grade_rows[grade] = PathwayGrade(grade, row, heights[grade])
        row += heights[grade]

    here = None
    columns = []
    for index, track in enumerate(tracks):
        cards = []
        ladder = ladders.get(track.pk, [])
        for grade, slot in grade_rows.items():
            at_grade = [level for level in ladder if level.grade == grade]
            for offset, level in enumerate(reversed(at_grade)):  # the more senior rung on top
                last = offset == len(at_grade) - 1
                span = slot.span - offset if last else 1
                is_here = level.ref == reader_level_ref
                if is_here:
                    here = level
                cards.append(PathwayLevel(level, slot.row + offset, span, is_here))
        cards.sort(key=lambda card: (card.level.position, card.level.grade))
        column = PathwayTrack(track, index + 2, cards)
        start = _track_start(framework, track, ladders)
        if start is not None:
            column.starts_from = start
            column.start_row = grade_rows[start.grade].row
            column.start_span = grade_rows[start.grade].span
        columns.append(column)

    # A band per run of grades sharing a stage, named after the stage of the first track that has one.
    bands: list[PathwayBand] = []
    for grade, slot in grade_rows.items():
        staged = (level for track in tracks for level in ladders.get(track.pk, []) if level.grade == grade)
        stage = next((level.stage for level in staged if level.stage), "")
        if bands and stage and bands[-1].name == stage and bands[-1].row + bands[-1].span == slot.row:
            bands[-1].span += slot.span
        elif stage:
            bands.append(PathwayBand(stage, slot.row, slot.span, len(bands) % 2))
    return Pathway(columns, list(grade_rows.values()), bands, rows=row - 2, here=here)


@dataclass
class MatrixCell:
    expectation: Expectation | None
    group_start: bool  # the first level of a track other than the first: drawn with a divider


@dataclass
class MatrixRow:
    capability: Capability
    cells: list[MatrixCell]


@dataclass
class MatrixArea:
    area: object
    rows: list[MatrixRow]


@dataclass
class Matrix:
    groups: list[tuple[Track, list[Level]]]
    levels: list[Level]
    areas: list[MatrixArea]

    @property
    def width(self) -> int:
        return len(self.levels) + 1


def build_matrix(framework) -> Matrix:
    ladders = _levels_by_track(framework)
    groups = [(track, ladders[track.pk]) for track in framework.tracks.all() if ladders.get(track.pk)]
    levels = [level for _, ladder in groups for level in ladder]
    starts = {ladder[0].pk for _, ladder in groups[1:]}
    asked = {(e.level_id, e.capability_id): e for level in levels for e in level.expectations.all()}
    by_area: dict[int, list[Capability]] = {}
    for capability in framework.capabilities.all():
        by_area.setdefault(capability.area_id, []).append(capability)
    areas = [
        MatrixArea(
            area,
            [
                MatrixRow(cap, [MatrixCell(asked.get((level.pk, cap.pk)), level.pk in starts) for level in levels])
                for cap in by_area[area.pk]
            ],
        )
        for area in framework.areas.all()
        if by_area.get(area.pk)
    ]
    return Matrix(groups, levels, areas)


def _find_level(framework, track_key, level_key) -> Level | None:
    return next(
        (level for level in framework.levels.all() if level.track.key == track_key and level.key == level_key), None
    )


def _scale_length(framework) -> int:
    return len(framework.scale_levels.all())


def _level_to_compare_with(framework, level) -> Level | None:
    """The next rung on the level's track; at the top of a track, the nearest more senior level elsewhere."""
    following = Level.next_on_track_among(framework.levels.all()).get(level.pk)
    if following is not None:
        return following
    above = [other for other in framework.levels.all() if other.grade > level.grade]
    return min(above, key=lambda other: (other.grade, other.track.position, other.position), default=None)


# Views -----------------------------------------------------------------------------------------


@login_not_required
def framework_list(request):
    frameworks = list(readable_versions(request.user).with_counts().order_by("name", "key", "-version"))
    cards: dict[str, dict] = {}
    for framework in frameworks:
        cards.setdefault(framework.key, {"versions": []})["versions"].append(framework)
    for card in cards.values():
        versions = card["versions"]
        card["main"] = next((v for v in versions if v.status == Framework.Status.PUBLISHED), None) or next(
            (v for v in versions if v.status == Framework.Status.DRAFT), None
        )
        card["others"] = [v for v in versions if v is not card["main"]]
    visible_cards = [card for card in cards.values() if card["main"] is not None]
    return render(
        request,
        "frameworks/list.html",
        {"cards": visible_cards, "is_hr_admin": getattr(request.user, "is_hr_admin", False)},
    )


@login_not_required
def framework_current(request, key):
    framework = load_framework(request, key, catalogue=False)
    return redirect(framework)


@login_not_required
def framework_detail(request, key, version):
    framework = load_framework(request, key, version)
    context = {
        "framework": framework,
        "pathway": build_pathway(framework, _reader_level_ref(request.user, framework)),
        "matrix": build_matrix(framework),
        "scale": list(framework.scale_levels.all()),
        "scale_length": _scale_length(framework),
        **_versions_context(request.user, framework),
    }
    return render(request, "frameworks/detail.html", context)


def _current_has_level(framework, level) -> bool:
    """On an old version: whether the published version still has this level, so we can link to it."""
    if framework.status != Framework.Status.ARCHIVED:
        return False
    return level.same_in(Framework.objects.published().filter(key=framework.key)) is not None


@dataclass
class LevelExpectation:
    capability: Capability
    expectation: Expectation
    change: object | None  # CapabilityChange against the level before, when there is one


@login_not_required
def level_detail(request, key, version, track_key, level_key):
    framework = load_framework(request, key, version)
    level = _find_level(framework, track_key, level_key)
    if level is None:
        raise Http404("No such level.")
    ladders = _levels_by_track(framework)
    ladder = ladders[level.track_id]
    index = ladder.index(level)
    previous = ladder[index - 1] if index > 0 else None
    track_start = None if previous else _track_start(framework, level.track, ladders)
    before = previous or track_start
    comparison = compare_levels(before, level, criteria=framework.is_criteria) if before else None
    changes = comparison.by_capability_key if comparison else {}

    asked = {e.capability_id: e for e in level.expectations.all()}
    not_asked = []
    by_area: dict[int, list[LevelExpectation]] = {}
    for capability in framework.capabilities.all():
        expectation = asked.get(capability.pk)
        if expectation is None:
            not_asked.append(capability)
            continue
        change = changes.get(capability.key)
        by_area.setdefault(capability.area_id, []).append(LevelExpectation(capability, expectation, change))
    areas = [(area, by_area[area.pk]) for area in framework.areas.all() if area.pk in by_area]
    dropped = [change for change in comparison.changes if change.to_expectation is None] if comparison else []

    context = {
        "framework": framework,
        "level": level,
        "previous": previous,
        "track_start": track_start,
        "track_label": track_label(level.track),
        "comparison": comparison,
        "next_level": Level.next_on_track_among(ladder).get(level.pk),
        "peers": [
            other for other in framework.levels.all() if other.grade == level.grade and other.track_id != level.track_id
        ],
        "areas": areas,
        "not_asked": not_asked,
        "dropped": dropped,
        "is_here": _reader_level_ref(request.user, framework) == level.ref,
        "current_has_level": _current_has_level(framework, level),
        "scale_length": _scale_length(framework),
        **_versions_context(request.user, framework),
    }
    return render(request, "frameworks/level.html", context)


@login_not_required
def level_by_key(request, key, version, level_key):
    """An old link naming a level by its key alone: on to the level's page when only one track has that key."""
    framework = load_framework(request, key, version, catalogue=False)
    found = list(framework.levels.select_related("track").filter(key=level_key)[:2])
    if len(found) != 1:
        raise Http404("No such level.")
    found[0].framework = framework
    return redirect(found[0])


def short_change(row) -> str:
    """The change in a few words; the bars beside it already name both mastery levels."""
    steps = abs(row.steps)
    unit = "step" if steps == 1 else "steps"
    return {
        Change.NEW: "New",
        Change.RAISED_MORE: f"Rises {steps} {unit}",
        Change.RAISED: f"Rises {steps} {unit}",
        Change.CRITERIA: "New criteria",
        Change.UNCHANGED: "Same",
        Change.LOWERED: f"Drops {steps} {unit}",
        Change.DROPPED: "No longer asked",
    }[row.change]


def _chosen_level(framework, levels, request, param, default, problems):
    """The level asked for as `param`: "track-key/level-key", or a bare level key (links made before level keys
    were per track) when unambiguous. (level or None, the value typed); what is wrong goes into `problems`."""
    value = request.GET.get(param, "").strip()
    if not value:
        return default, ""
    found = Level.matching_ref(levels, value)
    if len(found) == 1:
        return found[0], value
    which = "first" if param == "from" else "second"
    if found:
        tracks = " and ".join(level.track.name for level in found)
        problems.append(
            f"“{value}” is a level on more than one track ({tracks}) of {framework.name}. "
            f"Choose the {which} level from the list."
        )
    else:
        problems.append(
            f"There is no level “{value}” in version {framework.version} of {framework.name}. "
            f"Choose the {which} level from the list."
        )
    return None, value


@login_not_required
def compare(request, key, version):
    framework = load_framework(request, key, version)
    ladders = _levels_by_track(framework)
    levels = list(framework.levels.all())
    reader_ref = _reader_level_ref(request.user, framework)
    default_from = next((level for level in levels if level.ref == reader_ref), None) or next(iter(levels), None)
    problems = []

    def chosen(param, default):
        return _chosen_level(framework, levels, request, param, default, problems)

    from_level, from_value = chosen("from", default_from)
    default_to = _level_to_compare_with(framework, from_level) if from_level else None
    to_level, to_value = chosen("to", default_to or from_level)
    comparison = None
    if not problems and from_level and to_level:
        if from_level == to_level:
            if "to" in request.GET:
                problems.append("You chose the same level twice. Choose two different levels to see what changes.")
            else:
                problems.append(f"{from_level.name} is the most senior level. Choose another level to compare with.")
        else:
            comparison = compare_levels(from_level, to_level, criteria=framework.is_criteria)
    assess_level = (
        to_level
        if comparison
        and framework.status == Framework.Status.PUBLISHED
        and to_level.ref != reader_ref
        and reads_as_person(request.user)
        else None
    )
    context = {
        "framework": framework,
        "groups": [(track, ladders[track.pk]) for track in framework.tracks.all() if ladders.get(track.pk)],
        "from_level": from_level,
        "to_level": to_level,
        "from_value": from_level.ref if from_level else from_value,
        "to_value": to_level.ref if to_level else to_value,
        "comparison": comparison,
        "rows_by_group": [
            (kind, heading, [(row, short_change(row)) for row in rows]) for kind, heading, rows in comparison.groups()
        ]
        if comparison
        else [],
        # The next step: assess yourself against the level you are reading about (only a published one).
        "assess_level": assess_level,
        # Already started: "Continue — N of M rated" (the reviews room answers, frameworks.hooks).
        "draft": draft_progress_of(request.user, assess_level) if assess_level else None,
        "problems": problems,
        "scale_length": _scale_length(framework),
    }
    return render(request, "frameworks/compare.html", context)


def _version_param(request, name) -> tuple[int | None, str]:
    raw = request.GET.get(name, "").strip()
    try:
        return (int(raw) if raw else None), raw
    except ValueError:
        return None, raw


@login_not_required
def version_diff(request, key):
    current = load_framework(request, key, catalogue=False)
    versions = list(readable_versions(request.user).filter(key=key).order_by("-version"))
    by_number = {v.version: v for v in versions}
    problems = []

    def chosen(param, default):
        number, raw = _version_param(request, param)
        if not raw:
            return default
        framework = by_number.get(number)
        if framework is None:
            problems.append(f"There is no version “{raw}” of {current.name} to compare. Choose one from the list.")
        return framework

    new = chosen("to", current)
    default_old = next((v for v in versions if new and v.version < new.version), None)
    old = chosen("from", default_old)
    diff = None
    if len(versions) < 2:
        problems = [f"There is only one version of {current.name}, so there is nothing to compare yet."]
    elif not problems and (old is None or new is None):
        problems.append("Choose two versions to compare.")
    elif not problems and old == new:
        problems.append("You chose the same version twice. Choose two different versions to see what changed.")
    elif not problems:
        prefetch_catalogue([old, new])
        diff = diff_versions(old, new)
    context = {
        "framework": current,
        "versions": versions,
        "old": old,
        "new": new,
        "from_value": old.version if old else request.GET.get("from", ""),
        "to_value": new.version if new else request.GET.get("to", ""),
        "diff": diff,
        "problems": problems,
        "old_scale_length": _scale_length(old) if diff else None,
        "new_scale_length": _scale_length(new) if diff else None,
    }
    return render(request, "frameworks/diff.html", context)

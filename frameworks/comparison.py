"""What changes between two levels, and between two versions of a framework.

Pure functions over objects that are already loaded: they never query. Pass levels whose
`expectations` are prefetched with their `capability` (and its `area`) and `scale_level`, and
frameworks whose scale, areas, capabilities, tracks, levels (with their track) and expectations are
prefetched (`frameworks.views.load_framework` does both). Capabilities are matched by their
`key` and levels by their track's key and their own (`Level.ref`: a level key is unique only on its
track), so both functions also work across versions; mastery is compared by scale rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum


class Change(StrEnum):
    """How the mastery asked for one capability changes, in the order pages list them."""

    NEW = "new"
    RAISED_MORE = "raised-more"
    RAISED = "raised"
    CRITERIA = "criteria"  # a criteria framework: the level asks for other criteria at the same "meets"
    UNCHANGED = "unchanged"
    LOWERED = "lowered"
    DROPPED = "dropped"


CHANGE_ORDER = list(Change)

CHANGE_HEADINGS = {
    Change.NEW: "New",
    Change.RAISED_MORE: "Rise by 2 steps or more",
    Change.RAISED: "Rise by 1 step",
    Change.CRITERIA: "New criteria",
    Change.UNCHANGED: "Stay the same",
    Change.LOWERED: "Lower",
    Change.DROPPED: "No longer asked",
}


def classify(from_rank: int | None, to_rank: int | None) -> Change | None:
    """The change from one expected rank to another; None when the capability is asked at neither."""
    if from_rank is None and to_rank is None:
        return None
    if from_rank is None:
        return Change.NEW
    if to_rank is None:
        return Change.DROPPED
    steps = to_rank - from_rank
    if steps >= 2:
        return Change.RAISED_MORE
    if steps == 1:
        return Change.RAISED
    if steps == 0:
        return Change.UNCHANGED
    return Change.LOWERED


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _steps(count: int) -> str:
    return f"{count} {_plural(count, 'step', 'steps')}"


# Level to level --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapabilityChange:
    """One capability between two levels: what each asks for and how that changes."""

    capability: object  # the Capability of the `to` side, or of the `from` side when no longer asked
    change: Change
    from_expectation: object | None
    to_expectation: object | None

    @property
    def from_scale(self):
        return self.from_expectation.scale_level if self.from_expectation else None

    @property
    def to_scale(self):
        return self.to_expectation.scale_level if self.to_expectation else None

    @property
    def texts(self) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
        """The two expectation texts as (words, changed) runs: what the `from` text loses, what the `to` text adds."""
        return text_changes(
            self.from_expectation.description if self.from_expectation else "",
            self.to_expectation.description if self.to_expectation else "",
        )

    @property
    def steps(self) -> int:
        """Scale steps gained (negative when lower); 0 when new or no longer asked."""
        if self.from_scale is None or self.to_scale is None:
            return 0
        return self.to_scale.rank - self.from_scale.rank

    @property
    def label(self) -> str:
        """The change in plain words, e.g. "Rises 2 steps, from Awareness to Practitioner"."""
        if self.change == Change.NEW:
            return f"New: asked at {self.to_scale.name}"
        if self.change == Change.DROPPED:
            return f"No longer asked (was {self.from_scale.name})"
        if self.change == Change.CRITERIA:
            return "New criteria at this level"
        if self.change == Change.UNCHANGED:
            return f"Stays at {self.to_scale.name}"
        if self.change == Change.LOWERED:
            steps = f" {_steps(-self.steps)}," if self.steps < -1 else ""
            return f"Drops{steps} from {self.from_scale.name} to {self.to_scale.name}"
        if self.change == Change.RAISED_MORE:
            return f"Rises {_steps(self.steps)}, from {self.from_scale.name} to {self.to_scale.name}"
        return f"Rises from {self.from_scale.name} to {self.to_scale.name}"

    @property
    def tag(self) -> str:
        """A short tag for the level page, e.g. "Rises from Working" or "New at this level"."""
        if self.change == Change.NEW:
            return "New at this level"
        if self.change in (Change.RAISED, Change.RAISED_MORE):
            return f"Rises from {self.from_scale.name}"
        if self.change == Change.LOWERED:
            return f"Lower than before ({self.from_scale.name})"
        if self.change == Change.DROPPED:
            return "No longer asked"
        if self.change == Change.CRITERIA:
            return "New criteria"
        return ""


@dataclass(frozen=True)
class LevelComparison:
    from_level: object
    to_level: object
    changes: list[CapabilityChange]

    def count(self, *kinds: Change) -> int:
        return sum(1 for change in self.changes if change.change in kinds)

    @property
    def risen(self) -> int:
        return self.count(Change.RAISED, Change.RAISED_MORE)

    @property
    def new(self) -> int:
        return self.count(Change.NEW)

    @property
    def unchanged(self) -> int:
        return self.count(Change.UNCHANGED)

    @property
    def lowered(self) -> int:
        return self.count(Change.LOWERED)

    @property
    def dropped(self) -> int:
        return self.count(Change.DROPPED)

    @property
    def by_capability_key(self) -> dict[str, CapabilityChange]:
        return {change.capability.key: change for change in self.changes}

    def groups(self) -> list[tuple[Change, str, list[CapabilityChange]]]:
        """Non-empty groups in page order: (change, heading, rows)."""
        grouped = []
        for kind in CHANGE_ORDER:
            rows = [change for change in self.changes if change.change == kind]
            if rows:
                grouped.append((kind, CHANGE_HEADINGS[kind], rows))
        return grouped

    @property
    def summary(self) -> str:
        """E.g. "5 capabilities rise, 2 are new, 1 is no longer asked"."""
        clauses = [
            (count, singular, plural)
            for count, singular, plural in (
                (self.risen, "rises", "rise"),
                (self.count(Change.CRITERIA), "has new criteria", "have new criteria"),
                (self.new, "is new", "are new"),
                (self.lowered, "is lower", "are lower"),
                (self.dropped, "is no longer asked", "are no longer asked"),
            )
            if count
        ]
        if not clauses:
            if not self.changes:
                return "neither level asks for any capability"
            return (
                f"nothing changes: {_plural(self.unchanged, 'the capability stays', 'all capabilities stay')} the same"
            )
        words = []
        for index, (count, singular, plural) in enumerate(clauses):
            # Only the first clause names what is counted: "5 capabilities rise, 2 are new".
            noun = f" {_plural(count, 'capability', 'capabilities')}" if index == 0 else ""
            words.append(f"{count}{noun} {_plural(count, singular, plural)}")
        return ", ".join(words)

    @property
    def headline(self) -> str:
        """E.g. "From Product Manager to Senior Product Manager: 5 capabilities rise, 2 are new"."""
        return f"From {self.from_level.name} to {self.to_level.name}: {self.summary}"


def _sort_key(capability) -> tuple:
    return (capability.area.position, capability.area_id, capability.position, capability.pk)


def text_changes(before: str, after: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Two texts as runs of (text, changed), word by word: the words only `before` has, and only `after` has,
    are the changed runs; runs keep their spacing, so joined they give the texts back."""
    old, new = re.findall(r"\S+\s*", before), re.findall(r"\S+\s*", after)
    old_runs: list[tuple[str, bool]] = []
    new_runs: list[tuple[str, bool]] = []
    matcher = SequenceMatcher(a=[w.strip().lower() for w in old], b=[w.strip().lower() for w in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old_runs.append(("".join(old[i1:i2]), op != "equal"))
        if j2 > j1:
            new_runs.append(("".join(new[j1:j2]), op != "equal"))
    return old_runs, new_runs


def compare_levels(
    from_level, to_level, *, criteria: bool = False, expectations: dict | None = None
) -> LevelComparison:
    """What changes from one level to another, on the same track, across tracks or across versions.

    With `criteria` (a criteria framework, where every expectation is at "meets"), a capability both levels
    ask for changes when its criteria (the expectation's text) do. `expectations`: each level's expectations by
    level pk, read already, instead of the levels' prefetched `expectations`."""

    def of(level):
        return expectations[level.pk] if expectations is not None else level.expectations.all()

    before = {expectation.capability.key: expectation for expectation in of(from_level)}
    after = {expectation.capability.key: expectation for expectation in of(to_level)}
    changes = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        change = classify(old.scale_level.rank if old else None, new.scale_level.rank if new else None)
        if criteria and change == Change.UNCHANGED and old.description != new.description:
            change = Change.CRITERIA
        capability = (new or old).capability
        changes.append(CapabilityChange(capability, change, old, new))
    changes.sort(key=lambda row: (CHANGE_ORDER.index(row.change), -row.steps, _sort_key(row.capability)))
    return LevelComparison(from_level, to_level, changes)


# Version to version ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Renamed:
    key: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class Moved:
    """A capability that now sits in another area."""

    capability: object
    old_area: str
    new_area: str


@dataclass(frozen=True)
class LevelMove:
    """A level whose grade changed. (A level is followed by its track and key: on another track it is another
    level, so a level that changes track is reported as removed from one track and added to the other.)"""

    level: object
    what: str


@dataclass(frozen=True)
class ExpectationChange:
    capability: object  # of the new version, or of the old one when no longer asked
    change: Change
    old_scale: object | None
    new_scale: object | None

    @property
    def label(self) -> str:
        if self.change == Change.NEW:
            return f"Now asked at {self.new_scale.name}"
        if self.change == Change.DROPPED:
            return f"No longer asked (was {self.old_scale.name})"
        steps = self.new_scale.rank - self.old_scale.rank
        if steps > 0:
            return f"Raised {_steps(steps)}, from {self.old_scale.name} to {self.new_scale.name}"
        return f"Lowered {_steps(-steps)}, from {self.old_scale.name} to {self.new_scale.name}"


@dataclass(frozen=True)
class LevelExpectationChanges:
    level: object  # of the new version
    changes: list[ExpectationChange]


@dataclass
class VersionDiff:
    old: object
    new: object
    capabilities_added: list = field(default_factory=list)
    capabilities_removed: list = field(default_factory=list)
    capabilities_renamed: list[Renamed] = field(default_factory=list)
    capabilities_moved: list[Moved] = field(default_factory=list)
    levels_added: list = field(default_factory=list)
    levels_removed: list = field(default_factory=list)
    levels_renamed: list[Renamed] = field(default_factory=list)
    levels_moved: list[LevelMove] = field(default_factory=list)
    expectations: list[LevelExpectationChanges] = field(default_factory=list)

    def expectation_count(self, *kinds: Change) -> int:
        return sum(1 for level in self.expectations for change in level.changes if change.change in kinds)

    @property
    def raised(self) -> int:
        return self.expectation_count(Change.RAISED, Change.RAISED_MORE)

    @property
    def lowered(self) -> int:
        return self.expectation_count(Change.LOWERED)

    @property
    def newly_asked(self) -> int:
        return self.expectation_count(Change.NEW)

    @property
    def no_longer_asked(self) -> int:
        return self.expectation_count(Change.DROPPED)

    @property
    def has_changes(self) -> bool:
        return any(
            (
                self.capabilities_added,
                self.capabilities_removed,
                self.capabilities_renamed,
                self.capabilities_moved,
                self.levels_added,
                self.levels_removed,
                self.levels_renamed,
                self.levels_moved,
                self.expectations,
            )
        )

    @property
    def summary_parts(self) -> list[str]:
        """Each kind of change in plain words, e.g. ["1 capability added", "3 expectations raised"]."""

        def things(count, singular, plural, what):
            return f"{count} {_plural(count, singular, plural)} {what}"

        parts = []
        for items, what in (
            (self.capabilities_added, "added"),
            (self.capabilities_removed, "removed"),
            (self.capabilities_renamed, "renamed"),
            (self.capabilities_moved, "moved to another area"),
        ):
            if items:
                parts.append(things(len(items), "capability", "capabilities", what))
        for items, what in (
            (self.levels_added, "added"),
            (self.levels_removed, "removed"),
            (self.levels_renamed, "renamed"),
            (self.levels_moved, "moved"),
        ):
            if items:
                parts.append(things(len(items), "level", "levels", what))
        for count, what in (
            (self.raised, "raised"),
            (self.lowered, "lowered"),
            (self.newly_asked, "newly asked"),
            (self.no_longer_asked, "no longer asked"),
        ):
            if count:
                parts.append(things(count, "expectation", "expectations", what))
        return parts

    @property
    def summary(self) -> str:
        heading = f"From version {self.old.version} to version {self.new.version}"
        if not self.has_changes:
            return f"{heading}: no capability, level or expected mastery changed."
        return f"{heading}: {', '.join(self.summary_parts)}."


def _by_key(items) -> dict:
    return {item.key: item for item in items}


def diff_versions(old, new) -> VersionDiff:
    """What changed from framework version `old` to version `new` (of the same key)."""
    diff = VersionDiff(old=old, new=new)
    old_caps, new_caps = _by_key(old.capabilities.all()), _by_key(new.capabilities.all())
    old_areas = {area.pk: area for area in old.areas.all()}
    new_areas = {area.pk: area for area in new.areas.all()}
    diff.capabilities_added = [cap for key, cap in new_caps.items() if key not in old_caps]
    diff.capabilities_removed = [cap for key, cap in old_caps.items() if key not in new_caps]
    for key, cap in new_caps.items():
        before = old_caps.get(key)
        if before is None:
            continue
        if before.name != cap.name:
            diff.capabilities_renamed.append(Renamed(key, before.name, cap.name))
        old_area, new_area = old_areas[before.area_id], new_areas[cap.area_id]
        if old_area.key != new_area.key:
            diff.capabilities_moved.append(Moved(cap, old_area.name, new_area.name))

    old_levels = {level.ref: level for level in old.levels.all()}
    new_levels = {level.ref: level for level in new.levels.all()}
    diff.levels_added = [level for ref, level in new_levels.items() if ref not in old_levels]
    diff.levels_removed = [level for ref, level in old_levels.items() if ref not in new_levels]
    for ref, level in new_levels.items():
        before = old_levels.get(ref)
        if before is None:
            continue
        if before.name != level.name:
            diff.levels_renamed.append(Renamed(ref, before.name, level.name))
        if before.grade != level.grade:
            diff.levels_moved.append(LevelMove(level, f"grade changed from {before.grade} to {level.grade}"))

        # Capabilities that came or went as a whole are reported above, not at every level.
        before_asks = {e.capability.key: e for e in before.expectations.all() if e.capability.key in new_caps}
        after_asks = {e.capability.key: e for e in level.expectations.all() if e.capability.key in old_caps}
        changes = []
        for cap_key in before_asks.keys() | after_asks.keys():
            was, now = before_asks.get(cap_key), after_asks.get(cap_key)
            change = classify(was.scale_level.rank if was else None, now.scale_level.rank if now else None)
            if change == Change.UNCHANGED:
                continue
            changes.append(
                ExpectationChange(
                    new_caps[cap_key], change, was.scale_level if was else None, now.scale_level if now else None
                )
            )
        if changes:
            changes.sort(key=lambda row: (CHANGE_ORDER.index(row.change), _sort_key(row.capability)))
            diff.expectations.append(LevelExpectationChanges(level, changes))
    return diff

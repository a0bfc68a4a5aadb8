"""Readiness for a target level: a verdict (Ready, Nearly, Not yet) and the reasons behind it.

The verdict's words are `assessments.reviews.verdict.Verdict`, which the manager's recommendation uses too.

Pure: the caller passes, per capability, the expected rank at the person's current level, the
expected rank at the target level and the effective rating (the agreed rating when there is one,
else the manager's), plus the framework's readiness rule. Nothing here queries the database.

The rule, with the framework's fields (defaults in brackets):

- **Ready** when
  - every expectation of the current level is met (`readiness_requires_current_level`, on),
  - at least `readiness_target_share` % of the target level's expectations are met (80 %),
  - no capability is more than `readiness_max_steps_below` steps below the target (1), and
  - every capability the target asks for is rated.
- **Nearly** when not Ready, but
  - the current level is met (when the rule requires it),
  - at most NEARLY_MAX_SHORT (2) more target expectations would have to be met to reach the share, and
  - no capability is more than `readiness_max_steps_below + 1` steps below the target.
  Capabilities left unrated stop a Ready but not a Nearly: rating them may be all that is missing.
- **Not yet** otherwise.

Capabilities the target level does not ask for are ignored for the target, and those the
current level does not ask for are ignored for the current level. A capability rated "not
applicable" is left out of both (it counts neither for nor against the share).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assessments.reviews.verdict import Verdict

NEARLY_MAX_SHORT = 2


@dataclass(frozen=True)
class Rule:
    target_share: int = 80
    max_steps_below: int = 1
    requires_current_level: bool = True

    @classmethod
    def for_framework(cls, framework) -> Rule:
        return cls(
            target_share=framework.readiness_target_share,
            max_steps_below=framework.readiness_max_steps_below,
            requires_current_level=framework.readiness_requires_current_level,
        )

    @property
    def description(self) -> str:
        """The rule in plain words, for the page footnote."""
        parts = []
        if self.requires_current_level:
            parts.append("meets every expectation of the current level")
        parts.append(f"meets at least {self.target_share}% of the target level's expectations")
        parts.append(f"no capability more than {_steps(self.max_steps_below)} below the target")
        return "Ready means: " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."


@dataclass(frozen=True)
class Standing:
    """One capability: what the two levels ask for and the effective rating (ranks; None = not asked / unrated)."""

    name: str
    expected_now: int | None
    expected_target: int | None
    rating: int | None
    not_applicable: bool = False

    @property
    def rated(self) -> bool:
        return self.rating is not None or self.not_applicable

    @property
    def gap(self) -> int | None:
        """Steps below the target (positive), 0 when met, None when it cannot be told."""
        if self.expected_target is None or self.rating is None or self.not_applicable:
            return None
        return max(0, self.expected_target - self.rating)


@dataclass
class Readiness:
    verdict: Verdict
    reasons: list[str]  # one line per distinct reason, each capability named once
    headline: str  # the first reason without names, for tight spaces (the team heatmap)
    target_name: str
    current_name: str | None
    asked: int = 0  # capabilities the target asks for, not counting "not applicable"
    met: int = 0
    below_target: list[str] = field(default_factory=list)
    below_current: list[str] = field(default_factory=list)
    too_far_below: list[str] = field(default_factory=list)
    unrated: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    largest_gap: int = 0
    needed: int = 0  # target expectations to be met for the share

    @property
    def label(self) -> str:
        return self.verdict.label

    @property
    def summary(self) -> str:
        """The chip's text and its first reason, e.g. "Nearly: 2 capabilities below …"."""
        return f"{self.label}: {self.reasons[0]}" if self.reasons else self.label

    @property
    def holding_back(self) -> list[str]:
        """Names of the capabilities that hold the verdict back, each once, most serious first."""
        seen: list[str] = []
        for name in (*self.below_current, *self.too_far_below, *self.below_target, *self.unrated):
            if name not in seen:
                seen.append(name)
        return seen


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _steps(count: int) -> str:
    return "1 step" if count == 1 else f"{count} steps"


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _by_steps(names: list[str], gaps: dict[str, int], allowed: int) -> str:
    """ ": A, B" or, when some are further below than Ready allows, the names grouped by steps, furthest first."""
    if all(gaps[name] <= allowed for name in names):
        return f": {_names(names)}"
    parts = []
    for steps in sorted({gaps[name] for name in names}, reverse=True):
        note = f" (Ready allows {allowed})" if steps > allowed and not parts else ""
        parts.append(f"by {_steps(steps)}{note}: {_names([name for name in names if gaps[name] == steps])}")
    return ", " + "; ".join(parts)


def _below(count: int, what: str) -> str:
    """A headline's words for capabilities rated below a level ("2 capabilities below Senior PM")."""
    return f"{_plural(count, 'capability', 'capabilities')} below {what}"


def _not_rated(count: int) -> str:
    return f"{_plural(count, 'capability', 'capabilities')} not rated yet"


def _current_reason(below_current: list[str], below_target: list[str], current_name: str) -> tuple[str, str]:
    """Below the current level, naming only those the line on the target has not named already."""
    also = [name for name in below_current if name in below_target]
    others = [name for name in below_current if name not in below_target]
    level = f"the current level, {current_name}"
    if not others:
        if len(below_target) == 1:
            return f"It is also below {level}", f"It is also below {level}"
        count = f"All {len(also)}" if len(also) == len(below_target) else f"{len(also)} of these"
        return f"{count} also below {level}", f"{count} {'is' if len(also) == 1 else 'are'} also below {level}"
    headline = _below(len(below_current), level)
    tail = f", and {len(also)} of those named above" if also else ""
    return headline, f"{headline}: {_names(others)}{tail}"


def _unrated(standings: list[Standing], rule: Rule) -> list[str]:
    """Capabilities left unrated that the target asks for, or the current level when the rule requires it."""
    return [
        s.name
        for s in standings
        if s.rating is None
        and not s.not_applicable
        and (s.expected_target is not None or (rule.requires_current_level and s.expected_now is not None))
    ]


def _verdict(rule: Rule, *, current_ok: bool, short: int, gaps: dict[str, int], unrated: list[str]) -> Verdict:
    """Ready, Nearly or Not yet (the rule is spelled out at the top of this module)."""
    too_far = [name for name, gap in gaps.items() if gap > rule.max_steps_below]
    far_beyond_nearly = [name for name, gap in gaps.items() if gap > rule.max_steps_below + 1]
    if current_ok and short == 0 and not too_far and not unrated:
        return Verdict.READY
    if current_ok and short <= NEARLY_MAX_SHORT and not far_beyond_nearly:
        return Verdict.NEARLY
    return Verdict.NOT_YET


def _shortfall_reasons(
    rule: Rule,
    target_name: str,
    current_name: str | None,
    below_target: list[str],
    gaps: dict[str, int],
    below_current: list[str],
    unrated: list[str],
) -> list[tuple[str, str]]:
    """(headline, full reason) for what falls short: below the target, below the current level, unrated."""
    reasons = []
    if below_target:
        headline = _below(len(below_target), target_name)
        reasons.append((headline, f"{headline}{_by_steps(below_target, gaps, rule.max_steps_below)}"))
    if rule.requires_current_level and below_current and current_name:
        reasons.append(_current_reason(below_current, below_target, current_name))
    if unrated:
        headline = _not_rated(len(unrated))
        reasons.append((headline, f"{headline}: {_names(unrated)}"))
    return reasons


def _share_reason(rule: Rule, target_name: str, met: int, asked: int) -> tuple[str, str]:
    """(headline, full reason) for the share of the target's expectations met."""
    if not asked:
        return (f"{target_name} asks for no capability that applies",) * 2
    share = round(100 * met / asked)
    headline = f"Meets {met} of {asked} expectations of {target_name}"
    return headline, f"{headline} ({share}%; Ready needs {rule.target_share}%)"


def assess(standings: list[Standing], rule: Rule, target_name: str, current_name: str | None = None) -> Readiness:
    """The verdict and its reasons for one person against one target level."""
    target_asked = [s for s in standings if s.expected_target is not None and not s.not_applicable]
    current_asked = [s for s in standings if s.expected_now is not None and not s.not_applicable]
    unrated = _unrated(standings, rule)
    met = [s for s in target_asked if s.rating is not None and s.rating >= s.expected_target]
    below_target = [s for s in target_asked if s.rating is not None and s.rating < s.expected_target]
    below_names = [s.name for s in below_target]
    gaps = {s.name: s.expected_target - s.rating for s in below_target}
    below_current = [s.name for s in current_asked if s.rating is not None and s.rating < s.expected_now]

    asked = len(target_asked)
    needed = math.ceil(asked * rule.target_share / 100)
    current_ok = not rule.requires_current_level or not below_current
    verdict = _verdict(rule, current_ok=current_ok, short=max(0, needed - len(met)), gaps=gaps, unrated=unrated)

    reasons = _shortfall_reasons(rule, target_name, current_name, below_names, gaps, below_current, unrated)
    share_reason = _share_reason(rule, target_name, len(met), asked)
    if verdict == Verdict.READY:
        # What makes it Ready comes first; anything still below follows.
        reasons.insert(0, share_reason)
        if rule.requires_current_level and current_name:
            reasons.insert(1, (f"Meets every expectation of the current level, {current_name}",) * 2)
    else:
        reasons.append(share_reason)

    return Readiness(
        verdict=verdict,
        reasons=[full for _, full in reasons],
        headline=reasons[0][0],
        target_name=target_name,
        current_name=current_name,
        asked=asked,
        met=len(met),
        below_target=below_names,
        below_current=below_current if rule.requires_current_level else [],
        too_far_below=[name for name, gap in gaps.items() if gap > rule.max_steps_below],
        unrated=unrated,
        not_applicable=[s.name for s in standings if s.not_applicable],
        largest_gap=max(gaps.values(), default=0),
        needed=needed,
    )


@dataclass(frozen=True)
class VerdictSummary:
    """A verdict and its first reason without names (`Readiness.headline`), from counts alone: what a row about
    one person shows where the database computed the verdict (`verdicts.py`)."""

    verdict: Verdict
    headline: str

    @property
    def label(self) -> str:
        return self.verdict.label


def summarise(
    verdict: Verdict,
    target_name: str,
    current_name: str | None,
    *,
    asked: int,
    met: int,
    below_target: int,
    below_current: int,
    unrated: int,
) -> VerdictSummary:
    """The verdict with the headline `assess` gives for the same counts (`below_current` counted only when the rule
    requires the current level, and 0 when there is no other current level)."""
    share = _share_reason(Rule(), target_name, met, asked)[0]
    if verdict == Verdict.READY:
        return VerdictSummary(verdict, share)
    if below_target:
        headline = _below(below_target, target_name)
    elif below_current and current_name:
        headline = _below(below_current, f"the current level, {current_name}")
    elif unrated:
        headline = _not_rated(unrated)
    else:
        headline = share
    return VerdictSummary(verdict, headline)

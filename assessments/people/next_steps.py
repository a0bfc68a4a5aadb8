"""Where a person can go next from their level: the next rung on their track, and peers on other tracks."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from frameworks.comparison import LevelComparison, compare_levels
from frameworks.models import Level
from frameworks.reading import read_expectations


def indefinite_article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _reverse_or_none(name, args):
    # The catalogue's pages may not be routed in every deployment of this app (and were added after it).
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def level_url(level) -> str | None:
    framework = level.framework
    return _reverse_or_none("frameworks:level", [framework.key, framework.version, level.track.key, level.key])


def compare_url(from_level, to_level) -> str | None:
    base = _reverse_or_none("frameworks:compare", [from_level.framework.key, from_level.framework.version])
    if base is None:
        return None
    # Levels are named "track-key/level-key"; a slash is fine in a query string and reads better unescaped.
    return f"{base}?{urlencode({'from': from_level.ref, 'to': to_level.ref}, safe='/')}"


def framework_url(framework) -> str | None:
    return _reverse_or_none("frameworks:detail", [framework.key, framework.version])


@dataclass
class Step:
    """A level someone could move to, with what changes on the way."""

    level: Level
    comparison: LevelComparison
    compare_url: str | None
    level_url: str | None

    @property
    def summary(self) -> str:
        return self.comparison.summary


@dataclass
class NextSteps:
    current: Level
    current_url: str | None
    framework_url: str | None
    on_track: Step | None = None
    across_tracks: list[Step] = field(default_factory=list)
    # What each level read here expects, {level pk: {capability key: expectation}}, for a comparison on the same page.
    expectations: dict = field(default_factory=dict)
    # The levels read here (the whole track and one grade up), with their track and framework, for the same page.
    levels: list = field(default_factory=list)


def next_steps(level: Level | None) -> NextSteps | None:
    """The next level on `level`'s track, and the levels one grade up on the framework's other tracks.

    Two queries whatever the framework's size: the candidate levels, then their expectations.
    """
    if level is None:
        return None
    # The rungs of the level's own track, and the levels one grade up on the other tracks.
    candidates = list(
        Level.objects.filter(framework_id=level.framework_id)
        .filter(Q(track_id=level.track_id) | Q(grade=level.grade + 1))
        .select_related("track")
        .order_by("track__position", "position", "pk")
    )
    for candidate in candidates:
        candidate.framework = level.framework  # all of one framework, `level`'s, read with it
    on_track = Level.next_on_track_among(candidates).get(level.pk)
    across = [candidate for candidate in candidates if candidate.track_id != level.track_id]
    # The candidates are loaded with their track and framework already: only their expectations are read.
    current = next((candidate for candidate in candidates if candidate.pk == level.pk), level)
    wanted = [current, *([on_track] if on_track else []), *across]
    # Read and grouped here rather than prefetched onto the levels: Django's prefetch machinery cost more than the
    # query (about 2.5 ms against 7 at 20,000 people). Each capability, area and scale level is built once.
    expectations = {item.pk: [] for item in wanted}
    for expectation in read_expectations(expectations.keys()):
        expectations[expectation.level_id].append(expectation)

    def step(target):
        return Step(
            level=target,
            comparison=compare_levels(
                current, target, criteria=target.framework.is_criteria, expectations=expectations
            ),
            compare_url=compare_url(level, target),
            level_url=level_url(target),
        )

    return NextSteps(
        current=level,
        current_url=level_url(level),
        framework_url=framework_url(level.framework),
        on_track=step(on_track) if on_track else None,
        across_tracks=[step(candidate) for candidate in across],
        expectations={
            pk: {expectation.capability.key: expectation for expectation in rows} for pk, rows in expectations.items()
        },
        levels=candidates,
    )

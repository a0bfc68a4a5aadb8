"""The plan of a generated organisation: names, the catalogue it is placed on, the reporting tree and who
sits where — a pure function of the seed, written to the database by `assessments/orggen.py`."""

import datetime
import random
from collections import deque
from dataclasses import dataclass, field

from django.core.management import call_command

from frameworks.models import Expectation, Framework, Level

DOMAIN = "org.example"
PASSWORD = "pathway-org"
CYCLE_SUFFIX = " (generated)"
HR_EMAIL = f"hr@{DOMAIN}"
GOV, TRACKS = "gov-product-management", "product-tracks"
BATCH = 2000
JOINED = datetime.datetime(2023, 1, 9, 9, 0, tzinfo=datetime.UTC)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Ada Alex Amara Ben Bea Chloe Chen Dan Dev Diana Eli Ella Emeka Fatima Finn Freya Gita Grace Hana Harriet "
    "Hugo Ian Ines Isla Jack Jade Jonas Kai Kemi Kofi Lara Leo Lina Luca Maya Mei Milo Nadia Nia Noah Omar "
    "Orla Priya Quinn Ravi Rosa Ruth Sam Sana Sofia Tariq Tess Theo Uma Vera Wale Will Yara Yusuf Zoe"
)
LAST_NAMES = _words(
    "Adams Ahmed Ali Baker Banerjee Brown Campbell Carter Chen Clarke Davies Diaz Edwards Evans Fischer "
    "Garcia Green Hall Hughes Iyer Jackson Jones Kaur Khan Kim Lambert Lee Lewis Lopez Martin Mensah Miller "
    "Morgan Murphy Nguyen Novak Okafor Osei Park Patel Quinn Rossi Shah Silva Singh Smith Taylor Thomas "
    "Turner Walsh Wang Ward Watson White Williams Wilson Wood Wright Young Zhang"
)
TEAMS = _words(
    "Payments Onboarding Search Checkout Growth Identity Messaging Billing Mobile Platform Data Insights "
    "Pricing Renewals Accounts Catalogue Partners Support Notifications Reporting Security Marketplace "
    "Content Trust Licensing Benefits Permits Bookings Claims Records"
)

# Evidence is written from a small word list: a few parts per sentence, one to four sentences.
DID = "Led Ran Shipped Wrote Reworked Planned Measured Tested Simplified Agreed Presented Coached Reviewed Mapped"
WHAT = (
    "the onboarding flow|the pricing page|the quarterly roadmap|the search results|the checkout|the renewal "
    "journey|the data model|the support backlog|the release plan|the discovery sprint|the research plan|the "
    "metrics dashboard|the partner API|the mobile app|the design review|the service assessment"
)
WITH = (
    "with engineering|with the design team|with finance|with three other teams|with operations|with the data "
    "team|with our users|with the leadership team|with the policy team|on my own"
)
RESULT = (
    "and cut drop-off by 12%|so the team could ship every week|which halved the support tickets|and the board "
    "agreed the plan|so decisions are now written down|which raised completion from 71% to 84%|ahead of the "
    "deadline|without adding anyone to the team|and the team now runs it without me|after two rounds of user "
    "research|and stopped two projects that would not pay back|and it is now part of induction"
)
NOTES = (
    "Agreed in the review conversation.",
    "We settled on the manager's view after looking at the examples together.",
    "The self-assessment had the stronger evidence here.",
    "Agreed after discussing the roadmap work.",
)


# The catalogue the organisation is placed on ---------------------------------------------------------------


@dataclass
class Rung:
    """One published level, with what its assessments need: the next rung and its expectations."""

    pk: int
    key: str
    name: str
    framework: str
    track_kind: str
    next: "Rung | None" = None
    expectations: list[tuple[int, int]] = field(default_factory=list)  # (capability id, expected rank)
    scale: dict[int, int] = field(default_factory=dict)  # rank → scale level id

    @property
    def target(self) -> "Rung":
        """What an assessment of someone on this rung is against: the next rung, or this one at the top."""
        return self.next or self


# Who sits where: (framework, role) → rungs and their weights; roles are ceo, head, upper, first_line, ic.
PLACES = {
    (TRACKS, "ceo"): [("cpo", 1)],
    (TRACKS, "head"): [("head-of-product", 1)],
    (TRACKS, "upper"): [("head-of-product", 1)],
    (TRACKS, "first_line"): [("group-pm", 1)],
    (TRACKS, "ic"): [("pm", 45), ("senior-pm", 35), ("principal-pm", 20)],
    (GOV, "ceo"): [("hop", 1)],
    (GOV, "head"): [("hop", 1)],
    (GOV, "upper"): [("hop", 1)],
    (GOV, "first_line"): [("lpm", 1)],
    (GOV, "ic"): [("apm", 15), ("pm", 45), ("spm", 40)],
}


def load_catalogue() -> dict[tuple[str, str], Rung]:
    """(framework key, level key) → Rung for both default frameworks, loading them first if missing."""
    if Framework.objects.published().filter(key__in=[GOV, TRACKS]).count() < 2:
        call_command("load_default_frameworks", stdout=_Quiet())
    levels = list(
        Level.objects.filter(framework__status=Framework.Status.PUBLISHED, framework__key__in=[GOV, TRACKS])
        .select_related("framework", "track")
        .order_by("framework__key", "track__position", "position", "pk")
    )
    rungs = {
        (level.framework.key, level.key): Rung(level.pk, level.key, level.name, level.framework.key, level.track.kind)
        for level in levels
    }
    by_pk = {rung.pk: rung for rung in rungs.values()}
    for pk, following in Level.next_on_track_among(levels).items():
        by_pk[pk].next = by_pk[following.pk]
    expectations = (
        Expectation.objects.filter(level__in=levels)
        .select_related("scale_level")
        .order_by("level_id", "capability__area__position", "capability__position", "capability__key")
    )
    for expectation in expectations:
        rung = by_pk[expectation.level_id]
        rung.expectations.append((expectation.capability_id, expectation.scale_level.rank))
    for framework in Framework.objects.published().filter(key__in=[GOV, TRACKS]).prefetch_related("scale_levels"):
        scale = {level.rank: level.pk for level in framework.scale_levels.all()}
        for rung in rungs.values():
            if rung.framework == framework.key:
                rung.scale = scale
    return rungs


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


# The organisation: a pure plan, from the seed alone -------------------------------------------------------


@dataclass
class Member:
    """One planned person. `manager` is an index into the plan, which lists managers before their reports."""

    email: str
    name: str
    job_title: str
    rung: Rung | None
    manager: int | None
    depth: int
    ability: float = 0.0  # how far above their next level's expectations they work, in scale steps
    self_bias: float = 0.0  # how generously they rate themself
    leniency: float = 0.0  # how generously they rate their reports
    hr_admin: bool = False


def tree_shape(size: int, rng: random.Random) -> list[int | None]:
    """Managers of a reporting tree of `size` people, top-down: `parents[i]` is the index of i's manager.

    Built bottom-up: first-line managers of 6–10, each layer above grouping 3–8 managers, until at most 15
    heads remain; they report to the CEO (index 0). A tiny organisation is a CEO with everyone reporting to them.
    """
    if size <= 11:
        return [None] + [0] * (size - 1)
    teams = max(1, round(size / 9.2))
    first_line = [[] for _ in range(teams)]  # a manager is the list of their reports
    layer, uppers = first_line, 0
    while len(layer) > 15:
        if len(layer) <= 8 * 15:  # the last layer: between 5 and 15 heads, with 3 to 8 reports each
            heads = rng.randint(-(-len(layer) // 8), min(15, len(layer) // 3))
            cuts = [len(layer) * i // heads for i in range(heads + 1)]
        else:
            cuts = [0]
            while cuts[-1] < len(layer):
                cuts.append(cuts[-1] + rng.randint(3, 8))
            cuts[-1] = len(layer)
            if cuts[-1] - cuts[-2] < 3:  # too small a last group: it joins the one before
                del cuts[-2]
        layer = [layer[start:end] for start, end in zip(cuts, cuts[1:], strict=False)]
        uppers += len(layer)
    ceo = layer
    _spread(first_line, size - 1 - teams - uppers, rng)
    parents: list[int | None] = [None]
    queue = deque([(ceo, 0)])
    while queue:
        node, index = queue.popleft()
        for child in node:
            parents.append(index)
            if isinstance(child, list):
                queue.append((child, len(parents) - 1))
    return parents


def _spread(teams: list[list], contributors: int, rng: random.Random):
    """Give the first-line managers `contributors` reports in all, 6–10 each (wider only if that cannot add up)."""
    low = min(6, contributors // len(teams))
    high = max(10, -(-contributors // len(teams)))
    spans = [rng.randint(low, high) for _ in teams]
    missing = contributors - sum(spans)
    while missing:
        i = rng.randrange(len(spans))
        if missing > 0 and spans[i] < high:
            spans[i] += 1
            missing -= 1
        elif missing < 0 and spans[i] > low:
            spans[i] -= 1
            missing += 1
    for team, span in zip(teams, spans, strict=True):
        team.extend(0 for _ in range(span))  # a 0 is an individual contributor


def plan_org(size: int, rng: random.Random, rungs: dict[tuple[str, str], Rung]) -> list[Member]:
    """Everyone in the organisation, managers before their reports, the HR admin last. Reads only `rng`."""
    parents = tree_shape(size - 1, rng)
    has_reports = {parent for parent in parents if parent is not None}
    manages_managers = {parents[i] for i in has_reports if parents[i] is not None}
    depth = [0] * len(parents)
    branch = [0] * len(parents)  # which of the CEO's reports this person is under
    for i, parent in enumerate(parents):
        if parent is not None:
            depth[i] = depth[parent] + 1
            branch[i] = i if parent == 0 else branch[parent]
    branch_numbers = {b: n for n, b in enumerate(sorted(set(branch[1:])))}
    taken: dict[str, int] = {}
    members = []
    for i, parent in enumerate(parents):
        framework = TRACKS if i == 0 or branch_numbers[branch[i]] % 2 == 0 else GOV
        role = _role(i, depth[i], has_reports, manages_managers)
        rung = rungs[(framework, _choose(PLACES[(framework, role)], rng))]
        name, email = _name(rng, taken)
        team = rng.choice(TEAMS)
        members.append(
            Member(
                email=email,
                name=name,
                job_title=rung.name if role == "ic" else f"{rung.name}, {team}",
                rung=rung,
                manager=parent,
                depth=depth[i],
                ability=rng.gauss(0.0, 0.5),
                self_bias=rng.gauss(0.3, 0.3),
                leniency=_leniency(rng),
            )
        )
    hr_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    members.append(Member(HR_EMAIL, hr_name, "HR business partner", None, 0, 1, hr_admin=True))
    return members


def _role(index: int, depth: int, has_reports: set[int], manages_managers: set[int]) -> str:
    if index == 0:
        return "ceo"
    if index not in has_reports:
        return "ic"
    if index not in manages_managers:
        return "first_line"
    return "head" if depth == 1 else "upper"


def _choose(weighted: list[tuple[str, int]], rng: random.Random) -> str:
    keys, weights = zip(*weighted, strict=True)
    return rng.choices(keys, weights)[0]


def _name(rng: random.Random, taken: dict[str, int]) -> tuple[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower()
    taken[local] = taken.get(local, 0) + 1
    number = taken[local]
    return f"{first} {last}", f"{local}{number if number > 1 else ''}@{DOMAIN}"


def _leniency(rng: random.Random) -> float:
    """Most managers rate close to the truth; a few are generous, a few are harsh (calibration finds them)."""
    roll = rng.random()
    if roll < 0.05:
        return 0.9
    if roll < 0.10:
        return -0.7
    return rng.gauss(0.0, 0.25)

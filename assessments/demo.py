"""Demo assessments on top of `seed_demo`'s organisation, so that `make run` shows a lived-in product.

A closed cycle "2026 H1" in which everyone assessed was finished (self-assessment submitted, manager
assessment shared), and an open cycle "2026 H2" part-way through: drafts, self-assessments waiting for
review, one returned for changes, a manager's draft and one outcome already shared.

The ratings are designed, not random, so that the reports tell a story an HR team can check:
- Leo rates close to what the level expects; his people rate themselves a little higher than he does.
- Grace rates generously (well above expectation, and above her people's own ratings): the calibration
  report calls her out.
- Nadia, the skip-level manager, rates her two managers a little below the next level.
- Verdicts spread across Ready, Nearly and Not yet, and each recommendation follows its verdict.

Safe to run again: a cycle that already has assessments is left alone.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from assessments.people.models import Person
from assessments.reports.readiness import Readiness, Rule, Standing, Verdict, assess
from assessments.reviews.forms import next_level
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from assessments.reviews.tallies import refresh_tallies
from assessments.reviews.verdict_sql import refresh_verdicts
from frameworks.models import Expectation

# Two ways to say what someone did, per capability of the default frameworks. {product} is the service or
# product the person works on; the sentences read the same whether the person or their manager wrote them.
EVIDENCE = {
    # Product management (Government Digital and Data)
    "applying-user-centred-insights": [
        "Joined every round of user research on {product}; two changes to the roadmap came straight from it.",
        "Turned the call-centre complaints about {product} into three problem statements the team now works to.",
    ],
    "creating-value-for-money": [
        "Stopped the paper-form rebuild on {product} after showing it would cost more than it saved.",
        "Wrote the cost-per-transaction case for {product} with finance; it is now reported every quarter.",
    ],
    "managing-product-outcomes": [
        "Agreed three outcome measures for {product} with the performance analyst and reports on them monthly.",
        "Moved the {product} team's goals from features shipped to completion rate; it went from 71% to 84%.",
    ],
    "product-management": [
        "Reframed the brief for {product} from 'a new portal' to 'fewer failed applications', and kept to it.",
        "Runs a visible backlog for {product}; the team can say why the top ten items are in that order.",
    ],
    "agile-and-lean-practices": [
        "Cut {product} releases from monthly to weekly with the tech lead, without more incidents.",
        "Ran the first prototype test of {product} within two weeks of alpha starting.",
    ],
    "life-cycle-management": [
        "Took {product} through its beta service assessment; the panel rated it met on every point.",
        "Planned the retirement of the old {product} forms with operations, including the offline route.",
    ],
    "strategic-ownership": [
        "Mapped the whole journey around {product}, phone and paper included, and fixed the hand-off to councils.",
        "Brought the three teams that touch {product} to one shared roadmap.",
    ],
    "stakeholder-relationship-management": [
        "Kept policy and operations on side through the {product} scope cut with fortnightly show and tells.",
        "Handled the minister's office questions about {product} directly, with evidence, within a day.",
    ],
    "product-leadership": [
        "Started the product community of practice lunch; twenty people now come each month.",
        "Explained to the portfolio board what a product manager adds, using {product} as the example.",
    ],
    "business-strategy": [
        "Linked the {product} roadmap to the department's savings target in the business plan.",
        "Wrote the options paper on moving {product} to a shared platform; the board chose option two.",
    ],
    "digital-transformation": [
        "Helped operations redesign the {product} casework process, not only the online form.",
        "Made the case for publishing {product} data openly; it went live in the spring.",
    ],
    "teaching": [
        "Ran the 'product basics' workshop for delivery managers twice this half.",
        "Wrote the team's guide to writing good problem statements, now part of induction.",
    ],
    "mentoring": [
        "Mentors an associate product manager from another directorate, meeting every fortnight.",
        "Mentored a new user researcher through their first discovery on {product}.",
    ],
    "coaching": [
        "Coaches the {product} delivery manager on running retros; they now run them on their own.",
        "Used coaching questions rather than answers in the {product} roadmap planning, and the team owned it.",
    ],
    "facilitating": [
        "Facilitated the {product} prioritisation session the three teams now repeat each quarter.",
        "Ran the {product} inception workshop with thirty people from policy, operations and digital.",
    ],
    # Product management (IC and management tracks)
    "prioritisation": [
        "Said no to the partner-portal request on {product} with a clear reason, and the sales lead agreed.",
        "Introduced cost-of-delay scoring for {product}; the quarterly plan took half the time.",
    ],
    "product-taste": [
        "Pushed back on a cluttered design for {product} and shipped a simpler one that tested better.",
        "Runs a weekly 'papercuts' session on {product}; forty small fixes shipped this half.",
    ],
    "hypotheses-and-experiments": [
        "Ran six A/B tests on {product} onboarding, each with a written hypothesis and a decision.",
        "Killed the referral feature on {product} after the experiment showed no lift, within two weeks.",
    ],
    "success-metrics": [
        "Defined activation for {product} and a churn guardrail; both are on the company dashboard.",
        "Caught a drop in {product} retention from the guardrail metric before the release went to everyone.",
    ],
    "empathy": [
        "Spends an hour a week on support calls for {product}, and brings one story to every planning.",
        "Noticed the on-call load on the {product} engineers and traded a feature for reliability work.",
    ],
    "communication": [
        "The {product} monthly update is one page and gets read: questions come back the same day.",
        "Wrote the decision record for the {product} pricing change; nobody had to ask what was decided.",
    ],
    "influencing-stakeholders": [
        "Won the data team's time for {product} by showing how it helped their own goals.",
        "Got marketing to delay the {product} launch a sprint, with evidence, and without a fight.",
    ],
    "growth-mindset": [
        "Asked for feedback after the {product} launch review and changed how roadmap reviews are run.",
        "Took the SQL course to answer {product} questions without waiting for an analyst.",
    ],
    "systems-thinking": [
        "Showed how the {product} change would load the billing team, and sequenced the work to avoid it.",
        "Mapped the dependencies between {product} and the two platforms it sits on.",
    ],
    "thinking-in-bets": [
        "Framed the {product} rebuild as three staged bets with exit points; the second was stopped early.",
        "Writes down the expected outcome before each {product} bet and reviews it a quarter later.",
    ],
    "product-market-fit": [
        "Ran the 'very disappointed' survey for {product} and narrowed the segment to the one above 40%.",
        "Spotted from usage data that small teams were the real {product} market and re-aimed the roadmap.",
    ],
    "strategy-and-roadmap": [
        "Wrote the one-year strategy for {product}; every item on the roadmap points back to it.",
        "Replaced the {product} feature list with a now/next/later roadmap tied to three outcomes.",
    ],
    "vision-setting": [
        "Wrote the three-year vision for {product}; engineers quote it in design reviews.",
        "Ran the vision workshop for {product} and turned it into a one-page narrative.",
    ],
    "clarity": [
        "Wrote down who decides what across the {product} teams; the same questions stopped coming up.",
        "Turned the vague 'grow enterprise' goal into three measurable goals for {product}.",
    ],
    "managing-dependencies": [
        "Sequenced the {product} and payments work so neither team waited on the other.",
        "Runs the fortnightly dependency review with the platform teams that {product} relies on.",
    ],
    "developing-talent": [
        "Gave a product manager the lead on the {product} pricing work and coached them through it.",
        "Spotted an engineer's interest in product and set up a six-month rotation onto {product}.",
    ],
    "creating-space": [
        "Let the {product} PMs present their own work at the all-hands rather than presenting it for them.",
        "Delegated the {product} quarterly planning to the team leads and stepped back to review.",
    ],
    "company-alignment": [
        "Mapped every {product} team goal to a company objective; two goals were dropped as a result.",
        "Brought the company strategy into {product} planning so teams knew which bets mattered most.",
    ],
    "org-design": [
        "Made the case for two more product managers on {product}, with the work they would unblock.",
        "Proposed splitting the {product} group by customer segment; the leadership team agreed.",
    ],
    "narratives": [
        "Told the {product} story at the company all-hands; sales reuse the slides with customers.",
        "Wrote the {product} board update; the chief executive used it unchanged.",
    ],
    "hiring-and-promotion": [
        "Sat on twelve product interview panels this half and wrote the take-home exercise.",
        "Helped write the promotion guide for product managers, with examples from {product}.",
    ],
    "market-awareness": [
        "Keeps a competitor log for {product}; it led to dropping a feature three rivals already did well.",
        "Interviewed ten prospects who chose a rival to {product} and shared what was learnt.",
    ],
}
GENERIC_EVIDENCE = [
    "Examples in the {product} show and tells this half.",
    "See the {product} retrospective notes.",
]

# What each person works on, for the evidence.
PRODUCTS = {
    "leo@example.com": "the benefits services",
    "alex@example.com": "Renew a Blue Badge",
    "ravi@example.com": "Apply for a fishing licence",
    "bea@example.com": "Report a pothole",
    "grace@example.com": "the platform group",
    "chloe@example.com": "the checkout",
    "dev@example.com": "the mobile app",
    "ella@example.com": "the payments API",
}


@dataclass(frozen=True)
class Plan:
    """One assessment to seed: ratings as steps from what the target level expects (`base` for every
    capability, `steps` per capability key), and what happened to it."""

    subject: str
    author: str
    cycle: str
    status: str
    day: str
    base: int = 0
    steps: dict = field(default_factory=dict)
    share: float = 1.0  # the part of the capabilities rated (a draft is left part-way through)
    comment: str = ""
    return_comment: str = ""


DONE = "shared"  # in a closed cycle everything was finished: self-assessments submitted, manager ones shared
H1, H2 = "2026 H1", "2026 H2"

PLANS = [
    # 2026 H1, closed. Leo's team: Ravi ready for Senior, Alex nearly ready for Lead.
    Plan(
        "ravi@example.com",
        "ravi@example.com",
        H1,
        "submitted",
        "2026-06-05",
        steps={"product-management": -1, "business-strategy": 1, "teaching": 1, "mentoring": 1},
    ),
    Plan(
        "ravi@example.com",
        "leo@example.com",
        H1,
        DONE,
        "2026-06-15",
        steps={"product-management": -1, "facilitating": 1, "applying-user-centred-insights": 1},
        comment="Ravi has grown a lot this half. The fishing licence research changed our roadmap twice, and "
        "the policy team now asks for him by name.",
    ),
    Plan(
        "alex@example.com",
        "alex@example.com",
        H1,
        "submitted",
        "2026-06-04",
        steps={"applying-user-centred-insights": -1, "strategic-ownership": -1, "teaching": -1},
    ),
    Plan(
        "alex@example.com",
        "leo@example.com",
        H1,
        DONE,
        "2026-06-16",
        steps={
            "applying-user-centred-insights": -1,
            "strategic-ownership": -1,
            "teaching": -1,
            "stakeholder-relationship-management": -1,
        },
        comment="Alex runs Blue Badge renewals with real authority. Working across the whole journey, including "
        "the councils, is the step to Lead.",
    ),
    # Grace's team: she rates generously.
    Plan(
        "chloe@example.com",
        "chloe@example.com",
        H1,
        "submitted",
        "2026-06-03",
        base=0,
        steps={"strategy-and-roadmap": -1, "thinking-in-bets": -1, "systems-thinking": -1, "empathy": 1},
    ),
    Plan(
        "chloe@example.com",
        "grace@example.com",
        H1,
        DONE,
        "2026-06-12",
        base=1,
        steps={"strategy-and-roadmap": -1, "thinking-in-bets": -1, "systems-thinking": -1},
        comment="Chloe's checkout work is excellent day to day: customers feel the care in it. To be senior she "
        "needs to look further ahead, to a roadmap of a year and the bets behind it.",
    ),
    Plan(
        "dev@example.com",
        "dev@example.com",
        H1,
        "submitted",
        "2026-06-02",
        base=0,
        steps={"market-awareness": -1, "narratives": 1},
    ),
    Plan(
        "dev@example.com",
        "grace@example.com",
        H1,
        DONE,
        "2026-06-12",
        base=1,
        comment="Dev already works as a principal: the app's onboarding experiments set the standard for the "
        "other teams.",
    ),
    # Nadia's two managers, against the next level.
    Plan(
        "leo@example.com",
        "leo@example.com",
        H1,
        "submitted",
        "2026-06-01",
        steps={"business-strategy": -1, "digital-transformation": -1},
    ),
    Plan(
        "leo@example.com",
        "nadia@example.com",
        H1,
        DONE,
        "2026-06-19",
        steps={"business-strategy": -1, "digital-transformation": -1, "mentoring": -1, "coaching": -1},
        comment="Leo's team is the steadiest in the directorate. Head of Product asks for more time on the "
        "department's strategy and on growing other leads.",
    ),
    Plan(
        "grace@example.com",
        "grace@example.com",
        H1,
        "submitted",
        "2026-06-01",
        steps={
            "org-design": -1,
            "hiring-and-promotion": -1,
            "company-alignment": -1,
            "narratives": -1,
            "vision-setting": -1,
            "clarity": -1,
        },
    ),
    Plan(
        "grace@example.com",
        "nadia@example.com",
        H1,
        DONE,
        "2026-06-19",
        steps={
            "org-design": -1,
            "hiring-and-promotion": -1,
            "company-alignment": -1,
            "narratives": -1,
            "vision-setting": -1,
            "clarity": -1,
            "managing-dependencies": -1,
        },
        comment="Grace built the platform group from two teams to four this year. The next step is organisation "
        "leadership: headcount cases, the hiring bar and the story to the executive team.",
    ),
    # 2026 H2, open: part-way through.
    Plan("ravi@example.com", "ravi@example.com", H2, "draft", "2026-11-02", share=0.45),
    Plan(
        "bea@example.com",
        "bea@example.com",
        H2,
        "draft",
        "2026-11-09",
        share=0.6,
        steps={"product-leadership": -1, "strategic-ownership": -1},
    ),
    Plan("alex@example.com", "alex@example.com", H2, "submitted", "2026-11-04", steps={"strategic-ownership": -1}),
    Plan("alex@example.com", "leo@example.com", H2, "draft", "2026-11-12", share=0.3),
    Plan(
        "chloe@example.com",
        "chloe@example.com",
        H2,
        "submitted",
        "2026-10-28",
        steps={"thinking-in-bets": -1, "empathy": 1, "prioritisation": 1},
    ),
    Plan(
        "chloe@example.com",
        "grace@example.com",
        H2,
        "shared",
        "2026-11-06",
        base=1,
        steps={"thinking-in-bets": 0},
        comment="A big half for Chloe: the checkout roadmap is now tied to outcomes, and the bets are written "
        "down before they are made. Ready for senior.",
    ),
    Plan("dev@example.com", "dev@example.com", H2, "submitted", "2026-11-10", steps={"narratives": 1}),
    Plan(
        "ella@example.com",
        "ella@example.com",
        H2,
        "returned",
        "2026-11-05",
        steps={"vision-setting": 1, "developing-talent": 1},
        return_comment="Thanks, Ella. Please add evidence for vision setting and developing talent: you rated "
        "both above the level, and the API roadmap and Sam's rotation are good examples.",
    ),
]


def _pick(*parts, modulo):
    digest = hashlib.sha256("/".join(str(part) for part in parts).encode()).hexdigest()
    return int(digest[:8], 16) % modulo


def _evidence(plan: Plan, key: str, subject: Person) -> str:
    variants = EVIDENCE.get(key, GENERIC_EVIDENCE)
    text = variants[_pick(plan.author, plan.subject, key, modulo=len(variants))]
    return text.format(product=PRODUCTS.get(plan.subject, "the product"), name=subject.name)


def _rate(assessment: Assessment, plan: Plan, expectations: list, scale: dict, when: datetime.datetime) -> dict:
    """Rate the planned share of the capabilities, with evidence; return capability key → rank given."""
    by_capability = {rating.capability_id: rating for rating in assessment.ratings.all()}
    rated = max(1, round(len(expectations) * plan.share)) if plan.share < 1 else len(expectations)
    given, changed = {}, []
    for expectation in expectations[:rated]:
        key = expectation.capability.key
        rank = min(max(expectation.scale_level.rank + plan.steps.get(key, plan.base), 1), max(scale))
        rating = by_capability[expectation.capability_id]
        rating.scale_level = scale[rank]
        # Evidence is left off a returned self-assessment's above-level ratings: the return comment asks for it.
        above = rank > expectation.scale_level.rank
        rating.evidence = "" if plan.return_comment and above else _evidence(plan, key, assessment.subject)
        rating.revision += 1
        rating.updated_at = when
        changed.append(rating)
        given[key] = rank
    bulk_update_with_history(
        changed,
        Rating,
        ["scale_level", "evidence", "revision", "updated_at"],
        default_user=assessment.author.user,
        default_date=when,
    )
    return given


def verdict_for(subject: Person, target, given: dict) -> Readiness:
    """The readiness the ratings give, computed as the reports compute it."""
    rows = Expectation.objects.filter(level__in=[target, subject.level]).select_related("capability", "scale_level")
    now = {row.capability.key: row.scale_level.rank for row in rows if row.level_id == subject.level_id}
    wanted = {
        row.capability.key: (row.capability.name, row.scale_level.rank) for row in rows if row.level_id == target.pk
    }
    same = subject.level_id == target.pk
    standings = [
        Standing(name=name, expected_now=None if same else now.get(key), expected_target=rank, rating=given.get(key))
        for key, (name, rank) in wanted.items()
    ]
    return assess(standings, Rule.for_framework(target.framework), target.name, None if same else subject.level.name)


def _rationale(subject: Person, target, readiness: Readiness) -> str:
    first = subject.name.split()[0]
    met = f"meets {readiness.met} of {readiness.asked} expectations of {target.name}"
    if readiness.verdict == Verdict.READY:
        return f"{first} {met} and already works at that level. I recommend {first} for the next promotion round."
    focus = ", ".join(readiness.holding_back[:2]).lower()
    if readiness.verdict == Verdict.NEARLY:
        return f"Close: {first} {met}. Another half-year on {focus} should make {target.name} clear."
    return f"Not yet: {first} {met}. The gap is widest in {focus}; we have agreed a plan for the next two cycles."


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T10:30"))


def _seed(plan: Plan, people: dict, cycle: ReviewCycle, scale_for: dict) -> Assessment:
    subject, author = people[plan.subject], people[plan.author]
    target = next_level(subject.level)
    assessment, _ = Assessment.start(subject=subject, author=author, level=target, cycle=cycle)
    expectations = list(assessment.expectations())
    framework = target.framework
    if framework.pk not in scale_for:
        scale_for[framework.pk] = {level.rank: level for level in framework.scale_levels.all()}
    when = _at(plan.day)
    given = _rate(assessment, plan, expectations, scale_for[framework.pk], when)
    changes = {"created_at": when - datetime.timedelta(days=9), "updated_at": when, "revision": 2}
    if assessment.is_manager_assessment and plan.share == 1.0:
        readiness = verdict_for(subject, target, given)
        changes.update(
            recommendation=readiness.verdict.value,
            rationale=_rationale(subject, target, readiness),
            overall_comment=plan.comment,
        )
    if plan.status in ("submitted", "shared", "returned"):
        changes.update(status=Assessment.Status.SUBMITTED, submitted_at=when)
    if plan.status == "shared":
        changes.update(status=Assessment.Status.SHARED, shared_at=when + datetime.timedelta(days=4))
    if plan.status == "returned":
        changes.update(
            status=Assessment.Status.RETURNED,
            return_comment=plan.return_comment,
            returned_by=subject.manager,
            returned_at=when + datetime.timedelta(days=2),
            updated_at=when + datetime.timedelta(days=2),
        )
    Assessment.objects.filter(pk=assessment.pk).update(**changes)
    # The audit trail holds submitted answers only (reviews/history.py): a returned one is a draft again.
    Rating.history.bulk_history_create(
        list(assessment.ratings.all()),
        update=True,
        default_user=author.user,
        default_date=when,
        default_change_reason="Submitted",
    )
    return assessment


def seed_demo_assessments() -> str:
    """Add the demo cycles and assessments if they are not there yet; say what was done."""
    people = {
        person.user.email: person
        for person in Person.objects.select_related("user", "level__framework", "level__track", "manager__user")
    }
    subjects = {plan.subject for plan in PLANS}
    complete = all(email in people and people[email].level and people[email].manager_id for email in subjects)
    if not complete or any(
        people[plan.author].pk != people[plan.subject].manager_id for plan in PLANS if plan.author != plan.subject
    ):
        return "Demo assessments skipped: the demo organisation is not complete."
    done, scale_for = [], {}
    with transaction.atomic():
        # At most one cycle is open at a time: H1 is made closed and opened only while it is filled in, and
        # neither is opened while another cycle (one HR opened) is.
        closed = ReviewCycle.Status.CLOSED
        h1, _ = ReviewCycle.objects.get_or_create(
            name=H1,
            defaults={"starts_on": datetime.date(2026, 1, 5), "ends_on": datetime.date(2026, 6, 30), "status": closed},
        )
        another_open = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).exclude(pk=h1.pk).exists()
        if not h1.assessments.exists() and not another_open:
            # Assessments are only started in an open cycle: open it, fill it in, close it again.
            ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.OPEN)
            h1.status = ReviewCycle.Status.OPEN
            for plan in PLANS:
                if plan.cycle == H1:
                    _seed(plan, people, h1, scale_for)
            ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.CLOSED)
            done.append(f"{H1} (closed)")
        another_open = ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).exclude(name=H2).exists()
        h2, _ = ReviewCycle.objects.get_or_create(
            name=H2,
            defaults={
                "starts_on": datetime.date(2026, 7, 6),
                "ends_on": datetime.date(2026, 12, 18),
                "self_deadline": datetime.date(2026, 11, 27),
                "manager_deadline": datetime.date(2026, 12, 11),
                "status": closed if another_open else ReviewCycle.Status.OPEN,
            },
        )
        if not h2.assessments.exists() and h2.is_open:
            for plan in PLANS:
                if plan.cycle == H2:
                    _seed(plan, people, h2, scale_for)
            done.append(f"{H2} (open)")
        if done:  # written around submit and return, which keep calibration's tallies and the stored verdicts
            refresh_tallies()
            refresh_verdicts()
    if not done:
        return "Demo assessments already in place: nothing changed."
    return f"Demo assessments added in the review cycles {' and '.join(done)}."

"""The demo organisation’s feedback requests: Leo asks colleagues about his PMs, and a PM asks for himself.

A few are answered (so the answers show in Ravi’s and Alex’s logs and in Leo’s comparisons), one is declined, and
two wait: one for Ravi, who signs in to the demo, so "Feedback requests for you" has something in it. Dates are
relative to today, so the demo always reads as recent. Safe to run again: nothing is added once any demo request
exists.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assessments.growth.feedback import FeedbackRequest
from assessments.people.models import Person

QUESTION_LEO = (
    "Ravi leads the fishing licence renewals. What have you seen him do well here, and what could he do differently?"
)

# (about, asked by, colleague, capability keys, question, asked days ago, due in days, answer or None,
#  "declined: reason" for a decline, answered days ago, share with managers)
REQUESTS = [
    (
        "ravi@example.com",
        "leo@example.com",
        "alex@example.com",
        ["applying-user-centred-insights", "stakeholder-relationship-management"],
        QUESTION_LEO,
        20,
        -6,
        "Ravi brought the contact centre’s call logs into the spring research, which nobody had thought to use: "
        "it is why the reminder moved to text messages. In the joint planning day he let policy speak first and "
        "kept the list to problems, not solutions. Next time I’d bring the councils in earlier; they heard late.",
        9,
        False,
    ),
    (
        "ravi@example.com",
        "leo@example.com",
        "bea@example.com",
        ["applying-user-centred-insights"],
        QUESTION_LEO,
        20,
        -6,
        "He showed me how to turn six interviews into three clear findings, and made me present them. He could "
        "write the findings down sooner: the team asked for them twice.",
        12,
        False,
    ),
    (
        "ravi@example.com",
        "ravi@example.com",
        "chloe@example.com",
        ["facilitating"],
        "I facilitated the cross-team roadmap session in October. What worked, and what should I change?",
        30,
        -16,
        "The timeboxes held and everyone spoke. The last half hour ran over because the decisions were not "
        "written up in the room: try a scribe next time.",
        18,
        True,
    ),
    (
        "alex@example.com",
        "leo@example.com",
        "dev@example.com",
        ["strategic-ownership"],
        "How did Alex’s Blue Badge vision land with your team?",
        15,
        -1,
        "declined: We haven’t worked with Alex since the spring, so I can’t say.",
        10,
        False,
    ),
    (
        "bea@example.com",
        "leo@example.com",
        "ravi@example.com",
        ["applying-user-centred-insights", "product-leadership"],
        "You paired with Bea on the school meals discovery. What did she do well, and where could she grow?",
        4,
        5,
        None,
        0,
        False,
    ),
    (
        "alex@example.com",
        "alex@example.com",
        "ella@example.com",
        ["teaching"],
        "You came to my accessibility show-and-tell. What would make the next one more useful?",
        3,
        11,
        None,
        0,
        False,
    ),
]


def _make(people, row, today) -> str:
    about, by, to, keys, question, asked_ago, due_in, answer, answered_ago, share = row
    person = people[about]
    request = FeedbackRequest.objects.create(
        person=person,
        asked_by=people[by],
        colleague=people[to],
        question=question,
        due_on=today + datetime.timedelta(days=due_in),
        level_id=person.level_id,
        share_with_managers=share,
    )
    request.capabilities.set(person.level.framework.capabilities.filter(key__in=keys))
    asked_at = timezone.now() - datetime.timedelta(days=asked_ago)
    closed_at = timezone.now() - datetime.timedelta(days=answered_ago)
    if answer is None:
        FeedbackRequest.objects.filter(pk=request.pk).update(created_at=asked_at)
        return "waiting"
    if answer.startswith("declined: "):
        request.decline(answer.removeprefix("declined: "))
        FeedbackRequest.objects.filter(pk=request.pk).update(created_at=asked_at, closed_at=closed_at)
        return "declined"
    entry = request.give_answer(answer)
    FeedbackRequest.objects.filter(pk=request.pk).update(created_at=asked_at, closed_at=closed_at)
    type(entry).objects.filter(pk=entry.pk).update(happened_on=closed_at.date())
    return "answered"


def seed_demo_feedback() -> str:
    """Add the demo feedback requests if there are none yet; say what was done."""
    emails = {email for row in REQUESTS for email in row[:3]}
    people = {
        person.user.email: person
        for person in Person.objects.filter(user__email__in=emails, level__isnull=False).select_related(
            "user", "level__framework"
        )
    }
    if set(people) != emails:
        return "Demo feedback requests skipped: the demo organisation is not complete."
    if FeedbackRequest.objects.filter(asked_by__in=people.values()).exists():
        return "Demo feedback requests already in place: nothing changed."
    today = timezone.localdate()
    with transaction.atomic():
        made = [_make(people, row, today) for row in REQUESTS]
    counts = ", ".join(f"{made.count(status)} {status}" for status in ("answered", "declined", "waiting"))
    return f"Demo feedback requests added: {counts}."

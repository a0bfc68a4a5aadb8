"""Feedback answers under each capability of a page about a person (the comparison): the latest few per capability
that the reader may read (growth/feedback_access.py), and how many there are, in one query whatever their number."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from assessments.growth.feedback_access import answers_visible_to
from assessments.growth.models import EvidenceEntry

PER_CAPABILITY = 3


@dataclass
class Answer:
    text: str
    day: object
    author: str
    asked_by: str
    asked_by_person: bool
    asked_by_id: int | None


def answers_by_capability(user, person, framework_key: str, per_capability: int = PER_CAPABILITY) -> dict:
    """{capability key: (latest answers, how many in all)} for the answers about `person` that `user` may read,
    tagged with capabilities of the framework `framework_key` in any version (tags follow keys)."""
    tags = EvidenceEntry.capabilities.through.objects.filter(
        evidenceentry__in=answers_visible_to(user, person).values("pk"), capability__framework__key=framework_key
    )
    by_key = F("capability__key")
    rows = (
        tags.annotate(
            n=Window(
                RowNumber(),
                partition_by=[by_key],
                order_by=[F("evidenceentry__happened_on").desc(), F("evidenceentry_id").desc()],
            ),
            total=Window(Count("pk"), partition_by=[by_key]),
        )
        .filter(n__lte=per_capability)
        .order_by("capability__key", "n")
        .values_list(
            "capability__key",
            "total",
            "evidenceentry__text",
            "evidenceentry__happened_on",
            "evidenceentry__author__user__full_name",
            "evidenceentry__feedback_request__asked_by__user__full_name",
            "evidenceentry__feedback_request__asked_by_id",
            "evidenceentry__person_id",
        )
    )
    found: dict[str, tuple[list[Answer], int]] = {}
    for key, total, text, day, author, asker, asker_id, person_id in rows:
        answers, _ = found.setdefault(key, ([], total))
        answers.append(Answer(text, day, author, asker or "", asker_id == person_id, asker_id))
    return found

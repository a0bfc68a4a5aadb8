"""Feedback answers under each capability of a page about a person (the comparison): the latest few per capability
that the reader may read (growth/feedback_access.py), and how many there are, in one query whatever their number."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection

from accounts.models import User
from assessments.growth.feedback import FeedbackRequest
from assessments.growth.feedback_access import answers_visible_to
from assessments.growth.models import EvidenceEntry
from assessments.people.models import Person
from frameworks.models import Capability, Framework

PER_CAPABILITY = 3

_TABLES = {
    "tags": EvidenceEntry.capabilities.through._meta.db_table,
    "entry": EvidenceEntry._meta.db_table,
    "capability": Capability._meta.db_table,
    "framework": Framework._meta.db_table,
    "request": FeedbackRequest._meta.db_table,
    "person": Person._meta.db_table,
    "user": User._meta.db_table,
}

# The answers are ranked per capability key first, and only the few kept are joined to their authors' and askers'
# names: PostgreSQL planned the same statement with every join beside the ranking (one query built by the ORM) in
# 2.1 ms at 20,000 people, and building it took the ORM longer than running it. Which answers may be read is the
# policy's own query (`answers_visible_to`), put in as a subquery.
_LATEST_SQL = """
    SELECT ranked.key, ranked.total, entry.text, entry.happened_on, author_user.full_name, asker_user.full_name,
           request.asked_by_id, entry.person_id
    FROM (
        SELECT capability.key AS key, tag.evidenceentry_id AS entry_id,
               COUNT(*) OVER (PARTITION BY capability.key) AS total,
               ROW_NUMBER() OVER (
                   PARTITION BY capability.key ORDER BY entry.happened_on DESC, tag.evidenceentry_id DESC
               ) AS n
        FROM {tags} tag
        INNER JOIN {capability} capability ON capability.id = tag.capability_id
        INNER JOIN {framework} framework ON framework.id = capability.framework_id
        INNER JOIN {entry} entry ON entry.id = tag.evidenceentry_id
        WHERE framework.key = %s AND tag.evidenceentry_id IN ({visible})
    ) ranked
    INNER JOIN {entry} entry ON entry.id = ranked.entry_id
    INNER JOIN {person} author ON author.id = entry.author_id
    INNER JOIN {user} author_user ON author_user.id = author.user_id
    LEFT OUTER JOIN {request} request ON request.answer_id = entry.id
    LEFT OUTER JOIN {person} asker ON asker.id = request.asked_by_id
    LEFT OUTER JOIN {user} asker_user ON asker_user.id = asker.user_id
    WHERE ranked.n <= %s
    ORDER BY ranked.key, ranked.n
"""


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
    try:
        visible, visible_params = answers_visible_to(user, person).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # none to read, known without asking the database
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_LATEST_SQL.format(visible=visible, **_TABLES), [framework_key, *visible_params, per_capability])
        rows = cursor.fetchall()
    found: dict[str, tuple[list[Answer], int]] = {}
    for key, total, text, day, author, asker, asker_id, person_id in rows:
        answers, _ = found.setdefault(key, ([], total))
        answers.append(Answer(text, _as_date(day), author, asker or "", asker_id == person_id, asker_id))
    return found


def _as_date(day):
    """SQLite hands a raw statement's date back as text."""
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day

"""Small helpers for the evidence log's tests."""

import datetime

from assessments.growth.models import EvidenceEntry


def make_entry(user, *, text="Ran the discovery interviews for search.", shared=False, keys=None, day=None, link=""):
    """An own note in `user`'s log, tagged with capabilities of their level's framework (by key; all by default)."""
    person = user.person
    entry = EvidenceEntry.objects.create(
        person=person,
        author=person,
        happened_on=day or datetime.date(2026, 3, 14),
        text=text,
        link=link,
        shared=shared,
    )
    capabilities = person.level.framework.capabilities.all() if person.level_id else []
    entry.capabilities.set([c for c in capabilities if keys is None or c.key in keys])
    return entry

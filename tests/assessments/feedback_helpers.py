"""Small helpers for the feedback requests' tests."""

import datetime

from django.utils import timezone

from assessments.growth.feedback import FeedbackRequest


def ask(about, *, by, to, keys=("cap-1-1", "cap-2-1"), due=None, share=False, question="What have you seen?"):
    """A request from `by` to `to` for feedback on `about` (users), on capabilities of `about`'s framework by key."""
    person = about.person
    request = FeedbackRequest.objects.create(
        person=person,
        asked_by=by.person,
        colleague=to.person,
        question=question,
        due_on=due or timezone.localdate() + datetime.timedelta(days=14),
        level_id=person.level_id,
        share_with_managers=share,
    )
    request.capabilities.set(person.level.framework.capabilities.filter(key__in=keys))
    return request

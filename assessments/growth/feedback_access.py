"""Access policy for feedback requests and their answers: the only place that decides who may ask, answer, decline,
withdraw, and read an answer. growth/access.py asks it for feedback entries in a log.

- Asking: a person asks about themself; a manager up the chain asks about a report. Nobody else (HR included: HR
  does not take part in a person's growth notebook, growth/access.py).
- Answering and declining: the colleague asked, only. The person and the asker see that the request exists, so
  they get 403 with a sentence; anyone else 404.
- Withdrawing: the asker, while it waits for an answer.
- Reading an answer (an evidence entry of source FEEDBACK): the person it is about, the colleague who wrote it and
  the asker. When the person asked and chose "share the answers with my managers", their managers up the chain
  read it too, like any shared entry. When a manager asked, that manager and the person only: managers above
  that manager do not (they read what the person shares, and a colleague answering a manager's question answered
  that manager; DESIGN.md rule 2: people see what is theirs). HR admins do not read answers in the app. Other
  colleagues asked in the same round never read each other's answers.

Outside your scope: 404. Inside it, but not yours to do: 403 with a sentence (docs/architecture.md).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import Http404

from assessments.growth.feedback import FeedbackRequest
from assessments.growth.models import EvidenceEntry
from assessments.people.access import get_person_for_user, is_manager_of, signed_in
from assessments.people.models import Person, Scope


def _me(user) -> int | None:
    return Scope.of(user).person_id if signed_in(user) else None


def _as_int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


# Asking ------------------------------------------------------------------------------------------------------------


def can_ask_about(user, person: Person) -> bool:
    """The person themself, or a manager up their chain."""
    return _me(user) == person.pk or is_manager_of(user, person)


def get_ask_subject(user, pk) -> Person:
    """The person `user` asks feedback about, if they may; else 404 (HR included, unless they manage them)."""
    person = get_person_for_user(user, _as_int(pk))
    if not can_ask_about(user, person):
        raise Http404("Not found.")
    return person


def colleague_refusal(colleague: Person, *, person: Person, asker: Person) -> str | None:
    """Why `colleague` cannot be asked (a sentence), or None: anyone else who can sign in."""
    email = colleague.user.email
    if colleague.pk == asker.pk:
        return f"{email} is you: ask a colleague."
    if colleague.pk == person.pk:
        return f"{email} is {person.name}: ask colleagues who have worked with them."
    if not colleague.user.can_sign_in:
        return f"{colleague.name} can’t sign in to Pathway, so they couldn’t answer: ask someone else."
    return None


# One request --------------------------------------------------------------------------------------------------------


def _request(pk) -> FeedbackRequest:
    found = FeedbackRequest.objects.with_related().filter(pk=_as_int(pk)).first()
    if found is None:
        raise Http404("Not found.")
    return found


def _knows_of(user, request: FeedbackRequest) -> bool:
    """The colleague, the asker and the person know the request exists."""
    me = _me(user)
    return me is not None and me in (request.colleague_id, request.asked_by_id, request.person_id)


def get_request_to_answer(user, pk) -> FeedbackRequest:
    """A request for `user` to answer or decline: 403 for the asker and the person, 404 for everyone else."""
    request = _request(pk)
    if not _knows_of(user, request):
        raise Http404("Not found.")
    if _me(user) != request.colleague_id:
        raise PermissionDenied(f"Only {request.colleague.name}, who was asked, can answer or decline this request.")
    return request


def get_request_to_withdraw(user, pk) -> FeedbackRequest:
    """A request `user` asked, to withdraw: 403 for the colleague and the person, 404 for everyone else."""
    request = _request(pk)
    if not _knows_of(user, request):
        raise Http404("Not found.")
    if _me(user) != request.asked_by_id:
        raise PermissionDenied(f"Only {request.asked_by.name}, who asked, can withdraw this request.")
    return request


# Reading answers ----------------------------------------------------------------------------------------------------


def manager_reads_q(manager_id: int) -> Q:
    """Feedback entries a manager up the person's chain reads: those they asked for, and those the person asked for
    and chose to share with their managers. (The caller has checked that they manage the person.)"""
    return Q(source=EvidenceEntry.Source.FEEDBACK) & (
        Q(feedback_request__asked_by_id=manager_id)
        | Q(feedback_request__asked_by_id=F("person_id"), feedback_request__share_with_managers=True)
    )


def answers_visible_to(user, person: Person):
    """The feedback answers in `person`'s log that `user` may read (the colleague who wrote one reads it on its
    request's page, not in the log)."""
    answers = EvidenceEntry.objects.filter(person=person, source=EvidenceEntry.Source.FEEDBACK)
    me = _me(user)
    if me == person.pk:
        return answers
    if me is not None and is_manager_of(user, person):
        return answers.filter(manager_reads_q(me))
    return answers.none()


def can_read_answer(user, request: FeedbackRequest) -> bool:
    """May `user` read the answer to `request`? The person, the colleague, the asker; the person's managers up the
    chain when the person asked and shared the answers with them."""
    me = _me(user)
    if me is None:
        return False
    if me in (request.person_id, request.colleague_id, request.asked_by_id):
        return True
    return request.asked_by_person and request.share_with_managers and is_manager_of(user, request.person)

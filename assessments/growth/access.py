"""Access policy for evidence entries: the only place that decides who may see, add, change or cite an entry.

- A person's log is theirs: they see every entry in it, private or shared, and add to it.
- Their managers up the chain (direct, and every manager above) see the entries the person marked as shared, never
  the private ones. Feedback answers follow their own rule (growth/feedback_access.py): a manager reads those they
  asked for, and those the person asked for and shared with their managers. Other managers, peers and HR admins see
  no one's log: it is a notebook, like a draft (DESIGN.md rule 2: a draft is private to its author; HR sees what is
  submitted). What reaches HR is what the person cites in
  a submitted self-assessment, which HR reads with the assessment and the promotion report (reviews' access rules).
- Only the author of an own note changes or deletes it, and only while no rating cites it: a cited entry is part of
  what the assessment's readers see, so it stays as it is.
- Only the person cites their own entries, in their own self-assessment (the assessment's rules say whether it
  may still change).

Outside your scope: 404. Inside it, but not yours to do: 403 with a sentence (docs/architecture.md).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from assessments.growth.feedback_access import manager_reads_q
from assessments.growth.models import EvidenceEntry
from assessments.people.access import get_person_for_user, is_manager_of, person_of, signed_in
from assessments.people.models import Person, Scope


def _as_int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


def is_own_log(user, person: Person) -> bool:
    return signed_in(user) and Scope.of(user).person_id == person.pk


def can_see_log(user, person: Person) -> bool:
    """May `user` open `person`'s log at all? Themself (every entry) or a manager up the chain (shared ones)."""
    return is_own_log(user, person) or is_manager_of(user, person)


def get_log_owner(user, pk) -> Person:
    """The person whose log `user` asks for, if they may open it; else 404 (HR included, unless they manage them)."""
    person = get_person_for_user(user, _as_int(pk))
    if not can_see_log(user, person):
        raise Http404("Not found.")
    return person


def entries_visible_to(user, person: Person):
    """The entries of `person`'s log that `user` may read: all of them for the person; for their managers up the
    chain, the own notes they shared and the feedback answers feedback_access.py lets them read; none for anyone
    else."""
    entries = EvidenceEntry.objects.filter(person=person)
    if is_own_log(user, person):
        return entries
    if is_manager_of(user, person):
        shared_notes = Q(source=EvidenceEntry.Source.NOTE, shared=True)
        return entries.filter(shared_notes | manager_reads_q(Scope.of(user).person_id))
    return entries.none()


def get_entry_for_user(user, pk) -> EvidenceEntry:
    """An entry `user` may read (their own, or shared by someone below them), else 404."""
    entry = EvidenceEntry.objects.select_related("person__user", "author__user").filter(pk=_as_int(pk)).first()
    if entry is None or not entries_visible_to(user, entry.person).filter(pk=entry.pk).exists():
        raise Http404("Not found.")
    return entry


def can_add_to_log(user) -> bool:
    """Anyone signed in with a place in the organisation notes evidence in their own log."""
    return signed_in(user) and person_of(user) is not None


def can_change_entry(user, entry: EvidenceEntry) -> bool:
    """Edit or delete: the author of an own note, while nothing cites it."""
    return _change_refusal(user, entry) is None


def require_can_change_entry(user, entry: EvidenceEntry) -> None:
    """403 with a sentence for a reader who may see `entry` but not change it (get_entry_for_user answers 404 to
    everyone else)."""
    refusal = _change_refusal(user, entry)
    if refusal:
        raise PermissionDenied(refusal)


def _change_refusal(user, entry: EvidenceEntry) -> str | None:
    me = Scope.of(user).person_id if signed_in(user) else None
    if me is None or entry.author_id != me:
        return f"Only {entry.author.name} can change or delete this entry."
    if not entry.is_own_note or entry.person_id != me:
        return "Feedback from a colleague stays as they wrote it."
    if entry.is_cited():
        return (
            "This entry is cited in a self-assessment, so it stays as it is: the people who read the assessment see "
            "it. Remove it from your draft self-assessment first, or add a new entry."
        )
    return None


def can_cite(user, entry: EvidenceEntry, subject: Person) -> bool:
    """May `user` cite `entry` in an assessment of `subject`? Only their own entries, in their own self-assessment."""
    return is_own_log(user, subject) and entry.person_id == subject.pk

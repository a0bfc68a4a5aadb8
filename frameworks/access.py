"""Who may read which framework version, and whether a framework page may speak about its reader.

- HR admins read every version, drafts included.
- Anyone signed in reads the published and archived versions (history stays readable).
- Anyone else (not signed in) reads only public frameworks' published and archived versions
  (`Framework.is_public`); every other framework answers 404, exactly like an address that does not exist,
  so nobody learns that a private framework is there.

Framework pages are the same for everyone, except what they say about the reader ("You are here", "Continue
your self-assessment"): only a signed-in reader is anybody, so an anonymous visitor never sees anything
about a person.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from frameworks.models import Framework


def reads_as_person(user) -> bool:
    """Whether pages may show what concerns the reader (their level, their drafts): only when signed in."""
    return bool(user is not None and user.is_authenticated)


def readable_versions(user) -> QuerySet[Framework]:
    """Every framework version `user` may read."""
    if not reads_as_person(user):
        return Framework.objects.public()
    return Framework.objects.visible_to(user)


def get_framework_for_user(user, key, version=None) -> Framework:
    """The framework version `user` may read; 404 for anything else.

    Without a version: the published one, or for HR the draft when nothing is published yet.
    """
    versions = readable_versions(user).filter(key=key)
    if version is None:
        versions = versions.exclude(status=Framework.Status.ARCHIVED).order_by(
            Case(When(status=Framework.Status.PUBLISHED, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    else:
        versions = versions.filter(version=version)
    framework = versions.first()
    if framework is None:
        raise Http404("No such framework version.")
    return framework

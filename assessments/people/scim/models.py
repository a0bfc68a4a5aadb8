"""What SCIM needs stored beside a person: the client's tokens, the directory's own names for a user, its groups."""

import hashlib
import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pathway.text import validate_name


def hash_token(secret: str) -> str:
    # A token is 256 random bits, so one round of SHA-256 is enough to keep it from being read back from the table.
    return hashlib.sha256(secret.encode()).hexdigest()


class ScimToken(models.Model):
    """A bearer token a directory (Okta, Entra ID…) provisions people with. Only its hash is kept."""

    name = models.CharField(max_length=100, unique=True, validators=[validate_name])
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "SCIM token"

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, name: str) -> tuple["ScimToken", str]:
        """A new token named `name`, and its secret (shown once, never stored)."""
        secret = "pathway-scim-" + secrets.token_urlsafe(32)
        token = cls(name=name, token_hash=hash_token(secret))
        token.full_clean()
        token.save()
        return token, secret

    @classmethod
    def holding(cls, secret: str) -> "ScimToken | None":
        """The live token whose secret this is, if any; notes when it was last used (at most once a minute)."""
        token = cls.objects.filter(token_hash=hash_token(secret), revoked_at__isnull=True).first()
        if token is not None:
            now = timezone.now()
            if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
                cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class DirectoryEntry(models.Model):
    """What the directory calls a person, where that is not the account's own (email, full name).

    A person Pathway made itself (the people import, the person form) has none until the directory first
    writes to them: their `userName` is then their email address.
    """

    person = models.OneToOneField(
        "assessments.Person", on_delete=models.CASCADE, primary_key=True, related_name="directory_entry"
    )
    user_name = models.CharField(max_length=300)
    external_id = models.CharField(max_length=300, blank=True, db_index=True)
    # The name as the directory sends it: the account's full name is made from it (see `users._full_name`).
    formatted_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=150, blank=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    email_type = models.CharField(max_length=50, blank=True, default="work")
    email_primary = models.BooleanField(null=True, default=True)
    # The directory deleted the user: they are a leaver, kept for history, and SCIM answers 404 for them.
    removed = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "directory entries"
        constraints = [models.UniqueConstraint(Lower("user_name"), name="directory_user_name_unique")]

    def __str__(self):
        return self.user_name


class DirectoryGroup(models.Model):
    """A group the directory keeps in Pathway. Only the one named "HR admins" gives anyone access (its members
    join the HR admins group); others are kept so the directory can read back what it wrote."""

    display_name = models.CharField(max_length=200, validators=[validate_name])
    external_id = models.CharField(max_length=300, blank=True, db_index=True)
    members = models.ManyToManyField("assessments.Person", blank=True, related_name="directory_groups")

    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]
        constraints = [models.UniqueConstraint(Lower("display_name"), name="directory_group_name_unique")]

    def __str__(self):
        return self.display_name

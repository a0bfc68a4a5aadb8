"""Accounts own sign-in: a user is an email address, a full name and a password.

A person's place in the organisation (level, manager) lives in `assessments.Person`.
"""

from functools import cached_property

from axes.models import AccessAttempt
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from pathway.text import validate_name

HR_ADMINS_GROUP = "HR admins"


def can_sign_in_q(prefix: str = "") -> models.Q:
    """A filter for accounts that can sign in: active, with a usable password (`prefix`, e.g. "user__", for
    related rows).

    The same rule holds for a password and for the company's OpenID Connect provider (`accounts/oidc.py`). A new
    person made by the people import, the person form or a first company sign-in holds the hash of a secret nobody
    keeps: usable, so "Forgotten your password?" lets them choose their own, and they count as able to sign in. An
    account whose password is marked unusable (or empty) cannot sign in, either way, until HR sets one.
    """
    return (
        models.Q(**{f"{prefix}is_active": True})
        & ~models.Q(**{f"{prefix}password__startswith": UNUSABLE_PASSWORD_PREFIX})
        & ~models.Q(**{f"{prefix}password": ""})
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # People type their email in any case; addresses are stored lower-case.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_name])
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can sign in to the HR administration site."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick for leavers: they can no longer sign in, and their history is kept.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def can_sign_in(self) -> bool:
        """The rule of `can_sign_in_q`, for one account in memory."""
        return self.is_active and bool(self.password) and self.has_usable_password()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def is_hr_admin(self) -> bool:
        """HR admins see and manage everyone: superusers and members of the HR admins group."""
        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name=HR_ADMINS_GROUP).exists()


class FailedSignIn(AccessAttempt):
    """Axes' record of failed sign-ins, as HR meets it in the admin: deleting one unlocks its account or address."""

    class Meta:
        proxy = True
        verbose_name = "failed sign-in"
        verbose_name_plural = "failed sign-ins"


class ResetLinkRequest(models.Model):
    """One request for a password reset link, under one key it counts against (a hash of the email typed or of the
    client's address), or one reset link opened that was not valid (a hash of the address): `accounts.throttle`.
    Rows older than the window are deleted as new ones come."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="reset_link_request_key_at")]

    def __str__(self):
        return f"Reset link asked for at {self.at:%Y-%m-%d %H:%M}"

"""Throttles on signing in and asking for a password reset link (README, "Sign-in throttling").

Signing in runs on django-axes (settings: `AXES_*`). An account is locked after `AXES_FAILURE_LIMIT` (5) failed
sign-ins, an address after `SIGN_IN_ADDRESS_FAILURE_LIMIT` (20): an address gets more because a whole office can sit
behind one, and their typos add up. A lock lasts `AXES_COOLOFF_TIME` (15 minutes) from the last failure that counted,
or until HR deletes the failed sign-ins in the admin. While locked, the axes backend refuses before any password is
hashed, and the guess is not recorded, so the time on the page holds.

Reset links are limited by `ResetLinkRequest` rows in the database (so every worker process sees the same counts):
`RESET_LINKS_PER_EMAIL` per email address typed and `RESET_LINKS_PER_ADDRESS` per client address, per
`RESET_LINK_WINDOW`; and opening links that are not valid, `BAD_RESET_LINKS_PER_ADDRESS` per client address.
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.shortcuts import render
from django.utils import timezone

RESET_LINKS_PER_EMAIL = 3
RESET_LINKS_PER_ADDRESS = 10
RESET_LINK_WINDOW = timedelta(hours=1)
# Reset links that were not valid (expired, used, mistyped or guessed), per client address, per window: past it,
# no link from that address is checked until the window has passed.
BAD_RESET_LINKS_PER_ADDRESS = 20


def account_key(email: str) -> str:
    """How the throttles name an account: the email trimmed and lower-cased (accounts are found case-insensitively,
    so `Priya@…` and `priya@…` are the same account and share one count)."""
    return email.strip().lower()


def typed_email(request, credentials=None) -> str | None:
    """The account a sign-in is for, as axes records it (`account_key`)."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return account_key(str(value)) or None


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` reverse proxies, the address the outermost
    of them saw (counted from the right of X-Forwarded-For: the entries to its left are whatever the client sent)."""
    candidates = [request.META.get("REMOTE_ADDR")]
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            candidates.insert(0, forwarded[-hops])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class SignInLock:
    by_account: bool  # else the address is locked
    until: datetime


class SignInFailures(AxesDatabaseHandler):
    """Axes' database handler, with an address allowed more failures than an account (see the module's note)."""

    def _recent(self, request, credentials=None) -> dict:
        account = Q(username=get_client_username(request, credentials))
        address = Q(ip_address=request.axes_ip_address)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        return recent.filter(account | address).aggregate(
            account=Sum("failures_since_start", filter=account, default=0),
            address=Sum("failures_since_start", filter=address, default=0),
            account_last=Max("attempt_time", filter=account),
            address_last=Max("attempt_time", filter=address),
        )

    def get_failures(self, request, credentials=None) -> int:
        """Failures counted against `AXES_FAILURE_LIMIT`: the account's, or the address's beyond its extra allowance."""
        recent = self._recent(request, credentials)
        allowance = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(recent["account"], recent["address"] - allowance)

    # Nothing to do on a sign-in or sign-out (axes' handler would prune old failures with a DELETE each time):
    # successful sign-ins are not logged (`AXES_DISABLE_ACCESS_LOG`), a success does not wash out failures (an
    # attacker's own account must not reset its address's count), and the counts ignore failures past the cool-off,
    # which the next failure prunes.
    def user_logged_in(self, sender, request, user, **kwargs):
        pass

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def lock(self, request, credentials=None) -> SignInLock | None:
        recent = self._recent(request, credentials)
        cool_off = get_cool_off(request)
        by_account = recent["account"] >= settings.AXES_FAILURE_LIMIT
        ends = [recent["account_last"] + cool_off] if by_account else []
        if recent["address"] >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            ends.append(recent["address_last"] + cool_off)
        return SignInLock(by_account=by_account, until=max(ends)) if ends else None


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again (status 429), saying what happened and when to try again, with the email kept."""
    from accounts.forms import EmailAuthenticationForm
    from accounts.views import sign_in_page_context

    cool_off = get_cool_off(request)
    lock = SignInFailures().lock(request, credentials) or SignInLock(True, timezone.now() + cool_off)
    context = {
        "form": EmailAuthenticationForm(request, initial={"username": request.POST.get("username", "")}),
        "next": request.POST.get("next", ""),
        "lock": lock,
        "lock_minutes": int(cool_off.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        **sign_in_page_context(request, password_form=True),
    }
    return render(request, "registration/login.html", context, status=429)


def forget_failed_sign_ins(email: str) -> int:
    """Unlock an account (its owner has just chosen a new password through a reset link)."""
    return AccessAttempt.objects.filter(username=account_key(email)).delete()[0]


@dataclass(frozen=True)
class ResetLinkPause:
    by_email: bool  # else the client's address asked too often
    until: datetime


def _digest(kind: str, value: str | None) -> str:
    # Emails typed (real or not) are personal data: the count needs only their hash.
    return hashlib.sha256(f"{kind}:{value or ''}".encode()).hexdigest()


def take_reset_link(request, email: str) -> ResetLinkPause | None:
    """Count one request for a reset link; None if it may go ahead, else why not and until when.

    Each request is recorded first and counted after, so concurrent requests in several processes cannot all
    slip under the limit; a refused request's rows are removed again, so refusals do not push the time back.
    """
    from accounts.models import ResetLinkRequest

    now = timezone.now()
    since = now - RESET_LINK_WINDOW
    ResetLinkRequest.objects.filter(at__lt=since).delete()
    limits = {
        _digest("email", account_key(email)): RESET_LINKS_PER_EMAIL,
        _digest("address", client_address(request)): RESET_LINKS_PER_ADDRESS,
    }
    mine = [ResetLinkRequest.objects.create(key=key, at=now).pk for key in limits]
    counts = (
        ResetLinkRequest.objects.filter(key__in=limits, at__gte=since)
        .values("key")
        .annotate(n=Count("pk"), first=Min("at"))
    )
    over = {row["key"]: row["first"] for row in counts if row["n"] > limits[row["key"]]}
    if not over:
        return None
    ResetLinkRequest.objects.filter(pk__in=mine).delete()
    email_key = next(iter(limits))
    return ResetLinkPause(by_email=email_key in over, until=max(over.values()) + RESET_LINK_WINDOW)


def bad_reset_links_pause(request) -> datetime | None:
    """Until when the client's address may not open reset links, having opened too many that were not valid."""
    from accounts.models import ResetLinkRequest

    recent = ResetLinkRequest.objects.filter(
        key=_digest("bad-link", client_address(request)), at__gte=timezone.now() - RESET_LINK_WINDOW
    ).aggregate(n=Count("pk"), first=Min("at"))
    return recent["first"] + RESET_LINK_WINDOW if recent["n"] >= BAD_RESET_LINKS_PER_ADDRESS else None


def record_bad_reset_link(request) -> None:
    from accounts.models import ResetLinkRequest

    ResetLinkRequest.objects.filter(at__lt=timezone.now() - RESET_LINK_WINDOW).delete()
    ResetLinkRequest.objects.create(key=_digest("bad-link", client_address(request)))

"""Company sign-in through the organisation's OpenID Connect provider (README, "Company sign-in").

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE); this module adds what it leaves out:
the provider's endpoints from its discovery document (cached), the ID token's audience and issuer checked, its
signing keys cached, and Pathway's rules on who may come in: an account is found by its email address (any case)
only when the provider says the address is verified; an unknown address is refused unless OIDC_CREATE_USERS is
on; an account that cannot sign in (`User.can_sign_in`: a leaver, a closed account) is refused.

Signing in through the provider is not a password guess: it neither counts towards nor waits for the password
throttle (`accounts/throttle.py`); the provider has its own.
"""

import logging
import secrets
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import smart_str
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pathway.text import validate_name

logger = logging.getLogger(__name__)

# Asymmetric signatures only: an HS256 token would be signed with the client secret, which Pathway also holds.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
# After a failed fetch, wait this long before asking the provider again (each sign-in would otherwise wait for it).
FAILURE_PAUSE_SECONDS = 30
CLOCK_LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered something that is not a usable discovery document or key set."""


class SignInRefused(Exception):
    """The provider signed someone in, but Pathway does not let them in. `reason` picks the page's words."""

    def __init__(self, reason: str, email: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.email = email


def is_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def _cache_key(kind: str, url: str) -> str:
    return f"pathway:oidc:{kind}:{url}"


def _discovery_url() -> str:
    return f"{settings.OIDC_ISSUER}/.well-known/openid-configuration"


def _fetch_json(kind: str, url: str) -> dict:
    """The provider's JSON at `url`, kept for OIDC_DISCOVERY_CACHE_SECONDS; a failure is remembered briefly too."""
    key = _cache_key(kind, url)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    if cached is not None:
        raise ProviderUnavailable(cached)
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
    except (requests.RequestException, ValueError) as error:
        problem = f"{kind} at {url}: {error.__class__.__name__}"
        logger.warning("Company sign-in: could not read the provider's %s", problem)
        cache.set(key, problem, FAILURE_PAUSE_SECONDS)
        raise ProviderUnavailable(problem) from error
    cache.set(key, document, settings.OIDC_DISCOVERY_CACHE_SECONDS)
    return document


def forget_signing_keys(url: str) -> None:
    cache.delete(_cache_key("keys", url))


def provider() -> dict:
    """The provider's discovery document (`OIDC_ISSUER`/.well-known/openid-configuration), checked and cached."""
    issuer = settings.OIDC_ISSUER
    document = _fetch_json("discovery", _discovery_url())
    missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(key)]
    if missing:
        raise ProviderUnavailable(f"discovery document without {', '.join(missing)}")
    if document.get("issuer", "").rstrip("/") != issuer:
        # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched from.
        raise ProviderUnavailable(f"discovery document names issuer {document.get('issuer')!r}, not {issuer!r}")
    return document


def email_is_verified(claims: dict) -> bool:
    """Does the provider vouch for the address? `email_verified` (OpenID Connect), or, when a provider sends none,
    Microsoft Entra ID's `xms_edov` (the address's domain is verified by the tenant that signed the person in)."""
    verified = claims.get("email_verified")
    if verified is None:
        verified = claims.get("xms_edov")
    return verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")


def name_from_claims(claims: dict, email: str) -> str:
    """A full name for a new account: the provider's `name`, else given and family names, else the address."""
    candidates = [claims.get("name"), " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            name = " ".join(candidate.split())[:150]
            try:
                validate_name(name)
            except ValidationError:
                continue
            return name
    return email.split("@")[0][:150]


def _header(token) -> dict:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise SuspiciousOperation(f"Not an ID token: {error}") from error


class PasswordSignInGate:
    """With PASSWORD_SIGN_IN off, a password sign-in (the sign-in page, the admin's) is refused before any password
    is checked unless the account is a superuser's. Refusing with PermissionDenied stops Django from asking the
    backends after this one, and counts as a failed sign-in for the throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.PASSWORD_SIGN_IN or username is None:
            return None  # the model backend checks the password as usual
        user_model = get_user_model()
        if not user_model.objects.filter(email__iexact=str(username).strip(), is_superuser=True).exists():
            raise PermissionDenied("Password sign-in is for superusers only.")
        return None


class CompanySignIn(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, fed from the provider's discovery document, with Pathway's rules.

    It signs in only when the callback view calls it with the nonce and PKCE verifier kept for the state it got
    back (a password sign-in's arguments do not fit its signature, so Django never asks it)."""

    OIDC_RP_SIGN_ALGO = "RS256"  # mozilla's test for "fetch the provider's keys"; _verify_jws accepts any asymmetric

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request's session check (get_user): nothing here may call the provider.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.id_token = None
        self.end_session_endpoint = None

    def get_user(self, user_id):
        # mozilla's get_user does not look at is_active: a leaver's session would outlive "Mark as leaver".
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, *, nonce, code_verifier):
        document = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
        self.issuer = document["issuer"]
        self.end_session_endpoint = document.get("end_session_endpoint")
        if not nonce:
            raise SuspiciousOperation("No nonce was kept for this sign-in.")
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def store_tokens(self, access_token, id_token):
        self.id_token = id_token  # the callback keeps it in the new session, for the provider's sign-out

    def retrieve_matching_jwk(self, token):
        """The provider's key for this token, from its key set (cached; fetched again once for a key not yet seen,
        as after the provider rotates its keys)."""
        header = _header(token)
        for attempt in range(2):
            if attempt:
                forget_signing_keys(self.OIDC_OP_JWKS_ENDPOINT)
            keys = _fetch_json("keys", self.OIDC_OP_JWKS_ENDPOINT).get("keys") or []
            for key in keys:
                if key.get("kid") == smart_str(header.get("kid")) and key.get("alg", header.get("alg")) == header.get(
                    "alg"
                ):
                    return jwt.PyJWK(key)
        raise SuspiciousOperation("The ID token's signing key is not in the provider's key set.")

    def _verify_jws(self, payload, key):
        """Signature, issuer, audience (this client), expiry: OpenID Connect Core 3.1.3.7."""
        alg = _header(payload).get("alg")
        if alg not in SIGNING_ALGORITHMS:
            raise SuspiciousOperation(f"ID token signed with {alg!r}, which Pathway does not accept.")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several clients, not issued to this one (azp).")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint's when the provider has one (for the same
        subject: OpenID Connect Core 5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            extra = super().get_userinfo(access_token, id_token, payload)
            if extra.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about another subject.")
            claims.update(extra)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise SignInRefused("no_email")
        email = email.strip()
        if not email_is_verified(claims):
            raise SignInRefused("unverified", email)
        user = self.UserModel.objects.filter(email__iexact=email).first()
        if user is None:
            if not settings.OIDC_CREATE_USERS:
                raise SignInRefused("unknown", email)
            user = self.create_user(claims)
        if not user.can_sign_in:
            raise SignInRefused("closed", email)
        return user

    def create_user(self, claims):
        """A new account (and, through the people room's signal, its person, with no level or manager yet). Like
        the people import, it holds the hash of a secret nobody keeps, so it counts as able to sign in."""
        email = claims["email"].strip()
        try:
            with transaction.atomic():
                user = self.UserModel.objects.create_user(
                    email, password=secrets.token_urlsafe(32), full_name=name_from_claims(claims, email)
                )
        except IntegrityError:  # the same person's first sign-in in two tabs at once
            return self.UserModel.objects.get(email__iexact=email)
        logger.info("Company sign-in created an account for %s.", user.email)
        return user


def end_session_url(endpoint: str | None, id_token: str | None, return_to: str) -> str | None:
    """The provider's sign-out address for this session (RP-initiated logout), from the end-session endpoint its
    discovery document named when the person signed in (kept in the session, so any worker can offer it without
    asking the provider: signing out of Pathway never waits for it)."""
    if not endpoint or not id_token:
        return None
    query = urlencode(
        {"id_token_hint": id_token, "client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": return_to}
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

"""Typed readers for environment variables that fail loudly on bad values."""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}

DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-only-for-debug-mode"
SECRET_KEY_MIN_LENGTH = 50
# Words found in example and placeholder keys: a key containing one was copied from somewhere, not generated.
PLACEHOLDER_WORDS = (
    "changeme",
    "change-me",
    "change_me",
    "insecure",
    "placeholder",
    "your-secret",
    "replaceme",
    "replace-me",
)


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def _yes_or_no(raw: str) -> bool | None:
    """True or False for one of TRUE_WORDS or FALSE_WORDS (any case, spaces around), else None."""
    value = raw.strip().lower()
    return True if value in TRUE_WORDS else False if value in FALSE_WORDS else None


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = _yes_or_no(raw)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")
    return value


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def _statement_options(options: dict) -> dict:
    """`?server_side_binding=true&prepare_threshold=1` (opt-in): psycopg binds parameters on the server and prepares
    a query the second time it runs on a connection, and PostgreSQL then reuses a generic plan for it when that
    plan is no worse (after five runs). On the generated 2,000-person organisation the assessment pages' 11-table
    join took 5-8 ms a run unprepared, 0.5 ms prepared: most of it planning (bench/README.md). Not the default:
    server-side binding changes how every query is sent (a parameter's type must be inferable, a parameter
    cannot be repeated in GROUP BY) and the whole suite has not been run with it on PostgreSQL."""
    found = {}
    if "server_side_binding" in options:
        binding = _yes_or_no(options["server_side_binding"])
        if binding is None:
            raise ImproperlyConfigured(
                f"DATABASE_URL's server_side_binding must be true or false; got {options['server_side_binding']!r}"
            )
        found["server_side_binding"] = binding
    if "prepare_threshold" in options:
        threshold = options["prepare_threshold"].strip()
        if not threshold.isdigit():
            raise ImproperlyConfigured(f"DATABASE_URL's prepare_threshold must be a whole number; got {threshold!r}")
        found["prepare_threshold"] = int(threshold)
    return found


def parse_database_url(url: str, base_dir) -> dict:
    """Turn sqlite:///relative.db, sqlite:////abs.db or postgres://user:pw@host:port/name into DATABASES['default']."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):
            name = path[1:]
        elif path in ("", "/"):
            raise ImproperlyConfigured("DATABASE_URL for SQLite needs a file name, e.g. sqlite:///db.sqlite3")
        else:
            name = str(base_dir / path.lstrip("/"))
        if path == "/:memory:":
            name = ":memory:"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        host = unquote(parsed.hostname or "") if parsed.hostname else ""
        # A Unix socket directory may be given as ?host=/path.
        host = options.pop("host", host)
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": host,
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
        if options:
            config["OPTIONS"] = {**options, **_statement_options(options)}
        return config
    raise ImproperlyConfigured(f"DATABASE_URL must start with sqlite:// or postgres://; got {parsed.scheme or url!r}")


def check_secret_key(key: str) -> None:
    """Refuse a SECRET_KEY that anyone could guess (used when DEBUG is off): short, a placeholder, or a repeat."""
    how = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is {len(key)} characters long; it must be at least {SECRET_KEY_MIN_LENGTH}. {how}"
        )
    lowered = key.lower()
    word = next((word for word in PLACEHOLDER_WORDS if word in lowered), None)
    if key == DEVELOPMENT_SECRET_KEY or word:
        raise ImproperlyConfigured(f"SECRET_KEY is a placeholder (it contains {word!r}), not a secret. {how}")
    if len(set(key)) < 5 or any(key == (key[:size] * len(key))[: len(key)] for size in range(1, 17)):
        raise ImproperlyConfigured(f"SECRET_KEY is a short text repeated, not a secret. {how}")


LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def check_oidc(issuer: str, client_id: str, client_secret: str, password_sign_in: bool) -> None:
    """Refuse a company sign-in (OpenID Connect) set up by halves: an issuer needs its client id and secret, and
    turning password sign-in off needs an issuer (else only superusers could sign in). The issuer is an https
    address (plain http only on this machine's loopback, for tests and trials)."""
    if not issuer:
        if client_id or client_secret:
            raise ImproperlyConfigured("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET need OIDC_ISSUER as well.")
        if not password_sign_in:
            raise ImproperlyConfigured("PASSWORD_SIGN_IN=off needs OIDC_ISSUER: nobody else could sign in.")
        return
    parsed = urlparse(issuer)
    local = parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS
    if not parsed.hostname or (parsed.scheme != "https" and not local) or parsed.query or parsed.fragment:
        raise ImproperlyConfigured(
            f"OIDC_ISSUER must be the provider's https address, e.g. https://example.okta.com; got {issuer!r}"
        )
    pairs = (("OIDC_CLIENT_ID", client_id), ("OIDC_CLIENT_SECRET", client_secret))
    missing = [name for name, value in pairs if not value]
    if missing:
        raise ImproperlyConfigured(f"OIDC_ISSUER is set, so {' and '.join(missing)} must be set too.")

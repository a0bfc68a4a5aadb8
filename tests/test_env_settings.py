"""Settings read from the environment: bad values fail loudly, and production gets safe defaults."""

import re
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pathway.env import DEVELOPMENT_SECRET_KEY, env_bool, env_int, env_list, env_str, parse_database_url

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "pathway" / "settings.py"
BASE = Path("/srv/pathway")
REAL_KEY = "q8Vw-3nXr_T0pLk9ZsY2mFh7JcB4uEa6GdN1oWiQx5RvKtHyMz"  # 50 characters, as generated

# Every variable the settings read, so each test starts from a clean environment.
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "TIME_ZONE",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "LOG_LEVEL",
    "OIDC_ISSUER",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_PROVIDER_NAME",
    "OIDC_CREATE_USERS",
    "PASSWORD_SIGN_IN",
]


@pytest.fixture
def clean_env(monkeypatch):
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def load_settings() -> dict:
    """Run pathway/settings.py afresh with the current environment (the live settings are untouched)."""
    return runpy.run_path(str(SETTINGS_FILE))


# The readers ---------------------------------------------------------------------------------------


def test_env_str_returns_the_default_only_when_unset(clean_env):
    assert env_str("SITE_URL", "http://fallback") == "http://fallback"
    clean_env.setenv("SITE_URL", "")
    assert env_str("SITE_URL", "http://fallback") == ""


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "tru"])
def test_env_bool_refuses_a_word_it_does_not_know(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=f"FLAG must be one of .*got '{raw}'"):
        env_bool("FLAG")


def test_env_bool_ignores_surrounding_spaces_and_case(monkeypatch):
    monkeypatch.setenv("FLAG", "  YES ")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", " Off")
    assert env_bool("FLAG", True) is False


def test_env_int_falls_back_when_unset_or_blank(monkeypatch):
    monkeypatch.delenv("WORKERS", raising=False)
    assert env_int("WORKERS", 4) == 4
    monkeypatch.setenv("WORKERS", "   ")
    assert env_int("WORKERS", 4) == 4
    monkeypatch.setenv("WORKERS", "12")
    assert env_int("WORKERS", 4) == 12


def test_env_int_refuses_a_fraction(monkeypatch):
    monkeypatch.setenv("WORKERS", "1.5")
    with pytest.raises(ImproperlyConfigured, match=r"WORKERS must be a whole number; got '1.5'"):
        env_int("WORKERS", 4)


def test_env_list_default_is_a_copy_and_an_empty_value_means_none(monkeypatch):
    monkeypatch.delenv("HOSTS", raising=False)
    default = ["a.example"]
    hosts = env_list("HOSTS", default)
    hosts.append("b.example")
    assert default == ["a.example"]
    assert env_list("HOSTS") == []
    monkeypatch.setenv("HOSTS", "")
    assert env_list("HOSTS", default) == []


# DATABASE_URL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_url_without_a_file_name_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="needs a file name"):
        parse_database_url(url, BASE)


def test_sqlite_in_memory_url():
    assert parse_database_url("sqlite:///:memory:", BASE) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
    }


def test_sqlite_relative_path_is_under_the_project_and_unquoted():
    assert parse_database_url("sqlite:///data/my%20db.sqlite3", BASE)["NAME"] == "/srv/pathway/data/my db.sqlite3"


@pytest.mark.parametrize("scheme", ["postgresql", "pgsql"])
def test_postgres_scheme_aliases(scheme):
    assert parse_database_url(f"{scheme}://u:p@h/db", BASE)["ENGINE"] == "django.db.backends.postgresql"


def test_postgres_url_defaults_name_and_leaves_host_and_port_blank():
    config = parse_database_url("postgres://", BASE)
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "postgres",
        "",
        "",
        "",
        "",
    )
    assert config["CONN_HEALTH_CHECKS"] is True


def test_postgres_url_keeps_the_last_of_repeated_options():
    config = parse_database_url("postgres://u@h/db?sslmode=disable&sslmode=require&connect_timeout=5", BASE)
    assert config["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}


@pytest.mark.parametrize(
    ("url", "named"),
    [("mysql://u:p@h/db", "'mysql'"), ("db.sqlite3", "'db.sqlite3'")],
)
def test_other_database_urls_are_refused(url, named):
    with pytest.raises(ImproperlyConfigured, match=f"must start with sqlite:// or postgres://; got {named}"):
        parse_database_url(url, BASE)


# The settings module ------------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(clean_env):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set when DEBUG is off"):
        load_settings()


def test_production_defaults_switch_on_https_protections(clean_env):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    clean_env.setenv("ALLOWED_HOSTS", "pathway.example.org")
    settings = load_settings()
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == REAL_KEY
    assert settings["ALLOWED_HOSTS"] == ["pathway.example.org"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31_536_000
    assert settings["SECURE_HSTS_PRELOAD"] is True
    assert "SECURE_PROXY_SSL_HEADER" not in settings
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_allows_no_host_unless_told(clean_env):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    assert load_settings()["ALLOWED_HOSTS"] == []


def test_debug_uses_a_development_key_local_hosts_and_no_https_rules(clean_env):
    clean_env.setenv("DEBUG", "1")
    settings = load_settings()
    assert settings["SECRET_KEY"].startswith("django-insecure-")
    assert settings["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_an_email_host_switches_to_smtp_and_site_url_loses_its_trailing_slash(clean_env):
    clean_env.setenv("DEBUG", "1")
    clean_env.setenv("EMAIL_HOST", "smtp.example.org")
    clean_env.setenv("EMAIL_PORT", "2525")
    clean_env.setenv("SITE_URL", "https://pathway.example.org/")
    settings = load_settings()
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["SITE_URL"] == "https://pathway.example.org"


def test_behind_a_proxy_the_forwarded_protocol_header_is_trusted(clean_env):
    clean_env.setenv("DEBUG", "1")
    clean_env.setenv("SECURE_PROXY_SSL_HEADER", "yes")
    assert load_settings()["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_bad_value_stops_the_settings_loading(clean_env):
    clean_env.setenv("DEBUG", "1")
    clean_env.setenv("SECURE_SSL_REDIRECT", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT must be one of"):
        load_settings()


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("changeme", "8 characters long; it must be at least 50"),
        ("x" * 49, "49 characters long"),
        ("changeme-" * 6, "a placeholder (it contains 'changeme')"),
        ("django-insecure-" + "k3" * 20, "a placeholder (it contains 'insecure')"),
        (DEVELOPMENT_SECRET_KEY, "a placeholder"),
        ("secret" * 9, "a short text repeated"),
        ("abcd" * 13, "a short text repeated"),
    ],
)
def test_production_refuses_a_weak_secret_key(clean_env, key, says):
    clean_env.setenv("SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        load_settings()


def test_debug_accepts_any_secret_key(clean_env):
    clean_env.setenv("DEBUG", "1")
    clean_env.setenv("SECRET_KEY", "changeme")
    assert load_settings()["SECRET_KEY"] == "changeme"


# Company sign-in (OpenID Connect) -------------------------------------------------------------------


def test_company_sign_in_is_off_and_passwords_on_by_default(clean_env):
    clean_env.setenv("DEBUG", "1")
    settings = load_settings()
    assert settings["OIDC_ISSUER"] == "" and settings["PASSWORD_SIGN_IN"] is True
    assert settings["OIDC_CREATE_USERS"] is False


def test_company_sign_in_reads_its_variables(clean_env):
    clean_env.setenv("SECRET_KEY", REAL_KEY)
    clean_env.setenv("OIDC_ISSUER", "https://example.okta.com/")
    clean_env.setenv("OIDC_CLIENT_ID", "0oa1")
    clean_env.setenv("OIDC_CLIENT_SECRET", "s3cret")
    clean_env.setenv("OIDC_PROVIDER_NAME", " Okta ")
    clean_env.setenv("OIDC_CREATE_USERS", "on")
    clean_env.setenv("PASSWORD_SIGN_IN", "off")
    settings = load_settings()
    assert settings["OIDC_ISSUER"] == "https://example.okta.com"
    assert (settings["OIDC_RP_CLIENT_ID"], settings["OIDC_RP_CLIENT_SECRET"]) == ("0oa1", "s3cret")
    assert settings["OIDC_PROVIDER_NAME"] == "Okta"
    assert settings["OIDC_CREATE_USERS"] is True and settings["PASSWORD_SIGN_IN"] is False


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"OIDC_ISSUER": "https://example.okta.com"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too"),
        ({"OIDC_CLIENT_ID": "0oa1"}, "need OIDC_ISSUER as well"),
        ({"PASSWORD_SIGN_IN": "off"}, "PASSWORD_SIGN_IN=off needs OIDC_ISSUER"),
        (
            {"OIDC_ISSUER": "http://sso.example.com", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"},
            "must be the provider's https address",
        ),
    ],
)
def test_company_sign_in_set_up_by_halves_stops_the_start(clean_env, variables, says):
    clean_env.setenv("DEBUG", "1")
    for name, value in variables.items():
        clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        load_settings()

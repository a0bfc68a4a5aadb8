"""Pathway settings, read from environment variables (see the table in README.md).

Development: DEBUG=1 gives a dev secret key, SQLite and no HTTPS rules.
Production: DEBUG off (the default) requires SECRET_KEY and ALLOWED_HOSTS and
switches on the HTTPS and cookie protections.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from pathway.env import (
    DEVELOPMENT_SECRET_KEY,
    check_oidc,
    check_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# With DEBUG on, a 404 shows Pathway's own page (as in production) unless this asks for Django's technical one.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG:
    check_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "frameworks",
    "assessments",
    "pathway.admin_site.PathwayAdminConfig",  # django.contrib.admin, its index grouped by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise, so static files keep its long caching and carry no page headers.
    "csp.middleware.CSPMiddleware",
    "pathway.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pathway.bad_address.RefuseUnusableAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "pathway.not_found.ProductNotFoundMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the sign-in page with the lock explained.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pathway.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessments.home.context_processors.people",
            ],
        },
    },
]

WSGI_APPLICATION = "pathway.wsgi.application"

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The forms sized by a framework post more than Django's default 1,000 fields, which refused the expectations grid of a
# 160-capability framework (a bare 400): the grid posts one field per capability × level of a track, the plain
# (no-JavaScript) assessment page three per capability it shows. Sized for the largest framework we expect, 400
# capabilities × 20 levels on a track (8,000 cells). The parsing work stays bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
# (2.5 MB of body), which this leaves as it is.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes; README "Sign-in throttling"). The axes backend comes first: it refuses a locked
# account or address before the model backend computes a password hash, so a guess while locked costs no hashing.
# The password gate refuses password sign-in to everyone but superusers when PASSWORD_SIGN_IN is off; the company
# provider's backend signs in only through its callback (README "Company sign-in").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.oidc.PasswordSignInGate",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.CompanySignIn",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # an account, or an address, whichever hits its limit first
AXES_FAILURE_LIMIT = 5  # failed sign-ins per account (enough for a few typos, far too few to guess a password)
SIGN_IN_ADDRESS_FAILURE_LIMIT = 20  # per client address: more, since a whole office may share one address
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_HANDLER = "accounts.throttle.SignInFailures"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttle.typed_email"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
# A guess while locked neither extends the lock nor is recorded, so the time on the page stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed attempts are kept while they count (the cool-off); successful sign-ins are not logged (`last_login` is).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For (0: the client is REMOTE_ADDR). The
# throttles count by the address the outermost trusted proxy saw (accounts.throttle.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Company sign-in through the organisation's OpenID Connect provider (README "Company sign-in"; accounts/oidc.py).
# Off unless OIDC_ISSUER is set. The provider's endpoints come from its discovery document, cached for an hour.
OIDC_ISSUER = (env_str("OIDC_ISSUER", "") or "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "") or ""
OIDC_PROVIDER_NAME = (env_str("OIDC_PROVIDER_NAME", "") or "").strip() or "your work account"
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", False)  # an unknown (verified) email gets a new account
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)  # off: only superusers sign in with a password
check_oidc(OIDC_ISSUER, OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET, PASSWORD_SIGN_IN)
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic, the spec's default, which every provider accepts
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_TIMEOUT = 10  # seconds for each call to the provider
OIDC_DISCOVERY_CACHE_SECONDS = 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Files the app makes (the promotion PDFs). Web and worker processes must share it: on several machines, a
# shared volume.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))

# Work off the request path (emails, promotion PDFs) runs on django-tasks with its database backend: durable,
# retried, visible to HR in the admin, run by `manage.py db_worker` (one or many, on SQLite or PostgreSQL).
# Tests run tasks immediately (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# History is an audit trail: read in the admin, never reverted from it (the admins also refuse the POST).
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pathway <pathway@localhost>")
# How many days before a review cycle's deadline its reminders go out (`manage.py send_cycle_reminders`).
CYCLE_REMINDER_DAYS = env_int("CYCLE_REMINDER_DAYS", 3)
# Absolute links in emails are built from this.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security: safe production defaults, each switchable for a proxy that terminates TLS differently.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts and styles only from Pathway's own static files, never inline
# (templates hold no <script>, style= or on…= handlers: tests/test_security_headers.py); data: images for
# Bootstrap's and the admin's SVG icons in CSS; no plugins, no framing, forms post only to Pathway.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint's font subsetting logs a line per glyph table at INFO: noise in every PDF render.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # Axes logs every sign-in at INFO; failures and locks are WARNING.
        "axes": {"level": "WARNING"},
    },
}

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_answers_ok_when_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_503_when_database_is_unreachable(client, db):
    with mock.patch("pathway.views.connection.cursor", side_effect=OperationalError("could not connect")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_pages_require_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_says_what_pathway_is(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Pathway" in response.content
    assert b'name="username"' in response.content and b'type="email"' in response.content


def test_sign_in_with_email_in_any_case(client, pm, password):
    response = client.post(reverse("login"), {"username": "PRIYA@Example.com", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == pm


def test_wrong_password_keeps_email_and_explains(client, pm):
    response = client.post(reverse("login"), {"username": "priya@example.com", "password": "nope"})
    assert response.status_code == 200
    assert b"Enter the email address and password" in response.content
    assert b'value="priya@example.com"' in response.content


def test_inactive_person_cannot_sign_in(client, pm, password):
    pm.is_active = False
    pm.save()
    response = client.post(reverse("login"), {"username": "priya@example.com", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only_and_ends_session(client, pm):
    client.force_login(pm)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_every_user_gets_a_person(db):
    from tests.factories import make_user

    user = make_user("new@example.com", "New Joiner")
    assert user.person.level is None
    assert user.person.manager is None


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_", "SESSION_", "CSRF_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="pathway.example.com",
        DATABASE_URL="sqlite:///:memory:",
    )
    env.update(overrides)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_setting_fails_loudly(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(DEBUG=value),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_bad_database_url_fails_loudly():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(DATABASE_URL="mysql://x@y/z"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:// or postgres://" in result.stderr

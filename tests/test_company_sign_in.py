"""Company sign-in (OpenID Connect) against a real provider: django-oauth-toolkit in its own process
(tests/oidc_provider). Pathway runs in the test client; the person's part at the provider is done over HTTP, as a
browser would (tests/browser/test_company_sign_in.py does it in Chromium)."""

from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache

from accounts import oidc
from accounts.models import User
from accounts.views import ID_TOKEN_KEY
from tests.factories import make_user
from tests.oidc_provider.fixtures import PROVIDER_NAME, sign_in_at_provider


def start(client, query=""):
    """Click "Sign in with …": Pathway's answer, sending the browser to the provider."""
    response = client.get(f"/accounts/sign-in/oidc/{query}")
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def sign_in_as(client, username, query=""):
    """The whole journey; returns Pathway's answer to the provider's redirect back."""
    return client.get(sign_in_at_provider(start(client, query), username))


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def test_a_verified_email_signs_in_to_its_account_in_any_case(
    client, company_sign_in, pm, django_assert_max_num_queries
):
    authorize = start(client, "?next=/frameworks/")
    asked = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(company_sign_in.issuer + "/authorize/")
    assert asked["response_type"] == ["code"] and asked["scope"] == ["openid email profile"]
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"] and asked["state"]

    back = sign_in_at_provider(authorize, "priya")  # the provider says "Priya@Example.com"
    with django_assert_max_num_queries(12):
        response = client.get(back)

    assert response.status_code == 302 and response["Location"] == "/frameworks/"
    assert signed_in_user_id(client) == str(pm.pk)
    assert client.session[ID_TOKEN_KEY].count(".") == 2  # the ID token, kept for the provider's sign-out
    assert client.get("/").status_code == 200


def test_an_unverified_email_is_refused(client, company_sign_in, framework):
    make_user("uma@example.com", "Uma Unverified")
    response = sign_in_as(client, "uma")
    assert response.status_code == 403
    assert "Test ID has not confirmed that <strong>uma@example.com</strong> is your address" in response.text
    assert signed_in_user_id(client) is None


def test_an_unknown_email_is_refused_and_no_account_is_made(client, company_sign_in, db):
    response = sign_in_as(client, "nina")
    assert response.status_code == 403
    assert "There is no Pathway account for <strong>nina@example.com</strong>" in response.text
    assert "Ask your HR team to add you" in response.text
    assert not User.objects.filter(email="nina@example.com").exists()
    assert signed_in_user_id(client) is None


def test_an_unknown_email_gets_an_account_and_a_place_when_the_provider_may_create_them(
    client, company_sign_in, settings, db
):
    settings.OIDC_CREATE_USERS = True
    response = sign_in_as(client, "nina")
    assert response.status_code == 302 and response["Location"] == "/"
    nina = User.objects.get(email="nina@example.com")
    assert nina.full_name == "Nina Newcomer" and nina.can_sign_in and not nina.is_staff
    assert nina.person.level is None and nina.person.manager is None
    assert signed_in_user_id(client) == str(nina.pk)
    assert "Your level has not been set yet" in client.get("/").text  # My pathway says who sets it


def test_a_tampered_state_is_refused_and_the_real_one_works_once(client, company_sign_in, pm):
    back = sign_in_at_provider(start(client), "priya")
    tampered = back.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 400 and "Sign-in did not finish" in response.text
    assert signed_in_user_id(client) is None

    assert client.get(back).status_code == 302  # the sign-in Pathway started still finishes
    client.logout()
    replayed = client.get(back)  # the same answer again: its state is spent
    assert replayed.status_code == 400 and "already been used" in replayed.text
    assert signed_in_user_id(client) is None


def test_an_id_token_for_another_application_is_refused(client, company_sign_in, framework, caplog):
    make_user("mallory@example.com", "Mallory Mixup")
    response = sign_in_as(client, "mallory")  # the provider issues her ID token for "another-app"
    assert response.status_code == 400
    assert "did not match the sign-in Pathway started" in response.text
    assert "Audience doesn't match" in caplog.text
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("close", ["leaver", "unusable password"])
def test_a_closed_account_is_refused(client, company_sign_in, framework, close):
    leo = make_user("leo@example.com", "Leo Leaver")
    if close == "leaver":
        leo.is_active = False
    else:
        leo.set_unusable_password()
    leo.save()
    response = sign_in_as(client, "leo")
    assert response.status_code == 403
    assert "The Pathway account for <strong>leo@example.com</strong> is closed" in response.text
    assert signed_in_user_id(client) is None


def test_marking_someone_as_leaver_ends_their_company_session(client, company_sign_in, pm):
    assert sign_in_as(client, "priya").status_code == 302
    pm.is_active = False
    pm.save()
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(client, company_sign_in, pm):
    at_provider = requests.Session()
    client.get(sign_in_at_provider(start(client), "priya", at_provider))
    id_token = client.session[ID_TOKEN_KEY]

    cache.clear()  # another worker's memory: the offer comes from the session, not from a cached document
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    assert signed_in_user_id(client) is None
    page = client.get("/accounts/sign-in/")
    offer = page.context["provider_sign_out"]
    assert offer.startswith(company_sign_in.issuer + "/logout/")
    assert parse_qs(urlsplit(offer).query) == {
        "id_token_hint": [id_token],
        "client_id": ["pathway"],
        "post_logout_redirect_uri": ["http://testserver/accounts/sign-in/"],
    }
    assert "Sign out of Test ID too" in page.text
    assert "Sign out of Test ID too" not in client.get("/accounts/sign-in/").text  # offered once

    left = at_provider.get(offer, allow_redirects=False, timeout=10)  # the provider signs her out and sends her back
    assert left.status_code == 302 and left.headers["Location"] == "http://testserver/accounts/sign-in/"
    again = at_provider.get(start(client), allow_redirects=False, timeout=10)
    assert again.status_code == 302 and "/login/" in again.headers["Location"]  # she must sign in there again


def test_discovery_is_read_once_and_a_provider_that_is_down_gets_a_clear_page(client, company_sign_in, settings, db):
    cache.clear()
    with mock.patch("accounts.oidc.requests.get", wraps=requests.get) as fetched:
        start(client)
        start(client)
        assert [call.args[0] for call in fetched.call_args_list] == [
            company_sign_in.issuer + "/.well-known/openid-configuration"
        ]

        settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
        fetched.reset_mock()
        for _ in range(2):
            response = client.get("/accounts/sign-in/oidc/")
            assert response.status_code == 503
            assert "Pathway cannot reach Test ID at the moment" in response.text
        assert fetched.call_count == 1  # the failure is remembered for a moment, so the next click does not wait


def test_a_provider_that_fails_during_the_sign_in_gets_a_clear_page(client, company_sign_in, pm):
    back = sign_in_at_provider(start(client), "priya")
    with mock.patch("mozilla_django_oidc.auth.requests.post", side_effect=requests.ConnectionError("refused")):
        response = client.get(back)
    assert response.status_code == 503 and "Pathway cannot reach Test ID" in response.text
    assert signed_in_user_id(client) is None


def test_the_sign_in_page_offers_both_ways_by_default(client, company_sign_in, db):
    page = client.get("/accounts/sign-in/?next=/team/")
    assert 'href="/accounts/sign-in/oidc/?next=/team/"' in page.text
    assert f"Sign in with {PROVIDER_NAME}" in page.text
    assert "Or sign in with your email and password" in page.text and 'name="password"' in page.text
    assert "autofocus" not in page.text  # focus stays on the page's first action, the provider's button


def test_with_password_sign_in_off_only_superusers_use_a_password(client, company_sign_in, settings, pm, password):
    settings.PASSWORD_SIGN_IN = False
    page = client.get("/accounts/sign-in/")
    assert 'name="password"' not in page.text and "Forgotten your password?" not in page.text
    assert f"Sign in with {PROVIDER_NAME}" in page.text and "sign in with a password" in page.text

    refused = client.post("/accounts/sign-in/", {"username": "priya@example.com", "password": password})
    assert refused.status_code == 200 and signed_in_user_id(client) is None
    assert "Everyone else signs in with Test ID" in refused.text
    assert 'value="priya@example.com"' in refused.text  # what she typed is kept

    client.post("/accounts/password-reset/", {"email": "priya@example.com"})
    assert mail.outbox == []  # no reset link for a password she could not use

    admin = make_user("ada@example.com", "Ada Admin", is_superuser=True, is_staff=True)
    form = client.get("/accounts/sign-in/?with=password")
    assert 'name="password"' in form.text and "Administrators: sign in with a password" in form.text
    assert "autofocus" in form.text  # asked for: the email field has focus
    allowed = client.post("/accounts/sign-in/", {"username": "ADA@example.com", "password": password})
    assert allowed.status_code == 302 and signed_in_user_id(client) == str(admin.pk)


def test_company_sign_in_when_already_signed_in_goes_home(client, company_sign_in, pm):
    client.force_login(pm)
    response = client.get("/accounts/sign-in/oidc/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_without_an_issuer_there_is_no_company_sign_in(client, db):
    assert client.get("/accounts/sign-in/oidc/").status_code == 404
    assert client.get("/accounts/sign-in/oidc/callback/?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get("/accounts/sign-in/").text


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"email_verified": False}, False),
        ({}, False),
        ({"xms_edov": True}, True),  # Microsoft Entra ID sends this instead
        ({"email_verified": False, "xms_edov": True}, False),
    ],
)
def test_which_claims_vouch_for_an_email(claims, verified):
    assert oidc.email_is_verified(claims) is verified


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?code=x", 400),
        ("?state=%00%ff&code=%F0%9F%98%80", 400),
        ("?error=access_denied&error_description=<script>alert(1)</script>", 403),
        ("?state=a&state=b&code=c", 400),
    ],
)
def test_whatever_comes_to_the_callback_gets_a_page_not_an_error(client, company_sign_in, db, query, status):
    response = client.get(f"/accounts/sign-in/oidc/callback/{query}")
    assert response.status_code == status
    assert "<script>alert" not in response.text
    assert signed_in_user_id(client) is None


def test_the_admins_sign_in_is_pathways_own_with_company_sign_in_on(client, settings, pm):
    settings.OIDC_ISSUER = "https://sso.example.com"  # no call to the provider is needed for this
    response = client.get("/admin/login/?next=/admin/assessments/person/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/admin/assessments/person/"
    client.force_login(pm)  # signed in, but not staff: Django's page says so, rather than sending her round
    assert client.get("/admin/login/?next=/admin/").status_code == 200

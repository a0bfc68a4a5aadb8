"""Fixtures for company sign-in against the real test provider (tests/oidc_provider), started once per test
process, the first time a test asks for it, and stopped when the process ends."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.oidc_provider import people as claims

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_NAME = "Test ID"


@dataclass(frozen=True)
class Provider:
    url: str
    issuer: str


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    log = tmp_path_factory.mktemp("oidc-provider") / "stderr.txt"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"the test OpenID Connect provider did not start:\n{log.read_text()}", pytrace=False)
        ready = json.loads(line)
        yield Provider(url=ready["url"], issuer=ready["issuer"])
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def company_sign_in(settings, oidc_provider):
    """Pathway set up to sign in through the test provider, as the environment would set it up."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = claims.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = claims.CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    return oidc_provider


def sign_in_at_provider(authorize_url: str, username: str, session: requests.Session | None = None) -> str:
    """Do what a person does at the provider (its sign-in form, as a browser would post it) and return the path
    and query the provider sends the browser back to (Pathway's callback, with the code and state)."""
    session = session or requests.Session()
    page = session.get(authorize_url, timeout=10)
    assert page.status_code == 200 and "Test identity provider" in page.text, page.text[:500]
    answer = session.post(
        page.url,
        data={
            "username": username,
            "password": claims.PASSWORD,
            "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
            "next": parse_qs(urlsplit(page.url).query)["next"][0],
        },
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    back = session.get(requests.compat.urljoin(page.url, answer.headers["Location"]), timeout=10, allow_redirects=False)
    assert back.status_code == 302, back.text[:500]
    location = urlsplit(back.headers["Location"])
    assert location.netloc == "testserver", back.headers["Location"]
    return f"{location.path}?{location.query}"

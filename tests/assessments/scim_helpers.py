"""Helpers for the SCIM tests: a SCIM client on the test client, payloads, PATCH bodies."""

import json

import pytest

from assessments.people.scim.models import ScimToken

BASE = "/scim/v2"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim_token(db):
    return ScimToken.issue("okta")


@pytest.fixture
def scim(client, scim_token):
    """A SCIM client: call(method, path, body) → (status, JSON or None)."""
    _, secret = scim_token

    def call(method, path, body=None, **headers):
        response = getattr(client, method.lower())(
            BASE + path,
            data=json.dumps(body) if body is not None else None,
            content_type="application/scim+json",
            headers={"Authorization": f"Bearer {secret}", **headers},
        )
        content = json.loads(response.content) if response.content else None
        call.last = response
        return response.status_code, content

    return call


def user_payload(user_name, *, email=None, given="Ada", family="Lovelace", manager=None, **extra):
    payload = {
        "schemas": [CORE, ENTERPRISE],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": email or user_name, "type": "work", "primary": True}],
        "active": True,
        **extra,
    }
    if manager is not None:
        payload[ENTERPRISE] = {"manager": {"value": str(manager)}}
    return payload


def patch(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


def create(scim, user_name, **kwargs):
    status, body = scim("post", "/Users", user_payload(user_name, **kwargs))
    assert status == 201, body
    return body

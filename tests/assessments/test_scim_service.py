"""SCIM (issue 13): tokens, groups and the HR admins group, filters, pagination and discovery."""

import io
import json

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import call_command
from django.utils import timezone

from accounts.models import HR_ADMINS_GROUP, User
from assessments.people.models import Person
from assessments.people.scim.models import DirectoryGroup, ScimToken, hash_token
from tests.assessments.scim_helpers import BASE, CORE, ERROR, create, patch
from tests.factories import make_user

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def test_create_scim_token_prints_the_secret_once_and_keeps_its_hash(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_scim_token", "entra-id", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ScimToken.objects.get(name="entra-id")
    assert token.token_hash == hash_token(secret) and secret not in token.token_hash
    assert "Copy it now" in err.getvalue()
    assert ScimToken.holding(secret) == token


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer revoked"])
def test_missing_wrong_or_revoked_token_is_401(client, db, header):
    revoked, secret = ScimToken.issue("old")
    revoked.revoked_at = timezone.now()
    revoked.save()
    headers = {"Authorization": header.replace("revoked", secret)} if header else {}
    response = client.get(BASE + "/Users", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ERROR in json.loads(response.content)["schemas"]


def test_writes_need_no_csrf_token(scim_token):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        BASE + "/Users",
        data=json.dumps({"schemas": [CORE], "userName": "c@example.com", "emails": [{"value": "c@example.com"}]}),
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {scim_token[1]}"},
    )
    assert response.status_code == 201


def test_revoking_in_the_admin(admin_client, scim_token):
    response = admin_client.post(
        "/admin/assessments/scimtoken/", {"action": "revoke", "_selected_action": [scim_token[0].pk]}, follow=True
    )
    assert response.status_code == 200 and "1 token revoked" in response.content.decode()
    assert ScimToken.holding(scim_token[1]) is None
    assert admin_client.get("/admin/assessments/scimtoken/add/").status_code == 403


def test_filter_and_pagination(scim, django_assert_max_num_queries):
    for number in range(7):
        create(scim, f"user{number}@example.com", externalId=f"ext-{number}")
    with django_assert_max_num_queries(4):
        status, page = scim("get", "/Users?startIndex=3&count=2")
    assert status == 200
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (7, 3, 2)
    assert [item["userName"] for item in page["Resources"]] == ["user2@example.com", "user3@example.com"]
    assert scim("get", '/Users?filter=externalId eq "ext-5"')[1]["Resources"][0]["userName"] == "user5@example.com"
    both = scim("get", '/Users?filter=externalId eq "ext-1" or userName sw "user6"')[1]
    assert {item["userName"] for item in both["Resources"]} == {"user1@example.com", "user6@example.com"}
    assert scim("get", "/Users?count=0")[1] == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 7,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }
    only = scim("get", "/Users?count=1&attributes=userName")[1]["Resources"][0]
    assert set(only) == {"schemas", "id", "userName"}
    searched = scim("post", "/Users/.search", {"filter": 'userName eq "user4@example.com"', "count": 5})[1]
    assert searched["totalResults"] == 1


@pytest.mark.parametrize("expression", ["userName eq", 'shoeSize eq "9"', 'userName xx "a"'])
def test_bad_filter_is_invalid_filter(scim, expression):
    status, body = scim("get", f"/Users?filter={expression}")
    assert status == 400 and body["scimType"] == "invalidFilter"


def group_payload(name, members=()):
    return {"schemas": [GROUP], "displayName": name, "members": [{"value": str(member)} for member in members]}


def test_hr_admins_group_membership_is_hr_admin_access(scim):
    ada = create(scim, "ada@example.com")
    bob = create(scim, "bob@example.com")
    by_hand = make_user("hand@example.com", "Hand Made", hr_admin=True)
    status, group = scim("post", "/Groups", group_payload("HR admins", [ada["id"]]))
    assert status == 201 and group["members"][0]["value"] == ada["id"]
    assert User.objects.get(email="ada@example.com").is_hr_admin
    assert User.objects.get(email="ada@example.com").is_staff
    status, _ = scim(
        "patch",
        f"/Groups/{group['id']}",
        patch(
            {"op": "add", "path": "members", "value": [{"value": bob["id"]}]},
            {"op": "remove", "path": f'members[value eq "{ada["id"]}"]'},
        ),
    )
    assert status == 200
    hr = set(AuthGroup.objects.get(name=HR_ADMINS_GROUP).user_set.values_list("email", flat=True))
    assert hr == {"bob@example.com", "hand@example.com"}  # HR admins made by hand stay
    assert not User.objects.get(email="ada@example.com").is_staff
    reasons = Person.objects.get(pk=ada["id"]).history.values_list("history_change_reason", flat=True)
    assert "SCIM token “okta”: removed from HR admins" in reasons
    assert scim("delete", f"/Groups/{group['id']}")[0] == 204
    assert not User.objects.get(email="bob@example.com").is_hr_admin
    assert User.objects.get(pk=by_hand.pk).is_hr_admin


def test_other_groups_give_no_access_and_refuse_unknown_members(scim):
    ada = create(scim, "ada@example.com")
    status, group = scim("post", "/Groups", group_payload("Engineering", [ada["id"]]))
    assert status == 201 and not User.objects.get(email="ada@example.com").is_hr_admin
    status, body = scim("put", f"/Groups/{group['id']}", group_payload("Engineering", [ada["id"], 999999]))
    assert status == 400 and body["scimType"] == "invalidValue"
    assert scim("post", "/Groups", group_payload("engineering"))[0] == 409
    assert list(DirectoryGroup.objects.get().members.values_list("pk", flat=True)) == [int(ada["id"])]
    assert scim("get", '/Groups?filter=displayName eq "ENGINEERING"')[1]["totalResults"] == 1
    assert scim("get", f'/Groups?filter=members[value eq "{ada["id"]}"]')[1]["totalResults"] == 1


def test_deleted_user_leaves_the_hr_admins_group(scim):
    ada = create(scim, "ada@example.com")
    scim("post", "/Groups", group_payload("HR admins", [ada["id"]]))
    scim("delete", f"/Users/{ada['id']}")
    assert not AuthGroup.objects.get(name=HR_ADMINS_GROUP).user_set.exists()
    assert scim("get", "/Groups")[1]["Resources"][0].get("members") is None


def test_discovery_endpoints(scim):
    status, config = scim("get", "/ServiceProviderConfig")
    assert status == 200 and config["etag"]["supported"] and config["patch"]["supported"]
    assert not config["bulk"]["supported"]
    types = scim("get", "/ResourceTypes")[1]
    assert {item["id"] for item in types["Resources"]} == {"User", "Group"}
    schemas = scim("get", "/Schemas")[1]
    user_schema = next(item for item in schemas["Resources"] if item["id"] == CORE)
    assert {attribute["name"] for attribute in user_schema["attributes"]} == {
        "userName", "name", "displayName", "title", "userType", "active", "emails",
    }  # fmt: skip
    assert scim("get", f"/Schemas/{CORE}")[0] == 200
    assert scim("get", "/Schemas/urn:nope")[0] == 404
    status, body = scim("get", "/Nothing/here")
    assert status == 404 and ERROR in body["schemas"]
    assert scim("delete", "/ServiceProviderConfig")[0] == 405

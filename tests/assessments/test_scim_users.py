"""SCIM Users (issue 13): what a directory's writes do to people and accounts, and what it reads back."""

import json

import pytest

from accounts.models import User
from assessments.people.models import Person
from tests.assessments.scim_helpers import BASE, CORE, ENTERPRISE, ERROR, create, patch, user_payload
from tests.factories import make_user


def test_create_maps_onto_account_and_person(scim):
    boss = create(scim, "boss@example.com", given="Bea", family="Boss")
    body = create(
        scim,
        "ada@example.com",
        manager=boss["id"],
        title="Senior Product Manager",
        userType="Employee",
        externalId="00u1",
    )
    person = Person.objects.select_related("user").get(pk=body["id"])
    assert (person.user.email, person.user.full_name, person.job_title) == (
        "ada@example.com",
        "Ada Lovelace",
        "Senior Product Manager",
    )
    assert person.employee_type == "Employee"
    assert person.manager_id == int(boss["id"])
    assert person.path == f"/{boss['id']}/{body['id']}/"
    assert person.user.is_active and person.user.has_usable_password()
    assert body["userName"] == "ada@example.com" and body["externalId"] == "00u1"
    assert body[ENTERPRISE]["manager"]["value"] == boss["id"]
    assert scim.last["Location"].endswith(f"/scim/v2/Users/{body['id']}")
    assert scim.last["ETag"] == body["meta"]["version"]


def test_department_is_kept_for_the_level_rules(scim):
    payload = user_payload("dee@example.com")
    payload[ENTERPRISE] = {"department": "Payments"}
    status, body = scim("post", "/Users", payload)
    assert status == 201
    assert Person.objects.get(pk=body["id"]).department == "Payments"
    assert body[ENTERPRISE]["department"] == "Payments"


def test_a_user_name_that_is_not_an_address_uses_the_primary_email(scim):
    body = create(scim, "ada.lovelace", email="Ada@Example.com")
    assert Person.objects.get(pk=body["id"]).user.email == "ada@example.com"
    status, found = scim("get", '/Users?filter=userName eq "ADA.LOVELACE"')
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == body["id"]


def test_an_existing_person_is_found_by_email_as_user_name(scim):
    existing = make_user("priya@example.com", "Priya Product")
    status, found = scim("get", '/Users?filter=userName eq "Priya@example.com"')
    assert status == 200 and found["totalResults"] == 1
    assert found["Resources"][0]["id"] == str(existing.person.pk)


def test_duplicate_user_name_is_a_conflict_and_changes_nothing(scim):
    make_user("priya@example.com", "Priya Product")
    before = User.objects.count()
    status, body = scim("post", "/Users", user_payload("priya@example.com"))
    assert status == 409 and body["scimType"] == "uniqueness" and ERROR in body["schemas"]
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "payload, scim_type",
    [
        ({"schemas": [CORE], "emails": [{"value": "x@example.com"}]}, "invalidValue"),
        ({"schemas": [CORE], "userName": "no-address"}, "invalidValue"),
        ({"schemas": [CORE], "userName": "a@example.com", "emails": [{"value": "not an address"}]}, "invalidValue"),
        ({"schemas": [CORE], "userName": "a@example.com", "shoeSize": 9}, None),
        ({"schemas": [CORE], "userName": "a@example.com", "name": {"formatted": "Bad\x00Name"}}, "invalidValue"),
        ({"schemas": [CORE], "userName": "a@example.com", "externalId": "\ud800"}, "invalidValue"),
    ],
)
def test_bad_payloads_get_a_scim_error_and_change_nothing(scim, payload, scim_type):
    before = User.objects.count()
    status, body = scim("post", "/Users", payload)
    assert status == 400 and ERROR in body["schemas"] and body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type
    assert User.objects.count() == before


def test_body_that_is_not_json_is_invalid_syntax(client, scim_token):
    response = client.post(
        BASE + "/Users",
        data="{nope",
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {scim_token[1]}"},
    )
    assert response.status_code == 400 and json.loads(response.content)["scimType"] == "invalidSyntax"


def test_manager_that_would_make_a_loop_is_refused_and_nothing_moves(scim):
    top = create(scim, "top@example.com")
    middle = create(scim, "middle@example.com", manager=top["id"])
    bottom = create(scim, "bottom@example.com", manager=middle["id"])
    paths = dict(Person.objects.values_list("pk", "path"))
    status, body = scim(
        "patch",
        f"/Users/{top['id']}",
        patch({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": bottom["id"]}}),
    )
    assert status == 400 and body["scimType"] == "invalidValue"
    assert "already reports to" in body["detail"]
    assert dict(Person.objects.values_list("pk", "path")) == paths
    status, body = scim(
        "patch",
        f"/Users/{top['id']}",
        patch({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": top["id"]}}),
    )
    assert status == 400 and "own manager" in body["detail"]


def test_moving_a_manager_moves_everyone_below_in_the_same_write(scim):
    first = create(scim, "first@example.com")
    second = create(scim, "second@example.com")
    middle = create(scim, "middle@example.com", manager=first["id"])
    bottom = create(scim, "bottom@example.com", manager=middle["id"])
    # Entra ID sends the manager as a bare id.
    status, _ = scim(
        "patch",
        f"/Users/{middle['id']}",
        patch({"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": second["id"]}),
    )
    assert status == 200
    assert Person.objects.get(pk=bottom["id"]).path == f"/{second['id']}/{middle['id']}/{bottom['id']}/"
    status, _ = scim("patch", f"/Users/{middle['id']}", patch({"op": "remove", "path": f"{ENTERPRISE}:manager"}))
    assert status == 200
    assert Person.objects.get(pk=bottom["id"]).path == f"/{middle['id']}/{bottom['id']}/"


def test_unknown_manager_is_refused(scim):
    status, body = scim("post", "/Users", user_payload("a@example.com", manager=999999))
    assert status == 400 and body["scimType"] == "invalidValue"
    assert not User.objects.filter(email="a@example.com").exists()


def test_active_false_makes_a_leaver_who_keeps_their_history(scim):
    body = create(scim, "leaver@example.com", title="PM")
    status, changed = scim("patch", f"/Users/{body['id']}", patch({"op": "replace", "value": {"active": "False"}}))
    assert status == 200 and changed["active"] is False
    person = Person.objects.select_related("user").get(pk=body["id"])
    assert not person.user.is_active and not person.user.can_sign_in and person.job_title == "PM"
    assert "marked as leaver" in person.history.first().history_change_reason
    status, again = scim("patch", f"/Users/{body['id']}", patch({"op": "replace", "path": "active", "value": True}))
    assert again["active"] is True and User.objects.get(email="leaver@example.com").is_active


def test_delete_makes_a_leaver_and_the_user_is_gone_for_scim(scim):
    body = create(scim, "gone@example.com")
    report = create(scim, "report@example.com", manager=body["id"])
    status, _ = scim("delete", f"/Users/{body['id']}")
    assert status == 204
    person = Person.objects.select_related("user").get(pk=body["id"])
    assert not person.user.is_active
    assert Person.objects.get(pk=report["id"]).manager_id == person.pk  # the tree is history too
    assert scim("get", f"/Users/{body['id']}")[0] == 404
    assert scim("delete", f"/Users/{body['id']}")[0] == 404
    assert scim("get", '/Users?filter=userName eq "gone@example.com"')[1]["totalResults"] == 0
    # The directory may bring them back: the same person, active again.
    again = create(scim, "gone@example.com")
    assert again["id"] == body["id"] and again["active"] is True


def test_superuser_account_cannot_be_changed_or_closed(scim):
    root = User.objects.create_superuser(email="root@example.com", password="x", full_name="Root")
    status, body = scim("patch", f"/Users/{root.person.pk}", patch({"op": "replace", "path": "active", "value": False}))
    assert status == 403
    assert scim("delete", f"/Users/{root.person.pk}")[0] == 403
    assert User.objects.get(pk=root.pk).is_active


def test_put_replaces_and_clears_what_is_left_out(scim):
    body = create(scim, "put@example.com", title="PM", userType="Contractor")
    payload = user_payload("put@example.com", given="Ada", family="King")
    status, replaced = scim("put", f"/Users/{body['id']}", payload)
    assert status == 200
    person = Person.objects.select_related("user").get(pk=body["id"])
    assert (person.user.full_name, person.job_title, person.employee_type) == ("Ada King", "", "")
    assert replaced["name"]["familyName"] == "King"


def test_patch_with_path_filters(scim):
    body = create(scim, "pf@example.com")
    status, changed = scim(
        "patch",
        f"/Users/{body['id']}",
        patch(
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
            {"op": "add", "path": "title", "value": "Lead"},
            {"op": "replace", "path": "name.givenName", "value": "Augusta"},
            {"op": "replace", "path": "displayName", "value": "Augusta Ada King"},
        ),
    )
    assert status == 200, changed
    user = User.objects.get(person__pk=body["id"])
    assert (user.email, user.full_name) == ("new@example.com", "Augusta Ada King")
    status, body2 = scim("patch", f"/Users/{body['id']}", patch({"op": "remove", "path": "title"}))
    assert status == 200 and "title" not in body2
    status, error = scim(
        "patch",
        f"/Users/{body['id']}",
        patch({"op": "replace", "path": 'emails[type eq "home"].value', "value": "x@example.com"}),
    )
    assert status == 400 and error["scimType"] == "noTarget"
    assert User.objects.get(person__pk=body["id"]).email == "new@example.com"


def test_etag_if_match(scim):
    body = create(scim, "etag@example.com")
    version = body["meta"]["version"]
    status, _ = scim(
        "patch",
        f"/Users/{body['id']}",
        patch({"op": "replace", "path": "title", "value": "A"}),
        **{"If-Match": '"old"'},
    )
    assert status == 412 and Person.objects.get(pk=body["id"]).job_title == ""
    status, changed = scim(
        "patch",
        f"/Users/{body['id']}",
        patch({"op": "replace", "path": "title", "value": "A"}),
        **{"If-Match": version},
    )
    assert status == 200 and changed["meta"]["version"] != version
    assert scim("get", f"/Users/{body['id']}", **{"If-None-Match": changed["meta"]["version"]})[0] == 304


def test_every_write_is_in_the_history_with_the_token_name(scim):
    body = create(scim, "audit@example.com")
    scim("patch", f"/Users/{body['id']}", patch({"op": "replace", "path": "title", "value": "Lead"}))
    scim("delete", f"/Users/{body['id']}")
    reasons = list(
        Person.objects.get(pk=body["id"]).history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons[-3:] == [
        "SCIM token “okta”: created",
        "SCIM token “okta”: updated",
        "SCIM token “okta”: deleted by the directory, marked as leaver",
    ]

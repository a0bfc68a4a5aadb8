"""HR reads what a directory changed over SCIM (the person's history names the token) and revokes its token."""

import json

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.roles import sync_hr_admin_permissions
from assessments.people.scim.models import ScimToken

pytestmark = pytest.mark.browser

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_hr_reads_the_directorys_changes_and_revokes_its_token(page, hr_admin, password, sign_in, axe, screenshot):
    sync_hr_admin_permissions()
    token, secret = ScimToken.issue("okta")
    directory = Client(headers={"Authorization": f"Bearer {secret}"})
    created = directory.post(
        "/scim/v2/Users",
        data=json.dumps(
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "pat@example.com",
                "name": {"givenName": "Pat", "familyName": "Park"},
                "emails": [{"value": "pat@example.com", "primary": True}],
                "title": "Product Manager",
                "active": True,
            }
        ),
        content_type="application/scim+json",
    )
    person_id = json.loads(created.content)["id"]
    sign_in(page, "hana@example.com", password)

    page.goto(f"/admin/assessments/person/{person_id}/history/")
    expect(page.locator("#change-history")).to_contain_text("SCIM token “okta”: created")
    axe(page)
    screenshot(page, "scim-person-history")

    page.goto("/admin/assessments/scimtoken/")
    expect(page.locator("#result_list")).to_contain_text("okta")
    axe(page)
    screenshot(page, "scim-tokens")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("revoke")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 token revoked")
    expect(page.locator("#result_list")).to_contain_text("Revoked")
    screenshot(page, "scim-tokens-revoked")
    assert directory.get("/scim/v2/Users").status_code == 401

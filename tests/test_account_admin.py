"""The account admin: HR admins manage accounts, but only a superuser makes superusers, hands out single
permissions, or changes a superuser's account."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.access import may_change_account
from accounts.models import User
from tests.factories import PASSWORD, make_user


@pytest.fixture
def root(db):
    return User.objects.create_superuser(email="root@example.com", password=PASSWORD, full_name="Rowan Root")


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def account_form(user, **changes):
    """The account form as the change page posts it."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "groups": [group.pk for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def test_hr_admin_cannot_make_themself_superuser(client, hr_admin):
    client.force_login(hr_admin)
    page = client.get(change_url(hr_admin)).content.decode()
    assert 'name="is_superuser"' not in page
    permission = Permission.objects.get(codename="change_group")
    response = client.post(
        change_url(hr_admin),
        account_form(hr_admin, is_superuser="on", user_permissions=[permission.pk], full_name="Hana Admin-Root"),
    )
    assert response.status_code == 302
    hr_admin.refresh_from_db()
    assert hr_admin.full_name == "Hana Admin-Root"  # the rest of the form still saves
    assert not hr_admin.is_superuser
    assert not hr_admin.user_permissions.exists()


def test_hr_admin_cannot_change_a_superusers_account(client, hr_admin, root):
    client.force_login(hr_admin)
    assert client.get(change_url(root)).status_code == 200  # read-only
    response = client.post(change_url(root), account_form(root, email="hana.too@example.com"))
    assert response.status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403
    assert (
        client.post(
            password_url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
        ).status_code
        == 403
    )
    assert client.post(reverse("admin:accounts_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.com"
    assert root.check_password(PASSWORD)


def test_hr_admin_still_manages_other_accounts(client, hr_admin, pm):
    client.force_login(hr_admin)
    response = client.post(change_url(pm), account_form(pm, email="priya.p@example.com"))
    assert response.status_code == 302
    pm.refresh_from_db()
    assert pm.email == "priya.p@example.com"


def test_a_superuser_can_make_a_superuser(client, root, hr_admin):
    client.force_login(root)
    assert client.post(change_url(hr_admin), account_form(hr_admin, is_superuser="on")).status_code == 302
    hr_admin.refresh_from_db()
    assert hr_admin.is_superuser


def test_staff_without_hr_group_cannot_open_accounts(client, db):
    staff = make_user("st@example.com", "Staff NoGroup", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("user", "account", "allowed"),
    [
        ("superuser", "superuser", True),
        ("superuser", "hr admin", True),
        ("hr admin", "hr admin", True),
        ("hr admin", "superuser", False),
    ],
)
def test_only_a_superuser_may_change_a_superusers_account(user, account, allowed):
    def someone(role):
        return User(email=f"{role}@example.com", is_superuser=role == "superuser")

    assert may_change_account(someone(user), someone(account)) is allowed

"""Accounts: an email address is the sign-in name, in any case; leavers lose HR rights; names read well."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from accounts.models import HR_ADMINS_GROUP, User
from accounts.roles import HR_ADMIN_APPS, sync_hr_admin_permissions
from tests.factories import make_user


@pytest.mark.parametrize("email", ["", None])
def test_an_account_needs_an_email_address(db, email):
    with pytest.raises(ValueError, match="A user needs an email address."):
        User.objects.create_user(email=email, password="x", full_name="No One")
    assert not User.objects.exists()


def test_email_is_stored_lower_case_and_found_in_any_case(db):
    user = User.objects.create_user(email="Mixed.Case@Example.COM", password="x", full_name="Mixed Case")
    assert user.email == "mixed.case@example.com"
    assert User.objects.get_by_natural_key("MIXED.case@example.com") == user


def test_the_same_address_in_another_case_is_refused(db):
    User.objects.create_user(email="sam@example.com", full_name="Sam")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="SAM@example.com", full_name="Sam Again")


def test_clean_lower_cases_an_address_typed_into_a_form(db):
    user = User(email="Nia@Example.ORG", full_name="Nia")
    user.clean()
    assert user.email == "nia@example.org"


def test_a_user_made_without_a_password_cannot_sign_in_with_one(db):
    user = User.objects.create_user(email="nopass@example.com", full_name="No Pass")
    assert not user.has_usable_password()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_a_superuser_is_staff_and_an_hr_admin_without_the_group(db):
    root = User.objects.create_superuser(email="root@example.com", password="x", full_name="Rowan Root")
    assert (root.is_staff, root.is_superuser) == (True, True)
    assert root.is_hr_admin


def test_names(db):
    user = make_user("priya@example.com", "Priya Product")
    assert (str(user), user.get_full_name(), user.get_short_name()) == (
        "Priya Product",
        "Priya Product",
        "Priya",
    )
    nameless = User.objects.create_user(email="anon@example.com", full_name="")
    assert str(nameless) == "anon@example.com"
    assert nameless.get_short_name() == "anon@example.com"


def test_an_hr_admin_who_leaves_loses_hr_rights(hr_admin):
    assert User.objects.get(pk=hr_admin.pk).is_hr_admin
    hr_admin.is_active = False
    hr_admin.save()
    assert not User.objects.get(pk=hr_admin.pk).is_hr_admin


def test_a_leaver_superuser_is_not_an_hr_admin(db):
    root = User.objects.create_superuser(email="root@example.com", password="x", full_name="Rowan Root")
    root.is_active = False
    root.save()
    assert not User.objects.get(pk=root.pk).is_hr_admin


def test_staff_outside_the_group_is_not_an_hr_admin(db):
    clerk = make_user("clerk@example.com", "Clerk Staff", is_staff=True)
    assert not clerk.is_hr_admin


def test_syncing_the_group_gives_permissions_of_the_managed_apps_only(db):
    Group.objects.filter(name=HR_ADMINS_GROUP).delete()
    sync_hr_admin_permissions()
    sync_hr_admin_permissions()  # safe to run again after every migrate
    group = Group.objects.get(name=HR_ADMINS_GROUP)
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert set(HR_ADMIN_APPS) <= labels
    assert "auth" not in labels and "sessions" not in labels
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    # Apps HR only reads: never a change, add or delete permission.
    read_only = group.permissions.exclude(content_type__app_label__in=HR_ADMIN_APPS)
    assert all(codename.startswith("view_") for codename in read_only.values_list("codename", flat=True))

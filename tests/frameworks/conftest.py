import pytest

from accounts.roles import sync_hr_admin_permissions


@pytest.fixture
def hr_client(client, hr_admin):
    """A test client signed in as Hana, an HR admin with the group's permissions."""
    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    return client


@pytest.fixture
def draft(framework):
    """A new draft version of the small framework."""
    return framework.new_version()

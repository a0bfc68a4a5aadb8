"""The HR admins group and its permissions."""

from django.contrib.auth.models import Group, Permission

from accounts.models import HR_ADMINS_GROUP

# HR admins manage the catalogue, people and their assessments, and user accounts.
HR_ADMIN_APPS = ("frameworks", "assessments", "accounts")


def sync_hr_admin_permissions(sender=None, using="default", **kwargs):
    """Give the HR admins group every permission of the apps it manages (runs after each migrate)."""
    group, _ = Group.objects.using(using).get_or_create(name=HR_ADMINS_GROUP)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=HR_ADMIN_APPS)
    group.permissions.add(*permissions)

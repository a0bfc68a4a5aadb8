"""The HR admins group and its permissions."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import HR_ADMINS_GROUP

# HR admins manage the catalogue, people and their assessments, and user accounts.
HR_ADMIN_APPS = ("frameworks", "assessments", "accounts")
# ...and read the apps that only report: the background tasks (emails sent, failed or retrying; PDFs made).
HR_READ_APPS = ("django_tasks_database",)


def sync_hr_admin_permissions(sender=None, using="default", **kwargs):
    """Give the HR admins group every permission of the apps it manages (runs after each migrate)."""
    group, _ = Group.objects.using(using).get_or_create(name=HR_ADMINS_GROUP)
    permissions = Permission.objects.using(using).filter(
        Q(content_type__app_label__in=HR_ADMIN_APPS)
        | Q(content_type__app_label__in=HR_READ_APPS, codename__startswith="view_")
    )
    group.permissions.add(*permissions)

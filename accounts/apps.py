from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.roles import sync_hr_admin_permissions

        post_migrate.connect(sync_hr_admin_permissions, dispatch_uid="accounts.sync_hr_admin_permissions")

"""SCIM tokens in the admin: listed and revoked here, made only by `manage.py create_scim_token` (shown once)."""

from django.contrib import admin, messages
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from assessments.people.scim.models import DirectoryGroup, ScimToken
from pathway.admin_history import AuditHistoryMixin
from pathway.admin_readonly import ReadOnlyAdminMixin


@admin.register(ScimToken)
class ScimTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tokens to read and revoke: a token's secret is shown once, where it is made (`create_scim_token NAME`)."""

    list_display = ("name", "created_at", "last_used_at", "state")
    readonly_fields = ("name", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    @admin.display(description="state")
    def state(self, token):
        return "Live" if token.is_live else f"Revoked {token.revoked_at:%d %B %Y %H:%M}"

    @admin.action(description="Revoke (the directory can no longer provision with it)", permissions=["view"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            f"{count} {'token' if count == 1 else 'tokens'} revoked."
            if count
            else "Those tokens were already revoked.",
            messages.SUCCESS if count else messages.INFO,
        )


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(ReadOnlyAdminMixin, AuditHistoryMixin, SimpleHistoryAdmin):
    """The directory's groups, read-only: the directory writes them. Their history says which token changed what."""

    list_display = ("display_name", "external_id")
    search_fields = ("display_name",)
    readonly_fields = ("display_name", "external_id")
    exclude = ("members",)

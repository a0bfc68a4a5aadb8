import axes.admin  # noqa: F401  (registers axes' admins, replaced below)
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q

from accounts.access import may_change_account
from accounts.models import FailedSignIn, User

# Axes' own admins show form data and logs Pathway does not keep; HR unlocks through `FailedSignInAdmin`.
for model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class PathwayUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PathwayUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = PathwayUserChangeForm
    add_form = PathwayUserCreationForm
    ordering = ("full_name", "email")
    list_display = ("full_name", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("full_name", "email")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    # HR admins manage accounts, but only a superuser makes a superuser or hands out single permissions,
    # and only a superuser changes a superuser's account (its email address and password open it).
    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            fields = (*fields, "is_superuser", "user_permissions")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_change_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not may_change_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(FailedSignIn)
class FailedSignInAdmin(admin.ModelAdmin):
    """Failed sign-ins while they count (README, "Sign-in throttling"). "Unlock" forgets every failed sign-in of the
    selected rows' email addresses and client addresses, so those accounts and addresses can sign in at once."""

    list_display = ("email_typed", "client_address", "failures", "last_failure", "counts_until")
    list_display_links = None
    search_fields = ("username", "ip_address")
    search_help_text = "Search by email address or client address."
    ordering = ("-attempt_time",)
    actions = ["unlock"]

    @admin.display(description="email address typed", ordering="username")
    def email_typed(self, obj):
        return obj.username

    @admin.display(description="client address", ordering="ip_address")
    def client_address(self, obj):
        return obj.ip_address

    @admin.display(description="failed sign-ins", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="last failure", ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    @admin.display(description="counts until")
    def counts_until(self, obj):
        return obj.attempt_time + get_cool_off()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The list is the whole page (rows are not links): a row's own page would show nothing more.
        return obj is None and super().has_view_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Unlock the selected email and client addresses", permissions=["delete"])
    def unlock(self, request, queryset):
        emails = {row.username for row in queryset if row.username}
        addresses = {row.ip_address for row in queryset if row.ip_address}
        FailedSignIn.objects.filter(Q(username__in=emails) | Q(ip_address__in=addresses)).delete()
        named = ", ".join(sorted(emails | addresses))
        self.message_user(request, f"Unlocked {named}. Signing in works again at once.")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "account_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
            "lock_minutes": int(get_cool_off().total_seconds() // 60),
        }
        return super().changelist_view(request, extra_context)

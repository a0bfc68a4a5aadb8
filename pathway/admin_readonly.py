"""The one rule for admin pages that show records HR reads but never writes: audit trails, records the app keeps
right itself (ratings, evidence, feedback requests) and credentials made elsewhere (SCIM tokens)."""


class ReadOnlyAdminMixin:
    """Lists and pages to read; no add, change or delete, whatever the reader's permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

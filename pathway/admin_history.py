"""The one rule for every admin history page in Pathway."""

from django.core.exceptions import PermissionDenied


class AuditHistoryMixin:
    """History pages read the past; they never write it back.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button: simple-history still saves a posted
    form, so the POST is refused here.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("History is an audit trail: nothing is reverted from it.")
        return super().history_form_view(request, object_id, version_id, extra_context)

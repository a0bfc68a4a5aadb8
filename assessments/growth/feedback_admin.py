"""Feedback requests in the admin, for HR to follow how requests stand (who asked whom about whom, status, dates).

Never the answers' text, the question or a decline's reason: an answer belongs to the request (growth/feedback_access
.py: the person, the colleague and the asker read it; HR does not), like the evidence log it lands in. So the admin
lists requests without them and changes nothing.
"""

from django.contrib import admin

from assessments.growth.feedback import FeedbackRequest
from pathway.admin_readonly import ReadOnlyAdminMixin


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "asked_by", "colleague", "status", "due_on", "created_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("person__user__full_name", "person__user__email", "colleague__user__email")
    list_select_related = ("person__user", "asked_by__user", "colleague__user")
    fields = (
        "person",
        "asked_by",
        "colleague",
        "status",
        "due_on",
        "share_with_managers",
        "created_at",
        "closed_at",
        "reminded_at",
    )
    readonly_fields = fields
    show_full_result_count = False

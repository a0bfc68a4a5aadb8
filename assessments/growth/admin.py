"""The evidence log in the admin: how many entries, whose, of which kind, shared or not, never what they say.

A log is its person's notebook (growth/access.py): HR reads an entry only when the person cites it in a submitted
self-assessment, with that assessment. So the admin lists entries without their text or link and changes nothing.
"""

from django.contrib import admin

from assessments.growth.models import EvidenceEntry
from pathway.admin_readonly import ReadOnlyAdminMixin


@admin.register(EvidenceEntry)
class EvidenceEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("person", "happened_on", "source", "author", "shared", "created_at")
    list_filter = ("source", "shared")
    search_fields = ("person__user__full_name", "person__user__email")
    list_select_related = ("person__user", "author__user")
    fields = ("person", "author", "source", "happened_on", "shared", "created_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

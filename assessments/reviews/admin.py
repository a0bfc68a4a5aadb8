"""HR's admin for review cycles and assessments.

Cycles are made and opened here; opening one (creating it open, or the "Open (or reopen) cycle" action)
queues an email to everyone with a level who can sign in, says how many and who was left out, and the
cycle's page shows how many were sent. Once a cycle exists its status changes only through the actions
(open, reopen, close), never by editing the field: a reopen must not email everyone again.

Assessments are read-only here: they are written in the app, and HR
sees who changed which rating when, of the assessments the app would show them
(`Assessment.objects.visible_to`): never someone else's draft, nor a manager assessment of themself
not yet shared with them. History is an audit trail: it is read, never reverted.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from assessments.reviews import notifications
from assessments.reviews.handover import left_behind_in
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from pathway.admin_history import AuditHistoryMixin
from pathway.admin_readonly import ReadOnlyAdminMixin
from pathway.mail import progress

RATING_HISTORY_LIMIT = 200
LEFT_BEHIND_LIMIT = 20


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def _answer(row) -> str:
    if row.not_applicable:
        return "Not applicable"
    return row.scale_level.name if row.scale_level_id else "Not rated"


class VisibleOnlyHistoryMixin(AuditHistoryMixin):
    """History pages only for objects `get_queryset` shows: simple-history would otherwise fall back to
    the history rows of anything, whatever the queryset leaves out."""

    def _visible(self, request, object_id) -> bool:
        return self.get_queryset(request).filter(pk=unquote(object_id)).exists()

    def history_view(self, request, object_id, extra_context=None):
        if not self._visible(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._visible(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ReviewCycle)
class ReviewCycleAdmin(AuditHistoryMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "starts_on",
        "ends_on",
        "self_deadline",
        "manager_deadline",
        "status",
        "blind",
        "assessment_count",
    ]
    list_filter = ["status", "blind"]
    search_fields = ["name"]
    fields = ["name", "starts_on", "ends_on", "self_deadline", "manager_deadline", "status", "blind", "emails"]
    readonly_fields = ["emails"]
    actions = ["open_and_notify", "close_cycles"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assessment_total=Count("assessments"))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [*fields, "progress", "left_behind"]

    def get_readonly_fields(self, request, obj=None):
        # A new cycle may be created open; after that, open, reopen and close are the list's actions.
        fields = super().get_readonly_fields(request, obj)
        return fields if obj is None else [*fields, "status", "progress", "left_behind"]

    @admin.display(description="progress")
    def progress(self, cycle):
        url = reverse("reports:cycle_progress", args=[cycle.pk])
        return format_html('<a href="{}">See who has finished</a>: each person’s self and manager review.', url)

    @admin.display(description="left by a former manager")
    def left_behind(self, cycle):
        """Manager assessments whose author no longer manages the person: each blocks the manager now."""
        if not cycle.is_open:
            return "None: a closed cycle is read-only."
        found = list(left_behind_in(cycle)[:LEFT_BEHIND_LIMIT])
        if not found:
            return "None."
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("assessments:handover", args=[a.subject_id]), a.subject.name) for a in found),
        )
        more = " and more" if len(found) == LEFT_BEHIND_LIMIT else ""
        return format_html("Hand over or discard: {}{}.", links, more)

    @admin.display(description="assessments", ordering="assessment_total")
    def assessment_count(self, cycle):
        return cycle.assessment_total

    def has_delete_permission(self, request, obj=None):
        # A cycle that holds assessments is part of their record (and PROTECTed); an empty one may go.
        if obj is not None and ReviewCycle.objects.filter(pk=obj.pk, assessments__isnull=False).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="announcement emails")
    def emails(self, cycle):
        """How the emails announcing the cycle stand (they are sent in the background)."""
        if cycle.pk is None:
            return "Sent to everyone with a level when the cycle opens."
        counts = progress(notifications.cycle_tag(cycle))
        if not any(counts.values()):
            return "None queued yet."
        return f"{counts['sent']} sent, {counts['waiting']} waiting, {counts['failed']} failed"

    def _announce(self, request, cycle):
        audience = notifications.cycle_opened(cycle)
        message = (
            f"{cycle.name} is open. Emailing {_people(audience.emailed)}: the cycle's page shows how many were sent."
        )
        reasons = [
            (audience.left, "who have left (inactive accounts)"),
            (audience.cannot_sign_in, "who cannot sign in yet (no usable password: set one in their account)"),
            (audience.no_level, "without a level (a cycle is for people with a level)"),
        ]
        skipped = "; ".join(f"{count} {why}" for count, why in reasons if count)
        if skipped:
            message += f" Not emailed: {_people(audience.skipped)}: {skipped}."
        self.message_user(request, message)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_open and not change:
            self._announce(request, obj)

    @admin.action(description="Open (or reopen) cycle and notify people")
    def open_and_notify(self, request, queryset):
        """Open a new cycle and announce it; reopen a closed one (its assessments can change again) without
        emailing anyone again. Either is recorded in the cycle's history, with who did it."""
        for cycle in queryset:
            try:
                opened = cycle.open()
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            if not opened:
                self.message_user(request, f"{cycle.name} was already open; nobody was emailed.", messages.WARNING)
            elif cycle._change_reason == "Reopened":
                self.message_user(
                    request, f"{cycle.name} is open again: its assessments can be changed. Nobody was emailed."
                )
            else:
                self._announce(request, cycle)

    @admin.action(description="Close cycle")
    def close_cycles(self, request, queryset):
        closed = sum(cycle.close() for cycle in queryset.filter(status=ReviewCycle.Status.OPEN))
        self.message_user(
            request, f"{closed} {'cycle' if closed == 1 else 'cycles'} closed: their assessments are read-only now."
        )


class RatingInline(admin.TabularInline):
    model = Rating
    ordering = ["capability__area__position", "capability__position"]
    fields = ["capability", "answer", "evidence_excerpt", "revision", "updated_at", "history_link"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("capability", "scale_level")

    @admin.display(description="rating")
    def answer(self, rating):
        return _answer(rating)

    @admin.display(description="evidence")
    def evidence_excerpt(self, rating):
        return Truncator(rating.evidence).words(30)

    @admin.display(description="history")
    def history_link(self, rating):
        return format_html('<a href="{}">Changes</a>', reverse("admin:assessments_rating_history", args=[rating.pk]))


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, VisibleOnlyHistoryMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "subject", "author", "level", "cycle", "status", "updated_at"]
    list_filter = ["status", "kind", "cycle"]
    list_select_related = ["subject__user", "author__user", "level", "cycle"]
    search_fields = ["subject__user__full_name", "subject__user__email", "author__user__full_name"]
    date_hierarchy = "updated_at"
    inlines = [RatingInline]
    fieldsets = [
        (None, {"fields": ["subject", "author", "kind", "level", "cycle", "status", "revision"]}),
        ("Answers", {"fields": ["overall_comment", "recommendation", "rationale"]}),
        ("Review", {"fields": ["return_comment", "returned_by", "returned_at"]}),
        ("Dates", {"fields": ["created_at", "updated_at", "submitted_at", "shared_at"]}),
        ("Who changed which rating when", {"fields": ["rating_history"]}),
        ("Hand-overs", {"fields": ["handovers"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Written in the app, where the rules (drafts, submission, concurrency) hold; HR reads here.
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def get_queryset(self, request):
        queryset = Assessment.objects.visible_to(request.user).with_related()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    @admin.display(description="hand-overs, newest first")
    def handovers(self, assessment):
        """Who handed it from one author to another, and when (reviews/handover.py logs each one)."""
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Assessment), object_id=str(assessment.pk)
        ).order_by("-action_time")[:20]
        if not entries:
            return "None."
        return format_html_join(
            "",
            "<p>{}: {}</p>",
            ((entry.action_time.strftime("%-d %b %Y %H:%M"), entry.change_message) for entry in entries),
        )

    @admin.display(description="rating changes, newest first")
    def rating_history(self, assessment):
        rows = (
            Rating.history.filter(assessment_id=assessment.pk)
            .select_related("history_user", "capability", "scale_level")
            .order_by("-history_date", "-history_id")[:RATING_HISTORY_LIMIT]
        )
        if not rows:
            return "No changes yet."
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row.history_date.strftime("%-d %b %Y %H:%M:%S"),
                    row.history_user or "—",
                    row.capability.name if row.capability_id else "—",
                    _answer(row),
                    Truncator(row.evidence).words(20),
                )
                for row in rows
            ),
        )
        return format_html(
            '<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Capability</th>'
            '<th scope="col">Rating</th><th scope="col">Evidence</th></tr></thead><tbody>{}</tbody></table>',
            body,
        )


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdminMixin, VisibleOnlyHistoryMixin, SimpleHistoryAdmin):
    """Each rating's own history page (linked from the assessment); ratings are changed in the app."""

    list_display = ["__str__", "assessment", "revision", "updated_at"]
    ordering = ["-updated_at", "-pk"]
    list_select_related = ["capability", "scale_level", "assessment__subject__user", "assessment__level"]
    search_fields = ["assessment__subject__user__full_name", "capability__name"]
    readonly_fields = [
        "assessment",
        "capability",
        "scale_level",
        "not_applicable",
        "evidence",
        "revision",
        "updated_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(assessment__in=Assessment.objects.visible_to(request.user))

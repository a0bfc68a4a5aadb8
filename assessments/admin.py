"""The `assessments` app's admin lives in its rooms; Django's autodiscovery finds it here.

Here too: the background tasks (emails, promotion PDFs) as HR reads them, each email with whom it is to and
how it stands (sent, queued, retrying and when, failed). The task results stay read-only.
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from assessments.growth import admin as growth_admin  # noqa: F401
from assessments.growth import feedback_admin as growth_feedback_admin  # noqa: F401
from assessments.growth import plan_admin  # noqa: F401
from assessments.people import admin as people_admin  # noqa: F401
from assessments.people import directory_admin  # noqa: F401
from assessments.people.scim import admin as scim_admin  # noqa: F401
from assessments.reviews import admin as reviews_admin  # noqa: F401
from pathway.mail import outcome as email_outcome

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "about", "outcome", "enqueued_at", "finished_at")
    list_filter = ("status", "queue_name")

    @staticmethod
    def _kwargs(result) -> dict:
        kwargs = (result.args_kwargs or {}).get("kwargs")
        return kwargs if isinstance(kwargs, dict) else {}

    @admin.display(description="about")
    def about(self, result):
        kwargs = self._kwargs(result)
        if "to" not in kwargs:
            return ""
        return f"Email to {', '.join(kwargs['to'])}: {kwargs.get('subject', '')}"

    @admin.display(description="outcome", ordering="status")
    def outcome(self, result):
        kwargs = self._kwargs(result)
        if "to" not in kwargs:
            return result.get_status_display()
        return email_outcome(result.status, result.exception_class_path, kwargs, result.run_after)

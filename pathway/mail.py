"""Email off the request path: every email is a task on the queue, retried with back-off while the mail server fails.

A page that announces something (a submitted assessment, an open cycle, a password reset) only queues the email
and answers; a worker (`manage.py db_worker`) sends it. When the mail server refuses or cannot be reached, that
attempt is recorded as failed, with the server's error, and the next one is queued to run after a growing delay
(1 minute, 5, 30, 2 hours, 6 hours). After the last attempt the email fails for good with `EmailNotSent` and an
error in the log: nothing is silently lost. HR follows every email in the admin's task results.

`send_email` sends an email rendered by the caller. A task that renders its email only when it runs (the
password reset, whose link must never sit in the queue) sends it with `send_with_retries` the same way.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# Priorities on the one queue: a person waits for a PDF; one email announces one change; a cycle's
# announcement to everyone can wait behind both.
PRIORITY_EMAIL = 0
PRIORITY_BULK_EMAIL = -10


class EmailNotSent(Exception):
    """The mail server failed every attempt: the email was not sent."""


def send_with_retries(context: TaskContext, message: EmailMultiAlternatives, *, attempt: int) -> str:
    """Send `message` from the running task; if it fails, queue the same task again for the next attempt.

    The retry keeps the task's arguments, priority and queue, with `attempt` one higher and a `run_after`
    from `RETRY_DELAYS` (a backend that cannot defer, like the tests' immediate one, retries at once).
    The failed attempt still raises, so its result shows the mail server's error.
    """
    to = ", ".join(message.to)
    try:
        message.send()
    except Exception as error:
        if attempt >= MAX_ATTEMPTS:
            logger.error("Gave up emailing %s (%r) after %d attempts: %s", to, message.subject, attempt, error)
            raise EmailNotSent(f"Not sent to {to} after {attempt} attempts: {error}") from error
        current = context.task_result
        retry = current.task
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1])
        logger.warning("Emailing %s failed (attempt %d of %d, retrying): %s", to, attempt, MAX_ATTEMPTS, error)
        retry.enqueue(*current.args, **{**current.kwargs, "attempt": attempt + 1})
        raise
    return f"Sent to {to}"


@task(takes_context=True)
def send_email(context: TaskContext, *, subject: str, body: str, to: list[str], tag: str = "", attempt: int = 1):
    """Send one plain-text email. `tag` groups the emails of one event (e.g. a cycle's announcement)."""
    return send_with_retries(context, EmailMultiAlternatives(subject, body, None, to), attempt=attempt)


def queue_email(subject: str, body: str, to: list[str], *, tag: str = "", priority: int = PRIORITY_EMAIL):
    """Queue one email and return its task result at once. The subject is made one line: a name saved before names
    were checked (pathway.text) may hold a line break, which would fail every attempt to send."""
    subject = " ".join(subject.split())
    return send_email.using(priority=priority).enqueue(subject=subject, body=body, to=to, tag=tag, attempt=1)


# What HR reads in the admin ---------------------------------------------------------------------------


def outcome(status: str, exception_class_path: str, kwargs: dict, run_after=None) -> str:
    """A task result in words, for an email: sent, queued, retrying (and when), failed and retried, failed."""
    attempt = kwargs.get("attempt", 1)
    of = f"attempt {attempt} of {MAX_ATTEMPTS}"
    if status == "SUCCESSFUL":
        return "Sent" if attempt == 1 else f"Sent ({of})"
    if status == "RUNNING":
        return f"Sending ({of})"
    if status == "READY":
        if attempt == 1:
            return "Queued"
        when = f" after {timezone.localtime(run_after):%d %b %H:%M}" if run_after and run_after.year < 9999 else ""
        return f"Retrying: {of}{when}"
    if exception_class_path == f"{EmailNotSent.__module__}.{EmailNotSent.__qualname__}":
        return f"Failed: not sent after {attempt} attempts"
    return f"Failed ({of}); retried"


def progress(tag: str) -> dict[str, int]:
    """How the emails queued under `tag` stand: sent, waiting (queued, sending or retrying), failed for good."""
    from django.db.models import Count, Q
    from django_tasks_db.models import DBTaskResult

    not_sent = f"{EmailNotSent.__module__}.{EmailNotSent.__qualname__}"
    return DBTaskResult.objects.filter(task_path=send_email.module_path, args_kwargs__kwargs__tag=tag).aggregate(
        sent=Count("pk", filter=Q(status="SUCCESSFUL")),
        waiting=Count("pk", filter=Q(status__in=("READY", "RUNNING"))),
        failed=Count("pk", filter=Q(status="FAILED", exception_class_path=not_sent)),
    )

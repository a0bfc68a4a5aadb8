"""The promotion report as a PDF: made by a worker, kept by the content it shows.

The view renders the report's HTML for paper exactly as its reader may see it; the HTML's SHA-256 names the PDF.
A PDF already made from that HTML is served at once, whoever asked for it first: the same HTML is the same
content, and this reader has just been allowed to see it. Otherwise the HTML goes to the default storage and
`render_promotion_pdf` makes the PDF with WeasyPrint on a worker, while the reader's page says "Preparing the
PDF…". A changed rating, evidence or outcome changes the HTML, so it makes a new PDF.

One render per person at a time: asking for another PDF while one of yours is queued or being made waits for
it, so nobody fills the queue. Files are kept for a week. The storage must be shared by the web and worker
processes (the `media/` folder on one machine; a shared volume or an object store on several).
"""

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

# WeasyPrint logs every CSS rule it skips (Bootstrap's screen-only rules) and each layout step; keep real errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)

FOLDER = "promotion-pdfs"
KEEP_FOR = timedelta(days=7)
# A render queued longer ago than this no longer holds up its person's next one (say its worker was killed).
RENDER_TIMEOUT = timedelta(minutes=10)
# Someone waits for a PDF: it goes before the emails on the queue (`pathway.mail`).
PRIORITY_PDF = 10


class State(StrEnum):
    READY = "ready"
    PREPARING = "preparing"
    WAITING = "waiting"  # for the same person's other PDF to be made first
    FAILED = "failed"


@dataclass(frozen=True)
class PromotionPdf:
    digest: str
    state: State

    def read(self) -> bytes:
        with default_storage.open(_name(self.digest, "ready")) as marker:
            pdf_name = marker.read().decode()
        with default_storage.open(pdf_name) as handle:
            return handle.read()


def _name(digest: str, kind: str) -> str:
    """html: the page to render; pdf: the PDF; ready: written once the PDF is whole, holding its file's name (the
    storage may have renamed it); failed: the render failed."""
    return f"{FOLDER}/{digest}.{kind}"


def _is_ready(digest: str) -> bool:
    return default_storage.exists(_name(digest, "ready"))


def _renders_of(user) -> set[str]:
    """The digests of the user's renders still queued or running (and not timed out)."""
    from django_tasks_db.models import DBTaskResult

    in_flight = DBTaskResult.objects.filter(
        task_path=render_promotion_pdf.module_path,
        status__in=("READY", "RUNNING"),
        enqueued_at__gte=timezone.now() - RENDER_TIMEOUT,
        args_kwargs__kwargs__user_pk=user.pk,
    )
    return {result.args_kwargs["kwargs"]["digest"] for result in in_flight}


def request_pdf(user, html: str, base_url: str, *, again: bool = False) -> PromotionPdf:
    """The PDF of `html` for `user`: ready, or queued now (unless one of theirs is), or failed (`again` retries)."""
    digest = hashlib.sha256(html.encode()).hexdigest()
    if _is_ready(digest):
        return PromotionPdf(digest, State.READY)
    with transaction.atomic():
        # One render per person at a time, even from parallel requests: they queue up on the person's row.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        renders = _renders_of(user)
        if digest in renders:
            return PromotionPdf(digest, State.PREPARING)
        failed = default_storage.exists(_name(digest, "failed"))
        if failed and not again:
            return PromotionPdf(digest, State.FAILED)
        if renders:
            return PromotionPdf(digest, State.WAITING)
        if failed:
            default_storage.delete(_name(digest, "failed"))
        html_name = default_storage.save(_name(digest, "html"), ContentFile(html.encode()))
        render_promotion_pdf.using(priority=PRIORITY_PDF).enqueue(
            digest=digest, html_name=html_name, base_url=base_url, user_pk=user.pk
        )
    # A queue that runs tasks at once (the tests') has made it already.
    return PromotionPdf(digest, State.READY if _is_ready(digest) else State.PREPARING)


def known_state(user, digest: str) -> State | None:
    """The state of the PDF named `digest` as far as it is known without rendering its HTML again (what the
    waiting page's poll asks every 2 seconds); None when it is neither made, failed nor in flight."""
    if _is_ready(digest):
        return State.READY
    if default_storage.exists(_name(digest, "failed")):
        return State.FAILED
    renders = _renders_of(user)
    if digest in renders:
        return State.PREPARING
    return State.WAITING if renders else None


@task()
def render_promotion_pdf(*, digest: str, html_name: str, base_url: str, user_pk: int) -> str:
    """Make the PDF of the HTML saved as `html_name` (`user_pk` asked for it), unless it exists already."""
    try:
        if not _is_ready(digest):
            with default_storage.open(html_name) as handle:
                html = handle.read().decode()
            pdf_name = default_storage.save(_name(digest, "pdf"), ContentFile(write_pdf(html, base_url)))
            default_storage.save(_name(digest, "ready"), ContentFile(pdf_name.encode()))
    except Exception:
        if not default_storage.exists(_name(digest, "failed")):
            default_storage.save(_name(digest, "failed"), ContentFile(b""))
        raise
    finally:
        default_storage.delete(html_name)
    remove_old_files()
    return digest


def write_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=static_file_fetcher()).write_pdf()


def remove_old_files(now=None):
    """Remove what is older than `KEEP_FOR`: the markers first, so no PDF is served while it is being removed."""
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = [name for name in names if default_storage.get_modified_time(f"{FOLDER}/{name}") < cutoff]
    for name in sorted(old, key=lambda name: not name.endswith(".ready")):
        default_storage.delete(f"{FOLDER}/{name}")


def static_file_fetcher():
    """A WeasyPrint URL fetcher that serves /static/ from disk and fetches nothing from the network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if not path.startswith(static_prefix):
                raise ValueError(f"PDFs only load Pathway's own static files, not {url}")
            relative = path[len(static_prefix) :]
            found = None
            if staticfiles_storage.exists(relative):  # collected (production)
                found = staticfiles_storage.path(relative)
            else:
                found = finders.find(relative)
            if not found:
                raise ValueError(f"No static file {relative}")
            with open(found, "rb") as handle:
                body = handle.read()
            mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticOnly()

"""The admin's one import page, for every format: choose a file, see what it will create, then import it.

The first POST reads and checks the file and runs the whole import in a transaction that is rolled back,
so the preview shows exactly what the import would do, or every problem with where it is in the file.
"Import" sends the checked file back (in a hidden field) and imports it for real, all or nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from frameworks.admin_views import admin_context, change_url
from frameworks.fileformat import FORMATS, MAX_FILE_BYTES, FrameworkFileError, format_choices, import_specs, read_file
from frameworks.forms import FrameworkImportConfirmForm, FrameworkImportForm
from frameworks.models import FrameworkLocked

PREVIEW_FIRST = "It replaces the published version, so see who it affects before you publish it."
LISTED = 50  # capabilities listed per framework in the preview; the rest are counted


def _check_and_import(content, filename, options, *, dry_run):
    """(checked file, results) or raise FrameworkFileError with every problem, whatever stage found it."""
    try:
        checked = read_file(content, filename, options["file_format"] or None, {"key": options["key"] or None})
        results = import_specs(
            checked.specs,
            auto_versions=checked.auto_versions,
            publish=options["publish"],
            dry_run=dry_run,
            confirm_replacing=True,
        )
    except (ValidationError, FrameworkLocked) as exc:
        raise FrameworkFileError(getattr(exc, "messages", None) or [str(exc)]) from None
    return checked, results


def _preview(result):
    spec = result.spec
    capabilities = [(area["name"], capability["name"]) for area in spec["areas"] for capability in area["capabilities"]]
    return {
        "result": result,
        "sentence": result.describe(done=False),
        "counts": result.counts,
        "tracks": [
            {"name": track["name"], "kind": track["kind"], "levels": [level["name"] for level in track["levels"]]}
            for track in spec["tracks"]
        ],
        "capabilities": capabilities[:LISTED],
        "more_capabilities": max(0, len(capabilities) - LISTED),
    }


def _imported(request, results):
    """Say what was done; go to the publish preview when one version waits for it, else back to the page."""
    for result in results:
        messages.success(
            request,
            format_html(
                '{} <a href="{}">Open version {}</a>.',
                result.describe(done=True),
                change_url(result),
                result.version,
            ),
        )
    waiting = [result for result in results if result.replaces_published and result.status == "draft"]
    for result in waiting:
        messages.info(request, f"Version {result.version} of {result.name}: {PREVIEW_FIRST}")
    if len(waiting) == 1:
        return redirect("admin:frameworks_framework_publish", waiting[0].pk)
    return redirect("admin:frameworks_framework_import")


def _new_form(*args, **kwargs):
    return FrameworkImportForm(*args, max_bytes=MAX_FILE_BYTES, formats=format_choices(), **kwargs)


def _check(content, filename, options):
    """The preview of a file, or (None, every problem)."""
    try:
        checked, results = _check_and_import(content, filename, options, dry_run=True)
    except FrameworkFileError as exc:
        return None, exc.errors
    confirm = FrameworkImportConfirmForm(
        initial={
            "content": FrameworkImportConfirmForm.encode(content),
            "filename": filename,
            "file_format": checked.format.name,
            "key": options["key"],
            "publish": options["publish"],
        },
        max_bytes=MAX_FILE_BYTES,
    )
    return {
        "format": checked.format,
        "notes": checked.notes,
        "frameworks": [_preview(result) for result in results],
        "changes": any(result.outcome != "unchanged" for result in results),
        "form": confirm,
    }, []


@require_http_methods(["GET", "POST"])
def import_file(request, model_admin):
    if not (request.user.has_perm("frameworks.add_framework") and request.user.has_perm("frameworks.change_framework")):
        raise PermissionDenied
    errors, filename, preview = [], "", None
    form = _new_form()
    if request.method == "POST" and "confirm" in request.POST:
        confirm = FrameworkImportConfirmForm(request.POST, max_bytes=MAX_FILE_BYTES)
        if not confirm.is_valid():
            errors = [error for field_errors in confirm.errors.values() for error in field_errors]
        else:
            data = confirm.cleaned_data
            filename = data["filename"]
            try:
                _, results = _check_and_import(data["content"], filename, data, dry_run=False)
            except FrameworkFileError as exc:
                errors = exc.errors
                form = _new_form(initial={key: data[key] for key in ("file_format", "key", "publish")})
            else:
                return _imported(request, results)
    elif request.method == "POST":
        form = _new_form(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            preview, errors = _check(upload.read(), filename, form.cleaned_data)
    context = admin_context(
        request,
        model_admin,
        title="Check what this file will import" if preview else "Import a framework file",
        form=form,
        errors=errors,
        filename=filename,
        preview=preview,
        formats=FORMATS.values(),
        max_file_size=f"{MAX_FILE_BYTES / 1_000_000:g} MB ({MAX_FILE_BYTES:,} bytes)",
    )
    return TemplateResponse(request, "admin/frameworks/framework/import.html", context)

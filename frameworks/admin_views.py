"""Admin pages beyond the model forms: the expectations grid, versions (new, publish) and export.

Each view is registered by FrameworkAdmin.get_urls, so the admin site has already checked that the user
is signed-in staff; the access helper then checks the framework permissions. Mutations are POST only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frameworks.fileformat import FrameworkFileError, export_framework
from frameworks.fileformat.grid import export_grid
from frameworks.forms import ExpectationGrid, ExpectationsGridForm, StaleGrid
from frameworks.impact import publish_impact_of
from frameworks.models import Framework, FrameworkLocked

EXPORT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def get_framework_for_admin(request, object_id, *, change=False) -> tuple[Framework, bool]:
    """The framework version and whether the user may change it; 404 if unknown, 403 without permission."""
    try:
        framework = Framework.objects.get(pk=int(object_id))
    except (ValueError, Framework.DoesNotExist):
        raise Http404("No framework version with that id.") from None
    can_change = request.user.has_perm("frameworks.change_framework")
    if change and not can_change:
        raise PermissionDenied
    if not (can_change or request.user.has_perm("frameworks.view_framework")):
        raise PermissionDenied
    return framework, can_change


def change_url(framework) -> str:
    return reverse("admin:frameworks_framework_change", args=[framework.pk])


def grid_url(framework, track=None) -> str:
    url = reverse("admin:frameworks_framework_expectations", args=[framework.pk])
    return f"{url}?track={track.key}" if track else url


def admin_context(request, model_admin, **context):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Framework._meta,
        "app_label": Framework._meta.app_label,
        **context,
    }


def version_context(request, framework) -> dict:
    """What the framework pages need to show the version's state and the buttons that fit it."""
    if framework is None:
        return {}
    draft = None if framework.is_draft else framework.other_versions().filter(status=Framework.Status.DRAFT).first()
    can_change = request.user.has_perm("frameworks.change_framework")
    return {
        "framework": framework,
        "existing_draft": draft,
        "can_change_framework": can_change,
        "has_published_version": Framework.objects.published().filter(key=framework.key).exists(),
        "can_make_version": can_change and request.user.has_perm("frameworks.add_framework") and not framework.is_draft,
        "locked_message": (
            ""
            if framework.is_draft
            else f"Version {framework.version} is {framework.get_status_display().lower()}. "
            "Make a new version to change it."
        ),
    }


# Shared by the buttons and the list actions ------------------------------------------------------


def publish_framework(request, framework) -> bool:
    """Publish a draft and say what happened, or say what stops it."""
    problems = framework.publishing_problems()
    if problems:
        messages.error(request, f"Version {framework.version} was not published. Fix this first:")
        for problem in problems:
            messages.error(request, problem)
        return False
    previous = framework.other_versions().filter(status=Framework.Status.PUBLISHED).first()
    try:
        framework.publish()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except FrameworkLocked as exc:
        messages.error(request, str(exc))
        return False
    archived = f"; version {previous.version} archived" if previous is not None else ""
    messages.success(request, f"Version {framework.version} published{archived}.")
    return True


def make_new_version(request, framework, prefix="") -> Framework | None:
    """Copy a version into a new draft, refusing when the framework already has a draft."""
    if framework.is_draft:
        messages.error(request, f"{prefix}Version {framework.version} is already a draft: change it directly.")
        return None
    draft = framework.other_versions().filter(status=Framework.Status.DRAFT).first()
    if draft is not None:
        messages.error(
            request,
            format_html(
                '{}No new version made: <a href="{}">version {}</a> is already a draft. '
                "Change or publish that one, or delete it first.",
                prefix,
                change_url(draft),
                draft.version,
            ),
        )
        return None
    try:
        draft = framework.new_version()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{prefix}{message}")
        return None
    messages.success(
        request,
        f"{prefix}Made draft version {draft.version} from version {framework.version}. "
        "Change it here, then publish it.",
    )
    return draft


def export_response(framework, fmt) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404("Export as yaml, json, csv or xlsx.")
    try:
        content = export_grid(framework, fmt) if fmt in ("csv", "xlsx") else export_framework(framework, fmt)
    except FrameworkFileError:
        raise Http404("A framework rated against criteria has no grid: export it as yaml.") from None
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{framework.key}-v{framework.version}.{fmt}"'
    return response


# Views ---------------------------------------------------------------------------------------------


@require_POST
def new_version(request, object_id, model_admin):
    framework, _ = get_framework_for_admin(request, object_id, change=True)
    if not request.user.has_perm("frameworks.add_framework"):
        raise PermissionDenied
    draft = make_new_version(request, framework)
    return redirect(change_url(draft or framework))


@require_POST
def set_public(request, object_id, model_admin):
    """Make the framework (every version of it) public or private: the button on its admin page."""
    framework, _ = get_framework_for_admin(request, object_id, change=True)
    public = request.POST.get("public") == "yes"
    published = Framework.objects.published().filter(key=framework.key).first()
    if public and published is None:
        messages.error(request, f"{framework.name} is not published yet. Publish it first, then make it public.")
    elif public:
        framework.set_public(True)
        address = request.build_absolute_uri(reverse("frameworks:current", args=[framework.key]))
        messages.success(
            request,
            f"{framework.name} is public: anyone can read it at {address} without signing in, and export_site "
            "includes it. Nothing about people is shown.",
        )
    else:
        framework.set_public(False)
        messages.success(request, f"{framework.name} is private: only people who sign in can read it.")
    return redirect(change_url(framework))


@require_http_methods(["GET", "POST"])
def publish(request, object_id, model_admin):
    """GET: what publishing this draft would change, and a button to confirm (frameworks.impact). POST: publish."""
    framework, _ = get_framework_for_admin(request, object_id, change=True)
    if not framework.is_draft:
        messages.error(request, f"Version {framework.version} is {framework.status}; only a draft can be published.")
        return redirect(change_url(framework))
    if request.method == "POST":
        publish_framework(request, framework)
        return redirect(change_url(framework))
    context = admin_context(
        request,
        model_admin,
        title=f"Publish version {framework.version} of {framework.name}?",
        impact=publish_impact_of(framework),
        problems=framework.publishing_problems(),
        original=framework,
    )
    return TemplateResponse(request, "admin/frameworks/framework/publish_preview.html", context)


@require_GET
def export(request, object_id, fmt, model_admin):
    framework, _ = get_framework_for_admin(request, object_id)
    return export_response(framework, fmt)


@require_http_methods(["GET", "POST"])
def expectations_grid(request, object_id, model_admin):
    framework, can_change = get_framework_for_admin(request, object_id)
    track_key = request.GET.get("track")
    grid = ExpectationGrid(framework, track_key)
    if track_key and grid.track is None:
        raise Http404("This version has no track with that key.")
    editable = can_change and framework.is_draft
    form = None
    if request.method == "POST":
        if not editable:
            if not can_change:
                raise PermissionDenied
            messages.error(request, f"Nothing saved: version {framework.version} is {framework.status}.")
            return redirect(grid_url(framework, grid.track))
        form = ExpectationsGridForm(request.POST, grid=grid)
        if form.is_valid():
            try:
                counts = form.save(request.user)
            except StaleGrid:
                form.mark_stale()
            except FrameworkLocked as exc:
                messages.error(request, f"Nothing saved: {exc}")
                return redirect(grid_url(framework, grid.track))
            else:
                messages.success(request, save_summary(counts, grid.track))
                return redirect(grid_url(framework, grid.track))
        elif form.is_stale:
            form.mark_stale()
    elif editable:
        form = ExpectationsGridForm(grid=grid)
    context = admin_context(
        request,
        model_admin,
        title=f"Expectations: {framework.name}, version {framework.version}",
        subtitle=grid.track.name if grid.track else None,
        grid=grid,
        form=form,
        sections=grid_sections(grid, form),
        original=framework,
        **version_context(request, framework),
    )
    return TemplateResponse(request, "admin/frameworks/framework/expectations_grid.html", context)


def save_summary(counts, track) -> str:
    changes = []
    if counts["created"]:
        changes.append(f"{counts['created']} newly asked")
    if counts["updated"]:
        changes.append(f"{counts['updated']} changed")
    if counts["removed"]:
        changes.append(f"{counts['removed']} no longer asked")
    if not changes:
        return f"Saved the {track.name} expectations: nothing had changed."
    return f"Saved the {track.name} expectations: {', '.join(changes)}."


def grid_sections(grid, form):
    """Areas with their capability rows, each row a cell per level (with its select when the grid is editable)."""
    sections, by_area = [], {}
    for capability in grid.capabilities:
        if capability.area_id not in by_area:
            by_area[capability.area_id] = {"area": capability.area, "rows": []}
            sections.append(by_area[capability.area_id])
        cells = []
        for level in grid.levels:
            stored = grid.stored(capability, level)
            cell = {
                "level": level,
                "stored": stored,
                "tone": grid.tone(stored.pk) if stored else None,
                "expectation": grid.expectations.get((capability.pk, level.pk)),
            }
            if form is not None:
                name = grid.field_name(capability, level)
                field = form[name]
                value = str(field.value() or "")
                chosen = int(value) if value.isdigit() else None
                cell.update(field=field, tone=grid.tone(chosen), note=form.notes.get(name, ""))
            cells.append(cell)
        by_area[capability.area_id]["rows"].append({"capability": capability, "cells": cells})
    return sections

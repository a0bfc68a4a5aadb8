"""The evidence log: a person's own log (filtered by capability, newest first, paginated), a manager's view of what a
report shared, and noting, changing and deleting an entry.

Every view asks growth/access.py first: strangers get 404, readers who may not change an entry 403.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from assessments.growth.access import (
    entries_visible_to,
    get_entry_for_user,
    get_log_owner,
    is_own_log,
    require_can_change_entry,
)
from assessments.growth.forms import EvidenceForm, LogFilterForm, capability_groups, framework_capabilities
from assessments.growth.models import EvidenceEntry
from assessments.people.access import person_of

PAGE_SIZE = 20


def _log_page(request, person, *, own: bool):
    capabilities = list(framework_capabilities(person))
    filter_form = LogFilterForm(request.GET, capabilities=capabilities)
    chosen = filter_form.chosen()
    entries = entries_visible_to(request.user, person)
    if chosen is not None:
        entries = entries.showing(chosen)
    entries = (
        entries.with_related()
        .annotate(citation_count=Count("citations", distinct=True))
        .order_by("-happened_on", "-pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "own": own,
        "page": page,
        "filter_form": filter_form,
        "chosen": chosen,
        "has_framework": bool(capabilities),
    }
    return render(request, "assessments/growth/log.html", context)


def my_log(request):
    """The reader's own evidence log: every entry, private or shared."""
    return _log_page(request, person_of(request.user), own=True)


def person_log(request, pk):
    """A report's log as their managers up the chain see it: the entries they shared. 404 to anyone else."""
    person = get_log_owner(request.user, pk)
    if is_own_log(request.user, person):
        return redirect("growth:log")
    return _log_page(request, person, own=False)


def _back_to_log(request) -> str:
    """Back where the reader came from in their log (filter and page kept), or the log's first page."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    log = reverse("growth:log")
    return back if back.startswith(log) and "//" not in back else log


def _form_page(request, form, person, entry, status):
    context = {
        "form": form,
        "person": person,
        "entry": entry,
        "capability_groups": capability_groups(form),
        "next": _back_to_log(request),
    }
    return render(request, "assessments/growth/entry_form.html", context, status=status)


def add_entry(request):
    """GET: the form. POST: note the entry in the reader's own log; a refused form keeps everything typed."""
    me = person_of(request.user)
    if request.method == "POST":
        form = EvidenceForm(request.POST, instance=EvidenceEntry(person=me, author=me), person=me)
        if form.is_valid():
            form.save_for(me)
            messages.success(request, "Evidence noted in your log.")
            return redirect(_back_to_log(request))
    else:
        initial = {"capabilities": request.GET.getlist("capability")}
        form = EvidenceForm(person=me, initial=initial)
    status = 400 if form.errors else 200
    return _form_page(request, form, me, None, status)


def edit_entry(request, pk):
    """Change an own note (not while a rating cites it: growth/access.py)."""
    entry = get_entry_for_user(request.user, pk)
    require_can_change_entry(request.user, entry)
    me = entry.person
    if request.method == "POST":
        form = EvidenceForm(request.POST, instance=entry, person=me)
        if form.is_valid():
            form.save_for(me)
            messages.success(request, "Entry saved.")
            return redirect(_back_to_log(request))
    else:
        form = EvidenceForm(instance=entry, person=me)
    status = 400 if form.errors else 200
    return _form_page(request, form, me, entry, status)


def delete_entry(request, pk):
    """GET: what is about to go. POST: delete it (not while a rating cites it)."""
    entry = get_entry_for_user(request.user, pk)
    require_can_change_entry(request.user, entry)
    if request.method == "POST":
        entry.delete()
        messages.success(request, "Entry deleted from your log.")
        return redirect(_back_to_log(request))
    context = {"entry": entry, "next": _back_to_log(request)}
    return render(request, "assessments/growth/entry_delete.html", context)

"""Development plans: a person's plan (theirs, or a report's for a manager up the chain), adding an item (often from
a gap on the comparison page), changing it, updating its status, and removing it.

Every view asks growth/plan_access.py first: anyone else gets 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.growth.plan_access import get_item_for_user, get_plan_owner, is_own_plan
from assessments.growth.plan_forms import PlanItemForm, PlanStatusForm
from assessments.growth.plans import PlanItem
from assessments.people.access import person_of

PAGE_SIZE = 25
INT = IntegerField()


def plan_url(user, person) -> str:
    return reverse("growth:plan") if is_own_plan(user, person) else reverse("growth:person_plan", args=[person.pk])


def _back(request, person) -> str:
    """Where the reader came from (a comparison, their plan's page), if it is a page of Pathway; else the plan."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    return back if back.startswith("/") and not back.startswith("//") else plan_url(request.user, person)


def _plan_page(request, person):
    items = (
        PlanItem.objects.filter(person=person)
        .select_related("capability__area", "resource")
        # Open items first, soonest due first; then the done ones.
        .annotate(
            done=Case(When(status=PlanItem.Status.DONE, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .order_by("done", "due_on", "pk")
    )
    counts = PlanItem.objects.filter(person=person).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=PlanItem.Status.DONE)),
        overdue=Count("pk", filter=~Q(status=PlanItem.Status.DONE) & Q(due_on__lt=timezone.localdate())),
    )
    context = {
        "person": person,
        "own": is_own_plan(request.user, person),
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": counts,
        "statuses": PlanItem.Status.choices,
    }
    return render(request, "assessments/growth/plan.html", context)


def my_plan(request):
    return _plan_page(request, person_of(request.user))


def person_plan(request, pk):
    person = get_plan_owner(request.user, pk)
    if is_own_plan(request.user, person):
        return redirect("growth:plan")
    return _plan_page(request, person)


def _form_page(request, form, person, item, status=200):
    context = {"form": form, "person": person, "item": item, "own": is_own_plan(request.user, person)}
    context["next"] = _back(request, person)
    return render(request, "assessments/growth/plan_item_form.html", context, status=status)


def add_item(request, pk):
    """GET: the form (the capability chosen when it comes from a gap). POST: add it; a refused form keeps all."""
    person = get_plan_owner(request.user, pk)
    if request.method == "POST":
        form = PlanItemForm(
            request.POST, instance=PlanItem(person=person, created_by=person_of(request.user)), person=person
        )
        if form.is_valid():
            form.save()
            messages.success(
                request, "Added to the plan." if not is_own_plan(request.user, person) else "Added to your plan."
            )
            return redirect(_back(request, person))
        return _form_page(request, form, person, None, status=400)
    form = PlanItemForm(person=person, initial={"capability": request.GET.get("capability")})
    return _form_page(request, form, person, None)


def edit_item(request, pk):
    item = get_item_for_user(request.user, pk)
    if request.method == "POST":
        form = PlanItemForm(request.POST, instance=item, person=item.person)
        if form.is_valid():
            form.save()
            messages.success(request, "Plan item saved.")
            return redirect(_back(request, item.person))
        return _form_page(request, form, item.person, item, status=400)
    return _form_page(request, PlanItemForm(instance=item, person=item.person), item.person, item)


@require_POST
def set_status(request, pk):
    item = get_item_for_user(request.user, pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        item.status = form.cleaned_data["status"]
        item.save(update_fields=["status", "updated_at"])
        messages.success(request, f"“{item.action[:60]}” is now {item.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a status from the list.")
    return redirect(_back(request, item.person))


def delete_item(request, pk):
    """GET: what is about to go. POST: remove it from the plan."""
    item = get_item_for_user(request.user, pk)
    if request.method == "POST":
        item.delete()
        messages.success(request, "Removed from the plan.")
        return redirect(plan_url(request.user, item.person))
    return render(
        request, "assessments/growth/plan_item_delete.html", {"item": item, "next": _back(request, item.person)}
    )

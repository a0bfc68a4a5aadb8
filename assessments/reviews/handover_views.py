"""Hand-over pages: HR hands a manager assessment a former manager left behind to the person's manager now, or
discards it with a reason; the manager now may take it over themself (rules: `handover.py`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.people.access import get_person_for_user, person_of
from assessments.reviews import notifications
from assessments.reviews.access import require_may_hand_over, require_may_take_over
from assessments.reviews.forms import DiscardForm
from assessments.reviews.handover import discard, hand_over, left_behind

NOTHING_LEFT = "Nothing is waiting to be handed over for {name}: it may have been handed over or discarded already."


def _hand_to_manager(request, subject, assessment):
    if subject.manager is None:
        raise ValidationError(f"{subject.name} has no manager to hand it to: set their manager first, or discard it.")
    former = hand_over(assessment, subject.manager, by_user=request.user)
    notifications.handed_over(assessment, former, by_hr=True)
    messages.success(
        request,
        f"Handed to {subject.manager.name}: it is their draft now. {former.name} no longer sees it; both are emailed.",
    )


def _discard(request, subject, assessment, form):
    former = discard(assessment, form.cleaned_data["reason"], by_user=request.user)
    notifications.discarded(assessment, former, form.cleaned_data["reason"].strip())
    messages.success(
        request,
        f"Discarded. {subject.manager.name if subject.manager else 'A manager'} can now start a manager assessment "
        f"of {subject.name}; {former.name} is emailed your reason.",
    )


def handover(request, pk):
    """HR: what a former manager left behind, with "Hand it to …" and "Discard it" (with a reason)."""
    subject = get_person_for_user(request.user, pk)
    require_may_hand_over(request.user, subject)
    assessment = left_behind(subject)
    form = DiscardForm(request.POST if request.POST.get("action") == "discard" else None)
    status, hand_over_error = 200, ""
    if request.method == "POST":
        if assessment is None:
            messages.info(request, NOTHING_LEFT.format(name=subject.name))
            return redirect("assessments:person", subject.pk)
        if request.POST.get("action") == "hand_over":
            try:
                _hand_to_manager(request, subject, assessment)
                return redirect("assessments:person", subject.pk)
            except ValidationError as error:
                hand_over_error = " ".join(error.messages)
        elif form.is_valid():
            try:
                _discard(request, subject, assessment, form)
                return redirect("assessments:person", subject.pk)
            except ValidationError as error:
                form.add_error(None, error)
        status = 400
    return render(
        request,
        "assessments/reviews/handover.html",
        {"subject": subject, "assessment": assessment, "form": form, "hand_over_error": hand_over_error},
        status=status,
    )


@require_POST
def take_over(request, pk):
    """The person's manager now takes over the manager assessment their former manager left behind."""
    subject = get_person_for_user(request.user, pk)
    require_may_take_over(request.user, subject)
    assessment = left_behind(subject)
    if assessment is None:
        messages.info(request, NOTHING_LEFT.format(name=subject.name))
        return redirect("assessments:person", subject.pk)
    try:
        former = hand_over(assessment, person_of(request.user), by_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:person", subject.pk)
    notifications.handed_over(assessment, former, by_hr=False)
    messages.success(request, f"It is yours now, as a private draft. {former.name} no longer sees it.")
    return redirect(assessment)

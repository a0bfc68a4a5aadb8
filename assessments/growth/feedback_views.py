"""Feedback requests: asking (for yourself, or for a report), the requests you asked, the requests waiting for your
answer, answering, declining and withdrawing.

Every view asks growth/feedback_access.py first: strangers get 404, people who know of a request but may not act
on it 403.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_text_list
from django.views.decorators.http import require_POST

from assessments.growth.feedback import AlreadyClosed, FeedbackRequest
from assessments.growth.feedback_access import (
    can_read_answer,
    get_ask_subject,
    get_request_to_answer,
    get_request_to_withdraw,
)
from assessments.growth.feedback_emails import feedback_answered, feedback_asked, feedback_declined
from assessments.growth.feedback_forms import AnswerForm, AskForm, DeclineForm
from assessments.growth.forms import capability_groups
from assessments.people.access import person_of
from frameworks.models import Expectation

PAGE_SIZE = 20
CLOSED = "This request is closed: it was answered, declined or withdrawn, so nothing was changed."


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# Asking ------------------------------------------------------------------------------------------------------------


def _ask_page(request, person, asker):
    own = person.pk == asker.pk
    if request.method == "POST":
        form = AskForm(request.POST, person=person, asker=asker)
        if form.is_valid():
            asked = _create_requests(form, person, asker)
            names = get_text_list([r.colleague.name for r in asked], "and")
            due = asked[0].due_on
            messages.success(
                request, f"Asked {names} for feedback, by {due:%-d %B %Y}. You’ll get an email when each answers."
            )
            return redirect("growth:feedback_asked")
    else:
        form = AskForm(person=person, asker=asker)
    context = {
        "form": form,
        "person": person,
        "own": own,
        "capability_groups": capability_groups(form) if person.level_id else [],
    }
    return render(request, "assessments/growth/feedback_ask.html", context, status=400 if form.errors else 200)


def _create_requests(form, person, asker) -> list[FeedbackRequest]:
    data = form.cleaned_data
    with transaction.atomic():
        asked = []
        for colleague in data["colleagues"]:
            feedback = FeedbackRequest.objects.create(
                person=person,
                asked_by=asker,
                colleague=colleague,
                question=data["question"],
                due_on=data["due_on"],
                level_id=person.level_id,
                share_with_managers=bool(data.get("share_with_managers")),
            )
            feedback.capabilities.set(data["capabilities"])
            asked.append(feedback)
    for feedback in asked:
        feedback.person, feedback.asked_by = person, asker
        feedback_asked(feedback)
    return asked


def ask(request):
    """Ask colleagues for feedback on yourself."""
    me = person_of(request.user)
    return _ask_page(request, me, me)


def ask_about(request, pk):
    """A manager up the chain asks colleagues for feedback on a report. 404 to anyone else."""
    person = get_ask_subject(request.user, pk)
    me = person_of(request.user)
    if person.pk == me.pk:
        return redirect("growth:feedback_ask")
    return _ask_page(request, person, me)


# Lists -------------------------------------------------------------------------------------------------------------


def asked(request):
    """The requests the reader asked, newest first, with each one's status and (once answered) the answer."""
    me = person_of(request.user)
    requests = FeedbackRequest.objects.filter(asked_by=me).with_related().order_by("-created_at", "-pk")
    return render(request, "assessments/growth/feedback_asked.html", {"me": me, "page": _page(request, requests)})


def for_me(request):
    """The requests waiting for the reader's answer, due soonest first; or (?show=done) those they have closed."""
    me = person_of(request.user)
    done = request.GET.get("show") == "done"
    mine = FeedbackRequest.objects.filter(colleague=me)
    if done:
        requests = mine.exclude(status=FeedbackRequest.Status.WAITING).order_by("-closed_at", "-pk")
    else:
        requests = FeedbackRequest.objects.waiting_for(me)
    context = {"me": me, "done": done, "page": _page(request, requests.with_related()), "today": timezone.localdate()}
    return render(request, "assessments/growth/feedback_for_me.html", context)


# One request -------------------------------------------------------------------------------------------------------


def _described(feedback):
    """The chosen capabilities, each with what the person's level (when asked) expects of it, in one query."""
    capabilities = sorted(feedback.capabilities.all(), key=lambda c: (c.area_id, c.position, c.pk))
    expected = {}
    if feedback.level_id:
        expected = dict(
            Expectation.objects.filter(level_id=feedback.level_id, capability__in=capabilities).values_list(
                "capability_id", "description"
            )
        )
    return [(capability, expected.get(capability.pk, "")) for capability in capabilities]


def answer(request, pk):
    """GET: the request, and the form while it is open (or what was sent). POST: send the answer."""
    feedback = get_request_to_answer(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not feedback.is_open:
            messages.error(request, CLOSED)
            return redirect("growth:feedback_answer", feedback.pk)
        if form.is_valid():
            try:
                feedback.give_answer(form.cleaned_data["text"])
            except AlreadyClosed:
                messages.error(request, CLOSED)
                return redirect("growth:feedback_answer", feedback.pk)
            feedback_answered(feedback)
            messages.success(request, f"Your feedback is sent to {feedback.person.name}’s evidence log. Thank you.")
            return redirect("growth:feedback")
    context = {
        "feedback": feedback,
        "form": form,
        "capabilities": _described(feedback),
        "can_read": can_read_answer(request.user, feedback),
    }
    return render(request, "assessments/growth/feedback_answer.html", context, status=400 if form.errors else 200)


def decline(request, pk):
    """GET: a reason, optional. POST: decline; the asker is told."""
    feedback = get_request_to_answer(request.user, pk)
    if not feedback.is_open:
        messages.error(request, CLOSED)
        return redirect("growth:feedback_answer", feedback.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.decline(form.cleaned_data["reason"])
        except AlreadyClosed:
            messages.error(request, CLOSED)
            return redirect("growth:feedback_answer", feedback.pk)
        feedback_declined(feedback)
        messages.success(request, f"You declined. {feedback.asked_by.name} is told by email.")
        return redirect("growth:feedback")
    context = {"feedback": feedback, "form": form}
    return render(request, "assessments/growth/feedback_decline.html", context, status=400 if form.errors else 200)


@require_POST
def withdraw(request, pk):
    """The asker withdraws a request that waits for an answer; the colleague can no longer answer it."""
    feedback = get_request_to_withdraw(request.user, pk)
    try:
        feedback.withdraw()
    except AlreadyClosed:
        messages.error(request, CLOSED)
    else:
        messages.success(request, f"Withdrawn: {feedback.colleague.name} can no longer answer it.")
    return redirect("growth:feedback_asked")

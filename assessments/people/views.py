"""The person page: where someone sits in the organisation and where their level leads; a new joiner's level."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.people.access import (
    can_set_level,
    get_person_for_user,
    require_can_set_level,
    scope_of,
    visible_chain,
)
from assessments.people.forms import SetLevelForm
from assessments.people.models import Person, by_name
from assessments.people.next_steps import framework_url, indefinite_article, level_url, next_steps
from frameworks.hooks import draft_progress_of


def _person_page(request, subject, level_form=None, status=200):
    viewer_id = scope_of(request.user).person_id  # read with the subject (get_person_for_user): no query
    chain_ids = subject.chain_ids
    chain = Person.objects.select_related("user").in_bulk(chain_ids)
    may_open = visible_chain(request.user, list(chain.values()))
    # Everyone below the subject is below the viewer too (or the viewer is HR), so all reports may show: with
    # what their table shows (name, level and track).
    reports = by_name(Person.objects.select_related("user", "level__track").filter(manager=subject))
    for report in reports:
        report.manager = subject
    # A new joiner's level is set here by their manager or HR (HR changes a set level in the admin).
    if level_form is None and subject.level_id is None and can_set_level(request.user, subject):
        level_form = SetLevelForm()
    steps = next_steps(subject.level)
    # The button "Assess" (for the subject's managers) opens their draft when they have one (frameworks.hooks).
    assessor = subject.pk != viewer_id and any(manager.user_id == request.user.pk for manager in chain.values())
    assess_level = steps.on_track.level if steps and steps.on_track else subject.level
    draft = draft_progress_of(request.user, assess_level, subject) if assessor and assess_level else None
    return render(
        request,
        "assessments/people/person.html",
        {
            "subject": subject,
            "is_self": subject.pk == viewer_id,
            "is_manager": assessor,  # up the chain: offered the evidence the person shared (growth/access.py)
            "chain": [(chain[pk], pk in may_open) for pk in chain_ids if pk in chain],
            "reports": reports,
            "steps": steps,
            "draft": draft,
            "level_url": level_url(subject.level) if subject.level else None,
            "framework_url": framework_url(subject.level.framework) if subject.level else None,
            "article": indefinite_article(subject.level.name) if subject.level else "",
            "level_form": level_form,
        },
        status=status,
    )


def person(request, pk):
    return _person_page(request, get_person_for_user(request.user, pk))


@require_POST
def set_level(request, pk):
    """Set a new joiner's level: their manager or HR. Outside one's scope a 404; in it, not theirs to do, a 403."""
    subject = get_person_for_user(request.user, pk)
    require_can_set_level(request.user, subject)
    form = SetLevelForm(request.POST)
    if not form.is_valid():
        return _person_page(request, subject, level_form=form, status=400)
    subject.level = form.cleaned_data["level"]
    subject.save()
    level = subject.level
    messages.success(
        request, f"{subject.name} is now {indefinite_article(level.name)} {level.name} on {level.framework.name}."
    )
    return redirect("person", pk=subject.pk)

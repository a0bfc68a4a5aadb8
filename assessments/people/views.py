"""The person page: where someone sits in the organisation and where their level leads."""

from django.shortcuts import render

from assessments.people.access import get_person_for_user, person_of, visible_chain
from assessments.people.models import Person, by_name
from assessments.people.next_steps import framework_url, indefinite_article, level_url, next_steps


def person(request, pk):
    subject = get_person_for_user(request.user, pk)
    viewer = person_of(request.user)
    chain_ids = subject.chain_ids
    chain = Person.objects.select_related("user").in_bulk(chain_ids)
    may_open = visible_chain(request.user, list(chain.values()))
    # Everyone below the subject is below the viewer too (or the viewer is HR), so all reports may show.
    reports = by_name(Person.objects.with_related().filter(manager=subject))
    return render(
        request,
        "assessments/people/person.html",
        {
            "subject": subject,
            "is_self": subject.pk == viewer.pk,
            "chain": [(chain[pk], pk in may_open) for pk in chain_ids if pk in chain],
            "reports": reports,
            "steps": next_steps(subject.level),
            "level_url": level_url(subject.level) if subject.level else None,
            "framework_url": framework_url(subject.level.framework) if subject.level else None,
            "article": indefinite_article(subject.level.name) if subject.level else "",
        },
    )

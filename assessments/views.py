from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render

from assessments.access import get_person_for_user, person_of
from assessments.assessment_views import home_assessments
from assessments.models import Person, ReportingTree
from assessments.next_steps import framework_url, level_url, next_steps


def indefinite_article(phrase: str) -> str:
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def _by_name(people):
    # Leavers sink to the bottom of a list: they are kept for history, not for day-to-day work.
    return sorted(people, key=lambda person: (not person.user.is_active, person.name.lower(), person.pk))


def home(request):
    me = person_of(request.user)
    tree = ReportingTree.load()
    team_counts = None
    below = tree.below(me.pk)
    if below:
        team_counts = (
            Person.objects.active()
            .filter(pk__in=below)
            .aggregate(total=Count("pk"), direct=Count("pk", filter=Q(manager=me)))
        )
        team_counts["indirect"] = team_counts["total"] - team_counts["direct"]
    return render(
        request,
        "assessments/home.html",
        {
            "me": me,
            "article": indefinite_article(me.level.name) if me.level else "",
            "steps": next_steps(me.level),
            "team_counts": team_counts,
            "assessments": home_assessments(me),
        },
    )


@dataclass
class TeamGroup:
    """The direct reports of one manager inside the viewer's team."""

    manager: Person
    chain: list[Person]  # from that manager's own manager up to (not including) the viewer
    reports: list[Person]


def team(request):
    """My team: direct reports, then everyone below them grouped under their own manager.

    A person with no reports gets a 200 page saying so (not a 404): the page is theirs, it is
    just empty, and the nav only offers it to people who manage someone.
    """
    me = person_of(request.user)
    tree = ReportingTree.load()
    below = tree.below(me.pk)
    people = Person.objects.with_related().in_bulk(below)
    direct = _by_name(people[pk] for pk in tree.reports_of.get(me.pk, ()) if pk in people)
    groups = []
    for pk in below:
        report_ids = tree.reports_of.get(pk)
        if pk not in people or not report_ids:
            continue
        chain_ids = tree.above(pk)
        chain = [people[chain_pk] for chain_pk in chain_ids[: chain_ids.index(me.pk)] if chain_pk in people]
        groups.append(
            TeamGroup(
                manager=people[pk],
                chain=chain,
                reports=_by_name(people[report] for report in report_ids if report in people),
            )
        )
    indirect_count = sum(1 for pk in below if pk in people and people[pk].manager_id != me.pk)
    return render(
        request,
        "assessments/team.html",
        {"me": me, "direct": direct, "groups": groups, "indirect_count": indirect_count},
    )


def person(request, pk):
    subject = get_person_for_user(request.user, pk)
    viewer = person_of(request.user)
    tree = ReportingTree.load()
    chain_ids = tree.above(subject.pk)
    chain = Person.objects.select_related("user").in_bulk(chain_ids)
    if request.user.is_hr_admin:
        visible_chain = set(chain_ids)
    else:
        visible_chain = {viewer.pk, *tree.below(viewer.pk)}.intersection(chain_ids)
    # Everyone below the subject is below the viewer too (or the viewer is HR), so all reports may show.
    reports = _by_name(Person.objects.with_related().filter(pk__in=tree.reports_of.get(subject.pk, ())))
    return render(
        request,
        "assessments/person.html",
        {
            "subject": subject,
            "is_self": subject.pk == viewer.pk,
            "chain": [(chain[pk], pk in visible_chain) for pk in chain_ids if pk in chain],
            "reports": reports,
            "steps": next_steps(subject.level),
            "level_url": level_url(subject.level) if subject.level else None,
            "framework_url": framework_url(subject.level.framework) if subject.level else None,
            "article": indefinite_article(subject.level.name) if subject.level else "",
        },
    )

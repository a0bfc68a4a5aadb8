"""Issue 11: no scope check reads more than a bounded number of rows. Every question of the people policy
(`people/access.py`) and the assessment policy's visibility, asked by a CEO, a middle manager, a leaf and HR in an
organisation of 60, runs statements that each return at most two rows — never the whole Person table."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from assessments.people import access
from assessments.people.models import Person
from assessments.reviews.models import Assessment
from tests.assessments.test_calibration_sql import rows_returned  # noqa: F401 -- the fixture
from tests.assessments.test_reporting_paths import make_org

BOUND = 2


def ask_everything(user, people: list[Person], chains: dict, rng: random.Random) -> None:
    me = access.person_of(user)
    access.scope_of(user)
    access.manages_anyone(user)
    for person in rng.sample(people, 12):
        access.can_see_person(user, person)
        access.is_manager_of(user, person)
        access.can_set_level(user, person)
        access.visible_chain(user, chains[person.pk])
        Assessment.objects.visible_to(user).filter(subject=person).exists()
        try:
            access.get_person_for_user(user, person.pk)
            access.get_team_manager(user, me, str(person.pk))
        except Http404:
            pass


@pytest.mark.django_db
def test_no_scope_check_reads_more_than_a_couple_of_rows(hr_admin, rows_returned):  # noqa: F811
    people = make_org(60, seed=21)
    rng = random.Random(5)
    depth = {person.pk: person.path.count("/") for person in Person.objects.filter(pk__in=[p.pk for p in people])}
    middle = next(p for p in people if depth[p.pk] == 3 and Person.objects.filter(manager=p).exists())
    leaf = next(p for p in people if not Person.objects.filter(manager=p).exists())
    chains = {person.pk: person.managers_up_chain() for person in people}  # read by the pages, not the checks
    for viewer in (people[0], middle, leaf, hr_admin.person):
        user = get_user_model().objects.get(pk=viewer.user_id)  # a new request: nothing remembered
        rows_returned.clear()
        ask_everything(user, people, chains, rng)
        biggest = max(rows_returned, key=lambda entry: entry[1])
        assert len(rows_returned) > 12 and biggest[1] <= BOUND, (viewer, biggest)


@pytest.mark.django_db
def test_the_whole_organisation_pages_read_a_page_of_rows_not_everyone(client, hr_admin, monkeypatch, rows_returned):  # noqa: F811
    """The heatmap (summary per team, a team drilled into, a search) and calibration (a page of managers, one
    manager's people) for the top of an organisation of 40: no statement returns more than a page of rows."""
    from django.urls import reverse

    from assessments.reports import access as report_access
    from assessments.reports import calibration, views

    monkeypatch.setattr(views, "HEATMAP_PAGE_SIZE", 5)
    monkeypatch.setattr(calibration, "RATERS_PAGE_SIZE", 5)
    monkeypatch.setattr(report_access, "MANAGERS_LISTED", 5)
    people = make_org(40, seed=21)
    top = people[0]
    middle = Person.objects.filter(manager__manager=top, reports__isnull=False).order_by("pk").first()
    direct = Person.objects.filter(manager=top).count()
    bound = max(direct, 5 + 1)  # a row per team at the top; a page of 5 people (or the count's one row) elsewhere
    ceo = get_user_model().objects.get(pk=top.user_id)
    for user, url in (
        (ceo, reverse("reports:team")),
        (ceo, reverse("reports:team") + "?q=person&page=2"),
        (ceo, reverse("reports:team") + f"?manager={middle.pk}"),
        (ceo, reverse("reports:calibration")),
        (hr_admin, reverse("reports:team")),
        (hr_admin, reverse("reports:calibration")),
        (hr_admin, reverse("reports:calibration_manager", args=[middle.pk])),
    ):
        client.force_login(user)
        rows_returned.clear()
        assert client.get(url).status_code == 200, url
        biggest = max(rows_returned, key=lambda entry: entry[1])
        assert biggest[1] <= bound < 39, (url, biggest)

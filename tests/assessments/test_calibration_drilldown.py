"""Calibration drills down from a manager to their people and their ratings; each readiness group names its
people; the heatmap's verdict sort runs across pages."""

import pytest
from django.urls import reverse

from assessments.reports import calibration, views
from tests.assessments.report_fixtures import make_review
from tests.assessments.test_calibration import org, ranks  # noqa: F401 (the calibration fixture)
from tests.factories import make_framework, make_user


def test_a_manager_drills_down_to_their_people(client, org):  # noqa: F811
    client.force_login(org["hugo"])
    page = client.get(reverse("reports:calibration")).content.decode()
    maya = org["maya"].person
    drill = reverse("reports:calibration_manager", args=[maya.pk])
    # The newest cycle with submitted work by default; "all" across every cycle.
    assert f'href="{drill}?cycle={org["cycle"].pk}">Maya Manager</a>' in page
    response = client.get(drill, {"cycle": "all"})
    assert response.status_code == 200
    people = {row.person.name: row.stats for row in response.context["people"]}
    assert set(people) == {"Priya Product", "Pete Peer"}
    assert (people["Priya Product"].ratings, people["Priya Product"].vs_expectation) == (6, 1.0)
    assert (people["Pete Peer"].vs_expectation, people["Pete Peer"].vs_self) == (0.0, 0.0)
    assert response.context["stats"].people == 2 and response.context["stats"].vs_expectation == 0.5
    body = response.content.decode()
    priya = org["priya"].person
    assert f"/reports/people/{priya.pk}/compare/?level=" in body  # each name leads to the ratings
    assert "+1.0 step" in body and "2 people rated in 2026 H1" not in body
    assert "2 people rated across all review cycles" in body
    assert "2 people rated in 2026 H1" in client.get(drill).content.decode()


def test_the_drill_down_follows_the_chosen_cycle(client, org):  # noqa: F811
    client.force_login(org["hugo"])
    drill = reverse("reports:calibration_manager", args=[org["maya"].person.pk])
    page = client.get(reverse("reports:calibration") + f"?cycle={org['cycle'].pk}").content.decode()
    assert f'href="{drill}?cycle={org["cycle"].pk}">Maya Manager</a>' in page
    assert "2 people rated in 2026 H1" in client.get(drill + f"?cycle={org['cycle'].pk}").content.decode()


def test_a_manager_with_nothing_submitted_says_so(client, org):  # noqa: F811
    client.force_login(org["hugo"])
    response = client.get(reverse("reports:calibration_manager", args=[org["priya"].person.pk]))
    assert response.status_code == 200 and response.context["people"] == []
    said = "Priya Product has no submitted manager assessments in 2026 H1 that you can see."
    assert said in response.content.decode()


def test_a_head_cannot_drill_into_a_manager_outside_their_part(client, org):  # noqa: F811
    yan = type(org["maya"]).objects.get(email="yan@example.com").person
    client.force_login(org["hugo"])
    assert client.get(reverse("reports:calibration_manager", args=[yan.pk])).status_code == 404
    client.force_login(org["maya"])
    assert client.get(reverse("reports:calibration_manager", args=[org["maya"].person.pk])).status_code == 404


def test_readiness_groups_name_their_people_and_say_how_many_more(client, org, monkeypatch):  # noqa: F811
    client.force_login(org["hugo"])
    line = client.get(reverse("reports:calibration")).context["calibration"].readiness[0]
    ready = line.groups[0]
    assert (ready.verdict.label, ready.people, [name for _, name in ready.named]) == (
        "Ready",
        2,
        ["Pete Peer", "Priya Product"],
    )
    monkeypatch.setattr(calibration, "NAMES_SHOWN", 1)
    body = client.get(reverse("reports:calibration")).content.decode()
    assert "Pete Peer</a> and 1 more" in body
    assert "Olive Other</a>" in body  # the one not yet ready


def test_the_manager_table_is_paginated_by_name(client, org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(calibration, "RATERS_PAGE_SIZE", 1)
    client.force_login(org["hugo"])
    first = client.get(reverse("reports:calibration"))
    assert [rater.name for rater in first.context["calibration"].raters] == ["Maya Manager"]
    body = first.content.decode()
    assert "Managers 1 to 1 of 2, by name." in body and "page=2" in body
    second = client.get(reverse("reports:calibration") + "?page=2")
    assert [rater.name for rater in second.context["calibration"].raters] == ["Omar Other"]
    # Who stands out is asked of everyone, not only of the page shown.
    assert first.context["calibration"].outliers == second.context["calibration"].outliers != []


def test_outliers_beyond_the_first_few_are_counted(client, org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(calibration, "OUTLIERS_SHOWN", 0)
    client.force_login(org["hugo"])
    response = client.get(reverse("reports:calibration"))
    assert response.context["calibration"].more_outliers == 1
    assert "And 1 more manager" in response.content.decode()


@pytest.fixture
def team(db):
    """Six people under one manager, named so that by name the Ready ones come last."""
    framework = make_framework()
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    boss = make_user("boss@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
    everywhere = {c.key: 3 for c in framework.capabilities.all()}
    far_below = {c.key: 1 for c in framework.capabilities.all()}
    for name, given in (
        ("Anna Below", far_below),
        ("Ben Below", far_below),
        ("Cal Nothing", None),
        ("Yara Ready", everywhere),
        ("Zoe Ready", everywhere),
        ("Dan Nothing", None),
    ):
        person = make_user(f"{name.split()[0].lower()}@example.com", name, manager=boss, level=ic2)
        if given is not None:
            make_review(person, boss, ic3, None, given)
    return boss


def test_the_heatmap_sorts_by_verdict_across_pages(client, team, monkeypatch):
    monkeypatch.setattr(views, "HEATMAP_PAGE_SIZE", 2)
    client.force_login(team)

    def page(number, sort=""):
        response = client.get(reverse("reports:team") + f"?page={number}{sort}")
        return [row.person.name for table in response.context["tables"] for row in table.rows], response

    first, response = page(1)
    assert first == ["Yara Ready", "Zoe Ready"]
    assert page(2)[0] == ["Anna Below", "Ben Below"]
    assert page(3)[0] == ["Cal Nothing", "Dan Nothing"]
    assert "People 1 to 2 of 6, by verdict (Ready first), then name." in response.content.decode()
    by_name, response = page(1, "&sort=name")
    assert by_name == ["Anna Below", "Ben Below"]
    assert "People 1 to 2 of 6, by name." in response.content.decode()

"""A level key is unique within its track: `ic/lead` and `mgmt/lead` are two levels, on every page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from frameworks.comparison import diff_versions
from frameworks.models import Expectation, Level, ScaleLevel
from frameworks.views import prefetch_catalogue
from tests.factories import make_two_leads_framework, make_user
from tests.frameworks.test_pages import compare_url, detail_url, level_url, text


@pytest.fixture
def engineering(db):
    return make_two_leads_framework()


@pytest.fixture
def team_lead(engineering):
    """Tess leads a team: she is on the management track's `lead`."""
    return make_user("tess@example.com", "Tess Lead", level=engineering.levels.get(track__key="mgmt", key="lead"))


def lead(framework, track_key) -> Level:
    return framework.levels.select_related("track").get(track__key=track_key, key="lead")


def test_both_leads_have_their_own_page(client, team_lead, engineering):
    client.force_login(team_lead)
    ic_page = client.get(level_url(engineering, "ic/lead"))
    mgmt_page = client.get(level_url(engineering, "mgmt/lead"))
    assert ic_page.status_code == mgmt_page.status_code == 200
    assert "<h1>Lead engineer</h1>" in ic_page.content.decode()
    assert "<h1>Engineering team lead</h1>" in mgmt_page.content.decode()
    assert "Track: Engineer " in text(ic_page)
    assert "Track: Engineering management " in text(mgmt_page)
    # "You are here" follows the track as well as the key.
    assert "You are here" in text(mgmt_page) and "You are here" not in text(ic_page)
    assert lead(engineering, "ic").get_absolute_url() == "/frameworks/engineering/v1/levels/ic/lead/"


def test_framework_page_links_each_lead_and_marks_only_the_readers(client, team_lead, engineering):
    client.force_login(team_lead)
    html = client.get(detail_url(engineering)).content.decode()
    assert f'href="{level_url(engineering, "ic/lead")}"' in html
    assert f'href="{level_url(engineering, "mgmt/lead")}"' in html
    here = re.findall(r'<li class="pathway__level is-here".*?</li>', html, flags=re.S)
    assert len(here) == 1 and "Engineering team lead" in here[0]


def test_an_old_link_by_level_key_alone_goes_on_when_only_one_track_has_the_key(client, team_lead, engineering):
    client.force_login(team_lead)
    old = reverse("frameworks:level_by_key", args=["engineering", 1, "head"])
    response = client.get(old)
    assert response.status_code == 302 and response["Location"] == level_url(engineering, "mgmt/head")
    assert client.get(reverse("frameworks:level_by_key", args=["engineering", 1, "lead"])).status_code == 404
    assert client.get(reverse("frameworks:level_by_key", args=["engineering", 1, "nope"])).status_code == 404


def test_compare_names_levels_by_track_and_key(client, team_lead, engineering):
    client.force_login(team_lead)
    # By default: from the reader's level to the next on their track.
    response = client.get(compare_url(engineering))
    html = response.content.decode()
    assert "From Engineering team lead to Head of engineering" in text(response)
    assert '<option value="mgmt/lead" selected>' in html and '<option value="ic/lead">' in html
    assert "?from=mgmt/head&amp;to=mgmt/lead" in html  # the swap link

    page = text(client.get(compare_url(engineering, **{"from": "ic/lead", "to": "mgmt/lead"})))
    assert "From Lead engineer to Engineering team lead: 1 capability rises, 2 are lower." in page
    # A bare key still works where only one track has it (links made before), and is refused where it is ambiguous.
    page = text(client.get(compare_url(engineering, **{"from": "engineer", "to": "head"})))
    assert "From Engineer to Head of engineering" in page
    response = client.get(compare_url(engineering, **{"from": "lead", "to": "mgmt/head"}))
    assert response.status_code == 200
    assert (
        "“lead” is a level on more than one track (Engineer and Engineering management) of Engineering. "
        "Choose the first level from the list."
    ) in text(response)
    assert "compare-summary" not in response.content.decode()


def test_the_version_diff_follows_each_lead_on_its_own_track(client, team_lead, engineering):
    draft = engineering.new_version()
    renamed = draft.levels.get(track__key="mgmt", key="lead")
    renamed.name = "Engineering manager"
    renamed.save()
    raised = Expectation.objects.get(
        level__framework=draft, level__track__key="ic", level__key="lead", capability__key="mentoring"
    )
    raised.scale_level = ScaleLevel.objects.get(framework=draft, key="teaching")
    raised.save()
    draft.publish()

    prefetch_catalogue([engineering, draft])
    diff = diff_versions(engineering, draft)
    assert (diff.levels_added, diff.levels_removed) == ([], [])
    assert [(change.old_name, change.new_name) for change in diff.levels_renamed] == [
        ("Engineering team lead", "Engineering manager")
    ]
    assert [(changes.level.ref, len(changes.changes)) for changes in diff.expectations] == [("ic/lead", 1)]

    client.force_login(team_lead)
    page = text(client.get(reverse("frameworks:diff", args=["engineering"])))
    assert "From version 1 to version 2: 1 level renamed, 1 expectation raised." in page
    assert "Lead engineer (1 change)" in page


def test_a_level_that_changes_track_is_a_new_level(engineering):
    draft = engineering.new_version()
    moved = draft.levels.get(track__key="mgmt", key="head")
    moved.track = draft.tracks.get(key="ic")
    moved.position = 2
    moved.save()
    prefetch_catalogue([engineering, draft])
    diff = diff_versions(engineering, draft)
    assert [level.ref for level in diff.levels_added] == ["ic/head"]
    assert [level.ref for level in diff.levels_removed] == ["mgmt/head"]
    assert diff.levels_moved == []


def test_the_old_version_links_to_the_same_lead_in_the_current_one(client, team_lead, engineering):
    draft = engineering.new_version()
    draft.levels.get(track__key="ic", key="lead").delete()
    draft.publish()
    client.force_login(team_lead)
    # The IC lead is gone from version 2: its old page links to the framework, not to the management lead.
    ic_html = client.get(level_url(engineering, "ic/lead")).content.decode()
    assert level_url(draft, "mgmt/lead") not in ic_html and detail_url(draft) in ic_html
    mgmt_html = client.get(level_url(engineering, "mgmt/lead")).content.decode()
    assert level_url(draft, "mgmt/lead") in mgmt_html


def test_a_level_key_is_refused_twice_on_one_track_and_copied_on_both_into_a_new_version(engineering):
    draft = engineering.new_version()
    assert sorted(level.ref for level in draft.levels.select_related("track").filter(key="lead")) == [
        "ic/lead",
        "mgmt/lead",
    ]
    twin = Level(framework=draft, track=draft.tracks.get(key="ic"), key="lead", name="Another lead", grade=2)
    with pytest.raises(ValidationError, match="Level with this Track and Key already exists"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()

"""Framework pages at their edges: a version diff asked for badly, and a level that asks for less than the one below."""

import re

import pytest
from django.urls import reverse

from frameworks.comparison import Change, compare_levels
from frameworks.models import Expectation
from tests.factories import make_framework


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def diff_url(key, **params):
    url = reverse("frameworks:diff", args=[key])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def two_versions(framework):
    framework.new_version().publish()
    return framework


def test_diff_to_the_first_version_has_nothing_older_to_compare(client, pm, two_versions):
    client.force_login(pm)
    response = client.get(diff_url("product", to=1))
    assert response.status_code == 200
    assert "Choose two versions to compare." in text(response)
    assert response.context["diff"] is None


def test_diff_of_a_version_with_itself_asks_for_two_different_versions(client, pm, two_versions):
    client.force_login(pm)
    response = client.get(diff_url("product", **{"from": 2, "to": 2}))
    assert "You chose the same version twice." in text(response)
    assert response.context["diff"] is None


def test_diff_keeps_what_was_typed_when_the_version_is_unknown(client, pm, two_versions):
    client.force_login(pm)
    response = client.get(diff_url("product", **{"from": "9", "to": " 2 "}))
    assert response.context["from_value"] == "9"
    assert response.context["to_value"] == 2
    assert "There is no version “9” of Product management to compare." in text(response)


def test_level_page_tags_what_is_lower_or_no_longer_asked_than_the_level_below(client, pm, db):
    framework = make_framework(key="odd", name="Odd ladder", publish=False)
    awareness = framework.scale_levels.get(key="awareness")
    lowered = Expectation.objects.get(level__key="ic-3", capability__key="cap-1-1", level__framework=framework)
    lowered.scale_level = awareness  # IC level 2 asks for Working
    lowered.save()
    Expectation.objects.filter(level__key="ic-3", capability__key="cap-1-2", level__framework=framework).delete()
    framework.publish()
    client.force_login(pm)
    response = client.get(reverse("frameworks:level", args=["odd", 1, "ic", "ic-3"]))
    assert response.status_code == 200
    page = text(response)
    assert "Lower than before (Working)" in page
    assert "Capability 1.2 was asked at IC level 2." in page
    assert "Lower than before" not in page.replace("Lower than before (Working)", "", 1)


def test_change_tags_read_as_short_phrases(db):
    framework = make_framework()
    levels = {level.key: level for level in framework.levels.all()}
    down = compare_levels(levels["mgr-2"], levels["ic-1"])
    tags = {change.change: change.tag for change in down.changes}
    assert tags[Change.LOWERED] == "Lower than before (Expert)"
    assert tags[Change.DROPPED] == "No longer asked"
    same = compare_levels(levels["ic-2"], levels["ic-2"])
    assert {change.tag for change in same.changes} == {""}

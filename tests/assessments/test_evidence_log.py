"""The evidence log: noting, reading (filtered, paginated), changing and deleting entries, and who sees what."""

import datetime

import pytest
from django.urls import reverse

from assessments.growth.models import EvidenceEntry
from assessments.reviews.citations import Citation
from assessments.reviews.models import Assessment
from tests.assessments.growth_helpers import make_entry
from tests.factories import make_user


def _form(pm, **overrides):
    capabilities = pm.person.level.framework.capabilities.order_by("pk")
    data = {
        "happened_on": "2026-03-14",
        "text": "Led the pricing experiment; conversion rose 4%.",
        "link": "https://example.com/pricing",
        "capabilities": [capabilities[0].pk, capabilities[1].pk],
    }
    data.update(overrides)
    return data


def test_pm_notes_evidence_privately_by_default(client, pm):
    client.force_login(pm)
    assert client.get(reverse("growth:add")).status_code == 200
    response = client.post(reverse("growth:add"), _form(pm))
    assert response.status_code == 302 and response["Location"] == reverse("growth:log")
    entry = EvidenceEntry.objects.get()
    assert (entry.person, entry.author, entry.source, entry.shared) == (pm.person, pm.person, "note", False)
    assert entry.capabilities.count() == 2 and entry.link == "https://example.com/pricing"
    page = client.get(reverse("growth:log")).content.decode()
    assert "Led the pricing experiment" in page and "Private" in page and "1 entry" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "   "}, "Say what happened."),
        ({"happened_on": "2099-01-01"}, "can’t be in the future"),
        ({"happened_on": "14th of March"}, "Enter a real date"),
        ({"link": "not a link at all"}, "Enter a full web address"),
        ({"capabilities": []}, "Choose at least one capability"),
        ({"capabilities": ["999999"]}, "not in your framework"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_typed_is_lost(client, pm, change, message):
    client.force_login(pm)
    response = client.post(reverse("growth:add"), _form(pm, **change))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "Everything you typed is kept" in page
    if change.get("text") is None:
        assert "Led the pricing experiment; conversion rose 4%." in page
    assert not EvidenceEntry.objects.exists()


def test_capabilities_come_from_the_persons_own_framework(client, pm):
    other = make_user("o@example.com", "Other Framework")
    from tests.factories import make_framework

    foreign = make_framework(key="design", name="Design").capabilities.first()
    client.force_login(pm)
    response = client.post(reverse("growth:add"), _form(pm, capabilities=[foreign.pk]))
    assert response.status_code == 400 and "not in your framework" in response.content.decode()
    assert other.person.level is None


def test_log_filters_by_capability_and_pages_newest_first(client, pm, django_assert_max_num_queries):
    first, second = pm.person.level.framework.capabilities.order_by("pk")[:2]
    for day in range(1, 24):
        make_entry(pm, text=f"Entry {day:02d}", keys={first.key}, day=datetime.date(2026, 1, day))
    make_entry(pm, text="Only the second", keys={second.key}, day=datetime.date(2026, 2, 1))
    client.force_login(pm)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("growth:log")).content.decode()
    assert "24 entries" in page and page.index("Only the second") < page.index("Entry 23")
    assert "Page 1 of 2" in page and "Entry 05" in page and "Entry 04" not in page
    page = client.get(reverse("growth:log"), {"capability": second.key}).content.decode()
    assert "1 entry showing" in page and "Only the second" in page and "Entry 23" not in page
    page = client.get(reverse("growth:log"), {"capability": first.key, "page": 2}).content.decode()
    assert "Entry 01" in page and "Entry 03" in page and "Only the second" not in page
    # Not a capability of the framework: the whole log, not an error.
    assert client.get(reverse("growth:log"), {"capability": "nope"}).status_code == 200


def test_log_query_count_does_not_grow_with_entries(client, pm, django_assert_max_num_queries):
    for day in range(1, 4):
        make_entry(pm, day=datetime.date(2026, 1, day))
    client.force_login(pm)
    with django_assert_max_num_queries(8):
        client.get(reverse("growth:log"))


def test_entries_tagged_on_an_older_framework_version_still_show_under_the_capability(client, pm):
    old = pm.person.level.framework
    capability = old.capabilities.order_by("pk").first()
    make_entry(pm, text="Tagged on version 1", keys={capability.key})
    new = old.new_version()
    new.publish()
    pm.person.refresh_from_db()
    assert pm.person.level.framework_id == new.pk
    client.force_login(pm)
    page = client.get(reverse("growth:log"), {"capability": capability.key}).content.decode()
    assert "Tagged on version 1" in page
    entry = EvidenceEntry.objects.get()
    edit = client.get(reverse("growth:edit", args=[entry.pk])).content.decode()
    ticked = new.capabilities.get(key=capability.key)
    assert f'value="{ticked.pk}" checked' in edit


def test_manager_sees_shared_entries_only(client, pm, manager):
    make_entry(pm, text="Shared win", shared=True)
    make_entry(pm, text="Private thought")
    client.force_login(manager)
    page = client.get(reverse("growth:person_log", args=[pm.person.pk])).content.decode()
    assert "Shared win" in page and "Private thought" not in page and "1 entry" in page
    assert "Edit" not in page


def test_pm_edits_and_deletes_own_entry(client, pm):
    entry = make_entry(pm)
    client.force_login(pm)
    response = client.post(reverse("growth:edit", args=[entry.pk]), _form(pm, text="Rewritten", shared="on"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Rewritten" and entry.shared
    assert client.get(reverse("growth:delete", args=[entry.pk])).status_code == 200
    response = client.post(reverse("growth:delete", args=[entry.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("growth:log")
    assert not EvidenceEntry.objects.exists()


def test_edit_refused_with_errors_keeps_the_entry_as_it_was(client, pm):
    entry = make_entry(pm, text="Original")
    client.force_login(pm)
    response = client.post(reverse("growth:edit", args=[entry.pk]), _form(pm, text="Typed", link="nope"))
    assert response.status_code == 400 and "Typed" in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Original"


def test_a_cited_entry_stays_as_it_is(client, pm):
    from tests.assessments.assessment_helpers import self_draft_of

    entry = make_entry(pm, text="Cited work")
    rating = self_draft_of(pm).ratings.first()
    Citation.objects.create(rating=rating, entry=entry)
    client.force_login(pm)
    assert "Cited, so it stays as it is" in client.get(reverse("growth:log")).content.decode()
    for name in ("growth:edit", "growth:delete"):
        response = client.post(reverse(name, args=[entry.pk]), _form(pm, text="Changed"))
        assert response.status_code == 403 and "cited in a self-assessment" in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Cited work" and Assessment.objects.count() == 1

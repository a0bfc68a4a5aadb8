"""The catalogue rows in the admin: which versions they may be added to, bulk deletion, and locks that slip through."""

from unittest import mock

from django.urls import reverse

from frameworks import admin as frameworks_admin
from frameworks.models import Capability, Expectation, Framework, FrameworkLocked, Level, ScaleLevel

LOCKED = "Version 2 of Product management is published and cannot be changed. Make a new version to edit it."


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def choice_values(response, field):
    form = response.context["adminform"].form
    return {str(value) for value, _label in form.fields[field].choices if value != ""}


def test_a_new_scale_level_can_only_go_into_a_draft(hr_client, framework, draft):
    response = hr_client.get(reverse("admin:frameworks_scalelevel_add"))
    assert choice_values(response, "framework") == {str(draft.pk)}


def test_a_new_capability_offers_only_draft_areas(hr_client, framework, draft):
    response = hr_client.get(reverse("admin:frameworks_capability_add"))
    assert choice_values(response, "framework") == {str(draft.pk)}
    assert choice_values(response, "area") == {str(area.pk) for area in draft.areas.all()}


def test_a_new_level_offers_only_draft_tracks(hr_client, framework, draft):
    response = hr_client.get(reverse("admin:frameworks_level_add"))
    assert choice_values(response, "framework") == {str(draft.pk)}
    assert choice_values(response, "track") == {str(track.pk) for track in draft.tracks.all()}


def test_adding_a_capability_to_a_published_version_is_refused(hr_client, framework, draft):
    area = framework.areas.first()
    response = hr_client.post(
        reverse("admin:frameworks_capability_add"),
        {"framework": framework.pk, "area": area.pk, "position": 9, "key": "sneaky", "name": "Sneaky"},
    )
    assert response.status_code == 200
    assert "framework" in response.context["adminform"].form.errors
    assert not Capability.objects.filter(key="sneaky").exists()


def test_a_capability_with_another_versions_area_is_refused(hr_client, framework, draft):
    other = Framework.objects.create(key="design", name="Design")
    foreign_area = other.areas.create(key="elsewhere", name="Elsewhere")
    response = hr_client.post(
        reverse("admin:frameworks_capability_add"),
        {"framework": draft.pk, "area": foreign_area.pk, "position": 9, "key": "mixed", "name": "Mixed"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["area"] == ["Choose an area of the same framework version."]
    assert not Capability.objects.filter(key="mixed").exists()


def test_a_level_on_another_versions_track_is_refused(hr_client, framework, draft):
    other = Framework.objects.create(key="design", name="Design")
    foreign_track = other.tracks.create(key="ic", name="IC")
    response = hr_client.post(
        reverse("admin:frameworks_level_add"),
        {
            "framework": draft.pk,
            "track": foreign_track.pk,
            "position": 9,
            "key": "mixed",
            "name": "Mixed",
            "grade": 9,
            "expectations-TOTAL_FORMS": 0,
            "expectations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["track"] == ["Choose a track of the same framework version."]
    assert not Level.objects.filter(key="mixed").exists()


# Bulk deletion -------------------------------------------------------------------------------------


def test_bulk_delete_of_draft_rows_asks_then_deletes(hr_client, framework, draft):
    rows = list(draft.scale_levels.filter(rank__gte=3))
    unused = ScaleLevel.objects.create(framework=draft, key="legend", name="Legend", rank=9)
    url = reverse("admin:frameworks_scalelevel_changelist")
    confirm = hr_client.post(url, {"action": "delete_selected", "_selected_action": [unused.pk]})
    assert confirm.status_code == 200
    assert "Are you sure" in confirm.content.decode()
    assert ScaleLevel.objects.filter(pk=unused.pk).exists()
    response = hr_client.post(
        url, {"action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"}, follow=True
    )
    assert any("Successfully deleted 1" in message for message in messages_of(response))
    assert not ScaleLevel.objects.filter(pk=unused.pk).exists()
    assert all(ScaleLevel.objects.filter(pk=row.pk).exists() for row in rows)


def test_bulk_delete_mixing_draft_and_published_rows_deletes_none(hr_client, framework, draft):
    selected = [draft.capabilities.first().pk, framework.capabilities.first().pk]
    response = hr_client.post(
        reverse("admin:frameworks_capability_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
        follow=True,
    )
    assert any("1 of those selected belong to a published or archived version" in m for m in messages_of(response))
    assert Capability.objects.filter(pk__in=selected).count() == 2


def test_a_bulk_delete_that_meets_a_lock_becomes_a_message(hr_client, framework, draft):
    area = draft.areas.first()
    url = reverse("admin:frameworks_capabilityarea_changelist")
    with mock.patch.object(
        frameworks_admin.CapabilityAreaAdmin, "delete_queryset", side_effect=FrameworkLocked(LOCKED)
    ):
        response = hr_client.post(url, {"action": "delete_selected", "_selected_action": [area.pk], "post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert LOCKED in messages_of(hr_client.get(url))
    assert draft.areas.filter(pk=area.pk).exists()


def test_deleting_a_row_whose_version_was_published_meanwhile_becomes_a_message(hr_client, framework, draft):
    track = draft.tracks.get(key="management")
    url = reverse("admin:frameworks_track_delete", args=[track.pk])
    with mock.patch.object(frameworks_admin.TrackAdmin, "delete_model", side_effect=FrameworkLocked(LOCKED)):
        response = hr_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert draft.tracks.filter(pk=track.pk).exists()
    assert LOCKED in messages_of(hr_client.get(reverse("admin:frameworks_track_changelist")))


# Expectations --------------------------------------------------------------------------------------


def test_an_expectation_can_only_be_set_to_its_own_versions_scale(hr_client, framework, draft):
    expectation = Expectation.objects.filter(level__framework=draft).first()
    response = hr_client.get(reverse("admin:frameworks_expectation_change", args=[expectation.pk]))
    assert response.status_code == 200
    assert choice_values(response, "scale_level") == {str(pk) for pk in draft.scale_levels.values_list("pk", flat=True)}


def test_an_expectation_of_another_versions_scale_is_refused(hr_client, framework, draft):
    expectation = Expectation.objects.filter(level__framework=draft).first()
    published_scale = framework.scale_levels.get(key="expert")
    response = hr_client.post(
        reverse("admin:frameworks_expectation_change", args=[expectation.pk]),
        {"scale_level": published_scale.pk, "description": "Borrowed"},
    )
    assert response.status_code == 200
    assert "scale_level" in response.context["adminform"].form.errors
    expectation.refresh_from_db()
    assert expectation.scale_level.framework_id == draft.pk


def test_the_expectation_list_links_each_row_to_its_grid(hr_client, framework):
    response = hr_client.get(reverse("admin:frameworks_expectation_changelist"))
    content = response.content.decode()
    grid = reverse("admin:frameworks_framework_expectations", args=[framework.pk])
    assert f'<a href="{grid}?track=management">grid</a>' in content
    assert "Product management v1" in content


def test_a_level_name_over_two_lines_is_refused(hr_client, framework, draft):
    response = hr_client.post(
        reverse("admin:frameworks_level_add"),
        {
            "framework": draft.pk,
            "track": draft.tracks.first().pk,
            "position": 9,
            "key": "split",
            "name": "Senior\nPrincipal",
            "grade": 9,
            "expectations-TOTAL_FORMS": 0,
            "expectations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "A name must be one line of plain text, but this contains a line break. Remove it and try again."
    ]
    assert not Level.objects.filter(key="split").exists()

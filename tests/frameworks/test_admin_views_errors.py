"""The framework admin's own pages when things go wrong: unknown versions, missing permissions, races, refusals."""

from unittest import mock

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks import admin_views
from frameworks.fileformat import export_framework, importing
from frameworks.forms import ExpectationGrid, ExpectationsGridForm, StaleGrid
from frameworks.models import Capability, Expectation, Framework, FrameworkLocked
from tests.factories import make_framework, make_user


def change_url(framework):
    return reverse("admin:frameworks_framework_change", args=[framework.pk])


def grid_url(framework):
    return reverse("admin:frameworks_framework_expectations", args=[framework.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def staff_with(*codenames, email="clerk@example.com"):
    user = make_user(email, "Clerk Staff", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="frameworks", codename__in=codenames))
    return user


def statuses(*frameworks):
    return tuple(Framework.objects.get(pk=f.pk).status for f in frameworks)


# Unknown versions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("object_id", ["not-a-number", "999999"])
@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("frameworks_framework_expectations", "get", []),
        ("frameworks_framework_export", "get", ["yaml"]),
        ("frameworks_framework_publish", "post", []),
        ("frameworks_framework_new_version", "post", []),
    ],
)
def test_an_unknown_version_is_not_found(hr_client, framework, object_id, name, method, extra):
    url = reverse(f"admin:{name}", args=[object_id, *extra])
    response = getattr(hr_client, method)(url)
    assert response.status_code == 404
    assert Framework.objects.count() == 1


def test_the_change_page_of_a_deleted_version_goes_back_to_the_admin_home(hr_client, framework):
    draft = framework.new_version()
    url = change_url(draft)
    draft.delete()
    response = hr_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert any("doesn’t exist" in message for message in messages_of(response))


# Permissions ---------------------------------------------------------------------------------------


def test_staff_who_may_change_but_not_add_cannot_make_a_new_version(client, framework):
    client.force_login(staff_with("view_framework", "change_framework"))
    response = client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk]))
    assert response.status_code == 403
    assert Framework.objects.filter(key=framework.key).count() == 1


def test_staff_who_may_change_but_not_add_cannot_import(client, framework):
    client.force_login(staff_with("view_framework", "change_framework"))
    assert client.get(reverse("admin:frameworks_framework_import")).status_code == 403


def test_staff_who_may_only_view_can_export_but_not_publish(client, framework):
    draft = framework.new_version()
    client.force_login(staff_with("view_framework"))
    response = client.get(reverse("admin:frameworks_framework_export", args=[framework.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk])).status_code == 403
    assert statuses(framework, draft) == ("published", "draft")


def test_staff_who_may_only_view_gets_no_version_buttons_and_no_delete_action(client, framework):
    client.force_login(staff_with("view_framework"))
    page = client.get(change_url(framework))
    assert page.status_code == 200
    assert page.context["can_change_framework"] is False
    assert page.context["can_make_version"] is False
    assert reverse("admin:frameworks_framework_new_version", args=[framework.pk]) not in page.content.decode()
    listing = client.get(reverse("admin:frameworks_framework_changelist"))
    actions = [value for value, _label in listing.context["action_form"].fields["action"].choices if value]
    assert actions == ["export_selected_yaml", "export_selected_json"]


# Publishing ----------------------------------------------------------------------------------------


def test_publishing_a_published_version_is_refused_with_a_message(hr_client, framework):
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[framework.pk]), follow=True)
    assert "Version 1 is published; only a draft can be published." in messages_of(response)
    assert statuses(framework) == ("published",)


def test_publishing_an_archived_version_is_refused_and_keeps_the_newer_one(hr_client, framework):
    draft = framework.new_version()
    draft.publish()
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[framework.pk]), follow=True)
    assert "Version 1 is archived; only a draft can be published." in messages_of(response)
    assert statuses(framework, draft) == ("archived", "published")


def test_a_draft_emptied_between_the_check_and_the_publish_is_not_published(hr_client, framework):
    draft = framework.new_version()
    refusal = ValidationError(["There are no capabilities.", "There are no levels on any track."])
    with mock.patch.object(Framework, "publish", side_effect=refusal):
        response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk]), follow=True)
    shown = messages_of(response)
    assert "There are no capabilities." in shown
    assert "There are no levels on any track." in shown
    assert not any("published" in message for message in shown)
    assert statuses(framework, draft) == ("published", "draft")


def test_a_draft_published_by_someone_else_meanwhile_is_reported_not_published_twice(hr_client, framework):
    draft = framework.new_version()
    locked = FrameworkLocked("Version 2 of Product management is published and cannot be changed.")
    with mock.patch.object(Framework, "publish", side_effect=locked):
        response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk]), follow=True)
    assert messages_of(response) == ["Version 2 of Product management is published and cannot be changed."]


def test_publishing_the_first_version_archives_nothing(hr_client, db):
    first = make_framework(key="solo", name="Solo", publish=False)
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[first.pk]), follow=True)
    assert messages_of(response) == ["Version 1 published."]
    assert statuses(first) == ("published",)


# New versions --------------------------------------------------------------------------------------


def test_a_new_version_of_a_draft_is_refused(hr_client, framework):
    draft = framework.new_version()
    response = hr_client.post(reverse("admin:frameworks_framework_new_version", args=[draft.pk]))
    assert response["Location"] == change_url(draft)
    shown = messages_of(hr_client.get(change_url(draft)))
    assert "Version 2 is already a draft: change it directly." in shown
    assert Framework.objects.filter(key=framework.key).count() == 2


def test_a_draft_made_by_someone_else_meanwhile_refuses_the_new_version(hr_client, framework):
    refusal = ValidationError("Product management already has a draft version; edit or delete that one first.")
    with mock.patch.object(Framework, "new_version", side_effect=refusal):
        response = hr_client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk]))
    assert response["Location"] == change_url(framework)
    shown = messages_of(hr_client.get(change_url(framework)))
    assert "Product management already has a draft version; edit or delete that one first." in shown
    assert Framework.objects.filter(key=framework.key).count() == 1


def test_the_new_version_action_says_which_framework_already_has_a_draft(hr_client, framework):
    framework.new_version()
    response = hr_client.post(
        reverse("admin:frameworks_framework_changelist"),
        {"action": "new_version_of_selected", "_selected_action": [framework.pk]},
        follow=True,
    )
    assert any(m.startswith("Product management: No new version made") for m in messages_of(response))
    assert Framework.objects.filter(key=framework.key).count() == 2


# The grid ------------------------------------------------------------------------------------------


def test_a_grid_published_while_being_saved_says_nothing_was_saved(hr_client, framework):
    draft = framework.new_version()
    grid = ExpectationGrid(draft)
    data = dict(ExpectationsGridForm(grid=grid).initial)
    before = sorted(Expectation.objects.filter(level__framework=draft).values_list("pk", "scale_level_id"))
    locked = FrameworkLocked("Version 2 of Product management is published and cannot be changed.")
    with mock.patch.object(ExpectationsGridForm, "save", side_effect=locked):
        response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == f"{grid_url(draft)}?track=ic"
    shown = messages_of(hr_client.get(response["Location"]))
    assert "Nothing saved: Version 2 of Product management is published and cannot be changed." in shown
    assert sorted(Expectation.objects.filter(level__framework=draft).values_list("pk", "scale_level_id")) == before


def test_a_grid_changed_by_someone_else_while_being_saved_is_shown_again_as_stale(hr_client, framework):
    draft = framework.new_version()
    data = dict(ExpectationsGridForm(grid=ExpectationGrid(draft)).initial)
    with mock.patch.object(ExpectationsGridForm, "save", side_effect=StaleGrid):
        response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 200
    assert response.context["form"].is_stale
    assert "Someone changed these expectations since you opened the grid." in response.content.decode()


def test_view_only_staff_posting_to_a_published_grid_is_refused(client, framework):
    client.force_login(staff_with("view_framework"))
    assert client.post(grid_url(framework), {}).status_code == 403


def test_save_summary_lists_only_what_changed(framework):
    track = framework.tracks.get(key="ic")
    assert admin_views.save_summary({"created": 0, "updated": 2, "removed": 0}, track) == (
        "Saved the Individual contributor expectations: 2 changed."
    )
    assert admin_views.save_summary({"created": 1, "updated": 0, "removed": 3}, track) == (
        "Saved the Individual contributor expectations: 1 newly asked, 3 no longer asked."
    )


# Import --------------------------------------------------------------------------------------------


def next_version_upload(framework):
    document = yaml.safe_load(export_framework(framework, "yaml"))
    document["version"] = framework.version + 1
    return SimpleUploadedFile("product.yaml", yaml.safe_dump(document, sort_keys=False).encode())


def totals():
    return (Framework.objects.count(), Capability.objects.count(), Expectation.objects.count())


@pytest.mark.parametrize(
    ("failure", "shown"),
    [
        (FrameworkLocked("Version 2 of product was published while the file was imported."), "was published while"),
        (ValidationError(["The mastery scale has no levels."]), "The mastery scale has no levels."),
    ],
)
def test_an_import_that_fails_half_way_writes_nothing_and_says_why(hr_client, framework, failure, shown):
    before = totals()
    real_import = importing.import_framework

    def import_then_fail(spec, publish):
        real_import(spec, publish=publish)  # rows are written...
        raise failure  # ...and then the import is refused

    with mock.patch.object(importing, "import_framework", side_effect=import_then_fail):
        response = hr_client.post(
            reverse("admin:frameworks_framework_import"), {"file": next_version_upload(framework)}
        )
    assert response.status_code == 200
    assert response.context["errors"] and shown in response.context["errors"][0]
    assert response.context["filename"] == "product.yaml"
    content = response.content.decode()
    assert "product.yaml was not imported" in content
    assert totals() == before

"""The HR admin for the catalogue: lists, the framework page, versions, export and history."""

from html.parser import HTMLParser
from unittest import mock

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import sync_hr_admin_permissions
from frameworks.fileformat import parse_framework_file
from frameworks.models import (
    Capability,
    CapabilityArea,
    Expectation,
    Framework,
    FrameworkLocked,
    Level,
    ScaleLevel,
    Track,
)
from tests.factories import make_framework, make_user

PARTS = (ScaleLevel, CapabilityArea, Capability, Track, Level)


def change_url(framework):
    return reverse("admin:frameworks_framework_change", args=[framework.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def count_rows(framework):
    counts = {model.__name__: model.objects.filter(framework=framework).count() for model in PARTS}
    counts["Expectation"] = Expectation.objects.filter(level__framework=framework).count()
    return counts


class FormFields(HTMLParser):
    """The values a browser would submit for the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = attrs.get("value", "")
            if "selected" in attrs:
                self.select[1] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, chosen, first = self.select
            self.data.append((name, chosen if chosen is not None else first))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None


def form_data(response, form_id):
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return dict(parser.data)


# Who gets in ---------------------------------------------------------------------------------------


def test_hr_admin_permissions_come_from_the_group(hr_admin):
    sync_hr_admin_permissions()
    assert not hr_admin.user_permissions.exists()
    assert hr_admin.has_perm("frameworks.change_framework")
    assert hr_admin.has_perm("frameworks.change_expectation")


def test_pm_is_sent_to_admin_sign_in(client, pm, framework):
    client.force_login(pm)
    for url in (
        reverse("admin:frameworks_framework_changelist"),
        change_url(framework),
        reverse("admin:frameworks_framework_expectations", args=[framework.pk]),
        reverse("admin:frameworks_framework_import"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_pm_cannot_publish_or_make_versions(client, pm, framework):
    draft = framework.new_version()
    client.force_login(pm)
    response = client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk]))
    assert Framework.objects.get(pk=draft.pk).status == "draft"
    assert Framework.objects.filter(key=framework.key).count() == 2


def test_staff_without_framework_permissions_is_refused(client, framework, hr_admin):
    draft = framework.new_version()
    clerk = make_user("clerk@example.com", "Clerk Staff", is_staff=True)
    client.force_login(clerk)
    assert client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk])).status_code == 403
    assert client.get(reverse("admin:frameworks_framework_expectations", args=[draft.pk])).status_code == 403
    assert client.get(reverse("admin:frameworks_framework_export", args=[draft.pk, "yaml"])).status_code == 403
    assert client.get(reverse("admin:frameworks_framework_import")).status_code == 403
    assert Framework.objects.get(pk=draft.pk).status == "draft"


def test_staff_who_may_only_view_sees_the_grid_read_only(client, framework):
    draft = framework.new_version()
    viewer = make_user("viewer@example.com", "Vera Viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_framework"))
    client.force_login(viewer)
    url = reverse("admin:frameworks_framework_expectations", args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"<select" not in response.content
    assert client.post(url, {}).status_code == 403


# The list ------------------------------------------------------------------------------------------


def test_hr_admin_sees_every_version_in_the_list(hr_client, framework):
    draft = framework.new_version()
    response = hr_client.get(reverse("admin:frameworks_framework_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert change_url(framework) in content and change_url(draft) in content
    assert "Published" in content and "Draft" in content
    assert "Import framework file" in content


def test_list_searches_by_key_and_filters_by_status(hr_client, framework):
    make_framework(key="design", name="Design")
    url = reverse("admin:frameworks_framework_changelist")
    response = hr_client.get(url, {"q": "design"})
    assert [f.key for f in response.context["cl"].result_list] == ["design"]
    framework.new_version()
    response = hr_client.get(url, {"status__exact": "draft"})
    assert [(f.key, f.version) for f in response.context["cl"].result_list] == [("product", 2)]


@pytest.mark.parametrize("model", ["scalelevel", "capabilityarea", "capability", "track", "level", "expectation"])
def test_part_lists_load_with_a_flat_number_of_queries(hr_client, framework, model, django_assert_max_num_queries):
    url = reverse(f"admin:frameworks_{model}_changelist")
    with django_assert_max_num_queries(10):
        assert hr_client.get(url).status_code == 200
    make_framework(key="big", name="Big", areas=6, capabilities_per_area=5, ic_levels=6, management_levels=4)
    with django_assert_max_num_queries(10):
        assert hr_client.get(url).status_code == 200


# The framework page --------------------------------------------------------------------------------


def test_draft_page_offers_grid_publish_and_export(hr_client, draft):
    response = hr_client.get(change_url(draft))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Edit expectations grid" in content
    assert reverse("admin:frameworks_framework_publish", args=[draft.pk]) in content
    assert reverse("admin:frameworks_framework_export", args=[draft.pk, "yaml"]) in content
    assert reverse("admin:frameworks_framework_export", args=[draft.pk, "json"]) in content
    assert "Version 2 is a draft." in content
    assert 'name="name"' in content
    assert "New version" not in content
    assert "View on site" in content


def test_published_page_is_read_only_with_a_banner(hr_client, framework):
    response = hr_client.get(change_url(framework))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Version 1 is published. Make a new version to change it." in content
    assert "View expectations grid" in content
    assert reverse("admin:frameworks_framework_new_version", args=[framework.pk]) in content
    assert 'name="name"' not in content
    assert 'name="capabilities-0-name"' not in content
    assert "Capability 1.1" in content  # the rows are still shown
    assert "Edit expectations grid" not in content
    assert reverse("admin:frameworks_framework_publish", args=[framework.pk]) not in content


def test_published_page_points_to_the_draft_instead_of_new_version(hr_client, framework, draft):
    content = hr_client.get(change_url(framework)).content.decode()
    assert reverse("admin:frameworks_framework_new_version", args=[framework.pk]) not in content
    assert "Version 2 is the draft" in content and change_url(draft) in content


def test_changing_a_published_version_is_refused(hr_client, framework):
    response = hr_client.post(change_url(framework), {"name": "Renamed"})
    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.name == "Product management"


def test_deleting_a_published_version_is_refused(hr_client, framework):
    url = reverse("admin:frameworks_framework_delete", args=[framework.pk])
    assert hr_client.post(url, {"post": "yes"}).status_code == 403
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_bulk_delete_of_published_rows_is_refused(hr_client, framework):
    response = hr_client.post(
        reverse("admin:frameworks_capability_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in framework.capabilities.all()], "post": "yes"},
        follow=True,
    )
    assert any("Nothing was deleted" in message for message in messages_of(response))
    assert framework.capabilities.count() == 4


def test_hr_admin_edits_a_draft_and_history_records_who(hr_client, hr_admin, draft):
    page = hr_client.get(change_url(draft))
    data = form_data(page, "framework_form")
    data["name"] = "Product management (2026)"
    data["scale_levels-0-name"] = "Aware"
    response = hr_client.post(change_url(draft), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft.refresh_from_db()
    assert draft.name == "Product management (2026)"
    assert draft.history.latest().history_user == hr_admin
    scale_level = draft.scale_levels.get(rank=1)
    assert scale_level.name == "Aware"
    assert scale_level.history.latest().history_user == hr_admin
    history = hr_client.get(reverse("admin:frameworks_framework_history", args=[draft.pk]))
    assert history.status_code == 200
    assert b"Hana Admin" in history.content


def test_capability_rows_offer_only_this_versions_areas(hr_client, framework, draft):
    response = hr_client.get(change_url(draft))
    field = response.context["inline_admin_formsets"][2].formset.forms[0].fields["area"]
    assert {area.framework_id for area in field.queryset} == {draft.pk}
    assert len(list(field.choices)) == draft.areas.count() + 1


def test_framework_page_queries_stay_flat(hr_client, django_assert_max_num_queries):
    small = make_framework(key="small", publish=False)
    with django_assert_max_num_queries(21):
        assert hr_client.get(change_url(small)).status_code == 200
    large = make_framework(key="large", publish=False, areas=8, capabilities_per_area=5, ic_levels=6)
    with django_assert_max_num_queries(21):
        assert hr_client.get(change_url(large)).status_code == 200


def test_admin_edit_of_a_part_is_recorded_with_the_hr_user(hr_client, hr_admin, draft):
    scale_level = draft.scale_levels.get(rank=2)
    url = reverse("admin:frameworks_scalelevel_change", args=[scale_level.pk])
    response = hr_client.post(url, {"rank": 2, "key": "working", "name": "Working well", "description": ""})
    assert response.status_code == 302
    record = scale_level.history.latest()
    assert record.name == "Working well"
    assert record.history_user == hr_admin


def test_a_lock_that_slips_through_becomes_a_message(hr_client, draft):
    scale_level = draft.scale_levels.get(rank=2)
    url = reverse("admin:frameworks_scalelevel_change", args=[scale_level.pk])
    with mock.patch.object(ScaleLevel, "save", side_effect=FrameworkLocked("Version 2 is published.")):
        response = hr_client.post(url, {"rank": 2, "key": "working", "name": "Changed", "description": ""})
    assert response.status_code == 302
    response = hr_client.get(response["Location"])
    assert "Version 2 is published." in messages_of(response)
    assert ScaleLevel.objects.get(pk=scale_level.pk).name == "Working"


def test_parts_of_a_published_version_are_read_only(hr_client, framework):
    level = framework.levels.first()
    url = reverse("admin:frameworks_level_change", args=[level.pk])
    response = hr_client.get(url)
    assert response.status_code == 200
    assert b'name="name"' not in response.content
    assert hr_client.post(url, {"name": "Renamed"}).status_code == 403


def test_level_page_edits_expectation_descriptions(hr_client, hr_admin, draft):
    level = draft.levels.get(key="ic-2")
    url = reverse("admin:frameworks_level_change", args=[level.pk])
    data = form_data(hr_client.get(url), "level_form")
    data["expectations-0-description"] = "Leads user research for a service."
    assert hr_client.post(url, data).status_code == 302
    first = level.expectations.order_by("capability__area__position", "capability__position").first()
    assert first.description == "Leads user research for a service."
    assert first.history.latest().history_user == hr_admin


# Versions ------------------------------------------------------------------------------------------


def test_new_version_copies_every_row(hr_client, framework):
    response = hr_client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk]))
    draft = Framework.objects.get(key=framework.key, version=2)
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert draft.status == "draft"
    assert count_rows(draft) == count_rows(framework)
    assert "Made draft version 2 from version 1. Change it here, then publish it." in messages_of(
        hr_client.get(response["Location"])
    )


def test_new_version_is_refused_when_a_draft_exists(hr_client, framework, draft):
    response = hr_client.post(reverse("admin:frameworks_framework_new_version", args=[framework.pk]))
    assert response["Location"] == change_url(framework)
    assert any("already a draft" in m for m in messages_of(hr_client.get(change_url(framework))))
    assert Framework.objects.filter(key=framework.key).count() == 2


def test_publish_archives_the_previous_version(hr_client, framework, draft):
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk]))
    assert response["Location"] == change_url(draft)
    draft.refresh_from_db()
    framework.refresh_from_db()
    assert (draft.status, framework.status) == ("published", "archived")
    page = hr_client.get(change_url(draft))
    assert "Version 2 published; version 1 archived." in messages_of(page)
    assert "Version 2 is published. Make a new version to change it." in page.content.decode()


def test_publish_with_problems_shows_them_and_changes_nothing(hr_client, framework, draft):
    Expectation.objects.filter(level__framework=draft).delete()
    draft.levels.all().delete()
    draft.capabilities.all().delete()
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[draft.pk]), follow=True)
    shown = messages_of(response)
    assert "There are no capabilities." in shown
    assert "There are no levels on any track." in shown
    draft.refresh_from_db()
    framework.refresh_from_db()
    assert (draft.status, framework.status) == ("draft", "published")


@pytest.mark.parametrize("name", ["new_version"])
def test_version_buttons_refuse_get(hr_client, draft, name):
    assert hr_client.get(reverse(f"admin:frameworks_framework_{name}", args=[draft.pk])).status_code == 405
    assert Framework.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_downloads_a_file_that_parses_back(hr_client, framework, fmt):
    response = hr_client.get(reverse("admin:frameworks_framework_export", args=[framework.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="product-v1.{fmt}"'
    spec = parse_framework_file(response.content, f"product-v1.{fmt}")
    assert spec["key"] == "product" and spec["version"] == 1
    assert [area["key"] for area in spec["areas"]] == ["area-1", "area-2"]
    assert spec["tracks"][0]["levels"][1]["expectations"]["cap-1-1"]["level"] == "working"


def test_export_of_an_unknown_format_is_not_found(hr_client, framework):
    assert hr_client.get(reverse("admin:frameworks_framework_export", args=[framework.pk, "xml"])).status_code == 404


# Actions on the list -------------------------------------------------------------------------------


def run_action(client, action, frameworks):
    return client.post(
        reverse("admin:frameworks_framework_changelist"),
        {"action": action, "_selected_action": [f.pk for f in frameworks]},
        follow=True,
    )


def test_action_opens_the_preview_of_the_selected_draft(hr_client, framework, draft):
    response = run_action(hr_client, "publish_selected", [framework, draft])
    assert response.redirect_chain[-1][0] == reverse("admin:frameworks_framework_publish", args=[draft.pk])
    assert "Publish version 2 of Product management?" in response.content.decode()
    assert any("only drafts can be published" in m for m in messages_of(response))
    assert Framework.objects.get(pk=draft.pk).status == "draft"


def test_action_on_several_drafts_publishes_none_and_links_each_preview(hr_client, framework, draft):
    other = make_framework(key="design", name="Design", publish=False)
    response = run_action(hr_client, "publish_selected", [draft, other])
    shown = " ".join(messages_of(response))
    assert "Publish one version at a time: each shows who it affects before you confirm." in shown
    assert reverse("admin:frameworks_framework_publish", args=[other.pk]) in response.content.decode()
    assert Framework.objects.filter(status="draft").count() == 2


def test_action_makes_new_versions(hr_client, framework):
    other = make_framework(key="design", name="Design")
    run_action(hr_client, "new_version_of_selected", [framework, other])
    assert Framework.objects.filter(status="draft").count() == 2
    assert count_rows(Framework.objects.get(key="design", version=2)) == count_rows(other)


def test_action_exports_exactly_one_version(hr_client, framework, draft):
    response = hr_client.post(
        reverse("admin:frameworks_framework_changelist"),
        {"action": "export_selected_yaml", "_selected_action": [framework.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="product-v1.yaml"'
    assert yaml.safe_load(response.content)["key"] == "product"
    response = run_action(hr_client, "export_selected_json", [framework, draft])
    assert "Select exactly one version to export; a file holds one version." in messages_of(response)


def test_reverting_a_published_version_from_its_history_is_refused(hr_client, framework):
    record = framework.history.earliest()
    url = reverse("admin:frameworks_framework_simple_history", args=[framework.pk, record.history_id])
    assert hr_client.get(url).status_code == 200
    response = hr_client.post(url, {"name": "Reverted", "description": "", "source": ""})
    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.name == "Product management"


def test_level_page_queries_stay_flat(hr_client, django_assert_max_num_queries):
    small = make_framework(key="small", publish=False)
    with django_assert_max_num_queries(14):
        assert (
            hr_client.get(reverse("admin:frameworks_level_change", args=[small.levels.first().pk])).status_code == 200
        )
    large = make_framework(key="large", publish=False, areas=8, capabilities_per_area=5)
    with django_assert_max_num_queries(14):
        response = hr_client.get(reverse("admin:frameworks_level_change", args=[large.levels.first().pk]))
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 39


def test_admin_home_lists_the_catalogue_for_hr(hr_client, framework):
    response = hr_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for name in (b"Frameworks", b"Capabilities", b"Levels", b"Expectations"):
        assert name in response.content


def test_hr_admin_adds_a_new_framework_as_a_draft(hr_client, hr_admin, db):
    page = hr_client.get(reverse("admin:frameworks_framework_add"))
    assert page.status_code == 200
    data = form_data(page, "framework_form")
    data.update(key="design", name="Design", version="1")
    response = hr_client.post(reverse("admin:frameworks_framework_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    created = Framework.objects.get(key="design")
    assert (created.version, created.status) == (1, "draft")
    assert created.history.get().history_user == hr_admin


def test_reverting_a_draft_from_its_history_is_refused_too(hr_client, draft):
    record = draft.history.earliest()
    draft.name = "Product management, reworded"
    draft.save()
    url = reverse("admin:frameworks_framework_simple_history", args=[draft.pk, record.history_id])
    assert hr_client.get(url).status_code == 200
    response = hr_client.post(url, {"name": "Reverted", "description": "", "source": ""})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.name == "Product management, reworded"

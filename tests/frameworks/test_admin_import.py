"""The admin's import page: upload a framework file, see every problem, or see what was done."""

import json

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.fileformat import MAX_FILE_BYTES, export_framework
from frameworks.models import Capability, Expectation, Framework, Level

IMPORT_URL = "admin:frameworks_framework_import"


def upload(content, name="framework.yaml"):
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def next_version_file(framework, fmt="yaml", **changes):
    """The framework exported, renumbered as the next version, with top-level fields changed."""
    document = yaml.safe_load(export_framework(framework, fmt))
    document["version"] = framework.version + 1
    document.update(changes)
    return yaml.safe_dump(document, sort_keys=False)


def totals():
    return (Framework.objects.count(), Capability.objects.count(), Level.objects.count(), Expectation.objects.count())


def check_then_import(client, data):
    """Upload a file, see its preview, then press Import: the page's two steps, as HR takes them."""
    preview = client.post(reverse(IMPORT_URL), data)
    assert preview.status_code == 200 and preview.context["preview"], preview.context.get("errors")
    confirm = {field.name: field.value() for field in preview.context["preview"]["form"]}
    return client.post(reverse(IMPORT_URL), {**confirm, "confirm": "1"}, follow="follow" in data)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_import_page_is_linked_from_the_framework_list(hr_client, framework):
    response = hr_client.get(reverse("admin:frameworks_framework_changelist"))
    assert reverse(IMPORT_URL).encode() in response.content
    page = hr_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    content = page.content.decode()
    assert content.count("<h1") == 1 and "<h1>Import a framework file</h1>" in content
    assert 'type="file"' in content and "Publish after import" in content


def test_good_file_creates_a_draft_and_links_to_it(hr_client, framework):
    response = check_then_import(hr_client, {"file": upload(next_version_file(framework))})
    assert response.status_code == 302
    draft = Framework.objects.get(key="product", version=2)
    assert draft.status == "draft"
    assert draft.capabilities.count() == framework.capabilities.count()
    assert (
        Expectation.objects.filter(level__framework=draft).count()
        == Expectation.objects.filter(level__framework=framework).count()
    )
    page = hr_client.get(response["Location"])
    shown = page.content.decode()
    assert "Created draft version 2 of Product management (product)." in shown
    assert reverse("admin:frameworks_framework_change", args=[draft.pk]) in shown
    framework.refresh_from_db()
    assert framework.status == "published"


def test_json_file_with_publish_ticked_goes_to_the_publish_preview_first(hr_client, framework):
    document = yaml.safe_load(export_framework(framework, "json"))
    document["version"] = 2
    content = json.dumps(document)
    response = check_then_import(hr_client, {"file": upload(content, "product.json"), "publish": "on", "follow": 1})
    version_2 = Framework.objects.get(key="product", version=2)
    assert response.redirect_chain[-1][0] == reverse("admin:frameworks_framework_publish", args=[version_2.pk])
    assert "see who it affects before you publish it." in response.content.decode()
    assert (version_2.status, Framework.objects.get(pk=framework.pk).status) == ("draft", "published")
    response = hr_client.post(reverse("admin:frameworks_framework_publish", args=[version_2.pk]), follow=True)
    framework.refresh_from_db()
    assert framework.status == "archived"
    assert Framework.objects.get(key="product", version=2).status == "published"


def test_same_file_again_changes_nothing_and_says_so(hr_client, framework):
    response = hr_client.post(reverse(IMPORT_URL), {"file": upload(export_framework(framework))}, follow=True)
    assert "Version 1 of Product management (product) is unchanged (published)." in response.content.decode()
    assert Framework.objects.count() == 1


def test_bad_file_lists_every_problem_with_its_path_and_writes_nothing(hr_client, framework):
    document = yaml.safe_load(next_version_file(framework))
    document["tracks"][0]["levels"][1]["grade"] = "two"
    document["tracks"][0]["levels"][0]["expectations"]["cap-1-1"] = "guru"
    before = totals()
    response = hr_client.post(
        reverse(IMPORT_URL), {"file": upload(yaml.safe_dump(document), "broken.yaml"), "publish": "on"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "broken.yaml was not imported" in content
    assert "Nothing was changed." in content
    errors = response.context["errors"]
    assert len(errors) >= 2
    assert any(error.startswith("tracks[0].levels[1].grade") for error in errors)
    assert any(error.startswith("tracks[0].levels[0].expectations.cap-1-1") for error in errors), errors
    for error in errors:
        assert f"<code>{error}</code>".replace("'", "&#x27;") in content
    assert totals() == before
    assert response.context["form"]["publish"].value() is True


def test_file_that_is_not_yaml_is_reported_with_its_line(hr_client, framework):
    before = totals()
    response = hr_client.post(reverse(IMPORT_URL), {"file": upload("key: [unclosed\nname: x\n", "bad.yaml")})
    assert response.status_code == 200
    assert any("YAML syntax error" in error for error in response.context["errors"])
    assert totals() == before


def test_changed_file_for_a_published_version_is_refused(hr_client, framework):
    before = totals()
    response = hr_client.post(
        reverse(IMPORT_URL), {"file": upload(next_version_file(framework, version=1, name="Other"))}
    )
    assert response.status_code == 200
    assert any(error.startswith("version:") for error in response.context["errors"])
    assert totals() == before


def test_too_large_file_is_refused(hr_client, framework):
    before = totals()
    response = hr_client.post(reverse(IMPORT_URL), {"file": upload(b"#" * (MAX_FILE_BYTES + 1))})
    assert response.status_code == 200
    assert "the largest file Pathway accepts is 1,000,000 bytes" in response.content.decode()
    assert totals() == before


def test_no_file_chosen_is_an_error(hr_client, framework):
    response = hr_client.post(reverse(IMPORT_URL), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_pm_cannot_import(client, pm, framework):
    client.force_login(pm)
    before = totals()
    response = client.post(reverse(IMPORT_URL), {"file": upload(next_version_file(framework))})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert totals() == before


def test_import_refuses_put(hr_client):
    assert hr_client.put(reverse(IMPORT_URL)).status_code == 405


def test_file_with_a_nul_byte_or_a_lone_surrogate_is_refused_with_its_place(hr_client, framework):
    before = totals()
    nul = hr_client.post(reverse(IMPORT_URL), {"file": upload(next_version_file(framework, name="A\x00B"), "n.yaml")})
    surrogate = json.loads(export_framework(framework, "json"))
    surrogate["version"] = framework.version + 1
    surrogate["tracks"][0]["name"] = "\ud800"
    content = json.dumps(surrogate).encode()  # ASCII: the surrogate travels as the escape \ud800, as JSON allows
    lone = hr_client.post(reverse(IMPORT_URL), {"file": upload(content, "s.json")})
    assert nul.status_code == lone.status_code == 200
    assert nul.context["errors"] == ["name: contains a NUL character (\\x00), which cannot be saved; remove it"]
    assert lone.context["errors"] == [
        "tracks[0].name: contains an unpaired surrogate (\\ud800), which cannot be saved; remove it"
    ]
    assert "Nothing was changed." in lone.content.decode()
    assert totals() == before


def test_checking_a_file_shows_what_it_will_create_and_writes_nothing(hr_client, framework):
    before = totals()
    response = hr_client.post(reverse(IMPORT_URL), {"file": upload(next_version_file(framework))})
    assert response.status_code == 200 and totals() == before
    content = response.content.decode()
    assert "<h1>Check what this file will import</h1>" in content
    assert "Nothing has been written yet." in content
    assert "Creates draft version 2 of Product management (product)." in content
    item = response.context["preview"]["frameworks"][0]
    assert item["counts"] == {
        "tracks": framework.tracks.count(),
        "levels": framework.levels.count(),
        "capabilities": framework.capabilities.count(),
        "expectations": Expectation.objects.filter(level__framework=framework).count(),
    }
    assert 'name="confirm"' in content and ">Import the framework</button>" in content


def test_import_needs_the_csrf_token(client, hr_admin, framework):
    from django.test import Client

    from accounts.roles import sync_hr_admin_permissions

    sync_hr_admin_permissions()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hr_admin)
    before = totals()
    assert strict.post(reverse(IMPORT_URL), {"file": upload(next_version_file(framework))}).status_code == 403
    assert totals() == before


def test_a_confirmation_that_did_not_come_back_whole_imports_nothing(hr_client, framework):
    before = totals()
    data = {"content": "not base64!", "filename": "x.yaml", "file_format": "pathway-framework", "confirm": "1"}
    response = hr_client.post(reverse(IMPORT_URL), data)
    assert response.status_code == 200
    assert any("did not come back whole" in error for error in response.context["errors"])
    assert totals() == before


def test_a_forced_format_that_does_not_fit_is_reported(hr_client, framework):
    data = {"file": upload(next_version_file(framework)), "file_format": "nonsense"}
    response = hr_client.post(reverse(IMPORT_URL), data)
    assert response.status_code == 200 and response.context["form"].errors["file_format"]

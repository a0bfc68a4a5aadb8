"""The HR admin's index is grouped by task, not by Django app."""

from django.urls import reverse

from accounts.roles import sync_hr_admin_permissions


def test_admin_index_is_grouped_by_task(client, hr_admin):
    sync_hr_admin_permissions()  # as migrate does: HR reads the task results too
    client.force_login(hr_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    groups = {
        group["name"]: [model["object_name"] for model in group["models"]] for group in response.context["app_list"]
    }
    assert list(groups) == [
        "Frameworks: levels, capabilities and what each level expects",
        "People: who they are, their level and manager, and sign-in",
        "Review cycles and assessments",
        "Growth between reviews: learning resources, evidence logs, feedback requests",
        "Emails and PDFs being sent and made",
    ]
    assert groups["Growth between reviews: learning resources, evidence logs, feedback requests"] == [
        "LearningResource",
        "EvidenceEntry",
        "FeedbackRequest",
    ]
    assert groups["People: who they are, their level and manager, and sign-in"] == [
        "Person",
        "LevelRule",
        "User",
        "FailedSignIn",
        "ScimToken",
        "DirectoryGroup",
    ]  # groups are for superusers
    assert groups["Review cycles and assessments"][0] == "ReviewCycle"
    assert groups["Frameworks: levels, capabilities and what each level expects"][0] == "Framework"
    body = response.content.decode()
    assert "HR administration" in body and "Review cycles and assessments" in body
    # An app's own page is still Django's.
    app = client.get(reverse("admin:app_list", args=["frameworks"]))
    assert app.status_code == 200
    assert [group["app_label"] for group in app.context["app_list"]] == ["frameworks"]


def test_a_model_outside_the_tasks_lands_in_other(client, hr_admin, monkeypatch):
    from pathway import admin_site

    monkeypatch.setattr(admin_site, "TASKS", admin_site.TASKS[:1])
    client.force_login(hr_admin)
    names = [group["name"] for group in client.get(reverse("admin:index")).context["app_list"]]
    assert names == ["Frameworks: levels, capabilities and what each level expects", "Other"]

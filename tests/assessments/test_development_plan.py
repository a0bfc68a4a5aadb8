"""Development plans (issue 14 part 3): gaps become plan items the person and their managers work on together."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.growth.plans import LearningResource, PlanItem
from tests.assessments.assessment_helpers import submitted
from tests.assessments.plan_helpers import make_plan_item

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def capability_of(user, key="cap-1-2"):
    return user.person.level.framework.capabilities.get(key=key)


def test_a_pm_adds_to_their_plan_and_reads_it_with_due_dates(client, pm):
    client.force_login(pm)
    capability = capability_of(pm)
    form = client.get(reverse("growth:plan_add", args=[pm.person.pk]))
    assert form.status_code == 200 and "Add to your plan" in form.content.decode()

    response = client.post(
        reverse("growth:plan_add", args=[pm.person.pk]),
        {"capability": capability.pk, "action": "Run the pricing discovery with Sales", "due_on": in_days(12)},
    )

    assert response.status_code == 302 and response["Location"] == reverse("growth:plan")
    item = PlanItem.objects.get()
    assert (item.person, item.created_by, item.status) == (pm.person, pm.person, PlanItem.Status.PLANNED)
    page = client.get(reverse("growth:plan")).content.decode()
    assert "Run the pricing discovery with Sales" in page
    assert "due in 12 days" in page and "0 of 1 item done." in page


def test_a_manager_turns_a_gap_on_the_comparison_into_a_plan_item(client, pm, manager):
    target = pm.person.level.framework.levels.get(key="ic-3")
    submitted(pm, pm, target, scale_key="working")
    submitted(pm, manager, target, scale_key="working")
    client.force_login(manager)
    compare = client.get(reverse("reports:compare", args=[pm.person.pk])).content.decode()
    assert "Add to plan" in compare
    add_url = reverse("growth:plan_add", args=[pm.person.pk])
    start = compare.index(add_url)
    link = compare[start : compare.index('"', start)].replace("&amp;", "&")

    form = client.get(link)
    capability_pk = int(link.split("capability=")[1].split("&")[0])
    assert form.context["form"].initial["capability"] == str(capability_pk)
    response = client.post(
        link, {"capability": capability_pk, "action": "Pair with Hugo on the roadmap review", "due_on": in_days(30)}
    )

    assert response.status_code == 302 and response["Location"].startswith(
        reverse("reports:compare", args=[pm.person.pk])
    )
    assert PlanItem.objects.get().created_by == manager.person
    assert "Pair with Hugo" in client.get(reverse("growth:person_plan", args=[pm.person.pk])).content.decode()
    client.force_login(pm)
    assert "Pair with Hugo" in client.get(reverse("growth:plan")).content.decode()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"action": "  "}, "Say what you will do."),
        ({"due_on": in_days(-1)}, "Choose today or a later date."),
        ({"due_on": "31/02/2027"}, "Enter a real date"),
        ({"capability": "999999"}, "Choose a capability from the list"),
        ({"link": "not a link"}, "Enter a full web address"),
    ],
)
def test_bad_input_is_refused_changes_nothing_and_keeps_what_was_typed(client, pm, change, message):
    client.force_login(pm)
    data = {"capability": capability_of(pm).pk, "action": "Write the launch plan", "due_on": in_days(5), **change}

    response = client.post(reverse("growth:plan_add", args=[pm.person.pk]), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "Everything you typed is kept" in body
    if data["action"].strip():
        assert "Write the launch plan" in body
    assert not PlanItem.objects.exists()


def test_a_resource_must_be_for_the_items_capability(client, pm):
    client.force_login(pm)
    resource = LearningResource.objects.create(capability=capability_of(pm, "cap-1-1"), title="Pricing course")
    data = {"capability": capability_of(pm).pk, "action": "Study pricing", "due_on": in_days(5)}

    refused = client.post(reverse("growth:plan_add", args=[pm.person.pk]), {**data, "resource": resource.pk})
    assert refused.status_code == 400 and "Pricing course is about Capability 1.1" in refused.content.decode()

    data["capability"] = resource.capability.pk
    client.post(reverse("growth:plan_add", args=[pm.person.pk]), {**data, "resource": resource.pk})
    assert PlanItem.objects.get().resource == resource
    assert "Learning resource: Pricing course" in client.get(reverse("growth:plan")).content.decode()


def test_status_edit_and_removal(client, pm, manager):
    item = make_plan_item(pm, by=manager)
    client.force_login(manager)

    client.post(reverse("growth:plan_status", args=[item.pk]), {"status": "in_progress"})
    item.refresh_from_db()
    assert item.status == PlanItem.Status.IN_PROGRESS
    response = client.post(reverse("growth:plan_status", args=[item.pk]), {"status": "finished!"}, follow=True)
    assert "Choose a status from the list." in response.content.decode()
    item.refresh_from_db()
    assert item.status == PlanItem.Status.IN_PROGRESS

    client.force_login(pm)
    edit = reverse("growth:plan_edit", args=[item.pk])
    data = {"capability": item.capability.pk, "action": "Lead two discoveries", "due_on": in_days(40), "status": "done"}
    assert client.post(edit, data).status_code == 302
    item.refresh_from_db()
    assert (item.action, item.status) == ("Lead two discoveries", PlanItem.Status.DONE)
    assert "1 of 1 item done." in client.get(reverse("growth:plan")).content.decode()

    assert (
        "Remove this item from the plan?" in client.get(reverse("growth:plan_delete", args=[item.pk])).content.decode()
    )
    client.post(reverse("growth:plan_delete", args=[item.pk]))
    assert not PlanItem.objects.exists()


def test_an_overdue_item_says_so_and_keeps_its_date_when_edited(client, pm):
    item = make_plan_item(pm, days=-3)
    client.force_login(pm)

    page = client.get(reverse("growth:plan")).content.decode()
    assert "3 days overdue" in page and "; 1 overdue." in page
    data = {
        "capability": item.capability.pk,
        "action": "Still on it",
        "due_on": item.due_on.isoformat(),
        "status": "in_progress",
    }
    assert client.post(reverse("growth:plan_edit", args=[item.pk]), data).status_code == 302


def test_others_never_see_a_plan(client, pm, manager, stranger, hr_admin):
    item = make_plan_item(pm, by=manager)
    for outsider in (stranger, hr_admin):
        client.force_login(outsider)
        assert client.get(reverse("growth:person_plan", args=[pm.person.pk])).status_code == 404
        assert client.post(reverse("growth:plan_status", args=[item.pk]), {"status": "done"}).status_code == 404
        assert item.action not in client.get(reverse("growth:plan")).content.decode()
    item.refresh_from_db()
    assert item.status == PlanItem.Status.PLANNED


def test_the_plan_page_reads_a_fixed_number_of_queries(client, pm, django_assert_max_num_queries):
    resource = LearningResource.objects.create(
        capability=capability_of(pm), title="Roadmaps", url="https://example.com"
    )
    for days in range(25):
        item = make_plan_item(pm, days=days, capability=capability_of(pm))
        item.resource = resource
        item.save()
    client.force_login(pm)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("growth:plan"))
    assert response.content.decode().count("plan-item--planned") == 25

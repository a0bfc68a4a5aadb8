"""HR's level rules (issue 13 part 3): directory attributes place people without a level, never over HR's hand."""

import pytest
from django.urls import reverse

from assessments.people.directory import LevelRule, place_from_directory, place_people
from assessments.people.importer import import_people
from frameworks.models import Level
from tests.factories import make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels():
    make_framework()
    return {level.key: level for level in Level.objects.filter(framework__key="product")}


@pytest.fixture
def rules(levels):
    return [
        LevelRule.objects.create(position=1, title_contains="senior", department_is="Product", level=levels["ic-3"]),
        LevelRule.objects.create(position=2, title_contains="product manager", level=levels["ic-2"]),
        LevelRule.objects.create(position=3, employee_type_is="contractor", level=levels["ic-1"]),
    ]


def person_with(email, *, title="", department="", employee_type="", level=None):
    person = make_user(email, email.split("@")[0].title(), job_title=title, level=level).person
    person.department, person.employee_type = department, employee_type
    person.save()
    return person


def test_the_first_matching_rule_places_a_person_without_a_level(rules, levels):
    senior = person_with("sam@example.com", title="Senior Product Manager", department="product")
    plain = person_with("pat@example.com", title="Product Manager", department="Product")
    contractor = person_with("cy@example.com", title="Designer", employee_type="Contractor")
    nobody = person_with("nia@example.com", title="Engineer", department="Engineering")

    for person in (senior, plain, contractor, nobody):
        place_from_directory(person)

    assert (senior.level, senior.level_rule) == (levels["ic-3"], rules[0])
    assert (plain.level, plain.level_rule) == (levels["ic-2"], rules[1])
    assert (contractor.level, contractor.level_rule) == (levels["ic-1"], rules[2])
    assert nobody.level is None
    assert senior.history.first().history_change_reason.startswith("Rule: Job title contains “senior”")


def test_a_level_set_by_hand_is_never_overwritten(rules, levels):
    person = person_with("sam@example.com", title="Senior Product Manager", department="Product", level=levels["ic-1"])

    assert place_from_directory(person) is False
    assert place_people() == 0
    person.refresh_from_db()
    assert (person.level, person.level_rule) == (levels["ic-1"], None)


def test_a_person_placed_by_a_rule_follows_their_new_title_until_hr_sets_the_level(rules, levels):
    person = person_with("pat@example.com", title="Product Manager")
    place_from_directory(person)
    assert person.level == levels["ic-2"]

    person.job_title, person.department = "Senior Product Manager", "Product"
    person.save()
    place_from_directory(person)
    assert (person.level, person.level_rule) == (levels["ic-3"], rules[0])

    person.level = levels["ic-1"]  # HR's choice, through any form that saves the person
    person.save()
    person.refresh_from_db()
    assert person.level_rule is None
    person.job_title = "Product Manager"
    person.save()
    assert place_from_directory(person) is False
    assert person.level == levels["ic-1"]


def test_rules_of_a_replaced_version_move_with_their_levels_and_place_nobody_stranded(rules, levels):
    new = make_framework(version=2, publish=False)
    new.publish()

    for rule in rules:
        rule.refresh_from_db()
        assert rule.level.framework == new
    person = person_with("pat@example.com", title="Product Manager")
    place_from_directory(person)
    assert person.level == Level.objects.get(framework=new, key="ic-2")


def test_the_people_import_places_new_people_without_a_level_and_keeps_the_files_levels(rules, levels):
    make_user("hana@example.com", "Hana Admin", hr_admin=True)
    csv = (
        "email,name,job title,level\n"
        "pat@example.com,Pat Product,Product Manager,\n"
        "lee@example.com,Lee Lead,Product Manager,product/ic/ic-1\n"
    )
    report = import_people(csv, dry_run=False)

    assert report.ok, report.errors
    pat = Level.objects.get(pk=levels["ic-2"].pk).people.get()
    assert pat.user.email == "pat@example.com" and pat.level_rule == rules[1]
    lee = levels["ic-1"].people.get()
    assert lee.user.email == "lee@example.com" and lee.level_rule is None


def test_hr_previews_who_a_rule_places_and_places_everyone(client, rules, levels):
    client.force_login(make_user("hana@example.com", "Hana Admin", hr_admin=True))
    person_with("pat@example.com", title="Product Manager")
    person_with("sam@example.com", title="Senior Product Manager", department="Product")
    person_with("lee@example.com", title="Product Manager", level=levels["ic-1"])

    page = client.get(reverse("admin:assessments_levelrule_change", args=[rules[1].pk]))

    text = page.content.decode()
    assert "It would place 1 person without a level" in text and "Pat" in text
    assert "Sam" not in text  # an earlier rule places Sam
    response = client.post(
        reverse("admin:assessments_levelrule_changelist"),
        {"action": "place_people_now", "_selected_action": [rules[0].pk]},
        follow=True,
    )
    assert "Placing people by the level rules" in response.content.decode()
    assert sorted(levels["ic-2"].people.values_list("user__email", flat=True)) == ["pat@example.com"]
    assert levels["ic-3"].people.get().user.email == "sam@example.com"
    assert levels["ic-1"].people.get().level_rule is None


def test_a_rule_needs_a_condition_and_a_published_level(client, levels):
    client.force_login(make_user("hana@example.com", "Hana Admin", hr_admin=True))
    draft = make_framework(version=2, publish=False)

    empty = client.post(reverse("admin:assessments_levelrule_add"), {"position": 1, "level": levels["ic-1"].pk})
    drafted = client.post(
        reverse("admin:assessments_levelrule_add"),
        {"position": 1, "title_contains": "PM", "level": Level.objects.get(framework=draft, key="ic-1").pk},
    )

    assert "Give at least one condition" in empty.content.decode()
    assert drafted.status_code == 200 and "Select a valid choice" in drafted.content.decode()
    assert not LevelRule.objects.exists()


def test_the_person_page_in_the_admin_says_who_set_the_level_and_places_on_save(client, rules, levels):
    client.force_login(make_user("hana@example.com", "Hana Admin", hr_admin=True))
    person = person_with("pat@example.com", title="Designer")
    url = reverse("admin:assessments_person_change", args=[person.pk])
    assert "No level yet" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "full_name": "Pat",
            "email": "pat@example.com",
            "job_title": "Product Manager",
            "department": "",
            "employee_type": "",
            "level": "",
            "manager": "",
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.level, person.level_rule) == (levels["ic-2"], rules[1])
    assert "The level rule" in client.get(url).content.decode()


def test_the_people_import_carries_department_and_employee_type_and_the_rules_follow_them(rules, levels):
    csv = (
        "email,name,job title,department,employee type\n"
        "sam@example.com,Sam Senior,Senior Engineer,Product,employee\n"
        "cat@example.com,Cat Contract,Engineer,Delivery,contractor\n"
    )
    assert import_people(csv).ok

    sam = levels["ic-3"].people.get()
    assert (sam.user.email, sam.department, sam.employee_type, sam.level_rule) == (
        "sam@example.com",
        "Product",
        "employee",
        rules[0],
    )
    assert levels["ic-1"].people.get().user.email == "cat@example.com"

    # Sam moves out of Product: the first rule no longer matches, and nothing else does.
    report = import_people("email,name,department\nsam@example.com,Sam Senior,Delivery\n")
    assert report.updated == ["sam@example.com"], report.errors
    sam.refresh_from_db()
    assert (sam.department, sam.employee_type, sam.level_id) == ("Delivery", "employee", levels["ic-3"].pk)

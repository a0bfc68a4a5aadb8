import pytest
from django.urls import reverse

from accounts.models import User
from assessments.people.models import Person
from tests.factories import PASSWORD, make_user

CHANGELIST = "admin:assessments_person_changelist"
QUERIES_PEOPLE_LIST = 12


def change_url(user):
    return reverse("admin:assessments_person_change", args=[user.person.pk])


def test_people_list_shows_the_columns_hr_needs(client, hr_admin, pm, manager):
    client.force_login(hr_admin)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Priya Product", "priya@example.com", "Product manager", "Import people (CSV)"):
        assert text in html


def test_people_list_searches_name_and_email(client, hr_admin, pm, manager, stranger):
    client.force_login(hr_admin)
    by_name = client.get(reverse(CHANGELIST), {"q": "priya"}).context["cl"].result_list
    by_email = client.get(reverse(CHANGELIST), {"q": "sam@example"}).context["cl"].result_list
    assert [p.name for p in by_name] == ["Priya Product"]
    assert [p.name for p in by_email] == ["Sam Stranger"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"manager": "MAYA"}, ["Priya Product"]),
        ({"manager": "__none__"}, ["Hana Admin", "Maya Manager", "Sam Stranger"]),
        ({"framework": "product"}, ["Maya Manager", "Priya Product", "Sam Stranger"]),
        ({"framework": "__none__"}, ["Hana Admin"]),
        ({"user__is_active__exact": "0"}, ["Sam Stranger"]),
        ({"level": "IC2"}, ["Priya Product", "Sam Stranger"]),
    ],
)
def test_people_list_filters(client, framework, hr_admin, pm, manager, stranger, params, expected):
    stranger.is_active = False
    stranger.save()
    replacements = {"MAYA": str(manager.person.pk), "IC2": str(framework.levels.get(key="ic-2").pk)}
    params = {key: replacements.get(value, value) for key, value in params.items()}
    client.force_login(hr_admin)
    response = client.get(reverse(CHANGELIST), params)
    assert sorted(p.name for p in response.context["cl"].result_list) == expected


@pytest.mark.parametrize("size", [10, 100])
def test_people_list_query_count_is_flat(client, framework, hr_admin, size, django_assert_max_num_queries):
    level = framework.levels.get(key="ic-1")
    boss = make_user("boss@example.com", "Boss", level=level)
    for i in range(size):
        make_user(f"p{i}@example.com", f"Person {i}", manager=boss, level=level)
    client.force_login(hr_admin)
    with django_assert_max_num_queries(QUERIES_PEOPLE_LIST):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == min(size + 2, 100)


def test_hr_changes_level_and_manager_on_the_person_form(client, framework, hr_admin, pm, manager, stranger):
    client.force_login(hr_admin)
    response = client.post(
        change_url(pm),
        {
            "full_name": "Priya Productive",
            "email": "Priya.New@example.com",
            "job_title": "Senior PM",
            "level": framework.levels.get(key="ic-3").pk,
            "manager": stranger.person.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    pm.refresh_from_db()
    person = pm.person
    person.refresh_from_db()
    assert (pm.full_name, pm.email, person.job_title) == ("Priya Productive", "priya.new@example.com", "Senior PM")
    assert person.level.key == "ic-3" and person.manager == stranger.person


def test_person_form_refuses_a_reporting_cycle(client, framework, hr_admin, pm, manager):
    client.force_login(hr_admin)
    response = client.post(
        change_url(manager),
        {
            "full_name": "Maya Manager",
            "email": "maya@example.com",
            "job_title": "",
            "level": manager.person.level_id,
            "manager": pm.person.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "Maya Manager cannot report to Priya Product: Priya Product already reports to Maya Manager, directly or "
        "indirectly." in response.content.decode()
    )
    manager.person.refresh_from_db()
    assert manager.person.manager is None


def test_person_form_refuses_a_level_of_a_draft(client, framework, hr_admin, pm):
    draft = framework.new_version()
    client.force_login(hr_admin)
    response = client.post(
        change_url(pm),
        {
            "full_name": "Priya Product",
            "email": "priya@example.com",
            "job_title": "",
            "level": draft.levels.get(key="ic-3").pk,
            "manager": "",
        },
    )
    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors
    pm.person.refresh_from_db()
    assert pm.person.level.framework_id == framework.pk


def test_person_form_keeps_an_archived_level_already_set_but_refuses_a_new_one(client, framework, hr_admin, pm):
    draft = framework.new_version()
    draft.levels.get(key="ic-2").delete()
    draft.publish()  # Priya keeps archived ic-2
    client.force_login(hr_admin)
    data = {"full_name": "Priya Product", "email": "priya@example.com", "job_title": "PM", "manager": ""}
    kept = client.post(change_url(pm), {**data, "level": pm.person.level_id})
    assert kept.status_code == 302
    refused = client.post(change_url(pm), {**data, "level": framework.levels.get(key="ic-3").pk})
    assert refused.status_code == 200
    assert "Choose a level of a published framework version" in refused.content.decode()


def test_person_form_refuses_an_email_someone_else_has(client, hr_admin, pm, manager):
    client.force_login(hr_admin)
    response = client.post(
        change_url(pm), {"full_name": "Priya", "email": "MAYA@example.com", "job_title": "", "level": "", "manager": ""}
    )
    assert response.status_code == 200
    assert "Someone in Pathway already has this email address." in response.content.decode()


def test_hr_adds_a_person_from_the_admin(client, framework, hr_admin, manager):
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_person_add"),
        {
            "full_name": "Nia New",
            "email": "nia@example.com",
            "job_title": "PM",
            "level": framework.levels.get(key="ic-1").pk,
            "manager": manager.person.pk,
        },
    )
    assert response.status_code == 302
    person = Person.objects.select_related("user").get(user__email="nia@example.com")
    assert person.manager == manager.person and person.level.key == "ic-1"
    assert Person.objects.filter(user__email="nia@example.com").count() == 1
    assert person.user.has_usable_password()  # can use "Forgotten your password?"


def test_list_edit_of_two_rows_cannot_make_a_loop_together(client, framework, hr_admin, pm, manager, stranger):
    client.force_login(hr_admin)
    people = list(Person.objects.order_by("user__full_name"))
    data = {
        "form-TOTAL_FORMS": str(len(people)),
        "form-INITIAL_FORMS": str(len(people)),
        "_save": "Save",
    }
    for index, person in enumerate(people):
        data[f"form-{index}-id"] = person.pk
        data[f"form-{index}-level"] = person.level_id or ""
        data[f"form-{index}-manager"] = person.manager_id or ""
    # Sam → Maya and Maya → Sam in one save: each alone looks fine.
    index = {p.user_id: i for i, p in enumerate(people)}
    data[f"form-{index[stranger.pk]}-manager"] = manager.person.pk
    data[f"form-{index[manager.pk]}-manager"] = stranger.person.pk
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert "someone would become their own indirect manager" in response.content.decode()
    manager.person.refresh_from_db()
    stranger.person.refresh_from_db()
    assert manager.person.manager is None and stranger.person.manager is None


def test_mark_as_leaver_closes_the_account_and_keeps_the_person(client, hr_admin, pm, manager):
    client.force_login(hr_admin)
    response = client.post(
        reverse(CHANGELIST), {"action": "mark_as_leaver", "_selected_action": [pm.person.pk]}, follow=True
    )
    assert "1 person marked as leaver" in response.content.decode()
    pm.refresh_from_db()
    assert not pm.is_active
    assert Person.objects.get(user=pm).manager == manager.person
    client.logout()
    response = client.post(reverse("login"), {"username": "priya@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # the sign-in page refuses a leaver


def test_people_cannot_be_deleted_from_the_admin(client, hr_admin, pm):
    client.force_login(hr_admin)
    response = client.get(reverse("admin:assessments_person_delete", args=[pm.person.pk]))
    assert response.status_code == 403


def test_manager_autocomplete_leaves_out_leavers(client, hr_admin, pm, manager):
    manager.is_active = False
    manager.save()
    client.force_login(hr_admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "assessments", "model_name": "person", "field_name": "manager", "term": "a"},
    )
    names = [result["text"] for result in response.json()["results"]]
    assert "Priya Product" in names and "Maya Manager" not in names


# Import page ------------------------------------------------------------------------------------

IMPORT = "admin:assessments_person_import"
GOOD = (
    "email,name,job title,level,manager email\nann@example.com,Ann,PM,product/ic-2,maya@example.com\n"
    "priya@example.com,Priya Product,Senior PM,product/ic-3,maya@example.com\n"
)


def upload(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("people.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_page_previews_then_imports_on_confirm(client, hr_admin, pm, manager):
    client.force_login(hr_admin)
    assert client.get(reverse(IMPORT)).status_code == 200
    preview = client.post(reverse(IMPORT), {"file": upload(GOOD)})
    html = preview.content.decode()
    assert "1 person will be created, 1 updated." in html
    assert not User.objects.filter(email="ann@example.com").exists()
    assert '<form method="post" enctype="multipart/form-data">' in html  # a big file's text, unexpanded
    csv_text = preview.context["form"].initial["csv_text"]
    done = client.post(reverse(IMPORT), {"csv_text": csv_text, "confirm": "Import"}, follow=True)
    assert "1 person was created, 1 updated." in done.content.decode()
    assert Person.objects.get(user__email="ann@example.com").manager == manager.person
    pm.person.refresh_from_db()
    assert pm.person.job_title == "Senior PM"


def test_import_page_shows_row_errors_and_changes_nothing(client, hr_admin, framework):
    client.force_login(hr_admin)
    response = client.post(reverse(IMPORT), {"file": upload("email,name,level\nann@example.com,Ann,product/nope\n")})
    html = response.content.decode()
    assert "Row 2 (ann@example.com): unknown level" in html
    assert not User.objects.filter(email="ann@example.com").exists()


def test_import_page_refuses_a_file_that_is_not_utf8(client, hr_admin, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr_admin)
    response = client.post(reverse(IMPORT), {"file": SimpleUploadedFile("p.csv", "email,name\n".encode("utf-16"))})
    assert "Row 1: the file is saved as UTF-16" in response.content.decode()
    latin = SimpleUploadedFile("p.csv", "email,name\nzoë,Zoë\n".encode("cp1252"))
    response = client.post(reverse(IMPORT), {"file": latin})
    assert "Row 2, column &#x27;email&#x27;: the file is not UTF-8 text" in response.content.decode()


def test_import_page_holds_hr_to_the_person_forms_account_rule(client, hr_admin, framework):
    _superuser()
    client.force_login(hr_admin)
    response = client.post(reverse(IMPORT), {"file": upload("email,name\nroot@example.com,Rowan Renamed\n")})
    assert "only a superuser can change the name of a superuser’s account" in response.content.decode()
    assert User.objects.get(email="root@example.com").full_name == "Rowan Root"


def test_import_page_lists_the_first_50_problems_and_people_of_a_big_file(
    client, hr_admin, framework, django_assert_max_num_queries
):
    client.force_login(hr_admin)
    rows = "".join(f"p{index}@example.com,Person {index},,product/ic-9\n" for index in range(60))
    html = client.post(reverse(IMPORT), {"file": upload(f"email,name,job title,level\n{rows}")}).content.decode()
    assert "Nothing was imported: the file has 60 problems." in html
    assert html.count("<li>Row ") == 50
    assert "And 10 more problems after these: fix these first, then check the file again." in html
    rows = rows.replace("product/ic-9", "product/ic-1")
    with django_assert_max_num_queries(16):
        html = client.post(reverse(IMPORT), {"file": upload(f"email,name,job title,level\n{rows}")}).content.decode()
    assert "60 people will be created, 0 updated." in html
    assert "p48@example.com, p49@example.com and 10 more. They will" in html


def test_people_admin_and_import_need_staff(client, pm):
    client.force_login(pm)
    for url in (reverse(CHANGELIST), reverse(IMPORT)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_people_permissions_cannot_import(client, db):
    clerk = make_user("clerk@example.com", "Clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse(IMPORT)).status_code == 403


def test_person_pages_in_the_admin_group_levels_by_framework_and_link_the_account(client, hr_admin, pm):
    client.force_login(hr_admin)
    add = client.get(reverse("admin:assessments_person_add")).content.decode()
    assert '<optgroup label="Product management">' in add
    change = client.get(change_url(pm)).content.decode()
    assert reverse("admin:accounts_user_change", args=[pm.pk]) in change
    assert "Active: can sign in." in change


def _superuser():
    return User.objects.create_superuser(email="root@example.com", password="a long passphrase", full_name="Rowan Root")


def test_person_form_refuses_changing_a_superusers_name_or_email(client, hr_admin):
    root = _superuser()
    client.force_login(hr_admin)
    for changes in ({"email": "hana.too@example.com"}, {"full_name": "Rowan Renamed"}):
        data = {"full_name": "Rowan Root", "email": "root@example.com", "job_title": "", "level": "", "manager": ""}
        response = client.post(change_url(root), {**data, **changes})
        assert response.status_code == 200
        assert "Only a superuser can change the name or email address of a superuser’s account." in (
            response.content.decode()
        )
    root.refresh_from_db()
    assert (root.email, root.full_name) == ("root@example.com", "Rowan Root")


def test_hr_still_places_a_superuser_in_the_organisation_and_a_superuser_renames_them(client, hr_admin, manager):
    root = _superuser()
    client.force_login(hr_admin)
    data = {"full_name": "Rowan Root", "email": "root@example.com", "job_title": "CTO", "level": ""}
    assert client.post(change_url(root), {**data, "manager": manager.person.pk}).status_code == 302
    assert Person.objects.get(user=root).manager == manager.person
    client.force_login(root)
    assert client.post(change_url(root), {**data, "email": "rowan@example.com", "manager": ""}).status_code == 302
    root.refresh_from_db()
    assert root.email == "rowan@example.com"


def test_hr_cannot_mark_a_superuser_as_leaver(client, hr_admin, pm):
    root = _superuser()
    client.force_login(hr_admin)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "mark_as_leaver", "_selected_action": [pm.person.pk, root.person.pk]},
        follow=True,
    )
    assert "Nobody was marked as leaver: Rowan Root has a superuser account" in response.content.decode()
    root.refresh_from_db()
    pm.refresh_from_db()
    assert root.is_active and pm.is_active


def test_person_form_refuses_a_name_with_a_line_break(client, framework, hr_admin, pm, manager):
    client.force_login(hr_admin)
    data = {"full_name": "Priya\r\nBcc: everyone", "email": pm.email, "job_title": "PM", "manager": manager.person.pk}
    response = client.post(change_url(pm), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["full_name"] == [
        "A name must be one line of plain text, but this contains a line break. Remove it and try again."
    ]
    pm.refresh_from_db()
    assert pm.full_name == "Priya Product"

"""HR's people forms: which levels may be chosen, the account a new person gets, list edits and the CSV upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from assessments.people.forms import (
    MAX_IMPORT_BYTES,
    PeopleImportForm,
    PersonAdminForm,
    grouped_level_choices,
    level_choices,
    level_label,
    level_problem,
)
from assessments.people.models import Person
from frameworks.models import Level

CHANGELIST = "admin:assessments_person_changelist"
IMPORT = "admin:assessments_person_import"


@pytest.fixture
def replaced(framework):
    """Version 2 published (without ic-2), so version 1 is archived; returns (archived v1, published v2)."""
    new = framework.new_version()
    new.levels.get(key="ic-2").delete()
    new.publish()
    framework.refresh_from_db()
    return framework, new


def person_data(user, **changes):
    person = user.person
    return {
        "full_name": user.full_name,
        "email": user.email,
        "job_title": person.job_title,
        "level": person.level_id or "",
        "manager": person.manager_id or "",
        **changes,
    }


# Which levels may be chosen ------------------------------------------------------------------------


def test_no_level_is_always_allowed(db):
    assert level_problem(None, None) is None


def test_a_published_level_is_allowed(framework):
    assert level_problem(framework.levels.get(key="ic-1"), None) is None


def test_an_archived_level_is_kept_only_by_whoever_has_it(replaced):
    archived, _ = replaced
    level = archived.levels.get(key="ic-2")
    assert level_problem(level, stored_level_id=level.pk) is None
    assert level_problem(level, stored_level_id=None) == (
        "IC level 2 belongs to version 1 of Product management, which has been replaced: "
        "choose a level of the published version."
    )


def test_a_draft_level_is_never_allowed_even_when_already_set(framework):
    draft_level = framework.new_version().levels.get(key="ic-3")
    assert level_problem(draft_level, stored_level_id=draft_level.pk) == (
        "IC level 3 belongs to a draft of Product management: choose a level of the published version."
    )


def test_choices_are_the_published_levels_plus_the_one_already_set(replaced):
    archived, published = replaced
    kept = archived.levels.get(key="ic-2")
    assert set(level_choices()) == set(published.levels.all())
    assert set(level_choices(kept.pk)) == {*published.levels.all(), kept}


def test_labels_name_the_framework_track_and_a_replaced_version(replaced):
    archived, published = replaced
    assert level_label(published.levels.get(key="ic-3")) == "Product management · Individual contributor · IC level 3"
    assert level_label(archived.levels.get(key="ic-2")) == (
        "Product management, version 1 · Individual contributor · IC level 2"
    )


def test_grouped_choices_put_a_replaced_version_in_its_own_group(replaced):
    archived, published = replaced
    kept = archived.levels.get(key="ic-2")
    empty, *groups = grouped_level_choices(level_choices(kept.pk))
    assert empty == ("", "---------")
    by_group = dict(groups)
    assert by_group["Product management (version 1, replaced)"] == [(kept.pk, "IC level 2")]
    assert len(by_group["Product management"]) == published.levels.count()


def test_hr_cannot_keep_someone_on_a_draft_level(framework, pm):
    draft_level = framework.new_version().levels.get(key="ic-2")
    Person.objects.filter(pk=pm.person.pk).update(level=draft_level)  # e.g. set from a shell
    pm.person.refresh_from_db()
    form = PersonAdminForm(person_data(pm), instance=pm.person)
    assert not form.is_valid()
    assert form.errors["level"] == [
        "IC level 2 belongs to a draft of Product management: choose a level of the published version."
    ]


# The account behind a person ----------------------------------------------------------------------


def test_a_person_added_by_hr_gets_an_account_nobody_knows_the_password_of(framework, manager):
    form = PersonAdminForm(
        {
            "full_name": "Nia New",
            "email": "Nia@Example.com",
            "job_title": "PM",
            "level": framework.levels.get(key="ic-1").pk,
            "manager": manager.person.pk,
        },
        instance=Person(),
    )
    assert form.is_valid(), form.errors
    person = form.save()
    user = User.objects.get(email="nia@example.com")
    assert person.pk == user.person.pk
    assert Person.objects.filter(user=user).count() == 1
    assert (user.full_name, person.job_title, person.manager) == ("Nia New", "PM", manager.person)
    assert user.is_active and not user.is_staff
    assert user.has_usable_password()  # so that "Forgotten your password?" works...
    assert not user.check_password("")  # ...but there is no password to guess
    assert not user.check_password("Nia New")


def test_renaming_someone_changes_their_account(pm):
    form = PersonAdminForm(
        person_data(pm, full_name="Priya Patel", email="PRIYA.PATEL@example.com"), instance=pm.person
    )
    assert form.is_valid(), form.errors
    form.save()
    pm.refresh_from_db()
    assert (pm.full_name, pm.email) == ("Priya Patel", "priya.patel@example.com")


def test_saving_without_changing_the_name_leaves_the_account_alone(pm):
    history = User.objects.get(pk=pm.pk).password
    form = PersonAdminForm(person_data(pm, job_title="Senior PM"), instance=pm.person)
    assert form.is_valid(), form.errors
    form.save()
    pm.refresh_from_db()
    assert (pm.full_name, pm.email, pm.password) == ("Priya Product", "priya@example.com", history)
    assert Person.objects.get(pk=pm.person.pk).job_title == "Senior PM"


def test_a_new_person_cannot_take_an_existing_address_in_another_case(pm):
    form = PersonAdminForm({"full_name": "Copy", "email": "PRIYA@EXAMPLE.COM", "job_title": ""}, instance=Person())
    assert not form.is_valid()
    assert form.errors["email"] == ["Someone in Pathway already has this email address."]
    assert User.objects.filter(email__iexact="priya@example.com").count() == 1


# Editing the list ----------------------------------------------------------------------------------


def list_data(people, **changes):
    data = {"form-TOTAL_FORMS": str(len(people)), "form-INITIAL_FORMS": str(len(people)), "_save": "Save"}
    for index, person in enumerate(people):
        data[f"form-{index}-id"] = person.pk
        data[f"form-{index}-level"] = person.level_id or ""
        data[f"form-{index}-manager"] = person.manager_id or ""
    data.update(changes)
    return data


def test_list_edit_moves_someone_to_another_manager(client, hr_admin, pm, manager, stranger):
    client.force_login(hr_admin)
    people = list(Person.objects.order_by("user__full_name"))
    index = {p.user_id: i for i, p in enumerate(people)}
    data = list_data(people, **{f"form-{index[stranger.pk]}-manager": manager.person.pk})
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302
    stranger.person.refresh_from_db()
    assert stranger.person.manager == manager.person


def test_list_edit_with_a_bad_row_saves_no_row(client, framework, hr_admin, pm, manager, stranger):
    client.force_login(hr_admin)
    people = list(Person.objects.order_by("user__full_name"))
    index = {p.user_id: i for i, p in enumerate(people)}
    draft_level = framework.new_version().levels.get(key="ic-3")
    data = list_data(
        people,
        **{
            f"form-{index[stranger.pk]}-manager": manager.person.pk,
            f"form-{index[pm.pk]}-level": draft_level.pk,
        },
    )
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert "Choose a level of a published framework version" in response.content.decode()
    stranger.person.refresh_from_db()
    pm.person.refresh_from_db()
    assert stranger.person.manager is None
    assert pm.person.level.key == "ic-2" and pm.person.level.framework_id == framework.pk


def test_the_level_filter_names_the_version_of_a_replaced_level(client, hr_admin, pm, replaced):
    client.force_login(hr_admin)
    response = client.get(reverse(CHANGELIST))
    assert "IC level 2 (version 1) · product" in response.content.decode()


def test_hr_cannot_mark_themself_as_leaver(client, hr_admin, pm):
    client.force_login(hr_admin)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "mark_as_leaver", "_selected_action": [pm.person.pk, hr_admin.person.pk]},
        follow=True,
    )
    assert "You cannot mark yourself as a leaver." in response.content.decode()
    assert User.objects.get(pk=hr_admin.pk).is_active
    assert User.objects.get(pk=pm.pk).is_active  # nobody was marked, not even the others selected


# The CSV upload ------------------------------------------------------------------------------------


def test_the_upload_needs_a_file_or_the_previewed_text(db):
    form = PeopleImportForm({}, {})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Choose a CSV file to import."]


def test_the_previewed_text_is_enough_to_confirm(db):
    form = PeopleImportForm({"csv_text": "email,name\nann@example.com,Ann\n"}, {})
    assert form.is_valid()
    assert form.cleaned_data["csv_text"].startswith("email,name")


def test_an_upload_over_2_mb_is_refused_without_reading_it(db):
    big = SimpleUploadedFile("people.csv", b"x" * (MAX_IMPORT_BYTES + 1))
    form = PeopleImportForm({}, {"file": big})
    assert not form.is_valid()
    assert form.non_field_errors() == ["The file is larger than 2 MB; split it into smaller files."]


def test_an_upload_of_exactly_2_mb_is_read(db):
    text = "email,name\n" + "#" * (MAX_IMPORT_BYTES - len("email,name\n"))
    form = PeopleImportForm({}, {"file": SimpleUploadedFile("people.csv", text.encode())})
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["csv_text"]) == MAX_IMPORT_BYTES


def test_an_upload_saved_by_excel_loses_its_byte_order_mark(db):
    upload = SimpleUploadedFile("people.csv", "email,name\nzoë@example.com,Zoë\n".encode("utf-8-sig"))
    form = PeopleImportForm({}, {"file": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["csv_text"] == "email,name\nzoë@example.com,Zoë\n"


def test_the_uploaded_file_wins_over_stale_previewed_text(db):
    upload = SimpleUploadedFile("people.csv", b"email,name\nnew@example.com,New\n")
    form = PeopleImportForm({"csv_text": "email,name\nold@example.com,Old\n"}, {"file": upload})
    assert form.is_valid()
    assert "new@example.com" in form.cleaned_data["csv_text"]
    assert "old@example.com" not in form.cleaned_data["csv_text"]


def test_the_import_page_with_nothing_chosen_says_so_and_imports_nothing(client, hr_admin):
    client.force_login(hr_admin)
    before = User.objects.count()
    response = client.post(reverse(IMPORT), {})
    assert response.status_code == 200
    assert "Choose a CSV file to import." in response.content.decode()
    assert User.objects.count() == before


def test_level_choices_leave_out_levels_of_drafts(framework):
    draft = framework.new_version()
    assert not set(level_choices()) & set(Level.objects.filter(framework=draft))

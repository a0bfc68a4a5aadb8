"""Junk in an address never ends in a server error: a NUL character is refused with a sentence (400), a filter
value the admin does not offer is ignored with a message, on SQLite and on PostgreSQL (which refuses NUL)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.reviews.cycles import ReviewCycle

REFUSAL = "This address contains a NUL character (\\x00), which Pathway cannot use."
ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("home", {"q": "\x00"}),
        ("team", {"q": "\x00", "manager": "1"}),
        ("login", {"next": "/\x00"}),
        ("admin:autocomplete", {"term": "\x00", "app_label": "assessments", "model_name": "person"}),
        ("admin:assessments_person_changelist", {"framework": "\x00"}),
    ],
)
def test_a_nul_character_in_the_address_is_refused_with_a_sentence(client, hr_admin, name, params):
    if name != "login":
        client.force_login(hr_admin)
    response = client.get(reverse(name), {**params, "field_name": "manager"})
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert client.get(reverse("home") + "%00/").status_code == 400


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[model._meta.label for model, _ in ADMINS])
def test_every_admin_list_takes_junk_in_each_filter_and_its_search(admin_client, pm, cycle, model, model_admin):
    """A superuser walks each list with junk in every filter parameter: each answers 200, or Django's own
    redirect for a lookup it cannot use (?e=1), never a server error."""
    url = changelist(model)
    response = admin_client.get(url)
    assert response.status_code == 200
    parameters = [name for spec in response.context["cl"].filter_specs for name in spec.expected_parameters()]
    for name in parameters:
        answer = admin_client.get(url, {name: "abc"})
        assert answer.status_code in (200, 302), name
        if answer.status_code == 302:
            assert answer["Location"].endswith("?e=1")
        assert admin_client.get(url, {name: "\x00"}).status_code == 400
    if model_admin.search_fields:
        assert admin_client.get(url, {"q": "\x00"}).status_code == 400


@pytest.mark.parametrize(("param", "title"), [("level", "level"), ("manager", "manager"), ("framework", "framework")])
def test_the_people_list_ignores_a_filter_value_it_does_not_offer_and_says_so(client, hr_admin, pm, param, title):
    client.force_login(hr_admin)
    response = client.get(reverse("admin:assessments_person_changelist"), {param: "abc"})
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        f"There is no {title} “abc” to filter by, so that filter is not applied."
    ]
    assert "Priya Product" in [person.name for person in response.context["cl"].result_list]


@pytest.fixture
def cycle(db):
    return ReviewCycle.objects.create(name="2026 H1", starts_on="2026-01-01", ends_on="2026-06-30")


@pytest.mark.parametrize("model_name", ["assessments_person", "frameworks_framework"])
@pytest.mark.parametrize("row", ["abc", "\x00", "1.5"])
def test_an_action_on_rows_that_are_not_keys_is_refused_with_a_message(admin_client, pm, model_name, row):
    url = reverse(f"admin:{model_name}_changelist")
    response = admin_client.post(url, {"action": "delete_selected", "_selected_action": ["1", row]}, follow=True)
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "The rows chosen could not be read, so nothing was done. Choose them again and try once more."
    ]


@pytest.mark.parametrize(
    ("junk", "error"),
    [
        ("abc", "Select a valid choice. That choice is not one of the available choices."),
        ("\x00", "Null characters are not allowed."),
    ],
)
def test_the_people_list_edit_with_a_manager_that_is_not_a_key_is_an_error_at_the_row(
    client, hr_admin, pm, junk, error
):
    client.force_login(hr_admin)
    person = pm.person
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(person.pk),
        "form-0-level": str(person.level_id),
        "form-0-manager": junk,
        "_save": "Save",
    }
    response = client.post(reverse("admin:assessments_person_changelist"), data)
    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0]["manager"] == [error]
    person.refresh_from_db()
    assert person.manager is not None


# Every query parameter a view reads (request.GET) or a filter form takes.
PARAMETERS = ("area", "digest", "from", "to", "manager", "page", "q", "shown", "subject", "table", "track", "cycle")
JUNK_QUERY = dict.fromkeys((*PARAMETERS, "status", "sort", "kind", "level"), "abc")


@pytest.mark.parametrize(
    "name",
    ["home", "team", "reports:team", "reports:calibration", "assessments:mine", "frameworks:list", "reports:compare"],
)
def test_pages_take_junk_in_every_parameter_they_read(client, manager, pm, name):
    """Each parameter any view reads, set to junk at once: the page answers, never a server error."""
    client.force_login(manager)
    url = reverse(name, args=[pm.person.pk]) if name == "reports:compare" else reverse(name)
    assert client.get(url, JUNK_QUERY).status_code in (200, 302, 404)

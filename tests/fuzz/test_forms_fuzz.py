"""Property: every form of the site, and the query parameters of its pages, fed hostile text in any of their
fields, answer 200, 302, 400, 403, 404 or 409: never a server error.

The targets are every URL of the access matrix (tests/test_access_matrix.py), requested as the first role that
may use it, and the HR admin's add, change and list pages for our models, with the admin's own pages. A target's
fields come from its rendered page: the forms that post back to it (a POST-only address: the page that holds
its form, plus the matrix's data) and, for a GET page, its filter forms, the query parameters of its links and
`page`. Each example starts from the values the page holds and makes some of its fields hostile.
"""

import os
from urllib.parse import parse_qsl, urlencode

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import sync_hr_admin_permissions
from frameworks.models import Expectation
from tests.assessments.assessment_helpers import make_cycle, self_submitted_of
from tests.factories import kept_for_the_module
from tests.fuzz import fuzz_settings
from tests.fuzz.pages import Form, read_page
from tests.fuzz.strategies import hostile_text
from tests.test_access_matrix import MATRIX, OK, REDIRECT, make_cast

ANSWERS = {200, 302, 400, 403, 404, 409}
ROLES_IN_ORDER = ("subject", "manager", "skip_level", "hr", "peer", "other_manager", "anonymous")
# Sign-out's one field is the CSRF token; the PDF and its waiting page have neither form nor parameters, and
# make the PDF (a second or more). Company sign-in is off here (404 for everyone): tests/test_company_sign_in.py
# sends its callback what a provider (or someone else) might.
# The SCIM API takes JSON with a bearer token, not forms: tests/assessments/test_scim*.py sends it bad payloads.
NOT_FUZZED = {"logout", "reports:promotion_pdf", "reports:promotion_pdf_status", "oidc_sign_in", "oidc_callback"} | {
    name for name in MATRIX if name.startswith("scim:")
}


def _detail(cast, kwargs):
    return reverse("assessments:detail", kwargs={"pk": kwargs["pk"]})


# The page holding a POST-only address's form, where its fields are read.
HOSTS = {
    "assessments:save_rating": _detail,
    "assessments:save_details": _detail,
    "assessments:move_version": _detail,
    "assessments:return": _detail,
    "assessments:share": _detail,
    "assessments:undo_share": _detail,
    "assessments:take_over": lambda cast, kwargs: reverse("assessments:person", kwargs=kwargs),
    "person_level": lambda cast, kwargs: reverse("person", kwargs=kwargs),
    "reports:agreed": lambda cast, kwargs: reverse("reports:compare", args=[cast.subject.person.pk]),
    "reports:recommend": lambda cast, kwargs: reverse("reports:compare", args=[cast.subject.person.pk]),
}


def _draft(cast):
    return cast.framework.new_version()


# An object of each model for its admin change page (made in the test's savepoint).
ADMIN_OBJECTS = {
    "accounts_user": lambda cast: cast.subject,
    "frameworks_framework": _draft,
    "frameworks_scalelevel": lambda cast: _draft(cast).scale_levels.first(),
    "frameworks_capabilityarea": lambda cast: _draft(cast).areas.first(),
    "frameworks_capability": lambda cast: _draft(cast).capabilities.first(),
    "frameworks_track": lambda cast: _draft(cast).tracks.first(),
    "frameworks_level": lambda cast: _draft(cast).levels.first(),
    "frameworks_expectation": lambda cast: Expectation.objects.filter(level__framework=_draft(cast)).first(),
    "assessments_person": lambda cast: cast.subject.person,
    "assessments_reviewcycle": lambda cast: make_cycle(),
    "assessments_assessment": lambda cast: self_submitted_of(cast.subject),
    "assessments_rating": lambda cast: self_submitted_of(cast.subject).ratings.first(),
}
ADMIN_PAGES = {
    **{f"{model}_{page}": model for model in ADMIN_OBJECTS for page in ("add", "change", "changelist")},
    "frameworks_framework_expectations": "frameworks_framework",
    "frameworks_framework_publish": "frameworks_framework",
    "frameworks_framework_import": None,
    "assessments_person_import": None,
    "autocomplete": None,
}
# The admin's autocomplete (the person form's manager field) takes its parameters from JavaScript, not a form.
AUTOCOMPLETE = {"term": [""], "app_label": ["assessments"], "model_name": ["person"], "field_name": ["manager"]}
# Each example is a few requests, and there are many targets: the ci profile sends each form once, `long` 200 times.
FORM_EXAMPLES = float(os.environ.get("FUZZ_FORM_EXAMPLES", "0.1"))
LIST_PARAMETERS = ("q", "o", "p", "e", "all", "page")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The access matrix's cast, made once for the module and rolled back at its end."""
    with kept_for_the_module(django_db_blocker):
        sync_hr_admin_permissions()
        yield make_cast()


def _role(entry):
    return next(role for role in ROLES_IN_ORDER if entry.expect[role] in (OK, REDIRECT, "400"))


def _forms_on(client, page, url):
    """The forms on `page` that post to `url`, and the parameters of its GET forms and links."""
    response = client.get(page)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return [], {}  # a page that redirects (to a version, to home), or a CSV, holds no form
    reader = read_page(page, response.content.decode())
    posted = [form for form in reader.forms if form.method == "post" and form.action == url]
    parameters = {name: values for form in reader.forms if form.method == "get" for name, values in form.fields.items()}
    return posted, {**dict.fromkeys(reader.link_parameters, []), **parameters}


def _site_target(client, cast, name):
    entry = MATRIX[name]
    kwargs = entry.kwargs(cast)
    url = reverse(name, kwargs=kwargs)
    user = cast.user_for(_role(entry))
    if user is not None:
        client.force_login(user)
    if entry.method == "post":
        posted, _ = _forms_on(client, HOSTS[name](cast, kwargs), url) if name in HOSTS else ([], {})
        fields = {key: [str(value)] for key, value in entry.data(cast).items()}
        for form in posted:
            fields.update(form.fields)
        return [Form(url, "post", fields)]
    posted, parameters = _forms_on(client, url + entry.query, url)
    query = {key: [value] for key, value in _query_of(entry.query)}
    return [*posted, Form(url, "get", {"page": ["2"], **parameters, **query})]


def _query_of(query):
    return parse_qsl(query.lstrip("?"), keep_blank_values=True)


def _admin_target(client, cast, page):
    model = ADMIN_PAGES[page]
    client.force_login(cast.hr)
    if page == "autocomplete":
        return [Form(reverse("admin:autocomplete"), "get", {**AUTOCOMPLETE, "page": ["1"]})]
    obj = ADMIN_OBJECTS[model](cast) if model and not page.endswith(("_add", "_changelist")) else None
    url = reverse(f"admin:{page}", args=[obj.pk] if obj is not None else [])
    posted, parameters = _forms_on(client, url, url)
    if page.endswith("_changelist"):
        return [*posted, Form(url, "get", {**dict.fromkeys(LIST_PARAMETERS, []), **parameters})]
    return posted


@st.composite
def fuzzed(draw, form):
    """The form's fields as the page holds them, with some (at least one) given hostile text instead."""
    names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
    spoilt = draw(st.sets(st.sampled_from(names), min_size=1)) if names else set()
    return [
        (name, value)
        for name, values in form.fields.items()
        for value in ([draw(hostile_text)] if name in spoilt else values)
    ]


def send(client, form, fields):
    # Lone surrogates go as the raw bytes a careless client would send.
    body = urlencode(fields, errors="surrogatepass")
    if form.method == "post":
        return client.post(form.action, body, content_type="application/x-www-form-urlencoded")
    return client.get(f"{form.action}?{body}")


def check_forms(client, forms, data):
    for form in forms:
        fields = data.draw(fuzzed(form), label=f"{form.method} {form.action}")
        with transaction.atomic():  # each example on its own: nothing it writes is seen by the next
            response = send(client, form, fields)
            assert response.status_code in ANSWERS, (form.action, response.status_code)
            transaction.set_rollback(True)


@pytest.fixture
def site_forms(request, client, site, db):
    return _site_target(client, site, request.param)


@pytest.fixture
def admin_forms(request, client, site, db):
    return _admin_target(client, site, request.param)


@pytest.mark.parametrize("site_forms", sorted(set(MATRIX) - NOT_FUZZED), indirect=True)
@fuzz_settings(FORM_EXAMPLES)
@given(data=st.data())
def test_site_forms_never_answer_a_server_error(client, site_forms, data):
    check_forms(client, site_forms, data)


@pytest.mark.parametrize("admin_forms", sorted(ADMIN_PAGES), indirect=True)
@fuzz_settings(FORM_EXAMPLES)
@given(data=st.data())
def test_admin_forms_never_answer_a_server_error(client, admin_forms, data):
    check_forms(client, admin_forms, data)

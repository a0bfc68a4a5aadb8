"""Security headers on every response, and templates the Content-Security-Policy can serve unchanged."""

import re
from pathlib import Path

from django.db import transaction
from django.urls import reverse

from tests.test_access_matrix import (  # noqa: F401 (_module_cast and cast: fixtures)
    MATRIX,
    OK,
    SIGNED_IN,
    _module_cast,
    cast,
    project_url_names,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> (move it to static/js/)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler (add the listener in static/js/)"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute (use a class in static/css/)"),
    (re.compile(r"<style\b", re.I), "a <style> element (move it to static/css/)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_templates_have_nothing_the_policy_refuses():
    found = [
        f"{template.relative_to(TEMPLATES)} has {what}: {match.group(0)!r}"
        for template in sorted(TEMPLATES.rglob("*.html"))
        for pattern, what in INLINE
        if (match := pattern.search(template.read_text()))
    ]
    assert not found, "\n".join(found)


def test_python_sets_no_style_attributes():
    packages = [TEMPLATES.parent / name for name in ("accounts", "frameworks", "assessments", "pathway")]
    found = [
        f"{path.relative_to(TEMPLATES.parent)}: {match.group(0)}"
        for package in packages
        for path in sorted(package.rglob("*.py"))
        if (match := re.search(r"""["']style["']\s*:|\sstyle=\\?["']""", path.read_text()))
    ]
    assert not found, "widgets and HTML made in Python take classes, not style attributes:\n" + "\n".join(found)


# Every URL name, signed in and anonymous ----------------------------------------------------------------------


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def check_headers(response, where):
    policy = response.get("Content-Security-Policy")
    assert policy, f"no Content-Security-Policy on {where}"
    policy = directives(policy)
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], f"{directive} on {where}: {policy[directive]}"
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"], where
    assert policy["form-action"] == ["'self'"], where
    cache = {value.strip() for value in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache, f"Cache-Control on {where}: {response.get('Cache-Control')}"
    assert "camera=()" in response.get("Permissions-Policy", ""), f"Permissions-Policy on {where}"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where


def reader(entry) -> str:
    """The first signed-in role that gets the page itself (else the first who gets an answer at all)."""
    return next((role for role in SIGNED_IN if entry.expect[role] == OK), SIGNED_IN[0])


def test_every_page_carries_the_security_headers(client, cast, pdf_not_drawn):  # noqa: F811
    """One request per URL name as someone who gets the page (downloads included), one as anonymous; each
    name's data is rolled back after it, so one organisation serves them all."""
    downloads = 0
    for name in project_url_names():
        entry = MATRIX[name]
        with transaction.atomic():
            url = reverse(name, kwargs=entry.kwargs(cast)) + entry.query
            role = reader(entry)
            client.force_login(cast.user_for(role))
            response = getattr(client, entry.method)(url, entry.data(cast))
            check_headers(response, f"{role} → {url} ({response.status_code})")
            downloads += "attachment" in response.get("Content-Disposition", "")
            client.logout()
            response = getattr(client, entry.method)(url, entry.data(cast))
            check_headers(response, f"anonymous → {url} ({response.status_code})")
            transaction.set_rollback(True)
    assert downloads >= 5  # the CSVs and the PDF were among them


ADMIN_PAGES = {
    "index": lambda people: reverse("admin:index"),
    "people": lambda people: reverse("admin:assessments_person_changelist") + "?q=priya",
    "person": lambda people: reverse("admin:assessments_person_change", args=[people.subject.person.pk]),
    "person history": lambda people: reverse("admin:assessments_person_history", args=[people.subject.person.pk]),
    "people import": lambda people: reverse("admin:assessments_person_import"),
    "framework": lambda people: reverse("admin:frameworks_framework_change", args=[people.framework.pk]),
    "expectations grid": lambda people: reverse("admin:frameworks_framework_expectations", args=[people.framework.pk]),
    "framework import": lambda people: reverse("admin:frameworks_framework_import"),
    "autocomplete": lambda people: (
        reverse("admin:autocomplete") + "?app_label=assessments&model_name=person&field_name=manager&term=ma"
    ),
}


def test_admin_pages_carry_the_security_headers(client, cast):  # noqa: F811
    client.force_login(cast.hr)
    for what, url in ADMIN_PAGES.items():
        response = client.get(url(cast))
        assert response.status_code == 200, (what, response.status_code)
        check_headers(response, what)


def test_static_files_keep_their_caching(client, db, settings):
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get("/static/css/pathway.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Content-Security-Policy" not in response


# gunicorn (make serve) -----------------------------------------------------------------------------------------


def test_gunicorn_names_no_software_in_its_server_header(monkeypatch):
    import runpy
    from types import SimpleNamespace

    import gunicorn.http.wsgi as gunicorn_wsgi

    monkeypatch.setattr(gunicorn_wsgi, "SERVER", gunicorn_wsgi.SERVER)  # put back after the test
    monkeypatch.setattr(gunicorn_wsgi, "SERVER_SOFTWARE", gunicorn_wsgi.SERVER_SOFTWARE)
    config = runpy.run_path(str(TEMPLATES.parent / "pathway" / "gunicorn.conf.py"))
    response = gunicorn_wsgi.Response(SimpleNamespace(version=(1, 1), should_close=lambda: True), None, None)
    response.status = "200 OK"
    headers = "".join(response.default_headers())
    assert "Server: Pathway\r\n" in headers
    assert "gunicorn" not in headers.lower()
    assert config["timeout"] >= 30 and config["accesslog"] == "-"

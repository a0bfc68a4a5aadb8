"""`make run` (DEBUG on) shows Pathway's own "Page not found", and its emails link to the server it starts."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", ["/no-such-page/", "/people/999999/"])
def test_with_debug_on_a_404_is_pathways_own_page(client, settings, pm, path):
    settings.DEBUG = True
    client.force_login(pm)
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Page not found</h1>" in body and "Go to My pathway" in body
    assert "DEBUG = True" not in body and "URLconf" not in body


def test_djangos_technical_404_when_asked_for(client, settings, pm):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    client.force_login(pm)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "DEBUG = True" in response.content.decode()


def test_other_answers_pass_untouched(client, settings, pm):
    settings.DEBUG = True
    client.force_login(pm)
    assert client.get(reverse("home")).status_code == 200


def test_make_run_sets_site_url_from_port():
    # make -n prints the commands without running them; the echo shows the exported SITE_URL.
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "run", "PORT=8123", "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert re.search(r"links in its emails lead to http://127\.0\.0\.1:8123", result.stdout), result.stdout

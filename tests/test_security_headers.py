"""Security headers on every response, and templates the Content-Security-Policy can serve unchanged."""

import re
from pathlib import Path

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

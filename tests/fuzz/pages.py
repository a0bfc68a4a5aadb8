"""Reading a rendered page for what a fuzzer can send: its forms (action, method, fields and their values) and
the query parameters its links use (the admin's filters)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

SKIPPED_INPUTS = ("file", "image", "reset", "button")


@dataclass
class Form:
    action: str  # the path the form is sent to
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values sent as the page stands


class PageReader(HTMLParser):
    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.link_parameters: set[str] = set()
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "a" and attributes.get("href", "").startswith("?"):
            self.link_parameters |= {key for key, _ in parse_qsl(attributes["href"][1:], keep_blank_values=True)}
        elif tag == "form":
            action = urlsplit(urljoin(self.url, attributes.get("action") or self.url)).path
            self._form = Form(action, (attributes.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select:
            self._option(attributes)
        elif not name:
            return
        elif tag == "input":
            self._input(name, attributes)
        elif tag == "select":
            self._select = name
            self._form.fields.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self._form.fields[name] = [""]

    def _input(self, name, attributes):
        kind = attributes.get("type", "text").lower()
        values = self._form.fields.setdefault(name, [])
        if kind in SKIPPED_INPUTS or (kind in ("checkbox", "radio") and "checked" not in attributes):
            return
        values.append(attributes.get("value", "on" if kind == "checkbox" else ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _option(self, attributes):
        values = self._form.fields[self._select]
        if "selected" in attributes or not values:
            values[:] = [attributes.get("value", "")]


def read_page(url, html) -> PageReader:
    reader = PageReader(url)
    reader.feed(html)
    return reader

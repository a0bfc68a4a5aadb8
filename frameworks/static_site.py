"""The public frameworks as a static site (`manage.py export_site DIR`): HTML and CSS to host anywhere or open
from the file system.

Each page is rendered by the framework views themselves, for an anonymous visitor (frameworks/access.py), so a
page holds exactly what the public page shows, and nothing about people. Starting from the list of frameworks,
every link to a page of a public framework's published version is followed and written as a file; links between
written pages become relative paths, links to anything else on the site (sign in, other versions) become plain
text, and the stylesheets are copied from the static files (collected ones first, so hashed names work).
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from frameworks.access import readable_versions
from frameworks.models import Framework

PAGES = {"frameworks:list", "frameworks:detail", "frameworks:level", "frameworks:compare"}
ANCHOR = re.compile(r"<a\b(?P<before>[^>]*?)\bhref=\"(?P<href>[^\"]*)\"(?P<after>[^>]*)>(?P<inner>.*?)</a>", re.S)
ASSET = re.compile(r"(?P<attr>\b(?:href|src))=\"(?P<url>[^\"]*)\"")


class StaticSiteError(Exception):
    """Something stops the export (a page that does not render, a static file that is missing)."""


@dataclass
class StaticSite:
    """The pages written so far, by address (path and sorted query) → file, relative to the output folder."""

    out: Path
    published: dict[str, int]  # public framework key → its published version
    files: dict[tuple, str] = field(default_factory=dict)
    assets: set[str] = field(default_factory=set)


def public_frameworks():
    """The versions the static site shows: the published version of each public framework."""
    return readable_versions(AnonymousUser()).filter(status=Framework.Status.PUBLISHED).order_by("name", "key")


def address(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.path, tuple(sorted(parse_qsl(parts.query)))


def file_for(site: StaticSite, url: str) -> str | None:
    """The file a site address is written to, or None when the static site does not hold that page."""
    path, query = address(url)
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kwargs = match.kwargs
    key = kwargs.get("key")
    if match.view_name == "frameworks:list" and not query:
        return "index.html"
    if key not in site.published:
        return None
    if match.view_name == "frameworks:current" and not query:
        return f"{key}/index.html"
    if kwargs.get("version") != site.published[key] or match.view_name not in PAGES:
        return None
    if match.view_name == "frameworks:detail" and not query:
        return f"{key}/index.html"
    if match.view_name == "frameworks:level" and not query:
        return f"{key}/levels/{kwargs['track_key']}/{kwargs['level_key']}.html"
    if match.view_name == "frameworks:compare":
        if not query:
            return f"{key}/compare/index.html"
        params = dict(query)
        if set(params) == {"from", "to"} and all(re.fullmatch(r"[\w-]+/[\w-]+", v) for v in params.values()):
            # A level's reference is "track-key/level-key"; "." never appears in a key, so "track.level" is unique.
            first, second = (params[name].replace("/", ".") for name in ("from", "to"))
            return f"{key}/compare/{first}/{second}.html"
    return None


def render(url: str) -> str:
    """The page at `url` as an anonymous visitor gets it, marked as a static page (no scripts, forms or sign-in)."""
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    request.static_site = True
    request.resolver_match = resolve(request.path_info)
    match = request.resolver_match
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except ValueError as exc:  # the manifest storage refuses a static file it has not collected
        raise StaticSiteError(f"{exc}. Run `python manage.py collectstatic` first.") from exc
    if response.status_code != 200:
        raise StaticSiteError(f"The page {url} answered {response.status_code}, not a page to write.")
    return response.content.decode()


def relative(from_file: str, to_file: str) -> str:
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def rewrite_links(site: StaticSite, html_text: str, page_url: str, found: list[str]) -> str:
    """Links to written pages become relative file paths (`found` collects them to write next); links to other
    pages of the site become their text; links elsewhere on the web and within the page stay."""

    page_file = file_for(site, page_url)

    def anchor(match):
        href = html.unescape(match["href"])
        if href.startswith("#"):
            return match[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return match[0]
        href = urljoin(page_url, href)
        target = file_for(site, href)
        if target is None:
            return match["inner"]
        found.append(href)
        new_href = relative(page_file, target) + (f"#{parts.fragment}" if parts.fragment else "")
        return f'<a{match["before"].rstrip()} href="{html.escape(new_href)}"{match["after"]}>{match["inner"]}</a>'

    def asset(match):
        url = html.unescape(match["url"])
        if not url.startswith(static_prefix()):
            return match[0]
        name = urlsplit(url).path[len(static_prefix()) :]
        site.assets.add(name)
        return f'{match["attr"]}="{html.escape(relative(page_file, "static/" + name))}"'

    return ASSET.sub(asset, ANCHOR.sub(anchor, html_text))


def static_prefix() -> str:
    """How the static files' addresses start in a page ("/static/")."""
    return settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL


def static_source(name: str) -> Path:
    """A static file: the collected copy (hashed names, as served in production), or the app's own in development."""
    if settings.STATIC_ROOT and (Path(settings.STATIC_ROOT) / name).is_file():
        return Path(settings.STATIC_ROOT) / name
    found = finders.find(name)
    if not found:
        raise StaticSiteError(f"The static file {name} was not found. Run `python manage.py collectstatic` first.")
    return Path(found)


def export_site(out: Path) -> StaticSite:
    """Write the static site into `out` (made if missing; files of the same names are replaced)."""
    site = StaticSite(out=Path(out), published=dict(public_frameworks().values_list("key", "version")))
    start = reverse("frameworks:list")
    queue, seen = deque([start]), {file_for(site, start)}
    while queue:
        url = queue.popleft()
        page_file = file_for(site, url)
        found: list[str] = []
        text = rewrite_links(site, render(url), url, found)
        site.files[address(url)] = page_file
        write(site.out / page_file, text)
        for link in found:
            target = file_for(site, link)
            if target not in seen:
                seen.add(target)
                queue.append(canonical(site, link))
    for name in sorted(site.assets):
        destination = site.out / "static" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static_source(name), destination)
    return site


def canonical(site: StaticSite, url: str) -> str:
    """The address to render for a link: a "current version" address is its framework's published version."""
    match = resolve(address(url)[0])
    if match.view_name != "frameworks:current":
        return url
    return reverse("frameworks:detail", args=[match.kwargs["key"], site.published[match.kwargs["key"]]])


def write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")

"""`manage.py export_site DIR`: the public frameworks as static pages whose links work from the file system."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_framework

LINK = re.compile(r"\b(?:href|src)=\"([^\"]*)\"")


def export(out) -> str:
    stdout = StringIO()
    call_command("export_site", str(out), stdout=stdout)
    return stdout.getvalue()


def local_links(page: Path) -> list[str]:
    return [
        link
        for link in LINK.findall(page.read_text())
        if not link.startswith(("#", "http:", "https:", "mailto:", "data:"))
    ]


@pytest.fixture
def site(tmp_path, framework, pm, manager, hr_admin):
    """The small framework public (version 2 published, a draft 3), a private framework beside it, and people."""
    make_framework(key="secret", name="Secret ladder")
    second = framework.new_version()
    second.publish()
    second.set_public(True)
    second.new_version()
    out = tmp_path / "site"
    return out, export(out), second


def test_export_writes_every_page_of_the_public_framework_with_its_css(site):
    out, said, second = site
    pages = sorted(str(path.relative_to(out)) for path in out.rglob("*.html"))
    levels = [f"product/levels/{ref}.html" for ref in ("ic/ic-1", "ic/ic-2", "ic/ic-3", "management/mgr-1")]
    assert {"index.html", "product/index.html", "product/compare/index.html", *levels} <= set(pages)
    assert "product/compare/ic.ic-1/ic.ic-2.html" in pages  # "see what changes" from a level to the next
    assert f"Wrote {len(pages)} pages for 1 public framework" in said and "index.html" in said
    for css in ("vendor/bootstrap/css/bootstrap.min.css", "css/pathway.css", "css/frameworks.css"):
        assert (out / "static" / css).stat().st_size > 500
    assert not list(out.rglob("*.js"))
    detail = (out / "product/index.html").read_text()
    assert "<h1>Product management</h1>" in detail and "Version 2, published" in detail
    assert 'href="../static/css/pathway.css"' in detail and 'href="levels/ic/ic-2.html"' in detail
    compare = (out / "product/compare/index.html").read_text()
    assert "From IC level 1 to IC level 2" in compare and "To compare other levels, open a level’s page" in compare


def test_every_link_of_the_exported_site_leads_to_a_file_in_it(site):
    out, _, _ = site
    checked = 0
    for page in out.rglob("*.html"):
        for link in local_links(page):
            assert not link.startswith("/"), f"{link} in {page} is an address on the server"
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file() and out.resolve() in target.parents, f"{link} in {page} leads nowhere"
            checked += 1
    assert checked > 100


def test_the_export_holds_no_private_framework_no_draft_and_nothing_about_people(site, pm, manager, hr_admin):
    out, _, _ = site
    assert not (out / "secret").exists()
    everything = "\n".join(page.read_text() for page in out.rglob("*.html"))
    assert "Secret ladder" not in everything
    assert "Version 3" not in everything and "version 1" not in everything.lower()  # no draft, no old version
    for person in (pm, manager, hr_admin):
        assert person.full_name not in everything and person.email not in everything
    for word in ("You are here", "Signed in as", "Sign in", "My pathway", "csrf", "<form", "<script"):
        assert word not in everything, word


def test_export_without_public_frameworks_writes_an_empty_list_and_says_why(tmp_path, framework):
    said = export(tmp_path)
    assert "No framework is public yet" in said and "Make public" in said
    assert "No frameworks have been published yet" in (tmp_path / "index.html").read_text()
    assert not (tmp_path / "product").exists()


def test_export_refuses_a_file_as_its_folder(tmp_path, framework):
    target = tmp_path / "taken.txt"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        export(target)
    assert target.read_text() == "keep me"

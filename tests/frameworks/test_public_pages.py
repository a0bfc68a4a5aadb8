"""Public frameworks: their pages answer anyone without signing in, and say nothing about people to them."""

import pytest
from django.urls import reverse

from frameworks.models import Framework
from tests.factories import make_framework
from tests.frameworks.test_page_queries import pages, sized  # noqa: F401 (sized is a fixture)
from tests.frameworks.test_pages import compare_url, detail_url, diff_url, level_url, text


@pytest.fixture
def public(framework):
    """The small framework, published and public, with Priya (ic-2) and Maya (mgr-1) placed on it."""
    framework.set_public(True)
    return framework


def public_pages(framework):
    return {
        "detail": detail_url(framework),
        "level": level_url(framework, "ic/ic-2"),
        "compare": compare_url(framework, **{"from": "ic/ic-2", "to": "ic/ic-3"}),
        "diff": diff_url(framework.key),
    }


PEOPLE_WORDS = (
    "You are here",
    "(you)",
    "Signed in as",
    "My pathway",
    "My assessments",
    "Start a self-assessment",
    "Continue your",
    "Sign out",
)


@pytest.mark.parametrize("page", ["detail", "level", "compare", "diff"])
def test_anonymous_visitor_reads_a_public_framework_and_nothing_about_people(client, public, pm, manager, page):
    response = client.get(public_pages(public)[page])
    assert response.status_code == 200
    body, words = response.content.decode(), text(response)
    for person in (pm, manager):
        assert person.full_name not in body and person.email not in body
    for word in PEOPLE_WORDS:
        assert word not in words, f"{word!r} on the anonymous {page} page"
    assert 'name="csrfmiddlewaretoken"' not in body  # no form posts anything for an anonymous reader
    # The navigation is the frameworks and a way to sign in, back to this page.
    assert f'href="{reverse("frameworks:list")}"' in body
    assert f"{reverse('login')}?next=" in body and "Sign in" in words


def test_signed_in_reader_keeps_their_own_page_of_a_public_framework(client, public, pm):
    client.force_login(pm)
    detail = text(client.get(detail_url(public)))
    assert "You are here" in detail and "Signed in as Priya Product" in detail and "My pathway" in detail
    assert "Sign in " not in detail
    compare = text(client.get(compare_url(public, **{"from": "ic/ic-2", "to": "ic/ic-3"})))
    assert "Start a self-assessment against" in compare


def test_anonymous_list_shows_public_frameworks_only(client, public):
    make_framework(key="secret", name="Secret ladder")
    public.new_version()  # a draft of the public framework stays unseen
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 200
    words = text(response)
    assert "Product management" in words and "Secret ladder" not in words
    assert "Version 1, published" in words and "Draft" not in words
    assert f'href="{detail_url(public)}"' in response.content.decode()


def test_anonymous_list_without_public_frameworks_says_so(client, framework):
    words = text(client.get(reverse("frameworks:list")))
    assert "Product management" not in words
    assert "No frameworks have been published yet" in words


@pytest.mark.parametrize("page", ["detail", "level", "compare", "diff"])
def test_private_framework_is_not_found_for_anonymous_visitors(client, framework, page):
    response = client.get(public_pages(framework)[page])
    assert response.status_code == 404
    words = text(response)
    assert "Product management" not in words and "Page not found" in words
    # Every anonymous "not found" offers to sign in, so this one says no more than any other.
    assert "Sign in if you have an account" in words
    assert text(client.get("/frameworks/no-such-framework/v1/")) == words


def test_a_public_frameworks_draft_stays_private_and_its_next_version_is_public_when_published(client, public):
    draft = public.new_version()
    assert draft.is_public  # it shows only once published
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(reverse("frameworks:current", args=[public.key]))["Location"] == detail_url(public)
    draft.publish()
    assert client.get(detail_url(draft)).status_code == 200
    assert client.get(detail_url(public)).status_code == 200  # the archived version, still readable as history
    diff = text(client.get(diff_url(public.key)))
    assert "Version 1 (archived)" in diff and "Version 2 (published)" in diff and "draft" not in diff.lower()


def test_publishing_carries_the_published_versions_setting_whatever_the_draft_says(client, public):
    draft = public.new_version()
    Framework.objects.filter(pk=draft.pk).update(is_public=False)  # e.g. a draft imported from a file
    draft.refresh_from_db()
    draft.publish()
    assert Framework.objects.get(pk=draft.pk).is_public
    public.set_public(False)
    assert not Framework.objects.filter(key=public.key, is_public=True).exists()
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(detail_url(public)).status_code == 404  # the archived version goes private too


def test_public_pages_are_never_kept_by_a_browser_or_proxy(client, public):
    response = client.get(detail_url(public))
    # The same address shows a signed-in reader their own level: no shared cache may keep it.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("page", ["detail", "level", "compare", "diff"])
def test_anonymous_public_pages_run_a_fixed_number_of_queries(client, sized, django_assert_max_num_queries, page):  # noqa: F811
    framework, keys, _ = sized
    framework.set_public(True)
    # The framework (1), one query per catalogue table (6, shared by both versions on the diff), the versions (1).
    with django_assert_max_num_queries(9):
        response = client.get(pages(framework, keys)[page])
    assert response.status_code == 200


# HR makes a framework public ----------------------------------------------------------------------


def public_url(framework):
    return reverse("admin:frameworks_framework_public", args=[framework.pk])


def test_hr_makes_a_published_framework_public_then_private_again(hr_client, framework):
    draft = framework.new_version()
    page = hr_client.get(reverse("admin:frameworks_framework_change", args=[framework.pk])).content.decode()
    assert "Make public" in page and "Anyone may read a public framework without signing in" in page
    response = hr_client.post(public_url(framework), {"public": "yes"}, follow=True)
    words = text(response)
    assert "Product management is public: anyone can read it at http://testserver/frameworks/product/" in words
    assert "Public: anyone can read this version without signing in" in words and "Make private" in words
    assert set(Framework.objects.filter(key="product").values_list("is_public", flat=True)) == {True}
    draft.refresh_from_db()
    assert draft.is_public
    response = hr_client.post(public_url(draft), {"public": "no"}, follow=True)
    assert "Product management is private: only people who sign in can read it." in text(response)
    assert not Framework.objects.filter(key="product", is_public=True).exists()
    assert draft.history.filter(is_public=False).exists()  # the audit trail records who changed it


def test_an_unpublished_framework_cannot_be_made_public(hr_client):
    draft = make_framework(key="new", name="New ladder", publish=False)
    page = hr_client.get(reverse("admin:frameworks_framework_change", args=[draft.pk])).content.decode()
    assert "Make public" not in page
    response = hr_client.post(public_url(draft), {"public": "yes"}, follow=True)
    assert "New ladder is not published yet. Publish it first, then make it public." in text(response)
    assert not Framework.objects.get(pk=draft.pk).is_public


def test_making_public_is_post_only_and_for_those_who_change_frameworks(hr_client, framework, manager):
    assert hr_client.get(public_url(framework)).status_code == 405
    client = hr_client
    client.force_login(manager)
    assert client.post(public_url(framework), {"public": "yes"}).status_code == 302  # to the admin's sign-in
    assert not Framework.objects.filter(is_public=True).exists()

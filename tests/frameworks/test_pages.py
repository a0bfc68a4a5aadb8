"""The framework pages everyone reads: list, framework, level, compare levels, version diff."""

import re

import pytest
from django.urls import reverse

from frameworks.models import Capability, Expectation, Framework, ScaleLevel
from tests.factories import make_framework


def detail_url(framework):
    return reverse("frameworks:detail", args=[framework.key, framework.version])


def level_url(framework, ref):
    """The page of the level `ref` names, "track-key/level-key" (a level key is unique only on its track)."""
    return reverse("frameworks:level", args=[framework.key, framework.version, *ref.split("/")])


def compare_url(framework, **params):
    url = reverse("frameworks:compare", args=[framework.key, framework.version])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def diff_url(key, **params):
    url = reverse("frameworks:diff", args=[key])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def text(response) -> str:
    """The page as a reader sees it: tags stripped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def assert_one_h1(response, title):
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f"<title>{title}" in html


def raise_expectation_in_new_version(framework, level_key="ic-2", capability_key="cap-1-1", scale_key="expert"):
    """Publish version 2 of `framework` with one expectation raised; returns the new version."""
    draft = framework.new_version()
    expectation = Expectation.objects.get(level__framework=draft, level__key=level_key, capability__key=capability_key)
    expectation.scale_level = ScaleLevel.objects.get(framework=draft, key=scale_key)
    expectation.save()
    draft.publish()
    framework.refresh_from_db()
    return draft


# Anonymous visitors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("frameworks:list", []),
        ("frameworks:current", ["product"]),
        ("frameworks:detail", ["product", 1]),
        ("frameworks:level", ["product", 1, "ic", "ic-2"]),
        ("frameworks:level_by_key", ["product", 1, "ic-2"]),
        ("frameworks:compare", ["product", 1]),
        ("frameworks:diff", ["product"]),
    ],
)
def test_a_private_frameworks_pages_are_not_found_for_anonymous_visitors(client, framework, name, args):
    # Not a sign-in redirect, which would confirm the framework exists (public ones: test_public_pages.py).
    response = client.get(reverse(name, args=args))
    if name == "frameworks:list":
        assert response.status_code == 200 and "Product management" not in response.content.decode()
    else:
        assert response.status_code == 404


# Framework list --------------------------------------------------------------------------------


def test_list_shows_each_published_framework_with_what_it_holds(client, pm, framework):
    client.force_login(pm)
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 200
    assert_one_h1(response, "Career frameworks")
    page = text(response)
    assert "Product management" in page
    assert "2 tracks, 5 levels, 4 capabilities" in page
    assert "Version 1, published" in page
    assert detail_url(framework) in response.content.decode()


def test_list_hides_drafts_from_a_pm_and_marks_them_for_hr(client, pm, hr_admin, framework):
    framework.new_version()
    make_framework(key="draft-only", name="Engineering ladder", publish=False)

    client.force_login(pm)
    page = text(client.get(reverse("frameworks:list")))
    assert "Engineering ladder" not in page
    assert "Draft" not in page
    assert "Version 2" not in page

    client.force_login(hr_admin)
    page = text(client.get(reverse("frameworks:list")))
    assert "Engineering ladder Draft" in page
    assert "Version 2 Draft" in page


def test_list_marks_archived_versions_for_hr(client, hr_admin, framework):
    raise_expectation_in_new_version(framework)
    client.force_login(hr_admin)
    page = text(client.get(reverse("frameworks:list")))
    assert "Version 2, published" in page
    assert "Version 1 Archived" in page


# Current version -------------------------------------------------------------------------------


def test_framework_key_redirects_to_the_published_version(client, pm, framework):
    new = raise_expectation_in_new_version(framework)
    client.force_login(pm)
    response = client.get(reverse("frameworks:current", args=["product"]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(new)


def test_framework_key_with_only_a_draft_redirects_hr_and_hides_from_pm(client, pm, hr_admin, db):
    draft = make_framework(key="new-ladder", publish=False)
    client.force_login(pm)
    assert client.get(reverse("frameworks:current", args=["new-ladder"])).status_code == 404
    client.force_login(hr_admin)
    response = client.get(reverse("frameworks:current", args=["new-ladder"]))
    assert response.status_code == 302
    assert response["Location"] == detail_url(draft)


def test_unknown_framework_key_is_not_found(client, pm):
    client.force_login(pm)
    assert client.get(reverse("frameworks:current", args=["nope"])).status_code == 404


# Framework page --------------------------------------------------------------------------------


def test_framework_page_shows_pathway_and_matrix_to_a_pm(client, pm, framework):
    client.force_login(pm)
    response = client.get(detail_url(framework))
    assert response.status_code == 200
    assert_one_h1(response, "Product management, version 1")
    html = response.content.decode()
    page = text(response)
    assert "Version 1, published" in page
    # Every level is a link, on the diagram and in the matrix header.
    for ref in ("ic/ic-1", "ic/ic-2", "ic/ic-3", "management/mgr-1", "management/mgr-2"):
        assert html.count(f'href="{level_url(framework, ref)}"') >= 2
    assert re.search(r'<h3 class="pathway__track-name" id="track-ic">\s*Individual contributor\s*</h3>', html)
    assert re.search(r'<h3 class="pathway__track-name" id="track-management">\s*Management\s*</h3>', html)
    assert "Grade 4" in page and "Foundation" in page and "Leadership" in page
    assert "Management track starts here, from IC level 2" in page
    # The matrix: areas as row groups, a dash where a level does not ask.
    assert html.count('scope="rowgroup"') == 2
    assert "Capability 2.2" in page
    assert "Not asked" in page
    assert "Edit in admin" not in page


def test_framework_page_marks_you_are_here_on_the_readers_level(client, pm, framework):
    client.force_login(pm)
    html = client.get(detail_url(framework)).content.decode()
    here = re.findall(r'<li class="pathway__level is-here".*?</li>', html, flags=re.S)
    assert len(here) == 1
    assert "IC level 2" in here[0] and "You are here" in here[0]


def test_you_are_here_follows_the_level_key_into_other_versions(client, pm, framework):
    new = raise_expectation_in_new_version(framework)  # Priya's level is still the version 1 row
    client.force_login(pm)
    html = client.get(detail_url(new)).content.decode()
    here = re.findall(r'<li class="pathway__level is-here".*?</li>', html, flags=re.S)
    assert len(here) == 1 and "IC level 2" in here[0]


def test_reader_without_a_level_sees_no_you_are_here(client, hr_admin, framework):
    client.force_login(hr_admin)
    assert "You are here" not in text(client.get(detail_url(framework)))


def test_pm_cannot_see_a_draft_version(client, pm, framework):
    draft = framework.new_version()
    client.force_login(pm)
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(level_url(draft, "ic/ic-2")).status_code == 404
    assert client.get(compare_url(draft)).status_code == 404


def test_hr_sees_a_draft_with_a_banner(client, hr_admin, framework):
    draft = framework.new_version()
    client.force_login(hr_admin)
    response = client.get(detail_url(draft))
    assert response.status_code == 200
    page = text(response)
    assert "Draft: version 2." in page
    assert "Only HR admins can see this version" in page
    assert "Version 2, not published yet" in page


def admin_url(name, framework, *args):
    return reverse(f"admin:frameworks_framework_{name}", args=[framework.pk, *args])


def test_hr_can_publish_edit_the_grid_and_export_a_draft_from_its_page(hr_client, framework, draft):
    response = hr_client.get(detail_url(draft))
    html, page = response.content.decode(), text(response)
    assert f'href="{admin_url("publish", draft)}">Publish version 2</a>' in html
    assert "You see who it affects before you confirm." in page
    assert "version 1 is archived and people’s levels move to this version" in page
    assert f'href="{admin_url("expectations", draft)}">Edit expectations grid</a>' in html
    assert f'href="{admin_url("export", draft, "yaml")}" download>Export YAML</a>' in html
    assert f'href="{admin_url("export", draft, "json")}" download>Export JSON</a>' in html
    assert admin_url("new_version", draft) not in html  # a draft is changed directly
    assert f'href="{admin_url("change", draft)}">Edit in admin</a>' in html


def test_hr_can_make_a_new_version_export_and_view_the_grid_of_the_published_version(hr_client, framework):
    response = hr_client.get(detail_url(framework))
    html, page = response.content.decode(), text(response)
    assert f'<form method="post" action="{admin_url("new_version", framework)}">' in html
    assert "Make a new version" in page
    assert f'href="{admin_url("expectations", framework)}">View expectations grid</a>' in html
    assert f'href="{admin_url("export", framework, "yaml")}" download>Export YAML</a>' in html
    assert f'href="{admin_url("export", framework, "json")}" download>Export JSON</a>' in html
    assert admin_url("publish", framework) not in html
    assert "Edit expectations grid" not in page


def test_published_page_points_hr_to_the_existing_draft_instead_of_a_new_version(hr_client, framework, draft):
    html = hr_client.get(detail_url(framework)).content.decode()
    assert f'href="{detail_url(draft)}">Open draft version 2</a>' in html
    assert admin_url("new_version", framework) not in html


def test_level_page_of_a_draft_offers_hr_the_publish_button(hr_client, framework, draft):
    html = hr_client.get(level_url(draft, "ic/ic-2")).content.decode()
    assert f'href="{admin_url("publish", draft)}">Publish version 2</a>' in html


@pytest.mark.parametrize("page_url", [detail_url, lambda fw: level_url(fw, "ic/ic-2"), compare_url])
def test_a_pm_never_sees_hr_actions(client, pm, framework, page_url):
    client.force_login(pm)
    response = client.get(page_url(framework))
    html, page = response.content.decode(), text(response)
    assert response.status_code == 200
    assert "/admin/" not in html
    for words in ("Make a new version", "Publish", "Export", "expectations grid", "in admin", "HR admin"):
        assert words not in page


def test_the_publish_button_publishes_for_hr_and_is_refused_for_a_pm(hr_client, pm, hr_admin, framework, draft):
    hr_client.force_login(pm)
    refused = hr_client.post(admin_url("publish", draft))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("admin:login"))
    draft.refresh_from_db()
    assert draft.status == Framework.Status.DRAFT

    hr_client.force_login(hr_admin)
    response = hr_client.post(admin_url("publish", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    framework.refresh_from_db()
    assert draft.status == Framework.Status.PUBLISHED
    assert framework.status == Framework.Status.ARCHIVED


def test_the_new_version_button_makes_a_draft_for_hr_and_is_refused_for_a_pm(hr_client, pm, hr_admin, framework):
    hr_client.force_login(pm)
    refused = hr_client.post(admin_url("new_version", framework))
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("admin:login"))
    assert Framework.objects.filter(key=framework.key).count() == 1

    hr_client.force_login(hr_admin)
    response = hr_client.post(admin_url("new_version", framework))
    assert response.status_code == 302
    assert Framework.objects.get(key=framework.key, status=Framework.Status.DRAFT).version == 2


@pytest.mark.parametrize("args", [["product", 9], ["nope", 1]])
def test_unknown_framework_version_is_not_found(client, pm, framework, args):
    client.force_login(pm)
    assert client.get(reverse("frameworks:detail", args=args)).status_code == 404


def test_archived_version_stays_readable_with_the_old_mastery(client, pm, framework):
    new = raise_expectation_in_new_version(framework)
    client.force_login(pm)

    old_page = client.get(level_url(framework, "ic/ic-2"))
    assert old_page.status_code == 200
    old_text = text(old_page)
    assert "This is an old version" in old_text
    assert "See the current version (version 2)" in old_text
    assert level_url(new, "ic/ic-2") in old_page.content.decode()
    old_row = re.search(r"Capability 1\.1 What capability 1\.1 is about\.(.*?)At this level", old_text).group(1)
    assert "Working" in old_row and "Expert" not in old_row

    new_text = text(client.get(level_url(new, "ic/ic-2")))
    new_row = re.search(r"Capability 1\.1 What capability 1\.1 is about\.(.*?)At this level", new_text).group(1)
    assert "Expert" in new_row
    assert "This is an old version" not in new_text

    detail = text(client.get(detail_url(framework)))
    assert "This is an old version" in detail


# Level page ------------------------------------------------------------------------------------


def test_level_page_shows_expectations_and_what_changes(client, pm, framework):
    client.force_login(pm)
    response = client.get(level_url(framework, "ic/ic-2"))
    assert response.status_code == 200
    assert_one_h1(response, "IC level 2 – Product management, version 1")
    page = text(response)
    assert "Track: Individual contributor" in page
    assert "Grade: 2" in page
    assert "Stage: Foundation" in page
    assert "Summary of IC level 2." in page
    assert "What changes from IC level 1: 3 capabilities rise, 1 is new." in page
    assert (
        compare_url(framework, **{"from": "ic/ic-1", "to": "ic/ic-2"}).replace("&", "&amp;")
        in response.content.decode()
    )
    assert "Next: IC level 3" in page
    assert "You are here" in page
    assert "Capability 1.1 at IC level 2." in page  # what it looks like at this level
    assert page.count("Rises from Awareness") == 3
    assert page.count("New at this level") == 1
    assert "Not asked at this level" not in page


def test_first_level_says_so_and_lists_what_it_does_not_ask(client, pm, framework):
    client.force_login(pm)
    page = text(client.get(level_url(framework, "ic/ic-1")))
    assert "This is the first level on the Individual contributor track." in page
    assert "Not asked at this level Capability 2.2." in page
    assert "Rises from" not in page


def test_first_management_level_compares_with_where_the_track_starts(client, pm, framework):
    client.force_login(pm)
    page = text(client.get(level_url(framework, "management/mgr-1")))
    assert "first level on the Management track, which starts from IC level 2" in page
    assert "What changes from IC level 2: 4 capabilities rise." in page
    assert "Same grade on other tracks: IC level 3 (Individual contributor)" in page


def test_unknown_level_is_not_found(client, pm, framework):
    client.force_login(pm)
    assert client.get(level_url(framework, "ic/nope")).status_code == 404


# Compare levels --------------------------------------------------------------------------------


def test_compare_defaults_to_the_readers_level_and_the_next(client, pm, framework):
    client.force_login(pm)
    response = client.get(compare_url(framework))
    assert response.status_code == 200
    assert_one_h1(response, "Compare IC level 2 with IC level 3")
    page = text(response)
    assert "From IC level 2 to IC level 3: 4 capabilities rise." in page
    html = response.content.decode()
    assert '<option value="ic/ic-2" selected>' in html
    assert '<option value="ic/ic-3" selected>' in html
    assert '<optgroup label="Management">' in html
    assert "?from=ic/ic-3&amp;to=ic/ic-2" in html  # the swap link


def test_compare_without_a_level_starts_at_the_first_level(client, hr_admin, framework):
    client.force_login(hr_admin)
    assert "From IC level 1 to IC level 2" in text(client.get(compare_url(framework)))


def test_compare_sorts_capabilities_by_change(client, pm, framework):
    client.force_login(pm)
    page = text(client.get(compare_url(framework, **{"from": "ic-1", "to": "mgr-1"})))
    assert "From IC level 1 to Manager level 1: 3 capabilities rise, 1 is new." in page
    assert page.index("New (1 capability)") < page.index("Rise by 2 steps or more (3 capabilities)")
    # The bars name both mastery levels; the label only says how far it moves.
    assert "IC level 1: Awareness (1 of 4) → Manager level 1: Practitioner (3 of 4) Rises 2 steps" in page
    assert "IC level 1: — Not asked → Manager level 1: Practitioner (3 of 4) New" in page
    assert "from Awareness to Practitioner" not in page


def test_compare_offers_a_self_assessment_against_the_level_compared_to(client, pm, framework):
    from assessments.reviews.models import Assessment

    client.force_login(pm)
    html = client.get(compare_url(framework)).content.decode()
    target = framework.levels.get(key="ic-3")
    form = re.search(
        r'<form method="post" action="(?P<action>[^"]+)" class="compare-next[^"]*">(?P<body>.*?)</form>', html, re.S
    )
    assert form and form["action"] == reverse("assessments:start")
    assert f'<input type="hidden" name="level" value="{target.pk}">' in form["body"]
    assert "Start a self-assessment against IC level 3" in form["body"]

    response = client.post(form["action"], {"level": target.pk})
    assessment = Assessment.objects.get(subject=pm.person, level=target)
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    assert assessment.kind == Assessment.Kind.SELF


def test_compare_offers_no_self_assessment_against_the_readers_own_level(client, pm, framework):
    client.force_login(pm)
    page = text(client.get(compare_url(framework, **{"from": "ic-1", "to": "ic-2"})))
    assert "From IC level 1 to IC level 2" in page
    assert "Start a self-assessment" not in page


def test_compare_on_an_old_version_or_a_draft_offers_no_self_assessment(client, pm, hr_admin, framework):
    new = raise_expectation_in_new_version(framework)
    client.force_login(pm)
    page = text(client.get(compare_url(framework, **{"from": "ic-2", "to": "ic-3"})))
    assert "From IC level 2 to IC level 3" in page
    assert "Start a self-assessment" not in page
    draft = new.new_version()
    client.force_login(hr_admin)
    page = text(client.get(compare_url(draft, **{"from": "ic-2", "to": "ic-3"})))
    assert "From IC level 2 to IC level 3" in page
    assert "Start a self-assessment" not in page


def test_compare_works_across_tracks_and_backwards(client, pm, framework):
    client.force_login(pm)
    page = text(client.get(compare_url(framework, **{"from": "mgr-2", "to": "ic-1"})))
    assert "From Manager level 2 to IC level 1: 3 capabilities are lower, 1 is no longer asked." in page
    assert page.index("Lower (3 capabilities)") < page.index("No longer asked (1 capability)")
    assert "Manager level 2: Expert (4 of 4) → IC level 1: — Not asked No longer asked" in page
    assert "Manager level 2: Expert (4 of 4) → IC level 1: Awareness (1 of 4) Drops 3 steps" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "nope", "to": "ic-2"}, "There is no level “nope” in version 1 of Product management."),
        ({"from": "ic-1", "to": "<b>x</b>"}, "There is no level “&lt;b&gt;x&lt;/b&gt;”"),
        ({"from": "ic-2", "to": "ic-2"}, "You chose the same level twice."),
    ],
)
def test_compare_with_bad_levels_explains_and_shows_the_form(client, pm, framework, params, message):
    client.force_login(pm)
    response = client.get(compare_url(framework, **params))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'name="from"' in html and 'name="to"' in html
    assert "compare-summary" not in html


def test_compare_at_the_top_level_asks_for_another(client, db):
    from tests.factories import make_user

    framework = make_framework()
    top = make_user("top@example.com", "Top Person", level=framework.levels.get(key="mgr-2"))
    client.force_login(top)
    page = text(client.get(compare_url(framework)))
    assert "Manager level 2 is the most senior level." in page


# Version diff ----------------------------------------------------------------------------------


def test_diff_defaults_to_previous_against_current_and_shows_a_raised_expectation(client, pm, framework):
    raise_expectation_in_new_version(framework)
    client.force_login(pm)
    response = client.get(diff_url("product"))
    assert response.status_code == 200
    assert_one_h1(response, "What changed in Product management")
    page = text(response)
    assert "From version 1 to version 2: 1 expectation raised." in page
    assert "IC level 2 (1 change)" in page
    assert "Raised 2 steps, from Working to Expert" in page


def test_diff_shows_added_removed_renamed_and_moved_capabilities(client, pm, framework):
    draft = framework.new_version()
    Capability.objects.get(framework=draft, key="cap-1-2").delete()
    renamed = Capability.objects.get(framework=draft, key="cap-1-1")
    renamed.name = "Understanding users"
    renamed.save()
    moved = Capability.objects.get(framework=draft, key="cap-2-1")
    moved.area = draft.areas.get(key="area-1")
    moved.save()
    added = Capability.objects.create(framework=draft, area=draft.areas.get(key="area-2"), key="new-cap", name="Ethics")
    Expectation.objects.create(
        level=draft.levels.get(key="ic-1"), capability=added, scale_level=draft.scale_levels.get(key="working")
    )
    level = draft.levels.get(key="mgr-2")
    level.name = "Director"
    level.save()
    draft.publish()

    client.force_login(pm)
    page = text(client.get(diff_url("product", **{"from": 1, "to": 2})))
    assert (
        "From version 1 to version 2: 1 capability added, 1 capability removed, 1 capability renamed, "
        "1 capability moved to another area, 1 level renamed." in page
    )
    assert "Added in version 2 Ethics (Area 2)" in page
    assert "Removed Capability 1.2 (Area 1)" in page
    assert "Capability 1.1 is now called Understanding users" in page
    assert "Capability 2.1: from Area 2 to Area 1" in page
    assert "Manager level 2 is now called Director" in page
    # Whole capabilities coming and going are not repeated level by level.
    assert "Expected mastery, level by level" not in page


def test_diff_between_identical_versions_says_nothing_changed(client, pm, framework):
    framework.new_version().publish()
    client.force_login(pm)
    page = text(client.get(diff_url("product")))
    assert "From version 1 to version 2: no capability, level or expected mastery changed." in page


def test_diff_of_a_single_version_says_there_is_nothing_to_compare(client, pm, framework):
    client.force_login(pm)
    response = client.get(diff_url("product"))
    assert response.status_code == 200
    assert "There is only one version of Product management" in text(response)


def test_diff_never_shows_a_pm_the_draft(client, pm, hr_admin, framework):
    draft = framework.new_version()
    Capability.objects.create(framework=draft, area=draft.areas.first(), key="secret", name="Secret capability")
    client.force_login(pm)
    response = client.get(diff_url("product", **{"from": 1, "to": 2}))
    assert response.status_code == 200
    page = text(response)
    assert "There is only one version of Product management" in page
    assert "Secret capability" not in page

    client.force_login(hr_admin)
    page = text(client.get(diff_url("product", **{"from": 1, "to": 2})))
    assert "1 capability added" in page and "Secret capability" in page


@pytest.mark.parametrize("bad", ["7", "abc"])
def test_diff_with_a_bad_version_explains(client, pm, framework, bad):
    raise_expectation_in_new_version(framework)
    client.force_login(pm)
    response = client.get(diff_url("product", **{"from": bad, "to": 2}))
    assert response.status_code == 200
    assert f"There is no version “{bad}” of Product management to compare." in text(response)
    assert "compare-summary" not in response.content.decode()


def test_diff_of_unknown_framework_is_not_found(client, pm):
    client.force_login(pm)
    assert client.get(diff_url("nope")).status_code == 404


def test_framework_page_links_to_what_changed(client, pm, framework):
    new = raise_expectation_in_new_version(framework)
    client.force_login(pm)
    response = client.get(detail_url(new))
    assert "What changed since version 1" in text(response)
    assert Framework.objects.get(key="product", version=1).status == Framework.Status.ARCHIVED


def test_old_level_links_to_the_current_framework_when_the_level_is_gone(client, pm, framework):
    draft = framework.new_version()
    draft.levels.get(key="mgr-2").delete()
    draft.publish()
    client.force_login(pm)
    response = client.get(level_url(framework, "management/mgr-2"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{detail_url(draft)}">See the current version (version 2)' in html
    assert level_url(draft, "management/mgr-2") not in html


def test_framework_page_lists_the_other_versions_a_reader_may_see(client, pm, hr_admin, framework):
    new = raise_expectation_in_new_version(framework)
    draft = new.new_version()
    client.force_login(pm)
    page = text(client.get(detail_url(new)))
    assert "Other versions: version 1 (archived)" in page
    assert "version 3" not in page
    client.force_login(hr_admin)
    response = client.get(detail_url(new))
    assert "Other versions: version 3 (draft), version 1 (archived)" in text(response)
    assert detail_url(draft) in response.content.decode()


def test_compare_shows_both_expectation_texts_with_what_changes_marked(client, pm, framework):
    client.force_login(pm)
    html = client.get(compare_url(framework, **{"from": "ic/ic-2", "to": "ic/ic-3"})).content.decode()
    assert "IC level 2 expects</p>" in html and "IC level 3 expects</p>" in html
    # "Capability 1.1 at IC level 2." becomes "… at IC level 3.": only the changed word is marked, on each side.
    assert '<p class="change-row__text">Capability 1.1 at IC level <del>2.</del></p>' in html
    assert '<p class="change-row__text">Capability 1.1 at IC level <ins>3.</ins></p>' in html


def test_compare_continues_a_started_self_assessment_with_its_progress(
    client, pm, manager, framework, django_assert_max_num_queries
):
    from assessments.reviews.models import Assessment

    target = framework.levels.get(key="ic-3")
    Assessment.start(subject=manager.person, author=manager.person, level=target)  # someone else's: not offered
    client.force_login(pm)
    assert "Start a self-assessment against IC level 3</button>" in client.get(compare_url(framework)).content.decode()
    draft, _ = Assessment.start(subject=pm.person, author=pm.person, level=target)
    first = draft.ratings.order_by("pk").first()
    draft.ratings.filter(pk=first.pk).update(scale_level=framework.scale_levels.get(key="practitioner"))
    with django_assert_max_num_queries(13):  # as without a draft (tests/frameworks/test_page_queries.py)
        html = client.get(compare_url(framework)).content.decode()
    assert (
        f'<a class="btn btn-primary" href="{draft.get_absolute_url()}">Continue your self-assessment against '
        "IC level 3 — 1 of 4 rated</a>" in html
    )
    assert "Start a self-assessment against" not in html
    # Another level compared to: starting against it outside cycles is another assessment, so "Start" again.
    other = client.get(compare_url(framework, **{"from": "ic-2", "to": "mgr-1"})).content.decode()
    assert "Start a self-assessment against Manager level 1</button>" in other and "Continue" not in other

"""Publishing a framework version: HR first reads who and what it affects, then confirms."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import sync_hr_admin_permissions
from assessments.people.models import Person
from frameworks.models import Capability, Expectation, Framework
from tests.assessments.assessment_helpers import make_cycle, start, submitted
from tests.factories import make_framework, make_user


def preview_url(framework):
    return reverse("admin:frameworks_framework_publish", args=[framework.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def hr_client(client, hr_admin):
    sync_hr_admin_permissions()
    client.force_login(hr_admin)
    return client


@pytest.fixture
def version_2(framework):
    """Version 2 drops capability 1.2 and the top IC level, and adds Pricing."""
    draft = framework.new_version()
    gone = Capability.objects.get(framework=draft, key="cap-1-2")
    Expectation.objects.filter(capability=gone).delete()
    gone.delete()
    Capability.objects.create(framework=draft, area=draft.areas.get(key="area-1"), key="pricing", name="Pricing")
    draft.levels.get(key="ic-3").delete()
    return draft


def test_hr_sees_who_and_what_publishing_affects_before_anything_changes(hr_client, framework, version_2, pm, manager):
    make_user("ida@example.com", "Ida Senior", manager=manager, level=framework.levels.get(key="ic-3"))
    cycle = make_cycle()
    start(pm, pm, framework.levels.get(key="ic-3"), cycle)
    submitted(manager, manager, framework.levels.get(key="mgr-2"), cycle)
    response = hr_client.get(preview_url(version_2))
    assert response.status_code == 200
    page = text(response)
    assert "Publish version 2 of Product management?" in page
    assert "Capabilities added Pricing (Area 1)" in page
    assert "Capabilities removed Capability 1.2 (Area 1)" in page
    assert "2 people move to the same level in version 2." in page
    assert "1 person keeps a level of version 1, because version 2 has no level with that track and key" in page
    assert "IC level 3 (Individual contributor) No such level: they keep IC level 3 1" in page
    assert "Who keeps a level of version 1 Ida Senior, IC level 3" in page
    assert "Maya Manager: Manager level 1 in version 1 to Manager level 1 in version 2" in page
    assert "1 open draft (including any returned for changes) on version 1" in page
    assert "1 submitted assessment on version 1" in page
    assert f'<form method="post" action="{preview_url(version_2)}">' in response.content.decode()
    assert Framework.objects.get(pk=version_2.pk).status == "draft"
    assert Person.objects.get(user=pm).level.framework_id == framework.pk


def test_confirming_publishes_and_moves_people(hr_client, framework, version_2, pm):
    response = hr_client.post(preview_url(version_2), follow=True)
    assert "Version 2 published; version 1 archived." in [str(m) for m in response.context["messages"]]
    assert Framework.objects.get(pk=version_2.pk).status == "published"
    assert Person.objects.get(user=pm).level.framework_id == version_2.pk


def test_long_lists_of_names_stop_with_how_many_more(hr_client, framework, version_2, pm, monkeypatch):
    monkeypatch.setattr("assessments.people.signals.NAMES_SHOWN", 1)
    for n in range(3):
        make_user(f"p{n}@example.com", f"Person {n}", level=framework.levels.get(key="ic-1"))
    page = text(hr_client.get(preview_url(version_2)))
    assert "Who moves Maya Manager: Manager level 1 in version 1 to Manager level 1 in version 2 and 4 more." in page


def test_the_preview_reads_a_fixed_number_of_queries_whatever_the_organisation(
    hr_client, framework, version_2, django_assert_max_num_queries
):
    cycle = make_cycle()

    def grow(start_at, count):
        for n in range(start_at, start_at + count):
            user = make_user(f"p{n}@example.com", f"Person {n}", level=framework.levels.get(key=f"ic-{n % 3 + 1}"))
            start(user, user, framework.levels.get(key="ic-2"), cycle)

    grow(0, 3)
    with django_assert_max_num_queries(40) as small:
        hr_client.get(preview_url(version_2))
    grow(3, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(hr_client.get(preview_url(version_2)))
    assert "15 open drafts" in page


def test_without_an_open_cycle_or_anyone_on_the_version_the_preview_says_so(hr_client, framework, version_2):
    page = text(hr_client.get(preview_url(version_2)))
    assert "Nobody is on a level of version 1, so nobody’s level moves." in page
    assert "No review cycle is open, so no review under way is affected." in page


def test_an_open_cycle_without_assessments_on_the_old_version(hr_client, framework, version_2):
    make_cycle()
    assert "No assessment in 2026 H2 is on version 1." in text(hr_client.get(preview_url(version_2)))


def test_the_first_version_has_nobody_to_move(hr_client, db):
    first = make_framework(key="solo", name="Solo", publish=False)
    page = text(hr_client.get(preview_url(first)))
    assert "This is the first published version of Solo. Nobody is on it yet" in page
    assert "People whose level moves" not in page


def test_a_draft_that_cannot_be_published_shows_why_and_no_publish_button(hr_client, db):
    empty = Framework.objects.create(key="empty", name="Empty")
    response = hr_client.get(preview_url(empty))
    page = text(response)
    assert "Version 1 can’t be published yet" in page and "There are no capabilities." in page
    assert f'<form method="post" action="{preview_url(empty)}">' not in response.content.decode()


def test_a_published_version_has_no_preview(hr_client, framework):
    response = hr_client.get(preview_url(framework), follow=True)
    assert "Version 1 is published; only a draft can be published." in [str(m) for m in response.context["messages"]]


def test_only_hr_may_see_the_preview(client, framework, version_2, pm):
    client.force_login(pm)  # not staff: the admin's sign-in
    response = client.get(preview_url(version_2))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    clerk = make_user("clerk@example.com", "Clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename="view_framework"))
    client.force_login(clerk)
    assert client.get(preview_url(version_2)).status_code == 403
    sync_hr_admin_permissions()
    client.force_login(make_user("hr2@example.com", "Hal", hr_admin=True))
    assert client.get(reverse("admin:frameworks_framework_publish", args=[999999])).status_code == 404

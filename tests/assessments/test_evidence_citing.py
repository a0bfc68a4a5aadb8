"""Citing evidence-log entries in a self-assessment: offered under each capability, cited with one click (htmx or
the plain form), kept by the rating, refused once submitted or in a closed cycle, and shown to the readers."""

import datetime

import pytest
from django.urls import reverse

from assessments.reviews.citations import Citation
from assessments.reviews.models import ReviewCycle
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    make_cycle,
    page_post_data,
    page_url,
    rate_all,
    self_draft_of,
    start,
)
from tests.assessments.growth_helpers import make_entry


@pytest.fixture
def draft(pm):
    return self_draft_of(pm)


def _capability(draft):
    return draft.ratings.select_related("capability").order_by("capability_id").first().capability


def draft_level(user):
    from assessments.reviews.forms import next_level

    return next_level(user.person.level)


def cite_url(draft, capability):
    return reverse("assessments:cite", args=[draft.pk, capability.pk])


def test_each_capability_offers_the_log_entries_tagged_with_it(client, pm, draft):
    capability = _capability(draft)
    make_entry(pm, text="Tagged with the first one", keys={capability.key})
    make_entry(pm, text="Tagged with another", keys={"cap-2-2"})
    client.force_login(pm)
    page = client.get(page_url(draft)).content.decode()
    block = page[page.index(f'id="log-{capability.pk}"') :]
    block = block[: block.index("</details>")]
    assert "Tagged with the first one" in block and "Tagged with another" not in block
    assert "1 entry for this capability" in block and f'value="{capability.pk}:' in block


def test_entries_from_before_the_last_cycle_are_not_offered(client, pm):
    ReviewCycle.objects.create(
        name="2026 H1", starts_on="2026-01-05", ends_on="2026-06-30", status=ReviewCycle.Status.CLOSED
    )
    draft = self_draft_of(pm)  # outside cycles: since the last cycle that ended
    make_entry(pm, text="Old news from May", day=datetime.date(2026, 5, 1))
    make_entry(pm, text="Fresh from August", day=datetime.date(2026, 8, 1))
    client.force_login(pm)
    page = client.get(page_url(draft)).content.decode()
    assert "Fresh from August" in page and "Old news from May" not in page and "since 30 June 2026" in page


def test_one_click_cites_with_htmx_and_the_rating_keeps_the_link(client, pm, draft):
    capability = _capability(draft)
    entry = make_entry(pm, text="Ran the pricing test", keys={capability.key})
    client.force_login(pm)
    response = client.post(cite_url(draft, capability), {"entry": entry.pk, "action": "cite"}, **HTMX_HEADERS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cited from your evidence log" in html and "Remove" in html and "Cited in your evidence." in html
    rating = draft.ratings.get(capability=capability)
    assert list(rating.cited_entries.all()) == [entry]
    assert rating.evidence == ""  # the text the person typed is never touched
    response = client.post(cite_url(draft, capability), {"entry": entry.pk, "action": "remove"}, **HTMX_HEADERS)
    assert response.status_code == 200 and not rating.cited_entries.exists()


def test_without_javascript_the_page_saves_what_was_typed_then_cites(client, pm, draft):
    capability = _capability(draft)
    entry = make_entry(pm, keys={capability.key})
    client.force_login(pm)
    data = page_post_data(draft, changes={capability.pk: {"evidence": "Typed just before citing"}})
    data["cite"] = f"{capability.pk}:{entry.pk}:cite"
    response = client.post(page_url(draft), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#capability-{capability.pk}")
    rating = draft.ratings.get(capability=capability)
    assert rating.evidence == "Typed just before citing" and list(rating.cited_entries.all()) == [entry]
    page = client.get(response["Location"]).content.decode()
    assert "Cited in your evidence." in page


def test_a_refused_save_keeps_the_text_and_cites_nothing(client, pm, draft):
    capability = _capability(draft)
    entry = make_entry(pm, keys={capability.key})
    client.force_login(pm)
    data = page_post_data(draft, changes={capability.pk: {"evidence": "Kept", "scale": "not-a-level"}})
    data["cite"] = f"{capability.pk}:{entry.pk}:cite"
    response = client.post(page_url(draft), data)
    assert response.status_code == 400 and "Kept" in response.content.decode()
    assert not Citation.objects.exists()


def test_nobody_cites_someone_elses_entry(client, pm, manager, stranger, draft):
    capability = _capability(draft)
    theirs = make_entry(stranger, shared=True)
    shared = make_entry(pm, shared=True)
    client.force_login(pm)
    assert client.post(cite_url(draft, capability), {"entry": theirs.pk}, **HTMX_HEADERS).status_code == 404
    client.force_login(manager)  # may read Priya's shared entry, but the draft is not theirs: 404 for the draft
    assert client.post(cite_url(draft, capability), {"entry": shared.pk}).status_code == 404
    assert not Citation.objects.exists()


def test_citing_is_refused_once_submitted(client, pm, draft):
    capability = _capability(draft)
    entry = make_entry(pm, keys={capability.key})
    rate_all(draft)
    assert draft.submit()
    client.force_login(pm)
    response = client.post(cite_url(draft, capability), {"entry": entry.pk}, **HTMX_HEADERS)
    assert response.status_code == 409 and "has been submitted" in response.content.decode()
    assert not Citation.objects.exists()


def test_citing_is_refused_in_a_closed_cycle(client, pm):
    cycle = make_cycle()
    draft = start(pm, pm, draft_level(pm), cycle)
    capability = _capability(draft)
    entry = make_entry(pm, keys={capability.key})
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
    client.force_login(pm)
    response = client.post(cite_url(draft, capability), {"entry": entry.pk}, **HTMX_HEADERS)
    assert response.status_code == 403 and "is closed" in response.content.decode()
    assert response["X-Save-State"] == "refused" and not Citation.objects.exists()


def test_readers_see_the_cited_entries_with_the_submitted_self_assessment(client, pm, manager, draft):
    capability = _capability(draft)
    entry = make_entry(pm, text="Private but cited", keys={capability.key})
    Citation.objects.create(rating=draft.ratings.get(capability=capability), entry=entry)
    rate_all(draft)
    assert draft.submit()
    client.force_login(manager)
    page = client.get(page_url(draft)).content.decode()
    assert "Private but cited" in page and "Cited from the evidence log" in page and "Remove" not in page


def test_the_self_assessment_page_query_count_with_entries(client, pm, draft, django_assert_max_num_queries):
    client.force_login(pm)
    with django_assert_max_num_queries(30) as without:
        client.get(page_url(draft))
    for index, rating in enumerate(draft.ratings.select_related("capability")):
        for day in range(1, 8):
            entry = make_entry(pm, text=f"Entry {index}.{day}", day=datetime.date(2026, 9, day))
        Citation.objects.create(rating=rating, entry=entry)
    with django_assert_max_num_queries(len(without.captured_queries) + 5):
        page = client.get(page_url(draft)).content.decode()
    assert "Entry 0.7" in page and "older entries in your log" in page


def test_the_promotion_report_and_its_pdf_list_the_cited_entries(client, pm, manager):
    from assessments.reports.views import report_url
    from frameworks.models import Level
    from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_review
    from tests.pdf import pdf_text

    ic3 = Level.objects.get(key="ic-3", framework=pm.person.level.framework)
    cycle = make_cycle()
    mine, _ = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    rating = mine.ratings.select_related("capability").order_by("capability_id").first()
    entry = make_entry(pm, text="Shipped the renewal reminders", link="https://example.com/renewals")
    Citation.objects.create(rating=rating, entry=entry)
    client.force_login(manager)
    page = client.get(report_url("promotion", pm.person, ic3, cycle)).content.decode()
    assert "Cited from Priya Product’s evidence log" in page and "Shipped the renewal reminders" in page
    response = client.get(report_url("promotion_pdf", pm.person, ic3, cycle))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Shipped the renewal reminders" in text and "example.com/renewals" in text

"""A rating that cites an entry of the evidence log has evidence, even with no text (the submit check, the page's
hint and its "left to do" count); the manager reads the entries the person cited beside their own rating, on the
manager's assessment page and in the comparison, in a flat number of queries."""

import pytest
from django.urls import reverse

from assessments.reviews import steps as page_steps
from assessments.reviews.citations import Citation
from frameworks.models import Level
from tests.assessments.assessment_helpers import page_url, rate_all, scale, self_draft_of, start
from tests.assessments.growth_helpers import make_entry
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review, set_status


def _above_without_text(draft, framework):
    """Every capability rated, the first one Expert (above the level) with no text: one thing missing."""
    rate_all(draft)
    rating = draft.ratings.select_related("capability").order_by("capability_id").first()
    rating.record(scale_level=scale(framework, "expert"), not_applicable=False, evidence=" ", expected_revision=1)
    return rating


def test_citing_an_entry_is_evidence_enough_to_submit_a_rating_above_the_level(client, pm, framework):
    draft = self_draft_of(pm)
    rating = _above_without_text(draft, framework)
    problems = draft.problems()
    assert [problem.subject for problem in problems] == [rating.capability.name]
    assert problems[0].message.endswith("Write it, or cite an entry from your evidence log.")
    assert sum(count.todo for count in page_steps.area_counts(draft)) == 1
    client.force_login(pm)
    assert "Add evidence: Expert is above" in client.get(page_url(draft)).content.decode()

    Citation.objects.create(rating=rating, entry=make_entry(pm, text="Coached two PMs through their first alpha."))
    assert draft.problems() == []
    assert sum(count.todo for count in page_steps.area_counts(draft)) == 0
    assert "Add evidence: Expert is above" not in client.get(page_url(draft)).content.decode()
    assert client.get(reverse("assessments:check", args=[draft.pk])).status_code == 302  # nothing missing
    assert draft.submit()


@pytest.fixture
def review(pm, manager, framework):
    """Priya's submitted self-assessment against IC level 3, citing two entries on its first capability; Maya's
    assessment of her (submitted)."""
    ic3 = Level.objects.get(key="ic-3", framework=framework)
    cycle = make_cycle()
    mine, theirs = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    rating = mine.ratings.select_related("capability").get(capability__key="cap-1-1")
    for text, link in (
        ("Ran the pricing test with 2,000 customers.", "https://example.com/pricing"),
        ("Led the retro.", ""),
    ):
        Citation.objects.create(rating=rating, entry=make_entry(pm, text=text, link=link))
    return {"self": mine, "manager": theirs, "cycle": cycle, "capability": rating.capability}


def test_the_managers_assessment_page_shows_what_the_person_cited_beside_their_rating(client, manager, review):
    client.force_login(manager)
    page = client.get(page_url(review["manager"])).content.decode()
    block = page[page.index(f'id="capability-{review["capability"].pk}"') :]
    aside = block[block.index('class="capability__theirs"') : block.index("</aside>")]
    assert "Cited from Priya Product’s evidence log" in aside
    assert "Ran the pricing test with 2,000 customers." in aside and "14 Mar 2026" in aside
    assert 'href="https://example.com/pricing"' in aside and "Led the retro." in aside


def test_a_blind_cycle_keeps_the_cited_entries_out_until_the_manager_submits(client, pm, manager, framework):
    ic3 = Level.objects.get(key="ic-3", framework=framework)
    cycle = make_cycle("2026 H2", blind=True)
    mine, theirs = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    set_status(theirs, "draft")
    Citation.objects.create(rating=mine.ratings.first(), entry=make_entry(pm, text="Hidden until both submit"))
    client.force_login(manager)
    assert "Hidden until both submit" not in client.get(page_url(theirs)).content.decode()


def test_the_comparison_lists_the_cited_entries_with_the_persons_evidence(client, manager, pm, review):
    url = (
        f"{reverse('reports:compare', args=[pm.person.pk])}?level={review['self'].level_id}&cycle={review['cycle'].pk}"
    )
    client.force_login(manager)
    page = " ".join(client.get(url).content.decode().split())
    assert "Cited from Priya’s evidence log:" in page
    assert "14 Mar 2026</span>: Ran the pricing test with 2,000 customers." in page


def test_the_pages_read_the_cited_entries_in_one_query_whatever_their_number(
    client, pm, manager, review, django_assert_max_num_queries
):
    url = (
        f"{reverse('reports:compare', args=[pm.person.pk])}?level={review['self'].level_id}&cycle={review['cycle'].pk}"
    )
    client.force_login(manager)
    counts = {}
    for name, address in (("page", page_url(review["manager"])), ("comparison", url)):
        with django_assert_max_num_queries(40) as few:
            client.get(address)
        counts[name] = len(few.captured_queries)
    for rating in review["self"].ratings.all():
        for number in range(4):
            Citation.objects.create(rating=rating, entry=make_entry(pm, text=f"Entry {rating.pk}.{number}"))
    for name, address in (("page", page_url(review["manager"])), ("comparison", url)):
        with django_assert_max_num_queries(counts[name]):
            assert "Entry" in client.get(address).content.decode()


def test_a_manager_rating_above_the_level_still_needs_text(manager, pm, framework):
    draft = start(pm, manager, Level.objects.get(key="ic-3", framework=framework))
    _above_without_text(draft, framework)
    assert draft.problems()[0].message.endswith("that IC level 3 expects.")


def test_citing_with_one_click_clears_the_capabilitys_add_evidence_hint(client, pm, framework):
    from tests.assessments.assessment_helpers import HTMX_HEADERS

    draft = self_draft_of(pm)
    rating = _above_without_text(draft, framework)
    entry = make_entry(pm, text="Coached two PMs.", keys={rating.capability.key})
    url = reverse("assessments:cite", args=[draft.pk, rating.capability_id])
    client.force_login(pm)
    html = client.post(url, {"entry": entry.pk, "action": "cite"}, **HTMX_HEADERS).content.decode()
    assert f'id="save-{rating.capability_id}" role="status" hx-swap-oob="true">' in html
    assert "The cited entry counts as evidence." in html and "Add evidence" not in html
    html = client.post(url, {"entry": entry.pk, "action": "remove"}, **HTMX_HEADERS).content.decode()
    assert "Add evidence: Expert is above the Practitioner this level expects." in html


def test_citing_leaves_the_save_state_alone_when_the_rating_has_text(client, pm, framework):
    from tests.assessments.assessment_helpers import HTMX_HEADERS

    draft = rate_all(self_draft_of(pm))
    rating = draft.ratings.first()
    entry = make_entry(pm, text="Coached two PMs.")
    client.force_login(pm)
    url = reverse("assessments:cite", args=[draft.pk, rating.capability_id])
    assert "hx-swap-oob" not in client.post(url, {"entry": entry.pk}, **HTMX_HEADERS).content.decode()

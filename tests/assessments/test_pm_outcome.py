"""The PM's side of a review: a returned self-assessment on My pathway, the manager's comment and the gaps of a
shared outcome (each linked to what the target level expects), and the PM's own summary on the comparison and
the promotion report (HTML and PDF) for whoever may read the self-assessment, never from a draft."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.reports.views import report_url
from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_cycle, make_review
from tests.factories import make_user
from tests.pdf import pdf_text

HOME = reverse("home")
SUMMARY = "I led the pricing discovery and want to grow my strategy work."


def words(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def ic3(framework):
    return framework.levels.get(key="ic-3")


def shared_review(pm, manager, ic3, cycle=None, **details):
    details.setdefault("overall_comment", "Great year on research; next, own the roadmap.")
    return make_review(
        pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle, manager_status=Assessment.Status.SHARED, **details
    )


# My pathway: returned for changes ------------------------------------------------------------------------


def test_a_returned_self_assessment_shows_on_home_with_the_comment_and_a_way_back(client, pm, manager, ic3):
    cycle = make_cycle("2026 H2", start=datetime.date(2026, 7, 1))
    mine = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)[0]
    assert mine.return_for_changes(by=manager.person, comment="Say more about the pricing work.")
    Assessment.objects.filter(pk=mine.pk).update(returned_at=timezone.make_aware(datetime.datetime(2026, 11, 3)))
    client.force_login(pm)
    html = words(client.get(HOME))
    assert "<strong>Returned for changes</strong> by Maya Manager on 3 Nov:" in html
    assert "“Say more about the pricing work.”" in html
    assert f'href="/assessments/{mine.pk}/">Make changes<span class="visually-hidden"> to your self-assessment' in html
    page = words(client.get(mine.get_absolute_url()))
    assert "Say more about the pricing work." in page


def test_a_returned_self_assessment_shows_at_the_top_of_a_track_too(client, manager, framework):
    top = framework.levels.filter(track__key="ic").order_by("-position").first()
    lead = make_user("lee@example.com", "Lee Lead", manager=manager, level=top)
    mine = make_review(lead, manager, top, SELF_RANKS, MANAGER_RANKS)[0]
    assert mine.return_for_changes(by=manager.person, comment="Add your evidence for 2.1.")
    client.force_login(lead)
    html = words(client.get(HOME))
    assert "<strong>Returned for changes</strong> by Maya Manager" in html
    assert "“Add your evidence for 2.1.”" in html
    assert f'href="/assessments/{mine.pk}/">Make changes' in html


# My pathway: the shared outcome ----------------------------------------------------------------------------


def test_the_shared_outcome_shows_the_managers_comment_and_links_each_gap_to_the_target_level(client, pm, manager, ic3):
    shared_review(pm, manager, ic3, make_cycle())
    client.force_login(pm)
    html = words(client.get(HOME))
    assert "Maya Manager’s comment</h3>" in html
    assert "Great year on research; next, own the roadmap." in html
    assert "Where you are below IC level 3</h3>" in html
    level_url = ic3.get_absolute_url()
    # Manager put 1.2 and 2.1 one step below Practitioner; 1.1 and 2.2 meet it.
    for key, name in (("cap-1-2", "Capability 1.2"), ("cap-2-1", "Capability 2.1")):
        assert (
            f'<a href="{level_url}#capability-{key}">{name}<span class="visually-hidden">: what IC level 3 expects'
            f"</span></a> — 1 step below"
        ) in html
    assert "#capability-cap-1-1" not in html
    # The anchor is on the level's page, on that capability's expectation.
    level_page = client.get(level_url).content.decode()
    assert '<li class="expectation" id="capability-cap-1-2">' in level_page


def test_an_agreed_rating_closes_a_gap_on_home(client, pm, manager, ic3):
    from tests.assessments.report_fixtures import agree

    _, theirs = shared_review(pm, manager, ic3, make_cycle())
    agree(theirs, {"cap-1-2": 3})
    client.force_login(pm)
    html = client.get(HOME).content.decode()
    assert "#capability-cap-1-2" not in html
    assert "#capability-cap-2-1" in html


def test_a_shared_outcome_without_comment_or_gaps_says_neither(client, pm, manager, ic3):
    ranks = dict.fromkeys(SELF_RANKS, 3)
    make_review(
        pm, manager, ic3, ranks, ranks, manager_status=Assessment.Status.SHARED, overall_comment="", cycle=make_cycle()
    )
    client.force_login(pm)
    html = client.get(HOME).content.decode()
    assert "Your latest outcome" in html
    assert "’s comment</h3>" not in html
    assert "Where you are below" not in html


def test_the_comment_of_an_unshared_manager_assessment_stays_off_home(client, pm, manager, ic3):
    make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, overall_comment="Private until shared.")
    client.force_login(pm)
    assert "Private until shared." not in client.get(HOME).content.decode()


@pytest.mark.parametrize("reviews", [1, 5])
def test_home_with_comment_and_gaps_keeps_its_query_count(
    client, pm, manager, ic3, reviews, django_assert_max_num_queries
):
    for number in range(reviews):
        shared_review(pm, manager, ic3, make_cycle(f"{2020 + number} H1", start=datetime.date(2020 + number, 1, 1)))
    client.force_login(pm)
    # As before the comment and gaps: they come from the comparison already built for the verdict (10: the
    # next-step card's levels and their expectations; my own assessments once, for the card and the outcome; no
    # team to count nor reviews waiting for someone with no reports; What's next in one statement).
    with django_assert_max_num_queries(10):
        response = client.get(HOME)
    assert response.content.decode().count("#capability-cap-") == 2


# The PM's summary on the comparison and the promotion report ---------------------------------------------------


def with_summary(pm, manager, ic3, *, self_status="submitted", cycle=None):
    mine, theirs = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle, self_status=self_status)
    Assessment.objects.filter(pk=mine.pk).update(overall_comment=SUMMARY)
    return mine, theirs


@pytest.mark.parametrize("page", ["compare", "promotion"])
def test_the_pms_summary_reaches_the_comparison_and_the_promotion_report(client, pm, manager, hr_admin, ic3, page):
    cycle = make_cycle()
    with_summary(pm, manager, ic3, cycle=cycle)
    url = report_url(page, pm.person, ic3, cycle)
    for user, heading in ((manager, "Priya Product’s summary"), (hr_admin, "Priya Product’s summary")):
        client.force_login(user)
        html = words(client.get(url))
        assert f'<h2 id="self-summary-heading" class="report-self-summary__title">{heading}</h2>' in html
        assert SUMMARY in html
        assert "From their self-assessment, submitted" in html


def test_the_subject_reads_their_own_summary_as_theirs(client, pm, manager, ic3):
    cycle = make_cycle()
    with_summary(pm, manager, ic3, cycle=cycle)
    Assessment.objects.filter(kind=Assessment.Kind.MANAGER).update(status=Assessment.Status.SHARED)
    client.force_login(pm)
    html = words(client.get(report_url("compare", pm.person, ic3, cycle)))
    assert "Your summary</h2>" in html and "From your self-assessment" in html


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_a_draft_summary_stays_private_to_its_author(client, pm, manager, hr_admin, ic3, status):
    cycle = make_cycle()
    with_summary(pm, manager, ic3, self_status=status, cycle=cycle)
    for page in ("compare", "promotion"):
        url = report_url(page, pm.person, ic3, cycle)
        for user in (manager, hr_admin):
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200
            assert SUMMARY not in response.content.decode()
            assert "self-summary-heading" not in response.content.decode()
        # The subject reads the comparison once the manager assessment is shared with them.
        Assessment.objects.filter(kind=Assessment.Kind.MANAGER).update(status=Assessment.Status.SHARED)
        client.force_login(pm)
        html = words(client.get(url))
        assert SUMMARY in html
        assert "(draft: only you can see it until you submit)" in html


def test_a_blind_cycle_keeps_the_summary_from_the_manager_until_they_submit(client, pm, manager, ic3):
    cycle = make_cycle(blind=True)
    with_summary(pm, manager, ic3, cycle=cycle)
    Assessment.objects.filter(kind=Assessment.Kind.MANAGER).update(status=Assessment.Status.DRAFT)
    client.force_login(manager)
    assert SUMMARY not in client.get(report_url("compare", pm.person, ic3, cycle)).content.decode()


def test_the_pms_summary_is_in_the_promotion_pdf(client, pm, manager, ic3):
    cycle = make_cycle()
    with_summary(pm, manager, ic3, cycle=cycle)
    client.force_login(manager)
    response = client.get(report_url("promotion_pdf", pm.person, ic3, cycle))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Priya Product’s summary" in text or "Priya Product's summary" in text
    assert SUMMARY in text


def test_no_summary_no_section(client, pm, manager, ic3):
    cycle = make_cycle()
    make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    client.force_login(manager)
    for page in ("compare", "promotion"):
        assert "self-summary-heading" not in client.get(report_url(page, pm.person, ic3, cycle)).content.decode()

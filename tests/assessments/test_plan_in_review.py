"""Development plan items beside a review: under each capability of a self-assessment, for those who may work on the
plan only, in one query for all capabilities."""

import pytest

from assessments.growth.plans import PlanItem
from tests.assessments.assessment_helpers import page_url, rate_all, self_draft_of
from tests.assessments.plan_helpers import make_plan_item


@pytest.fixture
def draft(pm):
    return self_draft_of(pm)


def _capabilities(draft):
    return [rating.capability for rating in draft.ratings.select_related("capability").order_by("capability_id")]


def test_plan_items_show_under_their_capability_with_status_for_the_plan_people_only(
    client, pm, manager, stranger, hr_admin, draft
):
    first, second = _capabilities(draft)[:2]
    make_plan_item(pm, capability=first, days=12, status=PlanItem.Status.IN_PROGRESS, action="Run a discovery")
    make_plan_item(pm, capability=second, days=-3, action="Write a strategy")
    client.force_login(pm)
    page = client.get(page_url(draft)).content.decode()
    assert "In your development plan" in page
    assert "In progress, due in 12 days" in page and "Not started, 3 days overdue" in page
    # Each item sits under its own capability: the first's block comes before the second capability's name.
    assert (
        page.index(first.name)
        < page.index("Run a discovery")
        < page.index(second.name)
        < page.index("Write a strategy")
    )
    rate_all(draft)
    assert draft.submit()
    client.force_login(manager)
    assert "Run a discovery" in client.get(page_url(draft)).content.decode()
    for reader in (stranger, hr_admin):
        client.force_login(reader)
        assert "Run a discovery" not in client.get(page_url(draft)).content.decode()


def test_plan_items_cost_one_query_whatever_the_number_of_capabilities(
    client, pm, draft, django_assert_max_num_queries
):
    client.force_login(pm)
    with django_assert_max_num_queries(40) as without:
        client.get(page_url(draft))
    for capability in _capabilities(draft):
        for days in (5, 10):
            make_plan_item(pm, capability=capability, days=days, action=f"Do {capability.key} in {days}")
    with django_assert_max_num_queries(len(without.captured_queries) + 1):
        page = client.get(page_url(draft)).content.decode()
    assert page.count("In your development plan") == len(_capabilities(draft))


def test_the_promotion_report_and_its_pdf_show_the_plans_progress(client, pm, manager, hr_admin):
    from assessments.reports.views import report_url
    from frameworks.models import Level
    from tests.assessments.assessment_helpers import make_cycle
    from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, make_review
    from tests.pdf import pdf_text

    ic3 = Level.objects.get(key="ic-3", framework=pm.person.level.framework)
    cycle = make_cycle()
    mine, _ = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    capability = mine.ratings.select_related("capability").order_by("capability_id").first().capability
    make_plan_item(pm, capability=capability, days=-2, action="Run a discovery")
    make_plan_item(pm, capability=capability, status=PlanItem.Status.DONE, action="Read the research guide")
    url = report_url("promotion", pm.person, ic3, cycle)
    for reader in (manager, hr_admin):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "1 of 2 plan items done; 1 overdue." in page
        assert "Run a discovery: Not started, 2 days overdue" in page and "Read the research guide: Done" in page
    response = client.get(report_url("promotion_pdf", pm.person, ic3, cycle))
    text = " ".join(pdf_text(response.content).split())
    assert "1 of 2 plan items done; 1 overdue." in text and "Run a discovery" in text

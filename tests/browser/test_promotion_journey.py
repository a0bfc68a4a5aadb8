"""The promotion journey in Chromium: a manager compares, agrees, downloads the report, looks at the team
and at calibration; the PM then sees the shared outcome and never the manager's draft."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessments.growth.plans import PlanItem
from assessments.reviews.citations import Citation
from assessments.reviews.models import Assessment
from tests.assessments.growth_helpers import make_entry
from tests.assessments.plan_helpers import make_plan_item
from tests.assessments.report_fixtures import make_cycle, make_manager, make_review
from tests.factories import make_framework, make_user
from tests.pdf import pdf_text

pytestmark = pytest.mark.browser

NAMES = [
    ("User research and insight", "User insight"),
    ("Product strategy", "Strategy"),
    ("Roadmapping and prioritisation", "Roadmaps"),
    ("Delivery", ""),
    ("Stakeholder management", "Stakeholders"),
    ("Communication", ""),
    ("Data literacy", "Data"),
    ("Technical understanding", "Technical"),
    ("Coaching others", "Coaching"),
]


@pytest.fixture
def framework(db):
    framework = make_framework(areas=3, capabilities_per_area=3, publish=False)
    for capability, (name, short) in zip(framework.capabilities.order_by("key"), NAMES, strict=True):
        capability.name, capability.short_name = name, short
        capability.save()
    framework.publish()
    return framework


def ranks(framework, values):
    return dict(zip(framework.capabilities.order_by("key").values_list("key", flat=True), values, strict=True))


@pytest.fixture
def org(framework, manager, pm, hr_admin):
    """Maya leads Priya and Alex, and Leo, who manages Nina: so Maya is a head and sees calibration."""
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    alex = make_user("alex@example.com", "Alex Analyst", manager=manager, level=ic2)
    leo = make_user("leo@example.com", "Leo Lead", manager=manager, level=framework.levels.get(key="mgr-1"))
    nina = make_user("nina@example.com", "Nina New", manager=leo, level=ic2)
    h1 = make_cycle("2025 H2", start=datetime.date(2025, 7, 1))
    h2 = make_cycle("2026 H1")
    # An earlier review of Priya, for the history.
    make_review(pm, manager, ic3, ranks(framework, [2, 2, 2, 2, 2, 2, 2, 2, 2]), ranks(framework, [2] * 9), cycle=h1)
    # This cycle: Priya rates herself higher than Maya does on strategy and data.
    make_review(
        pm,
        manager,
        ic3,
        ranks(framework, [3, 4, 3, 3, 3, 3, 3, 2, 3]),
        ranks(framework, [3, 2, 3, 3, 4, 3, 2, 2, 3]),
        cycle=h2,
        recommendation=Assessment.Recommendation.NOT_YET,
        rationale="Priya leads discovery well; product strategy needs another cycle of practice.",
    )
    make_review(alex, manager, ic3, ranks(framework, [3] * 9), ranks(framework, [3, 3, 4, 3, 3, 3, 3, 3, 3]), cycle=h2)
    make_review(nina, leo, ic3, ranks(framework, [2] * 9), ranks(framework, [4, 4, 4, 3, 4, 4, 3, 4, 4]), cycle=h2)
    return {"h1": h1, "h2": h2, "ic3": ic3}


def _cited_and_planned(pm, framework, cycle):
    """Priya cited an entry of her log on Product strategy, and her plan has two items for it, one done."""
    mine = Assessment.objects.get(subject=pm.person, cycle=cycle, kind="self")
    strategy = framework.capabilities.get(name="Product strategy")
    entry = make_entry(pm, text="Wrote the pricing strategy for checkout", link="https://example.com/pricing")
    Citation.objects.create(rating=mine.ratings.get(capability=strategy), entry=entry)
    make_plan_item(pm, capability=strategy, days=-20, status=PlanItem.Status.DONE, action="Shadow the strategy review")
    make_plan_item(pm, capability=strategy, days=25, action="Write the strategy for the partner API")


def test_manager_takes_a_promotion_case_from_comparison_to_pdf(
    page, org, framework, pm, manager, password, axe, screenshot, sign_in, tmp_path
):
    _cited_and_planned(pm, framework, org["h2"])
    sign_in(page, "maya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Product")
    verdict = page.locator(".verdict").first
    expect(verdict).to_contain_text("Nearly")
    expect(verdict).to_contain_text("3 capabilities below IC level 3: Product strategy, Data literacy, Technical")
    groups = page.locator(".report-group__title")
    expect(groups.first).to_contain_text("Disagreements")
    first_group = page.locator(".report-group").first
    expect(first_group).to_contain_text("Product strategy")
    expect(first_group).to_contain_text("Data literacy")
    expect(page.locator("svg.chart title").first).to_contain_text("Priya Product")
    axe(page)
    screenshot(page, "report-comparison")

    # Agree Practitioner on strategy: the one row changed needs a note, named at its row; untouched disagreements none.
    page.get_by_label("Agreed rating for Product strategy", exact=True).select_option(label="Practitioner")
    page.get_by_role("button", name="Save agreed ratings").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    error = "Add a note on Product strategy: say why the agreed rating changed from Working to Practitioner."
    expect(page.get_by_text(error)).to_have_count(2)
    expect(page.get_by_text("Add a note on")).to_have_count(2)
    expect(page.get_by_label("Agreed rating for Product strategy", exact=True)).to_have_value(
        str(framework.scale_levels.get(rank=3).pk)
    )
    axe(page)
    page.get_by_label("Note on the agreed rating for Product strategy").fill("Led the pricing strategy in Q2.")
    page.get_by_role("button", name="Save agreed ratings").click()
    expect(page.get_by_text("Saved: 1 agreed rating changed.")).to_be_visible()  # at the next step, Recommend
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")  # back up to the report's links
    manager_assessment = Assessment.objects.get(subject=pm.person, cycle=org["h2"], kind="manager")
    agreed = manager_assessment.ratings.get(capability__name="Product strategy")
    assert agreed.agreed_scale_level.rank == 3 and agreed.agreed_note == "Led the pricing strategy in Q2."

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Promotion report (PDF)").click()
    download = download_info.value
    assert re.fullmatch(r"promotion-report-priya-product-ic-level-3-2026-h1\.pdf", download.suggested_filename)
    pdf = tmp_path / "report.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf.read_bytes())
    assert "Priya Product" in text
    assert "Nearly" in text
    flat = " ".join(text.split())
    assert "Wrote the pricing strategy for checkout" in flat  # the cited entry, under Product strategy
    assert "1 of 2 plan items done." in flat
    assert "Write the strategy for the partner API: Not started, due in 25 days" in flat

    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Product")
    expect(page.get_by_text("product strategy needs another cycle")).to_be_visible()
    expect(page.locator(".promotion-cited")).to_contain_text("Wrote the pricing strategy for checkout")
    plan = page.get_by_role("region", name="Development plan")
    expect(plan).to_contain_text("1 of 2 plan items done.")
    expect(plan).to_contain_text("Shadow the strategy review: Done")
    axe(page)
    screenshot(page, "report-promotion")

    page.goto(f"/reports/people/{pm.person.pk}/history/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ratings over time")
    axe(page)
    screenshot(page, "report-history")

    page.goto("/reports/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team heatmap")
    expect(page.get_by_role("link", name="Priya Product")).to_be_visible()
    expect(page.get_by_role("link", name="Nina New")).to_be_visible()
    axe(page)
    screenshot(page, "report-team-heatmap")
    page.get_by_role("link", name="Priya Product").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Product")

    page.goto("/reports/calibration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calibration")
    expect(page.get_by_text("Leo Lead rates 0.8 steps above expectation on average")).to_be_visible()
    axe(page)
    screenshot(page, "report-calibration")


def test_pm_sees_the_shared_outcome_but_never_the_managers_draft(
    page, org, framework, pm, manager, password, axe, screenshot, sign_in
):
    shared = Assessment.objects.get(subject=pm.person, cycle=org["h2"], kind="manager")
    strategy = shared.ratings.get(capability__name="Product strategy")
    strategy.agreed_scale_level = framework.scale_levels.get(rank=3)
    strategy.agreed_note = "Agreed in the review meeting."
    strategy.save()
    shared.share()
    later = make_cycle("2026 H2", start=datetime.date(2026, 7, 1))
    make_manager(
        pm,
        manager,
        org["ic3"],
        ranks(framework, [1] * 9),
        cycle=later,
        status="draft",
        evidence=dict.fromkeys(ranks(framework, [1] * 9), "Draft thoughts nobody else may read"),
    )

    sign_in(page, "priya@example.com", password)
    page.goto(f"/reports/people/{pm.person.pk}/compare/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya Product")
    expect(page.locator(".report-eyebrow")).to_contain_text("2026 H1")
    expect(page.get_by_text("Agreed in the review meeting.")).to_be_visible()
    expect(page.get_by_role("button", name="Save agreed ratings")).to_have_count(0)
    assert "Draft thoughts nobody else may read" not in page.content()
    axe(page)
    screenshot(page, "report-comparison-pm")

    response = page.goto(f"/reports/people/{pm.person.pk}/compare/?level={org['ic3'].pk}&cycle={later.pk}")
    assert response.status == 404
    response = page.goto("/reports/team/")
    assert response.status == 404

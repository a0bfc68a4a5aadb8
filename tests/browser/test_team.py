"""The people journey in Chromium, on the demo organisation: a manager opens My team (each report's review
status and verdict) and a report's page; a peer gets "Page not found" on the same address; a PM reads the
latest outcome shared with them on My pathway."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_manager_opens_team_and_a_report_and_a_peer_gets_404(page, demo, axe, screenshot, sign_in):
    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My pathway")
    expect(page.get_by_text("You manage 3 people: 3 directly.")).to_be_visible()
    axe(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    ravi = page.get_by_role("row", name=re.compile("Ravi Shah"))
    expect(ravi).to_contain_text("Product Manager")
    # Ravi's 2026 H2 self-assessment is a draft: My team goes by the 2026 H1 review, shared with him.
    expect(ravi.locator('td[data-label="Self-assessment"]')).to_contain_text("Submitted")
    expect(ravi.locator('td[data-label="Manager assessment"]')).to_contain_text("Shared")
    expect(ravi.locator(".verdict__chip")).to_have_text(re.compile("Ready|Nearly|Not yet"))
    expect(ravi).not_to_contain_text("Draft")
    bea = page.get_by_role("row", name=re.compile("Bea Carter"))  # her only assessment is a draft: private
    expect(bea.locator('td[data-label="Self-assessment"]')).to_have_text("Not submitted")
    expect(bea.locator('td[data-label="Verdict"]')).to_have_text("Not assessed yet")
    expect(bea.get_by_role("button", name="Assess Bea Carter")).to_be_visible()
    alex = page.get_by_role("row", name=re.compile("Alex Morgan"))
    expect(alex.locator('td[data-label="Self-assessment"]')).to_contain_text("Submitted")
    expect(alex.locator('td[data-label="Manager assessment"]')).to_contain_text("Draft")  # Leo's own
    expect(alex.get_by_role("link", name="Continue assessment of Alex Morgan")).to_be_visible()
    expect(page.get_by_role("link", name="See the team heatmap")).to_be_visible()
    axe(page)
    screenshot(page, "team")

    alex.get_by_role("link", name="Compare Alex Morgan’s ratings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alex Morgan")
    page.go_back()

    page.get_by_role("link", name="Ravi Shah", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ravi Shah")
    expect(page.get_by_role("link", name="Leo Lambert")).to_be_visible()
    ravi_url = page.url
    axe(page)
    screenshot(page, "person")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "alex@example.com", DEMO_PASSWORD)  # Ravi's peer: both report to Leo
    # Alex's home leads with his demo plan (one item overdue) and evidence log.
    next_up = page.get_by_role("region", name="What’s next for you")
    expect(next_up).to_contain_text("1 plan item due in the next 30 days, 1 overdue; 1 more due later.")
    expect(next_up).to_contain_text("Chair the councils’ forum for a quarter")
    axe(page)
    screenshot(page, "home-demo-plan")
    response = page.goto(ravi_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Ravi")
    axe(page)
    screenshot(page, "not-found")


def test_pm_home_shows_level_manager_and_next_step(page, demo, axe, screenshot, sign_in):
    sign_in(page, "dev@example.com", DEMO_PASSWORD)
    main = page.locator("main")
    expect(main).to_contain_text("You are a Senior Product Manager on Product management (IC and management tracks).")
    expect(main).to_contain_text("Your manager is Grace Park")
    expect(page.get_by_role("heading", level=2, name="Principal Product Manager")).to_be_visible()
    expect(page.get_by_role("link", name="Compare levels")).to_be_visible()
    expect(main).to_contain_text("Or move to the")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My team")).to_have_count(0)
    axe(page)
    screenshot(page, "home-pm")

    page.get_by_role("link", name="Compare levels").click()
    expect(page).to_have_url(
        re.compile(r"/frameworks/product-tracks/v1/compare/\?from=ic/senior-pm&to=ic/principal-pm$")
    )


def test_pm_home_shows_the_latest_shared_outcome(page, demo, axe, screenshot, sign_in):
    sign_in(page, "ravi@example.com", DEMO_PASSWORD)
    outcome = page.get_by_role("region", name="Your latest outcome")
    expect(outcome).to_contain_text("Leo Lambert assessed you against")
    expect(outcome).to_contain_text("in the 2026 H1 review cycle")
    expect(outcome.locator(".verdict__chip")).to_have_text(re.compile("Ready|Nearly|Not yet"))
    expect(outcome.locator(".verdict__reasons li").first).to_be_visible()
    expect(outcome.get_by_role("link", name="Promotion report")).to_be_visible()
    axe(page)
    screenshot(page, "home-outcome")

    outcome.get_by_role("link", name="See the comparison").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ravi Shah")
    expect(page.locator("main")).to_contain_text("2026 H1")


def test_new_joiner_home_says_the_level_is_not_set(page, demo, axe, screenshot, sign_in):
    sign_in(page, "finn@example.com", DEMO_PASSWORD)
    main = page.locator("main")
    expect(page.get_by_role("heading", level=2)).to_have_text("Your level has not been set yet")
    expect(main).to_contain_text("Your manager, Grace Park, or HR sets it.")
    axe(page)
    screenshot(page, "home-new-joiner")


def test_head_of_product_sees_teams_grouped_under_their_managers(page, demo, axe, screenshot, sign_in):
    sign_in(page, "nadia@example.com", DEMO_PASSWORD)
    page.goto("/team/")
    group = page.locator("details", has_text="Grace Park’s team")
    expect(group.get_by_role("link", name="Dev Patel", exact=True)).to_be_hidden()  # collapsed by default
    group.locator("summary").click()
    expect(group.get_by_role("link", name="Dev Patel", exact=True)).to_be_visible()
    axe(page)
    screenshot(page, "team-groups")


def test_hr_imports_people_with_a_preview_and_a_bad_file_changes_nothing(page, demo, screenshot, sign_in, tmp_path):
    from accounts.models import User

    cycle = tmp_path / "cycle.csv"
    cycle.write_text(
        "email,name,job title,level,manager email\n"
        "leo@example.com,Leo Lambert,Lead Product Manager,gov-product-management/lpm,alex@example.com\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "email,name,job title,level,manager email\n"
        "gina@example.com,Gina Green,Product Manager,product-tracks/pm,grace@example.com\n"
        "finn@example.com,Finn Walsh,Product Manager,product-tracks/pm,grace@example.com\n",
        encoding="utf-8",
    )
    sign_in(page, "hr@example.com", DEMO_PASSWORD)
    page.goto("/admin/assessments/person/")
    page.get_by_role("link", name="Import people (CSV)").click()
    page.get_by_label("CSV file").set_input_files(str(cycle))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 2 (leo@example.com): the reporting lines would go round")
    screenshot(page, "hr-people-import-errors")

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#content-main")).to_contain_text("1 person will be created, 1 updated.")
    screenshot(page, "hr-people-import-preview")
    assert not User.objects.filter(email="gina@example.com").exists()
    page.get_by_role("button", name="Import: create 1, update 1").click()
    expect(page.locator(".messagelist")).to_contain_text("1 person was created, 1 updated.")
    expect(page.get_by_role("link", name="Gina Green")).to_be_visible()
    screenshot(page, "hr-people-list")


def test_pm_home_after_submitting_waits_for_the_managers_review(page, demo, axe, screenshot, sign_in):
    sign_in(page, "alex@example.com", DEMO_PASSWORD)
    card = page.locator("section.people-next-step")
    expect(card).to_contain_text("Submitted 4 Nov — waiting for Leo Lambert’s review.")
    expect(card.get_by_role("button", name="Start self-assessment")).to_have_count(0)
    axe(page)
    screenshot(page, "home-submitted")
    card.get_by_role("link", name="View your self-assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("self-assessment")


def test_pm_home_after_a_return_says_who_returned_it_and_why(page, demo, axe, screenshot, sign_in):
    from assessments.people.models import Person
    from assessments.reviews.models import Assessment

    dev = Assessment.objects.get(subject__user__email="dev@example.com", kind="self", cycle__name="2026 H2")
    grace = Person.objects.get(user__email="grace@example.com")
    assert dev.return_for_changes(by=grace, comment="Please add evidence for the roadmap work.")
    sign_in(page, "dev@example.com", DEMO_PASSWORD)
    card = page.locator("section.people-next-step")
    expect(card).to_contain_text("Returned for changes by Grace Park on ")
    expect(card).to_contain_text("“Please add evidence for the roadmap work.”")
    axe(page)
    screenshot(page, "home-returned")
    card.get_by_role("link", name="Make changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("self-assessment")


def test_hr_home_starts_with_hr_tools_and_calibration_in_the_nav(page, demo, axe, screenshot, sign_in):
    sign_in(page, "hr@example.com", DEMO_PASSWORD)
    hr = page.get_by_role("region", name="HR admin")
    for name in ("Frameworks admin", "People", "Import people", "Review cycles", "Calibration", "Team heatmap"):
        expect(hr.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("HR sets it")
    axe(page)
    screenshot(page, "home-hr")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calibration").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("alibration")


def test_manager_team_offers_only_actions_that_lead_somewhere(page, demo, axe, screenshot, sign_in):
    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    page.goto("/team/")
    bea = page.get_by_role("row", name=re.compile("Bea Carter"))
    expect(bea.get_by_role("link", name=re.compile("^Compare"))).to_have_count(0)
    axe(page)
    screenshot(page, "team-leo")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "grace@example.com", DEMO_PASSWORD)
    page.goto("/team/")
    ella = page.get_by_role("row", name=re.compile("Ella Brown"))
    ella.get_by_role("link", name=re.compile("^Assess…")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_label("Against which level?")).to_be_visible()
    page.goto("/team/")
    finn = page.get_by_role("row", name=re.compile("Finn Walsh"))
    expect(finn.locator('td[data-label="Level"]')).to_have_text("Not set yet — their manager or HR sets it")
    screenshot(page, "team-grace")

"""The team heatmap in Chromium on the demo organisation: at laptop width the header and the names stay put
while the table scrolls, with a cue that there is more; at phone width it is a list; on paper it is whole."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def box(locator):
    return locator.bounding_box()


def test_heatmap_on_a_laptop_keeps_names_and_header_in_view(page, demo, axe, screenshot, sign_in):
    page.set_viewport_size({"width": 1280, "height": 700})
    sign_in(page, "nadia@example.com", DEMO_PASSWORD)
    page.goto("/reports/team/")
    # One cycle at a time: the latest with submitted work.
    expect(page.locator("#id_cycle option:checked")).to_have_text("2026 H2")
    expect(page.locator("main")).to_contain_text("Each cell compares the 2026 H2 agreed rating")
    # Everyone is listed: the new joiner without a level too.
    unplaced = page.get_by_role("region", name="No level set")
    expect(unplaced).to_contain_text("Finn Walsh")
    expect(unplaced).to_contain_text("no level set")

    scroller = page.locator(".heatmap-scroll").first
    frame = page.locator(".heatmap-frame").first
    expect(page.locator(".heatmap-hint").first).to_be_visible()
    expect(page.locator(".heatmap-hint").first).to_contain_text("Scroll sideways to see all")
    expect(frame).to_have_class(re.compile("more-right"))
    expect(frame).not_to_have_class(re.compile("more-left"))
    first_name = scroller.locator("tbody th.heatmap__person").first
    header = scroller.locator("thead th.heatmap__area").first
    name_x, header_y = box(first_name)["x"], box(header)["y"]
    scroller.evaluate("element => { element.scrollLeft = 400; element.scrollTop = 150; }")
    expect(frame).to_have_class(re.compile(r"(?=.*more-left)(?=.*more-right)"))
    assert abs(box(first_name)["x"] - name_x) < 1  # the names stay on the left
    assert abs(box(header)["y"] - header_y) < 1  # the header stays on top
    scroller.evaluate("element => { element.scrollLeft = element.scrollWidth; element.scrollTop = 0; }")
    expect(frame).to_have_class(re.compile("more-left"))
    expect(frame).not_to_have_class(re.compile("more-right"))
    axe(page)
    # Each cell draws its state's symbol from its class; its words are there for screen readers only.
    for state, symbol, words in (("meets", "●", "Meets: "), ("above", "▲", "Above: ")):
        cell = page.locator(f"td.heat--{state}").first
        assert cell.evaluate("td => getComputedStyle(td, '::before').content").startswith(f'"{symbol}"')
        expect(cell.locator("span")).to_contain_text(words)
    assert box(cell.locator("span"))["width"] <= 1
    scroller.evaluate("element => { element.scrollLeft = 0; }")
    screenshot(page, "heatmap")


def test_heatmap_at_phone_width_is_a_list(page, demo, axe, screenshot, sign_in):
    page.set_viewport_size(PHONE)
    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    page.goto("/reports/team/")
    page.get_by_label("Review cycle").select_option(label="2026 H1")
    page.get_by_role("button", name="Show heatmap").click()
    expect(page.locator(".heatmap").first).to_be_hidden()
    people = page.get_by_role("list", name=re.compile("each person against their target level"))
    expect(people).to_be_visible()
    ravi = people.locator("li.heatmap-list__person", has_text="Ravi Shah")
    expect(ravi.locator(".verdict__chip")).to_be_visible()
    details = ravi.locator("details")
    expect(details.locator("summary")).to_contain_text("capabilities:")
    details.locator("summary").click()
    expect(details.locator("li").first).to_be_visible()
    expect(details.locator("li").first).to_contain_text("expected")
    symbol = details.locator("li").first.evaluate("li => getComputedStyle(li, '::before').content")
    assert symbol.split(" / ")[0].strip('"') in "▲●▼–?"
    # Nothing sticks out sideways: the page itself does not scroll horizontally.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(page)
    screenshot(page, "heatmap-list")


def test_heatmap_prints_whole(page, demo, sign_in, tmp_path):
    sign_in(page, "nadia@example.com", DEMO_PASSWORD)
    page.goto("/reports/team/")
    # A4 landscape less its margins is about 1050 CSS pixels wide.
    page.set_viewport_size({"width": 1050, "height": 740})
    page.emulate_media(media="print")
    expect(page.locator(".heatmap-list").first).to_be_hidden()
    expect(page.locator(".report-filters")).to_be_hidden()
    for table in page.locator("table.heatmap").all():
        expect(table).to_be_visible()
        right = box(table)["x"] + box(table)["width"]
        assert right <= 1050, f"the table is {right}px wide on a 1050px page: {table.inner_text()[:300]}"
    scroller = page.locator(".heatmap-scroll").first
    assert scroller.evaluate("element => element.scrollHeight <= element.clientHeight + 1")  # nothing hidden below
    import pypdf

    page.pdf(path=str(tmp_path / "heatmap.pdf"), prefer_css_page_size=True)
    sizes = {
        (round(p.mediabox.width), round(p.mediabox.height)) for p in pypdf.PdfReader(tmp_path / "heatmap.pdf").pages
    }
    assert sizes == {(842, 595)}  # every page A4 landscape


@pytest.fixture
def generated(transactional_db):
    """A generated organisation of 90: the CEO has more than a screenful below them."""
    from assessments import orggen

    orggen.generate(90, cycles=2, seed=3)


def test_heatmap_for_a_big_part_of_the_organisation_summarises_teams(page, generated, axe, screenshot, sign_in):
    from assessments.orgplan import HR_EMAIL, PASSWORD
    from assessments.people.models import Person

    ceo = Person.objects.select_related("user").get(manager=None)
    someone = Person.objects.select_related("user").exclude(manager=None).exclude(manager=ceo).order_by("pk").first()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, ceo.user.email, PASSWORD)
    page.goto("/reports/team/")
    teams = page.get_by_role("table", name=re.compile("One row per team below you"))
    expect(teams).to_be_visible()
    expect(teams.locator("tbody tr").first).to_contain_text(re.compile(r"Ready \d+ of \d+"))
    expect(page.locator("table.heatmap")).to_have_count(0)  # nobody's row at the top
    axe(page)
    screenshot(page, "heatmap-summary")
    # Drill into a team: the per-person heatmap (or its own teams), with the way back up.
    team = teams.get_by_role("link", name=re.compile("’s team$")).first
    name = team.inner_text()
    team.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team heatmap")
    expect(page.locator(".report-eyebrow")).to_have_text(name)
    crumbs = page.get_by_role("navigation", name="Teams above")
    expect(crumbs).to_contain_text(name)
    axe(page)
    screenshot(page, "heatmap-team")
    crumbs.get_by_role("link", name="Your team").click()
    expect(page.get_by_role("table", name=re.compile("One row per team below you"))).to_be_visible()
    # Find one person below: their own heatmap row.
    page.get_by_label("Find someone in your team").fill(someone.user.full_name)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=f"People matching “{someone.user.full_name}”")).to_be_visible()
    expect(page.locator("table.heatmap tbody th.heatmap__person").first).to_contain_text(someone.user.full_name)
    axe(page)
    # At phone width the team table is a list of labelled counts, and nothing sticks out sideways.
    page.set_viewport_size(PHONE)
    page.goto("/reports/team/")
    expect(page.locator(".heatmap-teams tbody tr").first.locator("td").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Calibration for HR over the whole organisation: the newest cycle with submitted work, a page of managers.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, HR_EMAIL, PASSWORD)
    page.goto("/reports/calibration/")
    expect(page.get_by_label("Review cycle").locator("option:checked")).not_to_have_text("All cycles")
    axe(page)
    screenshot(page, "calibration-org")

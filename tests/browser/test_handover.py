"""Hand-over in Chromium, on the demo organisation: Alex Morgan moves from Leo to Grace while Leo's manager
assessment of Alex (a draft in 2026 H2) is open. HR sees what blocks Grace; Grace takes the draft over and
continues it; Leo no longer sees it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.management.commands.seed_demo import DEMO_PASSWORD
from assessments.people.models import Person
from assessments.reviews.models import Assessment

pytestmark = pytest.mark.browser


@pytest.fixture
def alex_moved(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    alex = Person.objects.get(user__email="alex@example.com")
    draft = Assessment.objects.get(subject=alex, kind="manager", cycle__name="2026 H2")
    assert draft.author.user.email == "leo@example.com" and draft.status == "draft"
    alex.manager = Person.objects.get(user__email="grace@example.com")
    alex.save()
    return alex, draft


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_the_new_manager_takes_over_the_draft_the_former_manager_started(page, alex_moved, axe, screenshot, sign_in):
    alex, draft = alex_moved
    person_list = f"/assessments/person/{alex.pk}/"

    sign_in(page, "hr@example.com", DEMO_PASSWORD)
    page.goto(person_list)
    expect(page.get_by_role("status")).to_contain_text("Leo Lambert no longer manages Alex Morgan")
    page.get_by_role("link", name="Hand it over or discard it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hand over Leo Lambert’s assessment of Alex Morgan")
    expect(page.get_by_role("button", name="Hand it to Grace Park")).to_be_visible()
    expect(page.get_by_label("Why discard it?")).to_be_visible()
    axe(page)
    screenshot(page, "handover-hr")
    page.get_by_role("button", name="Discard it").click()  # without a reason: said at the field, nothing lost
    expect(page.get_by_text("Say why it is discarded: the former manager is told.")).to_be_visible()
    axe(page)
    sign_out(page)

    sign_in(page, "grace@example.com", DEMO_PASSWORD)
    page.goto(person_list)
    offer = page.get_by_role("region", name="Leo Lambert started a manager assessment of Alex Morgan")
    expect(offer).to_contain_text("before Alex Morgan moved to you")
    expect(page.get_by_role("button", name="Assess Alex Morgan")).to_have_count(0)
    axe(page)
    screenshot(page, "handover-offer")
    offer.get_by_role("button", name="Take over the draft Leo started").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your assessment of Alex Morgan")
    expect(page.get_by_text("It is yours now, as a private draft. Leo Lambert no longer sees it.")).to_be_visible()
    axe(page)
    screenshot(page, "handover-taken")
    sign_out(page)

    sign_in(page, "leo@example.com", DEMO_PASSWORD)
    response = page.goto(f"/assessments/{draft.pk}/")
    assert response.status == 404

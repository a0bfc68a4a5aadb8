"""A big framework's assessment page shows one area at a time (reviews/steps.py): moving between areas saves the
area shown and nothing else, a refused save stays on its area with what was typed, and links find their area."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reviews.steps import ONE_PAGE_UP_TO
from tests.assessments.assessment_helpers import page_post_data, page_url, scale, start, submitted
from tests.factories import make_framework, make_user

PER_AREA = 5
AREAS = ONE_PAGE_UP_TO // PER_AREA + 1  # one area more than fits on one page


def _big(key, areas=AREAS):
    fw = make_framework(key=key, areas=areas, capabilities_per_area=PER_AREA, ic_levels=3, management_levels=1)
    boss = make_user(f"boss@{key}.example", "Bea Boss", level=fw.levels.get(key="mgr-1"))
    person = make_user(f"pat@{key}.example", "Pat Person", level=fw.levels.get(key="ic-1"), manager=boss)
    areas = list(fw.areas.order_by("position"))
    return SimpleNamespace(
        fw=fw, boss=boss, person=person, areas=areas, draft=start(person, person, fw.levels.get(key="ic-2"))
    )


@pytest.fixture
def big(db):
    return _big("big")


def _area_data(draft, area, **extra):
    """What the page posts for one area: that area's ratings and the assessment's revision, no summary."""
    everything = page_post_data(draft, action="")
    prefixes = tuple(f"r{pk}-" for pk in area.capabilities.values_list("pk", flat=True))
    data = {name: value for name, value in everything.items() if name.startswith(prefixes)}
    return data | {"revision": draft.revision, "step": str(area.pk)} | extra


def _rate_area(draft, area, fw):
    draft.ratings.filter(capability__area=area).update(scale_level=scale(fw, "working"), evidence="Done.")


def test_the_page_shows_the_first_area_left_to_do_with_every_areas_progress(client, big):
    first, second = big.areas[0], big.areas[1]
    _rate_area(big.draft, first, big.fw)
    client.force_login(big.person)
    response = client.get(page_url(big.draft))
    html = response.content.decode()
    assert response.context["steps"].current == str(second.pk)
    assert html.count('<fieldset class="capability__rating"') == PER_AREA
    assert f'<h2 class="assessment-area__title" id="area-{second.pk}-title">{second.name}</h2>' in html
    assert "5 of 5 rated" in html and html.count("0 of 5 rated") == AREAS - 1
    assert html.count('aria-current="step"') == 1
    assert f'name="goto" value="{first.pk}" class="btn btn-outline-secondary">Previous: {first.name}</button>' in html
    assert f'value="{big.areas[2].pk}" class="btn btn-primary">Save and continue: {big.areas[2].name}</button>' in html
    assert 'name="overall_comment"' not in html and 'value="submit"' not in html
    assert "0 of 5 rated" in client.get(page_url(big.draft) + "?area=nonsense").content.decode()

    summary = client.get(page_url(big.draft) + "?area=summary").content.decode()
    assert 'name="overall_comment"' in summary and 'value="submit"' in summary
    assert '<fieldset class="capability__rating"' not in summary
    assert f"Previous: {big.areas[-1].name}" in summary
    everything = client.get(page_url(big.draft) + "?area=all").content.decode()
    assert everything.count('<fieldset class="capability__rating"') == AREAS * PER_AREA
    assert 'name="overall_comment"' in everything

    # Rated above the level with no evidence: that area still has something to do, so the page opens on it.
    big.draft.ratings.filter(capability=first.capabilities.last()).update(
        scale_level=scale(big.fw, "expert"), evidence=" "
    )
    assert client.get(page_url(big.draft)).context["steps"].current == str(first.pk)


def test_a_step_takes_as_many_queries_whatever_the_framework_size(client, big):
    bigger = _big("bigger", areas=AREAS * 2)
    counts = []
    for case in (big, bigger):
        client.force_login(case.person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(case.draft)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 17, counts


def test_moving_to_another_area_saves_the_area_shown_and_nothing_else(client, big):
    first, second, last = big.areas[0], big.areas[1], big.areas[-1]
    big.draft.update_details(expected_revision=big.draft.revision, overall_comment="Keep me.")
    big.draft.ratings.filter(capability__area=last).update(evidence="Another area.")
    big.draft.refresh_from_db()
    working = str(scale(big.fw, "working").pk)
    data = _area_data(big.draft, first, goto=str(second.pk))
    for name in [name for name in data if name.endswith("-revision") and name != "revision"]:
        data[name.replace("-revision", "-scale")] = working
        data[name.replace("-revision", "-evidence")] = "Typed here."
    client.force_login(big.person)
    response = client.post(page_url(big.draft), data)
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(big.draft)}?area={second.pk}"
    saved = big.draft.ratings.filter(capability__area=first)
    assert set(saved.values_list("scale_level_id", "evidence")) == {(int(working), "Typed here.")}
    assert set(big.draft.ratings.filter(capability__area=last).values_list("evidence", flat=True)) == {"Another area."}
    assert not big.draft.ratings.exclude(capability__area=first).filter(scale_level__isnull=False).exists()
    big.draft.refresh_from_db()
    assert big.draft.overall_comment == "Keep me."

    # "Save draft" on an area stays on it.
    response = client.post(page_url(big.draft), _area_data(big.draft, second))
    assert response["Location"] == f"{page_url(big.draft)}?area={second.pk}"


def test_a_refused_area_save_stays_on_its_area_with_what_was_typed(client, big):
    second = big.areas[1]
    data = _area_data(big.draft, second, goto="summary")
    too_long = next(name for name in data if name.endswith("-evidence"))
    data[too_long] = "Typed and kept. " + "x" * 20_000
    client.force_login(big.person)
    response = client.post(page_url(big.draft), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["steps"].current == str(second.pk)
    assert "Evidence can be at most 20000 characters" in html and "Typed and kept. xxx" in html
    assert html.count('<fieldset class="capability__rating"') == PER_AREA


def test_the_check_page_links_to_the_area_of_each_thing_missing(client, big):
    client.force_login(big.person)
    response = client.post(page_url(big.draft), page_post_data(big.draft, action="submit") | {"step": "summary"})
    assert response["Location"].endswith(f"/assessments/{big.draft.pk}/check/")
    html = client.get(response["Location"]).content.decode()
    capability = big.areas[3].capabilities.first()
    assert f'href="{page_url(big.draft)}?area={big.areas[3].pk}#capability-{capability.pk}"' in html

    # A manager's recommendation is on the summary step.
    mine = start(big.person, big.boss, big.fw.levels.get(key="ic-2"))
    client.force_login(big.boss)
    html = client.get(f"/assessments/{mine.pk}/check/").content.decode()
    assert f'href="{page_url(mine)}?area=summary#recommendation"' in html


def test_a_reader_moves_between_areas_by_links(client, big):
    theirs = submitted(big.person, big.person, big.fw.levels.get(key="ic-3"))
    client.force_login(big.boss)
    html = client.get(page_url(theirs) + f"?area={big.areas[1].pk}").content.decode()
    assert f'<a class="area-steps__step" href="?area={big.areas[0].pk}">' in html
    assert f'<a href="?area={big.areas[2].pk}">Next: {big.areas[2].name}</a>' in html
    assert 'name="goto"' not in html and html.count("Led the discovery for the tax service.") == PER_AREA

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reviews.steps import ONE_PAGE_UP_TO
from tests.assessments.assessment_helpers import level, make_cycle, page_url, rate_all, start, submitted
from tests.factories import make_framework, make_user

# The session and user, the viewer's place (with whether they are HR, and the navigation's questions), the
# assessment with its level, track, framework and cycle, its people with their users (the subject's manager, named
# beside Submit on the author's own self-assessment, among them: reviews/access.py), its scale, area counts, ratings,
# expectations, the development plan items of every capability (growth/plan_summary.py); the other side, except on
# its author's own self-assessment being edited (nothing of it shows there); on the author's own self-assessment,
# their evidence-log entries to cite; the entries the ratings cite, only when one of them cites any (the ratings say
# so).
MAX_PAGE_QUERIES = {"self": 11, "manager": 12}


def test_page_shows_each_asked_capability_with_what_the_level_expects(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.get(page_url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Your self-assessment against IC level 3" in html
    assert html.count('<fieldset class="capability__rating"') == 4
    assert '<legend class="capability__legend"><h3 class="capability__name">Capability 1.1</h3></legend>' in html
    assert "IC level 3 expects" in html
    assert "Capability 1.1 at IC level 3." in html  # the expectation's description
    assert 'class="mastery__word">Practitioner<' in html
    # Scale words plus "Not applicable", as a native radio group per capability.
    cap = framework.capabilities.get(key="cap-1-1")
    for word in ("Awareness", "Working", "Practitioner", "Expert", "Not applicable"):
        assert re.search(rf'<label class="btn rating-choice[^"]*" for="r{cap.pk}-scale-[^"]+">{word}</label>', html)
    assert f'<label class="form-label" for="r{cap.pk}-evidence">Evidence' in html
    assert 'role="status"' in html
    # Progress as a real progress element with words.
    assert '<progress max="4" value="0"' in html
    assert "0 of 4 rated" in html
    # Autosave per capability, and the plain form for everything.
    assert f'hx-post="/assessments/{assessment.pk}/ratings/{cap.pk}/"' in html
    assert 'hx-trigger="change, input delay:800ms"' in html
    assert f'<form method="post" action="/assessments/{assessment.pk}/" id="assessment-form"' in html
    assert 'name="action" value="submit"' in html


def test_submit_note_names_the_persons_manager_read_in_one_query(client, pm, manager, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(page_url(assessment)).content.decode()
    assert f"sends it to your manager, {manager.full_name}." in " ".join(html.split())
    people = [q["sql"] for q in queries.captured_queries if 'FROM "assessments_person"' in q["sql"]]
    user_reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "accounts_user"')]
    assert len(people) == 2, people  # the viewer's place, the manager with their name
    assert len(user_reads) == 1, user_reads  # the signed-in user only


def sticky_bar(html) -> str:
    bar = re.search(r'<div class="assessment-bar">(.*?)<div id="assessment-progress"', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", bar)).strip()


def test_sticky_bar_says_who_against_which_level_and_cycle(client, pm, manager, framework):
    cycle = make_cycle("2026 H2")
    mine = start(pm, manager, level(framework, "ic-3"), cycle)
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert sticky_bar(html).startswith("Priya Product · against IC level 3 · 2026 H2 Draft started")
    assert re.search(r'<div class="assessment-bar">.*?id="assessment-progress".*?0 of 4 rated', html, re.S)


def test_sticky_bar_says_when_an_assessment_is_outside_cycles(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    assert "Priya Product · against IC level 3 · outside cycles" in sticky_bar(
        client.get(page_url(assessment)).content.decode()
    )


def test_evidence_hint_names_the_expected_level_only_when_a_higher_rating_exists(client, pm, framework):
    client.force_login(pm)
    below_top = start(pm, pm, level(framework, "ic-3"))  # expects Practitioner, 3 of 4
    html = client.get(page_url(below_top)).content.decode()
    assert html.count("Needed for a rating above Practitioner.") == 4
    assert html.count("A rating above what the level expects needs evidence.") == 1
    cap = framework.capabilities.get(key="cap-1-1")
    assert f'aria-describedby="r{cap.pk}-evidence-hint"' in html

    at_top = start(pm, pm, level(framework, "mgr-2"))  # expects Expert, the top of the scale
    html = client.get(page_url(at_top)).content.decode()
    assert "Needed for a rating above" not in html
    assert "-evidence-hint" not in html


def test_capabilities_not_asked_at_the_level_are_not_part_of_the_assessment(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-1"))
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    assert "Capability 2.2" not in html  # not asked at the first level
    assert "0 of 3 rated" in html


def test_jump_list_links_to_each_area(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    for area in framework.areas.all():
        assert f'<a href="#area-{area.pk}">{area.name}</a>' in html
        assert f'id="area-{area.pk}"' in html


def test_ratings_show_as_saved_after_a_reload(client, pm, framework):
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")), scale_key="expert", evidence="Ran the pilot.")
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    expert = framework.scale_levels.get(key="expert")
    assert html.count(f'value="{expert.pk}" checked') == 4
    assert html.count(">Ran the pilot.</textarea>") == 4
    assert "4 of 4 rated" in html


def test_submitted_assessment_is_read_only_with_its_status(client, pm, framework, manager):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    assert "<fieldset" not in html
    assert "<textarea" not in html
    assert 'id="assessment-form"' not in html
    assert "status-chip--submitted" in html
    assert "by Priya Product on" in html
    assert "Led the discovery for the tax service." in html


def test_manager_sees_the_submitted_self_rating_beside_each_capability(client, pm, manager, framework):
    target = level(framework, "ic-3")
    submitted(pm, pm, target, scale_key="expert", evidence="Shipped the benefits checker.")
    mine = start(pm, manager, target)
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert "Your assessment of Priya Product against IC level 3" in html
    assert html.count("Priya Product’s own rating") == 4
    assert html.count("Shipped the benefits checker.") == 4
    assert html.count("<fieldset") == 5  # four capabilities and the recommendation
    assert "Is Priya Product ready for IC level 3?" in html


def test_manager_does_not_see_a_self_assessment_draft_beside_theirs(client, pm, manager, framework):
    target = level(framework, "ic-3")
    rate_all(start(pm, pm, target), evidence="Private draft words.")
    mine = start(pm, manager, target)
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert "Private draft words." not in html
    assert "own rating" not in html
    assert "has not submitted a self-assessment against IC level 3" in html


def test_blind_cycle_keeps_self_ratings_out_of_the_managers_page_until_both_submitted(client, pm, manager, framework):
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    submitted(pm, pm, target, cycle, evidence="Blind evidence.")
    mine = start(pm, manager, target, cycle)
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert "Blind evidence." not in html
    assert "Priya Product’s own rating</h4>" not in html
    assert "own ratings are hidden: this review cycle is blind" in html

    rate_all(mine).submit()
    html = client.get(page_url(mine)).content.decode()
    assert html.count("Blind evidence.") == 4
    assert html.count("Priya Product’s own rating") == 4


def test_blind_cycle_hides_the_self_assessment_page_from_the_manager_until_both_submitted(
    client, pm, manager, framework
):
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(pm, pm, target, cycle, evidence="Blind evidence.")
    client.force_login(manager)
    response = client.get(page_url(theirs))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Blind evidence." not in html
    assert "Ratings hidden: this review cycle is blind" in html
    assert "Assess Priya Product against IC level 3" in html

    submitted(pm, manager, target, cycle)
    assert "Blind evidence." in client.get(page_url(theirs)).content.decode()


def test_blind_cycle_hides_a_shared_manager_assessment_from_the_pm_until_they_submit(client, pm, manager, framework):
    from tests.assessments.assessment_helpers import shared

    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = shared(pm, manager, target, cycle, evidence="Blind manager evidence.")
    client.force_login(pm)
    html = client.get(page_url(theirs)).content.decode()
    assert "Blind manager evidence." not in html
    assert "Meets every expectation." not in html
    assert "until you have submitted your own self-assessment" in html

    submitted(pm, pm, target, cycle)
    html = client.get(page_url(theirs)).content.decode()
    assert "Blind manager evidence." in html
    assert html.count("Your own rating") == 4


def test_hr_sees_everything_in_a_blind_cycle(client, pm, manager, hr_admin, framework):
    cycle = make_cycle(blind=True)
    theirs = submitted(pm, pm, level(framework, "ic-3"), cycle, evidence="Blind evidence.")
    client.force_login(hr_admin)
    assert "Blind evidence." in client.get(page_url(theirs)).content.decode()


def test_old_version_banner_when_the_framework_has_moved_on(client, pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    framework.new_version().publish()
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    assert "That version has since been replaced" in html


def _framework_with(capability_count, key):
    return make_framework(key=key, areas=capability_count // 5, capabilities_per_area=5)


@pytest.mark.parametrize("kind", ["self", "manager"])
def test_assessment_page_query_count_is_flat_from_10_to_40_capabilities(client, kind, db):
    counts = []
    for size in (10, ONE_PAGE_UP_TO):  # everything on one page (bigger ones: test_assessment_steps.py)
        fw = _framework_with(size, key=f"fw{size}")
        boss = make_user(f"boss{size}@example.com", "Boss", level=fw.levels.get(key="mgr-1"))
        person = make_user(f"p{size}@example.com", "Person", level=fw.levels.get(key="ic-1"), manager=boss)
        target = fw.levels.get(key="ic-2")
        submitted(person, person, target)
        viewer = boss if kind == "manager" else person
        assessment = start(person, viewer, target)
        if kind == "self":
            assessment = start(person, person, fw.levels.get(key="ic-3"))
        rate_all(assessment)
        client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(assessment))
        assert response.status_code == 200
        assert response.context["total"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_PAGE_QUERIES[kind], counts


def _without_csrf(html):
    return re.sub(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"', "", html)


def test_another_managers_draft_does_not_show_through_a_blind_self_assessment_page(client, pm, manager, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(pm, pm, target, cycle)
    client.force_login(director)
    before = _without_csrf(client.get(page_url(theirs)).content.decode())
    start(pm, manager, target, cycle)  # Maya's draft: hers alone
    after = _without_csrf(client.get(page_url(theirs)).content.decode())
    assert after == before
    assert "Submit your own assessment" not in after


def test_the_author_of_the_draft_beside_a_blind_self_assessment_is_told_to_submit_it(client, pm, manager, framework):
    cycle = make_cycle(blind=True)
    target = level(framework, "ic-3")
    theirs = submitted(pm, pm, target, cycle)
    start(pm, manager, target, cycle)
    client.force_login(manager)
    html = client.get(page_url(theirs)).content.decode()
    assert "Submit your own assessment of Priya Product to see them." in html
    assert "Open your assessment of Priya Product" in html

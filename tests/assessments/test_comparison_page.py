"""The comparison page and its agreed outcome: ordering, visibility, the verdict, saving, refusing."""

import csv
import io

import pytest
from django.urls import reverse

from assessments.reviews.models import Assessment
from tests.assessments.feedback_helpers import ask
from tests.assessments.report_fixtures import (
    MANAGER_RANKS,
    SELF_RANKS,
    agree,
    make_cycle,
    make_manager,
    make_review,
    make_self,
    set_status,
)
from tests.factories import make_framework, make_user


def compare_url(person, level=None, cycle=None):
    url = reverse("reports:compare", args=[person.pk])
    params = []
    if level is not None:
        params.append(f"level={level.pk}")
    if cycle is not None:
        params.append(f"cycle={cycle if isinstance(cycle, str) else cycle.pk}")
    return url + ("?" + "&".join(params) if params else "")


def agreed_url(assessment):
    return reverse("reports:agreed", args=[assessment.pk])


@pytest.fixture
def ic3(framework):
    return framework.levels.get(key="ic-3")


@pytest.fixture
def review(pm, manager, ic3):
    """Priya against IC level 3 in 2026 H1: self and manager both submitted."""
    cycle = make_cycle()
    mine, theirs = make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    return {"cycle": cycle, "self": mine, "manager": theirs}


@pytest.fixture
def director(manager, framework):
    """Maya's own manager: a manager up the chain who is not the author."""
    director = make_user("dina@example.com", "Dina Director", level=framework.levels.get(key="mgr-2"))
    person = manager.person
    person.manager = director.person
    person.save()
    return director


def groups(response):
    return [(key, [row.capability.key for row in rows]) for key, _, _, rows in response.context["comparison"].groups]


# Ordering and content --------------------------------------------------------------------------


def test_disagreements_come_first_then_below_expectation_then_meets(client, manager, pm, review):
    client.force_login(manager)
    response = client.get(compare_url(pm.person))
    assert response.status_code == 200
    assert groups(response) == [
        ("disagreements", ["cap-1-2"]),
        ("below", ["cap-2-1"]),
        ("meets", ["cap-1-1", "cap-2-2"]),
        ("unrated", []),
    ]
    body = response.content.decode()
    assert body.index("Disagreements") < body.index("Below expectation") < body.index("Meets or exceeds")
    assert 'id="group-unrated"' not in body  # an empty "Not rated yet" group is left out


def test_below_expectation_counts_the_disagreements_that_are_below_as_the_verdict_does(client, manager, pm, review):
    # Capability 1.2 is a disagreement and below IC level 3: listed once, under Disagreements, and named under Below.
    client.force_login(manager)
    response = client.get(compare_url(pm.person))
    comparison = response.context["comparison"]
    assert comparison.below_count == len(comparison.readiness.below_target) == 2
    body = response.content.decode()
    below = body[body.index('id="group-below"') : body.index('id="group-meets"')]
    assert "2 capabilities</span>" in below
    assert "1 more is listed under Disagreements above" in below
    assert f'href="#capability-{comparison.rows[1].capability.pk}">Capability 1.2</a>' in below


def test_when_every_capability_below_is_a_disagreement_below_expectation_does_not_say_none(client, manager, pm, ic3):
    make_review(pm, manager, ic3, dict.fromkeys(SELF_RANKS, 3), dict.fromkeys(SELF_RANKS, 2), cycle=make_cycle())
    client.force_login(manager)
    response = client.get(compare_url(pm.person))
    readiness = response.context["comparison"].readiness
    assert groups(response)[1:] == [("below", []), ("meets", []), ("unrated", [])]
    body = response.content.decode()
    below = body[body.index('id="group-below"') : body.index('id="group-meets"')]
    assert f"{len(readiness.below_target)} capabilities below IC level 3" in body
    assert f"{len(readiness.below_target)} capabilities</span>" in below
    assert f"All {len(readiness.below_target)} are listed under Disagreements above" in below
    assert "None" not in below


def test_capabilities_the_manager_has_not_rated_are_not_rated_yet_never_meets(client, manager, pm, ic3):
    manager_ranks = {"cap-1-1": 3, "cap-1-2": None, "cap-2-1": None, "cap-2-2": None}
    make_review(pm, manager, ic3, SELF_RANKS, manager_ranks, cycle=make_cycle(), manager_status="draft")
    client.force_login(manager)
    response = client.get(compare_url(pm.person))
    assert groups(response) == [
        ("disagreements", []),
        ("below", []),
        ("meets", ["cap-1-1"]),
        ("unrated", ["cap-1-2", "cap-2-1", "cap-2-2"]),
    ]
    body = response.content.decode()
    assert body.index('id="group-meets"') < body.index('id="group-unrated"')
    assert "Not agreed yet" in body
    assert ">Not yet<" not in body


def test_with_nothing_rated_every_capability_is_not_rated_yet(client, manager, pm, ic3):
    make_self(pm, ic3, SELF_RANKS, status="draft")  # a draft the manager may not see
    client.force_login(manager)
    response = client.get(compare_url(pm.person, ic3, "none"))
    found = groups(response)
    assert [key for key, rows in found if rows] == ["unrated"]
    body = response.content.decode()
    meets = body[body.index('id="group-meets"') : body.index('id="group-unrated"')]
    assert "None yet: no capability is rated." in meets
    assert "Meets or exceeds <span" in body and "0 capabilities" in meets


def test_the_verdict_chip_is_followed_by_its_reasons(client, manager, pm, review):
    client.force_login(manager)
    body = client.get(compare_url(pm.person)).content.decode()
    assert "Nearly" in body
    assert "2 capabilities below IC level 3: Capability 1.2, Capability 2.1" in body
    assert "Meets 2 of 4 expectations of IC level 3 (50%; Ready needs 80%)" in body


def test_each_row_carries_both_evidence_texts_and_the_chart_has_a_title(client, manager, pm, review):
    client.force_login(manager)
    body = client.get(compare_url(pm.person)).content.decode()
    assert body.count("Evidence for Capability 1.2.") == 2  # self and manager
    assert '<title id="comparison-chart-title">Priya Product:' in body
    assert '<desc id="comparison-chart-desc">' in body


def test_defaults_to_the_latest_cycle_and_can_switch_to_an_earlier_one(client, manager, pm, ic3, review):
    # The earlier cycle's review is entered after the current one: "latest" goes by the cycles' dates.
    earlier = make_cycle("2025 H2", start=review["cycle"].starts_on.replace(year=2025))
    make_review(pm, manager, ic3, dict.fromkeys(SELF_RANKS, 1), dict.fromkeys(SELF_RANKS, 1), cycle=earlier)
    client.force_login(manager)
    assert client.get(compare_url(pm.person)).context["comparison"].cycle == review["cycle"]
    assert client.get(compare_url(pm.person, ic3, "latest")).context["comparison"].cycle == review["cycle"]
    assert client.get(compare_url(pm.person, ic3, earlier)).context["comparison"].cycle == earlier


def test_unknown_level_or_cycle_is_404(client, manager, pm, review):
    client.force_login(manager)
    assert client.get(compare_url(pm.person) + "?level=999999").status_code == 404
    assert client.get(compare_url(pm.person) + "?level=abc").status_code == 404
    assert client.get(compare_url(pm.person) + "?cycle=999999").status_code == 404


def test_without_a_manager_assessment_there_is_no_verdict_yet(client, manager, pm, ic3):
    make_self(pm, ic3, SELF_RANKS)
    client.force_login(manager)
    response = client.get(compare_url(pm.person, ic3, "none"))
    assert response.context["readiness"] is None
    assert "No verdict yet" in response.content.decode()


# Who sees what ---------------------------------------------------------------------------------


def test_stranger_gets_404(client, stranger, pm, review):
    client.force_login(stranger)
    assert client.get(compare_url(pm.person)).status_code == 404


def test_manager_cannot_see_a_draft_self_assessment(client, manager, pm, ic3):
    make_self(pm, ic3, SELF_RANKS, status="draft", evidence={"cap-1-1": "My private draft notes"})
    make_manager(pm, manager, ic3, MANAGER_RANKS)
    client.force_login(manager)
    response = client.get(compare_url(pm.person, ic3, "none"))
    assert response.context["comparison"].self_assessment is None
    assert "My private draft notes" not in response.content.decode()
    assert groups(response)[0] == ("disagreements", [])


def test_blind_cycle_keeps_the_self_rating_from_the_manager_until_they_submit(client, manager, pm, ic3):
    cycle = make_cycle(blind=True)
    make_self(pm, ic3, SELF_RANKS, cycle=cycle, evidence={"cap-1-1": "Blind self evidence"})
    theirs = make_manager(pm, manager, ic3, MANAGER_RANKS, cycle=cycle, status="draft")
    client.force_login(manager)
    response = client.get(compare_url(pm.person, ic3, cycle))
    assert response.context["comparison"].self_assessment is None
    body = response.content.decode()
    assert "Blind self evidence" not in body
    assert "blind cycle" in body
    set_status(theirs, Assessment.Status.SUBMITTED)
    response = client.get(compare_url(pm.person, ic3, cycle))
    assert response.context["comparison"].self_assessment is not None
    assert "Blind self evidence" in response.content.decode()


def test_subject_gets_404_until_the_manager_shares(client, pm, review):
    client.force_login(pm)
    assert client.get(compare_url(pm.person)).status_code == 404
    set_status(review["manager"], Assessment.Status.SHARED)
    response = client.get(compare_url(pm.person))
    assert response.status_code == 200
    assert response.context["form"] is None


def test_subject_sees_the_shared_agreed_outcome_but_never_a_managers_draft(client, pm, manager, ic3, review):
    agree(review["manager"], {"cap-1-2": 3}, {"cap-1-2": "Agreed after the review meeting."})
    set_status(review["manager"], Assessment.Status.SHARED)
    later = make_cycle("2026 H2", start=review["cycle"].starts_on.replace(month=7))
    make_manager(pm, manager, ic3, MANAGER_RANKS, cycle=later, status="draft", evidence={"cap-1-1": "Draft only"})
    client.force_login(pm)
    response = client.get(compare_url(pm.person))
    assert response.context["comparison"].cycle == review["cycle"]
    body = response.content.decode()
    assert "Agreed after the review meeting." in body
    assert "Draft only" not in body
    assert client.get(compare_url(pm.person, ic3, later)).status_code == 404


def test_hr_and_managers_up_the_chain_read_without_the_agreed_form(client, hr_admin, director, pm, review):
    for viewer in (hr_admin, director):
        client.force_login(viewer)
        response = client.get(compare_url(pm.person))
        assert response.status_code == 200
        assert response.context["form"] is None
        assert "Save agreed ratings" not in response.content.decode()


def test_the_author_gets_the_form_once_both_are_submitted(client, manager, pm, review):
    client.force_login(manager)
    assert client.get(compare_url(pm.person)).context["form"] is not None
    set_status(review["self"], Assessment.Status.DRAFT)
    assert client.get(compare_url(pm.person)).context["form"] is None


# Agreed outcome --------------------------------------------------------------------------------


def agreed_data(manager_assessment, overrides=None, notes=None):
    """Every capability agreed as the manager rated it, with `overrides` (capability key → scale rank)."""
    manager_assessment.refresh_from_db()
    scale = {s.rank: s for s in manager_assessment.level.framework.scale_levels.all()}
    data = {"revision": manager_assessment.revision}
    for rating in manager_assessment.ratings.select_related("capability"):
        rank = (overrides or {}).get(rating.capability.key, rating.scale_level.rank)
        data[f"agreed-{rating.capability_id}"] = "na" if rank == "na" else str(scale[rank].pk)
        data[f"note-{rating.capability_id}"] = (notes or {}).get(rating.capability.key, "")
    return data


def agreed_ranks(manager_assessment):
    return {
        r.capability.key: (
            r.agreed_scale_level.rank if r.agreed_scale_level else "na" if r.agreed_not_applicable else None
        )
        for r in manager_assessment.ratings.select_related("capability", "agreed_scale_level")
    }


def test_manager_records_agreed_ratings_and_readiness_uses_them(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    data = agreed_data(
        theirs,
        {"cap-1-2": 3, "cap-2-1": 3},
        {"cap-1-2": "Priya's pricing work convinced us.", "cap-2-1": "Shipped the data platform since."},
    )
    response = client.post(agreed_url(theirs), data)
    assert response.status_code == 302
    # On to the next step: the recommendation, where the count is shown.
    assert response["Location"].endswith("#recommend")
    # Only the two changed rows are recorded; the others stay "as rated".
    assert agreed_ranks(theirs) == {"cap-1-1": None, "cap-1-2": 3, "cap-2-1": 3, "cap-2-2": None}
    theirs.refresh_from_db()
    assert theirs.revision == 2
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Saved: 2 agreed ratings changed." in body
    assert body.index("Saved: 2 agreed ratings changed.") > body.index('id="recommend-heading"')
    assert page.context["readiness"].label == "Ready"


def test_saving_what_was_shown_changes_nothing_and_says_so(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    response = client.post(agreed_url(theirs), agreed_data(theirs), follow=True)
    assert "Nothing had changed, so nothing was saved." in response.content.decode()
    assert set(agreed_ranks(theirs).values()) == {None}
    theirs.refresh_from_db()
    assert theirs.revision == 2  # the save ran, and found nothing to change


def test_one_changed_row_needs_one_note_naming_its_capability_at_its_row(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    # Capability 1.2 is a disagreement (self 3, manager 2) left as it was shown: it needs no note. 2.2 is changed.
    response = client.post(agreed_url(theirs), agreed_data(theirs, {"cap-2-2": 2}, {"cap-1-1": "Typed, kept."}))
    assert response.status_code == 400
    body = response.content.decode()
    error = "Add a note on Capability 2.2: say why the agreed rating changed from Practitioner to Working."
    assert body.count(error) == 2  # in the summary, and at the row
    assert body.count("Add a note on") == 2
    row_22 = body[body.index(f'id="capability-{_pk(theirs, "cap-2-2")}"') :]
    assert row_22.index(error) < row_22.index("</tbody>")
    # Nothing is saved, and nothing typed is lost: the changed choice and the other row's note are still there.
    assert set(agreed_ranks(theirs).values()) == {None}
    form = response.context["form"]
    assert form[f"agreed-{_pk(theirs, 'cap-2-2')}"].value() == str(_scale(theirs, 2).pk)
    assert "Typed, kept." in body


def test_untouched_disagreements_need_no_note(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    response = client.post(agreed_url(theirs), agreed_data(theirs, {"cap-2-2": 2}, {"cap-2-2": "Less this half."}))
    assert response.status_code == 302
    assert agreed_ranks(theirs) == {"cap-1-1": None, "cap-1-2": None, "cap-2-1": None, "cap-2-2": 2}
    assert "Saved: 1 agreed rating changed." in client.get(response["Location"]).content.decode()


def test_a_note_alone_is_counted_as_a_note(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    data = agreed_data(theirs, {"cap-2-2": 2}, {"cap-2-2": "Less this half.", "cap-1-2": "We talked it through."})
    response = client.post(agreed_url(theirs), data, follow=True)
    assert "Saved: 1 agreed rating changed and 1 note changed." in response.content.decode()
    assert theirs.ratings.get(capability__key="cap-1-2").agreed_note == "We talked it through."


def test_changing_back_a_row_agreed_before_needs_a_note_too(client, manager, pm, review):
    theirs = review["manager"]
    agree(theirs, {"cap-1-2": 3}, {"cap-1-2": "Convinced by her evidence."})
    client.force_login(manager)
    page = client.get(compare_url(pm.person))
    assert page.context["form"][f"agreed-{_pk(theirs, 'cap-1-2')}"].initial == str(_scale(theirs, 3).pk)
    response = client.post(agreed_url(theirs), agreed_data(theirs, {"cap-1-2": 2}, {"cap-1-2": ""}))
    assert response.status_code == 400
    assert "Add a note on Capability 1.2: say why the agreed rating changed from Practitioner to Working." in (
        response.content.decode()
    )


def _pk(assessment, key):
    return assessment.ratings.get(capability__key=key).capability_id


def _scale(assessment, rank):
    return assessment.level.framework.scale_levels.get(rank=rank)


def test_a_stale_save_is_refused_and_keeps_what_was_chosen(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    stale = agreed_data(theirs, {"cap-1-2": 3}, {"cap-1-2": "Convinced by her evidence."})
    kept = agreed_data(theirs, notes={"cap-1-2": "Keeping my view: no pricing work yet."})
    assert client.post(agreed_url(theirs), kept).status_code == 302
    before = agreed_ranks(theirs)
    response = client.post(agreed_url(theirs), stale)
    assert response.status_code == 409
    assert "Nothing was saved" in response.content.decode()
    assert agreed_ranks(theirs) == before
    form = response.context["form"]
    assert (
        form["agreed-" + str(theirs.ratings.get(capability__key="cap-2-1").capability_id)].value()
        == stale["agreed-" + str(theirs.ratings.get(capability__key="cap-2-1").capability_id)]
    )


def test_an_unknown_choice_is_refused(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    data = agreed_data(theirs)
    data[next(key for key in data if key.startswith("agreed-"))] = "999999"
    assert client.post(agreed_url(theirs), data).status_code == 400
    assert set(agreed_ranks(theirs).values()) == {None}


def test_agreed_refuses_get(client, manager, review):
    client.force_login(manager)
    assert client.get(agreed_url(review["manager"])).status_code == 405


def test_agreed_is_404_for_strangers_and_403_for_read_only_viewers(client, stranger, hr_admin, director, pm, review):
    data = agreed_data(review["manager"], {"cap-1-2": 3})
    client.force_login(stranger)
    assert client.post(agreed_url(review["manager"]), data).status_code == 404
    for viewer in (hr_admin, director):
        client.force_login(viewer)
        assert client.post(agreed_url(review["manager"]), data).status_code == 403
    client.force_login(pm)  # not shared yet: the subject cannot see it at all
    assert client.post(agreed_url(review["manager"]), data).status_code == 404
    assert set(agreed_ranks(review["manager"]).values()) == {None}


def test_agreed_waits_until_both_are_submitted(client, manager, pm, review):
    set_status(review["self"], Assessment.Status.DRAFT)
    client.force_login(manager)
    response = client.post(agreed_url(review["manager"]), agreed_data(review["manager"], {"cap-1-2": 3}))
    assert response.status_code == 302 and response["Location"].endswith("#agree-heading")
    assert "once both assessments are submitted" in client.get(response["Location"]).content.decode()
    assert set(agreed_ranks(review["manager"]).values()) == {None}


def test_agreed_on_a_self_assessment_is_403_saying_why(client, pm, review):
    # The author can see their self-assessment (in scope), but the agreed outcome is not theirs to record.
    client.force_login(pm)
    response = client.post(agreed_url(review["self"]), {})
    assert response.status_code == 403
    assert "Only a manager assessment" in response.content.decode()


# CSV -------------------------------------------------------------------------------------------


def test_comparison_csv_lists_every_row_in_page_order_and_is_injection_safe(client, manager, pm, ic3):
    make_review(pm, manager, ic3, SELF_RANKS, MANAGER_RANKS)
    rating = Assessment.objects.get(kind="self").ratings.get(capability__key="cap-1-2")
    rating.evidence = '=HYPERLINK("http://evil.example")'
    rating.save()
    client.force_login(manager)
    response = client.get(reverse("reports:compare_csv", args=[pm.person.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="comparison-priya-product-ic-level-3-outside-cycles.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Group", "Area", "Capability"]
    assert [row[0] for row in rows[1:]] == [
        "Disagreements",
        "Below expectation",
        "Meets or exceeds",
        "Meets or exceeds",
    ]
    assert rows[1][10] == '\'=HYPERLINK("http://evil.example")'


# Query counts ----------------------------------------------------------------------------------


def test_comparison_query_count_does_not_grow_with_the_framework(client, django_assert_max_num_queries, db):
    for size, (areas, per_area) in enumerate(((2, 2), (5, 6))):
        framework = make_framework(key=f"fw-{size}", areas=areas, capabilities_per_area=per_area)
        boss = make_user(f"boss{size}@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
        report = make_user(f"report{size}@example.com", "Report", manager=boss, level=framework.levels.get(key="ic-2"))
        ranks = {c.key: 3 for c in framework.capabilities.all()}
        mine, theirs = make_review(report, boss, framework.levels.get(key="ic-3"), ranks, {**ranks, "cap-1-1": 2})
        # Colleagues' feedback answers the boss asked for: 2, then 8, each on every capability.
        colleague = make_user(f"colleague{size}@example.com", "Colleague", level=framework.levels.get(key="ic-2"))
        for n in range(2 + 6 * size):
            keys = list(ranks)
            ask(report, by=boss, to=colleague, keys=keys).give_answer(f"Answer {n}")
        client.force_login(boss)
        # Pinned 13 and 10 at both sizes (4 and 30 capabilities; 2 and 8 answers) with the feedback answers; +1 for the
        # entries the self-assessment cites (reviews/citations.py attach_cited): 13 measured on SQLite; 12 since the
        # navigation's questions come with the viewer's scope.
        with django_assert_max_num_queries(12):
            assert client.get(reverse("reports:compare", args=[report.person.pk])).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("reports:compare_csv", args=[report.person.pk])).status_code == 200

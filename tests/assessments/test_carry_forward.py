"""Carry forward: a new review starts from the author's last submitted ratings (by capability key), each marked
"carried from 2026 H1" until the author changes it; the check page before submitting lists those never changed.
For a PM's self-assessment and for a manager's review of a report."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.reviews.carry import carry_source, untouched_carried
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    make_cycle,
    page_post_data,
    page_url,
    rating_url,
    scale,
    start,
    submitted,
)

START = reverse("assessments:start")
EVIDENCE = "Ran the pricing discovery with six customers."


def words(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def h1():
    return make_cycle("2026 H1", starts_on="2026-01-01")


@pytest.fixture
def last_review(pm, framework, h1):
    """Priya's submitted self-assessment of 2026 H1 against IC level 3 (each capability at Working, one N/A),
    in a cycle closed since; 2026 H2 is open."""
    done = submitted(pm, pm, level(framework, "ic-3"), h1, scale_key="working", evidence=EVIDENCE)
    na = done.ratings.order_by("capability__position", "capability_id").last()
    done.ratings.filter(pk=na.pk).update(scale_level=None, not_applicable=True, evidence="")
    ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.CLOSED)
    return done


@pytest.fixture
def h2(last_review):
    return make_cycle("2026 H2")


def answers(assessment) -> dict:
    return {
        r.capability.key: (r.scale_level.key if r.scale_level_id else None, r.not_applicable, r.evidence, r.carried)
        for r in assessment.ratings.select_related("capability", "scale_level")
    }


# The model ------------------------------------------------------------------------------------------------


def test_answers_are_carried_by_capability_key_and_marked(pm, framework, last_review, h2):
    new, created = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=h2, carry_from=last_review
    )
    assert created and new.carried_from == last_review
    assert sorted(new.carry_result.carried) == ["Capability 1.1", "Capability 1.2", "Capability 2.1", "Capability 2.2"]
    before, after = answers(last_review), answers(new)
    assert {key: value[:3] for key, value in after.items()} == {key: value[:3] for key, value in before.items()}
    assert all(value[3] for value in after.values())  # every one carried, so every one marked
    assert any(value[1] for value in after.values())  # "not applicable" came along too
    assert new.status == Assessment.Status.DRAFT and new.cycle == h2


def test_a_capability_the_new_level_does_not_ask_for_is_not_carried(pm, framework, last_review, h2):
    # IC level 1 does not ask for the last capability (Capability 2.2), which 2026 H1 answered.
    new, _ = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-1"), cycle=h2, carry_from=last_review
    )
    assert "cap-2-2" not in answers(new)
    assert new.carry_result.left_out == ["Capability 2.2"]
    assert len(new.carry_result.carried) == 3 == new.ratings.filter(carried=True).count()


def test_a_capability_removed_in_a_new_version_is_not_carried(pm, framework, last_review, h2):
    draft = framework.new_version()
    draft.capabilities.get(key="cap-1-2").delete()
    draft.publish()
    v2_level = draft.levels.get(key="ic-3")
    new, _ = Assessment.start(subject=pm.person, author=pm.person, level=v2_level, cycle=h2, carry_from=last_review)
    carried = answers(new)
    assert set(carried) == {"cap-1-1", "cap-2-1", "cap-2-2"}
    assert carried["cap-1-1"] == ("working", False, EVIDENCE, True)
    # The scale step is the new version's own.
    assert new.ratings.get(capability__key="cap-1-1").scale_level.framework_id == draft.pk
    assert new.carry_result.left_out == ["Capability 1.2"]


def test_only_the_authors_own_submitted_assessment_of_the_person_can_be_a_source(
    pm, manager, stranger, framework, last_review, h2
):
    ic3 = level(framework, "ic-3")
    with pytest.raises(ValidationError, match="Only your own last submitted ratings"):
        Assessment.start(subject=pm.person, author=manager.person, level=ic3, cycle=h2, carry_from=last_review)
    draft = start(stranger, stranger, ic3, h2)
    with pytest.raises(ValidationError):
        Assessment.start(subject=stranger.person, author=stranger.person, level=ic3, carry_from=draft)
    assert Assessment.objects.filter(cycle=h2, subject=pm.person).count() == 0


def test_carrying_is_one_transaction_with_the_start(pm, framework, last_review, h2):
    failing = mock.patch.object(Rating.objects, "bulk_update", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        Assessment.start(
            subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=h2, carry_from=last_review
        )
    assert not Assessment.objects.filter(cycle=h2).exists()


def test_changing_a_carried_answer_clears_its_mark_and_saving_it_unchanged_does_not(pm, framework, last_review, h2):
    new, _ = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=h2, carry_from=last_review
    )
    first, second = new.ratings.select_related("capability").order_by("capability__position", "capability_id")[:2]
    assert not first.record(
        scale_level=first.scale_level, not_applicable=False, evidence=EVIDENCE, expected_revision=first.revision
    )
    first.refresh_from_db()
    assert first.carried
    assert second.record(
        scale_level=second.scale_level, not_applicable=False, evidence="New this half.", expected_revision=1
    )
    second.refresh_from_db()
    assert not second.carried
    expected = [e.capability.name for e in new.expectations() if e.capability_id != second.capability_id]
    assert [problem.subject for problem in untouched_carried(new)] == expected
    assert len(expected) == 3


def test_the_source_is_the_newest_submitted_one_of_the_same_kind_and_author(pm, manager, framework, last_review, h2):
    ic3 = level(framework, "ic-3")
    assert carry_source(subject=pm.person, author=pm.person, cycle=h2) == last_review
    assert carry_source(subject=pm.person, author=pm.person, cycle=last_review.cycle) is None
    # Priya's manager has no manager review of her yet: Priya's own self-assessment is never theirs to start from.
    assert carry_source(subject=pm.person, author=manager.person, cycle=h2) is None
    start(pm, pm, ic3, h2)  # a draft is not submitted
    assert carry_source(subject=pm.person, author=pm.person) == last_review


# The start page and My pathway ---------------------------------------------------------------------------


def test_the_start_page_offers_the_last_submitted_ratings_or_blank(client, pm, h2, django_assert_max_num_queries):
    client.force_login(pm)
    with django_assert_max_num_queries(11):
        html = words(client.get(START))
    assert "How do you want to begin?" in html
    assert 'value="carry" checked> <label class="form-check-label" for="begin-carry">' in html
    assert "Start from your last submitted ratings (2026 H1)</label>" in html
    assert "Start blank</label>" in html


def test_without_earlier_submitted_ratings_there_is_no_choice(client, pm, framework):
    make_cycle()
    client.force_login(pm)
    assert "How do you want to begin?" not in client.get(START).content.decode()


def test_home_offers_both_starts_in_one_click(client, pm, framework, h2):
    client.force_login(pm)
    html = words(client.get(reverse("home")))
    assert (
        '<input type="hidden" name="begin" value="carry"> <button type="submit" class="btn btn-primary">Start from '
        in html
    )
    assert "Start from your last submitted ratings (2026 H1)</button>" in html
    assert '<input type="hidden" name="begin" value="blank">' in html
    assert "Start self-assessment</button>" not in html


def test_starting_from_the_last_ratings_marks_each_one_on_the_page(
    client, pm, framework, h2, django_assert_max_num_queries
):
    client.force_login(pm)
    response = client.post(START, {"level": level(framework, "ic-3").pk, "begin": "carry"})
    new = Assessment.objects.get(cycle=h2)
    assert response["Location"] == new.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Started from your 2026 H1 ratings: 4 ratings carried, each marked until you change it. "
        "Your answers save as you go."
    ]
    with django_assert_max_num_queries(19):
        html = words(client.get(new.get_absolute_url()))
    assert html.count('<span class="capability__carried-tag">Carried from 2026 H1</span>') == 4
    assert '<strong id="carried-count">4 ratings are</strong> carried from 2026 H1 and not changed yet.' in html
    assert EVIDENCE in html


def test_starting_blank_carries_nothing(client, pm, framework, h2):
    client.force_login(pm)
    client.post(START, {"level": level(framework, "ic-3").pk, "begin": "blank"})
    new = Assessment.objects.get(cycle=h2)
    assert new.carried_from is None
    assert not any(r.is_rated or r.carried for r in new.ratings.all())
    assert "capability__carried" not in client.get(new.get_absolute_url()).content.decode()


def test_a_one_click_start_with_ratings_to_carry_asks_how_to_begin_first(client, pm, framework, h2):
    client.force_login(pm)
    response = client.post(START, {"level": level(framework, "ic-3").pk})
    assert response.status_code == 200
    assert not Assessment.objects.filter(cycle=h2).exists()
    html = words(response)
    assert "Start from your last submitted ratings (2026 H1)</label>" in html
    assert f'<option value="{level(framework, "ic-3").pk}" selected>' in html
    # The open cycle the one click would have used is the one chosen on the page.
    assert f'name="cycle" id="id_cycle_0" value="{h2.pk}" checked>' in html


def test_a_start_that_opens_the_existing_draft_carries_nothing_into_it(client, pm, framework, h2):
    existing = start(pm, pm, level(framework, "ic-3"), h2)
    client.force_login(pm)
    response = client.post(START, {"level": level(framework, "ic-3").pk, "begin": "carry"})
    assert response["Location"] == existing.get_absolute_url()
    assert not existing.ratings.filter(carried=True).exists()


def test_an_unknown_way_to_begin_is_refused_with_a_sentence(client, pm, framework, h2):
    client.force_login(pm)
    response = client.post(START, {"level": level(framework, "ic-3").pk, "begin": "both"})
    assert response.status_code == 400
    assert "Choose whether to start from your last submitted ratings or blank." in response.content.decode()
    assert not Assessment.objects.filter(cycle=h2).exists()


# Touching a carried rating, and the check page -----------------------------------------------------------


@pytest.fixture
def carried_draft(pm, framework, last_review, h2):
    new, _ = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=h2, carry_from=last_review
    )
    return Assessment.objects.with_related().get(pk=new.pk)


def test_an_autosave_that_changes_a_carried_rating_removes_its_mark(client, pm, framework, carried_draft):
    rating = carried_draft.ratings.select_related("capability").order_by("capability__position", "pk").first()
    client.force_login(pm)
    response = client.post(
        rating_url(carried_draft, rating.capability),
        {
            f"r{rating.capability_id}-scale": scale(framework, "practitioner").pk,
            f"r{rating.capability_id}-evidence": EVIDENCE,
            f"r{rating.capability_id}-revision": rating.revision,
        },
        **HTMX_HEADERS,
    )
    html = words(response)
    assert f'<p class="capability__carried" id="carried-{rating.capability_id}" hidden hx-swap-oob="true"></p>' in html
    assert '<strong id="carried-count">3 ratings are</strong> carried from 2026 H1' in html
    rating.refresh_from_db()
    assert not rating.carried
    page = client.get(page_url(carried_draft)).content.decode()
    assert page.count('class="capability__carried-tag"') == 3
    assert f'id="carried-{rating.capability_id}"' not in page


def test_the_last_carried_change_hides_the_count(client, pm, framework, carried_draft):
    carried_draft.ratings.exclude(pk=carried_draft.ratings.first().pk).update(carried=False)
    rating = carried_draft.ratings.get(carried=True)
    client.force_login(pm)
    response = client.post(
        rating_url(carried_draft, rating.capability),
        {f"r{rating.capability_id}-evidence": "Changed.", f"r{rating.capability_id}-revision": rating.revision},
        **HTMX_HEADERS,
    )
    assert '<div id="carried-callout" hidden hx-swap-oob="true"></div>' in response.content.decode()


def test_saving_the_page_unchanged_keeps_the_marks(client, pm, carried_draft):
    client.force_login(pm)
    response = client.post(page_url(carried_draft), page_post_data(carried_draft))
    assert response.status_code == 302
    assert carried_draft.ratings.filter(carried=True).count() == 4


def test_submitting_lists_the_untouched_carried_ratings_before_anything_is_submitted(
    client, pm, framework, carried_draft, django_assert_max_num_queries
):
    rating = carried_draft.ratings.select_related("capability").order_by("capability__position", "pk").first()
    client.force_login(pm)
    data = page_post_data(
        carried_draft, action="submit", changes={rating.capability_id: {"evidence": "This half: led pricing."}}
    )
    response = client.post(page_url(carried_draft), data)
    assert response["Location"] == reverse("assessments:check", args=[carried_draft.pk])
    carried_draft.refresh_from_db()
    assert carried_draft.status == Assessment.Status.DRAFT
    with django_assert_max_num_queries(9):
        html = words(client.get(response["Location"]))
    assert "Before you submit: check 3 carried ratings</h1>" in html
    assert "Carried from 2026 H1 and not changed: 3 ratings</h2>" in html
    others = carried_draft.ratings.filter(carried=True).select_related("capability")
    for other in others:
        assert f'href="{page_url(carried_draft)}#capability-{other.capability_id}">{other.capability.name}</a>' in html
    assert f"#capability-{rating.capability_id}" not in html
    assert 'name="action" value="submit-checked"' in html

    response = client.post(page_url(carried_draft), {"action": "submit-checked"})
    assert response["Location"] == page_url(carried_draft)
    carried_draft.refresh_from_db()
    assert carried_draft.status == Assessment.Status.SUBMITTED


def test_with_something_missing_the_check_page_lists_both_and_offers_no_submit(client, pm, carried_draft):
    unrated = carried_draft.ratings.first()
    carried_draft.ratings.filter(pk=unrated.pk).update(scale_level=None, not_applicable=False, carried=False)
    client.force_login(pm)
    html = words(client.get(reverse("assessments:check", args=[carried_draft.pk])))
    assert "Before you submit: 1 thing to finish</h1>" in html
    assert "Not rated yet." in html
    assert "Carried from 2026 H1 and not changed: 3 ratings</h2>" in html
    assert "submit-checked" not in html
    # Submitting from a stale check page still stops at what is missing.
    response = client.post(page_url(carried_draft), {"action": "submit-checked"})
    assert response["Location"] == reverse("assessments:check", args=[carried_draft.pk])
    carried_draft.refresh_from_db()
    assert carried_draft.status == Assessment.Status.DRAFT


def test_once_every_carried_rating_is_changed_submit_goes_straight_through(client, pm, carried_draft):
    carried_draft.ratings.update(carried=False)
    client.force_login(pm)
    response = client.post(page_url(carried_draft), page_post_data(carried_draft, action="submit"))
    assert response["Location"] == page_url(carried_draft)
    carried_draft.refresh_from_db()
    assert carried_draft.status == Assessment.Status.SUBMITTED


def test_nobody_else_can_submit_a_carried_draft_from_the_check_page(client, manager, carried_draft):
    client.force_login(manager)
    assert client.post(page_url(carried_draft), {"action": "submit-checked"}).status_code == 404
    assert client.get(reverse("assessments:check", args=[carried_draft.pk])).status_code == 404


# The manager's review of a report -------------------------------------------------------------------------


def test_a_manager_starts_from_their_own_last_review_of_the_person(client, pm, manager, framework, h1):
    ic3 = level(framework, "ic-3")
    earlier = submitted(pm, manager, ic3, h1, scale_key="practitioner", evidence="Maya saw the launch.")
    ReviewCycle.objects.filter(pk=h1.pk).update(status=ReviewCycle.Status.CLOSED)
    h2 = make_cycle("2026 H2")
    client.force_login(manager)
    # The Assess button on My team or the person's page posts the level and cycle: first, how to begin.
    asked = client.post(START, {"subject": pm.person.pk, "level": ic3.pk, "cycle": h2.pk})
    assert asked.status_code == 200
    assert "Start from your last submitted ratings of Priya Product (2026 H1)</label>" in words(asked)
    response = client.post(START, {"subject": pm.person.pk, "level": ic3.pk, "cycle": h2.pk, "begin": "carry"})
    review = Assessment.objects.get(cycle=h2, kind=Assessment.Kind.MANAGER)
    assert response["Location"] == review.get_absolute_url()
    assert review.carried_from == earlier
    assert {r.evidence for r in review.ratings.all()} == {"Maya saw the launch."}
    assert review.ratings.filter(carried=True, scale_level__key="practitioner").count() == 4
    # The recommendation is this review's own, made afresh.
    assert review.recommendation == Assessment.Recommendation.NOT_ASSESSED
    html = words(client.get(review.get_absolute_url()))
    assert html.count("Carried from 2026 H1</span>") == 4


def test_the_start_message_names_what_the_new_level_does_not_ask_for(client, pm, framework, h2):
    client.force_login(pm)
    response = client.post(START, {"level": level(framework, "ic-1").pk, "begin": "carry"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Started from your 2026 H1 ratings: 3 ratings carried, each marked until you change it. "
        "Your answers save as you go. Not carried, as IC level 1 does not ask for them: Capability 2.2."
    ]


def test_outside_cycles_the_source_is_named_by_the_day_it_was_submitted(client, pm, framework):
    import datetime

    from django.utils import timezone

    earlier = submitted(pm, pm, level(framework, "ic-2"), evidence=EVIDENCE)
    day = timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    Assessment.objects.filter(pk=earlier.pk).update(submitted_at=day)
    client.force_login(pm)
    html = words(client.get(START))  # no cycle open: the start is outside cycles too
    assert "Start from your last submitted ratings (your review of 4 March 2026)</label>" in html
    response = client.post(START, {"level": level(framework, "ic-3").pk, "cycle": "none", "begin": "carry"})
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(
        "Started from your review of 4 March 2026: 4 ratings carried"
    )
    new = Assessment.objects.get(level=level(framework, "ic-3"))
    page = words(client.get(new.get_absolute_url()))
    assert page.count("Carried from your review of 4 March 2026</span>") == 4


def test_an_unanswered_rating_is_not_carried_and_a_lost_source_still_reads(client, pm, framework, last_review, h2):
    blank = last_review.ratings.select_related("capability").order_by("capability__position", "pk").first()
    last_review.ratings.filter(pk=blank.pk).update(scale_level=None, not_applicable=False, evidence="")
    new, _ = Assessment.start(
        subject=pm.person, author=pm.person, level=level(framework, "ic-3"), cycle=h2, carry_from=last_review
    )
    assert not new.ratings.get(capability=blank.capability).carried
    assert new.carry_result.left_out == [] and len(new.carry_result.carried) == 3
    Assessment.objects.filter(pk=new.pk).update(carried_from=None)  # say the source was removed since
    client.force_login(pm)
    html = words(client.get(page_url(new)))
    assert html.count("Carried from your last review</span>") == 3


@pytest.mark.parametrize("earlier", [1, 4])
def test_home_offering_to_carry_keeps_its_query_count(client, pm, framework, earlier, django_assert_max_num_queries):
    import datetime

    for number in range(earlier):
        cycle = make_cycle(f"{2020 + number} H1", starts_on=f"{2020 + number}-01-01")
        submitted(pm, pm, level(framework, "ic-3"), cycle)
        ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
        Assessment.objects.filter(cycle=cycle).update(
            submitted_at=datetime.datetime(2020 + number, 3, 1, tzinfo=datetime.UTC)
        )
    make_cycle("2026 H2")
    client.force_login(pm)
    # Measured: 8 with 1 and with 4 earlier reviews (the newest one to start from is found among my own assessments,
    # which My pathway reads once for its card and its outcome).
    with django_assert_max_num_queries(9):
        html = client.get(reverse("home")).content.decode()
    assert f"Start from your last submitted ratings ({2020 + earlier - 1} H1)</button>" in html

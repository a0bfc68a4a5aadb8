"""The manager's page for a report in a cycle: compare → agree → recommend → share (preview, undo, delayed email)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.reports.readiness import Verdict
from assessments.reviews.models import Assessment, ReviewCycle
from assessments.reviews.notifications import send_shared
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, agree, make_cycle, make_review, set_status
from tests.factories import make_framework, make_user


@pytest.fixture
def review(pm, manager, framework):
    """Priya against IC level 3 in 2026 H1: self and manager both submitted, Maya recommends Not yet."""
    cycle = make_cycle()
    mine, theirs = make_review(pm, manager, framework.levels.get(key="ic-3"), SELF_RANKS, MANAGER_RANKS, cycle=cycle)
    return {"cycle": cycle, "self": mine, "manager": theirs}


def page_url(review):
    theirs = review["manager"]
    return f"{reverse('reports:compare', args=[theirs.subject_id])}?level={theirs.level_id}&cycle={review['cycle'].pk}"


def recommend_url(assessment):
    return reverse("reports:recommend", args=[assessment.pk])


def share_url(assessment):
    return reverse("assessments:share", args=[assessment.pk])


def undo_url(assessment):
    return reverse("assessments:undo_share", args=[assessment.pk])


def fresh(assessment):
    return Assessment.objects.get(pk=assessment.pk)


def shared_minutes_ago(assessment, minutes):
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SHARED, shared_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return fresh(assessment)


# One page, in order -----------------------------------------------------------------------------------


def test_the_author_gets_the_four_steps_in_order(client, manager, review):
    client.force_login(manager)
    body = client.get(page_url(review)).content.decode()
    headings = ["Step 1 of 4</span> Compare", "Step 2 of 4</span> Agree the ratings", "Step 3 of 4</span> Recommend"]
    headings.append("Step 4 of 4</span> Share")
    positions = [body.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert body.index("Save agreed ratings") < positions[2] < body.index("Save recommendation") < positions[3]
    assert body.index('action="/reports/assessments/') < positions[2]
    assert "Share with Priya Product" in body[positions[3] :]


def test_other_readers_get_the_comparison_without_steps(client, hr_admin, pm, review):
    client.force_login(hr_admin)
    response = client.get(page_url(review))
    body = response.content.decode()
    assert response.status_code == 200 and not response.context["steps"]
    assert "Step 1 of 4" not in body and "Share with" not in body and "Save recommendation" not in body
    set_status(review["manager"], Assessment.Status.SHARED)
    client.force_login(pm)
    body = client.get(page_url(review)).content.decode()
    assert "Step 1 of 4" not in body and "Undo sharing" not in body


def test_before_both_submit_the_steps_say_what_is_missing(client, manager, review):
    set_status(review["self"], Assessment.Status.DRAFT)
    client.force_login(manager)
    body = client.get(page_url(review)).content.decode()
    assert "You agree the ratings here once Priya has submitted their self-assessment for 2026 H1." in body
    assert "Save recommendation" in body  # her self-assessment is not needed to recommend or share
    set_status(review["manager"], Assessment.Status.DRAFT)
    body = client.get(page_url(review)).content.decode()
    assert body.count("Submit your assessment first") == 3
    assert "Share with" not in body and "Save recommendation" not in body


def test_the_manager_page_query_count_is_pinned(client, manager, review, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(page_url(review)).status_code == 200
    set_status(review["manager"], Assessment.Status.SHARED)
    with django_assert_max_num_queries(14):
        assert "Undo sharing" in client.get(page_url(review)).content.decode()


def test_the_query_count_does_not_grow_with_the_framework(client, django_assert_max_num_queries, db):
    for size, (areas, per_area) in enumerate(((2, 2), (5, 6))):
        framework = make_framework(key=f"fw-{size}", areas=areas, capabilities_per_area=per_area)
        boss = make_user(f"boss{size}@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
        report = make_user(f"rep{size}@example.com", "Rep", manager=boss, level=framework.levels.get(key="ic-2"))
        ranks = {capability.key: 2 for capability in framework.capabilities.all()}
        make_review(report, boss, framework.levels.get(key="ic-3"), ranks, ranks)
        client.force_login(boss)
        with django_assert_max_num_queries(14):
            assert "Share with Rep" in client.get(reverse("reports:compare", args=[report.person.pk])).content.decode()


# Recommend: the verdict's three words -----------------------------------------------------------------


def test_the_recommendation_speaks_the_verdicts_three_words():
    assert [(choice.value, choice.label) for choice in Verdict] == [
        ("ready", "Ready"),
        ("nearly", "Nearly"),
        ("not-yet", "Not yet"),
    ]
    words = [(value, label) for value, label in Assessment.Recommendation.choices if value != "not_assessed"]
    assert words == Verdict.choices


def test_the_recommend_step_offers_the_three_words_with_the_verdict(client, manager, review):
    client.force_login(manager)
    response = client.get(page_url(review))
    body = response.content.decode()
    step = body[body.index('id="recommend"') : body.index('id="share"')]
    for value, word in (("ready", "Ready"), ("nearly", "Nearly"), ("not-yet", "Not yet")):
        assert f'value="{value}"' in step and f">{word}</label>" in step
    assert 'value="not-yet" checked' in step
    verdict = response.context["readiness"].label
    assert f"is <strong>{verdict}</strong>" in step


def test_the_manager_recommends_nearly_and_moves_on_to_share(client, manager, review):
    theirs = review["manager"]
    client.force_login(manager)
    data = {"recommendation": "nearly", "rationale": "  Close: one capability to go. ", "revision": theirs.revision}
    response = client.post(recommend_url(theirs), data)
    assert response.status_code == 302 and response["Location"].endswith("#share")
    theirs = fresh(theirs)
    assert (theirs.recommendation, theirs.rationale) == ("nearly", "Close: one capability to go.")
    body = client.get(response["Location"]).content.decode()
    assert body.index("Recommendation saved: Nearly.") > body.index('id="share-heading"')
    assert "<strong>Nearly</strong> for IC level 3: Close: one capability to go." in body  # the preview
    again = client.post(recommend_url(theirs), {**data, "revision": theirs.revision}, follow=True)
    assert "Nothing had changed: you recommend Nearly." in again.content.decode()


@pytest.mark.parametrize("word", ["", "not_yet", "maybe", "not_assessed"])
def test_a_recommendation_outside_the_three_words_is_refused_keeping_the_reason(client, manager, review, word):
    theirs = review["manager"]
    client.force_login(manager)
    data = {"recommendation": word, "rationale": "My reason, kept.", "revision": theirs.revision}
    response = client.post(recommend_url(theirs), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose Ready, Nearly or Not yet." in body and "My reason, kept." in body
    assert fresh(theirs).recommendation == "not-yet"


def test_a_stale_recommendation_is_refused_keeping_what_was_chosen(client, manager, review):
    theirs = review["manager"]
    client.force_login(manager)
    data = {"recommendation": "ready", "rationale": "Ready now.", "revision": theirs.revision - 1}
    response = client.post(recommend_url(theirs), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nothing was saved" in body and "Ready now." in body and 'value="ready" checked' in body
    assert response.context["recommend_form"]["revision"].value() == theirs.revision
    assert fresh(theirs).recommendation == "not-yet"


def test_recommend_is_for_the_author_only(client, stranger, hr_admin, pm, review):
    theirs = review["manager"]
    data = {"recommendation": "ready", "rationale": "", "revision": theirs.revision}
    client.force_login(stranger)
    assert client.post(recommend_url(theirs), data).status_code == 404
    client.force_login(hr_admin)
    assert client.post(recommend_url(theirs), data).status_code == 403
    client.force_login(pm)
    response = client.post(recommend_url(review["self"]), data)
    assert response.status_code == 403 and "Only a manager assessment" in response.content.decode()
    assert client.get(recommend_url(theirs)).status_code == 405
    assert fresh(theirs).recommendation == "not-yet"


def test_a_draft_is_recommended_in_the_assessment_not_here(client, manager, review):
    theirs = set_status(review["manager"], Assessment.Status.DRAFT)
    client.force_login(manager)
    data = {"recommendation": "ready", "rationale": "", "revision": theirs.revision}
    response = client.post(recommend_url(theirs), data, follow=True)
    assert "Submit your assessment before recommending here." in response.content.decode()
    assert fresh(theirs).recommendation == "not-yet"


def test_the_draft_page_offers_the_same_three_words(client, manager, pm, framework):
    _, draft = make_review(pm, manager, framework.levels.get(key="ic-3"), None, MANAGER_RANKS, manager_status="draft")
    client.force_login(manager)
    body = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert [word for _, word in Verdict.choices if f">{word}</label>" in body] == ["Ready", "Nearly", "Not yet"]


# Share: a preview, then an undo until the email goes -----------------------------------------------


def test_share_shows_what_the_person_will_see_first(client, manager, review):
    agree(review["manager"], {"cap-1-2": 3}, {"cap-1-2": "Convinced by her pricing work."})
    Assessment.objects.filter(pk=review["manager"].pk).update(overall_comment="A strong half.")
    client.force_login(manager)
    body = client.get(page_url(review)).content.decode()
    step = body[body.index('id="share"') :]
    assert "What Priya will see" in step
    assert "<strong>Not yet</strong> for IC level 3: Strong on users; strategy still growing." in step
    assert "A strong half." in step
    assert "4 capabilities beside their own ratings, with your evidence;" in step
    assert "1 agreed rating with your notes" in step
    assert "Convinced by her pricing work." in step
    assert "“Maya Manager shared their assessment of you against IC level 3”" in step
    assert step.index("What Priya will see") < step.index("Share with Priya Product")


def test_sharing_offers_undo_and_says_when_the_email_goes(client, manager, pm, review):
    theirs = review["manager"]
    client.force_login(manager)
    response = client.post(share_url(theirs), {"next": page_url(review) + "#share"})
    assert response.status_code == 302 and response["Location"] == page_url(review) + "#share"
    theirs = fresh(theirs)
    assert theirs.status == "shared"
    due = timezone.localtime(theirs.share_email_due)
    assert due - timezone.localtime(theirs.shared_at) == datetime.timedelta(minutes=10)
    body = client.get(response["Location"]).content.decode()
    assert f"Shared with Priya Product. The email goes to them at {due:%H:%M}." in body
    assert f"Until <strong>{due:%H:%M}</strong>, when the email goes, you can take it back." in body
    assert "Undo sharing" in body and "What Priya will see" not in body


def test_share_goes_back_only_to_a_page_of_this_site(client, manager, review):
    theirs = review["manager"]
    client.force_login(manager)
    response = client.post(share_url(theirs), {"next": "https://elsewhere.example/"})
    assert response["Location"] == reverse("assessments:detail", args=[theirs.pk])


def test_undo_inside_the_window_takes_the_share_back(client, manager, pm, review):
    theirs = shared_minutes_ago(review["manager"], 9)
    client.force_login(manager)
    response = client.post(undo_url(theirs), {"next": page_url(review) + "#share"})
    assert response["Location"].endswith("#share")
    theirs = fresh(theirs)
    assert (theirs.status, theirs.shared_at) == ("submitted", None)
    body = client.get(response["Location"]).content.decode()
    assert "Sharing undone: Priya Product can no longer see it, and no email goes." in body
    assert "Share with Priya Product" in body
    client.force_login(pm)
    assert client.get(page_url(review)).status_code == 404
    assert client.post(undo_url(theirs)).status_code == 404  # no longer hers to see
    client.force_login(manager)
    assert "It is not shared with Priya Product." in client.post(undo_url(theirs), follow=True).content.decode()


def test_after_ten_minutes_there_is_no_undo(client, manager, review):
    theirs = shared_minutes_ago(review["manager"], 10)
    client.force_login(manager)
    body = client.get(page_url(review)).content.decode()
    assert "Undo sharing" not in body and "The email has gone" in body
    response = client.post(undo_url(theirs), follow=True)
    assert "The email to Priya Product has gone, so sharing can no longer be undone." in response.content.decode()
    assert fresh(theirs).status == "shared"


def test_undo_is_for_the_author_only(client, stranger, hr_admin, review):
    theirs = shared_minutes_ago(review["manager"], 1)
    for viewer, status in ((stranger, 404), (hr_admin, 403)):
        client.force_login(viewer)
        assert client.post(undo_url(theirs)).status_code == status
    assert client.get(undo_url(theirs)).status_code == 405
    assert fresh(theirs).status == "shared"


# The email goes only after the window, and only if the share still stands ----------------------------


def test_the_email_is_queued_for_when_the_window_closes(client, manager, review, database_tasks):
    from django_tasks_db.models import DBTaskResult

    theirs = review["manager"]
    client.force_login(manager)
    client.post(share_url(theirs))
    theirs = fresh(theirs)
    queued = DBTaskResult.objects.get(task_path=send_shared.module_path)
    assert queued.run_after == theirs.share_email_due
    assert database_tasks() == 0 and mail.outbox == []  # not due: the worker leaves it
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())  # ten minutes later
    assert database_tasks() == 2  # the check, then the email it queues
    assert [message.to for message in mail.outbox] == [["priya@example.com"]]


def test_an_undone_share_sends_no_email(client, manager, review, database_tasks):
    from django_tasks_db.models import DBTaskResult

    client.force_login(manager)
    client.post(share_url(review["manager"]))
    client.post(undo_url(review["manager"]))
    DBTaskResult.objects.update(run_after=timezone.now())
    assert database_tasks() == 1 and mail.outbox == []
    assert DBTaskResult.objects.get().return_value == "Not sent: the share was undone."


def test_the_task_rechecks_that_the_share_still_stands(manager, review):
    theirs = review["manager"]
    assert theirs.share()
    first = fresh(theirs).shared_at.isoformat()
    assert send_shared.call(theirs.pk, first) == "Queued"  # still shared: the email is queued (and sent, in tests)
    assert len(mail.outbox) == 1
    assert fresh(theirs).undo_share()
    assert send_shared.call(theirs.pk, first) == "Not sent: the share was undone."
    assert fresh(theirs).share()  # shared again: that share has an email of its own, not this one
    assert send_shared.call(theirs.pk, first) == "Not sent: the share was undone."
    assert send_shared.call(999999, first) == "Not sent: the share was undone."
    pm_user = theirs.subject.user
    pm_user.is_active = False
    pm_user.save()
    assert send_shared.call(theirs.pk, fresh(theirs).shared_at.isoformat()) == "Not sent: the person cannot get emails."
    assert len(mail.outbox) == 1


# Closed cycles stay read-only --------------------------------------------------------------------------


def test_a_closed_cycle_has_no_forms_and_refuses_every_step(client, manager, review):
    theirs = shared_minutes_ago(review["manager"], 1)
    ReviewCycle.objects.filter(pk=review["cycle"].pk).update(status=ReviewCycle.Status.CLOSED)
    client.force_login(manager)
    response = client.get(page_url(review))
    body = response.content.decode()
    assert response.context["form"] is None and response.context["recommend_form"] is None
    assert "Undo sharing" not in body and "Save recommendation" not in body
    assert "is closed, so nothing in it can be changed" in body
    data = {"recommendation": "ready", "rationale": "", "revision": theirs.revision}
    for url, posted in ((recommend_url(theirs), data), (undo_url(theirs), {})):
        refused = client.post(url, posted)
        assert refused.status_code == 403 and "is closed" in refused.content.decode()
    assert (fresh(theirs).status, fresh(theirs).recommendation) == ("shared", "not-yet")
    set_status(theirs, Assessment.Status.SUBMITTED)
    assert client.post(share_url(theirs)).status_code == 403
    assert fresh(theirs).status == "submitted"


def test_the_model_refuses_too(manager, review):
    from assessments.reviews.cycles import CycleClosed

    theirs = review["manager"]
    ReviewCycle.objects.filter(pk=review["cycle"].pk).update(status=ReviewCycle.Status.CLOSED)
    with pytest.raises(CycleClosed):
        theirs.record_recommendation(recommendation="ready", rationale="", expected_revision=theirs.revision)
    assert fresh(theirs).recommendation == "not-yet"


def test_the_model_takes_only_a_verdicts_word_on_a_manager_assessment(manager, review):
    from django.core.exceptions import ValidationError

    theirs, mine = review["manager"], review["self"]
    for assessment, word in ((theirs, "maybe"), (mine, "ready")):
        with pytest.raises(ValidationError):
            assessment.record_recommendation(recommendation=word, rationale="", expected_revision=assessment.revision)
    same = {"recommendation": theirs.recommendation, "rationale": theirs.rationale}
    assert theirs.record_recommendation(**same, expected_revision=theirs.revision) is False


def test_the_saved_message_counts_notes_alone():
    from assessments.reports.forms import saved_message

    assert saved_message(0, 2) == "Saved: 2 notes changed."
    assert saved_message(2, 0) == "Saved: 2 agreed ratings changed."

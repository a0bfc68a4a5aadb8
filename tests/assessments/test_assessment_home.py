"""My pathway: start or continue a self-assessment; for a manager, the self-assessments waiting for review."""

from django.urls import reverse

from assessments.reviews.models import Assessment
from tests.assessments.assessment_helpers import level, make_cycle, scale, shared, start, submitted

HOME = reverse("home")


def test_home_offers_to_start_a_self_assessment_against_the_next_level(client, pm, framework):
    client.force_login(pm)
    html = client.get(HOME).content.decode()
    assert f'<input type="hidden" name="level" value="{level(framework, "ic-3").pk}">' in html
    assert "Start self-assessment</button>" in html
    client.post(reverse("assessments:start"), {"level": level(framework, "ic-3").pk})
    assert Assessment.objects.get().level == level(framework, "ic-3")


def test_home_offers_to_continue_a_draft_with_its_progress(client, pm, framework):
    draft = start(pm, pm, level(framework, "ic-3"))
    rating = draft.ratings.first()
    rating.record(scale_level=scale(framework, "working"), not_applicable=False, evidence="", expected_revision=1)
    client.force_login(pm)
    html = client.get(HOME).content.decode()
    assert f'href="/assessments/{draft.pk}/">Continue — 1 of 4 rated</a>' in html
    assert "Start self-assessment" not in html


def test_manager_home_lists_self_assessments_waiting_for_review(client, pm, manager, framework):
    target = level(framework, "ic-3")
    waiting = submitted(pm, pm, target)
    client.force_login(manager)
    html = client.get(HOME).content.decode()
    assert "1 self-assessment waits for your review" in html
    assert f'<a href="/assessments/{waiting.pk}/">Priya Product against IC level 3</a>' in html

    submitted(pm, manager, target)
    assert "waits for your review" not in client.get(HOME).content.decode()


def test_drafts_of_reports_do_not_wait_for_review(client, pm, manager, framework):
    start(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    assert "for your review" not in client.get(HOME).content.decode()


def test_self_assessments_of_a_closed_cycle_do_not_wait_for_review(client, pm, manager, framework):
    from assessments.reviews.models import ReviewCycle
    from tests.assessments.assessment_helpers import make_cycle, page_url

    cycle = make_cycle()
    old = submitted(pm, pm, level(framework, "ic-3"), cycle)
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
    client.force_login(manager)
    assert "for your review" not in client.get(HOME).content.decode()
    assert "Assess Priya Product" not in client.get(page_url(old)).content.decode()


def test_person_page_offers_assess_to_their_managers_and_the_list_to_hr(client, pm, manager, hr_admin, framework):
    url = reverse("person", args=[pm.person.pk])
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "Assess Priya Product against IC level 3</button>" in html
    assert f'href="/assessments/person/{pm.person.pk}/">Priya Product’s assessments</a>' in html
    client.force_login(hr_admin)
    html = client.get(url).content.decode()
    assert "Assess Priya Product" not in html
    assert f'href="/assessments/person/{pm.person.pk}/"' in html
    client.force_login(pm)
    assert 'href="/assessments/">Your assessments</a>' in client.get(url).content.decode()


def test_submitted_self_assessment_waits_for_the_managers_review_instead_of_offering_a_start(client, pm, framework):
    import datetime

    from django.utils import timezone

    cycle = make_cycle()
    done = submitted(pm, pm, level(framework, "ic-3"), cycle)
    Assessment.objects.filter(pk=done.pk).update(submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 4, 10)))
    client.force_login(pm)
    html = " ".join(client.get(HOME).content.decode().split())
    assert "<strong>Submitted 4 Nov</strong> — waiting for Maya Manager’s review." in html
    assert f'href="/assessments/{done.pk}/">View your self-assessment</a>' in html
    assert "Start self-assessment" not in html


def test_a_closed_cycles_submitted_self_assessment_does_not_stop_a_new_start(client, pm, framework):
    from assessments.reviews.models import ReviewCycle

    old = make_cycle("2026 H1", starts_on="2026-01-01")
    submitted(pm, pm, level(framework, "ic-3"), old)
    ReviewCycle.objects.filter(pk=old.pk).update(status=ReviewCycle.Status.CLOSED)
    make_cycle()
    client.force_login(pm)
    html = client.get(HOME).content.decode()
    # A new start, offered from the closed cycle's ratings or blank (carry forward).
    assert "Start from your last submitted ratings (2026 H1)</button>" in html
    assert "Start blank<span" in html
    assert "View your self-assessment" not in html


def test_submitted_self_assessment_says_when_the_outcome_has_been_shared(client, pm, manager, framework):
    cycle = make_cycle()
    submitted(pm, pm, level(framework, "ic-3"), cycle)
    shared(pm, manager, level(framework, "ic-3"), cycle)
    client.force_login(pm)
    html = " ".join(client.get(HOME).content.decode().split())
    assert "— Maya Manager has shared their assessment: your outcome is below." in html
    assert "waiting for Maya Manager’s review" not in html


def test_returned_self_assessment_says_who_returned_it_when_and_why_with_make_changes(client, pm, manager, framework):
    import datetime

    from django.utils import timezone

    returned = submitted(pm, pm, level(framework, "ic-3"), make_cycle())
    assert returned.return_for_changes(by=manager.person, comment="Add evidence for user research, please.")
    Assessment.objects.filter(pk=returned.pk).update(returned_at=timezone.make_aware(datetime.datetime(2026, 11, 12)))
    client.force_login(pm)
    html = " ".join(client.get(HOME).content.decode().split())
    assert (
        "<strong>Returned for changes</strong> by Maya Manager on 12 Nov: "
        '<span class="people-status__comment">“Add evidence for user research, please.”</span>'
    ) in html
    assert f'href="/assessments/{returned.pk}/">Make changes<span class="visually-hidden">' in html
    assert "rated</a>" not in html  # not the plain "Continue — n of m rated"
    assert client.get(f"/assessments/{returned.pk}/").status_code == 200

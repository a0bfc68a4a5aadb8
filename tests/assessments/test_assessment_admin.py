"""HR's admin: review cycles, and assessments with who changed which rating when."""

from django.urls import reverse

from assessments.reviews.models import Assessment, Rating, ReviewCycle
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    make_cycle,
    rate_all,
    rating_url,
    scale,
    shared,
    start,
    submitted,
)
from tests.factories import make_user


def test_hr_sees_who_changed_which_rating_when(client, pm, manager, hr_admin, framework):
    # The draft's autosaves are its author's alone (reviews/history.py); the submitted answers and what
    # changed after (the agreed outcome) are the audit trail.
    submitted(pm, pm, level(framework, "ic-3"))
    assessment = start(pm, manager, level(framework, "ic-3"))
    capability = assessment.ratings.first().capability
    client.force_login(manager)
    prefix = f"r{capability.pk}"
    for revision, word in ((1, "working"), (2, "expert")):
        client.post(
            rating_url(assessment, capability),
            {
                f"{prefix}-scale": scale(framework, word).pk,
                f"{prefix}-evidence": f"Now {word}.",
                f"{prefix}-revision": revision,
            },
            **HTMX_HEADERS,
        )
    assessment.ratings.exclude(capability=capability).update(scale_level=scale(framework, "working"))
    assessment.refresh_from_db()
    assessment.update_details(expected_revision=assessment.revision, recommendation=Assessment.Recommendation.READY)
    assert assessment.submit()
    assessment.refresh_from_db()
    assessment.record_agreed_outcome(
        {capability.pk: (scale(framework, "working"), False, "Agreed on working.")},
        expected_revision=assessment.revision,
    )
    client.force_login(hr_admin)
    html = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk])).content.decode()
    assert "Who changed which rating when" in html
    assert "Now working." not in html  # a draft state
    assert "Now expert." in html  # the submitted answer
    assert "<td>Maya Manager</td>" in html
    rating = assessment.ratings.get(capability=capability)
    history = client.get(reverse("admin:assessments_rating_history", args=[rating.pk]))
    assert history.status_code == 200
    assert "Maya Manager" in history.content.decode()
    assert [row.history_change_reason for row in rating.history.all()] == [None, "Submitted"]  # newest first


def test_admin_lists_and_pages_render_for_hr(client, pm, hr_admin, framework):
    make_cycle()
    start(pm, pm, level(framework, "ic-3"))
    client.force_login(hr_admin)
    for name in ("reviewcycle", "assessment", "rating"):
        assert client.get(reverse(f"admin:assessments_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_reviewcycle_add")).status_code == 200
    # Assessments start in the app, where the rules hold.
    assert client.get(reverse("admin:assessments_assessment_add")).status_code == 403


def test_cycle_that_ends_before_it_starts_is_refused(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:assessments_reviewcycle_add"),
        {"name": "Backwards", "starts_on": "2026-07-01", "ends_on": "2026-06-01", "status": "closed"},
    )
    assert response.status_code == 200
    assert not ReviewCycle.objects.exists()


def test_admin_is_closed_to_managers(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 302


# What HR may read here: what the app would show them --------------------------------------------


def _admin_pages(assessment):
    """The admin's pages about one assessment and one of its ratings: change, history, one old version (a draft
    has no history rows: any number is asked for then)."""
    rating = assessment.ratings.first()
    first = assessment.history.order_by("history_id").first()
    first_rating = rating.history.order_by("history_id").first()
    return [
        reverse("admin:assessments_assessment_change", args=[assessment.pk]),
        reverse("admin:assessments_assessment_history", args=[assessment.pk]),
        reverse(
            "admin:assessments_assessment_simple_history",
            args=[assessment.pk, first.history_id if first else 1],
        ),
        reverse("admin:assessments_rating_change", args=[rating.pk]),
        reverse("admin:assessments_rating_history", args=[rating.pk]),
        reverse(
            "admin:assessments_rating_simple_history", args=[rating.pk, first_rating.history_id if first_rating else 1]
        ),
    ]


def _listed(client, name) -> list:
    return list(client.get(reverse(f"admin:assessments_{name}_changelist")).context["cl"].result_list)


def test_admin_shows_hr_no_draft(client, pm, hr_admin, framework):
    draft = rate_all(start(pm, pm, level(framework, "ic-3")), evidence="Draft words only Priya has seen.")
    client.force_login(hr_admin)
    for url in _admin_pages(draft):
        response = client.get(url)
        assert response.status_code == 302, url  # "doesn't exist", as for a deleted one
        assert "Draft words only Priya has seen." not in response.content.decode()
    assert _listed(client, "assessment") == []
    assert _listed(client, "rating") == []

    assert draft.submit()
    for url in _admin_pages(draft):
        assert client.get(url).status_code == 200, url
    assert _listed(client, "assessment") == [draft]


def test_admin_hides_a_manager_assessment_of_the_hr_admin_until_it_is_shared_with_her(client, framework):
    boss = make_user("mo@example.com", "Mo Manager", level=level(framework, "mgr-2"))
    hana = make_user("hana@example.com", "Hana Admin", hr_admin=True, manager=boss, level=level(framework, "mgr-1"))
    about_her = submitted(hana, boss, level(framework, "mgr-2"), evidence="Mo's view, not shared yet.")
    client.force_login(hana)
    for url in _admin_pages(about_her):
        assert client.get(url).status_code == 302, url
    assert _listed(client, "assessment") == []

    assert about_her.share()
    for url in _admin_pages(about_her):
        assert client.get(url).status_code == 200, url


# History is an audit trail: nothing is reverted or deleted from the admin ---------------------------


def test_reverting_an_assessment_from_its_history_is_refused(client, pm, hr_admin, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    assert assessment.return_for_changes(by=pm.person.manager, comment="Add evidence.")
    assessment.refresh_from_db()
    assert assessment.submit()
    first_version = assessment.history.earliest("history_id")
    url = reverse("admin:assessments_assessment_simple_history", args=[assessment.pk, first_version.history_id])
    client.force_login(hr_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert "Revert" not in response.content.decode()
    assert client.post(url, {}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_reverting_a_rating_from_its_history_is_refused(client, pm, manager, hr_admin, framework):
    assessment = shared(pm, manager, level(framework, "ic-3"))
    rating = assessment.ratings.first()
    as_submitted = rating.history.earliest()
    rating.scale_level = None
    rating.save()  # a later history row
    client.force_login(hr_admin)
    url = reverse("admin:assessments_rating_simple_history", args=[rating.pk, as_submitted.history_id])
    assert client.post(url, {}).status_code == 403
    rating.refresh_from_db()
    assert rating.scale_level_id is None


def test_reverting_a_cycle_or_a_person_from_their_history_is_refused(client, pm, hr_admin, framework):
    cycle = make_cycle()
    first = cycle.history.earliest()
    cycle.blind = True
    cycle.save()
    old_level = pm.person.history.earliest()
    pm.person.level = level(framework, "ic-3")
    pm.person.save()
    client.force_login(hr_admin)
    posts = [
        (reverse("admin:assessments_reviewcycle_simple_history", args=[cycle.pk, first.history_id]), {}),
        (reverse("admin:assessments_person_simple_history", args=[pm.person.pk, old_level.history_id]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    cycle.refresh_from_db()
    pm.person.refresh_from_db()
    assert cycle.blind
    assert pm.person.level == level(framework, "ic-3")


def test_assessments_and_ratings_cannot_be_changed_or_deleted_from_the_admin(client, pm, hr_admin, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    rating = assessment.ratings.first()
    client.force_login(hr_admin)
    for name, obj in (("assessment", assessment), ("rating", rating)):
        url = reverse(f"admin:assessments_{name}_delete", args=[obj.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        changelist = client.get(reverse(f"admin:assessments_{name}_changelist")).content.decode()
        assert str(obj) in changelist
        assert 'value="delete_selected"' not in changelist
    response = client.post(reverse("admin:assessments_assessment_change", args=[assessment.pk]), {})
    assert response.status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk, revision=assessment.revision).exists()
    assert Rating.objects.filter(pk=rating.pk).exists()


def test_a_cycle_with_assessments_cannot_be_deleted_but_an_empty_one_can(client, pm, hr_admin, framework):
    used = make_cycle()
    start(pm, pm, level(framework, "ic-3"), used)
    empty = make_cycle("2027 H1", starts_on="2027-07-01")
    client.force_login(hr_admin)
    assert (
        client.post(reverse("admin:assessments_reviewcycle_delete", args=[used.pk]), {"post": "yes"}).status_code == 403
    )
    response = client.post(reverse("admin:assessments_reviewcycle_delete", args=[empty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(ReviewCycle.objects.all()) == [used]

"""HR's admin: review cycles, and assessments with who changed which rating when."""

from django.urls import reverse

from tests.assessments.assessment_helpers import HTMX_HEADERS, level, make_cycle, rating_url, scale, start


def test_hr_sees_who_changed_which_rating_when(client, pm, hr_admin, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    capability = assessment.ratings.first().capability
    client.force_login(pm)
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
    client.force_login(hr_admin)
    html = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk])).content.decode()
    assert "Who changed which rating when" in html
    assert html.index("Now expert.") < html.index("Now working.")  # newest first
    assert "<td>Priya Product</td>" in html
    rating = assessment.ratings.get(capability=capability)
    history = client.get(reverse("admin:assessments_rating_history", args=[rating.pk]))
    assert history.status_code == 200
    assert "Priya Product" in history.content.decode()


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
    from assessments.models import ReviewCycle

    assert not ReviewCycle.objects.exists()


def test_admin_is_closed_to_managers(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 302

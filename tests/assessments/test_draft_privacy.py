"""A draft is private to its author (DESIGN.md rule 2), in the admin and its history pages too: the audit trail
keeps submitted states only (assessments/reviews/history.py)."""

import datetime
import importlib

from django.apps import apps
from django.urls import reverse

from assessments.reviews.models import Assessment, Rating
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    page_post_data,
    page_url,
    rating_url,
    scale,
    start,
    submitted,
)


def _autosave(client, assessment, capability, word, evidence, revision):
    prefix = f"r{capability.pk}"
    response = client.post(
        rating_url(assessment, capability),
        {f"{prefix}-scale": word.pk, f"{prefix}-evidence": evidence, f"{prefix}-revision": revision},
        **HTMX_HEADERS,
    )
    assert response.status_code == 200


def _admin_pages(client, assessment):
    """Every admin page HR could read about the assessment and its ratings, history rows included."""
    urls = [
        reverse("admin:assessments_assessment_change", args=[assessment.pk]),
        reverse("admin:assessments_assessment_history", args=[assessment.pk]),
    ]
    for row in Assessment.history.filter(id=assessment.pk):
        urls.append(reverse("admin:assessments_assessment_simple_history", args=[assessment.pk, row.history_id]))
    for rating in assessment.ratings.all():
        urls.append(reverse("admin:assessments_rating_history", args=[rating.pk]))
        urls.append(reverse("admin:assessments_rating_change", args=[rating.pk]))
        for row in Rating.history.filter(id=rating.pk):
            urls.append(reverse("admin:assessments_rating_simple_history", args=[rating.pk, row.history_id]))
    pages = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_hr_reads_no_draft_text_in_the_admin_after_a_draft_is_edited_and_submitted(client, pm, hr_admin, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    capability = assessment.ratings.first().capability
    client.force_login(pm)
    _autosave(client, assessment, capability, scale(framework, "working"), "My first, secret thought.", 1)
    _autosave(client, assessment, capability, scale(framework, "expert"), "", 2)  # the author deletes it
    assessment.refresh_from_db()
    data = page_post_data(assessment, changes={})
    data["overall_comment"] = "A summary I later threw away."
    assert client.post(page_url(assessment), data).status_code == 302
    assessment.refresh_from_db()
    data = page_post_data(assessment, changes={capability.pk: {"evidence": "Ran the pricing discovery."}})
    for rating in assessment.ratings.exclude(capability=capability):
        data[f"r{rating.capability_id}-scale"] = scale(framework, "working").pk
    data["overall_comment"] = "What I stand by."
    data["action"] = "submit"
    assert client.post(page_url(assessment), data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED

    client.force_login(hr_admin)
    html = _admin_pages(client, assessment)
    assert "My first, secret thought." not in html
    assert "A summary I later threw away." not in html
    assert "Ran the pricing discovery." in html  # the submitted answer is recorded, with who submitted it
    assert "What I stand by." in html
    rows = Rating.history.filter(assessment_id=assessment.pk)
    assert rows.count() == assessment.ratings.count()
    assert set(rows.values_list("history_change_reason", flat=True)) == {"Submitted"}
    assert set(rows.values_list("history_user", flat=True)) == {pm.pk}
    assert list(Assessment.history.filter(id=assessment.pk).values_list("status", flat=True)) == ["submitted"]


def test_a_returned_self_assessment_keeps_its_edits_private_until_resubmitted(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"), evidence="First submitted evidence.")
    assert assessment.return_for_changes(by=manager.person, comment="Add the pricing work.")
    rating = assessment.ratings.first()
    rating.record(scale_level=None, not_applicable=True, evidence="A second thought.", expected_revision=1)
    rating.record(scale_level=None, not_applicable=True, evidence="Final evidence.", expected_revision=2)
    assessment.refresh_from_db()
    assessment.update_details(expected_revision=assessment.revision, overall_comment="Draft summary, private.")
    assessment.update_details(expected_revision=assessment.revision, overall_comment="Resubmitted summary.")
    assert assessment.submit()
    evidence = list(Rating.history.filter(id=rating.pk).order_by("history_date").values_list("evidence", flat=True))
    assert evidence == ["First submitted evidence.", "Final evidence."]
    statuses = Assessment.history.filter(id=assessment.pk).order_by("history_date").values_list("status", flat=True)
    assert list(statuses) == ["submitted", "submitted"]
    assert not Assessment.history.filter(overall_comment="Draft summary, private.").exists()
    assert Assessment.history.filter(overall_comment="Resubmitted summary.").exists()


def test_the_agreed_outcome_after_submit_is_still_recorded(manager, pm, framework):
    self_assessment = submitted(pm, pm, level(framework, "ic-3"))
    mine = submitted(pm, manager, level(framework, "ic-3"))
    rating = mine.ratings.first()
    assert self_assessment.is_submitted
    mine.record_agreed_outcome(
        {rating.capability_id: (scale(framework, "expert"), False, "We agreed: expert.")},
        expected_revision=mine.revision,
    )
    notes = Rating.history.filter(id=rating.pk).values_list("agreed_note", flat=True)
    assert "We agreed: expert." in list(notes)


def test_a_draft_deleted_leaves_no_history(pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    assessment.ratings.update(evidence="Private words.")
    assessment.refresh_from_db()
    assessment.update_details(expected_revision=assessment.revision, overall_comment="Private summary.")
    pk = assessment.pk
    assessment.delete()
    assert not Assessment.history.filter(id=pk).exists()
    assert not Rating.history.filter(assessment_id=pk).exists()


def test_the_migration_removes_what_the_history_held_of_drafts(pm, manager, framework):
    migration = importlib.import_module("assessments.migrations.0007_history_keeps_submitted_states")
    assessment = submitted(pm, pm, level(framework, "ic-3"), evidence="Submitted evidence.")
    draft = start(pm, manager, level(framework, "ic-3"))
    rating = assessment.ratings.first()
    HistoricalRating, HistoricalAssessment = Rating.history.model, Assessment.history.model
    Rating.history.all().delete()
    Assessment.history.all().delete()
    before = assessment.submitted_at - datetime.timedelta(hours=1)
    # What the old code kept: the draft's state and a draft-era rating row, then the submitted state.
    HistoricalAssessment.objects.create(
        **{f.attname: getattr(assessment, f.attname) for f in Assessment._meta.concrete_fields if f.name != "status"},
        status="draft",
        history_date=before,
        history_type="+",
    )
    HistoricalRating.objects.create(
        **{f.attname: getattr(rating, f.attname) for f in Rating._meta.concrete_fields if f.attname != "evidence"},
        evidence="Deleted draft text.",
        history_date=before,
        history_type="~",
    )
    draft_rating = draft.ratings.first()
    HistoricalRating.objects.create(
        **{
            f.attname: getattr(draft_rating, f.attname) for f in Rating._meta.concrete_fields if f.attname != "evidence"
        },
        evidence="An unsubmitted draft's text.",
        history_date=before,
        history_type="~",
    )

    migration.forwards(apps, None)

    kept = set(HistoricalRating.objects.values_list("evidence", flat=True))
    assert kept == {"Submitted evidence."}
    assert HistoricalRating.objects.filter(assessment_id=assessment.pk).count() == assessment.ratings.count()
    assert not HistoricalAssessment.objects.filter(status="draft").exists()
    migration.forwards(apps, None)  # a second run adds nothing
    assert HistoricalRating.objects.count() == assessment.ratings.count()


def test_no_csv_export_carries_a_draft(client, pm, manager, hr_admin, framework):
    target = level(framework, "ic-3")
    submitted(pm, pm, target, evidence="Submitted, so readable.")
    draft = start(pm, manager, target)  # Maya's manager assessment: a draft, hers alone
    draft.ratings.update(scale_level=scale(framework, "expert"), evidence="Maya's private draft words.")
    person = pm.person.pk
    urls = [
        reverse("reports:compare_csv", kwargs={"person_pk": person}),
        reverse("reports:history_csv", kwargs={"person_pk": person}),
        reverse("reports:team_csv") + f"?manager={manager.person.pk}",
        reverse("reports:calibration_csv"),
    ]
    client.force_login(hr_admin)
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert "Maya's private draft words." not in bodies[url], url
    assert "Submitted, so readable." in bodies[urls[0]]  # the comparison's CSV carries evidence: submitted only

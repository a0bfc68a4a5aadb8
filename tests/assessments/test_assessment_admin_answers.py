"""How HR's admin words each answer: a rating, "not applicable", or not rated, in the rows and in their history."""

from django.urls import reverse

from assessments.reviews.models import Rating
from frameworks.models import Expectation
from tests.assessments.assessment_helpers import level, rate_all, start
from tests.factories import make_framework


def test_hr_reads_not_applicable_and_not_rated_answers_as_words(client, pm, hr_admin, framework):
    assessment = rate_all(start(pm, pm, level(framework, "ic-3")), scale_key="working")
    first, second, *_ = list(assessment.ratings.select_related("capability").order_by("capability__position", "pk"))
    na = Rating.objects.get(pk=first.pk)
    na.scale_level, na.not_applicable, na.evidence = None, True, "We have no such work."
    na.save()
    unrated = Rating.objects.get(pk=second.pk)
    unrated.scale_level = None
    unrated.save()
    assessment.status = "submitted"  # HR reads submitted work; submit() would refuse the unrated row
    assessment.save(update_fields=["status"])
    Rating.history.bulk_history_create(list(assessment.ratings.all()), update=True)  # as submit() records it

    client.force_login(hr_admin)
    response = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200
    model_admin = response.context["adminform"].model_admin
    inline = response.context["inline_admin_formsets"][0].opts
    assert inline.answer(na) == "Not applicable"
    assert inline.answer(unrated) == "Not rated"
    assert inline.answer(Rating.objects.exclude(pk__in=[na.pk, unrated.pk]).filter(assessment=assessment).first()) == (
        "Working"
    )
    history = str(model_admin.rating_history(assessment))
    assert "<td>Not applicable</td>" in history
    assert "<td>Not rated</td>" in history
    assert "We have no such work." in history


def test_an_assessment_whose_level_asks_for_nothing_has_no_rating_changes(client, pm, hr_admin, db):
    odd = make_framework(key="odd", name="Odd ladder", publish=False)
    Expectation.objects.filter(level__framework=odd, level__key="ic-1").delete()  # a level that asks for nothing
    odd.publish()
    assessment = start(pm, pm, odd.levels.get(key="ic-1"))
    assert not assessment.ratings.exists()
    assessment.status = "submitted"
    assessment.save(update_fields=["status"])
    client.force_login(hr_admin)
    response = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    assert response.context["adminform"].model_admin.rating_history(assessment) == "No changes yet."
    assert "No changes yet." in response.content.decode()

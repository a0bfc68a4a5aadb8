import pytest
from django.core.exceptions import ValidationError

from frameworks.models import Expectation, Framework, FrameworkLocked, Level, ScaleLevel
from tests.factories import make_framework


def test_a_draft_with_expectations_can_be_deleted(db):
    draft = make_framework(publish=False)
    assert Expectation.objects.filter(level__framework=draft).exists()
    draft.delete()
    assert not Framework.objects.exists()
    assert not Expectation.objects.exists()


def test_a_published_version_cannot_be_deleted(framework):
    with pytest.raises(FrameworkLocked):
        framework.delete()
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_published_rows_cannot_be_changed_in_the_model_layer(framework):
    expectation = Expectation.objects.filter(level__framework=framework).first()
    expectation.scale_level = ScaleLevel.objects.get(framework=framework, rank=4)
    with pytest.raises(FrameworkLocked):
        expectation.save()
    level = Level.objects.filter(framework=framework).first()
    level.name = "Renamed"
    with pytest.raises(FrameworkLocked):
        level.save()
    framework.name = "Renamed"
    with pytest.raises(FrameworkLocked):
        framework.save()


def test_new_version_copies_every_row_and_publishing_archives_the_old(framework):
    draft = framework.new_version()
    assert (draft.version, draft.status) == (2, Framework.Status.DRAFT)
    for relation in ("scale_levels", "areas", "capabilities", "tracks", "levels"):
        assert getattr(draft, relation).count() == getattr(framework, relation).count()
    assert (
        Expectation.objects.filter(level__framework=draft).count()
        == Expectation.objects.filter(level__framework=framework).count()
    )
    with pytest.raises(ValidationError):
        framework.new_version()  # one draft at a time
    draft.publish()
    framework.refresh_from_db()
    assert framework.status == Framework.Status.ARCHIVED
    assert Framework.objects.get(key=framework.key, status="published") == draft


def test_an_empty_draft_cannot_be_published(db):
    draft = Framework.objects.create(key="empty", name="Empty")
    with pytest.raises(ValidationError) as problem:
        draft.publish()
    assert "The mastery scale has no levels." in problem.value.messages
    draft.refresh_from_db()
    assert draft.status == Framework.Status.DRAFT

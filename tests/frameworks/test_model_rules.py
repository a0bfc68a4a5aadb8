"""Rules the catalogue models keep on their own: what a locked version refuses, and rows that mix versions."""

import pytest
from django.core.exceptions import ValidationError

from frameworks.models import Capability, Expectation, Framework, FrameworkLocked, Level
from tests.factories import make_framework


@pytest.fixture
def other(db):
    """A second framework, as a draft, whose rows must not be mixed into the first's."""
    return make_framework(key="design", name="Design", publish=False)


def test_assert_editable_passes_for_a_draft_and_an_unsaved_framework(db):
    Framework(key="new", name="New").assert_editable()
    make_framework(key="draft", publish=False).assert_editable()


def test_assert_editable_reads_the_status_from_the_database(db):
    draft = make_framework(publish=False)
    stale_copy = Framework.objects.get(pk=draft.pk)
    draft.publish()
    assert stale_copy.is_draft  # the copy in memory still says draft...
    with pytest.raises(FrameworkLocked, match="Version 1 of Product management is .* and cannot be changed"):
        stale_copy.assert_editable()  # ...the database does not


def test_assert_editable_says_what_the_version_has_become(db):
    draft = make_framework(publish=False)
    stale_copy = Framework.objects.get(pk=draft.pk)
    draft.publish()
    with pytest.raises(FrameworkLocked, match="Version 1 of Product management is published and cannot be changed"):
        stale_copy.assert_editable()


def test_assert_editable_refuses_a_deleted_draft(db):
    draft = make_framework(publish=False)
    stale_copy = Framework.objects.get(pk=draft.pk)
    draft.delete()
    with pytest.raises(FrameworkLocked, match="Version 1 of Product management has been deleted"):
        stale_copy.assert_editable()


def test_a_published_version_may_be_saved_when_its_content_is_unchanged(framework):
    framework.save()
    framework.refresh_from_db()
    assert framework.status == "published"


def test_the_lock_names_every_changed_field(framework):
    framework.name = "Renamed"
    framework.readiness_target_share = 50
    with pytest.raises(
        FrameworkLocked, match=r"Version 1 of product is published; cannot change name, readiness_target"
    ):
        framework.save()
    framework.refresh_from_db()
    assert (framework.name, framework.readiness_target_share) == ("Product management", 80)


def test_an_archived_version_is_locked_too(framework):
    framework.new_version().publish()
    framework.refresh_from_db()
    framework.description = "Rewritten history"
    with pytest.raises(FrameworkLocked, match="is archived; cannot change description"):
        framework.save()


def test_a_published_version_lists_itself_as_not_publishable(framework):
    assert framework.publishing_problems() == ["Only a draft can be published."]


def test_publishing_a_draft_without_rows_is_refused_and_changes_nothing(db):
    empty = Framework.objects.create(key="empty", name="Empty")
    with pytest.raises(ValidationError) as raised:
        empty.publish()
    assert raised.value.messages == [
        "The mastery scale has no levels.",
        "There are no capabilities.",
        "There are no levels on any track.",
    ]
    empty.refresh_from_db()
    assert (empty.status, empty.published_at) == ("draft", None)


# Rows that mix versions ----------------------------------------------------------------------------


def test_a_capability_in_another_versions_area_is_invalid(framework, other):
    capability = Capability(framework=framework, area=other.areas.first(), key="mixed", name="Mixed")
    with pytest.raises(ValidationError) as raised:
        capability.clean()
    assert raised.value.message_dict == {"area": ["Choose an area of the same framework version."]}


def test_a_level_on_another_versions_track_is_invalid(framework, other):
    level = Level(framework=other, track=framework.tracks.first(), key="mixed", name="Mixed", grade=1)
    with pytest.raises(ValidationError) as raised:
        level.clean()
    assert raised.value.message_dict == {"track": ["Choose a track of the same framework version."]}


def test_rows_of_one_version_are_valid(framework):
    Capability(framework=framework, area=framework.areas.first(), key="ok", name="OK").clean()
    Level(framework=framework, track=framework.tracks.first(), key="ok", name="OK", grade=1).clean()
    Expectation(
        level=framework.levels.first(),
        capability=framework.capabilities.first(),
        scale_level=framework.scale_levels.first(),
    ).clean()


@pytest.mark.parametrize("borrowed", ["level", "capability", "scale_level"])
def test_an_expectation_mixing_versions_is_invalid(framework, other, borrowed):
    parts = {
        "level": framework.levels.first(),
        "capability": framework.capabilities.first(),
        "scale_level": framework.scale_levels.first(),
    }
    parts[borrowed] = {
        "level": other.levels.first(),
        "capability": other.capabilities.first(),
        "scale_level": other.scale_levels.first(),
    }[borrowed]
    with pytest.raises(ValidationError, match="must all belong to the same framework version"):
        Expectation(**parts).clean()


def test_an_expectation_with_only_some_parts_is_checked_on_those(framework):
    Expectation(level=framework.levels.first()).clean()
    Expectation().clean()


# Small readers -------------------------------------------------------------------------------------


def test_a_capability_label_prefers_its_short_name(framework):
    capability = framework.capabilities.first()
    assert capability.label == "Capability 1.1"
    capability.short_name = "Cap 1.1"
    assert capability.label == "Cap 1.1"


def test_a_framework_names_its_version_and_status(framework):
    assert str(framework) == "Product management (v1, published)"


def test_only_hr_admins_see_drafts(framework, pm, hr_admin):
    draft = framework.new_version()
    assert set(Framework.objects.visible_to(hr_admin)) == {framework, draft}
    assert list(Framework.objects.visible_to(pm)) == [framework]
    assert list(Framework.objects.visible_to(None)) == [framework]

"""History never changes under anyone's feet: assessments keep showing the version they were made against."""

import pytest
from django.core.exceptions import ValidationError

from assessments.reviews.models import Assessment
from frameworks.models import Expectation, FrameworkLocked
from tests.assessments.assessment_helpers import level, page_url, scale, start, submitted


def test_expectations_of_a_version_with_assessments_cannot_change(pm, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    expectation = Expectation.objects.filter(level=assessment.level).first()
    expectation.scale_level = scale(framework, "awareness")
    with pytest.raises(FrameworkLocked):
        expectation.save()
    with pytest.raises(FrameworkLocked):
        expectation.delete()
    with pytest.raises(FrameworkLocked):
        Expectation(
            level=level(framework, "ic-1"),
            capability=framework.capabilities.get(key="cap-2-2"),
            scale_level=scale(framework, "working"),
        ).save()
    assert Expectation.objects.get(pk=expectation.pk).scale_level.key == "practitioner"


def test_after_a_new_version_the_old_assessment_shows_the_old_expectations(client, pm, framework):
    old_target = level(framework, "ic-3")
    assessment = submitted(pm, pm, old_target)
    draft = framework.new_version()
    new_expectation = Expectation.objects.get(level__framework=draft, level__key="ic-3", capability__key="cap-1-1")
    new_expectation.scale_level = draft.scale_levels.get(key="expert")
    new_expectation.description = "Rewritten in version 2."
    new_expectation.save()
    draft.publish()

    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    assert "Capability 1.1 at IC level 3." in html
    assert "Rewritten in version 2." not in html
    assert "version 1" in html
    assert Assessment.objects.get(pk=assessment.pk).level_id == old_target.pk


def test_an_assessment_can_only_be_started_against_a_published_version(pm, framework):
    draft = framework.new_version()
    with pytest.raises(ValidationError):
        Assessment.start(subject=pm.person, author=pm.person, level=draft.levels.get(key="ic-3"))
    draft.publish()
    with pytest.raises(ValidationError):  # version 1 is archived now
        Assessment.start(subject=pm.person, author=pm.person, level=level(framework, "ic-3"))
    assessment, created = Assessment.start(subject=pm.person, author=pm.person, level=draft.levels.get(key="ic-3"))
    assert created and assessment.level.framework == draft


def test_a_draft_on_an_archived_version_stays_editable_against_what_it_was_started_on(client, pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    framework.new_version().publish()
    client.force_login(pm)
    html = client.get(page_url(assessment)).content.decode()
    assert 'id="assessment-form"' in html
    assert "That version has since been replaced" in html

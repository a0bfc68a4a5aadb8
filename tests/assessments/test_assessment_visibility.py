"""Who sees which assessment: drafts are private, submitted ones go up the chain, shared ones to the subject."""

import pytest

from assessments.models import Assessment
from tests.assessments.assessment_helpers import level, page_url, shared, start, submitted
from tests.factories import make_user


@pytest.fixture
def director(framework, manager):
    user = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = user.person
    manager.person.save()
    return user


def _visible(user, assessment) -> bool:
    return Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()


def _status(client, user, assessment) -> int:
    client.force_login(user)
    return client.get(page_url(assessment)).status_code


CAST = ["pm", "manager", "director", "stranger", "hr_admin"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("self draft", {"pm"}),
        ("self submitted", {"pm", "manager", "director", "hr_admin"}),
        ("self returned", {"pm"}),
        ("manager draft", {"manager"}),
        ("manager submitted", {"manager", "director", "hr_admin"}),
        ("manager shared", {"pm", "manager", "director", "hr_admin"}),
    ],
)
def test_who_sees_an_assessment(client, request, pm, manager, director, stranger, hr_admin, framework, state, expected):
    kind, status = state.split()
    author = pm if kind == "self" else manager
    target = level(framework, "ic-3")
    if status == "draft":
        assessment = start(pm, author, target)
    elif status == "shared":
        assessment = shared(pm, author, target)
    else:
        assessment = submitted(pm, author, target)
        if status == "returned":
            assessment.return_for_changes(by=manager.person, comment="More please.")
    seen = {who for who in CAST if _visible(request.getfixturevalue(who), assessment)}
    assert seen == expected
    for who in CAST:
        assert _status(client, request.getfixturevalue(who), assessment) == (200 if who in expected else 404), who


def test_manager_cannot_see_draft_self_assessment(client, pm, manager, framework):
    draft = start(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    assert client.get(page_url(draft)).status_code == 404
    assert b"Self-assessment" not in client.get(f"/assessments/person/{pm.person.pk}/").content


def test_a_new_manager_sees_submitted_work_of_their_new_report_and_the_old_one_does_not(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    new_manager = make_user("nick@example.com", "Nick New", level=level(framework, "mgr-1"))
    pm.person.manager = new_manager.person
    pm.person.save()
    assert _visible(new_manager, assessment)
    assert not _visible(manager, assessment)


def test_a_leaver_sees_nothing(pm, framework):
    assessment = start(pm, pm, level(framework, "ic-3"))
    pm.is_active = False
    pm.save()
    assert not _visible(pm, assessment)


def test_read_only_viewers_get_no_edit_controls(client, pm, manager, framework):
    assessment = submitted(pm, pm, level(framework, "ic-3"))
    client.force_login(manager)
    html = client.get(page_url(assessment)).content.decode()
    assert 'id="assessment-form"' not in html
    assert "hx-post" not in html
    assert 'type="radio"' not in html


def test_unknown_assessment_is_404(client, pm, db):
    client.force_login(pm)
    assert client.get("/assessments/999999/").status_code == 404


def test_an_hr_admin_who_is_assessed_does_not_see_their_unshared_manager_assessment(client, framework, manager):
    assessed_hr = make_user(
        "hugo@example.com", "Hugo HR", hr_admin=True, manager=manager, level=level(framework, "ic-2")
    )
    assessment = submitted(assessed_hr, manager, level(framework, "ic-3"))
    assert not _visible(assessed_hr, assessment)
    assert _status(client, assessed_hr, assessment) == 404
    assert assessment.share()
    assert _visible(assessed_hr, assessment)

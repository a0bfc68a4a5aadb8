"""Who sees which assessment: drafts are private, submitted ones go up the chain, shared ones to the subject."""

import pytest
from django.urls import reverse

from assessments.reviews.models import Assessment
from tests.assessments.assessment_helpers import (
    HTMX_HEADERS,
    level,
    page_post_data,
    page_url,
    rate_all,
    rating_url,
    shared,
    start,
    submitted,
)
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


# A manager who no longer manages the person -------------------------------------------------------

NO_LONGER = (
    "You no longer manage Priya Product, so this assessment can’t be changed or shared. Ask HR if this is wrong."
)


def _move_to_new_manager(pm, framework):
    new_manager = make_user("omar@example.com", "Omar Other", level=level(framework, "mgr-1"))
    pm.person.manager = new_manager.person
    pm.person.save()
    return new_manager


def test_a_former_manager_no_longer_sees_the_self_assessment_beside_their_own_draft(client, pm, manager, framework):
    target = level(framework, "ic-3")
    mine = start(pm, manager, target)
    _move_to_new_manager(pm, framework)
    submitted(pm, pm, target, evidence="Submitted after Maya stopped managing me.")
    client.force_login(manager)
    response = client.get(page_url(mine))
    html = response.content.decode()
    assert response.status_code == 200  # what they wrote stays theirs to read
    assert "Submitted after Maya stopped managing me." not in html
    assert "own rating" not in html
    assert NO_LONGER in html
    assert 'id="assessment-form"' not in html


def test_a_current_manager_sees_no_notice_about_managing(client, pm, manager, framework):
    mine = start(pm, manager, level(framework, "ic-3"))
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert "no longer manage" not in html
    assert 'id="assessment-form"' in html


def test_a_former_manager_cannot_save_or_submit_their_draft(client, pm, manager, framework):
    target = level(framework, "ic-3")
    mine = rate_all(start(pm, manager, target))
    _move_to_new_manager(pm, framework)
    rating = mine.ratings.first()
    before = (mine.revision, rating.revision, rating.evidence)
    client.force_login(manager)
    for action in ("save", "submit"):
        data = page_post_data(mine, action=action, changes={rating.capability_id: {"evidence": "Changed."}})
        assert client.post(page_url(mine), data).status_code == 403
    prefix = f"r{rating.capability_id}"
    autosave = {f"{prefix}-scale": "na", f"{prefix}-evidence": "Changed.", f"{prefix}-revision": rating.revision}
    assert client.post(rating_url(mine, rating.capability), autosave, **HTMX_HEADERS).status_code == 403
    details = {"overall_comment": "Changed.", "revision": mine.revision}
    assert client.post(reverse("assessments:save_details", args=[mine.pk]), details, **HTMX_HEADERS).status_code == 403
    mine.refresh_from_db()
    rating.refresh_from_db()
    assert mine.status == Assessment.Status.DRAFT
    assert (mine.revision, rating.revision, rating.evidence) == before


def test_a_former_manager_cannot_share_their_submitted_assessment(client, pm, manager, framework):
    target = level(framework, "ic-3")
    submitted(pm, pm, target)
    mine = submitted(pm, manager, target)
    revision = mine.revision
    _move_to_new_manager(pm, framework)
    client.force_login(manager)
    html = client.get(page_url(mine)).content.decode()
    assert NO_LONGER in html
    assert "Share with Priya Product" not in html
    assert client.post(reverse("assessments:share", args=[mine.pk])).status_code == 403
    assert client.post(reverse("reports:agreed", args=[mine.pk]), {"revision": mine.revision}).status_code == 403
    mine.refresh_from_db()
    assert (mine.status, mine.revision) == (Assessment.Status.SUBMITTED, revision)

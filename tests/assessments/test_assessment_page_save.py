"""The plain form's full-page save: every rating in one transaction, a fixed number of queries."""

from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reviews.models import Rating
from tests.assessments.assessment_helpers import level, page_post_data, page_url, scale, start
from tests.factories import make_wide_framework

STALE = "this was changed in another tab or by someone else"


def post_counting(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, len(queries)


def test_saving_every_rating_takes_as_many_queries_as_saving_one(client, pm, framework):
    one, every = start(pm, pm, level(framework, "ic-3")), start(pm, pm, level(framework, "ic-2"))
    working = str(scale(framework, "working").pk)
    first = one.ratings.first().capability_id
    client.force_login(pm)
    _, queries_for_one = post_counting(client, page_url(one), page_post_data(one, changes={first: {"scale": working}}))
    changes = {
        rating.capability_id: {"scale": working, "evidence": "Ran the sprint."} for rating in every.ratings.all()
    }
    response, queries_for_every = post_counting(client, page_url(every), page_post_data(every, changes=changes))
    assert response.status_code == 302
    assert every.ratings.count() > 1
    assert queries_for_every == queries_for_one <= 20
    saved = list(every.ratings.values_list("scale_level_id", "evidence", "revision"))
    assert saved == [(int(working), "Ran the sprint.", 2)] * every.ratings.count()
    # A draft's answers are private: none enters the audit trail.
    assert not Rating.history.filter(assessment_id=every.pk).exists()


def test_a_rating_saved_in_another_tab_is_refused_and_the_others_are_saved(client, pm, framework):
    draft = start(pm, pm, level(framework, "ic-3"))
    ratings = list(draft.ratings.order_by("capability_id"))
    expert, working = scale(framework, "expert"), scale(framework, "working")
    page = page_post_data(draft, changes={rating.capability_id: {"scale": str(working.pk)} for rating in ratings})
    # Meanwhile, another tab saves the first rating.
    ratings[0].record(scale_level=expert, not_applicable=False, evidence="Other tab", expected_revision=1)
    client.force_login(pm)
    response = client.post(page_url(draft), page)
    assert response.status_code == 409
    html = response.content.decode()
    assert html.count(STALE) == 1
    assert "Saved now:" in html and "Other tab" in html
    stored = {r.capability_id: (r.scale_level_id, r.evidence) for r in draft.ratings.all()}
    assert stored[ratings[0].capability_id] == (expert.pk, "Other tab")
    assert all(stored[rating.capability_id][0] == working.pk for rating in ratings[1:])


def test_a_page_posted_unchanged_writes_nothing(client, pm, framework):
    draft = start(pm, pm, level(framework, "ic-3"))
    client.force_login(pm)
    response = client.post(page_url(draft), page_post_data(draft))
    assert response.status_code == 302
    assert not Rating.history.filter(assessment_id=draft.pk, history_type="~").exists()
    assert set(draft.ratings.values_list("revision", flat=True)) == {1}


def test_the_plain_form_of_a_400_capability_assessment_saves(client, pm):
    """1,200 fields on one page (one area of 400), past Django's default limit of 1,000 posted fields."""
    wide = make_wide_framework(400, 1, publish=True)
    draft = start(pm, pm, wide.levels.get())
    working = str(scale(wide, "working").pk)
    data = page_post_data(draft, changes={rating.capability_id: {"scale": working} for rating in draft.ratings.all()})
    assert len(data) > 1_000
    client.force_login(pm)
    response = client.post(page_url(draft), urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert list(draft.ratings.values_list("scale_level_id", flat=True).distinct()) == [int(working)]

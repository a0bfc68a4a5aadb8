"""The promotion report: a printable page and the same page as a PDF, for the people who may see it."""

import pytest
from django.urls import reverse

from assessments.reports.pdf import static_file_fetcher
from assessments.reviews.models import Assessment
from tests.assessments.report_fixtures import MANAGER_RANKS, SELF_RANKS, agree, make_cycle, make_review, set_status
from tests.factories import make_framework, make_user
from tests.pdf import pdf_text


@pytest.fixture
def ic3(framework):
    return framework.levels.get(key="ic-3")


@pytest.fixture
def reviews(pm, manager, ic3):
    """An earlier review (2025 H2) and the current one (2026 H1) of Priya against IC level 3."""
    import datetime

    earlier = make_cycle("2025 H2", start=datetime.date(2025, 7, 1))
    make_review(pm, manager, ic3, dict.fromkeys(SELF_RANKS, 2), dict.fromkeys(SELF_RANKS, 2), cycle=earlier)
    current = make_cycle("2026 H1")
    mine, theirs = make_review(
        pm,
        manager,
        ic3,
        SELF_RANKS,
        MANAGER_RANKS,
        cycle=current,
        rationale="Leads discovery well; strategy needs another cycle.",
        overall_comment="A strong half year.",
    )
    agree(theirs, {"cap-1-2": 3}, {"cap-1-2": "Agreed after the pricing work."})
    return {"earlier": earlier, "current": current, "manager": theirs}


def report_url(name, person, level, cycle):
    return f"{reverse(f'reports:{name}', args=[person.pk])}?level={level.pk}&cycle={cycle.pk}"


def test_printable_report_has_summary_table_and_history(client, manager, pm, ic3, reviews):
    client.force_login(manager)
    response = client.get(report_url("promotion", pm.person, ic3, reviews["current"]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Priya Product",
        "IC level 2",
        "IC level 3",
        "Maya Manager",
        "2026 H1",
        "Nearly",
        "1 capability below IC level 3: Capability 2.1",
        "Not yet",
        "Leads discovery well; strategy needs another cycle.",
        "A strong half year.",
        "Agreed after the pricing work.",
        "Evidence for Capability 1.1.",
        "2025 H2 · IC level 3",
    ):
        assert text in body, text
    assert "<svg" in body and "Download PDF" in body


def test_pdf_is_a_valid_pdf_with_the_name_and_the_verdict(client, manager, pm, ic3, reviews):
    client.force_login(manager)
    response = client.get(report_url("promotion_pdf", pm.person, ic3, reviews["current"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="promotion-report-priya-product-ic-level-3-2026-h1.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Priya Product" in text
    assert "Nearly" in text
    assert "Capability by capability" in text
    # The heading's arrow is a picture on screen; on paper the levels are joined by a plain word.
    assert f"{pm.person.level.name} to IC level 3" in " ".join(text.split())
    assert "→" not in text


def test_the_heading_arrow_is_hidden_from_screen_readers_which_hear_to(client, manager, pm, ic3, reviews):
    client.force_login(manager)
    body = client.get(report_url("promotion", pm.person, ic3, reviews["current"])).content.decode()
    assert '<span aria-hidden="true">→</span><span class="visually-hidden"> to </span>' in body


def test_subject_sees_the_report_only_once_shared(client, pm, ic3, reviews, pdf_not_drawn):
    client.force_login(pm)
    for name in ("promotion", "promotion_pdf"):
        assert client.get(report_url(name, pm.person, ic3, reviews["current"])).status_code == 404
    set_status(reviews["manager"], Assessment.Status.SHARED)
    assert client.get(report_url("promotion", pm.person, ic3, reviews["current"])).status_code == 200
    assert client.get(report_url("promotion_pdf", pm.person, ic3, reviews["current"])).status_code == 200


def test_stranger_gets_404_and_hr_gets_the_report(client, stranger, hr_admin, pm, ic3, reviews):
    client.force_login(stranger)
    assert client.get(report_url("promotion", pm.person, ic3, reviews["current"])).status_code == 404
    assert client.get(report_url("promotion_pdf", pm.person, ic3, reviews["current"])).status_code == 404
    client.force_login(hr_admin)
    assert client.get(report_url("promotion", pm.person, ic3, reviews["current"])).status_code == 200


def test_earlier_reviews_leave_out_the_current_one(client, manager, pm, ic3, reviews):
    client.force_login(manager)
    history = client.get(report_url("promotion", pm.person, ic3, reviews["current"])).context["history"]
    assert [point.cycle for point in history.points] == [reviews["earlier"]]
    history = client.get(report_url("promotion", pm.person, ic3, reviews["earlier"])).context["history"]
    assert history.points == []


def test_pdf_loads_static_files_from_disk_and_nothing_from_the_network():
    fetcher = static_file_fetcher()
    response = fetcher.fetch("http://testserver/static/css/reports.css")
    assert b".verdict" in response.read()
    with pytest.raises(ValueError, match="only load Pathway's own static files"):
        fetcher.fetch("https://example.com/tracker.css")
    with pytest.raises(ValueError, match="No static file"):
        fetcher.fetch("http://testserver/static/css/missing.css")


def test_report_query_count_does_not_grow_with_the_framework(client, django_assert_max_num_queries, pdf_not_drawn, db):
    for size, (areas, per_area) in enumerate(((2, 2), (5, 6))):
        framework = make_framework(key=f"fw-{size}", areas=areas, capabilities_per_area=per_area)
        boss = make_user(f"boss{size}@example.com", "Boss", level=framework.levels.get(key="mgr-1"))
        report = make_user(f"report{size}@example.com", "Report", manager=boss, level=framework.levels.get(key="ic-2"))
        ranks = {c.key: 3 for c in framework.capabilities.all()}
        make_review(report, boss, framework.levels.get(key="ic-3"), ranks, {**ranks, "cap-1-1": 2})
        client.force_login(boss)
        # Measured: 13 (page; the navigation's questions come with the viewer's scope, and the history of earlier
        # reviews takes the comparison's scale and expectations); the PDF 17 when it is queued and made, 13 once
        # made; at both sizes (4 and 30 capabilities). Each +1 since the development plan (its progress; its items
        # only when it has some), and +1 for the level assessed (ic-3, not the person's own), read apart from the
        # assessments (attach_levels).
        with django_assert_max_num_queries(13):
            assert client.get(reverse("reports:promotion", args=[report.person.pk])).status_code == 200
        with django_assert_max_num_queries(17):
            assert client.get(reverse("reports:promotion_pdf", args=[report.person.pk])).status_code == 200
        with django_assert_max_num_queries(13):
            assert client.get(reverse("reports:promotion_pdf", args=[report.person.pk])).status_code == 200


def test_names_with_markup_are_escaped_in_the_capability_rows(client, manager, pm, ic3, reviews):
    # Through update(): a published framework refuses edits made through its models.
    capability = ic3.framework.capabilities.get(key="cap-1-2")
    type(capability).objects.filter(pk=capability.pk).update(name='<b>Pricing</b> & "strategy"')
    type(capability.area).objects.filter(pk=capability.area_id).update(name="<i>Area</i>")
    type(ic3).objects.filter(pk=ic3.pk).update(name='IC "three" <level>')
    client.force_login(manager)
    for name in ("promotion", "compare"):
        body = client.get(report_url(name, pm.person, ic3, reviews["current"])).content.decode()
        assert "&lt;b&gt;Pricing&lt;/b&gt; &amp; &quot;strategy&quot;" in body, name
        assert "&lt;i&gt;Area&lt;/i&gt;" in body, name
        assert "<b>Pricing" not in body and "<i>Area" not in body and "<level>" not in body, name
    assert 'data-label="At IC &quot;three&quot; &lt;level&gt;"' in body


def test_without_a_manager_assessment_the_report_names_the_persons_manager(client, hr_admin, pm, ic3):
    """No manager assessment to name its author: the report names the manager from the reporting line instead."""
    from tests.assessments.report_fixtures import make_self

    make_self(pm, ic3, SELF_RANKS)
    client.force_login(hr_admin)
    body = client.get(reverse("reports:promotion", args=[pm.person.pk]) + f"?level={ic3.pk}&cycle=none").content
    assert "<div><dt>Manager</dt><dd>Maya Manager</dd></div>" in body.decode()
    assert "No manager assessment to show yet." in body.decode()

import pytest
from django.urls import reverse

from assessments.reviews.models import Assessment, ReviewCycle
from tests.assessments.assessment_helpers import level, make_cycle, rate_all, start, submitted
from tests.factories import make_framework, make_user

START = reverse("assessments:start")


def test_start_page_offers_the_next_level_on_my_track(client, pm, framework):
    client.force_login(pm)
    response = client.get(START)
    assert response.status_code == 200
    assert response.context["form"]["level"].value() == level(framework, "ic-3").pk
    assert b"Start a self-assessment" in response.content


def test_one_click_start_uses_the_next_level_and_the_only_open_cycle(client, pm, framework):
    cycle = make_cycle()
    client.force_login(pm)
    response = client.post(START)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.subject, assessment.author, assessment.kind) == (pm.person, pm.person, "self")
    assert assessment.level == level(framework, "ic-3")
    assert assessment.cycle == cycle
    assert assessment.status == Assessment.Status.DRAFT
    # One unrated rating per capability asked at the level.
    assert assessment.ratings.count() == 4
    assert not any(rating.is_rated for rating in assessment.ratings.all())


def test_the_next_level_follows_a_kept_old_level_on_its_own_track(db):
    from assessments.reviews.forms import next_level
    from tests.factories import make_two_leads_framework

    engineering = make_two_leads_framework()
    old_team_lead = engineering.levels.get(track__key="mgmt", key="lead")
    old_ic_lead = engineering.levels.get(track__key="ic", key="lead")
    new = engineering.new_version()
    new.publish()
    # Someone kept on version 1's management lead goes on to the head of engineering in version 2, not to the
    # IC track's lead; the IC lead is the top of its track, so it is its own next level.
    following = next_level(old_team_lead)
    assert (following.framework_id, following.track.key, following.key) == (new.pk, "mgmt", "head")
    top = next_level(old_ic_lead)
    assert (top.framework_id, top.track.key, top.key) == (new.pk, "ic", "lead")


def test_starting_again_reopens_the_same_draft(client, pm, framework):
    client.force_login(pm)
    first = client.post(START)
    second = client.post(START)
    assert first["Location"] == second["Location"]
    assert Assessment.objects.count() == 1


def test_any_published_level_may_be_chosen_for_example_on_the_management_track(client, pm, framework):
    client.force_login(pm)
    target = level(framework, "mgr-1")
    client.post(START, {"level": target.pk, "cycle": "none"})
    assessment = Assessment.objects.get()
    assert assessment.level == target
    assert assessment.cycle is None


def test_level_of_an_unpublished_version_is_refused(client, pm, framework):
    draft = framework.new_version()
    client.force_login(pm)
    response = client.post(START, {"level": draft.levels.get(key="ic-3").pk, "cycle": "none"})
    assert response.status_code == 400
    assert b"Choose a level of a published framework." in response.content
    assert not Assessment.objects.exists()


def test_level_of_an_archived_version_is_refused(client, pm, framework):
    old_level = level(framework, "ic-3")
    framework.new_version().publish()
    client.force_login(pm)
    response = client.post(START, {"level": old_level.pk, "cycle": "none"})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_with_two_open_cycles_one_must_be_chosen(client, pm, framework):
    make_cycle("2026 H2")
    chosen = make_cycle("Promotions autumn", starts_on="2026-09-01")
    client.force_login(pm)
    response = client.post(START)
    assert response.status_code == 400
    assert b"Choose a review cycle" in response.content
    assert not Assessment.objects.exists()

    client.post(START, {"cycle": chosen.pk})
    assert Assessment.objects.get().cycle == chosen


def test_a_closed_cycle_cannot_be_chosen(client, pm, framework):
    closed = make_cycle("2026 H1", status=ReviewCycle.Status.CLOSED, starts_on="2026-01-01")
    client.force_login(pm)
    response = client.post(START, {"cycle": closed.pk})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_without_open_cycles_the_assessment_sits_outside_any_cycle(client, pm, framework):
    client.force_login(pm)
    client.post(START)
    assert Assessment.objects.get().cycle is None


def test_a_person_without_a_level_must_choose_one(client, framework):
    newcomer = make_user("nia@example.com", "Nia Newcomer")
    client.force_login(newcomer)
    response = client.post(START)
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    client.post(START, {"level": level(framework, "ic-1").pk})
    assert Assessment.objects.get().level.key == "ic-1"


def test_manager_starts_a_manager_assessment_of_a_report(client, pm, manager, framework):
    client.force_login(manager)
    response = client.post(START, {"subject": pm.person.pk})
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.subject, assessment.author, assessment.kind) == (pm.person, manager.person, "manager")
    assert assessment.level == level(framework, "ic-3")


def test_manager_of_a_manager_may_assess_an_indirect_report(client, pm, manager, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    client.force_login(director)
    client.post(START, {"subject": pm.person.pk})
    assert Assessment.objects.get().author == director.person


@pytest.mark.parametrize(("who", "status"), [("stranger", 404), ("pm", 404), ("hr_admin", 403)])
def test_only_a_manager_up_the_chain_may_assess_someone(client, who, status, request, pm, manager, framework):
    # Outside your scope, 404; HR sees everyone, so for HR it is a 403 saying why.
    client.force_login(request.getfixturevalue(who))
    response = client.post(START, {"subject": manager.person.pk})
    assert response.status_code == status
    if status == 403:
        assert "only of people who report to you" in response.content.decode()
    assert not Assessment.objects.exists()


def test_assessment_started_by_another_manager_is_not_taken_over(client, pm, manager, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    Assessment.start(subject=pm.person, author=director.person, level=level(framework, "ic-3"))
    client.force_login(manager)
    response = client.post(START, {"subject": pm.person.pk, "cycle": "none"}, follow=True)
    assert (
        "You can’t start a manager assessment of Priya Product against IC level 3: there is one per person and "
        "level, and it is not yours to write. Ask HR if you need to assess Priya Product." in response.content.decode()
    )
    assert Assessment.objects.get().author == director.person


def test_starting_beside_someone_elses_draft_says_neither_whose_it_is_nor_its_level(client, pm, manager, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    cycle = make_cycle()
    target = level(framework, "ic-3")
    draft = rate_all(start(pm, manager, target, cycle), evidence="Notes only Maya has seen.")
    client.force_login(director)
    other_level = level(framework, "ic-2")  # asked for another level: the draft's level stays unsaid
    response = client.post(START, {"subject": pm.person.pk, "level": other_level.pk, "cycle": cycle.pk}, follow=True)
    [message] = [str(message) for message in response.context["messages"]]
    assert message == (
        "You can’t start a manager assessment of Priya Product in 2026 H2: there is one per person and cycle, "
        "and it is not yours to write. Ask HR if you need to assess Priya Product."
    )
    assert target.name not in message
    assert "Notes only Maya has seen." not in response.content.decode()
    assert Assessment.objects.get() == draft


def test_starting_beside_a_submitted_manager_assessment_names_its_author(client, pm, manager, framework):
    director = make_user("dara@example.com", "Dara Director", level=level(framework, "mgr-2"))
    manager.person.manager = director.person
    manager.person.save()
    target = level(framework, "ic-3")
    submitted(pm, manager, target)
    client.force_login(director)
    response = client.post(START, {"subject": pm.person.pk, "level": target.pk, "cycle": "none"}, follow=True)
    assert "Maya Manager is already assessing Priya Product against IC level 3." in response.content.decode()


def test_start_refuses_get_of_nonsense_subject(client, pm, framework):
    client.force_login(pm)
    assert client.post(START, {"subject": "abc"}).status_code == 404


def test_start_requires_sign_in(client, db):
    response = client.post(START)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_starting_many_capabilities_keeps_framework_order(client, db):
    big = make_framework(key="big", areas=3, capabilities_per_area=4)
    person = make_user("bo@example.com", "Bo Big", level=big.levels.get(key="ic-1"))
    client.force_login(person)
    client.post(START, {"level": big.levels.get(key="ic-2").pk})
    assessment = Assessment.objects.get()
    names = [expectation.capability.name for expectation in assessment.expectations()]
    assert names[:3] == ["Capability 1.1", "Capability 1.2", "Capability 1.3"]
    assert assessment.ratings.count() == 12


# "Continue — N of M rated" when the default choice is started already --------------------------------------------


def _rate_one(assessment, framework):
    first = assessment.ratings.order_by("pk").first()
    assessment.ratings.filter(pk=first.pk).update(scale_level=framework.scale_levels.get(key="practitioner"))


def test_start_page_continues_my_draft_in_the_open_cycle(client, pm, framework, django_assert_max_num_queries):
    cycle = make_cycle()
    client.force_login(pm)
    with django_assert_max_num_queries(10):
        html = client.get(START).content.decode()
    assert "Start self-assessment</button>" in html and "Continue —" not in html
    draft = start(pm, pm, level(framework, "ic-3"), cycle)
    _rate_one(draft, framework)
    with django_assert_max_num_queries(10):  # the same: one query looks for the draft either way
        html = client.get(START).content.decode()
    assert f'<a class="btn btn-primary" href="{draft.get_absolute_url()}">Continue — 1 of 4 rated</a>' in html
    assert "You have already started this assessment against IC level 3 in 2026 H2." in html
    assert "Start self-assessment</button>" not in html
    assert "The next level on that track is chosen for you" not in html  # no choice to make here
    draft.ratings.update(scale_level=framework.scale_levels.get(key="practitioner"))
    draft.submit()  # submitted: nothing to continue
    assert "Continue —" not in client.get(START).content.decode()


def test_start_page_continues_outside_cycles_only_the_default_levels_draft(client, pm, framework):
    client.force_login(pm)
    other = start(pm, pm, level(framework, "mgr-1"))
    assert "Continue —" not in client.get(START).content.decode()  # the default is IC level 3
    draft = start(pm, pm, level(framework, "ic-3"))
    html = client.get(START).content.decode()
    assert f'href="{draft.get_absolute_url()}">Continue — 0 of 4 rated</a>' in html
    assert f'href="{other.get_absolute_url()}"' not in html
    assert "against IC level 3, outside any review cycle." in html


def test_start_page_with_two_open_cycles_asks_which(client, pm, framework):
    first = make_cycle()
    make_cycle("2026 H2b", starts_on="2026-07-02")
    start(pm, pm, level(framework, "ic-3"), first)
    client.force_login(pm)
    html = client.get(START).content.decode()
    assert "Continue —" not in html and "Start self-assessment</button>" in html


def test_managers_start_page_continues_only_their_own_draft(client, pm, manager, framework):
    cycle = make_cycle()
    own = start(pm, pm, level(framework, "ic-3"), cycle)  # Priya's self-assessment is not Maya's to continue
    client.force_login(manager)
    page = f"{START}?subject={pm.person.pk}"
    assert "Start assessment</button>" in client.get(page).content.decode()
    draft = start(pm, manager, level(framework, "ic-3"), cycle)
    _rate_one(draft, framework)
    html = client.get(page).content.decode()
    assert f'href="{draft.get_absolute_url()}">Continue — 1 of 4 rated</a>' in html
    assert f'href="{own.get_absolute_url()}"' not in html
    client.force_login(pm)
    assert f'href="{own.get_absolute_url()}">Continue — 0 of 4 rated</a>' in client.get(START).content.decode()

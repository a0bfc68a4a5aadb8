from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from assessments.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PEOPLE
from assessments.people.models import Person
from assessments.reviews.models import Assessment, Rating, ReviewCycle
from frameworks.models import Capability, Framework
from tests.factories import kept_for_the_module


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # what each test has (tests/conftest.py)
    with kept_for_the_module(django_db_blocker), override_settings(DEBUG=True, PASSWORD_HASHERS=fast_hasher):
        yield seed()


@pytest.fixture
def seeded(_seeded_once, db, debug):
    """The demo, seeded once for the module (seeding is the slow part); what a test changes is rolled back after
    it. Tests that need an empty database come first in the module: the seed is there from the first test that
    asks for it to the module's end."""
    return _seeded_once


def snapshot():
    return (
        sorted(User.objects.values_list("email", "password", "is_active", "is_staff", "full_name")),
        sorted(Person.objects.values_list("user__email", "job_title", "level_id", "manager_id")),
        Person.history.count(),
        sorted(ReviewCycle.objects.values_list("name", "status")),
        sorted(Assessment.objects.values_list("pk", "subject_id", "kind", "status", "revision", "updated_at")),
        sorted(Rating.objects.values_list("pk", "scale_level_id", "evidence", "revision")),
        Rating.history.count(),
    )


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        seed()
    assert not User.objects.exists()


def test_seed_demo_runs_with_force_when_debug_is_off(db, settings):
    settings.DEBUG = False
    seed(force=True)
    assert User.objects.filter(email="hr@example.com").exists()


def test_seed_demo_builds_the_organisation_on_the_default_frameworks(seeded):
    output = seeded
    assert Framework.objects.published().filter(key__in=["gov-product-management", "product-tracks"]).count() == 2
    people = {p.user.email: p for p in Person.objects.select_related("user", "level__framework", "manager__user")}
    assert len(people) == len(DEMO_PEOPLE)
    assert people["hr@example.com"].user.is_hr_admin and people["hr@example.com"].user.is_staff
    assert people["nadia@example.com"].level.key == "hop"
    assert people["leo@example.com"].manager.user.email == "nadia@example.com"
    assert people["grace@example.com"].level.framework.key == "product-tracks"
    assert people["finn@example.com"].level is None
    pms = [p for p in people.values() if p.manager and p.manager.user.email in ("leo@example.com", "grace@example.com")]
    assert len([p for p in pms if p.level]) >= 6
    assert {p.level.framework.key for p in pms if p.level} == {"gov-product-management", "product-tracks"}
    assert all(p.user.check_password(DEMO_PASSWORD) for p in people.values())
    assert not any(p.user.is_staff for email, p in people.items() if email != "hr@example.com")
    assert f"every account's password: {DEMO_PASSWORD}" in output
    assert "grace@example.com" in output and "Manager, Group PM" in output


def test_seed_demo_twice_changes_nothing(seeded):
    first = seeded
    assert_demo_evidence_logs(first)  # here rather than in a test of its own: seeding is the slow part
    assert_demo_plans(first)
    assert_demo_feedback(first)
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "Demo organisation already in place: nothing changed." in output
    assert "Demo assessments already in place: nothing changed." in output
    assert "Demo evidence logs already in place: nothing changed." in output
    assert "Demo development plans already in place: nothing changed." in output
    assert "Demo feedback requests already in place: nothing changed." in output


def test_seed_demo_restores_a_changed_demo_account(seeded):
    leo = User.objects.get(email="leo@example.com")
    leo.set_password("something else")
    leo.is_active = False
    leo.save()
    seed()
    leo.refresh_from_db()
    assert leo.is_active and leo.check_password(DEMO_PASSWORD)


def test_demo_organisation_is_coherent(seeded):
    people = {p.user.email: p for p in Person.objects.select_related("user", "level__framework", "manager__user")}
    # Each manager's team is on the manager's framework; both tracks of product-tracks are represented.
    for manager in ("leo@example.com", "grace@example.com"):
        team = [p for p in people.values() if p.manager and p.manager.user.email == manager and p.level]
        assert {p.level.framework_id for p in team} == {people[manager].level.framework_id}
    assert {p.level.track.kind for p in people.values() if p.level and p.level.framework.key == "product-tracks"} == {
        "ic",
        "management",
    }
    # The job title says which branch each manager leads, and the new joiner's says why there is no level.
    assert people["leo@example.com"].job_title.endswith("Public services")
    assert people["grace@example.com"].job_title.endswith("Platform")
    assert "new joiner" in people["finn@example.com"].job_title


def test_readme_names_the_demo_roles_as_make_run_prints_them(seeded):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| role | name | email |\n|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in table.splitlines()]
    assert rows == [(role, name, email) for role, name, email, *_ in DEMO_PEOPLE]
    lines = seeded.splitlines()
    for role, name, email, *_ in DEMO_PEOPLE:
        assert any(role in line and name in line and email in line for line in lines)


def assert_demo_evidence_logs(output):
    """The demo PMs keep evidence logs, tagged from their own framework, and cite some of it in a review."""
    from assessments.demo_evidence import LOGS
    from assessments.growth.models import EvidenceEntry
    from assessments.reviews.citations import Citation

    assert "Demo evidence logs added" in output
    # Own notes; the demo's feedback answers are entries too (assert_demo_feedback).
    assert EvidenceEntry.objects.filter(source="note").count() == sum(len(rows) for rows in LOGS.values())
    for entry in EvidenceEntry.objects.select_related("person__level").prefetch_related("capabilities"):
        tags = list(entry.capabilities.all())
        assert tags and {tag.framework_id for tag in tags} == {entry.person.level.framework_id}, entry.text
    cited = Citation.objects.select_related("rating__assessment", "entry")
    assert cited.count() >= 5
    assert all(c.rating.assessment.subject_id == c.entry.person_id for c in cited)
    assert {c.rating.assessment.status for c in cited} >= {"submitted", "draft"}


def assert_demo_plans(output):
    """Each demo PM has a plan on their own framework's capabilities: some done, some in progress, one overdue, some
    with a learning resource HR keeps for that capability; every capability of the demo frameworks has resources."""
    from assessments.demo_plans import PLANS
    from assessments.growth.plans import LearningResource, PlanItem

    assert "Demo development plans added" in output
    items = list(PlanItem.objects.select_related("person__user", "person__level", "capability", "resource"))
    assert len(items) == sum(len(rows) for rows in PLANS.values())
    assert {item.person.user.email for item in items} == set(PLANS)
    assert all(item.capability.framework_id == item.person.level.framework_id for item in items)
    assert {item.status for item in items} == {"done", "in_progress", "planned"}
    assert [item.person.user.email for item in PlanItem.objects.overdue()] == ["alex@example.com"]
    with_resource = [item for item in items if item.resource]
    assert len(with_resource) >= 6 and all(item.resource.capability_id == item.capability_id for item in with_resource)
    published = Capability.objects.filter(framework__status="published")
    assert not published.exclude(pk__in=LearningResource.objects.values("capability")).exists()


def assert_demo_feedback(output):
    """Leo's PMs have feedback answers in their logs, attributed; one request was declined; Ravi, who signs in to the
    demo, has one waiting for his answer."""
    from assessments.growth.feedback import FeedbackRequest
    from assessments.growth.feedback_access import answers_visible_to

    assert "Demo feedback requests added: 3 answered, 1 declined, 2 waiting." in output
    ravi = Person.objects.get(user__email="ravi@example.com")
    leo = User.objects.get(email="leo@example.com")
    assert answers_visible_to(leo, ravi).count() == 3  # two he asked for, one Ravi shared with his managers
    assert FeedbackRequest.objects.waiting_for(ravi).count() == 1
    for request in FeedbackRequest.objects.filter(status="answered").select_related("answer"):
        assert request.answer.author_id == request.colleague_id and request.answer.capabilities.exists()

"""The reporting tree is stored as a materialised path on each person, kept right by every manager change.

The check is always the same: each stored path equals the path walked from the manager links.
"""

import importlib
import random
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.people.access import is_manager_of
from assessments.people.models import Person, ReportingTree, Scope
from tests.factories import make_user

fill_paths = importlib.import_module("assessments.migrations.0004_person_path").fill_paths


def walked_paths() -> dict[int, str]:
    tree = ReportingTree.load()
    return {pk: tree.path_of(pk) for pk in Person.objects.values_list("pk", flat=True)}


def stored_paths() -> dict[int, str]:
    return dict(Person.objects.values_list("pk", "path"))


def make_org(size: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    users = []
    for number in range(size):
        manager = rng.choice(users) if users else None
        users.append(make_user(f"p{number}@example.com", f"Person {number}", manager=manager))
    return [user.person for user in users]


@pytest.mark.django_db
def test_a_new_person_gets_their_path_under_their_manager():
    top = make_user("top@example.com", "Top").person
    middle = make_user("middle@example.com", "Middle", manager=top.user).person
    leaf = make_user("leaf@example.com", "Leaf", manager=middle.user).person
    assert Person.objects.get(pk=leaf.pk).path == f"/{top.pk}/{middle.pk}/{leaf.pk}/"
    assert leaf.chain_ids == [middle.pk, top.pk]


@pytest.mark.django_db
def test_paths_match_the_walked_tree_after_random_moves():
    people = make_org(30, seed=7)
    rng = random.Random(11)
    moves = 0
    while moves < 60:
        person = rng.choice(people)
        person.refresh_from_db()
        new_manager = rng.choice([None, *people])
        if new_manager is not None and f"/{person.pk}/" in Person.objects.get(pk=new_manager.pk).path:
            continue  # would make a loop: the model's clean refuses it, so the test does not try
        person.manager = new_manager
        person.save()
        moves += 1
        assert stored_paths() == walked_paths(), f"after move {moves}"


@pytest.mark.django_db
def test_moving_a_manager_moves_everyone_below_in_one_update(django_assert_max_num_queries):
    top = make_user("top@example.com", "Top").person
    other = make_user("other@example.com", "Other").person
    head = make_user("head@example.com", "Head", manager=top.user).person
    for number in range(20):
        make_user(f"r{number}@example.com", f"Report {number}", manager=head.user)
    head.manager = other
    with django_assert_max_num_queries(8):  # the save, its history row, two path reads, one UPDATE
        head.save()
    assert stored_paths() == walked_paths()
    assert Person.objects.in_subtree_of(other).count() == 21
    assert Person.objects.in_subtree_of(top).count() == 0


@pytest.mark.django_db
def test_deleting_a_manager_makes_their_reports_tops_of_their_own_trees():
    top = make_user("top@example.com", "Top").person
    middle = make_user("middle@example.com", "Middle", manager=top.user).person
    leaf = make_user("leaf@example.com", "Leaf", manager=middle.user).person
    middle.user.delete()
    assert Person.objects.get(pk=leaf.pk).path == f"/{leaf.pk}/"
    assert stored_paths() == walked_paths()


@pytest.mark.django_db
def test_rebuild_paths_mends_rows_written_around_save():
    people = make_org(12, seed=3)
    Person.objects.filter(pk=people[5].pk).update(manager=people[0])  # a bulk write that skips save
    Person.objects.update(path="")
    assert Person.objects.rebuild_paths() == 12
    assert stored_paths() == walked_paths()
    assert Person.objects.rebuild_paths() == 0


@pytest.mark.django_db
def test_the_migration_fills_paths_for_people_already_there():
    make_org(15, seed=5)
    Person.objects.update(path="")
    fill_paths(apps, None)
    assert stored_paths() == walked_paths()


@pytest.mark.django_db
def test_scope_is_one_indexed_query_and_never_reads_the_organisation():
    people = make_org(40, seed=9)
    viewer = people[0].user
    viewer = type(viewer).objects.get(pk=viewer.pk)
    with CaptureQueriesContext(connection) as queries:
        visible = set(Person.objects.visible_to(viewer).values_list("pk", flat=True))
        assert is_manager_of(viewer, people[-1]) == (people[-1].pk in visible and people[-1].pk != people[0].pk)
        Person.objects.visible_to(viewer).count()
    person_queries = [q["sql"] for q in queries.captured_queries if "assessments_person" in q["sql"]]
    # One query for the viewer's own place, then filtered reads only: no SELECT of every person.
    assert all("WHERE" in sql for sql in person_queries)
    assert len([sql for sql in person_queries if re.search(r'"assessments_person"\."user_id" = \d+', sql)]) == 1
    assert visible == {pk for pk, path in stored_paths().items() if path.startswith(people[0].path)}


@pytest.mark.django_db
def test_a_kept_scope_goes_stale_when_someone_moves():
    top = make_user("top@example.com", "Top")
    report = make_user("report@example.com", "Report")
    assert not is_manager_of(top, report.person)
    person = report.person
    person.manager = top.person
    person.save()
    assert is_manager_of(top, Person.objects.get(pk=person.pk))
    assert Scope.of(top).person_id == top.person.pk

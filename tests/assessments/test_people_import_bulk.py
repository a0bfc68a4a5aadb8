"""Big people files: written in batches (the same queries for 30 people or 70), the reporting paths kept right,
one history row per person, and the same account rule as the person form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from assessments.people.importer import import_people
from assessments.people.models import Person
from tests.assessments.test_reporting_paths import stored_paths, walked_paths
from tests.factories import make_user

HEADER = "email,name,job title,level,manager email\n"


def csv_of(*rows):
    return HEADER + "".join(row + "\n" for row in rows)


def org_file(count: int, renamed: str = "", manager_of=lambda index: (index - 1) // 3, prefix="p") -> str:
    """p0 at the top; everyone else reports to someone earlier in the file (three reports each by default)."""
    return csv_of(
        *(
            f"{prefix}{index}@example.com,Person {index}{renamed},PM{renamed},product/ic-{index % 3 + 1},"
            + (f"{prefix}{manager_of(index)}@example.com" if index else "")
            for index in range(count)
        )
    )


def queries_for(text: str, **options) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = import_people(text, **options)
    assert report.ok, report.errors[:3]
    return len(queries)


def test_the_queries_do_not_grow_with_the_file(framework, hr_admin):
    # 70 people stay within one batch on SQLite too (it allows 999 values in a statement: ~75 history rows).
    sizes = {"small": 30, "big": 70}
    created = [
        queries_for(org_file(size, manager_of=lambda i: i - 1, prefix=key), by=hr_admin) for key, size in sizes.items()
    ]
    assert created[0] == created[1] <= 14
    updated = [
        queries_for(org_file(size, renamed=" R", manager_of=lambda i: i // 2, prefix=key), by=hr_admin)
        for key, size in sizes.items()
    ]
    assert updated[0] == updated[1] <= 12
    assert queries_for(org_file(70, renamed=" R", manager_of=lambda i: i // 2, prefix="big")) <= 5  # nothing to write


def test_paths_match_the_walked_tree_after_a_big_file_creates_and_moves_people(framework):
    assert import_people(org_file(40)).ok
    assert stored_paths() == walked_paths()
    # Everyone moves: a long chain, deepest people first in the file.
    moved = org_file(40, manager_of=lambda index: index - 1).splitlines()
    assert import_people("\n".join([moved[0], *reversed(moved[1:])])).ok
    assert stored_paths() == walked_paths()
    assert Person.objects.get(user__email="p39@example.com").path.count("/") == 41


def test_people_below_a_moved_person_who_are_not_in_the_file_move_with_them(framework):
    top = make_user("top@example.com", "Top")
    a = make_user("a@example.com", "A", manager=top)
    b = make_user("b@example.com", "B", manager=a)
    c = make_user("c@example.com", "C", manager=b)  # below b, not in the file
    d = make_user("d@example.com", "D", manager=c)  # below c, in the file: moves on its own
    make_user("e@example.com", "E", manager=d)  # below d, not in the file
    make_user("f@example.com", "F", manager=a)  # below a, not in the file
    report = import_people(
        csv_of(
            "new@example.com,New Head,,,",
            "a@example.com,A,,,new@example.com",  # a's whole branch moves under someone new
            "b@example.com,B,,,top@example.com",  # and b's moves back to the top, out of it
            "d@example.com,D,,,a@example.com",
        )
    )
    assert report.ok, report.errors
    assert stored_paths() == walked_paths()
    assert Person.objects.get(user=c).manager.user == b  # left alone
    assert Person.objects.get(user__email="e@example.com").path.startswith(Person.objects.get(user=d).path)


def test_each_person_created_or_changed_gets_one_history_row_by_the_importer(framework, hr_admin):
    import_people(org_file(5), by=hr_admin)
    assert Person.history.filter(history_type="+", user__email__startswith="p").count() == 5
    assert set(Person.history.filter(user__email__startswith="p").values_list("history_user", flat=True)) == {
        hr_admin.pk
    }
    created = Person.history.get(user__email="p4@example.com")
    assert (created.job_title, created.level.key, created.manager.user.email) == ("PM", "ic-2", "p1@example.com")
    import_people(csv_of("p4@example.com,Person 4,Senior PM,product/ic-2,p1@example.com"), by=hr_admin)
    assert Person.history.filter(history_type="~", user__email__startswith="p").count() == 1
    assert Person.history.filter(user__email="p4@example.com").latest().job_title == "Senior PM"


def test_new_people_share_one_password_hash_nobody_knows(framework):
    import_people(org_file(3))
    passwords = set(User.objects.values_list("password", flat=True))
    assert len(passwords) == 1
    assert not User.objects.get(email="p1@example.com").check_password("")


def test_an_account_made_without_its_person_gets_one(framework):
    User.objects.bulk_create([User(email="raw@example.com", full_name="Raw")])  # no signal: no person
    report = import_people(csv_of("raw@example.com,Raw,PM,product/ic-1,"))
    assert report.updated == ["raw@example.com"]
    assert Person.objects.get(user__email="raw@example.com").level.key == "ic-1"
    assert stored_paths() == walked_paths()


# The person form's account rule (accounts.access.may_change_account) -------------------------------------


@pytest.fixture
def root(framework):
    return User.objects.create_superuser(email="root@example.com", password="a long passphrase", full_name="Rowan Root")


def test_an_hr_admin_cannot_rename_a_superuser_through_the_file(root, hr_admin, manager):
    report = import_people(csv_of("root@example.com,Rowan Renamed,,,", "ann@example.com,Ann,,,"), by=hr_admin)
    assert report.errors == [
        "Row 2 (root@example.com): the name would change from 'Rowan Root' to 'Rowan Renamed', but only a superuser "
        "can change the name of a superuser’s account. Leave the name as it is, or ask a superuser to import the file."
    ]
    root.refresh_from_db()
    assert root.full_name == "Rowan Root"
    assert not User.objects.filter(email="ann@example.com").exists()


def test_an_hr_admin_still_places_a_superuser_as_the_person_form_does(root, hr_admin, manager):
    report = import_people(csv_of("root@example.com,Rowan Root,Chief,product/ic-3,maya@example.com"), by=hr_admin)
    assert report.updated == ["root@example.com"]
    person = Person.objects.select_related("level", "manager__user").get(user=root)
    assert (person.job_title, person.level.key, person.manager.user.email) == ("Chief", "ic-3", "maya@example.com")


@pytest.mark.parametrize("by", ["superuser", "command line"])
def test_a_superuser_or_the_command_line_may_rename_a_superuser(root, by):
    other = User.objects.create_superuser(email="su@example.com", password="a long passphrase", full_name="Su Per")
    report = import_people(csv_of("root@example.com,Rowan Renamed,,,"), by=other if by == "superuser" else None)
    assert report.updated == ["root@example.com"]
    root.refresh_from_db()
    assert root.full_name == "Rowan Renamed"

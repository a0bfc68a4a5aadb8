import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import User
from assessments.people.access import can_see_person, get_person_for_user, is_manager_of
from assessments.people.models import Person
from tests.factories import make_user


@pytest.fixture
def org(framework, hr_admin):
    """Head → Maya → Priya and Pete; Head → Omar → Olive; Sam reports to nobody."""
    ic, mgr = framework.levels.get(key="ic-2"), framework.levels.get(key="mgr-1")
    head = make_user("head@example.com", "Hugo Head", level=framework.levels.get(key="mgr-2"))
    maya = make_user("maya@example.com", "Maya Manager", manager=head, level=mgr)
    omar = make_user("omar@example.com", "Omar Other", manager=head, level=mgr)
    return {
        "head": head,
        "maya": maya,
        "omar": omar,
        "priya": make_user("priya@example.com", "Priya Product", manager=maya, level=ic),
        "pete": make_user("pete@example.com", "Pete Peer", manager=maya, level=ic),
        "olive": make_user("olive@example.com", "Olive Other", manager=omar, level=ic),
        "sam": make_user("sam@example.com", "Sam Stranger", level=ic),
        "hana": hr_admin,
    }


def names(queryset):
    return sorted(person.name.split()[0] for person in queryset.select_related("user"))


def test_pm_sees_only_themself(org):
    assert names(Person.objects.visible_to(org["priya"])) == ["Priya"]


def test_manager_sees_themself_and_direct_reports(org):
    assert names(Person.objects.visible_to(org["maya"])) == ["Maya", "Pete", "Priya"]


def test_skip_level_manager_sees_everyone_below(org):
    assert names(Person.objects.visible_to(org["head"])) == ["Hugo", "Maya", "Olive", "Omar", "Pete", "Priya"]


def test_hr_admin_sees_everyone(org):
    assert Person.objects.visible_to(org["hana"]).count() == Person.objects.count() == 8


def test_superuser_is_an_hr_admin(org):
    root = User.objects.create_superuser("root@example.com", "pw", full_name="Root")
    assert Person.objects.visible_to(root).count() == 9


def test_anonymous_and_leavers_see_nobody(org, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.visible_to(AnonymousUser()).exists()
    maya = org["maya"]
    maya.is_active = False
    maya.save()
    assert not Person.objects.visible_to(User.objects.get(pk=maya.pk)).exists()


def test_leaver_stays_visible_to_their_manager_and_hr(org):
    priya = org["priya"]
    priya.is_active = False
    priya.save()
    assert "Priya" in names(Person.objects.visible_to(org["maya"]))
    assert "Priya" in names(Person.objects.visible_to(User.objects.get(pk=org["hana"].pk)))


def test_visible_to_loads_the_tree_in_one_query(org, django_assert_num_queries):
    head = org["head"]
    assert not head.is_hr_admin  # asked once per request, then cached on the user
    with django_assert_num_queries(2):  # the tree, then the people
        list(Person.objects.visible_to(head))


def test_managers_up_the_chain_nearest_first(org):
    assert [m.name for m in org["priya"].person.managers_up_chain()] == ["Maya Manager", "Hugo Head"]
    assert org["head"].person.managers_up_chain() == []


def test_in_subtree_of_lists_indirect_reports_but_not_the_person(org):
    assert names(Person.objects.in_subtree_of(org["head"].person)) == ["Maya", "Olive", "Omar", "Pete", "Priya"]
    assert names(Person.objects.in_subtree_of(org["maya"].person)) == ["Pete", "Priya"]
    assert not Person.objects.in_subtree_of(org["priya"].person).exists()


@pytest.mark.parametrize(
    ("viewer", "subject", "expected"),
    [
        ("maya", "priya", True),
        ("head", "priya", True),
        ("omar", "priya", False),
        ("pete", "priya", False),
        ("priya", "priya", False),
        ("priya", "maya", False),
        ("hana", "priya", False),  # HR sees everyone but manages no one
    ],
)
def test_is_manager_of(org, viewer, subject, expected):
    assert is_manager_of(org[viewer], org[subject].person) is expected


@pytest.mark.parametrize(
    ("viewer", "subject", "visible"),
    [
        ("priya", "priya", True),
        ("pete", "priya", False),
        ("maya", "priya", True),
        ("head", "priya", True),
        ("omar", "priya", False),
        ("hana", "priya", True),
        ("priya", "maya", False),
        ("sam", "priya", False),
    ],
)
def test_get_person_for_user_answers_404_outside_scope(org, viewer, subject, visible):
    pk = org[subject].person.pk
    assert can_see_person(org[viewer], org[subject].person) is visible
    if visible:
        assert get_person_for_user(org[viewer], pk).pk == pk
    else:
        with pytest.raises(Http404):
            get_person_for_user(org[viewer], pk)


def test_get_person_for_user_404_for_unknown_id(org):
    with pytest.raises(Http404):
        get_person_for_user(org["hana"], 999_999)


def test_person_cannot_be_their_own_manager(org):
    maya = org["maya"].person
    maya.manager = maya
    with pytest.raises(ValidationError, match="Maya Manager cannot be their own manager"):
        maya.full_clean()


def test_manager_cannot_report_to_their_own_report(org):
    maya = org["maya"].person
    maya.manager = org["priya"].person
    with pytest.raises(ValidationError) as error:
        maya.full_clean()
    assert error.value.message_dict["manager"] == [
        "Maya Manager cannot report to Priya Product: Priya Product already reports to Maya Manager, "
        "directly or indirectly."
    ]


def test_head_cannot_report_to_an_indirect_report(org):
    head = org["head"].person
    head.manager = org["olive"].person
    with pytest.raises(ValidationError, match="Olive Other already reports to Hugo Head"):
        head.full_clean()


def test_moving_someone_sideways_is_allowed(org):
    priya = org["priya"].person
    priya.manager = org["omar"].person
    priya.full_clean()
    priya.save()
    assert names(Person.objects.visible_to(org["omar"])) == ["Olive", "Omar", "Priya"]
    assert names(Person.objects.visible_to(org["maya"])) == ["Maya", "Pete"]

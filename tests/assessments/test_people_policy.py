"""Tables for the people policy (`assessments/people/access.py`), and `Scope`, the viewer's place in the
reporting tree read once per request. The organisation, the roles and the table helpers are in
`tests/assessments/policy_cast.py`.

Convention (docs/architecture.md): outside your scope a 404 that says no more than "not found".
"""

import pytest
from django.http import Http404

from accounts.models import User
from assessments.people.access import (
    can_see_person,
    can_set_level,
    get_person_for_user,
    get_team_manager,
    is_manager_of,
    manages_anyone,
    person_of,
    require_can_set_level,
    scope_of,
    visible_chain,
)
from assessments.people.models import Person, Scope
from assessments.reviews.models import Assessment
from tests.assessments.policy_cast import (
    EVERYONE,
    ROLE_NAMES,
    ROLES,
    Cast,
    answer,
    assert_sentence,
    known,
    names,
    organisation,
    rows,
)
from tests.factories import make_user

BELOW_CLEO = EVERYONE - {"cleo", "hana"}


@pytest.fixture(scope="module")
def organised(django_db_setup, django_db_blocker):
    yield from organisation(django_db_blocker)


@pytest.fixture
def cast(db, organised) -> Cast:
    return organised


# Who sees whom: themself and everyone below; HR everyone; nobody inactive or not signed in.
SEES = {
    "subject": {"priya"},
    "peer": {"pete"},
    "manager": {"maya", "priya", "pete"},
    "skip_level": {"hugo", "maya", "priya", "pete"},
    "other_manager": {"omar", "olive", "hal"},
    "former_manager": {"fred", "frank"},
    "hr": EVERYONE,
    "hr_party": EVERYONE,
    "inactive_pm": set(),
    "inactive_manager": set(),
    "anonymous": set(),
}
SEE_TARGETS = ("priya", "pete", "maya", "hugo", "cleo", "olive", "frank", "hana")

# Who manages whom: everyone below, at any depth; never themself; HR not by being HR.
MANAGES = {
    "subject": set(),
    "peer": set(),
    "manager": {"priya", "pete"},
    "skip_level": {"maya", "priya", "pete"},
    "other_manager": {"olive", "hal"},
    "former_manager": {"frank"},  # not Priya any more
    "hr": set(),
    "hr_party": BELOW_CLEO,
    "inactive_pm": set(),
    "inactive_manager": set(),
    "anonymous": set(),
}
MANAGE_TARGETS = ("priya", "pete", "maya", "hugo", "cleo", "olive", "frank", "hal")


# person_of ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_person_of_is_the_users_own_person(cast, role):
    user = cast.viewer(role)
    person = person_of(user)
    assert person.user_id == user.pk and person.pk == cast.pid(ROLE_NAMES[role])
    assert person.name == user.full_name


def test_person_of_makes_the_missing_profile_of_an_older_user(cast):
    user = make_user("old@example.com", "Old Timer", password=None)
    Person.objects.filter(user=user).delete()
    assert person_of(user).user_id == user.pk
    assert Person.objects.filter(user=user).count() == 1


def test_person_of_an_anonymous_visitor_is_an_error_not_a_person(cast):
    with pytest.raises(TypeError):  # every view that asks is behind login_required
        person_of(cast.viewer("anonymous"))


# scope_of -----------------------------------------------------------------------------------------

# (own person, everyone below). The scope is the tree as it stands, leavers included: the policy
# functions turn leavers away (see their tables).
SCOPES = {
    "subject": ("priya", set()),
    "peer": ("pete", set()),
    "manager": ("maya", {"priya", "pete"}),
    "skip_level": ("hugo", {"maya", "priya", "pete"}),
    "other_manager": ("omar", {"olive", "hal"}),
    "former_manager": ("fred", {"frank"}),
    "hr": ("hana", set()),
    "hr_party": ("cleo", BELOW_CLEO),
    "inactive_pm": ("priya", set()),
    "inactive_manager": ("hugo", {"maya", "priya", "pete"}),
    "anonymous": (None, set()),
}


@pytest.mark.parametrize("role", ROLES)
def test_scope_of_is_the_user_and_everyone_below(cast, role):
    own, below = SCOPES[role]
    scope = scope_of(cast.viewer(role))
    assert scope.person_id == (cast.pid(own) if own else None)
    assert names(cast, Person.objects.filter(scope.below_q())) == below
    assert {name for name in EVERYONE if scope.manages(cast.person(name))} == below
    assert {name for name in EVERYONE if scope.sees(cast.person(name))} == (below | {own} if own else set())


# get_person_for_user / can_see_person ---------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {t: t in SEES[role] for t in SEE_TARGETS}))
def test_get_person_for_user(cast, role, expected):
    user = cast.viewer(role)
    answers = {target: answer(lambda target=target: get_person_for_user(user, cast.pid(target))) for target in expected}
    assert {target: outcome == "ok" for target, (outcome, _) in answers.items()} == expected
    for target, (outcome, found) in answers.items():
        if outcome == "ok":
            assert found.pk == cast.pid(target)
        else:  # no name, no id: the same words as for nobody at all
            assert found == "No such person."


@pytest.mark.parametrize("pk", ["abc", "", None, "999999", 999999])
@pytest.mark.parametrize("role", ["manager", "hr"])
def test_get_person_for_user_without_such_a_person_says_the_same(cast, role, pk):
    with pytest.raises(Http404) as caught:
        get_person_for_user(cast.viewer(role), pk)
    assert str(caught.value) == "No such person."


def test_get_person_for_user_takes_the_pk_as_the_url_gives_it(cast):
    assert get_person_for_user(cast.viewer("manager"), str(cast.pid("priya"))).name == "Priya Product"


@pytest.mark.parametrize(
    ("role", "sees"), [("manager", True), ("skip_level", True), ("hr", True), ("peer", False), ("other_manager", False)]
)
def test_get_person_for_user_keeps_a_leaver_for_their_managers_and_hr(cast, role, sees):
    User.objects.filter(pk=cast.user("priya").pk).update(is_active=False)  # Priya leaves
    outcome, _ = answer(lambda: get_person_for_user(cast.viewer(role), cast.pid("priya")))
    assert (outcome == "ok") is sees


def test_get_person_for_user_turns_away_an_inactive_hr_admin(cast):
    hana = User.objects.get(pk=cast.user("hana").pk)
    hana.is_active = False
    assert answer(lambda: get_person_for_user(hana, cast.pid("priya"))) == ("404", "No such person.")


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {t: t in SEES[role] for t in SEE_TARGETS}))
def test_can_see_person(cast, role, expected):
    user = cast.viewer(role)
    assert {target: can_see_person(user, cast.person(target)) for target in expected} == expected


# get_team_manager: whose team My team shows, for ?manager= as the URL gives it.
TEAM_PARAMS = ("none", "empty", "own", "maya", "olive", "hana", "not-a-number", "nobody")


def _team_row(role):
    def outcome(param):
        if param in ("none", "empty", "own"):
            return "me"
        if param in ("not-a-number", "nobody"):
            return "404"
        return "me" if param == ROLE_NAMES[role] else (param if param in SEES[role] else "404")

    return {param: outcome(param) for param in TEAM_PARAMS}


@pytest.mark.parametrize(("role", "expected"), rows(_team_row, roles=[role for role in ROLES if role != "anonymous"]))
def test_get_team_manager(cast, role, expected):
    user = cast.viewer(role)
    me = Person.objects.with_related().get(user_id=user.pk)
    given = {"none": None, "empty": "", "own": str(me.pk), "not-a-number": "abc", "nobody": "999999"}
    answers = {}
    for param in expected:
        value = given[param] if param in given else str(cast.pid(param))
        outcome, found = answer(lambda value=value: get_team_manager(user, me, value))
        if outcome == "404":
            assert found == "No such person."
            answers[param] = "404"
        else:
            answers[param] = "me" if found.pk == me.pk else cast.name_of(found.pk)
    assert answers == expected


# is_manager_of / manages_anyone ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {t: t in MANAGES[role] for t in MANAGE_TARGETS}))
def test_is_manager_of(cast, role, expected):
    user = cast.viewer(role)
    assert {target: is_manager_of(user, cast.person(target)) for target in expected} == expected


def test_is_manager_of_follows_a_move(cast):
    priya = Person.objects.get(pk=cast.pid("priya"))
    priya.manager = cast.person("omar")
    priya.save()
    priya = Person.objects.get(pk=priya.pk)  # the next request
    assert is_manager_of(cast.viewer("manager"), priya) is False
    assert is_manager_of(cast.viewer("skip_level"), priya) is False
    assert is_manager_of(cast.viewer("other_manager"), priya) is True
    assert is_manager_of(cast.viewer("hr_party"), priya) is True


MANAGES_ANYONE = {"manager", "skip_level", "other_manager", "former_manager", "hr_party"}


@pytest.mark.parametrize(("role", "expected"), [(role, role in MANAGES_ANYONE) for role in ROLES])
def test_manages_anyone(cast, role, expected):
    assert manages_anyone(cast.viewer(role)) is expected


# visible_chain --------------------------------------------------------------------------------------

CHAINS = {"priya": ("maya", "hugo", "cleo"), "olive": ("omar", "cleo")}
VISIBLE_CHAIN = {
    "manager": {"priya": {"maya"}},
    "skip_level": {"priya": {"maya", "hugo"}},
    "other_manager": {"olive": {"omar"}},
    "hr": {"priya": {"maya", "hugo", "cleo"}, "olive": {"omar", "cleo"}},
    "hr_party": {"priya": {"maya", "hugo", "cleo"}, "olive": {"omar", "cleo"}},
}
CHAIN_KNOWN = {
    ("inactive_manager", "priya"): (
        set(),
        "visible_chain does not turn away a leaver: inactive Hugo may open Maya and himself, though "
        "can_see_person says he sees nobody",
    ),
}
ANONYMOUS_CHAIN = {
    ("anonymous", person): (set(), "visible_chain asks AnonymousUser.is_hr_admin, which it does not have")
    for person in CHAINS
}


def _chain_row(role):
    return {person: VISIBLE_CHAIN.get(role, {}).get(person, set()) for person in CHAINS}


@pytest.mark.parametrize(
    ("role", "expected"), rows(_chain_row, CHAIN_KNOWN, roles=[role for role in ROLES if role != "anonymous"])
)
def test_visible_chain(cast, role, expected):
    user = cast.viewer(role)
    chains = {person: cast.person(person).managers_up_chain() for person in expected}
    for person, chain in chains.items():
        assert names(cast, chain) == set(CHAINS[person]) and chain[0].pk == cast.pid(CHAINS[person][0])
    assert {person: names(cast, visible_chain(user, chain)) for person, chain in chains.items()} == expected


@pytest.mark.parametrize(("role", "person", "expected"), known(CHAIN_KNOWN))
def test_visible_chain_known(cast, role, person, expected):
    assert names(cast, visible_chain(cast.viewer(role), cast.person(person).managers_up_chain())) == expected


@pytest.mark.parametrize(("role", "person", "expected"), known(ANONYMOUS_CHAIN, raises=AttributeError))
def test_visible_chain_anonymous(cast, role, person, expected):
    assert names(cast, visible_chain(cast.viewer(role), cast.person(person).managers_up_chain())) == expected


# Scope: the viewer's place in the tree, read once per request ---------------------------------------


def test_scope_is_read_once_per_user_object(cast, django_assert_num_queries):
    maya = cast.viewer("manager")
    with django_assert_num_queries(1):
        first = Scope.of(maya)
    with django_assert_num_queries(0):
        assert Scope.of(maya) is first
        assert scope_of(maya) is first
    next_request = cast.viewer("manager")  # a new request has a new user object, which reads it afresh
    with django_assert_num_queries(1):
        assert Scope.of(next_request) is not first


def test_reading_my_own_person_keeps_it_as_my_scope(cast, django_assert_num_queries):
    maya = cast.viewer("manager")
    me = person_of(maya)
    with django_assert_num_queries(0):
        assert (Scope.of(maya).person_id, Scope.of(maya).path) == (me.pk, me.path)
    kept = Scope.of(maya)
    person_of(maya)  # a scope already kept stays as it is
    assert Scope.of(maya) is kept


def test_visible_to_reads_no_tree_when_the_scope_is_kept(cast, django_assert_num_queries):
    maya = cast.viewer("manager")
    with django_assert_num_queries(2):  # her place in the tree with whether she is HR (one query), the people
        first = list(Person.objects.visible_to(maya))
    with django_assert_num_queries(1):  # the people only
        second = list(Person.objects.visible_to(maya))
    assert second == first and names(cast, second) == {"maya", "priya", "pete"}
    with django_assert_num_queries(1):  # the assessments only
        list(Assessment.objects.visible_to(maya))


def test_policy_calls_in_one_request_share_the_scope(cast, django_assert_num_queries):
    hugo = cast.viewer("skip_level")
    assert can_see_person(hugo, cast.person("hugo"))  # reads the scope (and whether he is HR) once
    chain = cast.person("priya").managers_up_chain()
    with django_assert_num_queries(0):
        assert is_manager_of(hugo, cast.person("priya"))
        assert can_see_person(hugo, cast.person("maya"))
        assert not can_see_person(hugo, cast.person("olive"))
        assert names(cast, visible_chain(hugo, chain)) == {"maya", "hugo"}


def test_a_manager_change_makes_a_kept_scope_stale(cast, django_assert_num_queries):
    maya, omar, hugo = cast.viewer("manager"), cast.viewer("other_manager"), cast.viewer("skip_level")
    kept = {user: Scope.of(user) for user in (maya, omar, hugo)}
    moved = Person.objects.get(pk=cast.pid("maya"))
    moved.manager = cast.person("omar")
    moved.save()  # Maya (and her team with her) now report to Omar
    with django_assert_num_queries(1):  # the next call reads the new tree
        fresh = Scope.of(maya)
    assert fresh is not kept[maya] and fresh.path != kept[maya].path
    assert names(cast, Person.objects.visible_to(maya)) == {"maya", "priya", "pete"}
    assert names(cast, Person.objects.visible_to(omar)) == {"omar", "olive", "hal", "maya", "priya", "pete"}
    assert names(cast, Person.objects.visible_to(hugo)) == {"hugo"}
    priya = Person.objects.get(pk=cast.pid("priya"))
    assert is_manager_of(omar, priya) and not is_manager_of(hugo, priya) and is_manager_of(maya, priya)


def test_a_deleted_manager_makes_a_kept_scope_stale(cast, django_assert_num_queries):
    fred, cleo = cast.viewer("former_manager"), cast.viewer("hr_party")
    assert names(cast, Person.objects.filter(Scope.of(fred).below_q())) == {"frank"}
    kept = Scope.of(cleo)
    Person.objects.get(pk=cast.pid("fred")).delete()  # Frank now reports to nobody
    with django_assert_num_queries(1):
        assert Scope.of(fred).person_id is None
    assert Scope.of(cleo) is not kept
    assert is_manager_of(cleo, Person.objects.get(pk=cast.pid("frank"))) is False


# can_set_level / require_can_set_level -------------------------------------------------------------

# Pete's level unset (a new joiner): his manager (Maya) or HR sets it; Hugo, above Maya, does not; nor Pete.
# Once set, only HR changes it. Leavers and visitors never.
SETS_UNSET_LEVEL = {"manager", "hr", "hr_party"}


@pytest.mark.parametrize("role", ROLES)
def test_can_set_level(cast, role):
    pete = Person.objects.select_related("user", "manager__user").get(pk=cast.pid("pete"))  # a copy to change
    assert can_set_level(cast.viewer(role), pete) is (role in {"hr", "hr_party"})  # level set: HR only
    Person.objects.filter(pk=pete.pk).update(level=None)
    pete.refresh_from_db()
    assert can_set_level(cast.viewer(role), pete) is (role in SETS_UNSET_LEVEL)


@pytest.mark.parametrize("role", ["subject", "peer", "skip_level"])
def test_require_can_set_level_says_who_can(cast, role):
    pete = Person.objects.select_related("user", "manager__user").get(pk=cast.pid("pete"))  # a copy to change
    outcome, message = answer(lambda: require_can_set_level(cast.viewer(role), pete))
    assert (outcome, message) == (
        "403",
        "Pete Peer’s level is set already; HR changes it in the people administration.",
    )
    Person.objects.filter(pk=pete.pk).update(level=None)
    pete.refresh_from_db()
    outcome, message = answer(lambda: require_can_set_level(cast.viewer(role), pete))
    assert (outcome, message) == ("403", "Only their manager, Maya Manager, or HR can set Pete Peer’s level.")
    assert_sentence(message)
    assert answer(lambda: require_can_set_level(cast.viewer("manager"), pete)) == ("ok", None)

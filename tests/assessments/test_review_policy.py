"""Tables for the review policy (`assessments/reviews/access.py`): who may see, change, submit, return,
share and start an assessment, and the blind-cycle rule. The organisation, the roles and the table
helpers are in `tests/assessments/policy_cast.py`; every assessment is of Priya, against IC level 3.

Convention (docs/architecture.md): outside your scope a 404 that says no more than "not found"; inside
it, an action you may not take is a 403 whose message is a sentence saying why. The `require_*` helpers
only ever raise 403s: every view calls them after `get_assessment_for_user`, so their tables go through
both, as a view does (`_through_the_view`).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.people.models import Person
from assessments.reviews.access import (
    can_edit,
    can_move_version,
    can_return,
    can_see,
    can_share,
    can_undo_share,
    get_assessment_for_user,
    get_subject_for_start,
    hidden_by_blind_cycle,
    is_author,
    may_assess,
    may_assess_from,
    may_hand_over,
    may_take_over,
    no_longer_manages,
    require_author,
    require_can_move_version,
    require_can_return,
    require_manager_assessment,
    require_may_hand_over,
    require_may_take_over,
    returned_self_assessments,
    visible_counterpart,
)
from assessments.reviews.models import Assessment
from frameworks.models import Level
from tests.assessments.policy_cast import (
    ROLE_NAMES,
    ROLES,
    Cast,
    answer,
    assert_sentence,
    known,
    organisation,
    rows,
)

# The assessments every table asks about, made once for the module, outside review cycles and each
# against a level of its own (so no two are the sides of one review): Priya's self-assessment, and a
# manager assessment of her by Maya (her manager), Hugo (the skip-level manager) or Fred (her former
# manager, written before she moved), each in one status. Cycles are states of their own, made by the
# tests that ask about them (one open cycle at a time).
OBJECTS = {
    "self-draft": ("self", "draft", "priya"),
    "self-returned": ("self", "returned", "priya"),
    "self-submitted": ("self", "submitted", "priya"),
    "mgr-draft": ("manager", "draft", "maya"),
    "mgr-submitted": ("manager", "submitted", "maya"),
    "mgr-shared": ("manager", "shared", "maya"),
    "skip-draft": ("manager", "draft", "hugo"),
    "skip-submitted": ("manager", "submitted", "hugo"),
    "former-draft": ("manager", "draft", "fred"),
    "former-submitted": ("manager", "submitted", "fred"),
}


def _objects(cast):
    # Not IC level 3: that is for the assessments the tests make themselves.
    levels = list(Level.objects.filter(framework__key="product").exclude(pk=cast.ids["level"]).order_by("pk"))
    made = {
        key: cast.assessment(kind, status, author=author, level=level).pk
        for (key, (kind, status, author)), level in zip(OBJECTS.items(), levels, strict=False)
    }
    found = Assessment.objects.with_related().in_bulk(made.values())
    cast.objects = {key: found[pk] for key, pk in made.items()}


@pytest.fixture(scope="module")
def organised(django_db_setup, django_db_blocker):
    yield from organisation(django_db_blocker, then=_objects)


@pytest.fixture
def cast(db, organised) -> Cast:
    return organised


@pytest.fixture
def objects(cast):
    return cast.objects


def _through_the_view(user, assessment, require):
    """What a view answers: 404 if `user` may not see the assessment, else whatever `require` raises."""

    def view():
        found, _ = get_assessment_for_user(user, assessment.pk)
        require(user, found)

    outcome, detail = answer(view)
    return (outcome, detail if outcome != "ok" else "")


RETURNERS = {"manager", "skip_level", "hr_party"}  # managers up the chain: Cleo is one, HR or not; Hana is not


# Seeing ---------------------------------------------------------------------------------------------

# A draft (or a returned one) only to its author; once submitted, to the subject's managers up the chain and
# HR; a manager assessment to its subject once shared. Nobody inactive or anonymous sees anything.
VIEWERS = {
    "self-draft": {"subject"},
    "self-returned": {"subject"},
    "self-submitted": {"subject", "manager", "skip_level", "hr", "hr_party"},
    "mgr-draft": {"manager"},
    "mgr-submitted": {"manager", "skip_level", "hr", "hr_party"},
    "mgr-shared": {"subject", "manager", "skip_level", "hr", "hr_party"},
    "skip-draft": {"skip_level"},
    "skip-submitted": {"manager", "skip_level", "hr", "hr_party"},  # Maya reads it: it is about her report
    "former-draft": {"former_manager"},  # what he wrote stays his to read
    "former-submitted": {"former_manager", "manager", "skip_level", "hr", "hr_party"},
}


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {key: role in VIEWERS[key] for key in OBJECTS}))
def test_can_see(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_see(user, objects[key]) for key in expected} == expected


def _in_cycles(cast, kind="self", status="submitted"):
    """Priya's assessment in a blind (open) cycle and in a closed one."""
    return {
        "blind-cycle": cast.assessment(kind, status, cycle=cast.cycle("Blind", blind=True)),
        "closed-cycle": cast.assessment(kind, status, cycle=cast.cycle("Closed", closed=True)),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {
            "blind-cycle": role in VIEWERS["self-submitted"],
            "closed-cycle": role in VIEWERS["self-submitted"],
        }
    ),
)
def test_can_see_whatever_the_cycle(cast, role, expected):
    """Blind or closed, a cycle hides ratings (below), never the assessment."""
    made = _in_cycles(cast)
    user = cast.viewer(role)
    assert {key: can_see(user, made[key]) for key in expected} == expected


@pytest.mark.parametrize(
    ("status", "viewers"),
    [
        ("draft", {"omar"}),
        ("submitted", {"omar", "hana", "cleo"}),  # not Hal, an HR admin: it is about him and not shared yet
        ("shared", {"omar", "hana", "cleo", "hal"}),
    ],
)
def test_can_see_an_hr_admins_own_manager_assessment(cast, status, viewers):
    assessment = cast.assessment("manager", status, author="omar", subject="hal")
    assert {
        name for name in ("omar", "hana", "cleo", "hal", "olive", "maya") if can_see(cast.viewer(name), assessment)
    } == viewers


EDITS = {
    ("subject", "self-draft"),
    ("subject", "self-returned"),
    ("manager", "mgr-draft"),
    ("skip_level", "skip-draft"),
}


def _get_row(role):
    return {
        key: ("ok", (role, key) in EDITS) if role in VIEWERS[key] else ("404", "No such assessment.") for key in OBJECTS
    }


@pytest.mark.parametrize(("role", "expected"), rows(_get_row))
def test_get_assessment_for_user(cast, objects, role, expected):
    """(the assessment and whether they may change it), or a 404 that names nothing."""
    user = cast.viewer(role)
    answers = {key: answer(lambda key=key: get_assessment_for_user(user, objects[key].pk)) for key in expected}
    for key, (outcome, found) in answers.items():
        if outcome == "ok":
            assert found[0].pk == objects[key].pk
            answers[key] = ("ok", found[1])
    assert answers == expected


@pytest.mark.parametrize("pk", [999999, "999999"])  # the URL converter gives an int
@pytest.mark.parametrize("role", ["subject", "hr"])
def test_get_assessment_for_user_says_the_same_for_none_at_all(cast, role, pk):
    assert answer(lambda: get_assessment_for_user(cast.viewer(role), pk)) == ("404", "No such assessment.")


# (role, the side asked from, self status, manager status or None): which side comes back
COUNTERPARTS = [
    ("subject", "self", "submitted", "draft", None),
    ("subject", "self", "submitted", "submitted", None),
    ("subject", "self", "submitted", "shared", "manager"),
    ("manager", "manager", "submitted", "draft", "self"),
    ("manager", "manager", "draft", "draft", None),
    ("manager", "manager", "returned", "submitted", None),
    ("manager", "self", "submitted", "draft", "manager"),  # her own draft
    ("manager", "self", "submitted", None, None),
    ("skip_level", "self", "submitted", "draft", None),
    ("skip_level", "self", "submitted", "submitted", "manager"),
    ("hr", "manager", "draft", "submitted", None),
    ("hr", "manager", "submitted", "submitted", "self"),
    ("hr_party", "self", "submitted", "shared", "manager"),
    ("peer", "self", "submitted", "shared", None),
    ("other_manager", "self", "submitted", "shared", None),
    ("former_manager", "self", "submitted", "shared", None),
    ("inactive_pm", "manager", "submitted", "shared", None),
    ("inactive_manager", "self", "submitted", "shared", None),
    ("anonymous", "self", "submitted", "shared", None),
]


@pytest.mark.parametrize(("role", "side", "self_status", "manager_status", "expected"), COUNTERPARTS)
def test_visible_counterpart(cast, role, side, self_status, manager_status, expected):
    cycle = cast.cycle()
    made = {"self": cast.assessment("self", self_status, cycle=cycle)}
    if manager_status:
        made["manager"] = cast.assessment("manager", manager_status, cycle=cycle)
    found = visible_counterpart(cast.viewer(role), made[side])
    assert (found.pk if found else None) == (made[expected].pk if expected else None)


def test_visible_counterpart_is_of_the_same_review(cast, objects):
    """Maya's assessments of Priya against other levels, or outside this cycle, are not the other side."""
    maya = cast.viewer("manager")
    assert visible_counterpart(maya, objects["self-submitted"]) is None  # hers are against other levels
    level = objects["mgr-submitted"].level
    cycle = cast.cycle()
    mine = cast.assessment("self", "submitted", cycle=cycle, level=level)
    assert visible_counterpart(maya, mine) is None  # the same level, but hers is outside the cycle
    theirs = cast.assessment("manager", "submitted", cycle=cycle, level=level)
    assert visible_counterpart(maya, mine).pk == theirs.pk


# returned_self_assessments: Priya's is in the module's objects (returned); Pete has none.
RETURNED_KNOWN = {
    ("inactive_manager", "priya"): (
        False,
        "returned_self_assessments does not turn away a leaver: inactive Hugo is told Priya's went back",
    )
}


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(lambda role: {"priya": role in RETURNERS, "pete": False}, RETURNED_KNOWN),
)
def test_returned_self_assessments(cast, objects, role, expected):
    """Her managers (who may have sent it back) learn that it went back; nobody else, HR included."""
    found = returned_self_assessments(cast.viewer(role), [cast.pid("priya"), cast.pid("pete")])
    assert {name: cast.pid(name) in found for name in expected} == expected
    if "priya" in found:
        assert found[cast.pid("priya")].pk == objects["self-returned"].pk


@pytest.mark.parametrize(("role", "name", "expected"), known(RETURNED_KNOWN))
def test_returned_self_assessments_known(cast, role, name, expected):
    assert (cast.pid(name) in returned_self_assessments(cast.viewer(role), [cast.pid(name)])) is expected


def test_returned_self_assessments_gives_the_newest_and_only_of_the_subjects_asked(cast, objects):
    older = objects["self-returned"]
    newer = cast.assessment("self", "returned")
    Assessment.objects.filter(pk=older.pk).update(returned_at=timezone.now() - timedelta(days=2))
    Assessment.objects.filter(pk=newer.pk).update(returned_at=timezone.now())
    maya = cast.viewer("manager")
    assert returned_self_assessments(maya, [cast.pid("priya")])[cast.pid("priya")].pk == newer.pk
    assert returned_self_assessments(maya, [cast.pid("pete")]) == {}


# The blind-cycle rule -------------------------------------------------------------------------------

# In a blind cycle Priya has submitted and Maya's assessment is a draft. Reading Priya's side, only its
# author and an HR admin who is not a party see the ratings; reading Maya's, only the subject does not.
# A leaver sees nothing: both sides are hidden from them.
BLIND_SELF_SIDE = {"subject", "hr"}  # not hidden from them
BLIND_MANAGER_SIDE = {"subject", "inactive_pm", "inactive_manager"}  # hidden from them


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {"self": role not in BLIND_SELF_SIDE, "manager": role in BLIND_MANAGER_SIDE},
        roles=[role for role in ROLES if role != "anonymous"],
    ),
)
def test_hidden_by_blind_cycle_until_both_submit(cast, role, expected):
    cycle = cast.cycle(blind=True)
    made = {
        "self": cast.assessment("self", "submitted", cycle=cycle),
        "manager": cast.assessment(cycle=cycle, kind="manager"),
    }
    user = cast.viewer(role)
    assert {
        "self": hidden_by_blind_cycle(user, made["self"], made["manager"]),
        "manager": hidden_by_blind_cycle(user, made["manager"], made["self"]),
    } == expected


@pytest.mark.parametrize(
    ("role", "side", "expected"),
    known(
        {
            ("anonymous", "self"): (True, "hidden_by_blind_cycle asks AnonymousUser.is_hr_admin, which it lacks"),
            # Nobody signed in sees either side: hidden, like a leaver.
            ("anonymous", "manager"): (True, "hidden_by_blind_cycle asks AnonymousUser.is_hr_admin, which it lacks"),
        },
        raises=AttributeError,
    ),
)
def test_hidden_by_blind_cycle_anonymous(cast, role, side, expected):
    cycle = cast.cycle(blind=True)
    made = {
        "self": cast.assessment("self", "submitted", cycle=cycle),
        "manager": cast.assessment(cycle=cycle, kind="manager"),
    }
    other = "manager" if side == "self" else "self"
    assert hidden_by_blind_cycle(cast.viewer(role), made[side], made[other]) is expected


# (role, cycle, self status, manager status or None, side read, hidden)
BLIND_CASES = [
    ("manager", "blind", "submitted", "submitted", "self", False),
    ("skip_level", "blind", "submitted", "submitted", "self", False),
    ("hr_party", "blind", "submitted", "submitted", "self", False),
    ("subject", "blind", "submitted", "shared", "manager", False),
    ("subject", "blind", "draft", "shared", "manager", True),
    ("subject", "blind", "returned", "shared", "manager", True),
    ("manager", "blind", "returned", "submitted", "self", True),
    ("manager", "blind", "submitted", None, "self", True),  # nobody has started the other side
    ("manager", "closed-blind", "submitted", "draft", "self", True),  # closing the cycle does not lift it
    ("hr", "closed-blind", "submitted", "draft", "self", False),
    ("manager", "open", "submitted", "draft", "self", False),
    ("subject", "open", "draft", "shared", "manager", False),
    ("manager", None, "submitted", "draft", "self", False),
]


@pytest.mark.parametrize(("role", "cycle_kind", "self_status", "manager_status", "side", "hidden"), BLIND_CASES)
def test_hidden_by_blind_cycle(cast, role, cycle_kind, self_status, manager_status, side, hidden):
    cycle = cast.cycle(blind=cycle_kind != "open", closed=cycle_kind == "closed-blind") if cycle_kind else None
    made = {"self": cast.assessment("self", self_status, cycle=cycle), "manager": None}
    if manager_status:
        made["manager"] = cast.assessment("manager", manager_status, cycle=cycle)
    other = "manager" if side == "self" else "self"
    assert hidden_by_blind_cycle(cast.viewer(role), made[side], made[other]) is hidden


@pytest.mark.parametrize(("name", "hidden"), [("hal", True), ("hana", False), ("omar", False), ("cleo", False)])
def test_hidden_by_blind_cycle_holds_for_an_hr_admin_who_is_assessed(cast, name, hidden):
    """Hal, an HR admin, reads Omar's shared assessment of him before submitting his own: hidden, as for anyone."""
    cycle = cast.cycle(blind=True)
    own = cast.assessment("self", "draft", subject="hal", cycle=cycle)
    theirs = cast.assessment("manager", "shared", author="omar", subject="hal", cycle=cycle)
    assert hidden_by_blind_cycle(cast.viewer(name), theirs, own) is hidden


# Acting ---------------------------------------------------------------------------------------------

LEAVER_IS_AUTHOR = (
    "is_author checks is_authenticated but not is_active, so a leaver is still 'the author' (elsewhere inactive "
    "users are turned away: can_see says they see nothing)"
)
LEAVER_EDITS = (
    "can_edit is True for a leaver's own draft (is_author does not check is_active), though can_see and "
    "get_assessment_for_user turn them away: they may change what they may not see"
)


def _cells(keys, true_cells):
    return lambda role: {key: (role, key) in true_cells for key in keys}


AUTHORS = {
    ("subject", "self-draft"),
    ("manager", "mgr-draft"),
    ("skip_level", "skip-draft"),
    ("former_manager", "former-draft"),  # still the author, though he may no longer change it
}
AUTHOR_KNOWN = {
    ("inactive_pm", "self-draft"): (False, LEAVER_IS_AUTHOR),
    ("inactive_manager", "skip-draft"): (False, LEAVER_IS_AUTHOR),
}


@pytest.mark.parametrize(
    ("role", "expected"), rows(_cells(["self-draft", "mgr-draft", "skip-draft", "former-draft"], AUTHORS), AUTHOR_KNOWN)
)
def test_is_author(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: is_author(user, objects[key]) for key in expected} == expected


@pytest.mark.parametrize(("role", "key", "expected"), known(AUTHOR_KNOWN))
def test_is_author_known(cast, objects, role, key, expected):
    assert is_author(cast.viewer(role), objects[key]) is expected


NO_LONGER = {("former_manager", "former-draft"), ("former_manager", "former-submitted")}
NO_LONGER_KNOWN = {("inactive_manager", "skip-submitted"): (False, LEAVER_IS_AUTHOR)}


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        _cells(
            ["self-submitted", "mgr-draft", "mgr-submitted", "skip-submitted", "former-draft", "former-submitted"],
            NO_LONGER,
        ),
        NO_LONGER_KNOWN,
    ),
)
def test_no_longer_manages(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: no_longer_manages(user, objects[key]) for key in expected} == expected


@pytest.mark.parametrize(("role", "key", "expected"), known(NO_LONGER_KNOWN))
def test_no_longer_manages_known(cast, objects, role, key, expected):
    assert no_longer_manages(cast.viewer(role), objects[key]) is expected


def test_no_longer_manages_follows_a_move(cast, objects):
    assert no_longer_manages(cast.viewer("manager"), objects["mgr-draft"]) is False
    priya = Person.objects.get(pk=cast.pid("priya"))
    priya.manager = cast.person("omar")
    priya.save()
    moved = Assessment.objects.with_related().get(pk=objects["mgr-draft"].pk)  # the next request
    assert no_longer_manages(cast.viewer("manager"), moved) is True
    assert can_edit(cast.viewer("manager"), moved) is False
    assert can_see(cast.viewer("manager"), moved) is True  # still hers to read


EDIT_KEYS = [
    "self-draft",
    "self-returned",
    "self-submitted",
    "mgr-draft",
    "mgr-submitted",
    "mgr-shared",
    "skip-draft",
    "former-draft",  # his, but Priya is no longer his report
]
EDIT_KNOWN = {
    ("inactive_pm", "self-draft"): (False, LEAVER_EDITS),
    ("inactive_pm", "self-returned"): (False, LEAVER_EDITS),
}


@pytest.mark.parametrize(("role", "expected"), rows(_cells(EDIT_KEYS, EDITS), EDIT_KNOWN))
def test_can_edit(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_edit(user, objects[key]) for key in expected} == expected


@pytest.mark.parametrize(("role", "key", "expected"), known(EDIT_KNOWN))
def test_can_edit_known(cast, objects, role, key, expected):
    assert can_edit(cast.viewer(role), objects[key]) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {
            key: key == "self-submitted" and role in RETURNERS
            for key in ["self-draft", "self-returned", "self-submitted", "mgr-submitted"]
        }
    ),
)
def test_can_return(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_return(user, objects[key]) for key in expected} == expected


SHARERS = {("manager", "mgr-submitted"), ("skip_level", "skip-submitted")}
SHARE_KEYS = ["mgr-draft", "mgr-submitted", "mgr-shared", "skip-submitted", "former-submitted", "self-submitted"]


@pytest.mark.parametrize(("role", "expected"), rows(_cells(SHARE_KEYS, SHARERS)))
def test_can_share(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_share(user, objects[key]) for key in expected} == expected


# Undo a share: its author, while its window is open (every shared one here was shared a moment ago).
UNDOERS = {("manager", "mgr-shared")}
UNDO_KEYS = ["mgr-submitted", "mgr-shared", "skip-submitted", "former-submitted", "self-submitted"]


@pytest.mark.parametrize(("role", "expected"), rows(_cells(UNDO_KEYS, UNDOERS)))
def test_can_undo_share(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_undo_share(user, objects[key]) for key in expected} == expected


@pytest.mark.parametrize(("minutes", "expected"), [(0, True), (9, True), (10, False), (60, False)])
def test_can_undo_share_only_inside_the_window(cast, objects, minutes, expected):
    shared = Assessment.objects.with_related().get(pk=objects["mgr-shared"].pk)
    shared.shared_at = timezone.now() - timedelta(minutes=minutes, seconds=1 if minutes else 0)
    assert can_undo_share(cast.viewer("manager"), shared) is expected


OK = ("ok", "")
NOT_FOUND = ("404", "No such assessment.")
ONLY_AUTHOR = ("403", "Only the author can do this.")
NO_LONGER_MANAGES = (
    "403",
    "You no longer manage Priya Product, so this assessment can’t be changed or shared. Ask HR if this is wrong.",
)
ONLY_MANAGERS_RETURN = ("403", "Only the person's managers can return a self-assessment.")


def _outcomes(table):
    """A row of outcomes: what the table gives the role for each key, else a 404."""
    return lambda role: {key: by_role.get(role, NOT_FOUND) for key, by_role in table.items()}


def _readers(key, outcome, **others):
    """Everyone who may read `key` gets `outcome`, unless named in `others`."""
    return {role: others.get(role, outcome) for role in VIEWERS[key]}


REQUIRE_AUTHOR = {
    "self-submitted": _readers("self-submitted", ONLY_AUTHOR, subject=OK),
    "mgr-draft": _readers("mgr-draft", ONLY_AUTHOR, manager=OK),
    "mgr-submitted": _readers("mgr-submitted", ONLY_AUTHOR, manager=OK),
    "mgr-shared": _readers("mgr-shared", ONLY_AUTHOR, manager=OK),  # Priya reads it now, but did not write it
    "former-submitted": _readers("former-submitted", ONLY_AUTHOR, former_manager=NO_LONGER_MANAGES),
}


@pytest.mark.parametrize(("role", "expected"), rows(_outcomes(REQUIRE_AUTHOR)))
def test_require_author(cast, objects, role, expected):
    user = cast.viewer(role)
    answers = {key: _through_the_view(user, objects[key], require_author) for key in expected}
    assert answers == expected
    for outcome, message in answers.values():
        if outcome == "403":
            assert_sentence(message)


REQUIRE_CAN_RETURN = {
    "self-submitted": _readers("self-submitted", OK, subject=ONLY_MANAGERS_RETURN, hr=ONLY_MANAGERS_RETURN),
    "self-draft": _readers("self-draft", ONLY_MANAGERS_RETURN),
    "self-returned": _readers("self-returned", ONLY_MANAGERS_RETURN),
    "mgr-submitted": _readers("mgr-submitted", ONLY_MANAGERS_RETURN),  # a manager assessment is never returned
}


@pytest.mark.parametrize(("role", "expected"), rows(_outcomes(REQUIRE_CAN_RETURN)))
def test_require_can_return(cast, objects, role, expected):
    user = cast.viewer(role)
    answers = {key: _through_the_view(user, objects[key], require_can_return) for key in expected}
    assert answers == expected
    for outcome, message in answers.values():
        if outcome == "403":
            assert_sentence(message)


@pytest.mark.parametrize(
    ("key", "action", "message"),
    [
        ("self-submitted", "shared", "Only a manager assessment is shared."),
        ("self-draft", "shared", "Only a manager assessment is shared."),
        ("mgr-submitted", "shared", None),
        ("mgr-draft", "shared", None),
        ("skip-submitted", "shared", None),
    ],
)
def test_require_manager_assessment(objects, key, action, message):
    """Asks the assessment, not the viewer: the same answer for every role."""
    if message is None:
        require_manager_assessment(objects[key], action)
    else:
        with pytest.raises(PermissionDenied) as caught:
            require_manager_assessment(objects[key], action)
        assert str(caught.value) == message
        assert_sentence(message)


# Moving a draft to a newer framework version: whoever may change its answers ------------------------


@pytest.mark.parametrize(("role", "expected"), rows(_cells(EDIT_KEYS, EDITS), EDIT_KNOWN))
def test_can_move_version(cast, objects, role, expected):
    user = cast.viewer(role)
    assert {key: can_move_version(user, objects[key]) for key in expected} == expected


ONLY_DRAFTS_MOVE = ("403", "Only a draft can move to a newer version; this one has been submitted.")
REQUIRE_CAN_MOVE = {
    "self-draft": _readers("self-draft", OK),
    "self-returned": _readers("self-returned", OK),
    "self-submitted": _readers("self-submitted", ONLY_AUTHOR, subject=ONLY_DRAFTS_MOVE),
    "mgr-draft": _readers("mgr-draft", OK),
    "mgr-shared": _readers("mgr-shared", ONLY_AUTHOR, manager=ONLY_DRAFTS_MOVE),
    "former-draft": _readers("former-draft", NO_LONGER_MANAGES),
}


@pytest.mark.parametrize(("role", "expected"), rows(_outcomes(REQUIRE_CAN_MOVE)))
def test_require_can_move_version(cast, objects, role, expected):
    user = cast.viewer(role)
    answers = {key: _through_the_view(user, objects[key], require_can_move_version) for key in expected}
    assert answers == expected
    for outcome, message in answers.values():
        if outcome == "403":
            assert_sentence(message)


# Starting -------------------------------------------------------------------------------------------

MAY_ASSESS = {
    "manager": {"priya", "pete"},
    "skip_level": {"priya", "pete", "maya"},
    "other_manager": {"olive"},
    "former_manager": {"frank"},
    "hr_party": {"priya", "pete", "maya", "olive", "frank"},
}


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {
            name: name in MAY_ASSESS.get(role, ()) for name in ("priya", "pete", "maya", "olive", "frank", "cleo")
        }
    ),
)
def test_may_assess(cast, role, expected):
    user = cast.viewer(role)
    assert {name: may_assess(user, cast.person(name)) for name in expected} == expected


# Priya's self-assessment (its status and cycle), and whether the other side is already visible.
FROM_STATES = {
    "submitted": ("self-submitted", None),  # outside cycles
    "blind-cycle": ("blind-cycle", None),  # open
    "closed-cycle": ("closed-cycle", None),
    "draft": ("self-draft", None),
    "returned": ("self-returned", None),
    "already-answered": ("self-submitted", "mgr-draft"),
}
OFFERED = {"submitted", "blind-cycle"}


@pytest.mark.parametrize(
    ("role", "expected"), rows(lambda role: {state: state in OFFERED and role in RETURNERS for state in FROM_STATES})
)
def test_may_assess_from(cast, objects, role, expected):
    objects = {**objects, **_in_cycles(cast)}
    user = cast.viewer(role)
    offers = {}
    for state in expected:
        mine, counterpart = FROM_STATES[state]
        offers[state] = may_assess_from(user, objects[mine], objects[counterpart] if counterpart else None)
    assert offers == expected


# get_subject_for_start: the pk as the form posts it, and whom the start is about (or a 404).
START_TARGETS = ("none", "own", "priya", "maya", "olive", "not-a-number", "nobody")
STARTS = {
    "manager": {"priya"},
    "skip_level": {"priya", "maya"},
    "other_manager": {"olive"},
    "hr_party": {"priya", "maya", "olive"},
}
HR_START = (
    "HR sees Priya (get_person_for_user), yet starting an assessment of her answers 404 'No such person.' where "
    "the convention says 403 with a sentence: inside the scope, not theirs to do"
)
LEAVER_STARTS = "get_subject_for_start does not turn away a leaver: inactive Hugo may still start on Priya and Maya"
START_KNOWN = {
    ("hr", "priya"): ("403", HR_START),
    ("hr", "maya"): ("403", HR_START),
    ("hr", "olive"): ("403", HR_START),
    ("inactive_manager", "priya"): ("404", LEAVER_STARTS),
    ("inactive_manager", "maya"): ("404", LEAVER_STARTS),
}
SIGNED_IN = [role for role in ROLES if role != "anonymous"]  # the view needs the viewer's own person first


def _start_row(role):
    def outcome(target):
        if target in ("none", "own") or target == ROLE_NAMES[role]:
            return "me"
        return target if target in STARTS.get(role, ()) else "404"

    return {target: outcome(target) for target in START_TARGETS}


def _start(cast, user, target):
    me = Person.objects.with_related().get(user=user)
    pk = {"none": None, "own": str(me.pk), "not-a-number": "abc", "nobody": "999999"}.get(target)
    if pk is None and target != "none":
        pk = str(cast.pid(target))
    outcome, found = answer(lambda: get_subject_for_start(user, me, pk))
    if outcome == "ok":
        return "me" if found.pk == me.pk else cast.name_of(found.pk)
    if outcome == "404":
        assert found == "No such person.", found
    else:
        assert_sentence(found)
    return outcome


@pytest.mark.parametrize(("role", "expected"), rows(_start_row, START_KNOWN, roles=SIGNED_IN))
def test_get_subject_for_start(cast, role, expected):
    user = cast.viewer(role)
    assert {target: _start(cast, user, target) for target in expected} == expected


@pytest.mark.parametrize(("role", "target", "expected"), known(START_KNOWN))
def test_get_subject_for_start_known(cast, role, target, expected):
    assert _start(cast, cast.viewer(role), target) == expected


# Hand-over ------------------------------------------------------------------------------------------

HANDS_OVER = {"hr", "hr_party"}  # HR, whoever they manage
# The person's manager now (directly) takes over what a former manager left behind.
TAKES_OVER = {
    "manager": {"priya", "pete"},
    "skip_level": {"maya"},
    "other_manager": {"olive"},
    "former_manager": {"frank"},
    "hr_party": {"hugo", "fred", "omar"},
}
PEOPLE_ASKED = ("priya", "pete", "maya", "olive", "frank", "hugo")


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {"hand over": role in HANDS_OVER}))
def test_may_hand_over(cast, role, expected):
    user = cast.viewer(role)
    assert {"hand over": may_hand_over(user)} == expected
    outcome, detail = answer(lambda: require_may_hand_over(user, cast.person("priya")))
    assert outcome == ("ok" if expected["hand over"] else "403")
    if outcome == "403":
        assert_sentence(detail)


@pytest.mark.parametrize(
    ("role", "expected"), rows(lambda role: {name: name in TAKES_OVER.get(role, ()) for name in PEOPLE_ASKED})
)
def test_may_take_over(cast, role, expected):
    user = cast.viewer(role)
    assert {name: may_take_over(user, cast.person(name)) for name in expected} == expected
    for name, may in expected.items():
        outcome, detail = answer(lambda name=name: require_may_take_over(user, cast.person(name)))
        assert outcome == ("ok" if may else "403")
        if outcome == "403":
            assert_sentence(detail)

"""Tables for the report policy (`assessments/reports/access.py`): who may see a comparison (and so the
promotion report and its CSV), who records the agreed outcome, whose team heatmap one may open, and
calibration. The organisation, the roles and the table helpers are in `tests/assessments/policy_cast.py`.

Convention (docs/architecture.md): outside your scope a 404 that says no more than "not found"; inside
it, an action you may not take is a 403 whose message is a sentence saying why.
"""

import pytest

from assessments.people.access import person_of
from assessments.people.models import Person
from assessments.reports.access import (
    can_recommend,
    can_record_agreed,
    can_see_calibration,
    can_see_cycle_progress,
    get_calibration_manager_for_user,
    get_calibration_scope_for_user,
    get_comparison_for_user,
    get_progress_scope_for_user,
    get_team_for_user,
    managers_for,
    progress_shows_drafts,
    require_can_recommend,
    require_can_record_agreed,
)
from assessments.reports.comparison import build_comparison, visible_assessments
from assessments.reviews.access import get_assessment_for_user
from frameworks.models import Level
from tests.assessments.policy_cast import ROLES, Cast, answer, assert_sentence, known, names, organisation, rows

# Priya's reviews, made once for the module: each against a level of its own, outside cycles, except the
# blind one. (self-assessment status or None, manager assessment status, its author)
REVIEWS = {
    "both-submitted": ("submitted", "submitted", "maya"),
    "shared": ("submitted", "shared", "maya"),
    "manager-draft": ("submitted", "draft", "maya"),
    "self-draft": ("draft", "submitted", "maya"),
    "no-manager": ("submitted", None, None),
    "by-former": ("submitted", "submitted", "fred"),
    "by-skip": ("submitted", "submitted", "hugo"),
    "blind": ("submitted", "draft", "maya"),  # in an open blind cycle
}


def _reviews(cast):
    levels = list(Level.objects.filter(framework__key="product").order_by("pk"))
    blind = cast.cycle("Blind", blind=True)
    for (key, (self_status, manager_status, author)), level in zip(REVIEWS.items(), levels, strict=False):
        cycle = blind if key == "blind" else None
        made = {"level": level, "cycle": cycle}
        if self_status:
            made["self"] = cast.assessment("self", self_status, level=level, cycle=cycle)
        if manager_status:
            made["manager"] = cast.assessment("manager", manager_status, author=author, level=level, cycle=cycle)
        cast.objects[key] = made


@pytest.fixture(scope="module")
def organised(django_db_setup, django_db_blocker):
    yield from organisation(django_db_blocker, then=_reviews)


@pytest.fixture
def cast(db, organised) -> Cast:
    return organised


def _params(review):
    return {"level": str(review["level"].pk), "cycle": str(review["cycle"].pk) if review["cycle"] else "none"}


def _sides(comparison) -> str:
    """Which sides a comparison puts side by side: "self+manager", "self", "manager" or "none"."""
    shown = [side for side, there in (("self", comparison.has_self), ("manager", comparison.has_manager)) if there]
    return "+".join(shown) or "none"


# get_comparison_for_user -------------------------------------------------------------------------------

NO_SUCH_PERSON = "404: No such person."
NOT_SHARED = "404: Nothing has been shared with you yet."
READERS = {"manager", "skip_level", "hr", "hr_party"}  # Priya's managers up the chain, and HR

# For the readers: what each review shows them (the subject, below, only once something is shared).
COMPARISONS = {
    "both-submitted": dict.fromkeys(READERS, "self+manager"),
    "shared": {**dict.fromkeys(READERS, "self+manager"), "subject": "self+manager"},
    "manager-draft": {**dict.fromkeys(READERS, "self"), "manager": "self+manager"},  # her own draft
    "self-draft": dict.fromkeys(READERS, "manager"),
    "no-manager": dict.fromkeys(READERS, "self"),
    "by-former": dict.fromkeys(READERS, "self+manager"),  # not for Fred: Priya is no longer his to see
    "by-skip": dict.fromkeys(READERS, "self+manager"),
    # Blind, Priya submitted, Maya's a draft: Maya sees her own side only; Hugo and Cleo (a party) neither
    # side; Hana (HR, not a party) Priya's.
    "blind": {"manager": "manager", "skip_level": "none", "hr": "self", "hr_party": "none"},
}


def _comparison_row(role):
    if role == "subject":
        return {key: by_role.get("subject", NOT_SHARED) for key, by_role in COMPARISONS.items()}
    return {key: by_role.get(role, NO_SUCH_PERSON) for key, by_role in COMPARISONS.items()}


@pytest.mark.parametrize(("role", "expected"), rows(_comparison_row))
def test_get_comparison_for_user(cast, role, expected):
    user = cast.viewer(role)
    got = {}
    for key in expected:
        review = cast.objects[key]
        outcome, found = answer(lambda review=review: get_comparison_for_user(user, cast.pid("priya"), _params(review)))
        if outcome == "ok":
            subject, comparison, _ = found
            assert subject.pk == cast.pid("priya") and comparison.level.pk == review["level"].pk
            got[key] = _sides(comparison)
        else:
            got[key] = f"{outcome}: {found}"
    assert got == expected


@pytest.mark.parametrize("pk", [999999, "999999", "abc"])
def test_get_comparison_for_user_of_nobody_says_the_same(cast, pk):
    assert answer(lambda: get_comparison_for_user(cast.viewer("hr"), pk, {})) == ("404", "No such person.")


# can_record_agreed: the comparison as the role would see it (built from what they may see) ------------

# The author of the manager assessment, once both sides are submitted (Fred can no longer see Priya).
AGREES = {("manager", "both-submitted"), ("manager", "shared"), ("skip_level", "by-skip")}
AGREE_REVIEWS = ("both-submitted", "shared", "manager-draft", "self-draft", "by-former", "by-skip")


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {key: (role, key) in AGREES for key in AGREE_REVIEWS}))
def test_can_record_agreed(cast, role, expected):
    user = cast.viewer(role)
    subject = cast.person("priya")
    seen = visible_assessments(user, subject)
    answers = {}
    for key in expected:
        review = cast.objects[key]
        comparison = build_comparison(user, subject, review["level"], review["cycle"], seen)
        answers[key] = can_record_agreed(user, comparison)
    assert answers == expected


# require_can_record_agreed, as the view asks it: after get_assessment_for_user ------------------------

OK = ("ok", None)
NOT_FOUND = ("404", "No such assessment.")
ONLY_AUTHOR = ("403", "Only the author can do this.")
NO_LONGER_MANAGES = (
    "403",
    "You no longer manage Priya Product, so this assessment can’t be changed or shared. Ask HR if this is wrong.",
)
ONLY_ON_A_MANAGER_ASSESSMENT = ("403", "Only a manager assessment is where the agreed outcome is recorded, so only it.")

# (review, side): {role: outcome}, a 404 for everyone else
RECORD = {
    ("both-submitted", "manager"): {**dict.fromkeys(READERS, ONLY_AUTHOR), "manager": OK},
    ("shared", "manager"): {**dict.fromkeys(READERS | {"subject"}, ONLY_AUTHOR), "manager": OK},
    ("by-former", "manager"): {**dict.fromkeys(READERS, ONLY_AUTHOR), "former_manager": NO_LONGER_MANAGES},
    ("by-skip", "manager"): {**dict.fromkeys(READERS, ONLY_AUTHOR), "skip_level": OK},
    ("both-submitted", "self"): {**dict.fromkeys(READERS, ONLY_AUTHOR), "subject": ONLY_ON_A_MANAGER_ASSESSMENT},
}


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(lambda role: {f"{review}/{side}": by_role.get(role, NOT_FOUND) for (review, side), by_role in RECORD.items()}),
)
def test_require_can_record_agreed(cast, role, expected):
    user = cast.viewer(role)
    answers = {}
    for column in expected:
        review, side = column.split("/")
        assessment = cast.objects[review][side]

        def view(assessment=assessment):
            found, _ = get_assessment_for_user(user, assessment.pk)
            return require_can_record_agreed(user, found)

        answers[column] = answer(view)
        if answers[column][0] == "403":
            assert_sentence(answers[column][1])
    assert answers == expected


# can_recommend / require_can_recommend: the author of a submitted (or shared) manager assessment -----------

RECOMMENDS = {
    ("manager", "both-submitted"),
    ("manager", "shared"),
    ("manager", "self-draft"),
    ("skip_level", "by-skip"),
}
RECOMMEND_REVIEWS = ("both-submitted", "shared", "manager-draft", "self-draft", "by-former", "by-skip")


@pytest.mark.parametrize(
    ("role", "expected"), rows(lambda role: {key: (role, key) in RECOMMENDS for key in RECOMMEND_REVIEWS})
)
def test_can_recommend(cast, role, expected):
    user = cast.viewer(role)
    assert {key: can_recommend(user, cast.objects[key]["manager"]) for key in expected} == expected


def test_can_recommend_without_a_manager_assessment(cast):
    assert can_recommend(cast.viewer("manager"), None) is False


ONLY_WHERE_RECOMMENDED = ("403", "Only a manager assessment is where a recommendation is made, so only it.")
RECOMMEND = {
    **{key: by_role for key, by_role in RECORD.items() if key[1] == "manager"},
    ("both-submitted", "self"): {**dict.fromkeys(READERS, ONLY_AUTHOR), "subject": ONLY_WHERE_RECOMMENDED},
}


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {f"{review}/{side}": by_role.get(role, NOT_FOUND) for (review, side), by_role in RECOMMEND.items()}
    ),
)
def test_require_can_recommend(cast, role, expected):
    user = cast.viewer(role)
    answers = {}
    for column in expected:
        review, side = column.split("/")
        assessment = cast.objects[review][side]

        def view(assessment=assessment):
            found, _ = get_assessment_for_user(user, assessment.pk)
            return require_can_recommend(user, found)

        answers[column] = answer(view)
        if answers[column][0] == "403":
            assert_sentence(answers[column][1])
    assert answers == expected


# managers_for / get_team_for_user -----------------------------------------------------------------------

ALL_MANAGERS = ["cleo", "fred", "hugo", "maya", "omar"]  # by name
MANAGERS_FOR = {
    "manager": ["maya"],
    "skip_level": ["hugo", "maya"],  # themself first, then by name
    "other_manager": ["omar"],
    "former_manager": ["fred"],
    "hr": ALL_MANAGERS,
    "hr_party": ALL_MANAGERS,
}
LEAVER_TEAMS = "managers_for does not turn away a leaver: inactive Hugo may still open his and Maya's teams"
ANONYMOUS_TEAMS = "managers_for asks AnonymousUser.is_hr_admin, which it does not have"


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {"managers": MANAGERS_FOR.get(role, [])},
        {("inactive_manager", "managers"): None},
        roles=[role for role in ROLES if role != "anonymous"],
    ),
)
def test_managers_for(cast, role, expected):
    user = cast.viewer(role)
    managers = managers_for(user, person_of(user))
    assert {"managers": [cast.name_of(person.pk) for person in managers]} == expected


@pytest.mark.parametrize(("role", "column", "expected"), known({("inactive_manager", "managers"): ([], LEAVER_TEAMS)}))
def test_managers_for_known(cast, role, column, expected):
    user = cast.viewer(role)
    assert [cast.name_of(person.pk) for person in managers_for(user, person_of(user))] == expected


@pytest.mark.parametrize(
    ("role", "column", "expected"), known({("anonymous", "managers"): ([], ANONYMOUS_TEAMS)}, raises=AttributeError)
)
def test_managers_for_anonymous(cast, role, column, expected):
    assert managers_for(cast.viewer(role), None) == expected


TEAM_PARAMS = ("none", "own", "maya", "omar", "not-a-number", "nobody")
NO_TEAM = "404: No team to show."
NO_SUCH_MANAGER = "404: No such manager."
TEAMS = {
    # role: (the team shown by default, the other managers one may ask for)
    "manager": ("maya", set()),
    "skip_level": ("hugo", {"maya"}),
    "other_manager": ("omar", set()),
    "former_manager": ("fred", set()),
    "hr": ("cleo", {"maya", "omar"}),  # the first manager by name: Hana has no team of her own
    "hr_party": ("cleo", {"maya", "omar"}),
}


def _team_row(role):
    if role not in TEAMS:
        return dict.fromkeys(TEAM_PARAMS, NO_TEAM)
    default, others = TEAMS[role]
    own = default if role != "hr" else NO_SUCH_MANAGER  # Hana asking for her own team: she has none
    row = {"none": default, "own": own, "not-a-number": NO_SUCH_MANAGER, "nobody": NO_SUCH_MANAGER}
    for name in ("maya", "omar"):
        row[name] = name if name in others or name == default else NO_SUCH_MANAGER
    return row


TEAM_KNOWN = {
    ("inactive_manager", param): (NO_TEAM, "get_team_for_user does not turn away a leaver: inactive Hugo gets teams")
    for param in TEAM_PARAMS
}
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def _team(cast, user, param):
    value = {"none": None, "own": str(user.person.pk), "not-a-number": "abc", "nobody": "999999"}.get(param)
    if value is None and param != "none":
        value = str(cast.pid(param))
    outcome, found = answer(lambda: get_team_for_user(user, value))
    if outcome != "ok":
        return f"{outcome}: {found}"
    me, chosen, managers = found
    assert me.user_id == user.pk and chosen in managers
    return cast.name_of(chosen.pk)


@pytest.mark.parametrize(("role", "expected"), rows(_team_row, TEAM_KNOWN, roles=SIGNED_IN))
def test_get_team_for_user(cast, role, expected):
    user = cast.viewer(role)
    assert {param: _team(cast, user, param) for param in expected} == expected


@pytest.mark.parametrize(("role", "param", "expected"), known(TEAM_KNOWN))
def test_get_team_for_user_known(cast, role, param, expected):
    assert _team(cast, cast.viewer(role), param) == expected


@pytest.mark.parametrize(
    ("role", "param", "expected"),
    known({("anonymous", "none"): (NO_TEAM, "get_team_for_user asks person_of(AnonymousUser), a TypeError")}),
)
def test_get_team_for_user_anonymous(cast, role, param, expected):
    outcome, found = answer(lambda: get_team_for_user(cast.viewer(role), None))
    assert f"{outcome}: {found}" == expected


# Calibration ------------------------------------------------------------------------------------------

CALIBRATES = {"skip_level", "hr", "hr_party"}  # managers of managers, and HR
LEAVER_CALIBRATES = (
    "can_see_calibration checks is_authenticated but not is_active: inactive Hugo, a manager of managers, still "
    "gets calibration and his subtree"
)


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(lambda role: {"calibration": role in CALIBRATES}, {("inactive_manager", "calibration"): None}),
)
def test_can_see_calibration(cast, role, expected):
    assert {"calibration": can_see_calibration(cast.viewer(role))} == expected


@pytest.mark.parametrize(
    ("role", "column", "expected"), known({("inactive_manager", "calibration"): (False, LEAVER_CALIBRATES)})
)
def test_can_see_calibration_known(cast, role, column, expected):
    assert can_see_calibration(cast.viewer(role)) is expected


NOT_CALIBRATION = "404: Calibration is for HR and for managers of managers."
SCOPES = {
    "skip_level": ("hugo", {"maya", "priya", "pete"}),
    "hr": ("hana", None),  # None: everyone
    "hr_party": ("cleo", None),
}


def _calibration(cast, user):
    outcome, found = answer(lambda: get_calibration_scope_for_user(user))
    if outcome != "ok":
        return f"{outcome}: {found}"
    me, scope = found
    return cast.name_of(me.pk), (None if scope is None else names(cast, [row["pk"] for row in scope]))


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(
        lambda role: {"scope": SCOPES.get(role, NOT_CALIBRATION)},
        {("inactive_manager", "scope"): None},
    ),
)
def test_get_calibration_scope_for_user(cast, role, expected):
    assert {"scope": _calibration(cast, cast.viewer(role))} == expected


@pytest.mark.parametrize(
    ("role", "column", "expected"),
    known({("inactive_manager", "scope"): (NOT_CALIBRATION, LEAVER_CALIBRATES)}),
)
def test_get_calibration_scope_for_user_known(cast, role, column, expected):
    assert _calibration(cast, cast.viewer(role)) == expected


def test_a_head_of_a_second_branch_calibrates_only_it(cast):
    """Omar becomes a manager of managers when Olive gets a report: his scope is his branch, no more."""
    frank = Person.objects.get(pk=cast.pid("frank"))
    frank.manager = cast.person("olive")
    frank.save()
    assert _calibration(cast, cast.viewer("other_manager")) == ("omar", {"olive", "hal", "frank"})
    assert _calibration(cast, cast.viewer("former_manager")) == NOT_CALIBRATION


# Cycle progress -------------------------------------------------------------------------------------------

SEES_PROGRESS = {"manager", "skip_level", "other_manager", "former_manager", "hr", "hr_party"}  # HR, and managers
NOT_FOR_YOU = "404: Review progress is for HR and for managers."
NO_SUCH_PERSON_HERE = "404: No such person."
PROGRESS_PARAMS = ("none", "own", "maya", "omar", "not-a-number", "nobody", "no-such-cycle")
# role: (whose people are shown by default, the managers one may ask for besides oneself)
PROGRESS_SCOPES = {
    "manager": ("maya", set()),
    "skip_level": ("hugo", {"maya"}),
    "other_manager": ("omar", set()),
    "former_manager": ("fred", set()),
    "hr": ("everyone", {"maya", "omar"}),
    "hr_party": ("everyone", {"maya", "omar"}),
}


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {"sees": role in SEES_PROGRESS}))
def test_can_see_cycle_progress(cast, role, expected):
    assert {"sees": can_see_cycle_progress(cast.viewer(role))} == expected


def _progress_row(role):
    if role not in PROGRESS_SCOPES:
        return dict.fromkeys(PROGRESS_PARAMS, NOT_FOR_YOU)
    default, others = PROGRESS_SCOPES[role]
    own = {"hr": "hana", "hr_party": "cleo"}.get(role, default)
    row = {"none": default, "own": own, "not-a-number": NO_SUCH_PERSON_HERE, "nobody": NO_SUCH_PERSON_HERE}
    for name in ("maya", "omar"):
        row[name] = name if name in others or name == default else NO_SUCH_PERSON_HERE
    row["no-such-cycle"] = "404: No such review cycle."
    return row


def _progress(cast, user, param):
    cycle = cast.objects["blind"]["cycle"]
    cycle_pk = cycle.pk + 1000 if param == "no-such-cycle" else cycle.pk
    value = {"none": None, "no-such-cycle": None, "not-a-number": "abc", "nobody": "999999"}.get(param)
    if param == "own":
        value = str(user.person.pk if user.is_authenticated else cast.pid("priya"))
    elif value is None and param not in ("none", "no-such-cycle"):
        value = str(cast.pid(param))
    outcome, found = answer(lambda: get_progress_scope_for_user(user, cycle_pk, value))
    if outcome != "ok":
        return f"{outcome}: {found}"
    shown_cycle, root = found
    assert shown_cycle == cycle
    return "everyone" if root is None else cast.name_of(root.pk)


@pytest.mark.parametrize(("role", "expected"), rows(_progress_row))
def test_get_progress_scope_for_user(cast, role, expected):
    user = cast.viewer(role)
    assert {param: _progress(cast, user, param) for param in expected} == expected


@pytest.mark.parametrize(("role", "expected"), rows(lambda role: {"drafts": role in {"hr", "hr_party"}}))
def test_progress_shows_drafts(cast, role, expected):
    assert {"drafts": progress_shows_drafts(cast.viewer(role))} == expected


# Calibration's drill-down: a manager's people ----------------------------------------------------------

DRILL_TARGETS = ("maya", "omar", "hugo", "cleo")
NO_SUCH_MANAGER = "404: No such manager."


def _drill(cast, user, target):
    outcome, found = answer(lambda: get_calibration_manager_for_user(user, cast.pid(target)))
    return cast.name_of(found.pk) if outcome == "ok" else f"{outcome}: {found}"


def _drill_row(role):
    if role == "skip_level":  # Hugo: himself and those below him
        return {target: target if target in ("maya", "hugo") else NO_SUCH_MANAGER for target in DRILL_TARGETS}
    if role in ("hr", "hr_party"):
        return {target: target for target in DRILL_TARGETS}
    return dict.fromkeys(DRILL_TARGETS, NOT_CALIBRATION)


@pytest.mark.parametrize(
    ("role", "expected"),
    rows(_drill_row),
)
def test_get_calibration_manager_for_user(cast, role, expected):
    assert {target: _drill(cast, cast.viewer(role), target) for target in DRILL_TARGETS} == expected

"""The access matrix: every URL of the project, requested as every kind of person, with the outcome each gets.

The URL names come from the URL conf itself, so a new page without an entry here fails with "add <name>
to the access matrix". To add a page, add an entry to MATRIX: how to build its URL from the cast (the
`kwargs` function runs once per test, so it may also create what the URL points at, e.g. an
assessment of the subject), and what each role gets (see `signed_in`, `public` and `in_scope` for the
common shapes). A POST-only endpoint sets `method="post"` and `data`.

Beyond the status, every response is checked for the names and emails of people outside the viewer's
scope: a page that a person may open must still not show anyone they may not see.

The cast (a small organisation):

    Hugo Head (skip-level manager)
    ├── Maya Manager (the subject's manager)
    │   ├── Priya Product (the subject PM)
    │   └── Pete Peer (a peer PM)
    └── Omar Other (a manager in another branch)
        └── Olive Other
    Hana Admin (HR admin, outside the tree)
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from assessments.people.models import Person
from frameworks.models import Framework
from tests.assessments.assessment_helpers import manager_submitted_of, self_draft_of, self_submitted_of
from tests.factories import kept_for_the_module, make_framework, make_user

# Outcomes -------------------------------------------------------------------------------------------

OK = "200"
NOT_FOUND = "404"
FORBIDDEN = "403"
NOT_ALLOWED = "405 (wrong method)"
UNAUTHORIZED = "401 (a bearer token is needed)"
SIGN_IN = "302 to sign-in"
HOME = "302 to home"
REDIRECT = "302 elsewhere (same site)"

ROLES = ("anonymous", "subject", "peer", "manager", "skip_level", "other_manager", "hr")
SIGNED_IN = ROLES[1:]


def outcomes(default, **overrides) -> dict[str, str]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


def public(**overrides):
    """Anyone, signed in or not, gets the page."""
    return outcomes(OK, **overrides)


def signed_in(**overrides):
    """Anyone signed in gets the page; anonymous visitors are sent to sign in."""
    return outcomes(OK, anonymous=SIGN_IN, **overrides)


def private_framework(**overrides):
    """A page of a framework that is not public: anyone signed in; 404 for anonymous visitors."""
    return outcomes(OK, anonymous=NOT_FOUND, **overrides)


def bearer_only():
    """The SCIM service: a directory's bearer token opens it; a session, signed in or not, does not (401)."""
    return outcomes(UNAUTHORIZED)


def in_scope(**overrides):
    """A page about the subject: the subject, their managers up the chain and HR; 404 for everyone else."""
    return outcomes(OK, anonymous=SIGN_IN, peer=NOT_FOUND, other_manager=NOT_FOUND, **overrides)


@dataclass
class Entry:
    expect: dict[str, str]
    kwargs: Callable[["Cast"], dict[str, Any]] = lambda cast: {}
    query: str = ""
    method: str = "get"
    data: Callable[["Cast"], dict[str, Any]] = lambda cast: {}
    # Roles whose page legitimately names someone outside their own scope (say why in a comment).
    may_name: dict[str, set[str]] = field(default_factory=dict)


# The matrix -----------------------------------------------------------------------------------------

MATRIX: dict[str, Entry] = {
    # People
    "home": Entry(signed_in()),
    # A person without reports gets "You have no reports" (200), not a 404: the page is theirs, just empty.
    "team": Entry(signed_in()),
    "person": Entry(in_scope(), kwargs=lambda cast: {"pk": cast.subject.person.pk}),
    # A level not yet set is set by the person's manager or HR; the subject's is set, so only HR may change it.
    "person_level": Entry(
        in_scope(subject=FORBIDDEN, manager=FORBIDDEN, skip_level=FORBIDDEN, hr=REDIRECT),
        kwargs=lambda cast: {"pk": cast.subject.person.pk},
        method="post",
        data=lambda cast: {"level": cast.subject.person.level_id},
    ),
    # Reports. The subject sees a comparison or promotion report only once the manager shares it (none here).
    "reports:compare": Entry(in_scope(subject=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}),
    "reports:compare_csv": Entry(
        in_scope(subject=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}
    ),
    "reports:promotion": Entry(in_scope(subject=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}),
    "reports:promotion_pdf": Entry(
        in_scope(subject=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}
    ),
    # The page that waits for the PDF (tests make it at once, so it says the PDF is ready).
    "reports:promotion_pdf_status": Entry(
        in_scope(subject=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}
    ),
    "reports:history": Entry(in_scope(), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}),
    "reports:history_csv": Entry(in_scope(), kwargs=lambda cast: {"person_pk": cast.subject.person.pk}),
    # Only the author of the manager assessment records the agreed outcome; other readers get a 403.
    "reports:agreed": Entry(
        in_scope(subject=NOT_FOUND, manager=REDIRECT, skip_level=FORBIDDEN, hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": submitted_review(cast).pk},
        method="post",
        data=lambda cast: agreed_as_rated(cast),
    ),
    # The recommendation on the manager's page: like the agreed outcome, only its author changes it.
    "reports:recommend": Entry(
        in_scope(subject=NOT_FOUND, manager=REDIRECT, skip_level=FORBIDDEN, hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": submitted_review(cast).pk},
        method="post",
        data=lambda cast: recommending(cast),
    ),
    # The heatmap is for anyone with a team (HR: any team); calibration for HR and managers of managers.
    "reports:team": Entry(signed_in(subject=NOT_FOUND, peer=NOT_FOUND)),
    "reports:team_csv": Entry(signed_in(subject=NOT_FOUND, peer=NOT_FOUND)),
    "reports:calibration": Entry(in_scope(subject=NOT_FOUND, manager=NOT_FOUND)),
    "reports:calibration_csv": Entry(in_scope(subject=NOT_FOUND, manager=NOT_FOUND)),
    # A cycle's progress: HR sees everyone, a manager the people below them; anyone without reports a 404.
    "reports:cycle_progress": Entry(
        signed_in(subject=NOT_FOUND, peer=NOT_FOUND), kwargs=lambda cast: {"pk": cycle(cast)}
    ),
    # Calibration's drill-down into the subject's manager: HR, and the head above her.
    "reports:calibration_manager": Entry(
        in_scope(subject=NOT_FOUND, manager=NOT_FOUND), kwargs=lambda cast: {"person_pk": cast.manager.person.pk}
    ),
    # Frameworks: published versions are for everyone signed in; a private framework is 404 for anonymous visitors
    # (nobody learns it exists). PUBLIC_FRAMEWORK_MATRIX below has the same pages of a public framework.
    "frameworks:list": Entry(public()),
    "frameworks:current": Entry(outcomes(REDIRECT, anonymous=NOT_FOUND), kwargs=lambda cast: {"key": "product"}),
    "frameworks:detail": Entry(private_framework(), kwargs=lambda cast: {"key": "product", "version": 1}),
    "frameworks:level": Entry(
        private_framework(),
        kwargs=lambda cast: {"key": "product", "version": 1, "track_key": "ic", "level_key": "ic-2"},
    ),
    # An old link naming a level by its key alone goes on to the level's page.
    "frameworks:level_by_key": Entry(
        outcomes(REDIRECT, anonymous=NOT_FOUND),
        kwargs=lambda cast: {"key": "product", "version": 1, "level_key": "ic-2"},
    ),
    "frameworks:compare": Entry(
        private_framework(), kwargs=lambda cast: {"key": "product", "version": 1}, query="?from=ic/ic-2&to=ic/ic-3"
    ),
    "frameworks:diff": Entry(private_framework(), kwargs=lambda cast: {"key": "product"}),
    # Accounts
    "login": Entry(outcomes(HOME, anonymous=OK)),
    "logout": Entry(outcomes(NOT_ALLOWED, anonymous=SIGN_IN)),  # sign-out is POST only
    # Company sign-in is off here (no OIDC_ISSUER), so its two addresses do not exist; tests/test_company_sign_in.py
    # runs them against a real provider (a signed-in person starting it again goes home).
    "oidc_sign_in": Entry(outcomes(NOT_FOUND)),
    "oidc_callback": Entry(outcomes(NOT_FOUND), query="?code=x&state=y"),
    "password_change": Entry(signed_in()),
    "password_change_done": Entry(signed_in()),
    "password_reset": Entry(public()),
    "password_reset_done": Entry(public()),
    "password_reset_confirm": Entry(public(), kwargs=lambda cast: {"uidb64": "MQ", "token": "not-a-token"}),
    "password_reset_complete": Entry(public()),
    # Operations
    "healthz": Entry(public()),
    # SCIM provisioning (tests/assessments/test_scim_*.py test it with a token)
    "scim:root": Entry(bearer_only()),
    "scim:service_provider_config": Entry(bearer_only()),
    "scim:resource_types": Entry(bearer_only()),
    "scim:resource_type": Entry(bearer_only(), kwargs=lambda cast: {"item_id": "User"}),
    "scim:schemas": Entry(bearer_only()),
    "scim:schema": Entry(bearer_only(), kwargs=lambda cast: {"item_id": "urn:ietf:params:scim:schemas:core:2.0:User"}),
    "scim:search": Entry(bearer_only(), method="post"),
    "scim:users": Entry(bearer_only()),
    "scim:users_search": Entry(bearer_only(), method="post"),
    "scim:user": Entry(bearer_only(), kwargs=lambda cast: {"item_id": cast.subject.person.pk}),
    "scim:groups": Entry(bearer_only()),
    "scim:groups_search": Entry(bearer_only(), method="post"),
    "scim:group": Entry(bearer_only(), kwargs=lambda cast: {"item_id": "1"}),
    "scim:unknown": Entry(bearer_only(), kwargs=lambda cast: {"rest": "Nothing/here"}),
    # Assessments: a draft is private to its author; a submitted one goes to the subject's managers and HR.
    "assessments:mine": Entry(signed_in()),
    "assessments:start": Entry(signed_in()),
    "assessments:person": Entry(in_scope(), kwargs=lambda cast: {"pk": cast.subject.person.pk}),
    # Hand-over: HR only (here "Nothing to hand over"); taking over, the person's manager (nothing left: back).
    "assessments:handover": Entry(
        in_scope(subject=FORBIDDEN, manager=FORBIDDEN, skip_level=FORBIDDEN),
        kwargs=lambda cast: {"pk": cast.subject.person.pk},
    ),
    "assessments:take_over": Entry(
        in_scope(subject=FORBIDDEN, manager=REDIRECT, skip_level=FORBIDDEN, hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": cast.subject.person.pk},
        method="post",
    ),
    "assessments:detail": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=OK), kwargs=lambda cast: {"pk": self_draft_of(cast.subject).pk}
    ),
    "assessments:check": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=OK), kwargs=lambda cast: {"pk": self_draft_of(cast.subject).pk}
    ),
    "assessments:save_rating": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=REDIRECT),  # without htmx: back to the page
        kwargs=lambda cast: {
            "pk": (draft := self_draft_of(cast.subject)).pk,
            "capability_pk": draft.ratings.first().capability_id,
        },
        method="post",
    ),
    "assessments:save_details": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=REDIRECT),
        kwargs=lambda cast: {"pk": self_draft_of(cast.subject).pk},
        method="post",
    ),
    # Only the author moves a draft to a newer framework version (here there is none: back to the page, saying so).
    "assessments:move_version": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=REDIRECT),
        kwargs=lambda cast: {"pk": self_draft_of(cast.subject).pk},
        method="post",
    ),
    # Managers up the chain may return a submitted self-assessment (400 here: the comment is missing).
    "assessments:return": Entry(
        in_scope(subject=FORBIDDEN, manager="400", skip_level="400", hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": self_submitted_of(cast.subject).pk},
        method="post",
    ),
    # Only the author shares; the subject cannot see it before. (The manager's POST shares it.)
    "assessments:share": Entry(
        in_scope(subject=NOT_FOUND, manager=REDIRECT, skip_level=FORBIDDEN, hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": manager_submitted_of(cast.subject, cast.manager).pk},
        method="post",
    ),
    # Only the author undoes a share (within its window); Priya, who can read it while shared, gets a 403.
    "assessments:undo_share": Entry(
        in_scope(subject=FORBIDDEN, manager=REDIRECT, skip_level=FORBIDDEN, hr=FORBIDDEN),
        kwargs=lambda cast: {"pk": just_shared(cast).pk},
        method="post",
    ),
    # Citing an entry of the log in a rating: the author of the (private) draft self-assessment only; without htmx,
    # back to the page.
    "assessments:cite": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=REDIRECT),
        kwargs=lambda cast: {
            "pk": (draft := self_draft_of(cast.subject)).pk,
            "capability_pk": draft.ratings.first().capability_id,
        },
        method="post",
        data=lambda cast: {"entry": shared_entry(cast).pk},
    ),
    # The evidence log: everyone keeps their own; a report's shared entries are for their managers up the chain
    # (not HR, not other managers, not peers). Private entries: tests/assessments/test_evidence_access.py.
    "growth:log": Entry(signed_in()),
    "growth:add": Entry(signed_in()),
    "growth:person_log": Entry(
        in_scope(subject=REDIRECT, hr=NOT_FOUND), kwargs=lambda cast: {"pk": cast.subject.person.pk}
    ),
    # A shared entry: its managers read it but only its author changes it (403); everyone else 404.
    "growth:edit": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=OK, manager=FORBIDDEN, skip_level=FORBIDDEN),
        kwargs=lambda cast: {"pk": shared_entry(cast).pk},
    ),
    "growth:delete": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=OK, manager=FORBIDDEN, skip_level=FORBIDDEN),
        kwargs=lambda cast: {"pk": shared_entry(cast).pk},
    ),
    # A development plan: the person and their managers up the chain work on it together; nobody else sees it.
    "growth:plan": Entry(signed_in()),
    "growth:person_plan": Entry(
        in_scope(subject=REDIRECT, hr=NOT_FOUND), kwargs=lambda cast: {"pk": cast.subject.person.pk}
    ),
    "growth:plan_add": Entry(in_scope(hr=NOT_FOUND), kwargs=lambda cast: {"pk": cast.subject.person.pk}),
    "growth:plan_edit": Entry(in_scope(hr=NOT_FOUND), kwargs=lambda cast: {"pk": plan_item(cast).pk}),
    "growth:plan_delete": Entry(in_scope(hr=NOT_FOUND), kwargs=lambda cast: {"pk": plan_item(cast).pk}),
    "growth:plan_status": Entry(
        in_scope(subject=REDIRECT, manager=REDIRECT, skip_level=REDIRECT, hr=NOT_FOUND),
        kwargs=lambda cast: {"pk": plan_item(cast).pk},
        method="post",
        data=lambda cast: {"status": "done"},
    ),
    # Feedback requests. Maya asked Pete (a peer) for feedback on Priya. Only Pete answers or declines; Maya and
    # Priya know of the request (403 with a sentence), everyone else gets 404. Pete reads Priya's name on it: she is
    # outside his scope, but being asked about her is why he is there. Who reads answers:
    # tests/assessments/test_feedback_access.py.
    "growth:feedback": Entry(signed_in()),
    "growth:feedback_asked": Entry(signed_in()),
    "growth:feedback_ask": Entry(signed_in()),
    "growth:feedback_ask_about": Entry(
        in_scope(subject=REDIRECT, hr=NOT_FOUND), kwargs=lambda cast: {"pk": cast.subject.person.pk}
    ),
    "growth:feedback_answer": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=FORBIDDEN, manager=FORBIDDEN, peer=OK),
        kwargs=lambda cast: {"pk": feedback_request(cast).pk},
        may_name={"peer": {"priya@example.com"}},
    ),
    "growth:feedback_decline": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=FORBIDDEN, manager=FORBIDDEN, peer=OK),
        kwargs=lambda cast: {"pk": feedback_request(cast).pk},
        may_name={"peer": {"priya@example.com"}},
    ),
    "growth:feedback_withdraw": Entry(
        outcomes(NOT_FOUND, anonymous=SIGN_IN, subject=FORBIDDEN, peer=FORBIDDEN, manager=REDIRECT),
        kwargs=lambda cast: {"pk": feedback_request(cast).pk},
        method="post",
    ),
}


def feedback_request(cast):
    """Maya's request to Pete for feedback on Priya."""
    from tests.assessments.feedback_helpers import ask

    return ask(cast.subject, by=cast.manager, to=cast.peer)


def plan_item(cast):
    """An item of Priya's development plan, added by her manager."""
    from tests.assessments.plan_helpers import make_plan_item

    return make_plan_item(cast.subject, by=cast.manager)


def shared_entry(cast):
    """Priya's entry in her evidence log, shared with her managers."""
    from tests.assessments.growth_helpers import make_entry

    return make_entry(cast.subject, shared=True)


def cycle(cast) -> int:
    """An open review cycle in which Priya has a draft (which nobody but her may read)."""
    from tests.assessments.assessment_helpers import level, make_cycle, start

    open_cycle = make_cycle()
    start(cast.subject, cast.subject, level(cast.framework, "ic-3"), open_cycle)
    return open_cycle.pk


def just_shared(cast):
    """Maya's manager assessment of Priya, shared a moment ago (so it can still be undone)."""
    assessment = manager_submitted_of(cast.subject, cast.manager)
    assert assessment.share()
    return assessment


def recommending(cast):
    from assessments.reviews.models import Assessment

    assessment = Assessment.objects.get(subject=cast.subject.person, kind="manager")
    return {"recommendation": "nearly", "rationale": "", "revision": assessment.revision}


def submitted_review(cast):
    """Priya's self-assessment and Maya's manager assessment, both submitted (not shared)."""
    from tests.assessments.report_fixtures import make_review

    ranks = {"cap-1-1": 2, "cap-1-2": 2, "cap-2-1": 2, "cap-2-2": 2}
    level = cast.subject.person.level
    return make_review(cast.subject, cast.manager, level, ranks, ranks)[1]


def agreed_as_rated(cast):
    from assessments.reviews.models import Assessment

    assessment = Assessment.objects.get(subject=cast.subject.person, kind="manager")
    data = {"revision": assessment.revision}
    for rating in assessment.ratings.all():
        data[f"agreed-{rating.capability_id}"] = str(rating.scale_level_id)
        data[f"note-{rating.capability_id}"] = ""
    return data


# The cast -------------------------------------------------------------------------------------------


@dataclass
class Cast:
    framework: Any  # tests.factories.make_framework(): key "product", version 1, levels ic-1..3 and mgr-1..2
    head: Any
    manager: Any
    subject: Any
    peer: Any
    other_manager: Any
    other_report: Any
    hr: Any

    def user_for(self, role):
        return {
            "anonymous": None,
            "subject": self.subject,
            "peer": self.peer,
            "manager": self.manager,
            "skip_level": self.head,
            "other_manager": self.other_manager,
            "hr": self.hr,
        }[role]

    @property
    def everyone(self):
        return [self.head, self.manager, self.subject, self.peer, self.other_manager, self.other_report, self.hr]


@pytest.fixture(scope="module")
def _module_cast(django_db_setup, django_db_blocker):
    """The cast's rows, made once for the module; what a test makes or changes is rolled back after it."""
    with kept_for_the_module(django_db_blocker):
        yield make_cast()


@pytest.fixture
def cast(_module_cast, db) -> Cast:
    """The module's cast read afresh from the database, so that a test may change its objects."""
    users = User.objects.select_related("person").in_bulk([user.pk for user in _module_cast.everyone])
    fresh = {name: users[getattr(_module_cast, name).pk] for name in ROLE_FIELDS}
    return Cast(framework=Framework.objects.get(pk=_module_cast.framework.pk), **fresh)


ROLE_FIELDS = ("head", "manager", "subject", "peer", "other_manager", "other_report", "hr")


def make_cast() -> Cast:
    framework = make_framework()
    ic2, mgr1, mgr2 = (framework.levels.get(key=key) for key in ("ic-2", "mgr-1", "mgr-2"))
    head = make_user("hugo@example.com", "Hugo Head", level=mgr2, job_title="Head of Product")
    manager = make_user("maya@example.com", "Maya Manager", manager=head, level=mgr1)
    other_manager = make_user("omar@example.com", "Omar Other", manager=head, level=mgr1)
    return Cast(
        framework=framework,
        head=head,
        manager=manager,
        subject=make_user("priya@example.com", "Priya Product", manager=manager, level=ic2),
        peer=make_user("pete@example.com", "Pete Peer", manager=manager, level=ic2),
        other_manager=other_manager,
        other_report=make_user("olive@example.com", "Olive Other", manager=other_manager, level=ic2),
        hr=make_user("hana@example.com", "Hana Admin", hr_admin=True),
    )


def out_of_scope(cast, viewer) -> list:
    """People whose name and email must not appear on any page `viewer` gets."""
    if viewer is None:
        return cast.everyone
    visible = set(Person.objects.visible_to(viewer).values_list("user_id", flat=True))
    visible |= {manager.user_id for manager in viewer.person.managers_up_chain()}
    return [user for user in cast.everyone if user.pk not in visible]


# URL conf -------------------------------------------------------------------------------------------


def project_url_names() -> list[str]:
    """Every named URL pattern of the project, namespaced, except the admin's (tested separately below)."""
    names = []

    def walk(patterns, namespace, route):
        for pattern in patterns:
            full_route = route + str(pattern.pattern)
            if full_route.startswith("admin/"):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, full_route)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"the URL {full_route!r} has no name: name it and add it to the access matrix"
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None, "")
    return sorted(set(names))


def check(response, outcome, url):
    status = response.status_code
    location = response.get("Location", "")
    if outcome == SIGN_IN:
        assert status == 302 and location.startswith(reverse("login")), (url, status, location)
    elif outcome == HOME:
        assert status == 302 and location == reverse("home"), (url, status, location)
    elif outcome == REDIRECT:
        assert status == 302 and location.startswith("/") and not location.startswith(reverse("login")), (
            url,
            status,
            location,
        )
    else:
        assert str(status) == outcome.split(" ")[0], (url, status, outcome)


@pytest.mark.parametrize("name", project_url_names())
def test_access_matrix(client, cast, name, pdf_not_drawn):
    if name not in MATRIX:
        pytest.fail(f"add {name} to the access matrix (tests/test_access_matrix.py)", pytrace=False)
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(cast)) + entry.query
    for role in ROLES:
        client.logout()
        viewer = cast.user_for(role)
        if viewer is not None:
            client.force_login(viewer)
        response = getattr(client, entry.method)(url, entry.data(cast))
        check(response, entry.expect[role], f"{role} → {url}")
        if response.status_code in (200, 404) and not getattr(response, "streaming", False):
            body = response.content.decode(errors="replace")
            allowed = entry.may_name.get(role, set())
            for user in out_of_scope(cast, viewer):
                if user.email in allowed:
                    continue
                assert user.full_name not in body, f"{role} sees {user.full_name} on {url}"
                assert user.email not in body, f"{role} sees {user.email} on {url}"


# A public framework's pages answer everyone, signed in or not (frameworks/access.py), and name nobody to
# an anonymous visitor (every person of the cast is out of their scope).
PUBLIC_FRAMEWORK_MATRIX = {
    name: Entry(public(**overrides), kwargs=MATRIX[name].kwargs, query=MATRIX[name].query)
    for name, overrides in {
        "frameworks:list": {},
        "frameworks:current": dict.fromkeys(ROLES, REDIRECT),
        "frameworks:detail": {},
        "frameworks:level": {},
        "frameworks:level_by_key": dict.fromkeys(ROLES, REDIRECT),
        "frameworks:compare": {},
        "frameworks:diff": {},
    }.items()
}


@pytest.mark.parametrize("name", sorted(PUBLIC_FRAMEWORK_MATRIX))
def test_public_framework_matrix(client, cast, name):
    cast.framework.set_public(True)
    entry = PUBLIC_FRAMEWORK_MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(cast)) + entry.query
    for role in ROLES:
        client.logout()
        viewer = cast.user_for(role)
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(url)
        check(response, entry.expect[role], f"{role} → {url}")
        body = response.content.decode()
        for user in out_of_scope(cast, viewer):
            assert user.full_name not in body and user.email not in body, f"{role} sees {user.full_name} on {url}"


def test_matrix_has_no_entries_for_urls_that_are_gone():
    stale = set(MATRIX) - set(project_url_names())
    assert not stale, f"remove {sorted(stale)} from the access matrix: no such URL"


# The admin: staff only, HR admins in -------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:assessments_person_changelist",
        "admin:assessments_person_import",
        "admin:frameworks_framework_import",
    ],
)
def test_admin_is_for_hr_admins_only(client, cast, url_name):
    url = reverse(url_name)
    for viewer in (None, cast.subject, cast.manager, cast.head):
        client.logout()
        if viewer:
            client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 302, (viewer, url)
        # Anonymous visitors may meet the site's sign-in first; signed-in people who are not staff, the admin's.
        sign_ins = (reverse("admin:login"),) if viewer else (reverse("admin:login"), reverse("login"))
        assert response["Location"].startswith(sign_ins), (viewer, url)
    client.force_login(cast.hr)
    assert client.get(url).status_code == 200


def test_admin_person_page_is_for_hr_admins_only(client, cast):
    url = reverse("admin:assessments_person_change", args=[cast.subject.person.pk])
    client.force_login(cast.manager)
    assert client.get(url).status_code == 302
    client.force_login(cast.hr)
    assert client.get(url).status_code == 200


def test_leaver_is_signed_out_everywhere(client, cast):
    subject = cast.subject
    client.force_login(subject)
    subject.is_active = False
    subject.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

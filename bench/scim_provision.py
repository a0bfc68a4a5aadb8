"""How long a directory takes to provision an organisation through SCIM (issue 13), and whether the tree is right.

Builds a throwaway test database (a temporary SQLite file, or `<database>_scimbench` on the PostgreSQL server of
DATABASE_URL), makes a SCIM token, and then, through /scim/v2/ with Django's test client (the whole request
path: middleware, token, JSON, validation, the writes):

  create   POST every user, managers first (a CEO, then people reporting to someone made before them, teams of
           about 8), each with a title, a department and the enterprise manager
  move     PATCH a tenth of them to another manager (as Entra ID sends it), and try as many moves that would make
           a loop, which must all be refused with 400
  leave    PATCH active:false on one in fifty, DELETE one in a hundred
  read     GET every user back, 200 a page (startIndex/count), and one userName eq filter per hundred

Then it checks the result against what it sent: every manager link, every stored path (Person.path against the
walked tree), who is active, and that the list's totalResults matches. Each phase prints its wall time, its
number of requests and queries.

    .venv/bin/python bench/scim_provision.py [--people 2000]
    DATABASE_URL=postgres://user@host:5432/pathway .venv/bin/python bench/scim_provision.py
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathway.settings")
os.environ.setdefault("DEBUG", "1")  # the development secret key; DEBUG itself is switched off below

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.people.models import Person, ReportingTree  # noqa: E402
from assessments.people.scim.models import ScimToken  # noqa: E402

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Scim:
    def __init__(self, secret: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}
        self.requests = 0

    def __call__(self, method: str, path: str, body=None, expect=(200,)):
        self.requests += 1
        response = getattr(self.client, method)(
            "/scim/v2" + path,
            data=json.dumps(body) if body is not None else None,
            content_type="application/scim+json",
            headers=self.headers,
        )
        assert response.status_code in expect, (method, path, response.status_code, response.content[:300])
        return json.loads(response.content) if response.content else None


def phase(label: str, scim: Scim, work):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    before = scim.requests
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
    requests = scim.requests - before
    print(
        f"{label:<7} {seconds:7.1f} s  {requests:6,} requests  {1000 * seconds / max(requests, 1):6.1f} ms each  "
        f"{len(queries):7,} queries",
        flush=True,
    )
    return result


def organisation(count: int, rng: random.Random) -> list[int | None]:
    """Index → manager's index: person 0 is the CEO; everyone else reports to someone before them."""
    return [None] + [rng.randrange(max(1, (index - 1) // 8 + 1)) for index in range(1, count)]


def create_all(scim: Scim, managers: list[int | None]) -> list[str]:
    ids: list[str] = []
    for index, manager in enumerate(managers):
        payload = {
            "schemas": [CORE, ENTERPRISE],
            "userName": f"p{index}@example.com",
            "externalId": f"ext-{index}",
            "name": {"givenName": "Person", "familyName": str(index)},
            "emails": [{"value": f"p{index}@example.com", "type": "work", "primary": True}],
            "title": f"Product manager {index % 7}",
            "active": True,
            ENTERPRISE: {"department": f"Department {index % 12}"},
        }
        if manager is not None:
            payload[ENTERPRISE]["manager"] = {"value": ids[manager]}
        ids.append(scim("post", "/Users", payload, expect=(201,))["id"])
    return ids


def move_some(scim: Scim, managers: list[int | None], ids: list[str], rng: random.Random) -> int:
    """Move a tenth to someone made before them (never a loop); try as many loops, all refused."""
    refused = 0
    for index in rng.sample(range(2, len(managers)), len(managers) // 10):
        new = rng.randrange(index)
        managers[index] = new
        operation = {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": ids[new]}  # Entra ID's bare id
        scim("patch", f"/Users/{ids[index]}", {"schemas": [PATCH], "Operations": [operation]})
        below = [other for other in range(index + 1, len(managers)) if reports_to(managers, other, index)]
        if below:
            loop = {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": ids[rng.choice(below)]}}
            error = scim("patch", f"/Users/{ids[index]}", {"schemas": [PATCH], "Operations": [loop]}, expect=(400,))
            assert error["scimType"] == "invalidValue"
            refused += 1
    return refused


def reports_to(managers: list[int | None], person: int, boss: int) -> bool:
    current = managers[person]
    while current is not None:
        if current == boss:
            return True
        current = managers[current]
    return False


def leave_some(scim: Scim, ids: list[str]) -> tuple[set[str], set[str]]:
    inactive = {ids[index] for index in range(1, len(ids), 50)}
    deleted = {ids[index] for index in range(3, len(ids), 100)}
    for person_id in inactive:
        scim(
            "patch",
            f"/Users/{person_id}",
            {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]},
        )
    for person_id in deleted:
        scim("delete", f"/Users/{person_id}", expect=(204,))
    return inactive, deleted


def read_all(scim: Scim, ids: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    start = 1
    while True:
        page = scim("get", f"/Users?startIndex={start}&count=200")
        found.update((item["id"], item) for item in page["Resources"])
        start += page["itemsPerPage"]
        if start > page["totalResults"] or not page["itemsPerPage"]:
            assert page["totalResults"] == len(found)
            break
    for index in range(0, len(ids), 100):
        hit = scim("get", f'/Users?filter=userName eq "p{index}@example.com"')
        assert hit["totalResults"] == (0 if ids[index] not in found else 1)
    return found


def check(managers, ids, found, inactive, deleted):
    people = {
        str(pk): (manager_id, path, active)
        for pk, manager_id, path, active in Person.objects.values_list("pk", "manager_id", "path", "user__is_active")
    }
    tree = ReportingTree.load()
    wrong_manager = [i for i, m in enumerate(managers) if people[ids[i]][0] != (None if m is None else int(ids[m]))]
    wrong_path = [pk for pk, (_, path, _) in people.items() if path != tree.path_of(int(pk))]
    wrong_active = [pk for pk in ids if people[pk][2] != (pk not in inactive | deleted)]
    assert not wrong_manager, f"{len(wrong_manager)} people have the wrong manager"
    assert not wrong_path, f"{len(wrong_path)} people have a wrong stored path"
    assert not wrong_active, f"{len(wrong_active)} people are active when they should not be, or the reverse"
    assert set(found) == set(ids) - deleted, "the list does not hold everyone but the deleted"
    depth = max(path.count("/") - 1 for _, path, _ in people.values())
    print(f"checked: {len(ids):,} managers and paths right (tree {depth} deep), {len(inactive | deleted):,} leavers")


def fresh_database() -> str:
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "pathway-scimbench.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_scimbench"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = fresh_database()
    try:
        _token, secret = ScimToken.issue("bench")
        scim, rng = Scim(secret), random.Random(1)
        managers = organisation(args.people, rng)
        print(f"SCIM provisioning on {connection.vendor}: {args.people:,} people", flush=True)
        total = time.perf_counter()
        ids = phase("create", scim, lambda: create_all(scim, managers))
        refused = phase("move", scim, lambda: move_some(scim, managers, ids, rng))
        inactive, deleted = phase("leave", scim, lambda: leave_some(scim, ids))
        found = phase("read", scim, lambda: read_all(scim, ids))
        print(f"all     {time.perf_counter() - total:7.1f} s  ({refused:,} loops refused)")
        check(managers, ids, found, inactive, deleted)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

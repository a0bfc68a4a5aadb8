"""scim2-tester, a third-party SCIM conformance checker, against /scim/v2/ on a live server (issue 13 part 4).

It reads the service's own description (ServiceProviderConfig, ResourceTypes, Schemas), then creates, reads,
searches, replaces, PATCHes (add, replace, remove on every attribute) and deletes Users and Groups over HTTP.
Any check that does not succeed fails the test, with every result listed.
"""

import pytest

from assessments.people.scim.models import ScimToken

scim2_tester = pytest.importorskip("scim2_tester", reason="scim2-tester is in requirements-dev.txt")
httpx2 = pytest.importorskip("httpx2", reason="scim2-client's HTTP engine comes with scim2-cli")

from scim2_client.engines.httpx2 import SyncSCIMClient  # noqa: E402


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_scim2_tester_finds_nothing_wrong(live_server):
    _token, secret = ScimToken.issue("scim2-tester")
    # A generous timeout: httpx's 5 s default is too short for a first request on a busy 2-core machine.
    http = httpx2.Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {secret}"}, timeout=120
    )
    with http:
        results = scim2_tester.check_server(SyncSCIMClient(http))
    lines = [
        f"{result.status.name} {result.resource_type or ''} {result.title}: {result.reason or ''}" for result in results
    ]
    failed = [line for line, result in zip(lines, results, strict=True) if result.status != scim2_tester.Status.SUCCESS]
    print("\n".join(lines))  # shown with -s or -rP: which checks ran
    assert len(results) >= 80, "\n".join(lines)  # 81 checks ran on 3 December 2026; fewer means some were lost
    assert not failed, "\n".join(failed)

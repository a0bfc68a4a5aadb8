"""Who sees which entries of a log (growth/access.py): the person everything; managers up the chain the shared
entries; other managers, peers and HR nothing. The access matrix covers every URL with a shared entry; this covers
the private one and the log's contents, role by role."""

import pytest
from django.urls import reverse

from tests.assessments.growth_helpers import make_entry
from tests.test_access_matrix import make_cast

ROLES = ("subject", "manager", "skip_level", "other_manager", "peer", "hr")

# role: (the log page's status, sees the shared entry, edit/delete of the private entry)
EXPECTED = {
    "subject": (302, True, 200),  # their own log lives at growth:log
    "manager": (200, True, 404),
    "skip_level": (200, True, 404),
    "other_manager": (404, False, 404),
    "peer": (404, False, 404),
    "hr": (404, False, 404),
}


@pytest.fixture
def logged(db):
    cast = make_cast()
    private = make_entry(cast.subject, text="A private reflection")
    shared = make_entry(cast.subject, text="A shared win", shared=True)
    return cast, private, shared


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_what_in_a_log(client, logged, role):
    cast, private, shared = logged
    client.force_login(cast.user_for(role))
    response = client.get(reverse("growth:person_log", args=[cast.subject.person.pk]))
    status, sees_shared, private_status = EXPECTED[role]
    assert response.status_code == status
    if role == "subject":
        response = client.get(reverse("growth:log"))
    page = response.content.decode()
    assert ("A shared win" in page) == sees_shared
    assert ("A private reflection" in page) == (role == "subject")
    for name in ("growth:edit", "growth:delete"):
        assert client.get(reverse(name, args=[private.pk])).status_code == private_status
    if role != "subject":  # nobody else changes an entry: 403 with a sentence if they may read it, else 404
        response = client.post(reverse("growth:delete", args=[shared.pk]))
        assert response.status_code == (403 if sees_shared else 404)
        if sees_shared:
            assert "Only Priya Product can change" in response.content.decode()
        assert cast.subject.person.evidence.count() == 2


def test_own_log_shows_nothing_of_anyone_else(client, logged):
    cast, _, _ = logged
    make_entry(cast.peer, text="Pete's own note", shared=True)
    client.force_login(cast.manager)
    page = client.get(reverse("growth:log")).content.decode()
    assert "Pete's own note" not in page and "A shared win" not in page


def test_person_page_links_the_log_for_the_person_and_their_managers_only(client, logged):
    cast, _, _ = logged
    url = reverse("person", args=[cast.subject.person.pk])
    shared_log = reverse("growth:person_log", args=[cast.subject.person.pk])
    for viewer, linked in ((cast.manager, True), (cast.head, True), (cast.hr, False)):
        client.force_login(viewer)
        assert (shared_log in client.get(url).content.decode()) == linked
    client.force_login(cast.subject)
    assert reverse("growth:log") in client.get(url).content.decode()


def test_managers_do_not_learn_that_a_draft_cites_an_entry(client, logged):
    from assessments.reviews.citations import Citation
    from tests.assessments.assessment_helpers import self_draft_of

    cast, _, shared = logged
    Citation.objects.create(rating=self_draft_of(cast.subject).ratings.first(), entry=shared)
    client.force_login(cast.manager)
    page = client.get(reverse("growth:person_log", args=[cast.subject.person.pk])).content.decode()
    assert "A shared win" in page and "Cited" not in page

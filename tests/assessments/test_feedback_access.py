"""Who reads a feedback answer (growth/feedback_access.py): the person, the colleague who wrote it and the asker;
the person's managers up the chain only when the person asked and shared the answers with them. Never HR, other
managers, or the other colleagues asked in the same round. Each case is checked three ways: the policy, the log the
reader can open, and the page itself."""

import pytest
from django.urls import reverse

from assessments.growth.access import entries_visible_to
from assessments.growth.feedback_access import answers_visible_to, can_read_answer
from tests.assessments.feedback_helpers import ask
from tests.test_access_matrix import make_cast

ROLES = ("subject", "peer", "manager", "skip_level", "other_manager", "other_report", "hr")


@pytest.fixture
def cast(db):
    return make_cast()


def user(cast, role):
    return cast.other_report if role == "other_report" else cast.user_for(role)


def answered(cast, *, by, share=False):
    """`by` asks Pete and Olive (two colleagues) about Priya; both answer."""
    requests = [ask(cast.subject, by=by, to=to, share=share) for to in (cast.peer, cast.other_report)]
    for request, text in zip(requests, ("Pete’s answer", "Olive’s answer"), strict=True):
        request.give_answer(text)
    return requests


# (who asked, shared?) → the roles that read Pete's answer.
CASES = {
    ("manager", False): {"subject", "peer", "manager"},
    ("skip_level", False): {"subject", "peer", "skip_level"},
    ("subject", False): {"subject", "peer"},
    ("subject", True): {"subject", "peer", "manager", "skip_level"},
}


@pytest.mark.parametrize(("asker", "share"), list(CASES))
def test_who_reads_an_answer(cast, client, asker, share):
    pete, olive = answered(cast, by=user(cast, asker), share=share)
    readers = CASES[(asker, share)]
    for role in ROLES:
        viewer = user(cast, role)
        assert can_read_answer(viewer, pete) == (role in readers), role
        in_log = answers_visible_to(viewer, cast.subject.person).filter(pk=pete.answer_id).exists()
        assert in_log == (role in readers - {"peer"}), role  # Pete reads his answer on its request, not in her log
        assert entries_visible_to(viewer, cast.subject.person).filter(pk=pete.answer_id).exists() == in_log, role
    # Olive, asked in the same round, never reads Pete's answer (nor he hers).
    assert not can_read_answer(cast.other_report, pete) and not can_read_answer(cast.peer, olive)


def test_a_manager_reads_in_the_log_only_what_they_may(cast, client):
    answered(cast, by=cast.manager)
    url = reverse("growth:person_log", args=[cast.subject.person.pk])
    client.force_login(cast.manager)
    body = client.get(url).content.decode()
    assert "Pete’s answer" in body and "Feedback from Pete Peer, asked by Maya Manager" in body
    client.force_login(cast.head)  # the skip-level manager did not ask
    assert "Pete’s answer" not in client.get(url).content.decode()
    client.force_login(cast.subject)
    body = client.get(reverse("growth:log")).content.decode()
    assert "Pete’s answer" in body and "For you and Maya Manager, who asked" in body


def test_the_colleague_reads_their_own_answer_on_the_request_and_nobody_else_there(cast, client):
    pete, _ = answered(cast, by=cast.manager)
    url = reverse("growth:feedback_answer", args=[pete.pk])
    client.force_login(cast.peer)
    assert "Pete’s answer" in client.get(url).content.decode()
    client.force_login(cast.other_report)
    assert client.get(url).status_code == 404


def test_hr_does_not_read_answers_even_in_the_admin(cast, client):
    pete, _ = answered(cast, by=cast.manager, share=True)
    client.force_login(cast.hr)
    assert client.get(reverse("growth:person_log", args=[cast.subject.person.pk])).status_code == 404
    admin = client.get(reverse("admin:assessments_feedbackrequest_change", args=[pete.pk]))
    assert admin.status_code == 200
    assert "Pete’s answer" not in admin.content.decode()
    changelist = client.get(reverse("admin:assessments_feedbackrequest_changelist"))
    assert "Answered" in changelist.content.decode() and "Pete’s answer" not in changelist.content.decode()


def test_the_comparison_shows_each_reader_the_answers_they_may_read(cast, client):
    from tests.assessments.report_fixtures import make_review

    ranks = dict.fromkeys(cast.framework.capabilities.values_list("key", flat=True), 2)
    make_review(cast.subject, cast.manager, cast.subject.person.level, ranks, ranks)
    answered(cast, by=cast.manager)
    private = ask(cast.subject, by=cast.subject, to=cast.peer, keys=("cap-1-1",))
    private.give_answer("Priya’s private answer")
    url = reverse("reports:compare", args=[cast.subject.person.pk])
    client.force_login(cast.manager)
    body = client.get(url).content.decode()
    assert "From Pete Peer, asked by you" in body and "Olive’s answer" in body
    assert "Priya’s private answer" not in body
    for viewer in (cast.head, cast.hr):
        client.force_login(viewer)
        body = client.get(url).content.decode()
        assert "Pete’s answer" not in body and "Priya’s private answer" not in body


def test_the_comparison_reads_the_latest_three_answers_per_capability_with_how_many_there_are(cast):
    """Newest first (by day, then the later answer), three per capability at most, each with its total; a
    capability without an answer the reader may read is absent."""
    import datetime

    from assessments.growth.feedback_summary import answers_by_capability
    from assessments.growth.models import EvidenceEntry

    texts = ["first", "second", "third", "fourth"]
    for text, to in zip(texts, (cast.peer, cast.other_report, cast.peer, cast.other_report), strict=True):
        ask(cast.subject, by=cast.manager, to=to, keys=("cap-1-1",)).give_answer(text)
    earlier = EvidenceEntry.objects.get(text="fourth")
    EvidenceEntry.objects.filter(pk=earlier.pk).update(happened_on=earlier.happened_on - datetime.timedelta(days=3))
    ask(cast.subject, by=cast.manager, to=cast.peer, keys=("cap-2-1",)).give_answer("on another capability")
    ask(cast.subject, by=cast.subject, to=cast.peer, keys=("cap-1-2",)).give_answer("not shared with managers")

    found = answers_by_capability(cast.manager, cast.subject.person, cast.framework.key)
    assert sorted(found) == ["cap-1-1", "cap-2-1"]
    answers, total = found["cap-1-1"]
    assert total == 4
    assert [answer.text for answer in answers] == ["third", "second", "first"]
    assert {answer.author for answer in answers} == {cast.peer.full_name, cast.other_report.full_name}
    assert all(answer.asked_by == cast.manager.full_name and not answer.asked_by_person for answer in answers)
    assert answers[0].asked_by_id == cast.manager.person.pk
    assert [answer.text for answer in found["cap-2-1"][0]] == ["on another capability"]
    assert found["cap-2-1"][1] == 1

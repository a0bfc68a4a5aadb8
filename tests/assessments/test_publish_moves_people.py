import logging

from assessments.people.models import Person


def test_publishing_a_new_version_moves_people_to_the_same_level_key(framework, pm, manager):
    draft = framework.new_version()
    draft.publish()
    pm.person.refresh_from_db()
    manager.person.refresh_from_db()
    assert pm.person.level.framework_id == draft.pk
    assert pm.person.level.key == "ic-2"
    assert manager.person.level.key == "mgr-1" and manager.person.level.framework_id == draft.pk
    assert pm.person.history.first().history_change_reason == "Moved to version 2 of product"


def test_people_whose_level_is_gone_keep_their_old_level_and_it_is_logged(framework, pm, caplog):
    old_level = pm.person.level
    draft = framework.new_version()
    draft.levels.get(key="ic-2").delete()
    with caplog.at_level(logging.WARNING, logger="assessments.people.signals"):
        draft.publish()
    pm.person.refresh_from_db()
    assert pm.person.level == old_level
    assert "Priya Product (priya@example.com) keeps level 'ic/ic-2' of product version 1" in caplog.text


def test_first_publication_moves_nobody(db):
    from tests.factories import make_framework, make_user

    other = make_framework(key="other")
    user = make_user("x@example.com", "X", level=other.levels.get(key="ic-1"))
    assert Person.objects.get(user=user).level.framework == other


def test_people_on_other_frameworks_are_not_touched(framework, pm, stranger):
    from tests.factories import make_framework

    other = make_framework(key="other")
    person = stranger.person
    person.level = other.levels.get(key="ic-1")
    person.save()
    framework.new_version().publish()
    person.refresh_from_db()
    assert person.level.framework == other


def test_publishing_moves_people_on_two_levels_keyed_lead_each_to_the_lead_of_their_own_track(db):
    from tests.factories import make_two_leads_framework, make_user

    engineering = make_two_leads_framework()
    ic_lead = make_user("ivy@example.com", "Ivy", level=engineering.levels.get(track__key="ic", key="lead"))
    team_lead = make_user("tess@example.com", "Tess", level=engineering.levels.get(track__key="mgmt", key="lead"))
    new = engineering.new_version()
    new.publish()
    for user, track_key in ((ic_lead, "ic"), (team_lead, "mgmt")):
        level = Person.objects.select_related("level__track").get(user=user).level
        assert (level.framework_id, level.track.key, level.key) == (new.pk, track_key, "lead")
    assert Person.objects.get(user=ic_lead).level != Person.objects.get(user=team_lead).level

"""The next rung on a track, and the same level in another version: one rule each, on Level."""

from frameworks.models import Framework, Level
from tests.factories import make_framework, make_two_leads_framework


def level(framework, ref) -> Level:
    track_key, key = ref.split("/")
    return framework.levels.select_related("framework", "track").get(track__key=track_key, key=key)


def refs(mapping) -> dict[str, str]:
    return {Level.objects.select_related("track").get(pk=pk).ref: found.ref for pk, found in mapping.items()}


def test_the_next_rung_is_the_next_level_on_the_same_track(db, django_assert_num_queries):
    framework = make_framework()
    ic_1 = level(framework, "ic/ic-1")
    with django_assert_num_queries(1):
        assert ic_1.next_on_track().ref == "ic/ic-2"
    assert level(framework, "management/mgr-1").next_on_track().ref == "management/mgr-2"
    # The top rung of a track has none, even when another track goes higher.
    assert level(framework, "ic/ic-3").next_on_track() is None
    assert level(framework, "management/mgr-2").next_on_track() is None


def test_rungs_left_at_the_same_position_follow_their_grade(db):
    # As when rungs are added in the admin without a position: the grade orders them, not the order of creation.
    framework = make_framework(publish=False)
    Level.objects.filter(framework=framework, track__key="ic").update(position=0)
    Level.objects.filter(framework=framework, key="ic-1").update(grade=3)
    Level.objects.filter(framework=framework, key="ic-3").update(grade=1)
    assert level(framework, "ic/ic-3").next_on_track().ref == "ic/ic-2"
    assert level(framework, "ic/ic-2").next_on_track().ref == "ic/ic-1"
    assert level(framework, "ic/ic-1").next_on_track() is None


def test_the_next_rung_of_many_levels_is_one_query(db, django_assert_num_queries):
    framework = make_framework()
    levels = list(framework.levels.select_related("track"))
    with django_assert_num_queries(1):
        following = Level.objects.next_on_track_for(levels)
    assert refs(following) == {
        "ic/ic-1": "ic/ic-2",
        "ic/ic-2": "ic/ic-3",
        "management/mgr-1": "management/mgr-2",
    }
    with django_assert_num_queries(0):
        assert Level.objects.next_on_track_for([]) == {}
    # Loaded levels answer without a query, by the same rule.
    with django_assert_num_queries(0):
        assert {pk: found.pk for pk, found in Level.next_on_track_among(levels).items()} == {
            pk: found.pk for pk, found in following.items()
        }


def test_the_same_level_in_another_version_has_the_same_track_and_key(db, django_assert_num_queries):
    engineering = make_two_leads_framework()
    old_ic_lead, old_team_lead = level(engineering, "ic/lead"), level(engineering, "mgmt/lead")
    new = engineering.new_version()
    with django_assert_num_queries(1):
        found = old_team_lead.same_in(new)
    assert (found.framework_id, found.ref) == (new.pk, "mgmt/lead")
    assert old_ic_lead.same_in(new).ref == "ic/lead"
    assert found.same_in(engineering) == old_team_lead

    # A version can be named by a queryset, read in the same query: here, the published one.
    new.levels.get(track__key="mgmt", key="lead").delete()
    new.publish()
    published = Framework.objects.published().filter(key="engineering")
    with django_assert_num_queries(1):
        assert old_team_lead.same_in(published) is None
    assert old_ic_lead.same_in(published).framework_id == new.pk


def test_the_same_levels_in_another_version_are_one_query(db, django_assert_num_queries):
    engineering = make_two_leads_framework()
    levels = list(engineering.levels.select_related("track"))
    new = engineering.new_version()
    new.levels.get(track__key="mgmt", key="head").delete()
    with django_assert_num_queries(1):
        counterparts = Level.objects.same_in_for(levels, new)
    assert refs(counterparts) == {"ic/engineer": "ic/engineer", "ic/lead": "ic/lead", "mgmt/lead": "mgmt/lead"}
    assert {found.framework_id for found in counterparts.values()} == {new.pk}

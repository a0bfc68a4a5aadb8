"""frameworks.tree: the one reader and writer of a framework version's tree, which import and New version share."""

import pytest

from frameworks.fileformat import framework_to_spec, import_framework, parse_framework_file
from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track
from frameworks.tree import framework_fields, read_tree, write_tree
from tests.factories import make_framework, make_two_leads_framework
from tests.frameworks.test_fileformat import HAND_WRITTEN

pytestmark = pytest.mark.django_db


def rows(framework):
    """Every row of a version as plain values, with links named by key rather than id, for comparing copies."""
    return {
        "scale": list(ScaleLevel.objects.filter(framework=framework).values("key", "name", "description", "rank")),
        "areas": list(
            CapabilityArea.objects.filter(framework=framework).values("key", "name", "description", "position")
        ),
        "capabilities": list(
            Capability.objects.filter(framework=framework).values(
                "key", "area__key", "name", "short_name", "description", "position"
            )
        ),
        "tracks": list(
            Track.objects.filter(framework=framework).values("key", "name", "kind", "description", "position")
        ),
        "levels": list(
            Level.objects.filter(framework=framework).values(
                "key", "track__key", "name", "grade", "stage", "summary", "position"
            )
        ),
        "expectations": sorted(
            Expectation.objects.filter(level__framework=framework).values_list(
                "level__track__key", "level__key", "capability__key", "scale_level__key", "description"
            )
        ),
    }


def test_new_version_copies_every_value_exactly(db):
    framework = make_framework(publish=False)
    # What an admin can leave behind and the file format would tidy away: gaps in the numbering, spare
    # space and Windows line endings. A copy keeps them, so readiness gaps (rank differences) stay the same.
    ScaleLevel.objects.filter(framework=framework, rank=4).update(rank=7)
    Level.objects.filter(framework=framework, key="ic-3").update(position=9, summary="  Leads.\r\nMentors.  ")
    CapabilityArea.objects.filter(framework=framework, key="area-2").update(position=5)
    Framework.objects.filter(pk=framework.pk).update(description="Spaced out. ")
    framework.refresh_from_db()
    framework.publish()

    draft = framework.new_version()

    assert rows(draft) == rows(framework)
    assert (draft.description, draft.readiness_target_share) == ("Spaced out. ", framework.readiness_target_share)
    assert draft.levels.get(key="ic-3").summary == "  Leads.\r\nMentors.  "


def test_levels_are_written_by_track_and_key_so_two_tracks_can_share_a_key():
    engineering = make_two_leads_framework()  # imported: written by write_tree
    draft = engineering.new_version()  # read by read_tree, written again by write_tree
    for framework in (engineering, draft):
        leads = {level.track.key: level for level in framework.levels.select_related("track").filter(key="lead")}
        assert {
            track: lead.expectations.get(capability__key="mentoring").scale_level.key for track, lead in leads.items()
        } == {
            "ic": "doing",
            "mgmt": "teaching",
        }
    assert rows(draft) == rows(engineering)


def test_new_version_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    small = make_framework(key="small")
    large = make_framework(key="large", areas=8, capabilities_per_area=6, ic_levels=7, management_levels=4)
    with django_assert_max_num_queries(20):
        small.new_version()
    with django_assert_max_num_queries(20):
        large.new_version()


def test_reading_and_writing_a_tree_round_trips():
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    tree = read_tree(framework)
    copy = Framework.objects.create(key="copy", version=1, **framework_fields(tree))
    write_tree(copy, tree)
    assert framework_to_spec(copy) == {**framework_to_spec(framework), "key": "copy"}
    assert rows(copy) == rows(framework)


def test_the_exporter_reads_the_tree_with_tidied_text_and_without_numbers():
    framework, _ = import_framework(parse_framework_file(HAND_WRITTEN))
    Level.objects.filter(framework=framework, key="se1").update(summary=" Learns.\r\n")
    spec = framework_to_spec(framework)
    assert spec["tracks"][0]["levels"][0]["summary"] == "Learns."
    assert "position" not in spec["tracks"][0] and "rank" not in spec["scale"][0]
    numbered = read_tree(framework, numbered=True)
    assert numbered["tracks"][0]["levels"][0]["summary"] == " Learns.\r\n"
    assert [step["rank"] for step in numbered["scale"]] == [1, 2, 3]

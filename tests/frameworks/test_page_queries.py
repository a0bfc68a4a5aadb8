"""Every framework page runs the same number of queries for a small framework and a large one."""

import pytest
from django.urls import reverse

from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track
from tests.factories import SCALE, make_framework, make_user

# Measured: session, user and HR check (3), the framework (1), one query per catalogue table (6: scale,
# areas, capabilities, tracks, levels, expectations; shared by both versions on the diff), the reader's
# level (1), the other versions (1), and the layout's "My team" and "Calibration" checks (2).
MAX_QUERIES = {
    "list": 6,
    "current": 4,
    "detail": 14,
    "level": 14,
    "compare": 13,
    "diff": 13,
}


def make_large_framework(key="large", *, tracks=3, levels_per_track=6, areas=5, capabilities=40):
    """A generated framework: `capabilities` spread over `areas`, `tracks` × `levels_per_track` levels,
    every level asking for most capabilities. Built with bulk inserts, then published."""
    framework = Framework.objects.create(key=key, name="Large framework", description="Generated for query pins.")
    scale = ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, key=skey, name=sname, rank=rank) for rank, (skey, sname) in enumerate(SCALE, 1)
    )
    area_rows = CapabilityArea.objects.bulk_create(
        CapabilityArea(framework=framework, key=f"area-{a}", name=f"Area {a}", position=a) for a in range(areas)
    )
    caps = Capability.objects.bulk_create(
        Capability(
            framework=framework,
            area=area_rows[c % areas],
            key=f"cap-{c}",
            name=f"Capability {c}",
            description="Generated.",
            position=c,
        )
        for c in range(capabilities)
    )
    track_rows = Track.objects.bulk_create(
        Track(
            framework=framework, key=f"track-{t}", name=f"Track {t}", kind="ic" if t == 0 else "management", position=t
        )
        for t in range(tracks)
    )
    levels = Level.objects.bulk_create(
        Level(
            framework=framework,
            track=track,
            key=f"t{t}-l{i}",
            name=f"Track {t} level {i}",
            grade=i + 1 + t,
            stage="Early" if i < 3 else "Later",
            position=i,
        )
        for t, track in enumerate(track_rows)
        for i in range(levels_per_track)
    )
    Expectation.objects.bulk_create(
        Expectation(level=level, capability=cap, scale_level=scale[min(level.grade, len(scale)) - 1])
        for level in levels
        for c, cap in enumerate(caps)
        if (c + level.position) % 7  # a few capabilities are not asked at each level
    )
    framework.publish()
    return framework


@pytest.fixture(params=["small", "large"])
def sized(request, db):
    """(framework, a level's "track/key", another's) for a small and a large framework, each with two versions."""
    if request.param == "small":
        first = make_framework()
        keys = ("ic/ic-2", "management/mgr-1")
    else:
        first = make_large_framework()
        keys = ("track-0/t0-l2", "track-1/t1-l3")
        assert Expectation.objects.filter(level__framework=first).count() > 600
    second = first.new_version()
    second.publish()
    track_key, level_key = keys[0].split("/")
    reader = make_user("reader@example.com", "Reader", level=second.levels.get(track__key=track_key, key=level_key))
    return second, keys, reader


def pages(framework, keys):
    return {
        "list": reverse("frameworks:list"),
        "current": reverse("frameworks:current", args=[framework.key]),
        "detail": reverse("frameworks:detail", args=[framework.key, framework.version]),
        "level": reverse("frameworks:level", args=[framework.key, framework.version, *keys[1].split("/")]),
        "compare": reverse("frameworks:compare", args=[framework.key, framework.version])
        + f"?from={keys[0]}&to={keys[1]}",
        "diff": reverse("frameworks:diff", args=[framework.key]) + "?from=1&to=2",
    }


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_framework_pages_run_a_fixed_number_of_queries(client, sized, django_assert_max_num_queries, page):
    framework, keys, reader = sized
    client.force_login(reader)
    url = pages(framework, keys)[page]
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == (302 if page == "current" else 200)


@pytest.mark.parametrize("page", ["list", "detail", "level", "diff"])
def test_hr_admin_pages_run_a_fixed_number_of_queries(client, sized, hr_admin, django_assert_max_num_queries, page):
    framework, keys, _ = sized
    framework.new_version()  # a draft only HR sees
    client.force_login(hr_admin)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(pages(framework, keys)[page])
    assert response.status_code == 200

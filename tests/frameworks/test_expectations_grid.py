"""The expectations grid: capabilities down, a track's levels across, one select per cell, saved whole."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from frameworks.forms import ExpectationGrid, ExpectationsGridForm, StaleGrid
from frameworks.models import Expectation, Framework, FrameworkLocked
from tests.factories import make_framework, make_wide_framework

STALE = (
    "Someone changed these expectations since you opened the grid. Your choices are shown below; review and save again."
)


def grid_url(framework, track=None):
    url = reverse("admin:frameworks_framework_expectations", args=[framework.pk])
    return f"{url}?track={track}" if track else url


def cell(framework, capability_key, level_key):
    capability = framework.capabilities.get(key=capability_key)
    level = framework.levels.get(key=level_key)
    return f"cell_{capability.pk}_{level.pk}"


def scale(framework, key):
    return str(framework.scale_levels.get(key=key).pk)


def snapshot(framework):
    return sorted(
        Expectation.objects.filter(level__framework=framework).values_list(
            "level__key", "capability__key", "scale_level__key", "description"
        )
    )


def grid_post(response):
    """What the browser would submit for the grid as shown: every select's chosen value and the token."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return data


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Showing the grid ----------------------------------------------------------------------------------


def test_grid_shows_capabilities_by_area_and_the_tracks_levels(hr_client, draft):
    response = hr_client.get(grid_url(draft))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Expectations: Product management, version 2</h1>" in content
    assert content.count("<h1") == 1
    assert 'aria-current="page">Individual contributor' in content
    for name in ("Area 1", "Area 2", "Capability 1.1", "Capability 2.2", "IC level 1", "IC level 3", "Grade 3"):
        assert name in content
    assert "Manager level 1" not in content
    assert content.count("<select") == 4 * 3
    assert 'name="version_token"' in content
    assert "Save expectations" in content


def test_each_select_is_named_for_screen_readers(hr_client, draft):
    content = hr_client.get(grid_url(draft)).content.decode()
    field = cell(draft, "cap-1-2", "ic-2")
    assert f'<label class="visually-hidden" for="id_{field}">Capability 1.2 at IC level 2</label>' in content


def test_cells_offer_not_asked_and_the_scale_in_rank_order_and_show_the_stored_choice(hr_client, draft):
    response = hr_client.get(grid_url(draft))
    content = response.content.decode()
    field = cell(draft, "cap-1-1", "ic-2")
    select = re.search(rf'<select name="{field}".*?</select>', content, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == ["— Not asked", "Awareness", "Working", "Practitioner", "Expert"]
    assert re.findall(r"<option [^>]*\bselected\b[^>]*>(\w+)", select) == ["Working"]
    not_asked = cell(draft, "cap-2-2", "ic-1")
    assert response.context["form"][not_asked].value() == ""


def test_cells_are_coloured_by_the_mastery_tone(hr_client, draft):
    content = hr_client.get(grid_url(draft)).content.decode()
    # Scale of four: Awareness → tone 2, Working → 3, Practitioner → 5 (mastery_tone).
    assert 'class="grid-cell tone-2"' in content
    assert 'class="grid-cell tone-3"' in content
    assert 'class="grid-cell tone-5"' in content
    assert 'class="grid-cell tone-none"' in content


def test_tabs_switch_to_the_management_track(hr_client, draft):
    response = hr_client.get(grid_url(draft, "management"))
    content = response.content.decode()
    assert "Manager level 2" in content and "IC level 1" not in content
    assert 'aria-current="page">Management' in content


def test_unknown_track_is_not_found(hr_client, draft):
    assert hr_client.get(grid_url(draft, "nope")).status_code == 404


def test_published_grid_is_read_only_with_new_version_button(hr_client, framework):
    response = hr_client.get(grid_url(framework))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<select" not in content
    assert "Version 1 is published. Make a new version to change it." in content
    assert reverse("admin:frameworks_framework_new_version", args=[framework.pk]) in content
    assert "Working" in content and "mastery--3" in content  # the mastery bar shows the stored value


def test_published_grid_points_to_the_draft_grid(hr_client, framework, draft):
    content = hr_client.get(grid_url(framework)).content.decode()
    assert "Open the grid of draft version 2" in content
    assert reverse("admin:frameworks_framework_new_version", args=[framework.pk]) not in content


def test_grid_queries_do_not_grow_with_the_framework(hr_client, django_assert_max_num_queries):
    small = make_framework(key="small", publish=False)
    with django_assert_max_num_queries(12):
        assert hr_client.get(grid_url(small)).status_code == 200
    large = make_framework(key="large", publish=False, areas=8, capabilities_per_area=5, ic_levels=6)
    assert large.capabilities.count() == 40 and large.levels.filter(track__key="ic").count() == 6
    with django_assert_max_num_queries(12):
        response = hr_client.get(grid_url(large))
    assert response.content.decode().count("<select") == 240


def test_grid_refuses_put(hr_client, draft):
    assert hr_client.put(grid_url(draft)).status_code == 405


# Saving --------------------------------------------------------------------------------------------


def test_saving_raises_adds_and_removes_expectations_in_one_go(hr_client, hr_admin, draft):
    page = hr_client.get(grid_url(draft))
    data = grid_post(page)
    raised = cell(draft, "cap-1-1", "ic-2")
    added = cell(draft, "cap-2-2", "ic-1")
    removed = cell(draft, "cap-1-2", "ic-3")
    data[raised] = scale(draft, "expert")
    data[added] = scale(draft, "awareness")
    data[removed] = ""
    response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == grid_url(draft, "ic")
    shown = messages_of(hr_client.get(response["Location"]))
    assert "Saved the Individual contributor expectations: 1 newly asked, 1 changed, 1 no longer asked." in shown

    ic2 = draft.levels.get(key="ic-2")
    raised_row = Expectation.objects.get(level=ic2, capability__key="cap-1-1")
    assert raised_row.scale_level.key == "expert"
    assert raised_row.description == "Capability 1.1 at IC level 2."  # kept when only the level changes
    assert Expectation.objects.get(
        level__key="ic-1", level__framework=draft, capability__key="cap-2-2"
    ).scale_level.key == ("awareness")
    assert not Expectation.objects.filter(level__key="ic-3", level__framework=draft, capability__key="cap-1-2").exists()


def test_saving_records_history_with_the_hr_user(hr_client, hr_admin, draft):
    data = grid_post(hr_client.get(grid_url(draft)))
    data[cell(draft, "cap-1-1", "ic-2")] = scale(draft, "expert")
    data[cell(draft, "cap-2-2", "ic-1")] = scale(draft, "working")
    data[cell(draft, "cap-1-2", "ic-3")] = ""
    hr_client.post(grid_url(draft), data)
    records = Expectation.history.filter(history_user=hr_admin)
    assert sorted(record.history_type for record in records) == ["+", "-", "~"]


def test_saving_an_unchanged_grid_changes_nothing(hr_client, draft):
    before = snapshot(draft)
    response = hr_client.post(grid_url(draft), grid_post(hr_client.get(grid_url(draft))))
    assert response.status_code == 302
    assert snapshot(draft) == before
    assert "nothing had changed" in messages_of(hr_client.get(response["Location"]))[0]


def test_saving_one_track_leaves_the_other_alone(hr_client, draft):
    management_before = [row for row in snapshot(draft) if row[0].startswith("mgr")]
    data = grid_post(hr_client.get(grid_url(draft)))
    for name in data:
        if name.startswith("cell_"):
            data[name] = ""
    hr_client.post(grid_url(draft), data)
    after = snapshot(draft)
    assert [row for row in after if row[0].startswith("mgr")] == management_before
    assert not [row for row in after if row[0].startswith("ic")]


def test_invalid_value_is_shown_at_the_cell_and_nothing_changes(hr_client, framework, draft):
    before = snapshot(draft)
    data = grid_post(hr_client.get(grid_url(draft)))
    data[cell(draft, "cap-1-1", "ic-1")] = scale(draft, "expert")  # a valid change, not saved either
    bad = cell(draft, "cap-2-1", "ic-3")
    data[bad] = scale(framework, "expert")  # a scale level of another version
    response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        f'<p class="grid-error" id="id_{bad}_error">Choose a mastery level from the list, or “Not asked”.</p>'
        in content
    )
    assert f'aria-describedby="id_{bad}_error"' in content
    assert "Nothing was saved" in content
    assert f'href="#id_{bad}">Capability 2.1 at IC level 3' in content
    assert snapshot(draft) == before
    kept = cell(draft, "cap-1-1", "ic-1")
    assert response.context["form"][kept].value() == scale(draft, "expert")


def test_missing_token_is_an_error_and_nothing_changes(hr_client, draft):
    before = snapshot(draft)
    data = grid_post(hr_client.get(grid_url(draft)))
    del data["version_token"]
    data[cell(draft, "cap-1-1", "ic-1")] = scale(draft, "expert")
    response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 200
    assert snapshot(draft) == before


def test_published_grid_refuses_to_save(hr_client, framework):
    before = snapshot(framework)
    ic1 = framework.levels.get(key="ic-1")
    capability = framework.capabilities.get(key="cap-1-1")
    data = {
        "version_token": ExpectationGrid(framework).token,
        f"cell_{capability.pk}_{ic1.pk}": scale(framework, "expert"),
    }
    response = hr_client.post(grid_url(framework), data)
    assert response.status_code == 302
    assert "Nothing saved: version 1 is published." in messages_of(hr_client.get(response["Location"]))
    assert snapshot(framework) == before


def set_expectation(framework, level_key, capability_key, scale_key):
    row = Expectation.objects.get(level__framework=framework, level__key=level_key, capability__key=capability_key)
    row.scale_level = framework.scale_levels.get(key=scale_key)
    row.save()


def stored_key(framework, level_key, capability_key):
    row = Expectation.objects.get(level__framework=framework, level__key=level_key, capability__key=capability_key)
    return row.scale_level.key


def resubmit(response):
    """Submit the grid again as it was shown after a refusal."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def test_stale_grid_is_refused_keeps_my_choices_and_takes_theirs(hr_client, draft):
    data = grid_post(hr_client.get(grid_url(draft)))
    set_expectation(draft, "ic-3", "cap-2-1", "expert")  # someone else, after the grid was opened
    before = snapshot(draft)
    mine = cell(draft, "cap-1-1", "ic-1")
    data[mine] = scale(draft, "practitioner")
    response = hr_client.post(grid_url(draft), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert STALE in content
    assert "1 cell changed by someone else is marked in the grid." in content
    assert snapshot(draft) == before
    form = response.context["form"]
    assert form[mine].value() == scale(draft, "practitioner")
    theirs = cell(draft, "cap-2-1", "ic-3")
    assert form[theirs].value() == scale(draft, "expert")
    assert "Someone else changed this to: Expert" in content
    # Saving the reviewed grid keeps both changes.
    again = hr_client.post(grid_url(draft), resubmit(response))
    assert again.status_code == 302
    assert stored_key(draft, "ic-1", "cap-1-1") == "practitioner"
    assert stored_key(draft, "ic-3", "cap-2-1") == "expert"


def test_stale_grid_shows_both_choices_when_we_changed_the_same_cell(hr_client, draft):
    data = grid_post(hr_client.get(grid_url(draft)))
    set_expectation(draft, "ic-2", "cap-1-2", "awareness")
    contested = cell(draft, "cap-1-2", "ic-2")
    data[contested] = scale(draft, "expert")
    response = hr_client.post(grid_url(draft), data)
    assert "Someone else changed this to: Awareness. Your choice is shown." in response.content.decode()
    assert response.context["form"][contested].value() == scale(draft, "expert")
    assert stored_key(draft, "ic-2", "cap-1-2") == "awareness"


def test_stale_grid_without_what_it_opened_with_marks_every_difference(hr_client, draft):
    data = grid_post(hr_client.get(grid_url(draft)))
    data["opened_with"] = "not a list of cells"
    set_expectation(draft, "ic-3", "cap-2-1", "expert")
    mine = cell(draft, "cap-1-1", "ic-1")
    data[mine] = scale(draft, "practitioner")
    response = hr_client.post(grid_url(draft), data)
    content = response.content.decode()
    assert content.count("Now saved as:") == 2
    assert response.context["form"][mine].value() == scale(draft, "practitioner")
    assert response.context["form"][cell(draft, "cap-2-1", "ic-3")].value() == scale(draft, "practitioner")


def test_save_rechecks_the_grid_inside_its_transaction(draft, hr_admin):
    grid = ExpectationGrid(draft)
    form = ExpectationsGridForm(dict(ExpectationsGridForm(grid=grid).initial), grid=grid)
    assert form.is_valid(), form.errors
    Expectation.objects.filter(level__framework=draft, level__key="ic-1").delete()
    before = snapshot(draft)
    with pytest.raises(StaleGrid):
        form.save(hr_admin)
    assert snapshot(draft) == before


def test_save_is_refused_when_the_version_was_published_meanwhile(draft, hr_admin):
    grid = ExpectationGrid(draft)
    data = dict(ExpectationsGridForm(grid=grid).initial)
    data[next(name for name in data if name.startswith("cell_"))] = str(draft.scale_levels.get(key="expert").pk)
    form = ExpectationsGridForm(data, grid=grid)
    assert form.is_valid()
    draft.publish()
    before = snapshot(draft)
    with pytest.raises(FrameworkLocked):
        form.save(hr_admin)
    assert snapshot(draft) == before


def test_grid_of_a_framework_without_tracks_says_what_to_do(hr_client, db):
    empty = Framework.objects.create(key="empty", name="Empty")
    response = hr_client.get(grid_url(empty))
    assert response.status_code == 200
    assert b"This version has no tracks yet." in response.content


def test_the_grid_of_a_160_capability_framework_saves_whole(hr_client):
    """1,120 cells, past Django's default limit of 1,000 posted fields (DATA_UPLOAD_MAX_NUMBER_FIELDS)."""
    wide = make_wide_framework(160, 7)
    form = ExpectationsGridForm(grid=ExpectationGrid(wide, None))
    top = wide.levels.get(key="l6")
    raised, expert = {name for _capability, level, name in form.grid.cells() if level == top}, scale(wide, "expert")
    data = {name: expert if name in raised else form.initial[name] for name in form.fields}
    assert len(data) > 1_000
    response = hr_client.post(grid_url(wide), urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    saved = Expectation.objects.filter(level__framework=wide)
    assert saved.count() == 1_120
    assert saved.filter(scale_level__key="expert").count() == len(raised) == 160

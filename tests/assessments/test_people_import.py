from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from assessments.people.importer import import_people, parse_people_csv
from assessments.people.models import Person

HEADER = "email,name,job title,level,manager email\n"


def csv_of(*rows):
    return HEADER + "".join(row + "\n" for row in rows)


GOOD = csv_of(
    "lead@example.com,Lena Lead,Group PM,product/mgr-1,",
    "alex@example.com,Alex Able,Product manager,product/ic-2,lead@example.com",
    "bo@example.com,Bo Brand,Associate PM,product/ic-1,alex@example.com",
    "nia@example.com,Nia New,Product manager,,lead@example.com",
)


def people_snapshot():
    return sorted(
        Person.objects.values_list("user__email", "user__full_name", "job_title", "level__key", "manager__user__email")
    )


def test_good_file_creates_people_with_levels_and_managers(framework):
    report = import_people(GOOD)
    assert report.ok, report.errors
    assert report.created == ["lead@example.com", "alex@example.com", "bo@example.com", "nia@example.com"]
    bo = Person.objects.select_related("user", "level", "manager__user").get(user__email="bo@example.com")
    assert (bo.name, bo.job_title, bo.level.key, bo.manager.user.email) == (
        "Bo Brand",
        "Associate PM",
        "ic-1",
        "alex@example.com",
    )
    assert Person.objects.get(user__email="nia@example.com").level is None


def test_new_people_can_use_password_reset_but_cannot_sign_in_yet(framework):
    import_people(GOOD)
    user = User.objects.get(email="alex@example.com")
    assert user.has_usable_password()  # so the reset form will send them a link
    assert not user.check_password("")


def test_running_the_same_file_again_changes_nothing(framework):
    import_people(GOOD)
    before = people_snapshot()
    history_before = Person.history.count()
    report = import_people(GOOD)
    assert report.ok
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) == 4
    assert people_snapshot() == before
    assert Person.history.count() == history_before


def test_second_file_updates_existing_people_matched_by_email_in_any_case(framework):
    import_people(GOOD)
    report = import_people(
        csv_of(
            "ALEX@Example.com,Alex Able-Smith,Senior PM,product/ic-3,lead@example.com",
            "bo@example.com,Bo Brand,Associate PM,product/ic-1,lead@example.com",
        )
    )
    assert report.ok, report.errors
    assert report.updated == ["alex@example.com", "bo@example.com"]
    alex = Person.objects.select_related("user", "level").get(user__email="alex@example.com")
    assert (alex.name, alex.job_title, alex.level.key) == ("Alex Able-Smith", "Senior PM", "ic-3")
    assert Person.objects.get(user__email="bo@example.com").manager.user.email == "lead@example.com"
    assert User.objects.filter(email__iexact="alex@example.com").count() == 1


def test_columns_left_out_are_left_alone(framework):
    import_people(GOOD)
    report = import_people("email,name\nalex@example.com,Alex Renamed\n")
    assert report.ok
    alex = Person.objects.select_related("user", "level", "manager__user").get(user__email="alex@example.com")
    assert alex.name == "Alex Renamed"
    assert (alex.level.key, alex.manager.user.email) == ("ic-2", "lead@example.com")


def test_department_and_employee_type_are_imported_checked_and_left_alone_when_left_out(framework):
    report = import_people(
        "email,name,department,employee type\n"
        "alex@example.com,Alex Able,Payments,contractor\n"
        f"bo@example.com,Bo Brand,{'x' * 201},employee\n"
    )
    assert report.errors == ["Row 3 (bo@example.com): the department is longer than 200 characters."]
    assert not Person.objects.exists()

    assert import_people("email,name,Department,Employee_Type\nalex@example.com,Alex Able,Payments,contractor\n").ok
    import_people("email,name,job title\nalex@example.com,Alex Able,Product manager\n")
    alex = Person.objects.get(user__email="alex@example.com")
    assert (alex.job_title, alex.department, alex.employee_type) == ("Product manager", "Payments", "contractor")
    report = import_people("email,name,employee type\nalex@example.com,Alex Able,\n", dry_run=True)
    assert report.updated == ["alex@example.com"]


def test_dry_run_reports_and_writes_nothing(framework):
    before = people_snapshot()
    report = import_people(GOOD, dry_run=True)
    assert report.ok
    assert report.summary == "4 people will be created, 0 updated"
    assert people_snapshot() == before
    assert not User.objects.filter(email="alex@example.com").exists()


def test_reporting_cycle_is_refused_naming_the_rows_and_nothing_changes(framework):
    before = people_snapshot()
    report = import_people(
        csv_of(
            "ann@example.com,Ann,PM,product/ic-2,ben@example.com",
            "ben@example.com,Ben,PM,product/ic-2,cat@example.com",
            "cat@example.com,Cat,PM,product/ic-2,ann@example.com",
            "dan@example.com,Dan,PM,product/ic-2,",
        )
    )
    assert not report.ok
    assert report.errors[0] == (
        "Row 2 (ann@example.com): the reporting lines would go round in a circle "
        "(ann@example.com → ben@example.com → cat@example.com → ann@example.com), "
        "making ann@example.com their own indirect manager."
    )
    assert [error.split(":")[0] for error in report.errors] == [
        "Row 2 (ann@example.com)",
        "Row 3 (ben@example.com)",
        "Row 4 (cat@example.com)",
    ]
    assert people_snapshot() == before


def test_cycle_through_someone_already_in_pathway_is_refused(manager, pm):
    # Priya reports to Maya in Pathway; a file making Maya report to Priya closes the loop.
    report = import_people(csv_of("maya@example.com,Maya Manager,Group PM,product/mgr-1,priya@example.com"))
    assert report.errors == [
        "Row 2 (maya@example.com): the reporting lines would go round in a circle "
        "(maya@example.com → priya@example.com → maya@example.com), making maya@example.com their own "
        "indirect manager."
    ]
    assert Person.objects.get(user=manager).manager is None


def test_unknown_level_is_refused_naming_the_row_and_nothing_changes(framework):
    before = people_snapshot()
    report = import_people(
        csv_of(
            "ann@example.com,Ann,PM,product/ic-2,",
            "ben@example.com,Ben,PM,product/ic-9,",
            "cat@example.com,Cat,PM,nosuch/ic-2,",
            "dan@example.com,Dan,PM,ic-2,",
        )
    )
    assert report.errors == [
        "Row 3 (ben@example.com): unknown level 'product/ic-9': the published version of Product management "
        "(version 1) has no level with the key 'ic-9'.",
        "Row 4 (cat@example.com): unknown level 'nosuch/ic-2': there is no framework with the key 'nosuch'.",
        "Row 5 (dan@example.com): level 'ic-2' must be written framework-key/level-key or "
        "framework-key/track-key/level-key, e.g. product-tracks/senior-pm or product-tracks/ic/senior-pm.",
    ]
    assert people_snapshot() == before


def test_a_level_may_be_written_with_its_track(db):
    from tests.factories import make_two_leads_framework

    make_two_leads_framework()
    report = import_people(
        csv_of(
            "ivy@example.com,Ivy,Lead engineer,engineering/ic/lead,",
            "tess@example.com,Tess,Team lead,engineering/mgmt/lead,",
            "eli@example.com,Eli,Engineer,engineering/engineer,tess@example.com",
            "hal@example.com,Hal,Head,engineering/mgmt/head,",
        )
    )
    assert report.ok, report.errors
    placed = {
        email: f"{track}/{key}"
        for email, track, key in Person.objects.values_list("user__email", "level__track__key", "level__key")
    }
    assert placed == {
        "ivy@example.com": "ic/lead",
        "tess@example.com": "mgmt/lead",
        "eli@example.com": "ic/engineer",
        "hal@example.com": "mgmt/head",
    }
    # Running it again changes nothing: the level written with its track is the level already set.
    again = import_people(csv_of("ivy@example.com,Ivy,Lead engineer,engineering/ic/lead,"))
    assert again.unchanged == ["ivy@example.com"]


def test_a_level_key_on_two_tracks_must_be_written_with_its_track(db):
    from tests.factories import make_two_leads_framework

    make_two_leads_framework()
    report = import_people(
        csv_of(
            "ivy@example.com,Ivy,Lead engineer,engineering/lead,",
            "tess@example.com,Tess,Team lead,engineering/people/lead,",
            "eli@example.com,Eli,Engineer,engineering/ic/head,",
            "hal@example.com,Hal,Head,engineering/ic/mgmt/head,",
        )
    )
    assert report.errors == [
        "Row 2 (ivy@example.com): level 'engineering/lead' is ambiguous: Engineering has a level 'lead' on more "
        "than one track (Engineer (ic) and Engineering management (mgmt)); write it with its track, "
        "e.g. engineering/ic/lead.",
        "Row 3 (tess@example.com): unknown level 'engineering/people/lead': the published version of Engineering "
        "(version 1) has no level with the key 'lead' on the track 'people'.",
        "Row 4 (eli@example.com): unknown level 'engineering/ic/head': the published version of Engineering "
        "(version 1) has no level with the key 'head' on the track 'ic'.",
        "Row 5 (hal@example.com): level 'engineering/ic/mgmt/head' must be written framework-key/level-key or "
        "framework-key/track-key/level-key, e.g. product-tracks/senior-pm or product-tracks/ic/senior-pm.",
    ]
    assert not Person.objects.exists()


def test_level_of_a_draft_is_refused(db):
    from tests.factories import make_framework

    make_framework(key="draft-only", publish=False)
    report = import_people(csv_of("ann@example.com,Ann,PM,draft-only/ic-1,"))
    assert report.errors == [
        "Row 2 (ann@example.com): framework 'draft-only' has no published version yet, so its levels cannot be used."
    ]


def test_levels_come_from_the_published_version_only(framework):
    draft = framework.new_version()
    import_people(csv_of("ann@example.com,Ann,PM,product/ic-2,"))
    level = Person.objects.get(user__email="ann@example.com").level
    assert level.framework_id == framework.pk != draft.pk


def test_unknown_manager_is_refused(framework):
    report = import_people(csv_of("ann@example.com,Ann,PM,product/ic-2,ghost@example.com"))
    assert report.errors == [
        "Row 2 (ann@example.com): unknown manager ghost@example.com: they are not in this file or in Pathway."
    ]
    assert not User.objects.filter(email="ann@example.com").exists()


def test_manager_already_in_pathway_is_found(manager):
    report = import_people(csv_of("ann@example.com,Ann,PM,product/ic-2,MAYA@example.com"))
    assert report.ok, report.errors
    assert Person.objects.get(user__email="ann@example.com").manager == manager.person


def test_manager_who_has_left_is_refused(manager):
    manager.is_active = False
    manager.save()
    report = import_people(csv_of("ann@example.com,Ann,PM,product/ic-2,maya@example.com"))
    assert report.errors == [
        "Row 2 (ann@example.com): manager maya@example.com has left (their account is closed); choose another manager."
    ]


def test_own_manager_is_refused(framework):
    report = import_people(csv_of("ann@example.com,Ann,PM,product/ic-2,ann@example.com"))
    assert report.errors == ["Row 2 (ann@example.com): a person cannot be their own manager."]


def test_duplicate_email_is_refused_on_the_later_row(framework):
    report = import_people(
        csv_of("ann@example.com,Ann,PM,product/ic-2,", "bo@example.com,Bo,PM,,", "Ann@Example.com,Ann Again,PM,,")
    )
    assert report.errors == [
        "Row 4 (ann@example.com): the email address is also on row 2; each person goes on one row."
    ]
    assert not User.objects.exists()


def test_missing_and_bad_values_are_each_reported(framework):
    report = import_people(csv_of(",No Email,PM,,", "not-an-email,Bad,PM,,", "ok@example.com,,PM,,"))
    assert report.errors == [
        "Row 2: the email address is missing.",
        "Row 3 (not-an-email): 'not-an-email' is not a valid email address.",
        "Row 4 (ok@example.com): the name is missing.",
    ]


def test_header_problems_are_reported_as_row_1(db):
    report = import_people("email,nmae,level\nann@example.com,Ann,\n")
    assert report.errors == [
        "Row 1: unknown column 'nmae'; the columns are: email, name, job title, level, manager email, department, "
        "employee type.",
        "Row 1: the header has no name column (email and name are required).",
    ]


def test_empty_file_is_refused(db):
    assert import_people("").errors[0].startswith("The file is empty")


def test_parse_skips_blank_lines_and_keeps_row_numbers(db):
    rows = parse_people_csv(
        "\ufeffEmail,Name,Job_Title,Level,Manager\nann@example.com,Ann,PM,,\n,,,,\nbo@example.com,Bo,,,\n"
    )
    assert [(row.number, row.email, row.manager_email) for row in rows] == [
        (2, "ann@example.com", ""),
        (4, "bo@example.com", ""),
    ]


def test_command_imports_and_reports(framework, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_people", str(path), stdout=out)
    assert "4 people were created, 0 updated." in out.getvalue()
    assert "Forgotten your password?" in out.getvalue()
    out = StringIO()
    call_command("import_people", str(path), stdout=out)
    assert "0 people were created, 0 updated and 4 left unchanged." in out.getvalue()


def test_command_dry_run_writes_nothing(framework, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_people", str(path), "--dry-run", stdout=out)
    assert "Dry run: 4 people will be created, 0 updated." in out.getvalue()
    assert not User.objects.filter(email="alex@example.com").exists()


def test_command_fails_with_each_error_and_nonzero_exit(framework, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(csv_of("ann@example.com,Ann,PM,product/ic-9,"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: the file has 1 problem"):
        call_command("import_people", str(path), stderr=err)
    assert "Row 2 (ann@example.com): unknown level 'product/ic-9'" in err.getvalue()


def test_command_fails_on_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_people", str(tmp_path / "nope.csv"))

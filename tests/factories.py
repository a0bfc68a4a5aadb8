"""Small make_* helpers for tests: plain functions, no factory library."""

from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import HR_ADMINS_GROUP, User
from frameworks.fileformat import import_framework, parse_framework_file
from frameworks.models import Capability, CapabilityArea, Expectation, Framework, Level, ScaleLevel, Track

PASSWORD = "correct horse battery staple"

SCALE = [("awareness", "Awareness"), ("working", "Working"), ("practitioner", "Practitioner"), ("expert", "Expert")]


@contextmanager
def kept_for_the_module(django_db_blocker):
    """For a module-scoped fixture: what is made inside stays for the module's tests and is rolled back after the
    last one. It is one transaction; each test runs in a savepoint inside it (what `db` does), so what a test
    changes in the database is undone before the next. Objects in memory are shared: tests must not change them."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def make_user(email, full_name, *, password=PASSWORD, manager=None, level=None, job_title="", hr_admin=False, **extra):
    if hr_admin:
        extra.setdefault("is_staff", True)
    user = User.objects.create_user(email=email, password=password, full_name=full_name, **extra)
    if hr_admin:
        group, _ = Group.objects.get_or_create(name=HR_ADMINS_GROUP)
        user.groups.add(group)
    person = user.person
    person.manager = manager.person if manager is not None else None
    person.level = level
    person.job_title = job_title
    person.save()
    return user


def make_framework(
    key="product",
    name="Product management",
    *,
    version=1,
    publish=True,
    areas=2,
    capabilities_per_area=2,
    ic_levels=3,
    management_levels=2,
):
    """A small framework: a four-step scale, areas × capabilities, an IC track and a management track.

    Level i on the IC track (grade i+1) expects rank min(i+1, 4) for every capability except the last
    one, which is only asked from the second level up. The management track starts at grade 3.
    """
    # One INSERT per table (no per-row save, lock check or history record): most tests begin with this framework.
    framework = Framework.objects.create(key=key, name=name, version=version, description="A test framework.")
    scale = ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, key=skey, name=sname, rank=rank)
        for rank, (skey, sname) in enumerate(SCALE, start=1)
    )
    area_rows = CapabilityArea.objects.bulk_create(
        CapabilityArea(framework=framework, key=f"area-{a + 1}", name=f"Area {a + 1}", position=a) for a in range(areas)
    )
    capabilities = Capability.objects.bulk_create(
        Capability(
            framework=framework,
            area=area,
            key=f"cap-{a + 1}-{c + 1}",
            name=f"Capability {a + 1}.{c + 1}",
            description=f"What capability {a + 1}.{c + 1} is about.",
            position=c,
        )
        for a, area in enumerate(area_rows)
        for c in range(capabilities_per_area)
    )
    ic, mgmt = Track.objects.bulk_create(
        [
            Track(framework=framework, key="ic", name="Individual contributor", kind="ic", position=0),
            Track(framework=framework, key="management", name="Management", kind="management", position=1),
        ]
    )
    ladders = ((ic, "ic", "IC level", ic_levels, 1), (mgmt, "mgr", "Manager level", management_levels, 3))
    levels = Level.objects.bulk_create(
        Level(
            framework=framework,
            track=track,
            key=f"{prefix}-{i + 1}",
            name=f"{words} {i + 1}",
            grade=first_grade + i,
            position=i,
            stage="Foundation" if first_grade + i < 3 else "Leadership",
            summary=f"Summary of {words} {i + 1}.",
        )
        for track, prefix, words, count, first_grade in ladders
        for i in range(count)
    )
    expectations = []
    for level in levels:
        step = level.grade
        for index, capability in enumerate(capabilities):
            if index == len(capabilities) - 1 and step == 1:
                continue  # not asked at the first level
            expectations.append(
                Expectation(
                    level=level,
                    capability=capability,
                    scale_level=scale[min(step, 4) - 1],
                    description=f"{capability.name} at {level.name}.",
                )
            )
    Expectation.objects.bulk_create(expectations)
    if publish:
        framework.publish()
    return framework


# Two tracks that each have a level keyed "lead": a level key is unique only on its track.
TWO_LEADS = """\
format: pathway-framework/1
key: engineering
name: Engineering
scale:
- key: learning
  name: Learning
- key: doing
  name: Doing
- key: teaching
  name: Teaching
areas:
- key: craft
  name: Craft
  capabilities:
  - key: code
    name: Writing code
  - key: design
    name: System design
- key: people
  name: People
  capabilities:
  - key: mentoring
    name: Mentoring
tracks:
- key: ic
  name: Engineer
  kind: ic
  levels:
  - key: engineer
    name: Engineer
    grade: 1
    expectations:
      code: doing
      design: learning
  - key: lead
    name: Lead engineer
    grade: 2
    expectations:
      code: teaching
      design: teaching
      mentoring: doing
- key: mgmt
  name: Engineering management
  kind: management
  levels:
  - key: lead
    name: Engineering team lead
    grade: 2
    expectations:
      code: doing
      design: doing
      mentoring: teaching
  - key: head
    name: Head of engineering
    grade: 3
    expectations:
      design: teaching
      mentoring: teaching
"""


def make_two_leads_framework(*, version=1, publish=True):
    """ "engineering": an IC track (engineer, lead) and a management track `mgmt` (lead, head), from TWO_LEADS."""
    text = TWO_LEADS.replace("name: Engineering\n", f"name: Engineering\nversion: {version}\n", 1)
    framework, _ = import_framework(parse_framework_file(text), publish=publish)
    return framework


def make_wide_framework(capabilities, levels, *, key="wide", publish=False):
    """A framework of many capabilities in one area and one track of `levels` levels, each expecting every
    capability at the second scale step; built with bulk inserts (no history rows), for tests of size."""
    framework = Framework.objects.create(key=key, name="Wide framework", version=1)
    scale = ScaleLevel.objects.bulk_create(
        ScaleLevel(framework=framework, key=skey, name=sname, rank=rank)
        for rank, (skey, sname) in enumerate(SCALE, start=1)
    )
    area = CapabilityArea.objects.create(framework=framework, key="area", name="Area")
    found = Capability.objects.bulk_create(
        Capability(framework=framework, area=area, key=f"cap-{i}", name=f"Capability {i}", position=i % 30000)
        for i in range(capabilities)
    )
    track = Track.objects.create(framework=framework, key="ic", name="Individual contributor")
    rungs = Level.objects.bulk_create(
        Level(framework=framework, track=track, key=f"l{i}", name=f"Level {i}", grade=i, position=i)
        for i in range(levels)
    )
    Expectation.objects.bulk_create(
        Expectation(level=level, capability=capability, scale_level=scale[1]) for level in rungs for capability in found
    )
    if publish:
        framework.publish()
    return framework

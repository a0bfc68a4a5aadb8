"""How long a big people CSV import takes (issue 12: 3,000 people took 16–52 s, past gunicorn's 30 s).

Builds a throwaway test database (a temporary SQLite file, or `<database>_importbench` on the PostgreSQL
server of DATABASE_URL), loads the default frameworks, and imports a generated file of N people three times:

  create     everyone new (a CEO, heads, managers of about 8, a level and a job title each)
  update     the same people, every one renamed, retitled and most moved to another manager
  unchanged  the second file again (nothing to write)

Each run prints its wall time and its number of queries. `--profile` also prints the top of a cProfile of
each run, by cumulative time.

    .venv/bin/python bench/import_people.py [--people 3000] [--profile]
    DATABASE_URL=postgres://user@host:5432/pathway .venv/bin/python bench/import_people.py
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathway.settings")
os.environ.setdefault("DEBUG", "1")  # the development secret key; DEBUG itself is switched off below

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assessments.people.importer import import_people  # noqa: E402
from assessments.people.models import Person, ReportingTree  # noqa: E402
from frameworks.models import Framework, Level  # noqa: E402


def people_csv(count: int, seed: int, renamed: bool = False) -> str:
    """A file of `count` people: person 0 is the CEO; everyone else reports to someone earlier in the file."""
    rng = random.Random(seed)
    levels = [
        f"{framework_key}/{track_key}/{level_key}"
        for framework_key, track_key, level_key in Level.objects.filter(
            framework__status=Framework.Status.PUBLISHED
        ).values_list("framework__key", "track__key", "key")
    ]
    lines = ["email,name,job title,level,manager email"]
    for index in range(count):
        manager = "" if index == 0 else f"p{rng.randrange(max(1, (index - 1) // 8 + 1))}@example.com"
        name = f"Person {index}{' Renamed' if renamed else ''}"
        title = f"{'Senior ' if renamed else ''}Product manager {index % 7}"
        lines.append(f"p{index}@example.com,{name},{title},{rng.choice(levels)},{manager}")
    return "\n".join(lines) + "\n"


def run(label: str, text: str, profile: bool) -> None:
    profiler = cProfile.Profile() if profile else None
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        report = import_people(text)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
    assert report.ok, report.errors[:5]
    print(
        f"{label:<10} {seconds:7.2f} s  {len(queries):6,} queries  "
        f"({len(report.created):,} created, {len(report.updated):,} updated, {len(report.unchanged):,} unchanged)",
        flush=True,
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue())


def check_paths() -> None:
    """The stored materialised paths agree with the walked tree."""
    tree = ReportingTree.load()
    wrong = [pk for pk, path in Person.objects.values_list("pk", "path") if path != tree.path_of(pk)]
    assert not wrong, f"{len(wrong)} people have a wrong path"


def fresh_database() -> str:
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "pathway-importbench.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_importbench"
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    settings.DEBUG = False
    old_name = fresh_database()
    try:
        call_command("load_default_frameworks", stdout=io.StringIO())
        print(f"People import on {connection.vendor}: {args.people:,} people", flush=True)
        run("create", people_csv(args.people, seed=1), args.profile)
        check_paths()
        updated = people_csv(args.people, seed=2, renamed=True)
        run("update", updated, args.profile)
        check_paths()
        run("unchanged", updated, args.profile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

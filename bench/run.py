"""Pathway benchmarks: how long the main pages and the file import take as data grows.

Run with `make bench`. It builds a throwaway test database (SQLite by default, or the
PostgreSQL of DATABASE_URL), fills it with generated data at two sizes, and prints the
median wall time and the number of queries of each case. Nothing here is a pass/fail test:
the numbers are for reading and for comparing before and after a change.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathway.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))


def generated_framework_file(key, capabilities, tracks, levels_per_track):
    """A pathway-framework/1 document with the given size, as a YAML string."""
    import yaml

    scale = [{"key": k, "name": k.title()} for k in ("awareness", "working", "practitioner", "expert")]
    caps_per_area = 8
    areas = []
    for a in range(0, capabilities, caps_per_area):
        areas.append(
            {
                "key": f"area-{a // caps_per_area + 1}",
                "name": f"Area {a // caps_per_area + 1}",
                "capabilities": [
                    {"key": f"cap-{c + 1}", "name": f"Capability {c + 1}", "description": "Generated."}
                    for c in range(a, min(a + caps_per_area, capabilities))
                ],
            }
        )
    track_list = []
    for t in range(tracks):
        levels = []
        for i in range(levels_per_track):
            rank = min(4, 1 + i * 4 // levels_per_track)
            levels.append(
                {
                    "key": f"t{t + 1}-l{i + 1}",
                    "name": f"Track {t + 1} level {i + 1}",
                    "grade": i + 1 + t,
                    "expectations": {f"cap-{c + 1}": scale[rank - 1]["key"] for c in range(capabilities)},
                }
            )
        track_list.append(
            {
                "key": f"track-{t + 1}",
                "name": f"Track {t + 1}",
                "kind": "ic" if t == 0 else "management",
                "levels": levels,
            }
        )
    document = {
        "format": "pathway-framework/1",
        "key": key,
        "name": f"Generated {key}",
        "version": 1,
        "scale": scale,
        "areas": areas,
        "tracks": track_list,
    }
    return yaml.safe_dump(document, sort_keys=False)


def measure(label, func):
    times, queries = [], 0
    for _ in range(REPEATS):
        reset_queries()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
        queries = len(connection.queries)
    print(f"{label:<58} {statistics.median(times) * 1000:8.1f} ms  {queries:4d} queries")


def get_ok(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def main():
    from frameworks.fileformat import import_framework, parse_framework_file
    from frameworks.models import Framework
    from tests.factories import make_user

    setup_test_environment()
    settings.DEBUG = True  # record queries
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        reader = make_user("bench@example.com", "Bench Reader")
        client = Client()
        client.force_login(reader)
        print(f"database: {connection.vendor}; median of {REPEATS} runs\n")
        for size, (caps, tracks, levels) in {"small": (10, 2, 4), "large": (40, 3, 6)}.items():
            key = f"bench-{size}"
            text = generated_framework_file(key, caps, tracks, levels)
            counter = iter(range(1000))

            def do_import(text=text, key=key, counter=counter):
                # A fresh key each run, so every run parses, validates and writes a whole new framework.
                spec = parse_framework_file(text.replace(f"key: {key}", f"key: {key}-{next(counter)}"), "bench.yaml")
                import_framework(spec)

            measure(f"import {size} framework ({caps} capabilities, {tracks}×{levels} levels)", do_import)
            import_framework(parse_framework_file(text, "bench.yaml"), publish=True)
            framework = Framework.objects.get(key=key, status="published")
            base = f"/frameworks/{key}/v{framework.version}/"
            measure(f"framework page, {size}", get_ok(client, base))
            measure(f"level page, {size}", get_ok(client, f"{base}levels/track-1/t1-l2/"))
            measure(f"compare levels, {size}", get_ok(client, f"{base}compare/?from=track-1/t1-l2&to=track-2/t2-l3"))
            print()
        bench_team_pages()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def bench_team_pages():
    """A head of product with two managers and N reviewed reports: the team and report pages."""
    from tests.assessments.report_fixtures import make_review
    from tests.factories import make_framework, make_user

    framework = make_framework(key="bench-team", areas=4, capabilities_per_area=5)
    ic2, ic3 = framework.levels.get(key="ic-2"), framework.levels.get(key="ic-3")
    head = make_user("head@bench.example", "Head of Bench", level=framework.levels.get(key="mgr-2"))
    leads = [
        make_user(f"lead{i}@bench.example", f"Lead {i}", manager=head, level=framework.levels.get(key="mgr-1"))
        for i in range(2)
    ]
    client = Client()
    client.force_login(head)
    self_ranks = {c.key: 3 for c in framework.capabilities.all()}
    manager_ranks = {**self_ranks, "cap-1-1": 2}
    made = 0
    for size in (10, 100):
        while made < size:
            report = make_user(f"r{made}@bench.example", f"Report {made}", manager=leads[made % 2], level=ic2)
            make_review(report, leads[made % 2], ic3, self_ranks, manager_ranks)
            made += 1
        one = report.person.pk
        measure(f"My team, {size} reports", get_ok(client, "/team/"))
        measure(f"team heatmap, {size} reports", get_ok(client, "/reports/team/"))
        measure(f"calibration, {size} reports", get_ok(client, "/reports/calibration/"))
        measure(f"comparison of one report, team of {size}", get_ok(client, f"/reports/people/{one}/compare/"))
        print()


if __name__ == "__main__":
    main()

"""Profile one `make bench` page in-process against a database you keep, in turns with the bare signed-in page.

    DATABASE_URL=postgres://…/pathway_k2k .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://…/pathway_k2k .venv/bin/python manage.py generate_org --people 2000 --cycles 5 --seed 1
    DATABASE_URL=postgres://…/pathway_k2k DEBUG=1 .venv/bin/python bench/profile_page.py promotion --runs 15 --queries

Unlike `make bench`, it does not build a database each time (20,000 people take two minutes), so a change can be
measured before and after in turns: run it from two checkouts against the same database, two or three rounds, and
read the ratios as ranges. It prints the page's and the bare page's medians and their ratio; `--queries` lists one
request's queries with their time, `--explain` adds PostgreSQL's planning and execution time of each, `--split
module:function,…` times those functions inside the page, `--cprofile` profiles 20 requests. The first run adds the
peer workload (a 164-capability framework) to the database if it is not there.
"""

import argparse
import cProfile
import importlib
import logging
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 -- sets Django up, as `make bench` does
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import Template  # noqa: E402
from django.test.utils import _TestState, setup_test_environment  # noqa: E402


def timed(request, client, number):
    send, expected = request(client, number)
    start = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - start
    if response.status_code != expected:
        raise SystemExit(f"Expected {expected}, got {response.status_code}")
    return elapsed, response


def wrap_functions(specs: str) -> dict[str, list[float]]:
    """Replace each `module:function` by a timed copy; returns where the times go."""
    spent = defaultdict(list)
    for spec in filter(None, specs.split(",")):
        module_name, name = spec.split(":")
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def wrapped(*args, _original=original, _spec=spec, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_spec].append(time.perf_counter() - start)

        setattr(module, name, wrapped)
    return spent


def print_queries(label, request, client, explain: bool):
    captured = []

    def capture(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - start, sql, params))

    with connection.execute_wrapper(capture):
        elapsed, response = timed(request, client, 99)
    in_sql = sum(spent for spent, _, _ in captured)
    print(f"\n{label}: {elapsed * 1000:.1f} ms, {len(captured)} queries, {in_sql * 1000:.1f} ms in SQL, ", end="")
    print(f"{len(response.content) / 1024:.0f} KB")
    for spent, sql, params in captured:
        print(f"  {spent * 1000:6.2f} ms  {' '.join(sql.split())[:160]}")
        if explain and connection.vendor == "postgresql" and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, SUMMARY) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            planning = re.search(r"Planning Time: ([0-9.]+)", plan).group(1)
            execution = re.search(r"Execution Time: ([0-9.]+)", plan).group(1)
            print(f"             planned in {planning} ms, ran in {execution} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("key", help="a page key of `bench/run.py --list`")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each, in turns (default 15)")
    parser.add_argument("--queries", action="store_true", help="list one request's queries with their time")
    parser.add_argument("--explain", action="store_true", help="with --queries: PostgreSQL's planning and run time")
    parser.add_argument("--split", default="", help="module:function,… to time inside the page")
    parser.add_argument("--cprofile", action="store_true", help="cProfile 20 requests of the page")
    options = parser.parse_args()

    # As `make bench` measures: DEBUG off, templates without the test instrumentation, no 4xx logging.
    setup_test_environment()
    settings.DEBUG = False
    Template._render = _TestState.saved_data.template_render
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    from assessments.reviews.models import Assessment

    peer = Assessment.objects.filter(author__user__email="peer@bench.example").first() or bench.peer_workload()
    cast = bench.choose_cast(peer)
    page = next((page for page in bench.PAGES if page.key == options.key), None)
    if page is None:
        raise SystemExit(f"No page {options.key!r}; see bench/run.py --list")
    client = cast.clients[page.viewer]
    request, bare = bench.requests_for(cast)[page.key], bench.get(bench.BARE_URL)
    spent = wrap_functions(options.split)

    for number in range(3):  # warm up: caches, connections, the first plans
        timed(request, client, number)
        timed(bare, client, number)
    page_times, bare_times = [], []
    for number in range(options.runs):
        bare_times.append(timed(bare, client, number)[0])
        page_times.append(timed(request, client, number)[0])
    for spec, times in spent.items():
        print(f"  {spec}: median {statistics.median(times[-options.runs :]) * 1000:.1f} ms")
    page_median, bare_median = statistics.median(page_times), statistics.median(bare_times)
    print(
        f"{page.key}: page {page_median * 1000:.1f} ms, bare {bare_median * 1000:.1f} ms, "
        f"{page_median / bare_median:.2f}× (budget {page.budget:g}×)"
    )
    if options.queries:
        print_queries("bare", bare, client, options.explain)
        print_queries(page.key, request, client, options.explain)
    if options.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for number in range(20):
            timed(request, client, number)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

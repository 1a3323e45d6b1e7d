"""Where the public timeline's time goes, phase by phase (not run by the test suite).

    python bench/timeline_phases.py [--runs 200]

Run it from the project root against the database that DATABASE_URL names, after
``python manage.py generate_load_data``, like bench/pages.py (whose settings and floor it
shares). Each phase of the page's view is timed alone, in this process, as the median of
``--runs`` calls after a few warm-ups; then each of the page's SQL queries, as PostgreSQL or
SQLite executes it (the driver's wait, without the ORM). Prints one table: the phases do not
add up exactly to the whole page, whose time also counts the page template, the paginator and
the middleware. README "Benchmarks" quotes it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (sets Django up in production settings, as bench/pages.py runs)
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import translation  # noqa: E402

from consultations.filters import PublicTimelineFilter  # noqa: E402
from consultations.fragments import filter_fields_html, public_timeline_html  # noqa: E402
from consultations.models import Consultation  # noqa: E402
from consultations.timeline import PUBLIC_KINDS, timeline_entries  # noqa: E402
from consultations.views.public import ENTRIES_PER_PAGE  # noqa: E402


def median_ms(function, runs, warmups=10):
    for _ in range(warmups):
        function()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def query_times(url, runs):
    """(median ms, first words of the SQL) of each query of one request of ``url``."""
    client = pages.clients()["anonymous"]
    seen = {}

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.setdefault(sql, []).append((time.perf_counter() - start) * 1000)

    pages.get(client, url)
    with connection.execute_wrapper(timed):
        for _ in range(runs):
            pages.get(client, url)
    return [(statistics.median(times), " ".join(sql.split())[:70]) for sql, times in seen.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    pages.check_migrated()
    pages.install_floor_urlconf()
    translation.activate("fr")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    def filter_set():
        return PublicTimelineFilter(
            None, queryset=Consultation.objects.published(), kinds=PUBLIC_KINDS
        )

    filterset = filter_set()
    entries = timeline_entries(None, public=True, limit=ENTRIES_PER_PAGE).entries
    base = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}{% endblock %}'
    )
    client = pages.clients()["anonymous"]
    whole, few = args.runs // 2, args.runs
    phases = [
        ("whole page, through the test client", lambda: pages.get(client, "/"), whole),
        ("floor: a bare view, same middleware", lambda: client.get(pages.FLOOR_PATH), whole),
        ("filter set and its drop-downs (1 query)", filter_set, few),
        (
            f"page of {ENTRIES_PER_PAGE} entries and its count (2 queries)",
            lambda: timeline_entries(None, public=True, limit=ENTRIES_PER_PAGE),
            few,
        ),
        ("filter fields written out", lambda: str(filter_fields_html(filterset.form)), few),
        ("entries written out", lambda: str(public_timeline_html(entries)), few),
        ("base template alone", lambda: base.render({"user": request.user}, request), few),
    ]
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; medians.\n")
    print(f"{'phase of the public timeline, page 1':<56} {'median':>9}")
    print("-" * 66)
    for label, function, runs in phases:
        print(f"{label:<56} {median_ms(function, runs):>7.2f}ms")
    print(f"\n{'its queries, as the database runs them':<56} {'median':>9}")
    print("-" * 66)
    for median, sql in query_times("/", max(args.runs // 10, 10)):
        print(f"{sql[:56]:<56} {median:>7.2f}ms")


if __name__ == "__main__":
    main()

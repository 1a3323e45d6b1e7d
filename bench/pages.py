"""Benchmark of the main pages on the generated dataset (not run by the test suite).

    python bench/pages.py [--runs 15] [--warmups 2] [--small-scale 0.05] [--no-small]
                          [--small-database-url URL] [--profile]

Run it from the project root, against the database that DATABASE_URL names (as the application
does; db.sqlite3 by default), after ``python manage.py generate_load_data``. Each page is
requested through django.test.Client inside this process, in production settings (DEBUG off,
cached templates, no cache: CACHES is a DummyCache), and timed with time.perf_counter() around
client.get(): the median of --runs requests after --warmups, the pages taken in turn in
each run so that a change of the machine's load weighs on all of them alike. The floor is a
bare view returning HttpResponse("ok") through the same middleware, added to the URLconf here
(not in the project) and measured in the same run, alone, just before and just after the pages,
anonymous and signed in; each page is reported as a ratio to the floor of the same visitor.

Targets, each PASS or FAIL:

- no HTML page above 25 times the floor;
- the workspace consultation list no slower than the admin changelist of consultations;
- the public timeline served from the page cache within 2 times the floor;
- the number of SQL queries of every page independent of the data's size: counted here on the
  big dataset, and on a small one (--small-scale of the same generator) built in a temporary
  SQLite database by a child process of this script, with the same choice of pages: PASS when
  the big dataset needs no more queries than the small one.

It always exits 0 (it is a report) and ends with a SUMMARY line. With --profile, each page that
fails a target is profiled: its slowest SQL queries, its repeated query shapes and the project
functions where the time goes (cProfile).
"""

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
# Production-like settings (config/settings.py reads them); DATABASE_URL is left as it is.
os.environ.update(
    {
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-not-for-production-6c1f0e9a2b7d",
        "ALLOWED_HOSTS": "*",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CACHE_URL": "dummy://",
    }
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

MAX_RATIO = 25
MAX_CACHED_RATIO = 2  # a cached public timeline page (issue 8)
FLOOR_PATH = "/__bench__/floor/"
URLCONF = "bench_pages_urls"
LIST_CLOCK_STATES = ("running", "due_soon", "opinion_given", "answered", "answer_overdue")
SEARCH = "notation"  # a word of many consultation titles (the scoring systems)


def floor_view(request):
    return HttpResponse("ok")


# The yardstick the issue gives for 25 times the floor: "a plain Django-template page of 50
# timeline entries, with no database query at all". The site's base template, 50 entries of the
# public timeline read beforehand (choose_pages), a date filter and a link each; no form.
PLAIN_PATH = "/__bench__/plain-50/"
PLAIN_TEMPLATE = """{% extends "base.html" %}{% block content %}<h1>Frise</h1>
<ol class="timeline">{% for entry in entries %}<li><time>{{ entry.on|date:"j F Y" }}</time>
<strong>{{ entry.label }}</strong> <a href="{{ entry.url }}">{{ entry.summary }}</a></li>
{% endfor %}</ol>{% endblock %}"""
PLAIN_ENTRIES = []
PLAIN_COMPILED = []
YARDSTICK_ENTRIES = 50


def plain_view(request):
    from django.template import engines

    if not PLAIN_COMPILED:  # compiled once, as the cached loader does the site's templates
        PLAIN_COMPILED.append(engines["django"].from_string(PLAIN_TEMPLATE))
    return HttpResponse(PLAIN_COMPILED[0].render({"entries": PLAIN_ENTRIES}, request))


def install_floor_urlconf():
    """The project's URLconf plus the floor view, as a module made here: no project file
    changes. The cache is a DummyCache, so that every request is measured uncached."""
    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path(FLOOR_PATH.strip("/") + "/", floor_view),
        path(PLAIN_PATH.strip("/") + "/", plain_view),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[URLCONF] = module
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    override_settings(ROOT_URLCONF=URLCONF, CACHES=dict.fromkeys(settings.CACHES, dummy)).enable()


def check_migrated():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit(
            "The database has unapplied migrations: run `python manage.py migrate` first "
            "(with the same DATABASE_URL)."
        )


def clear_caches():
    for cache in caches.all():
        cache.clear()


# --- What is measured ---------------------------------------------------------------------------


class Page:
    def __init__(self, key, label, url, visitor, *, html=True, target=True):
        self.key, self.label, self.url, self.visitor, self.html = key, label, url, visitor, html
        self.target = html and target  # held to 25 times the floor


def choose_pages():
    """The pages, chosen by the same rules on any dataset (big or small)."""
    from consultations.models import Consultation, Organisation
    from consultations.search import matching
    from consultations.timeline import timeline_entries
    from consultations.views.public import ENTRIES_PER_PAGE

    big = (
        Consultation.objects.published()
        .annotate(motion_count=Count("motions"))
        .order_by("-motion_count", "pk")
        .first()
    )
    if big is None:
        raise SystemExit("No published consultation: run `python manage.py generate_load_data`.")
    motion = big.motions.filter(published=True, adopted_on__isnull=False).order_by("pk").first()
    total = timeline_entries(Consultation.objects.published(), public=True, limit=1).total
    PLAIN_ENTRIES[:] = [
        {"on": entry.on, "label": str(entry.label), "summary": entry.summary, "url": entry.url}
        for entry in timeline_entries(
            Consultation.objects.published(), public=True, limit=YARDSTICK_ENTRIES
        ).entries
    ]
    deep = max(1, math.ceil(total / ENTRIES_PER_PAGE) - 1)
    organisation = (
        Organisation.objects.annotate(
            published=Count(
                "bodies__consultations",
                filter=Q(bodies__consultations__visibility=Consultation.Visibility.PUBLIC),
            )
        )
        .order_by("-published", "pk")
        .first()
    )
    # The list filtered by a clock state and a word: « running » unless no consultation found
    # by the word is running on this dataset. An empty list asks one query fewer (no page of
    # rows), which made the small dataset's count lower than the big one's without any query
    # growing with the data.
    clock = next(
        (
            state
            for state in LIST_CLOCK_STATES
            if matching(Consultation.objects.in_clock_state(state), SEARCH).exists()
        ),
        LIST_CLOCK_STATES[0],
    )
    pages = [
        # For calibration: the base template and a small form, nothing of the data.
        Page("login", "sign-in page (base template)", "/accounts/login/", "anonymous"),
        Page(
            "plain-50",
            f"yardstick: {YARDSTICK_ENTRIES} entries, no query",
            PLAIN_PATH,
            "anonymous",
            target=False,
        ),
        Page("timeline", "public timeline, page 1", "/", "anonymous"),
        Page("timeline-deep", f"public timeline, page {deep}", f"/?page={deep}", "anonymous"),
        Page(
            "timeline-filtered",
            "timeline ?organisation=…&kind=motion",
            f"/?organisation={organisation.pk}&kind=motion",
            "anonymous",
        ),
        Page(
            "consultation-public",
            f"consultation, {big.motion_count} motions (public)",
            f"/consultations/{big.pk}/",
            "anonymous",
        ),
        Page(
            "consultation-member",
            f"consultation, {big.motion_count} motions (member)",
            f"/consultations/{big.pk}/",
            "editor",
        ),
        Page("workspace", "workspace", "/workspace/", "editor"),
        Page(
            "workspace-one",
            "workspace ?organisation=…",
            f"/workspace/?organisation={organisation.pk}",
            "editor",
        ),
        Page(
            "consultation-list",
            f"consultation list ?clock={clock}&q=…",
            f"/workspace/consultations/?clock={clock}&q={SEARCH}",
            "editor",
        ),
        Page(
            "admin-changelist",
            "admin changelist of consultations",
            "/admin/consultations/consultation/",
            "admin",
        ),
        Page("deployments", "register of AI systems", "/deployments/", "anonymous"),
        Page("motion-pdf", "motion PDF", f"/motions/{motion.pk}.pdf", "anonymous", html=False),
    ]
    return pages


def clients():
    user_model = get_user_model()
    result = {"anonymous": Client()}
    for visitor, username in (("editor", "bench-editor"), ("admin", "bench-admin")):
        user = user_model._default_manager.filter(username=username).first()
        if user is None:
            raise SystemExit(f"No user {username}: run `python manage.py generate_load_data`.")
        result[visitor] = Client()
        result[visitor].force_login(user)
    return result


def get(client, url):
    clear_caches()
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return response


def median_ms(client, url, runs, warmups, *, cached=False):
    for _ in range(warmups):
        get(client, url)
    timings = []
    for _ in range(runs):
        if not cached:
            clear_caches()
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return statistics.median(timings) * 1000


def floor_samples(client, runs, warmups):
    for _ in range(warmups):
        get(client, FLOOR_PATH)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(FLOOR_PATH)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def round_robin_medians(targets, runs, warmups):
    """Median ms of each (key, client, url), requested in turn, run after run: a change of the
    machine's load during the benchmark weighs on every page and on the floor alike."""
    errors = {}
    for _ in range(warmups):
        for key, client, url in targets:
            try:
                get(client, url)
            except RuntimeError as error:
                errors[key] = str(error)
    timings = {key: [] for key, _client, _url in targets}
    for _ in range(runs):
        for key, client, url in targets:
            if key in errors:
                continue
            clear_caches()
            start = time.perf_counter()
            response = client.get(url)
            timings[key].append(time.perf_counter() - start)
            if response.status_code != 200:
                errors[key] = f"{url}: HTTP {response.status_code}"
    return {
        key: errors.get(key) or statistics.median(values) * 1000 for key, values in timings.items()
    }


def cached_median_ms(client, url, runs, warmups):
    """For information: the same page served by the project's page cache (a local-memory
    cache, filled by the warm-ups), as anonymous visitors get it between two changes."""
    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}
    with override_settings(CACHES=dict.fromkeys(settings.CACHES, locmem)):
        return median_ms(client, url, runs, warmups, cached=True)


def count_queries(client, url):
    """(number of queries, how many times the most repeated query shape was run)."""
    with CaptureQueriesContext(connection) as context:
        get(client, url)
    shapes = Counter(shape(query["sql"]) for query in context.captured_queries)
    return len(context.captured_queries), max(shapes.values(), default=0)


def query_counts(pages, by_visitor):
    counts = {}
    for page in pages:
        try:
            counts[page.key] = count_queries(by_visitor[page.visitor], page.url)
        except RuntimeError as error:
            counts[page.key] = (str(error), 0)
    return counts


# --- The small dataset, in a child process --------------------------------------------------------


def small_counts(args):
    """Query counts of the same pages on a small dataset: this script again, in a child process
    whose DATABASE_URL is a fresh temporary SQLite database (or --small-database-url)."""
    with tempfile.TemporaryDirectory(prefix="vigie-bench-") as folder:
        url = args.small_database_url or f"sqlite:///{folder}/small.sqlite3"
        env = {**os.environ, "DATABASE_URL": url}
        command = [sys.executable, __file__, "--child-small", str(args.small_scale)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"Small dataset failed:\n{done.stdout}\n{done.stderr}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_small(scale):
    call_command("migrate", verbosity=0)
    call_command("generate_load_data", scale=scale, force=True, verbosity=0)
    install_floor_urlconf()
    pages = choose_pages()
    by_visitor = clients()
    for page in pages:  # warm-up: first-request work (template compilation...) is not counted
        get(by_visitor[page.visitor], page.url)
    counts = {key: count for key, (count, _repeat) in query_counts(pages, by_visitor).items()}
    print(json.dumps({"pages": counts}))


# --- Profiling ------------------------------------------------------------------------------------


def shape(sql):
    """A query with its literal values blanked, to spot the same query repeated (N+1)."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"IN \([?, ]+\)", "IN (…)", sql)


def stats_lines(profiler, sort, restriction, limit):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
    if restriction:
        stats.print_stats(restriction, limit)
    else:
        stats.print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    site = str(Path(django.__file__).parent.parent) + "/"
    return [
        "  " + line.replace(str(ROOT) + "/", "").replace(site, "")
        for line in lines[start : start + limit + 1]
    ]


def profile(page, client):
    """Why a page is slow: its slowest queries, the queries run again and again, the records it
    loads (post_init per model) and where the Python time goes (cProfile)."""
    from django.db.models.signals import post_init

    print(f"\n=== Profile of {page.label} ({page.url}) ===")
    loaded = Counter()

    def count_instance(sender, **kwargs):
        loaded[sender.__name__] += 1

    post_init.connect(count_instance, weak=False)
    try:
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            get(client, page.url)
            elapsed = time.perf_counter() - start
    finally:
        post_init.disconnect(count_instance)
    queries = context.captured_queries
    total = sum(float(query["time"]) for query in queries)
    print(
        f"{elapsed * 1000:.0f} ms, of which {total * 1000:.0f} ms in {len(queries)} queries. "
        "Slowest queries:"
    )
    for query in sorted(queries, key=lambda query: -float(query["time"]))[:4]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:700]}")
    repeated = [(n, sql) for sql, n in Counter(shape(q["sql"]) for q in queries).items() if n > 1]
    if repeated:
        print("Query shapes run more than once:")
        for n, sql in sorted(repeated, reverse=True)[:4]:
            print(f"  {n:5d} x  {sql[:300]}")
    print(
        "Records loaded (model instances): "
        + ", ".join(f"{name} {count}" for name, count in loaded.most_common(8))
    )
    profiler = cProfile.Profile()
    profiler.enable()
    get(client, page.url)
    profiler.disable()
    print("Project code, by cumulative time (under cProfile, which slows everything down):")
    print("\n".join(stats_lines(profiler, "cumulative", r"/consultations/", 18)))
    print("Everything, by own time:")
    print("\n".join(stats_lines(profiler, "tottime", None, 12)))


# --- The report -----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--small-scale", type=float, default=0.05)
    parser.add_argument("--small-database-url", help="an empty database for the small dataset")
    parser.add_argument("--no-small", action="store_true", help="skip the query-count comparison")
    parser.add_argument("--profile", action="store_true", help="profile the failing pages")
    parser.add_argument("--child-small", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_small:
        child_small(args.child_small)
        return

    started = time.perf_counter()
    check_migrated()
    install_floor_urlconf()
    from consultations.models import Consultation

    vendor = connection.vendor
    print(
        f"Database: {vendor} {settings.DATABASES['default']['NAME']} — "
        f"{Consultation.objects.count()} consultations. DEBUG={settings.DEBUG}, "
        f"{args.runs} runs after {args.warmups} warm-ups, medians."
    )
    pages = choose_pages()
    by_visitor = clients()
    # The floor on its own, just before and just after the pages (their median), so that it
    # measures the framework and the middleware, not the garbage a heavy page leaves behind.
    floor_clients = {"anonymous": by_visitor["anonymous"], "signed in": by_visitor["editor"]}
    floor_ms = {kind: [] for kind in floor_clients}
    for kind, client in floor_clients.items():
        floor_ms[kind] += floor_samples(client, args.runs * 2, args.warmups)
    results = round_robin_medians(
        [(page.key, by_visitor[page.visitor], page.url) for page in pages], args.runs, args.warmups
    )
    for kind, client in floor_clients.items():
        floor_ms[kind] += floor_samples(client, args.runs * 2, args.warmups)
    floors = {kind: statistics.median(samples) for kind, samples in floor_ms.items()}
    cached = {
        page.key: cached_median_ms(by_visitor[page.visitor], page.url, args.runs, args.warmups)
        for page in pages
        if page.visitor == "anonymous" and isinstance(results[page.key], float)
    }
    big = query_counts(pages, by_visitor)
    small = None if args.no_small else small_counts(args)

    failures, checks = [], 0
    header = (
        f"{'page':<38}{'visitor':<10}{'median':>10}{'ratio':>8}  {'<=25x':<6}"
        f"{'queries':>7}{'small':>6}  {'const':<6}{'repeat':>6}{'cached':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    for kind, value in floors.items():
        print(f"{'floor (HttpResponse ok)':<38}{kind:<10}{value:>8.2f}ms{1:>8.1f}")
    for page in pages:
        median = results[page.key]
        floor = floors["anonymous" if page.visitor == "anonymous" else "signed in"]
        if isinstance(median, str):
            print(f"{page.label:<38}{page.visitor:<10}  ERROR {median}")
            failures.append(f"{page.key}: {median}")
            continue
        ratio = median / floor
        verdict = "—"
        if page.target:
            checks += 1
            verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
            if verdict == "FAIL":
                failures.append(f"{page.key} {ratio:.0f}x floor")
        (queries, repeat), small_queries, constant = big[page.key], "—", "—"
        if small is not None:
            small_queries = small["pages"].get(page.key, "—")
            checks += 1
            grows = not isinstance(small_queries, int) or queries > small_queries
            constant = "FAIL" if grows else "PASS"
            if grows:
                failures.append(f"{page.key} queries {small_queries} -> {queries}")
        warm = f"{cached[page.key]:.1f}ms" if page.key in cached else "—"
        print(
            f"{page.label:<38}{page.visitor:<10}{median:>8.1f}ms{ratio:>8.1f}  {verdict:<6}"
            f"{queries!s:>7}{small_queries!s:>6}  {constant:<6}{repeat:>6}{warm:>10}"
        )
    listing, admin = results.get("consultation-list"), results.get("admin-changelist")
    if isinstance(listing, float) and isinstance(admin, float):
        checks += 1
        verdict = "PASS" if listing <= admin else "FAIL"
        if verdict == "FAIL":
            failures.append("consultation-list slower than admin-changelist")
        print(
            f"\nconsultation list {listing:.1f} ms vs admin changelist {admin:.1f} ms "
            f"(the list no slower than the admin): {verdict}"
        )
    if "timeline" in cached:
        checks += 1
        ratio = cached["timeline"] / floors["anonymous"]
        verdict = "PASS" if ratio <= MAX_CACHED_RATIO else "FAIL"
        if verdict == "FAIL":
            failures.append(f"cached timeline {ratio:.1f}x floor")
        print(
            f"cached public timeline {cached['timeline']:.2f} ms, {ratio:.2f}x the floor "
            f"(at most {MAX_CACHED_RATIO}x): {verdict}"
        )
    print(
        "ratio: median / floor of the same visitor (anonymous or signed in); <=25x: HTML pages "
        "only; the yardstick is the issue's measure of 25 times the floor (a plain template of "
        "the timeline's entries in the site's layout, no form, no query), not a target."
        "\nqueries: SQL queries of one request on this dataset; small: the same page on a "
        f"fresh --scale {args.small_scale} dataset; const: PASS when this dataset needs no more "
        "queries than the small one (a page may need fewer when its rows happen to hold fewer "
        "kinds of records, never more); repeat: runs of the most repeated query shape (N+1); "
        "cached: for information, anonymous pages served from a warm local-memory cache."
    )
    if small is None and not args.no_small:
        print("Query counts on the small dataset: not available (see the error above).")
    if args.profile:
        failing = {entry.split()[0].rstrip(":") for entry in failures}
        for page in pages:
            if page.key in failing:
                profile(page, by_visitor[page.visitor])

    elapsed = time.perf_counter() - started
    if failures:
        print(
            f"\nSUMMARY: FAIL — {len(failures)} of {checks} checks failed ({vendor}, "
            f"{elapsed:.0f} s): " + "; ".join(failures)
        )
    else:
        print(f"\nSUMMARY: PASS — all {checks} checks passed ({vendor}, {elapsed:.0f} s).")


if __name__ == "__main__":
    main()

"""The cache of public pages, shared by every application server (CACHE_URL).

A page is stored under a key that contains the *public version*, a token that every change to a
record bumps (consultations/signals.py): after an edit, no server serves the old page again, as
the old key is never asked for. The same token makes the ETag, so browsers and proxies can ask
"has it changed?" and get a 304.

The key holds today's date too: a public page says what the day makes of the legal dates (a
period that ran out is an opinion deemed negative, R2312-6; an answer not received by its date is
overdue), so yesterday's page is never served today, nor confirmed by a 304.

And it holds the *release*, a digest of the code, templates, catalogues and static files that
write the pages (``code_release``): after an upgrade, a page written by the previous release is
not served again, nor confirmed by a 304, though no record changed.

Only anonymous visitors get cached pages: a signed-in member's pages show internal records. Nor
is a page cached that shows a visitor's own message ("Le document … est enregistré", left for
them when they signed out), or that carries a parameter the page does not read, a parameter
twice, or a value the page does not accept (the view says so: ``keep_out_of_the_cache``): each
junk value would store a copy. The key holds the query as the page reads it (sorted, empty values
left out) and the host and scheme the page's absolute links are built from (the Atom feed's), so
a forged Host header cannot put its links in every reader's copy; with a wildcard ALLOWED_HOSTS,
each host name has its own copies. Searches (?q=) are stored each: give Redis a ``maxmemory``
with an LRU policy.

The cache must be shared by every process that serves the pages (CACHE_URL=redis://…): a local
memory cache is one per process, and a page retired in the one that saved the edit is still served
by the others for up to PAGE_TIMEOUT. ``check --deploy`` warns of it (consultations/checks.py).
"""

import hashlib
import uuid
from functools import lru_cache, partial, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language

PUBLIC_VERSION_KEY = "public-version"
PAGE_TIMEOUT = 3600
# What writes a public page: its code, its templates, the catalogues of its words, the static
# files its links are named after (BASE_DIR-relative).
RELEASE_FOLDERS = ("config", "consultations", "templates", "locale", "static")


@lru_cache(maxsize=1)
def code_release() -> str:
    """A digest of the files that write the public pages, read once per process. Every server
    of one release computes the same; a new release, another."""
    digest = hashlib.sha256()
    root = settings.BASE_DIR
    for folder in RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def public_version() -> str:
    version = cache.get(PUBLIC_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(PUBLIC_VERSION_KEY, version, timeout=None)
        version = cache.get(PUBLIC_VERSION_KEY, version)
    return version


def bump_public_version() -> None:
    """Called on every change of a record: every cached public page becomes unreachable."""
    cache.set(PUBLIC_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def retire_public_pages() -> None:
    """Every cached public page retired now, and again once the change is committed: a page
    read between the first retirement and the commit still shows the records as they were, and
    would be kept under the new version."""
    bump_public_version()
    transaction.on_commit(bump_public_version)


def etag_matches(request, etag) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(candidate.strip() in (etag, f"W/{etag}") for candidate in header.split(","))


def keep_out_of_the_cache(response):
    """For a cached view: this answer is not stored (its query held a value the page does not
    accept, such as a page number it corrected or a filter it refused)."""
    response.shared_cache = False
    return response


def canonical_query(query, known):
    """The query as the page reads it, or None when it is not to be stored: a parameter the page
    does not read, or one given twice. Empty values are left out (a filter form sends all its
    fields) and the rest sorted."""
    items = []
    for name in query:
        values = query.getlist(name)
        if name not in known or len(values) > 1:
            return None
        if values[0]:
            items.append((name, values[0]))
    return urlencode(sorted(items))


def cached_public_page(view=None, *, parameters=()):
    """Serve anonymous GET requests from the shared cache, with an ETag and 304 answers.
    ``parameters``: the query parameters the page reads; a request with any other is served
    without the cache."""
    if view is None:
        return partial(cached_public_page, parameters=parameters)
    known = set(parameters)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        query = canonical_query(request.GET, known)
        if (
            request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or query is None
            or len(get_messages(request))  # counted, not read: they stay for the page
        ):
            return view(request, *args, **kwargs)
        version = public_version()
        today = timezone.localdate().isoformat()
        identity = "|".join(
            (
                code_release(),
                version,
                today,
                get_language(),
                request.scheme,
                request.get_host(),
                request.path,
                query,
            )
        )
        digest = hashlib.sha256(identity.encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            key = f"page:{digest}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                cacheable = (
                    response.status_code == 200
                    and not response.cookies
                    and getattr(response, "shared_cache", True)
                    and not getattr(response, "streaming", False)
                )
                if cacheable:
                    if hasattr(response, "render"):
                        response.render()
                    cache.set(key, response, PAGE_TIMEOUT)
        response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper

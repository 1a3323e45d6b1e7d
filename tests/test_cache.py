"""Public pages come from the shared cache, are never stale after an edit, and answer 304."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(organisation_a):
    return factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        title="Titre avant",
        visibility=Consultation.Visibility.PUBLIC,
        information_received_on=datetime.date(2025, 3, 3),
    )


PAGES = [
    "consultations:public-list",
    "consultations:timeline-feed",
    "consultations:deployment-list",
]


def url_of(name, consultation):
    return reverse(name)


@pytest.mark.parametrize("name", PAGES)
def test_it_serves_the_second_visit_from_the_cache(client, published, name):
    url = reverse(name)
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.content == first.content
    assert len(queries) <= 1  # the session check at most: no page query


def test_it_is_never_stale_after_an_edit(client, published):
    detail = reverse("consultations:consultation-detail", args=[published.pk])
    for url in (
        reverse("consultations:public-list"),
        detail,
        reverse("consultations:timeline-feed"),
    ):
        assert "Titre avant" in client.get(url).content.decode()
    published.title = "Titre après"
    published.save()
    for url in (
        reverse("consultations:public-list"),
        detail,
        reverse("consultations:timeline-feed"),
    ):
        page = client.get(url).content.decode()
        assert "Titre après" in page and "Titre avant" not in page


def test_it_is_never_stale_after_a_related_change(client, published):
    url = reverse("consultations:consultation-detail", args=[published.pk])
    client.get(url)
    factories.MotionFactory(consultation=published, title="Motion nouvelle")
    assert "Motion nouvelle" in client.get(url).content.decode()
    meeting = factories.MeetingFactory(body=published.body)
    meeting.consultations.add(published)
    assert "réunion du" in client.get(url).content.decode()


def test_it_answers_conditional_requests(client, published):
    url = reverse("consultations:public-list")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    published.title = "Autre titre"
    published.save()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_it_is_never_stale_after_midnight(client, published):
    """The page of the day before the deadline must not be served the day after: what was "à
    venir" is now an opinion deemed negative (R2312-6). Nor may a 304 confirm it."""
    url = reverse("consultations:consultation-detail", args=[published.pk])
    with time_machine.travel(datetime.datetime(2025, 4, 3, 18, 0), tick=False):
        before = client.get(url)
    with time_machine.travel(datetime.datetime(2025, 4, 4, 9, 0), tick=False):
        revalidated = client.get(url, headers={"if-none-match": before["ETag"]})
        after = client.get(url)
    assert revalidated.status_code == 200
    assert "Délai écoulé sans avis" not in before.content.decode()
    assert "Délai écoulé sans avis" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_it_never_caches_a_members_page(published, reader_a, client):
    published.internal_notes = "NOTE-INTERNE"
    published.save()
    url = reverse("consultations:consultation-detail", args=[published.pk])
    assert "NOTE-INTERNE" in client_for(reader_a).get(url).content.decode()
    assert "NOTE-INTERNE" not in client.get(url).content.decode()
    assert "NOTE-INTERNE" in client_for(reader_a).get(url).content.decode()


@pytest.mark.parametrize(
    "url_name", ["consultations:consultation-detail", "consultations:workspace", "deployment-csv"]
)
def test_no_cache_keeps_what_a_member_reads(published, reader_a, client, url_name):
    """A member's pages carry internal records: private, no-store; a visitor's public page
    keeps its own revalidation headers."""
    if url_name == "deployment-csv":
        url = reverse("consultations:deployment-csv")
    elif url_name == "consultations:consultation-detail":
        url = reverse(url_name, args=[published.pk])
    else:
        url = reverse(url_name)
    member = client_for(reader_a).get(url)
    assert member.status_code == 200
    assert "private" in member["Cache-Control"] and "no-store" in member["Cache-Control"]
    if url_name == "consultations:consultation-detail":
        assert client.get(url)["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_page_that_never_looks_at_the_user_does_not_load_it(reader_a, client):
    """The middleware marks members' pages private without costing the other pages the
    session's and the user's queries (bench/pages.py's floor stays a bare view)."""
    from django.http import HttpRequest, HttpResponse
    from django.utils.functional import SimpleLazyObject

    from consultations.middleware import PrivateMemberResponsesMiddleware

    loaded = []
    request = HttpRequest()
    request.user = SimpleLazyObject(lambda: loaded.append(True) or reader_a)
    response = PrivateMemberResponsesMiddleware(lambda request: HttpResponse("ok"))(request)
    assert not loaded and not response.has_header("Cache-Control")
    request.user.is_authenticated  # the view looked at the user  # noqa: B018
    response = PrivateMemberResponsesMiddleware(lambda request: HttpResponse("ok"))(request)
    assert "no-store" in response["Cache-Control"]


def test_it_keeps_a_page_per_language(client, published):
    url = reverse("consultations:public-list")
    french = client.get(url).content.decode()
    client.get(reverse("consultations:switch-language", args=["en"]) + "?next=/")
    english = client.get(url).content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english


def test_it_switches_language_without_open_redirects(client):
    response = client.get(
        reverse("consultations:switch-language", args=["en"]) + "?next=https://evil.example/"
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"
    assert client.get(reverse("consultations:switch-language", args=["xx"])).status_code == 404


def stored(client, url, query=None) -> bool:
    """Whether a second visit is served from the cache (no page query)."""
    client.get(url, query or {})
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query or {})
    return len(queries) <= 1


@pytest.mark.parametrize(
    "query",
    [
        {"utm": "1"},  # a parameter the page does not read
        {"page": "x1"},  # a page number the paginator corrects
        {"page": "999"},
        {"start": "zz"},  # a filter the form refuses
        {"organisation": ["1", "1"]},  # a parameter twice
    ],
)
def test_a_query_the_page_does_not_take_as_given_skips_the_cache(client, published, query):
    """Each junk value (?utm=1, ?page=x1, ?page=x2…) would store a copy of the page for an
    hour; the page is still served."""
    url = reverse("consultations:public-list")
    assert "Titre avant" in client.get(url, query).content.decode()
    assert not stored(client, url, query)


def test_the_query_as_the_page_reads_it_is_the_key(client, published, organisation_a):
    url = reverse("consultations:public-list")
    assert stored(client, url, {"organisation": organisation_a.pk})
    # The filter form sends its empty fields: the same page, from the same copy.
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"organisation": organisation_a.pk, "kind": "", "start": ""})
    assert len(queries) <= 1
    register = reverse("consultations:deployment-list")
    assert stored(client, register, {"sort": "-system"})
    assert stored(client, reverse("consultations:timeline-feed"), {"kind": "motion"})


def test_each_scheme_has_its_copy(client, published, settings):
    """The feed's links carry the scheme: an http:// copy is not served over https://."""
    url = reverse("consultations:timeline-feed")
    settings.SECURE_SSL_REDIRECT = False
    assert "http://testserver/" in client.get(url).content.decode()
    assert "https://testserver/" in client.get(url, secure=True).content.decode()


def test_a_visitors_own_message_is_never_cached_for_others(client, published, reader_a):
    """A message left for someone who then signed out shows to them, not to every visitor."""
    client.force_login(reader_a)
    client.post(reverse("consultations:calendar-revoke"))  # leaves "Nouveau lien créé…"
    client.post(reverse("consultations:logout"))
    url = reverse("consultations:deployment-list")
    assert "Nouveau lien créé" in client.get(url).content.decode()
    other = Client()
    assert "Nouveau lien créé" not in other.get(url).content.decode()
    assert "Nouveau lien créé" not in client.get(url).content.decode()  # shown once


def test_a_forged_host_does_not_reach_other_readers(client, published, settings):
    settings.ALLOWED_HOSTS = ["*"]
    url = reverse("consultations:timeline-feed")
    assert "evil.example" in client.get(url, HTTP_HOST="evil.example").content.decode()
    assert "evil.example" not in client.get(url).content.decode()


def test_pages_are_retired_again_when_the_change_is_committed(
    published, django_capture_on_commit_callbacks
):
    """A page read between the save and the commit shows the records as they were: it must not
    stay under the version that follows the edit."""
    from consultations.cache import public_version

    with django_capture_on_commit_callbacks(execute=True):
        published.visibility = Consultation.Visibility.INTERNAL
        published.save()
        during = public_version()
    assert public_version() != during


def test_check_deploy_warns_of_a_cache_local_to_each_process(settings):
    from consultations.checks import shared_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [message.id for message in shared_cache(None)] == ["vigie.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert shared_cache(None) == []


def test_recomputing_the_stored_dates_retires_the_cached_pages(client, published):
    """After a migration that empties the timeline index, or ``manage.py refresh_calendar``,
    the dates are written with update(), which sends no signal: the pages cached before would
    keep the old dates (found by the review of the session's diff)."""
    from consultations.timeline import refresh_stored_calendar

    url = reverse("consultations:consultation-detail", args=[published.pk])
    etag = client.get(url)["ETag"]
    Consultation.objects.filter(pk=published.pk).update(title="Titre recalculé")
    refresh_stored_calendar()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Titre recalculé" in response.content.decode()


def test_a_new_release_serves_no_page_of_the_previous_one(client, published, monkeypatch):
    """After an upgrade, a page written by the previous release (its words, its layout) is
    neither served from the cache nor confirmed by a 304, though no record changed."""
    from consultations import cache as page_cache

    url = reverse("consultations:consultation-detail", args=[published.pk])
    monkeypatch.setattr(page_cache, "code_release", lambda: "release-1")
    before = client.get(url)
    monkeypatch.setattr(page_cache, "code_release", lambda: "release-2")
    with CaptureQueriesContext(connection) as queries:
        revalidated = client.get(url, headers={"if-none-match": before["ETag"]})
    assert revalidated.status_code == 200
    assert revalidated["ETag"] != before["ETag"]
    assert len(queries) > 1  # written again, not taken from the cache


def test_the_release_is_a_digest_of_the_files_that_write_the_pages(settings, tmp_path):
    from consultations.cache import RELEASE_FOLDERS, code_release

    for folder in RELEASE_FOLDERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "templates" / "page.html").write_text("avant")
    settings.BASE_DIR = tmp_path
    code_release.cache_clear()
    try:
        first = code_release()
        (tmp_path / "templates" / "page.html").write_text("après")
        code_release.cache_clear()
        assert code_release() != first
    finally:
        code_release.cache_clear()

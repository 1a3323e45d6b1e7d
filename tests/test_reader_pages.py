"""What a reader and a visitor meet around the pages (found by the QA pass as a reader): error
pages that fit who reads them, addresses followed by hand, the feeds' filters and names, and a
few words and names."""

import html
import re

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import translation

from consultations import pdf
from consultations.feeds import calendar_for
from consultations.filters import PublicTimelineFilter
from consultations.models import Consultation

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db


def text_of(response):
    return html.unescape(response.content.decode())


def test_the_not_found_page_asks_only_visitors_to_sign_in(client, reader_a, organisation_b):
    internal = factories.ConsultationFactory(body__organisation=organisation_b)
    url = reverse("consultations:consultation-detail", args=[internal.pk])
    visitor, member = client.get(url), client_for(reader_a).get(url)
    assert visitor.status_code == member.status_code == 404
    assert "connectez-vous" in text_of(visitor)
    assert "connectez-vous" not in text_of(member)
    assert "dont vous n'êtes pas membre" in text_of(member)


def test_a_form_refused_by_the_csrf_check_gets_the_sites_page(editor_a):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("consultations:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = text_of(response)
    assert "Formulaire expiré" in text and "rien n'a été enregistré" in text
    assert "Vigie" in text and "CSRF verification failed" not in text
    # Signed in too: a form opened before signing in, in another tab.
    strict.force_login(editor_a)
    refused = strict.post(reverse("consultations:consultation-create"), {"title": "Titre"})
    assert refused.status_code == 403 and "Formulaire expiré" in text_of(refused)


def test_signing_out_by_its_address_offers_the_button(reader_a, client):
    member = client_for(reader_a)
    page = member.get(reverse("consultations:logout"))
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode() and "Se déconnecter" in text_of(page)
    assert get_user(member).is_authenticated  # a GET signs no one out
    assert member.post(reverse("consultations:logout")).status_code == 302
    assert not get_user(member).is_authenticated
    assert client.get(reverse("consultations:logout")).url == reverse("consultations:login")


def test_the_atom_feed_has_an_author_and_refuses_a_filter_it_cannot_apply(client):
    feed = client.get(reverse("consultations:timeline-feed"))
    assert (
        feed.status_code == 200 and "<author><name>Vigie</name></author>" in feed.content.decode()
    )
    for query in (
        {"organisation": "abc"},
        {"kind": "xyz"},
        {"start": "2026-01-01", "end": "2020-01-01"},
    ):
        assert client.get(reverse("consultations:timeline-feed"), query).status_code == 400


def test_the_calendar_is_named_in_the_readers_language(reader_a):
    with translation.override("en"):
        assert b"X-WR-CALNAME:Vigie \xe2\x80\x94 due dates" in calendar_for(reader_a)
    with translation.override("fr"):
        assert "X-WR-CALNAME:Vigie — échéances".encode() in calendar_for(reader_a)


def test_the_timeline_offers_no_cssct_as_the_council_consulted():
    kinds = dict(PublicTimelineFilter.base_filters["body_kind"].extra["choices"])
    assert "cssct" not in kinds and {"cse", "cse_central", "cse_establishment"} <= set(kinds)


def test_a_system_without_go_live_dates_says_so(reader_a, organisation_a):
    deployment = factories.DeploymentFactory(organisation=organisation_a)
    page = text_of(
        client_for(reader_a).get(reverse("consultations:deployment-detail", args=[deployment.pk]))
    )
    assert "Non renseignée" in page and "prévue —" not in page


def test_the_members_dossier_says_internal_in_its_name(organisation_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a, visibility=Consultation.Visibility.PUBLIC
    )
    assert pdf.dossier_pdf(consultation, public=False)[0].endswith("-interne.pdf")
    assert not pdf.dossier_pdf(consultation, public=True)[0].endswith("-interne.pdf")


def test_the_sign_in_link_comes_back_to_the_page_as_it_was(client):
    page = client.get(reverse("consultations:deployment-list"), {"sort": "system"})
    assert "?next=/deployments/%3Fsort%3Dsystem" in page.content.decode()


def test_the_site_has_an_icon(client):
    assert 'rel="icon"' in client.get(reverse("consultations:public-list")).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"risk_tier": "bad", "kind": "vote"},
        {"start": "2026-01-01", "end": "2020-01-01"},
        {"start": "2025-01-01", "end": "pas une date"},
        {"organisation": "", "kind": "", "start": "", "end": ""},  # an empty form sent
    ],
)
def test_the_timelines_feed_links_always_answer(client, query):
    """The page applies what it can and says what it left aside; its feed links carry only
    what it applied, since the feed refuses a filter it cannot apply (review)."""
    page = client.get(reverse("consultations:public-list"), query).content.decode()
    links = set(re.findall(r'href="(/feeds/timeline\.atom[^"]*)"', page))
    assert links
    for link in links:
        assert client.get(html.unescape(link)).status_code == 200, link

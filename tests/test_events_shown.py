"""The events of a consultation (a strike, a press article, the go-live...) are shown on its page
and in its dossier, with their text and source: the timeline's entries link to them (found by
the QA pass as a reader: the links led nowhere and the text and source showed nowhere)."""

import html
import re

import pytest
from django.urls import reverse

from consultations.models import Consultation, Event

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
SOURCE = "https://cfdt-orange.org/lia-mais-pour-quoi-faire-avril-2025"


@pytest.fixture
def consultation(organisation_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment__organisation=organisation_a,
        visibility=Consultation.Visibility.PUBLIC,
    )
    factories.EventFactory(
        consultation=consultation,
        kind=Event.Kind.GO_LIVE,
        title="La direction déploie l'outil",
        text="Mis en service **sans réponse** aux deux motions.",
        source_url=SOURCE,
        public=True,
    )
    factories.EventFactory(
        consultation=consultation, title="Réunion avec l'inspection", public=False
    )
    return consultation


def page_of(client, consultation):
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    return html.unescape(client.get(url).content.decode())


def test_the_public_reads_the_published_events_where_the_timeline_links(client, consultation):
    page = page_of(client, consultation)
    published = Event.objects.get(public=True)
    assert f'id="event-{published.pk}"' in page
    assert "La direction déploie l'outil" in page and "<strong>sans réponse</strong>" in page
    assert f'href="{SOURCE}"' in page
    assert "Réunion avec l'inspection" not in page
    # Every anchor of the page's timeline leads somewhere on the page.
    for anchor in re.findall(r'href="#([\w-]+)"', page):
        assert f'id="{anchor}"' in page, anchor
    timeline = html.unescape(client.get(reverse("consultations:public-list")).content.decode())
    assert f"/consultations/{consultation.pk}/#event-{published.pk}" in timeline


def test_members_read_the_internal_ones_too(consultation, reader_a):
    page = page_of(client_for(reader_a), consultation)
    internal = Event.objects.get(public=False)
    assert f'id="event-{internal.pk}"' in page and "Réunion avec l'inspection" in page


def test_an_empty_section_says_what_events_are(client, organisation_a, reader_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a, visibility=Consultation.Visibility.PUBLIC
    )
    factories.EventFactory(consultation=consultation, public=False)
    # The public is told of none published, not that none happened.
    assert "Aucun événement publié." in page_of(client, consultation)
    Event.objects.all().delete()
    member = page_of(client_for(reader_a), consultation)
    assert "Aucun événement enregistré (grève, article de presse" in member


def test_the_dossier_holds_them(consultation):
    from consultations import pdf

    from .test_pdf import flat, pdf_text

    public = flat(pdf_text(pdf.dossier_pdf(consultation, public=True)[2])[0])
    assert "La direction déploie l'outil" in public and "sans réponse aux deux motions" in public
    assert SOURCE in public.replace(" ", "")
    assert "Réunion avec l'inspection" not in public
    internal = flat(pdf_text(pdf.dossier_pdf(consultation, public=False)[2])[0])
    assert "Réunion avec l'inspection" in internal


def test_a_signed_in_member_of_another_organisation_reads_the_public_ones(consultation, editor_b):
    page = page_of(client_for(editor_b), consultation)
    assert "La direction déploie l'outil" in page
    assert "Réunion avec l'inspection" not in page


def test_a_change_of_an_event_retires_the_cached_page(client, consultation, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    internal = Event.objects.get(public=False)
    assert "Réunion avec l'inspection" not in page_of(client, consultation)
    internal.public = True
    internal.save()
    assert "Réunion avec l'inspection" in page_of(client, consultation)


def test_an_event_saved_without_its_form_is_shown_inert(client, consultation):
    """A record restored raw (an archive) skips the form's checks: the page still links only a
    web address and escapes the text."""
    Event.objects.filter(public=True).update(
        title="<script>alert(1)</script>",
        text="[cliquez](javascript:alert(1)) <img src=x onerror=alert(1)>",
        source_url="javascript:alert(1)",
    )
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    raw = client.get(url).content.decode()
    section = raw[raw.index('id="events"') :]
    assert "<script>alert" not in section and "onerror" not in section
    assert 'href="javascript:' not in section
    assert "javascript:alert(1)" in html.unescape(section)  # shown as text


def test_the_form_takes_web_addresses_only(consultation):
    from django.core.exceptions import ValidationError

    event = Event.objects.get(public=True)
    event.source_url = "ftp://example.org/tract.pdf"
    with pytest.raises(ValidationError):
        event.full_clean()

"""The public timeline in a real browser: published consultations of two organisations, filters
kept in the URL, links to the consultation pages, nothing of an internal consultation.

Each page is photographed at 1280 and 360 px wide (test-artifacts/) and scanned with axe-core.
"""

import datetime
import re

import pytest

from consultations.models import Consultation, Expertise, ManagementResponse, Vote
from tests import factories
from tests.browser.conftest import screenshot, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

NARROW = {"width": 360, "height": 800}
WIDE = {"width": 1280, "height": 900}
SECRET_SYSTEM = "Projet confidentiel de notation"
SECRET_MOTION = "Motion secrète sur la notation"


def published_consultation(organisation, *, system, motion_title, visibility, day=14):
    """A consultation with a meeting, two unanimous votes (an expert, a motion), the published
    motion and management's answer."""
    body = factories.BodyFactory(organisation=organisation, name=f"CSE de {organisation.name}")
    consultation = factories.ConsultationFactory(
        body=body,
        deployment=factories.DeploymentFactory(organisation=organisation, name=system),
        title=f"Consultation sur « {system} »",
        visibility=visibility,
        summary="Le CSE a désigné un expert puis adopté une motion.",
    )
    meeting = factories.MeetingFactory(body=body, held_on=datetime.date(2025, 3, day))
    meeting.consultations.add(consultation)
    expert_vote = factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject=Vote.Subject.APPOINT_EXPERT,
        question="Le CSE désigne le cabinet Exemple",
    )
    factories.ExpertiseFactory(
        consultation=consultation,
        appointing_vote=expert_vote,
        designated_on=meeting.held_on,
        ground=Expertise.Ground.NEW_TECHNOLOGY,
    )
    motion_vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    motion = factories.MotionFactory(
        consultation=consultation,
        adopting_vote=motion_vote,
        title=motion_title,
        adopted_on=meeting.held_on,
        published=True,
    )
    factories.ManagementResponseFactory(
        consultation=consultation,
        received_on=datetime.date(2025, 4, day),
        stance=ManagementResponse.Stance.REJECTS,
    ).motions.add(motion)
    return consultation


@pytest.fixture
def consultations(organisation_a, organisation_b):
    return {
        "a": published_consultation(
            organisation_a,
            system="Analyse des appels",
            motion_title="Motion sur la notation des appels",
            visibility=Consultation.Visibility.PUBLIC,
            day=14,
        ),
        "b": published_consultation(
            organisation_b,
            system="Planification automatique",
            motion_title="Motion sur les plannings",
            visibility=Consultation.Visibility.PUBLIC,
            day=20,
        ),
        "internal": published_consultation(
            organisation_a,
            system=SECRET_SYSTEM,
            motion_title=SECRET_MOTION,
            visibility=Consultation.Visibility.INTERNAL,
            day=17,
        ),
    }


def assert_accessible(page, name):
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def photograph(page, name):
    """The page at desktop and phone widths: no sideways scroll and no serious axe violation on
    a phone either."""
    page.set_viewport_size(WIDE)
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    screenshot(page, f"{name}-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"] + 1, f"{name}: {width} px wide at 360 px"
    assert_accessible(page, f"{name} at 360 px")
    page.set_viewport_size(WIDE)


def print_preview(page, name):
    """The page as printed: black on white, without the top bar, the filters or the buttons."""
    page.emulate_media(media="print")
    screenshot(page, f"{name}-print")
    assert page.locator("h1").is_visible()
    for hidden in ("body > header nav", "main form", "main .btn", "body > footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).color,
                  getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector("main a")).color]"""
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"], colours
    page.emulate_media(media="screen")


def entry_organisations(page):
    """The organisation named under each entry of the timeline."""
    lines = page.locator(".public-timeline .timeline-entry > div.small").all_inner_texts()
    return {line.split(" · ")[0] for line in lines}


def assert_nothing_internal(page, internal):
    content = page.content()
    assert SECRET_SYSTEM not in content
    assert SECRET_MOTION not in content
    hrefs = page.locator("main a").evaluate_all("links => links.map(link => link.href)")
    assert not [href for href in hrefs if f"/consultations/{internal.pk}/" in href]


def test_the_public_timeline_shows_published_consultations_and_filters_them(
    page, live_server, consultations, organisation_a, organisation_b
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    entries = page.locator(".public-timeline .timeline-entry")
    assert entries.count() > 0
    assert entry_organisations(page) == {"Organisation A", "Organisation B"}
    timeline = page.locator(".public-timeline").inner_text()
    assert "Motion n°\u00a02025-01 — Motion sur les plannings" in timeline
    assert "Désignation d'un expert\u00a0: adoptée à l'unanimité, 9 pour" in timeline
    assert_nothing_internal(page, consultations["internal"])
    assert_accessible(page, "public timeline")
    photograph(page, "public-timeline")
    print_preview(page, "public-timeline")

    # Filter on organisation B: its entries only, the choice kept in the form and the URL.
    page.select_option("#id_organisation", label="Organisation B")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    assert re.search(rf"[?&]organisation={organisation_b.pk}(&|$)", page.url), page.url
    assert page.locator("#id_organisation").input_value() == str(organisation_b.pk)
    assert entries.count() > 0
    assert entry_organisations(page) == {"Organisation B"}
    assert "Motion sur la notation des appels" not in page.locator("main").inner_text()
    assert_nothing_internal(page, consultations["internal"])
    photograph(page, "public-timeline-filtered")

    # An entry leads to its consultation page, at the entry's place.
    b = consultations["b"]
    with page.expect_navigation():
        page.locator(".public-timeline a", has_text="Motion sur les plannings").click()
    assert re.search(rf"/consultations/{b.pk}/#motion-\d+$", page.url), page.url
    assert page.locator("h1").inner_text() == b.title
    assert page.locator("#opinion").get_by_text("Motion sur les plannings").count() == 1
    assert "adoptée à l'unanimité" in page.locator("#votes").inner_text()
    assert_accessible(page, "public consultation page")
    photograph(page, "public-consultation")
    print_preview(page, "public-consultation")


def test_the_internal_consultation_never_appears_in_public(page, live_server, consultations):
    internal = consultations["internal"]
    for query in ("", "?kind=motion", f"?deployment={internal.deployment.pk}"):
        page.goto(f"{live_server.url}/{query}")
        assert_nothing_internal(page, internal)
    options = page.locator("#id_deployment option").all_inner_texts()
    assert not [option for option in options if SECRET_SYSTEM in option]
    response = page.goto(f"{live_server.url}/consultations/{internal.pk}/")
    assert response.status == 404
    feed = page.request.get(f"{live_server.url}/feeds/timeline.atom")
    assert feed.ok
    assert "Motion sur les plannings" in feed.text()
    assert SECRET_SYSTEM not in feed.text()
    assert SECRET_MOTION not in feed.text()


def test_an_event_and_an_information_only_matter_read_as_they_should(
    page, live_server, consultations, organisation_a
):
    """An event's entry leads to its text and source on the consultation page (the link led
    nowhere before); a matter the council is only informed of reads « Information seule », with
    no last day (L2312-38 al. 1 and 2). Both pages are photographed and scanned."""
    a = consultations["a"]
    event = factories.EventFactory(
        consultation=a,
        kind="press",
        title="Article sur la notation des appels",
        text="Le journal cite la motion du CSE.",
        source_url="https://example.org/article",
        occurred_on=datetime.date(2025, 4, 20),
        public=True,
    )
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.locator(".public-timeline a", has_text="Article sur la notation des appels").click()
    assert page.url.endswith(f"/consultations/{a.pk}/#event-{event.pk}"), page.url
    section = page.locator(f"#event-{event.pk}")
    assert section.is_visible() and "Le journal cite la motion du CSE." in section.inner_text()
    assert section.get_by_role("link", name="https://example.org/article").count() == 1
    photograph(page, "public-consultation-events")

    informed = factories.ConsultationFactory(
        body=a.body,
        deployment=a.deployment,
        title="Outil de présélection des candidatures",
        legal_bases=["L2312-38-1"],
        visibility=Consultation.Visibility.PUBLIC,
    )
    page.goto(f"{live_server.url}/consultations/{informed.pk}/")
    assert page.locator("main header .badge", has_text="Information seule").count() == 1
    assert "le CSE est seulement informé" in page.locator("#information-only").inner_text()
    assert "réputé négatif" not in page.locator("main header").inner_text()
    photograph(page, "public-consultation-information-only")

"""An editor records a consultation in the admin, in a real browser."""

import pytest

from consultations.models import Consultation
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lets_an_editor_record_a_consultation_in_the_admin(
    page, live_server, editor_a, organisation_a
):
    factories.BodyFactory(organisation=organisation_a, name="CSE de A")
    factories.DeploymentFactory(organisation=organisation_a, name="Analyse des émotions")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor-a")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/consultations/consultation/add/")
    page.fill("#id_title", "Consultation sur l'analyse des émotions")
    page.select_option("#id_body", label="CSE de A")
    page.select_option("#id_deployment", label="Analyse des émotions (Organisation A)")
    page.check("input[name=legal_bases][value='L2312-8']")
    page.fill("#id_information_received_on", "03/03/2025")
    screenshot(page, "admin-consultation-add")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    consultation = Consultation.objects.get()
    assert consultation.legal_bases == ["L2312-8"]
    assert str(consultation.information_received_on) == "2025-03-03"
    screenshot(page, "admin-consultation-list")


def test_it_shows_the_public_page_in_french(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Ce que les CSE ont décidé sur l'IA"
    assert "Aucune consultation n" in page.content()


@pytest.mark.parametrize(
    "model", ["vote", "meeting", "expertise", "event", "body", "managementresponse", "clockstop"]
)
def test_the_admins_lists_fit_a_1280_pixel_screen(page, live_server, superuser, model):
    """The lists of votes, meetings, expertises... hid their last columns (a vote's result) at
    1280 pixels: Django keeps a related record's name (a consultation's long title) and the
    column headings on one line."""
    title = "Déploiement de l'outil d'analyse des émotions dans la voix des conseillers clientèle"
    consultation = factories.ConsultationFactory(
        title=title, body__name="CSE de l'établissement de Strasbourg (Téléservices Grand Est)"
    )
    meeting = factories.MeetingFactory(body=consultation.body, minutes_sent_on="2025-03-20")
    factories.VoteFactory(meeting=meeting, consultation=consultation)
    factories.ExpertiseFactory(consultation=consultation)
    factories.EventFactory(consultation=consultation, deployment=consultation.deployment)
    factories.ManagementResponseFactory(consultation=consultation)
    factories.ClockStopFactory(consultation=consultation)
    factories.BodyFactory(organisation=consultation.body.organisation, parent=consultation.body)
    superuser.set_password("pw")
    superuser.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/consultations/{model}/")
    width, visible = page.evaluate(
        "(() => { const e = document.querySelector('.results'); "
        "return [e.scrollWidth, e.clientWidth]; })()"
    )
    assert width <= visible, screenshot(page, f"admin-{model}-list")


def test_the_admins_consultation_page_fits_a_1280_pixel_screen(page, live_server, editor_a):
    """Its rows of expertises, motions, answers and documents made it 2237 pixels wide: « Adoptée
    le », « Numéro », « Publiée » and « Supprimer ? » were out of view (found by an editor's QA
    pass). They are stacked now, and an answer's motions are boxes to tick."""
    from consultations.models import Vote

    consultation = factories.ConsultationFactory(
        body__organisation=editor_a.memberships.get().organisation,
        title="Déploiement de l'outil d'analyse des émotions dans la voix des conseillers",
    )
    meeting = factories.MeetingFactory(body=consultation.body)
    question = (
        "Le CSE décide de recourir à un expert habilité pour l'éclairer sur le projet "
        "d'analyse des émotions dans la voix des conseillers clientèle (L2315-94 2°)"
    )
    appointing = factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject=Vote.Subject.APPOINT_EXPERT,
        question=question,
    )
    factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=appointing, expert_firm="Cabinet Travail"
    )
    adopting = factories.VoteFactory(meeting=meeting, consultation=consultation, question=question)
    motion = factories.MotionFactory(
        consultation=consultation,
        adopting_vote=adopting,
        title="Motion du CSE contre l'analyse des émotions dans la voix des conseillers clientèle",
    )
    answer = factories.ManagementResponseFactory(consultation=consultation)
    answer.motions.set([motion])
    factories.DocumentFactory(
        consultation=consultation,
        title="Note d'information de la direction sur l'outil d'analyse des émotions",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor-a")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/consultations/consultation/{consultation.pk}/change/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, screenshot(page, "admin-consultation-change")
    assert page.locator("input[type=checkbox][name=responses-0-motions]").is_checked()
    for field in ("id_motions-0-adopted_on", "id_motions-0-published", "id_motions-0-DELETE"):
        box = page.locator(f"#{field}").bounding_box()
        assert box["x"] + box["width"] <= 1280, field

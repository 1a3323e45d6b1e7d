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

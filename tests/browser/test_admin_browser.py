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

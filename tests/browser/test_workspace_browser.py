"""Representatives at work in a real browser: an editor records a consultation, a meeting with its
votes and motion, its minutes sent later, and management's answer; a reader sees the file without
any edit button.

Each page is photographed at 1280 and 360 px wide (test-artifacts/) and scanned with axe-core.
"""

import re

import pytest

from consultations.models import Consultation, Demand, ManagementResponse, Meeting, Motion, Vote
from tests import factories
from tests.browser.conftest import screenshot, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
TITLE = "Consultation sur l'analyse des émotions"
MEETING_DAY = "2025-03-14"
MINUTES_SENT = "2025-03-25"
MOTION_TITLE = "Motion sur la notation des appels"
MOTION_TEXT = "Le CSE **demande** l'abandon de la notation automatique des appels."
ANSWER = "La direction renonce à la notation automatique."
NARROW = {"width": 360, "height": 800}
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()


def submit(page):
    """The save button of the page's form (not the language switch of the top bar)."""
    with page.expect_navigation():
        page.click("main form.vigie-form button[type=submit]")


def assert_accessible(page, name):
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def assert_no_horizontal_scroll(page, name):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{name}: {width} px wide"


def photograph(page, name):
    """The page at desktop and phone widths: on a phone, no sideways scroll and no serious axe
    violation either (a table that scrolls must take the keyboard focus)."""
    page.set_viewport_size(WIDE)
    screenshot(page, name)
    page.set_viewport_size(NARROW)
    screenshot(page, f"{name}-360")
    assert_no_horizontal_scroll(page, name)
    assert_accessible(page, f"{name} at 360 px")
    page.set_viewport_size(WIDE)


def fill_vote(page, index, *, subject, question, votes_for, present):
    prefix = f"#id_votes-{index}-"
    page.select_option(f"{prefix}subject", subject)
    page.fill(f"{prefix}question", question)
    page.fill(f"{prefix}votes_for", str(votes_for))
    page.fill(f"{prefix}voting_members_present", str(present))


def test_an_editor_records_a_consultation_its_meeting_and_the_answer(
    page, live_server, editor_a, organisation_a
):
    factories.BodyFactory(organisation=organisation_a, name="CSE de A", seats=9)
    factories.DeploymentFactory(organisation=organisation_a, name="Analyse des émotions")
    sign_in(page, live_server, "editor-a")

    # The consultation.
    page.goto(f"{live_server.url}/workspace/consultations/new/")
    assert page.locator("h1").inner_text() == "Nouvelle consultation"
    assert_accessible(page, "consultation form")
    photograph(page, "workspace-consultation-form")
    page.fill("#id_title", TITLE)
    # One CSE and one AI system: both are preselected.
    assert page.locator("#id_body option:checked").inner_text() == "CSE de A"
    assert page.locator("#id_deployment option:checked").inner_text() == "Analyse des émotions"
    page.check("input[name=legal_bases][value='L2312-8']")
    page.fill("#id_information_received_on", "2025-03-03")
    submit(page)
    consultation = Consultation.objects.get()
    assert page.url.endswith(f"/consultations/{consultation.pk}/")
    assert page.locator("h1").inner_text() == TITLE
    assert consultation.legal_bases == ["L2312-8"]
    assert str(consultation.information_received_on) == "2025-03-03"

    # The meeting: a vote appointing an expert and a vote adopting a motion, both unanimous.
    page.get_by_role("link", name="Consigner une réunion", exact=True).click()
    page.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/meetings/new/$"))
    assert_accessible(page, "meeting log")
    photograph(page, "workspace-meeting-log")
    page.fill("#id_held_on", MEETING_DAY)
    fill_vote(
        page,
        0,
        subject="appoint_expert",
        question="Le CSE désigne le cabinet Exemple",
        votes_for=9,
        present=9,
    )
    fill_vote(page, 1, subject="motion", question="Adoption de la motion", votes_for=9, present=9)
    page.fill("#id_votes-1-motion_title", MOTION_TITLE)
    page.fill("#id_votes-1-motion_text", MOTION_TEXT)
    page.check("#id_votes-1-motion_published")
    submit(page)
    assert page.url.endswith(f"/consultations/{consultation.pk}/"), page.locator(
        "#error-summary"
    ).all_inner_texts()
    assert sorted(Vote.objects.values_list("subject", flat=True)) == ["appoint_expert", "motion"]
    motion = Motion.objects.get()
    assert motion.reference == "2025-01"
    votes = page.locator("#votes")
    assert votes.locator("tbody tr").count() == 2
    for row in votes.locator("tbody tr").all():
        assert "adoptée à l'unanimité" in row.inner_text()
    assert "Désignation d'un expert" in votes.inner_text()
    heading = page.locator(f"#motion-{motion.pk} h3").inner_text()
    assert heading == f"Motion n°\u00a02025-01 — {MOTION_TITLE}"
    assert "demande" in page.locator(f"#motion-{motion.pk} .motion-text strong").inner_text()

    # The minutes, sent days later: recorded on the meeting's page, back to the consultation.
    meeting = Meeting.objects.get()
    page.locator(f"#meeting-{meeting.pk}").get_by_role("link", name="Modifier la réunion").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/edit/"))
    assert_accessible(page, "meeting form")
    photograph(page, "workspace-meeting-form")
    page.fill("#id_minutes_sent_on", MINUTES_SENT)
    submit(page)
    assert page.url.endswith(f"/consultations/{consultation.pk}/#meeting-{meeting.pk}"), (
        page.locator("#error-summary").all_inner_texts()
    )
    assert str(Meeting.objects.get().minutes_sent_on) == MINUTES_SENT
    assert "fait le 25 mars 2025" in page.locator(f"#meeting-{meeting.pk}").inner_text()

    # Management's answer, to that motion.
    # The page's button (the empty section below links there too).
    page.get_by_role(
        "link", name="Enregistrer une réponse de la direction", exact=True
    ).first.click()
    page.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/responses/new/$"))
    assert_accessible(page, "response form")
    photograph(page, "workspace-response-form")
    page.fill("#id_received_on", "2025-04-10")
    page.select_option("#id_channel", "letter")
    page.select_option("#id_stance", "accepts")
    page.fill("#id_text", ANSWER)
    page.check(f"input[name=motions][value='{motion.pk}']")
    submit(page)
    assert page.url.endswith(f"/consultations/{consultation.pk}/"), page.locator(
        "#error-summary"
    ).all_inner_texts()
    response = ManagementResponse.objects.get()
    assert list(response.motions.all()) == [motion]
    answer = page.locator(f"#response-{response.pk}")
    assert "10 avril 2025 — la direction accepte (courrier)" in answer.inner_text()
    assert ANSWER in answer.inner_text()

    # The demands: one settled by that answer, and one more added with the page's button.
    page.get_by_role("link", name="Revendications", exact=True).click()
    page.wait_for_url(re.compile(rf"/consultations/{consultation.pk}/demands/$"))
    assert_accessible(page, "demands form")
    photograph(page, "workspace-demands-form")
    page.set_viewport_size(WIDE)
    page.fill("#id_demands-0-text", "Abandon de la notation automatique")
    page.select_option("#id_demands-0-status", "won")
    page.select_option("#id_demands-0-settled_by", str(response.pk))
    page.click("button[data-formset-add=demands]")  # a third form, beyond the two blank ones
    page.fill("#id_demands-2-text", "Une ligne non enregistrée pour les élus")
    submit(page)
    assert page.url.endswith(f"/consultations/{consultation.pk}/#demands"), page.locator(
        "#error-summary"
    ).all_inner_texts()
    demands = page.locator("#demands li")
    assert demands.count() == 2
    assert "Obtenue" in demands.first.inner_text()
    assert "En attente" in demands.last.inner_text()
    assert Demand.objects.get(status="won").settled_by == response

    # The consultation page, then the workspace and the list.
    assert_accessible(page, "consultation page")
    photograph(page, "workspace-consultation")
    page.goto(f"{live_server.url}/workspace/")
    assert page.locator("h1").inner_text() == "Mon espace"
    assert_accessible(page, "workspace")
    photograph(page, "workspace-home")
    page.goto(f"{live_server.url}/workspace/consultations/")
    assert page.locator("main table a", has_text=TITLE).count() == 1
    assert_accessible(page, "consultation list")
    photograph(page, "workspace-list")


def test_a_reader_sees_the_consultation_without_edit_buttons(
    page, live_server, reader_a, organisation_a
):
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a, name="CSE de A"), title=TITLE
    )
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Se connecter"
    assert_accessible(page, "login")
    photograph(page, "login")
    sign_in(page, live_server, "reader-a")
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    assert page.locator("h1").inner_text() == TITLE
    main = page.locator("main")
    for label in (
        "Consigner une réunion",
        "Enregistrer une réponse de la direction",
        "Modifier la consultation",
    ):
        assert main.get_by_text(label).count() == 0, label
    assert_accessible(page, "consultation page (reader)")
    response = page.goto(f"{live_server.url}/consultations/{consultation.pk}/edit/")
    assert response.status == 403
    assert page.locator("h1").count() == 1
    screenshot(page, "forbidden")
    response = page.goto(f"{live_server.url}/consultations/{consultation.pk}/meetings/new/")
    assert response.status == 403


def test_a_member_of_several_organisations_narrows_the_workspace_to_one(
    page, live_server, organisation_a, organisation_b
):
    member = factories.UserFactory(username="federation")
    for organisation, title in ((organisation_a, "Projet Alpha"), (organisation_b, "Projet Bravo")):
        factories.MembershipFactory(user=member, organisation=organisation)
        factories.ConsultationFactory(
            body=factories.BodyFactory(organisation=organisation),
            deployment__organisation=organisation,
            title=title,
            # Listed under "À surveiller" whatever today's date.
            information_received_on="2025-01-06",
            opinion="deemed_negative",
            opinion_on="2025-02-06",
        )
    sign_in(page, live_server, "federation")
    page.goto(f"{live_server.url}/workspace/")
    main = page.locator("main")
    assert main.get_by_text("Projet Alpha").count() >= 1
    assert main.get_by_text("Projet Bravo").count() >= 1

    page.select_option("#id_organisation", label="Organisation B")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()

    assert f"organisation={organisation_b.pk}" in page.url
    assert main.get_by_text("Projet Bravo").count() >= 1
    assert main.get_by_text("Projet Alpha").count() == 0
    assert_accessible(page, "workspace narrowed to one organisation")
    photograph(page, "workspace-one-organisation")


def test_the_expertise_form_with_an_error_fits_the_window(
    page, live_server, editor_a, organisation_a
):
    """Its table of milestones and the field in error stay within the page at 1280 and 390 px
    (a QA pass reported the page 36 px too wide once an error was shown)."""
    expertise = factories.ExpertiseFactory(
        consultation=factories.ConsultationFactory(body__organisation=organisation_a)
    )
    sign_in(page, live_server, "editor-a")
    page.goto(f"{live_server.url}/expertises/{expertise.pk}/edit/")
    page.fill("#id_report_delivered_on", "2025-03-01")  # before the designation: refused
    submit(page)
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_report_delivered_on.is-invalid").count() == 1
    assert page.locator("main table").count() == 1
    for size, name in (
        (WIDE, "workspace-expertise-error"),
        (PHONE, "workspace-expertise-error-390"),
    ):
        page.set_viewport_size(size)
        screenshot(page, name)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{name}: {scroll} px wide in a window of {client} px"
    # At 1280 px the table fits its column too, without scrolling inside its region (on a
    # phone it may: the region takes the keyboard's focus).
    page.set_viewport_size(WIDE)
    table, region = page.locator("main .table-responsive").evaluate(
        "region => [region.scrollWidth, region.clientWidth]"
    )
    assert table <= region, f"the table is {table - region} px wider than its column"

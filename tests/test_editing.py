"""The representatives' editing pages (consultations/views/editing.py)."""

import datetime
import html
import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Body,
    Consultation,
    Deployment,
    Document,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    Vote,
)

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Records:
    """Organisation A's records, built with the factories."""

    body: Body
    consultation: Consultation
    deployment: Deployment
    expertise: Expertise


@pytest.fixture
def records(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE A", seats=9)
    consultation = factories.ConsultationFactory(body=body, title="Analyse des appels")
    expertise = factories.ExpertiseFactory(consultation=consultation)
    return Records(body, consultation, consultation.deployment, expertise)


@pytest.fixture
def personas(superuser, editor_a, reader_a, editor_b):
    return {
        "superuser": superuser,
        "editor_a": editor_a,
        "reader_a": reader_a,
        "editor_b": editor_b,
        "anonymous": None,
    }


def form_errors(response):
    """The errors of the forms of a page that did not save (for failure messages)."""
    context = response.context or {}
    forms = [context.get("form"), context.get("meeting_form")]
    forms += list(context.get("formset") or [])
    return [form.errors for form in forms if form is not None and form.errors]


def detail_url(consultation):
    return reverse("consultations:consultation-detail", args=[consultation.pk])


def logged_meeting(records):
    """A meeting of the consultation, logged once (the page that edits it needs one)."""
    meeting = records.consultation.meetings.first()
    if meeting is None:
        meeting = factories.MeetingFactory(body=records.body, held_on=datetime.date(2025, 3, 14))
        meeting.consultations.add(records.consultation)
    return meeting


# --- Form data -------------------------------------------------------------------------------------


def vote_fields(index, **values):
    """One vote form as the browser sends it untouched (the form's initial values), plus values."""
    fields = {
        "subject": "opinion",
        "question": "",
        "votes_for": "0",
        "votes_against": "0",
        "abstentions": "0",
        "blank_votes": "0",
        "voting_members_present": "9",
        "motion_kind": "motion",
        "motion_title": "",
        "motion_text": "",
    }
    fields.update(values)
    return {f"votes-{index}-{name}": value for name, value in fields.items()}


def meeting_data(body, *votes, forms=2, **meeting):
    data = {
        "body": body.pk,
        "held_on": "2025-03-14",
        "starts_at": "09:30",
        "kind": "ordinary",
        "place": "Salle du CSE",
        "agenda_sent_on": "2025-03-10",
        "minutes_sent_on": "",
        "votes-TOTAL_FORMS": str(max(forms, len(votes))),
        "votes-INITIAL_FORMS": "0",
        "votes-MIN_NUM_FORMS": "0",
        "votes-MAX_NUM_FORMS": "1000",
    }
    data.update(meeting)
    for index in range(max(forms, len(votes))):
        data.update(vote_fields(index, **(votes[index] if index < len(votes) else {})))
    return data


EXPERT_VOTE = {
    "subject": "appoint_expert",
    "question": "Le CSE désigne le cabinet Exemple",
    "votes_for": "7",
    "votes_against": "2",
    "voting_members_present": "9",
}
OPINION_VOTE_WITH_MOTION = {
    "subject": "opinion",
    "question": "Avis sur le projet d'analyse des appels",
    "votes_for": "6",
    "votes_against": "3",
    "voting_members_present": "9",
    "motion_kind": "opinion",
    "motion_title": "Avis défavorable sur l'analyse des appels",
    "motion_text": "Le CSE **refuse** la notation automatique.",
    "motion_published": "on",
}


def deployment_data(organisation, **values):
    return {
        "organisation": organisation.pk,
        "name": "Assistant qualité",
        "emotion_subject": "none",
    } | values


def consultation_data(records, **values):
    return {
        "title": "Consultation sur l'assistant qualité",
        "body": records.body.pk,
        "deployment": records.deployment.pk,
        "legal_bases": ["L2312-8", "L2312-38-3"],
        "information_received_on": "2025-03-03",
        "status": "open",
        "opinion": "",
        "visibility": "internal",
    } | values


# --- Every URL for every persona ---------------------------------------------------------------


@dataclass
class Page:
    name: str
    url: object  # records -> url
    post: object  # records -> (data, files)
    saved: object  # records -> bool: did the valid POST save?
    redirect: object  # records -> url after the save


PAGES = [
    Page(
        "deployment-edit",
        lambda r: reverse("consultations:deployment-edit", args=[r.deployment.pk]),
        lambda r: (deployment_data(r.deployment.organisation, name="Renommé"), {}),
        lambda r: Deployment.objects.get(pk=r.deployment.pk).name == "Renommé",
        lambda r: reverse("consultations:deployment-detail", args=[r.deployment.pk]),
    ),
    Page(
        "consultation-create",
        lambda r: reverse("consultations:consultation-create") + f"?deployment={r.deployment.pk}",
        lambda r: (consultation_data(r), {}),
        lambda r: Consultation.objects.filter(
            title="Consultation sur l'assistant qualité"
        ).exists(),
        lambda r: detail_url(
            Consultation.objects.get(title="Consultation sur l'assistant qualité")
        ),
    ),
    Page(
        "consultation-edit",
        lambda r: reverse("consultations:consultation-edit", args=[r.consultation.pk]),
        lambda r: (consultation_data(r, title="Nouvel intitulé"), {}),
        lambda r: Consultation.objects.get(pk=r.consultation.pk).title == "Nouvel intitulé",
        lambda r: detail_url(r.consultation),
    ),
    Page(
        "meeting-log",
        lambda r: reverse("consultations:meeting-log", args=[r.consultation.pk]),
        lambda r: (meeting_data(r.body, EXPERT_VOTE), {}),
        lambda r: Meeting.objects.count() == 1 and Vote.objects.count() == 1,
        lambda r: detail_url(r.consultation),
    ),
    Page(
        "meeting-edit",
        lambda r: reverse("consultations:meeting-edit", args=[logged_meeting(r).pk]),
        lambda r: (
            {
                "held_on": "2025-03-14",
                "kind": "ordinary",
                "agenda_sent_on": "2025-03-10",
                "minutes_sent_on": "2025-03-25",
            },
            {},
        ),
        lambda r: logged_meeting(r).minutes_sent_on == datetime.date(2025, 3, 25),
        lambda r: detail_url(r.consultation) + f"#meeting-{logged_meeting(r).pk}",
    ),
    Page(
        "expertise-create",
        lambda r: reverse("consultations:expertise-create", args=[r.consultation.pk]),
        lambda r: ({"ground": "serious_risk", "expert_firm": "Cabinet Second"}, {}),
        lambda r: Expertise.objects.filter(expert_firm="Cabinet Second").exists(),
        lambda r: detail_url(r.consultation),
    ),
    Page(
        "expertise-edit",
        lambda r: reverse("consultations:expertise-edit", args=[r.expertise.pk]),
        lambda r: (
            {
                "ground": "new_technology",
                "expert_firm": "Cabinet Renommé",
                "designated_on": "2025-03-14",
            },
            {},
        ),
        lambda r: Expertise.objects.get(pk=r.expertise.pk).expert_firm == "Cabinet Renommé",
        lambda r: detail_url(r.consultation),
    ),
    Page(
        "response-create",
        lambda r: reverse("consultations:response-create", args=[r.consultation.pk]),
        lambda r: ({"received_on": "2025-04-10", "channel": "letter", "stance": "rejects"}, {}),
        lambda r: ManagementResponse.objects.filter(consultation=r.consultation).exists(),
        lambda r: detail_url(r.consultation),
    ),
    Page(
        "demands-edit",
        lambda r: reverse("consultations:demands-edit", args=[r.consultation.pk]),
        lambda r: (
            {
                "demands-TOTAL_FORMS": "2",
                "demands-INITIAL_FORMS": "0",
                "demands-0-text": "Expérimentation sur la base du volontariat",
                "demands-0-status": "pending",
                "demands-1-text": "",
                "demands-1-status": "pending",
            },
            {},
        ),
        lambda r: r.consultation.demands.count() == 1,
        lambda r: detail_url(r.consultation) + "#demands",
    ),
    Page(
        "document-upload",
        lambda r: reverse("consultations:document-upload", args=[r.consultation.pk]),
        lambda r: (
            {"kind": "information_note", "title": "Note d'information", "dated_on": "2025-03-03"},
            {"file": SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")},
        ),
        lambda r: Document.objects.filter(consultation=r.consultation).exists(),
        lambda r: detail_url(r.consultation),
    ),
]

DENIED = {"reader_a": 403, "editor_b": 404}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
@pytest.mark.parametrize("persona", ["superuser", "editor_a"])
def test_it_lets_editors_open_and_save_every_page(page, persona, personas, records):
    client = client_for(personas[persona])
    assert client.get(page.url(records)).status_code == 200
    data, files = page.post(records)
    response = client.post(page.url(records), {**data, **files})
    assert response.status_code == 302, form_errors(response)
    assert page.saved(records)
    assert response["Location"] == page.redirect(records)
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert any(
        "enregistré" in str(m) or "consignée" in str(m) for m in followed.context["messages"]
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
@pytest.mark.parametrize("persona", ["reader_a", "editor_b"])
def test_it_refuses_readers_and_other_organisations(page, persona, personas, records):
    client = client_for(personas[persona])
    assert client.get(page.url(records)).status_code == DENIED[persona]
    data, files = page.post(records)
    before = page.saved(records)
    assert client.post(page.url(records), {**data, **files}).status_code == DENIED[persona]
    assert page.saved(records) == before


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_it_sends_anonymous_visitors_to_the_login_page(page, records):
    url = page.url(records)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consultations:login"))
    response = client_for(None).post(url, page.post(records)[0])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consultations:login"))


@pytest.mark.parametrize("name", ["deployment-create", "consultation-create"])
def test_it_lets_editors_of_any_organisation_open_the_creation_pages(name, personas, records):
    url = reverse(f"consultations:{name}")
    for persona, status in [
        ("superuser", 200),
        ("editor_a", 200),
        ("editor_b", 200),  # for organisation B's own records
        ("reader_a", 403),
    ]:
        assert client_for(personas[persona]).get(url).status_code == status, persona
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consultations:login"))


def test_a_duplicate_deployment_name_is_refused_beside_the_field(editor_a, organisation_a):
    client = client_for(editor_a)
    url = reverse("consultations:deployment-create")
    assert client.post(url, deployment_data(organisation_a)).status_code == 302
    response = client.post(url, deployment_data(organisation_a, vendor="Autre fournisseur"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Un système d'IA de ce nom est déjà décrit" in form.errors["name"][0]
    assert not form.non_field_errors()
    assert form["vendor"].value() == "Autre fournisseur"  # nothing typed is lost
    assert Deployment.objects.filter(name="Assistant qualité").count() == 1


def test_it_creates_a_deployment_and_says_so(editor_a, organisation_a):
    client = client_for(editor_a)
    response = client.post(
        reverse("consultations:deployment-create"),
        deployment_data(organisation_a, functions=["transcription", "scoring"]),
        follow=True,
    )
    deployment = Deployment.objects.get(name="Assistant qualité")
    assert deployment.organisation == organisation_a
    assert deployment.functions == ["transcription", "scoring"]
    # On the system's page, where a consultation on it can be started.
    assert response.redirect_chain[-1][0] == reverse(
        "consultations:deployment-detail", args=[deployment.pk]
    )
    assert "Assistant qualité" in str(list(response.context["messages"])[0])


def test_a_system_described_from_the_consultation_form_leads_back_to_it(editor_a, organisation_a):
    client = client_for(editor_a)
    form = client.get(reverse("consultations:consultation-create")).content.decode()
    assert 'name="describe_system"' in form and "formnovalidate" in form
    create = reverse("consultations:deployment-create") + "?then=consultation"
    response = client.post(create, deployment_data(organisation_a))
    deployment = Deployment.objects.get(name="Assistant qualité")
    back = reverse("consultations:consultation-create") + f"?deployment={deployment.pk}"
    assert response.status_code == 302 and response["Location"] == back
    assert client.get(back).context["form"].initial["deployment"] == deployment.pk


def test_what_was_typed_is_kept_while_a_system_is_described(editor_a, records):
    """The consultation form's "Décrivez-le" saves nothing and loses nothing: the typed form
    comes back, with the new system chosen, and nothing is kept afterwards."""
    client = client_for(editor_a)
    create = reverse("consultations:consultation-create")
    typed = consultation_data(
        records, deployment="", two_level="on", summary="Notes de la réunion préparatoire"
    )
    response = client.post(create, {**typed, "describe_system": "1"})
    describe = reverse("consultations:deployment-create") + "?then=consultation"
    assert response.status_code == 302 and response["Location"] == describe
    assert not Consultation.objects.filter(title=typed["title"]).exists()
    page = client.get(describe)
    assert page.context["cancel_url"] == f"{create}?draft=1"
    # Another visit to the form meanwhile does not show the draft.
    assert not client.get(create).context["form"]["title"].value()
    response = client.post(describe, deployment_data(records.body.organisation))
    deployment = Deployment.objects.get(name="Assistant qualité")
    assert response["Location"] == f"{create}?deployment={deployment.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form["title"].value() == typed["title"]
    assert form["summary"].value() == "Notes de la réunion préparatoire"
    assert form["legal_bases"].value() == ["L2312-8", "L2312-38-3"]
    assert form["two_level"].value() is True
    assert str(form["information_received_on"].value()) == "2025-03-03"
    assert form["deployment"].value() == deployment.pk
    assert form["body"].value() == str(records.body.pk)
    # Shown once: coming back again starts afresh.
    assert not client.get(f"{create}?draft=1").context["form"]["title"].value()


def test_a_draft_left_behind_is_dropped_by_a_save(editor_a, records):
    """The user left to describe a system, came back by another way and saved: the draft,
    older than the record now, never comes back (it would also bring back an old version)."""
    client = client_for(editor_a)
    edit = reverse("consultations:consultation-edit", args=[records.consultation.pk])
    version = client.get(edit).context["form"]["version"].value()
    client.post(edit, {**consultation_data(records, title="Abandonné"), "describe_system": "1"})
    saved = consultation_data(records, title="Enregistré", version=version)
    assert client.post(edit, saved).status_code == 302
    form = client.get(f"{edit}?draft=1").context["form"]
    assert form["title"].value() == "Enregistré"
    session = client.session
    session["vigie-consultation-draft"] = "not a draft"  # an old or damaged session
    session.save()
    assert client.get(f"{edit}?draft=1").status_code == 200
    cancel = client.get(reverse("consultations:deployment-create") + "?then=consultation")
    assert cancel.context["cancel_url"].endswith("?draft=1")


def test_an_edit_left_to_describe_a_system_comes_back_as_typed(editor_a, records):
    client = client_for(editor_a)
    edit = reverse("consultations:consultation-edit", args=[records.consultation.pk])
    version = client.get(edit).context["form"]["version"].value()
    typed = consultation_data(records, title="Titre corrigé", version=version)
    client.post(edit, {**typed, "describe_system": "1"})
    assert Consultation.objects.get(pk=records.consultation.pk).title == "Analyse des appels"
    describe = reverse("consultations:deployment-create") + "?then=consultation"
    response = client.post(describe, deployment_data(records.body.organisation))
    deployment = Deployment.objects.get(name="Assistant qualité")
    assert response["Location"] == f"{edit}?deployment={deployment.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form["title"].value() == "Titre corrigé"
    assert form["deployment"].value() == deployment.pk
    saved = {**typed, "deployment": deployment.pk}
    assert client.post(edit, saved).status_code == 302
    consultation = Consultation.objects.get(pk=records.consultation.pk)
    assert (consultation.title, consultation.deployment) == ("Titre corrigé", deployment)


def test_a_retention_beyond_a_century_is_refused(editor_a, organisation_a):
    response = client_for(editor_a).post(
        reverse("consultations:deployment-create"),
        deployment_data(organisation_a, retention_recordings_months="99999"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["retention_recordings_months"] == [
        "Assurez-vous que cette valeur est inférieure ou égale à 1200."
    ]
    assert not Deployment.objects.exists()


def test_it_refuses_a_deployment_for_another_organisation(editor_a, organisation_b):
    response = client_for(editor_a).post(
        reverse("consultations:deployment-create"), deployment_data(organisation_b)
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Deployment.objects.exists()


# --- The AI system form -------------------------------------------------------------------------


def test_it_offers_only_the_editable_organisations(editor_a, reader_a, superuser, organisation_b):
    other = factories.OrganisationFactory(name="Organisation C")
    factories.MembershipFactory(user=editor_a, organisation=other, role="reader")
    response = client_for(editor_a).get(reverse("consultations:deployment-create"))
    choices = list(response.context["form"].fields["organisation"].queryset)
    assert [o.name for o in choices] == ["Organisation A"]
    response = client_for(superuser).get(reverse("consultations:deployment-create"))
    names = {o.name for o in response.context["form"].fields["organisation"].queryset}
    assert names == {"Organisation A", "Organisation B", "Organisation C"}


def test_it_preselects_the_only_editable_organisation(editor_a, organisation_a):
    form = client_for(editor_a).get(reverse("consultations:deployment-create")).context["form"]
    assert form["organisation"].value() == organisation_a.pk


def test_it_asks_the_deployment_questions_in_plain_french(editor_a):
    page = client_for(editor_a).get(reverse("consultations:deployment-create")).content.decode()
    assert "Le système déduit-il les émotions des personnes\u202f? De qui\u202f?" in page
    assert "À partir de quoi\u202f?" in page
    assert "données biométriques (AI Act art. 3(39))" in page
    legends = ["Le système", "Reconnaissance des émotions", "AI Act", "Données personnelles"]
    positions = [page.index(f"<legend>{legend}") for legend in legends]
    assert positions == sorted(positions)
    assert 'type="date"' in page
    assert 'name="workers_affected"' in page and 'min="0"' in page


def test_it_keeps_the_typed_deployment_when_the_model_refuses_it(editor_a, organisation_a):
    response = client_for(editor_a).post(
        reverse("consultations:deployment-create"),
        deployment_data(organisation_a, name="Analyseur vocal", emotion_subject="workers"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Précisez si les émotions sont déduites de la voix ou du visage" in page
    assert 'value="Analyseur vocal"' in page
    assert 'id="error-summary"' in page
    assert not Deployment.objects.exists()


def test_an_impact_assessment_done_without_its_date_is_refused_beside_it(editor_a, organisation_a):
    """Found by a union representative's QA pass: « Réalisée » was saved without a date."""
    response = client_for(editor_a).post(
        reverse("consultations:deployment-create"),
        deployment_data(organisation_a, name="Analyseur vocal", dpia_status="done"),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["dpia_on"]
    page = response.content.decode()
    assert "Indiquez la date à laquelle l&#x27;AIPD a été réalisée" in page
    assert 'value="Analyseur vocal"' in page
    assert not Deployment.objects.exists()


# --- The consultation form -----------------------------------------------------------------------


def test_it_prefills_the_consultation_from_the_deployment(editor_a, records):
    url = reverse("consultations:consultation-create") + f"?deployment={records.deployment.pk}"
    form = client_for(editor_a).get(url).context["form"]
    assert form.initial["deployment"] == records.deployment.pk
    assert form.initial["body"] == records.body.pk


def test_it_hides_another_organisations_deployment_from_the_prefill(editor_b, records):
    url = reverse("consultations:consultation-create") + f"?deployment={records.deployment.pk}"
    assert client_for(editor_b).get(url).status_code == 404


def test_it_offers_only_the_editable_bodies_and_deployments(editor_b, records, organisation_b):
    own_body = factories.BodyFactory(organisation=organisation_b)
    own_deployment = factories.DeploymentFactory(organisation=organisation_b)
    form = client_for(editor_b).get(reverse("consultations:consultation-create")).context["form"]
    assert list(form.fields["body"].queryset) == [own_body]
    assert list(form.fields["deployment"].queryset) == [own_deployment]
    response = client_for(editor_b).post(
        reverse("consultations:consultation-create"),
        consultation_data(records, body=own_body.pk),
    )
    assert response.status_code == 200
    assert not Consultation.objects.filter(body=own_body).exists()


def test_it_does_not_offer_a_cssct_for_a_consultation(editor_a, records):
    cssct = factories.BodyFactory(
        organisation=records.body.organisation, kind=Body.Kind.CSSCT, parent=records.body
    )
    form = client_for(editor_a).get(reverse("consultations:consultation-create")).context["form"]
    assert list(form.fields["body"].queryset) == [records.body]
    # One filed on a CSSCT before the rule keeps its choice and is told why it is refused.
    Consultation.objects.filter(pk=records.consultation.pk).update(body=cssct)
    url = reverse("consultations:consultation-edit", args=[records.consultation.pk])
    form = client_for(editor_a).get(url).context["form"]
    assert set(form.fields["body"].queryset) == {records.body, cssct}
    response = client_for(editor_a).post(url, consultation_data(records, body=cssct.pk))
    assert response.status_code == 200
    assert "L2315-38" in response.context["form"].errors["body"][0]
    response = client_for(editor_a).post(url, consultation_data(records))
    assert response.status_code == 302
    assert Consultation.objects.get(pk=records.consultation.pk).body == records.body


def test_it_saves_the_legal_bases_as_a_list(editor_a, records):
    client_for(editor_a).post(
        reverse("consultations:consultation-edit", args=[records.consultation.pk]),
        consultation_data(records, legal_bases=["L2312-38-3"]),
    )
    records.consultation.refresh_from_db()
    assert records.consultation.legal_bases == ["L2312-38-3"]


def test_it_explains_an_opinion_without_a_date(editor_a, records):
    response = client_for(editor_a).post(
        reverse("consultations:consultation-edit", args=[records.consultation.pk]),
        consultation_data(records, title="Titre tapé", opinion="unfavourable"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez la date de l&#x27;avis." in page
    assert 'value="Titre tapé"' in page
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == ""


@pytest.mark.parametrize(("opinion_on", "warned"), [("2025-04-10", True), ("2025-04-03", False)])
def test_the_site_warns_of_an_opinion_after_the_deadline(editor_a, records, opinion_on, warned):
    """Found by a union representative's QA pass: the site's form said « La consultation est
    enregistrée. » alone, and the page a green « Avis rendu ». The admin's warning, in its
    words; saved all the same, the day computed may be disputed."""
    response = client_for(editor_a).post(
        reverse("consultations:consultation-create"),
        consultation_data(records, opinion="unfavourable", opinion_on=opinion_on),
        follow=True,
    )
    assert response.redirect_chain, form_errors(response)
    warnings = [
        html.unescape(str(message)).replace("\u00a0", " ")
        for message in response.context["messages"]
        if message.level_tag == "warning"
    ]
    said = (
        "L'avis est daté du 10 avril 2025, après la fin du délai le 3 avril 2025 : le CSE était "
        "alors déjà réputé avoir rendu un avis négatif (R2312-6)."
    )
    assert any(said in warning for warning in warnings) is warned, warnings
    assert "La consultation est enregistrée." in html.unescape(response.content.decode())
    consultation = Consultation.objects.get(title="Consultation sur l'assistant qualité")
    assert consultation.opinion == "unfavourable"


def test_a_withdrawn_project_with_an_opinion_is_refused_beside_the_status(editor_a, records):
    """Found by a union representative's QA pass: saved without a word, the badge then said
    « Réponse en retard » and « Projet retiré » showed nowhere."""
    response = client_for(editor_a).post(
        reverse("consultations:consultation-edit", args=[records.consultation.pk]),
        consultation_data(
            records,
            title="Titre tapé",
            status="withdrawn",
            opinion="favourable",
            opinion_on="2025-03-20",
        ),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["status"]
    page = html.unescape(response.content.decode()).replace("\u00a0", " ")
    assert "choisissez « Dossier clos »" in page
    assert 'value="Titre tapé"' in page and 'value="2025-03-20"' in page
    records.consultation.refresh_from_db()
    assert records.consultation.status == "open" and records.consultation.opinion == ""


def test_establishment_opinions_transmitted_on_a_day_to_come_are_refused(editor_a, records):
    """Found by a union representative's QA pass: the page then said « Transmis le 27 novembre
    2026 »."""
    records.body.kind = Body.Kind.CSE_CENTRAL
    records.body.save()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(editor_a).post(
        reverse("consultations:consultation-edit", args=[records.consultation.pk]),
        consultation_data(
            records,
            title="Titre tapé",
            two_level="on",
            establishment_opinions_received_on=tomorrow.isoformat(),
        ),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["establishment_opinions_received_on"]
    assert "à venir" in response.context["form"].errors["establishment_opinions_received_on"][0]
    assert f'value="{tomorrow.isoformat()}"' in response.content.decode()
    records.consultation.refresh_from_db()
    assert records.consultation.establishment_opinions_received_on is None


# --- Logging a meeting ---------------------------------------------------------------------------


def meeting_log_url(records):
    return reverse("consultations:meeting-log", args=[records.consultation.pk])


def test_it_logs_a_meeting_with_two_votes_and_one_motion(editor_a, records):
    data = meeting_data(records.body, EXPERT_VOTE, OPINION_VOTE_WITH_MOTION)
    response = client_for(editor_a).post(meeting_log_url(records), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.held_on == datetime.date(2025, 3, 14)
    assert meeting.starts_at == datetime.time(9, 30)
    assert list(meeting.consultations.all()) == [records.consultation]
    votes = list(Vote.objects.order_by("id"))
    assert len(votes) == 2
    assert all(vote.meeting == meeting for vote in votes)
    assert all(vote.consultation == records.consultation for vote in votes)
    assert [vote.subject for vote in votes] == ["appoint_expert", "opinion"]
    motion = Motion.objects.get()
    assert motion.number == 1
    assert motion.year == 2025
    assert motion.adopted_on == meeting.held_on
    assert motion.adopting_vote == votes[1]
    assert motion.consultation == records.consultation
    assert motion.kind == "opinion"
    assert motion.published is True


def test_the_meeting_is_confirmed_with_the_first_of_the_month_written_1er(editor_a, records):
    data = meeting_data(records.body, EXPERT_VOTE, held_on="2025-04-01", agenda_sent_on="")
    response = client_for(editor_a).post(meeting_log_url(records), data, follow=True)
    text = html.unescape(response.content.decode()).replace("\u00a0", " ")
    assert "La réunion du 1er avril 2025 est consignée (1 vote)." in text


def test_votes_are_refused_at_a_meeting_still_to_come(editor_a, records):
    data = meeting_data(records.body, EXPERT_VOTE, held_on="2030-01-01", agenda_sent_on="")
    response = client_for(editor_a).post(meeting_log_url(records), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["subject"] == [
        "La réunion du 1er janvier 2030 est à venir\u00a0: ses votes se consignent une fois "
        "qu'elle s'est tenue."
    ]
    assert not Meeting.objects.exists()


def test_the_summary_names_and_links_a_list_of_radio_buttons(editor_a, records):
    """Found by the editor's QA pass: the meeting's kind (radio buttons, no single input to
    label) was summed up without its name: « Réunion — Ce champ est obligatoire. »."""
    data = meeting_data(records.body, EXPERT_VOTE, kind="")
    response = client_for(editor_a).post(meeting_log_url(records), data)
    assert response.status_code == 200
    [entry] = [error for error in response.context["errors"] if error["anchor"] == "id_kind_0"]
    assert entry["label"] == str(response.context["form"]["kind"].label)
    page = response.content.decode()
    assert 'id="id_kind_0"' in page
    assert f'href="#{entry["anchor"]}">{entry["label"]}</a>' in page


def test_a_vote_needs_at_least_one_voter(editor_a, records):
    empty = {**EXPERT_VOTE, "votes_for": "0", "votes_against": "0", "voting_members_present": "0"}
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(records.body, empty)
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["voting_members_present"] == [
        "Indiquez le nombre de votants présents\u00a0: un vote en compte au moins un."
    ]
    assert not Vote.objects.exists()


def test_it_ignores_the_blank_vote_forms(editor_a, records):
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(records.body, forms=3)
    )
    assert response.status_code == 302
    assert Meeting.objects.count() == 1
    assert not Vote.objects.exists()


def test_it_keeps_the_typed_vote_when_ballots_outnumber_voters(editor_a, records):
    vote = {
        "subject": "opinion",
        "question": "Question tapée par la secrétaire",
        "votes_for": "10",
        "voting_members_present": "9",
    }
    response = client_for(editor_a).post(meeting_log_url(records), meeting_data(records.body, vote))
    assert response.status_code == 200
    page = response.content.decode()
    assert "10 bulletins pour 9 votants présents" in page
    assert "Question tapée par la secrétaire" in page
    assert 'value="Salle du CSE"' in page
    assert 'id="error-summary"' in page
    assert not Meeting.objects.exists()
    assert not Vote.objects.exists()


def test_it_refuses_more_voters_than_seats_and_saves_nothing(editor_a, records):
    vote = {
        "subject": "opinion",
        "question": "Avis",
        "votes_for": "10",
        "voting_members_present": "10",
    }
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(records.body, EXPERT_VOTE, vote)
    )
    assert response.status_code == 200
    assert "10 élus votants pour 9 sièges de titulaires" in response.content.decode()
    errors = response.context["formset"].forms[1].errors
    assert "voting_members_present" in errors
    assert not Meeting.objects.exists()
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("language", "ballots", "seats"),
    [
        (
            "fr",
            "11 bulletins pour 10 votants présents\u00a0: il ne peut y avoir plus de voix que de "
            "votants.",
            "10 élus votants pour 9 sièges de titulaires\u00a0: il ne peut y avoir plus de votants "
            "que de sièges.",
        ),
        (
            "en",
            "11 ballots for 10 voters present: there cannot be more votes than voters.",
            "10 elected members voting for 9 full-member seats: there cannot be more voters than "
            "seats.",
        ),
    ],
)
def test_it_says_the_voters_beyond_the_seats_with_the_ballots_at_the_first_send(
    editor_a, records, settings, language, ballots, seats
):
    """The voters beyond the seats were said only at the second send, once the ballots beyond
    the voters had been corrected."""
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    vote = {
        "subject": "opinion",
        "question": "Avis tapé",
        "votes_for": "6",
        "votes_against": "5",
        "voting_members_present": "10",
    }
    response = client.post(meeting_log_url(records), meeting_data(records.body, vote))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["voting_members_present"] == [ballots, seats]
    page = html.unescape(response.content.decode())
    assert ballots in page and seats in page
    assert "Avis tapé" in page and 'value="Salle du CSE"' in page
    assert not Meeting.objects.exists()
    # Both said beside the field, in the page's summary too, even with another error (a
    # meeting still to come).
    data = meeting_data(records.body, vote, held_on="2030-01-01", agenda_sent_on="")
    errors = client.post(meeting_log_url(records), data).context["formset"].forms[0].errors
    assert errors["voting_members_present"] == [ballots, seats]
    assert "subject" in errors


def test_it_refuses_an_opinion_vote_in_a_cssct(editor_a, records):
    cssct = factories.BodyFactory(
        organisation=records.body.organisation,
        kind=Body.Kind.CSSCT,
        parent=records.body,
        name="CSSCT A",
        seats=4,
    )
    vote = {
        "subject": "opinion",
        "question": "Avis",
        "votes_for": "3",
        "voting_members_present": "4",
    }
    response = client_for(editor_a).post(meeting_log_url(records), meeting_data(cssct, vote))
    assert response.status_code == 200
    assert "Une CSSCT ne rend pas d&#x27;avis" in response.content.decode()
    assert "subject" in response.context["formset"].forms[0].errors
    assert not Meeting.objects.exists()


def test_it_refuses_the_same_meeting_sent_twice(editor_a, records):
    """A form sent again would count the votes and number the motions twice (found by QA)."""
    client = client_for(editor_a)
    data = meeting_data(records.body, EXPERT_VOTE)
    assert client.post(meeting_log_url(records), data).status_code == 302
    again = client.post(meeting_log_url(records), data)
    assert again.status_code == 200
    assert (
        "Cette réunion est déjà consignée pour cette consultation"
        in (again.context["meeting_form"].errors["held_on"][0])
    )
    assert Meeting.objects.count() == 1 and Vote.objects.count() == 1
    # Another meeting the same day, told apart by its time, is logged.
    later = meeting_data(records.body, EXPERT_VOTE, starts_at="15:00")
    assert client.post(meeting_log_url(records), later).status_code == 302
    assert Meeting.objects.count() == 2
    # Opened again without a time, to add a forgotten vote: the same meeting (found by an
    # editor's QA pass, who got a second « Réunion du 23 novembre »).
    assert client.post(meeting_log_url(records), data).status_code == 200
    again_at_three = client.post(meeting_log_url(records), later)
    assert again_at_three.status_code == 200
    assert "sa fiche dans l&#x27;administration" in again_at_three.content.decode()
    assert Meeting.objects.count() == 2


@pytest.mark.parametrize("staff", [True, False])
def test_a_meeting_logged_again_says_where_its_forgotten_vote_goes(records, staff):
    """The refusal sent every editor to the administration, which opens to staff only. Staff
    get a link to the meeting's page there; an editor who is not staff is told whom to ask.
    Everything typed is kept."""
    user = factories.UserFactory(username="editrice-a", is_staff=staff)
    factories.MembershipFactory(user=user, organisation=records.body.organisation)
    meeting = factories.MeetingFactory(
        body=records.body, held_on=datetime.date(2025, 3, 14), kind="ordinary"
    )
    meeting.consultations.add(records.consultation)
    forgotten = {**EXPERT_VOTE, "question": "Le vote oublié, tapé"}
    data = meeting_data(records.body, forgotten, starts_at="", place="Salle tapée")

    response = client_for(user).post(meeting_log_url(records), data)

    assert response.status_code == 200
    [message] = response.context["meeting_form"].errors["held_on"]
    admin_page = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    link = f'<a href="{admin_page}">sa fiche dans l&#x27;administration</a>'
    page = response.content.decode()
    if staff:
        assert link in message
        assert page.count(link) == 2  # beside the field and in the summary
        assert client_for(user).get(admin_page).status_code == 200
    else:
        assert "/admin/" not in message
        assert "demandez à l&#x27;administrateur de Vigie de l&#x27;y ajouter" in message
        assert page.count("demandez à l&#x27;administrateur de Vigie") == 2
        assert client_for(user).get(admin_page).status_code == 302  # to the admin's sign-in
    assert "Le vote oublié, tapé" in page and 'value="Salle tapée"' in page
    assert Meeting.objects.count() == 1 and not Vote.objects.exists()


@pytest.mark.parametrize("staff", [True, False])
def test_a_meeting_logged_again_is_said_in_english(records, settings, staff):
    user = factories.UserFactory(username="editor-en", is_staff=staff)
    factories.MembershipFactory(user=user, organisation=records.body.organisation)
    meeting = factories.MeetingFactory(body=records.body, kind="ordinary")
    meeting.consultations.add(records.consultation)
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(meeting_log_url(records), meeting_data(records.body, starts_at=""))
    [message] = response.context["meeting_form"].errors["held_on"]
    assert message.startswith("This meeting is already recorded for this consultation (CSE A, ")
    expected = "its page in the administration" if staff else "ask the Vigie administrator"
    assert expected in message


def test_it_refuses_a_vote_count_no_council_has_in_words(editor_a, records):
    vote = {
        "subject": "motion",
        "question": "Motion",
        "votes_for": "100000000000000000001",
        "voting_members_present": "12",
    }
    response = client_for(editor_a).post(meeting_log_url(records), meeting_data(records.body, vote))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert errors["votes_for"] == [
        "Un CSE ne compte pas autant de membres\u00a0: vérifiez ce nombre."
    ]
    page = response.content.decode()
    assert "9223372036854775807" not in page and "bulletins pour" not in page
    assert 'value="100000000000000000001"' in page  # kept as typed
    assert not Meeting.objects.exists()


def test_it_refuses_a_motion_on_a_rejected_vote_and_saves_nothing(editor_a, records):
    rejected = {**OPINION_VOTE_WITH_MOTION, "votes_for": "4", "votes_against": "5"}
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(records.body, EXPERT_VOTE, rejected)
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[1].errors
    assert errors["motion_title"] == [
        "Ce vote n'est pas adopté (4 voix pour, majorité requise\u00a0: 5)\u00a0: aucune motion "
        "ne peut lui être rattachée."
    ]
    assert "Avis défavorable sur l&#x27;analyse des appels" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Vote.objects.exists()
    assert not Motion.objects.exists()


def test_a_motion_text_without_its_title_is_refused_not_dropped(editor_a, records):
    untitled = {**OPINION_VOTE_WITH_MOTION, "motion_title": ""}
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(records.body, EXPERT_VOTE, untitled)
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["motion_title"] == [
        "Donnez un titre à la motion dont vous avez saisi le texte, ou effacez le texte si ce "
        "vote n'adopte aucune motion."
    ]
    assert "Le CSE **refuse** la notation automatique." in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_of_another_organisations_body(editor_a, records, organisation_b):
    other_body = factories.BodyFactory(organisation=organisation_b)
    response = client_for(editor_a).post(
        meeting_log_url(records), meeting_data(other_body, EXPERT_VOTE)
    )
    assert response.status_code == 200
    assert "body" in response.context["meeting_form"].errors
    assert not Meeting.objects.exists()


def test_it_checks_the_meeting_dates(editor_a, records):
    response = client_for(editor_a).post(
        meeting_log_url(records),
        meeting_data(records.body, EXPERT_VOTE, agenda_sent_on="2025-03-20"),
    )
    assert response.status_code == 200
    assert (
        "L&#x27;ordre du jour ne peut pas être envoyé après la réunion."
        in response.content.decode()
    )
    assert not Meeting.objects.exists()


def test_it_makes_the_meeting_page_quick_to_fill(editor_a, records):
    response = client_for(editor_a).get(meeting_log_url(records))
    page = response.content.decode()
    meeting_form = response.context["meeting_form"]
    assert meeting_form["body"].value() == records.body.pk
    assert "autofocus" in str(meeting_form["held_on"])
    assert 'type="date"' in str(meeting_form["held_on"])
    assert 'type="time"' in str(meeting_form["starts_at"])
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert formset.forms[0]["voting_members_present"].value() == 9
    assert 'min="0"' in str(formset.forms[0]["votes_for"])
    assert "<script>" not in page  # scripts come from static files only (CSP)
    assert "js/formset.js" in page


# --- Expertise -----------------------------------------------------------------------------------


def test_it_shows_the_expertise_milestones_above_the_form(editor_a, records):
    page = (
        client_for(editor_a)
        .get(reverse("consultations:expertise-edit", args=[records.expertise.pk]))
        .content.decode()
    )
    assert "Demande d&#x27;informations de l&#x27;expert" in page
    assert "Notification du coût prévisionnel" in page
    assert "Comment cette date est calculée" in page
    assert page.index("Notification du coût prévisionnel") < page.index('class="vigie-form"')
    assert "Contestation possible par l'employeur devant le juge" in page


def test_it_offers_only_this_consultations_expert_votes(editor_a, records):
    meeting = factories.MeetingFactory(body=records.body)
    expert_vote = factories.VoteFactory(
        meeting=meeting, consultation=records.consultation, subject=Vote.Subject.APPOINT_EXPERT
    )
    factories.VoteFactory(meeting=meeting, consultation=records.consultation)  # a motion vote
    other = factories.ConsultationFactory(body=records.body)
    factories.VoteFactory(meeting=meeting, consultation=other, subject=Vote.Subject.APPOINT_EXPERT)
    url = reverse("consultations:expertise-create", args=[records.consultation.pk])
    form = client_for(editor_a).get(url).context["form"]
    assert list(form.fields["appointing_vote"].queryset) == [expert_vote]
    # The one adopted expert vote is preselected, and the designation dated from its meeting.
    assert form["appointing_vote"].value() == expert_vote.pk
    assert form["designated_on"].value() == meeting.held_on
    response = client_for(editor_a).post(
        url,
        {
            "ground": "new_technology",
            "appointing_vote": expert_vote.pk,
            "designated_on": "2025-03-14",
        },
    )
    assert response.status_code == 302
    assert Expertise.objects.filter(appointing_vote=expert_vote).exists()


def test_a_serious_risk_report_renewed_by_agreement_moves_its_date(editor_a, records):
    url = reverse("consultations:expertise-edit", args=[records.expertise.pk])
    client = client_for(editor_a)
    version = client.get(url).context["form"]["version"].value()
    typed = {"ground": "new_technology", "designated_on": "2025-03-06", "version": version}
    response = client.post(url, {**typed, "report_extension_months": "2"})
    assert response.status_code == 200
    assert "risque grave" in response.context["form"].errors["report_extension_months"][0]
    response = client.post(url, {**typed, "ground": "serious_risk", "report_extension_months": "2"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "6 juillet 2025" in page
    assert "renouvelés une fois de 2 mois par accord" in page


def test_it_explains_expertise_dates_out_of_order(editor_a, records):
    response = client_for(editor_a).post(
        reverse("consultations:expertise-edit", args=[records.expertise.pk]),
        {
            "ground": "new_technology",
            "expert_firm": "Cabinet tapé",
            "designated_on": "2025-03-14",
            "information_requested_on": "2025-03-10",
            "contested_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La demande d&#x27;informations ne peut pas précéder la désignation" in page
    assert (
        "L&#x27;employeur ne peut pas contester l&#x27;expertise avant que le CSE l&#x27;ait votée"
        in page
    )
    assert 'value="Cabinet tapé"' in page
    records.expertise.refresh_from_db()
    assert records.expertise.expert_firm == "Cabinet Exemple"


def test_the_summary_lists_the_errors_in_the_order_of_the_page(editor_a, records):
    """The checks run field by field, then the model's across fields: the summary at the top
    still lists them from the top of the page down (the expertise's designation first, its
    cost after, the meeting's date before its body)."""
    response = client_for(editor_a).post(
        reverse("consultations:expertise-edit", args=[records.expertise.pk]),
        {
            "ground": "new_technology",
            "designated_on": "2025-03-14",
            "information_requested_on": "2025-03-20",
            "information_received_on": "2025-03-18",
            "estimated_cost": "99999999999999",
            "contested_on": "2025-03-01",
        },
    )
    labels = [entry["label"] for entry in response.context["errors"]]
    assert labels == [
        "Informations reçues le",
        "Coût prévisionnel (€)",
        "Contestée par l'employeur le",
    ]
    data = meeting_data(records.body) | {"body": "", "held_on": ""}
    response = client_for(editor_a).post(meeting_log_url(records), data)
    labels = [entry["label"] for entry in response.context["errors"]]
    assert labels[:2] == ["Date de la réunion", "Instance réunie"]


def test_an_expertise_step_saved_in_the_future_before_the_rule_stays_editable(editor_a, records):
    """A record saved before the rule with a step after today is saved with its other changes
    while that date is left as it is; a future date typed is refused beside its field."""
    later = timezone.localdate() + datetime.timedelta(days=30)
    Expertise.objects.filter(pk=records.expertise.pk).update(report_delivered_on=later)
    url = reverse("consultations:expertise-edit", args=[records.expertise.pk])
    client = client_for(editor_a)

    def sent_back(form, **changes):
        data = {name: form[name].value() for name in form.fields}
        data = {name: value for name, value in data.items() if value not in (None, False)}
        return data | changes

    data = sent_back(client.get(url).context["form"], expert_firm="Cabinet Renommé")
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    records.expertise.refresh_from_db()
    assert records.expertise.expert_firm == "Cabinet Renommé"
    assert records.expertise.report_delivered_on == later

    typed = {"expert_firm": "Cabinet tapé", "contested_on": later.isoformat()}
    response = client.post(url, sent_back(client.get(url).context["form"], **typed))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contested_on"]
    assert 'value="Cabinet tapé"' in response.content.decode()


# --- Management's answer -------------------------------------------------------------------------


def test_it_links_the_answer_to_the_consultations_motions(editor_a, records):
    motion = factories.MotionFactory(consultation=records.consultation)
    response = client_for(editor_a).post(
        reverse("consultations:response-create", args=[records.consultation.pk]),
        {
            "received_on": "2025-04-10",
            "channel": "letter",
            "stance": "partly",
            "motions": [motion.pk],
        },
    )
    assert response.status_code == 302
    assert list(ManagementResponse.objects.get().motions.all()) == [motion]


def test_it_refuses_a_motion_of_another_consultation(editor_a, records):
    other = factories.MotionFactory(
        consultation=factories.ConsultationFactory(body=records.body), title="Motion d'ailleurs"
    )
    url = reverse("consultations:response-create", args=[records.consultation.pk])
    form = client_for(editor_a).get(url).context["form"]
    assert other not in form.fields["motions"].queryset
    response = client_for(editor_a).post(
        url,
        {
            "received_on": "2025-04-10",
            "channel": "letter",
            "stance": "rejects",
            "motions": [other.pk],
        },
    )
    assert response.status_code == 200
    assert (
        "Cette motion n&#x27;est pas une motion de cette consultation." in response.content.decode()
    )
    assert not ManagementResponse.objects.exists()


def test_it_refuses_an_answer_before_the_information(editor_a, records):
    response = client_for(editor_a).post(
        reverse("consultations:response-create", args=[records.consultation.pk]),
        {
            "received_on": "2025-01-10",
            "channel": "letter",
            "stance": "rejects",
            "text": "Texte tapé",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Une réponse ne peut pas précéder la remise des informations." in page
    assert "Texte tapé" in page


def test_it_refuses_an_answer_to_a_motion_adopted_after_it(editor_a, records):
    """Each motion adopted after the answer is named (of two, only the first was)."""
    motions = [
        factories.MotionFactory(
            consultation=records.consultation,
            title=f"Motion du {day} mars",
            adopted_on=datetime.date(2025, 3, day),
        )
        for day in (20, 21)
    ]
    response = client_for(editor_a).post(
        reverse("consultations:response-create", args=[records.consultation.pk]),
        {
            "received_on": "2025-03-15",
            "channel": "letter",
            "stance": "rejects",
            "motions": [motion.pk for motion in motions],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["motions"] == [
        "Une réponse reçue le 15 mars 2025 ne peut pas répondre à la motion "
        f"«\u00a0Motion du {day} mars\u00a0», adoptée après, le {day} mars 2025."
        for day in (20, 21)
    ]
    assert not ManagementResponse.objects.exists()


def test_an_answer_sent_again_is_refused_not_recorded_twice(editor_a, records):
    """The browser's back button brings the form back filled in: sent again, the same answer
    was recorded twice, and showed twice in the timeline and the dossier."""
    url = reverse("consultations:response-create", args=[records.consultation.pk])
    data = {
        "received_on": "2025-04-10",
        "channel": "letter",
        "stance": "rejects",
        "text": "La direction maintient son projet.",
    }
    client = client_for(editor_a)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["received_on"]
    assert message.startswith(
        "Cette réponse est déjà enregistrée pour cette consultation (reçue le 10 avril 2025,"
    )
    assert ManagementResponse.objects.count() == 1
    # Another answer the same day, told apart by its text, is recorded.
    assert client.post(url, data | {"text": "Second courrier."}).status_code == 302
    assert ManagementResponse.objects.count() == 2


def test_a_text_of_more_than_ten_pages_is_refused_in_words_and_kept(editor_a, records):
    """A paste of megabytes made the page as heavy and the PDF dossier take minutes. The text
    area has no maxlength: a browser would cut a long paste without a word."""
    url = reverse("consultations:response-create", args=[records.consultation.pk])
    assert "maxlength" not in client_for(editor_a).get(url).content.decode()
    text = "Réponse très longue. " * 1500  # 31,500 characters
    response = client_for(editor_a).post(
        url, {"received_on": "2025-04-10", "channel": "letter", "stance": "rejects", "text": text}
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["text"]
    assert "au plus 30000 caractères" in message
    assert text.strip() in html.unescape(response.content.decode())
    assert not ManagementResponse.objects.exists()


# --- Documents -----------------------------------------------------------------------------------


def upload(client, records, file, **values):
    data = {"kind": "letter", "title": "Courrier de la direction", **values, "file": file}
    return client.post(
        reverse("consultations:document-upload", args=[records.consultation.pk]), data
    )


def test_it_accepts_a_pdf(editor_a, records):
    response = upload(client_for(editor_a), records, SimpleUploadedFile("courrier.pdf", PDF))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.consultation == records.consultation
    assert document.file.name.endswith("courrier.pdf")


def test_it_refuses_an_executable(editor_a, records):
    exe = SimpleUploadedFile("outil.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = upload(client_for(editor_a), records, exe)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce type de fichier n&#x27;est pas accepté" in page
    assert 'value="Courrier de la direction"' in page
    assert "Le fichier, lui, est à choisir à nouveau" in page  # a browser does not keep it
    assert page.count("choisi") == 1, "said once, in the summary, not again under it"
    assert not Document.objects.exists()


def test_it_says_a_file_named_pdf_is_not_one(editor_a, records):
    fake = SimpleUploadedFile("courrier.pdf", b"Ceci est un texte, pas un PDF.\n" * 20)
    response = upload(client_for(editor_a), records, fake)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ce fichier porte l'extension .pdf mais son contenu n'en est pas un" in page
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 160 + ".pdf", "trop long (164 caractères) : renommez-le en 150 caractères au plus"),
        ("é" * 120 + ".pdf", "ses lettres accentuées ou ses symboles comptent double"),
        # Cut to 255 characters on upload: its length is not known, and not said (found by QA).
        ("x" * 300 + ".pdf", "trop long (255 caractères ou plus) : renommez-le en 150 caractères"),
    ],
)
def test_a_file_name_too_long_is_refused_with_the_right_reason(editor_a, records, name, message):
    response = upload(client_for(editor_a), records, SimpleUploadedFile(name, PDF))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode()).replace("\u00a0", " ")
    assert not Document.objects.exists()


def test_it_requires_a_file(editor_a, records):
    response = client_for(editor_a).post(
        reverse("consultations:document-upload", args=[records.consultation.pk]),
        {"kind": "letter", "title": "Sans fichier"},
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Document.objects.exists()


def test_it_requires_the_justification_of_a_confidential_document(editor_a, records):
    response = upload(
        client_for(editor_a), records, SimpleUploadedFile("aipd.pdf", PDF), confidential="on"
    )
    assert response.status_code == 200
    assert "recopiez sa justification" in response.content.decode()
    assert not Document.objects.exists()
    response = upload(
        client_for(editor_a),
        records,
        SimpleUploadedFile("aipd.pdf", PDF),
        confidential="on",
        confidentiality_justification="Stratégie commerciale non publiée",
    )
    assert response.status_code == 302
    assert Document.objects.get().confidential is True


def test_it_asks_for_a_multipart_form(editor_a, records):
    page = (
        client_for(editor_a)
        .get(reverse("consultations:document-upload", args=[records.consultation.pk]))
        .content.decode()
    )
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf' in page


@pytest.mark.parametrize(
    ("subject", "adopted", "label"),
    [
        ("agreement", False, "rejeté"),  # 4 of 10 seats: no majority of the titulaires élus
        ("motion", True, "adoptée"),  # 4 of 6 present
    ],
)
def test_an_agreement_on_the_periods_needs_a_majority_of_the_seats(
    editor_a, records, subject, adopted, label
):
    """LEGAL.md (c): agreements on consultation periods (L2312-16) are adopted by a majority of
    the titulaires élus, not of the members present."""
    records.body.seats = 10
    records.body.save()
    vote = {
        "subject": subject,
        "question": "Accord sur un délai de 30 jours",
        "votes_for": "4",
        "votes_against": "2",
        "voting_members_present": "6",
    }
    response = client_for(editor_a).post(meeting_log_url(records), meeting_data(records.body, vote))
    assert response.status_code == 302
    saved = Vote.objects.get(question="Accord sur un délai de 30 jours")
    assert saved.adopted is adopted
    assert saved.result_label == label


def test_the_consultation_page_says_until_when_the_employer_may_contest(editor_a, records):
    records.expertise.cost_notified_on = datetime.date(2025, 3, 21)
    records.expertise.save()
    url = reverse("consultations:consultation-detail", args=[records.consultation.pk])
    page = client_for(editor_a).get(url).content.decode().replace("\u00a0", " ")
    assert "Contestation possible par l'employeur devant le juge (10 jours, L2315-86)" in page
    assert "Le coût prévisionnel, l&#x27;étendue ou la durée : jusqu'au 31 mars 2025" in page
    assert "délai écoulé" in page
    records.expertise.contested_on = datetime.date(2025, 3, 24)
    records.expertise.save()
    page = client_for(editor_a).get(url).content.decode().replace("\u00a0", " ")
    assert "L'employeur a saisi le juge le 24 mars 2025." in page
    assert "délai écoulé" not in page and "délai ouvert" not in page


def test_the_establishments_opinions_date_is_asked_only_where_a_central_cse_is(
    organisation_a, editor_a
):
    """Only a central CSE receives the establishments' opinions (R2312-6 II)."""
    factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE)
    client = client_for(editor_a)
    url = reverse("consultations:consultation-create")
    assert 'name="establishment_opinions_received_on"' not in client.get(url).content.decode()
    factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    assert 'name="establishment_opinions_received_on"' in client.get(url).content.decode()


def test_the_central_information_date_is_asked_only_where_an_establishment_cse_is(
    organisation_a, editor_a
):
    """Only an establishment's side counts from the central's information (R2312-6 II)."""
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    client = client_for(editor_a)
    url = reverse("consultations:consultation-create")
    assert 'name="central_information_received_on"' not in client.get(url).content.decode()
    factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    assert 'name="central_information_received_on"' in client.get(url).content.decode()


def test_an_establishment_records_the_central_information_date_and_shows_it(
    organisation_a, editor_a
):
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    consultation = factories.ConsultationFactory(
        body=establishment,
        deployment__organisation=organisation_a,
        two_level=True,
        information_received_on=datetime.date(2025, 3, 17),
    )
    client = client_for(editor_a)
    url = reverse("consultations:consultation-edit", args=[consultation.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        body=establishment.pk,
        deployment=consultation.deployment.pk,
        information_received_on="2025-03-17",
        central_information_received_on="2025-03-03",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    consultation.refresh_from_db()
    assert consultation.central_information_received_on == datetime.date(2025, 3, 3)
    assert consultation.deadline_on == datetime.date(2025, 3, 27)
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = page.content.decode().replace("\u00a0", " ")
    assert "3 mars 2025 : le délai du CSE central court à compter de cette date" in text


def test_the_establishments_opinions_date_already_recorded_stays_on_the_form(
    organisation_a, editor_a
):
    """A date recorded (its central CSE since reorganised, say) is never hidden, nor lost."""
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE),
        deployment__organisation=organisation_a,
        establishment_opinions_received_on=datetime.date(2025, 4, 1),
    )
    page = client_for(editor_a).get(
        reverse("consultations:consultation-edit", args=[consultation.pk])
    )
    assert 'name="establishment_opinions_received_on"' in page.content.decode()


def test_a_date_typed_in_the_sites_format_comes_back_in_the_pickers(editor_a, records):
    """Found by an editor's QA pass: « 05/10/2026 », accepted, came back as typed beside
    another field's error; the browser's date picker showed it empty and the next save lost
    it."""
    url = reverse("consultations:consultation-create")
    data = consultation_data(records, title="", information_received_on="05/10/2026")
    response = client_for(editor_a).post(url, data)
    assert response.status_code == 200 and "title" in response.context["form"].errors
    page = response.content.decode()
    assert 'type="date"' in page and 'value="2026-10-05"' in page
    # A value the form cannot read stays as typed, beside its error.
    data = consultation_data(records, information_received_on="31/02/2026")
    response = client_for(editor_a).post(url, data)
    assert "information_received_on" in response.context["form"].errors
    assert 'value="31/02/2026"' in response.content.decode()


def test_the_error_summary_takes_the_focus_as_the_page_opens(editor_a, records):
    """A screen reader reads the summary at once and the keyboard starts from its links: a
    role="alert" already in the page as it loads is not announced by every screen reader."""
    vote = {"subject": "opinion", "votes_for": "10", "voting_members_present": "9"}
    response = client_for(editor_a).post(meeting_log_url(records), meeting_data(records.body, vote))
    page = response.content.decode()
    summary = re.search(r'<div [^>]*id="error-summary"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary
    # The summary is the page's only autofocus: a bound form's first field does not take it.
    assert page.count("autofocus") == 1

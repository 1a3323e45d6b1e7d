"""The site's forms say which texts a signed-out visitor reads on a public consultation (its page
and its public dossier) and which stay among the members, in one shared phrase per case
(forms.SHOWN_IN_PUBLIC...). Each field is checked against those pages, so that no help text lies
(found by a QA pass as an editor: the forms only said « Mise en forme Markdown acceptée »)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from consultations import forms
from consultations.models import Consultation

from .conftest import client_for
from .factories import (
    BodyFactory,
    ConsultationFactory,
    DemandFactory,
    DocumentFactory,
    ExpertiseFactory,
    ManagementResponseFactory,
    MeetingFactory,
    MotionFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

PHRASES = {
    "public": forms.SHOWN_IN_PUBLIC,
    "public if published": forms.SHOWN_IN_PUBLIC_IF_PUBLISHED,
    "public unless unpublished motion": forms.SHOWN_IN_PUBLIC_UNLESS_UNPUBLISHED_MOTION,
    "public unless confidential": forms.SHOWN_IN_PUBLIC_UNLESS_CONFIDENTIAL,
    "with published motions": forms.SHOWN_WITH_PUBLISHED_MOTIONS,
    "members": forms.KEPT_AMONG_MEMBERS,
}

# The text written in each field of the records below, by the help text's case.
SHOWN = {
    "public": {
        ("ConsultationEditForm", "title"): "Qztitle",
        ("ConsultationEditForm", "summary"): "Qzsummary",
        ("ExpertiseEditForm", "expert_firm"): "Qzfirm",
        ("ExpertiseEditForm", "obstacles"): "Qzobstacles",
        ("ExpertiseEditForm", "findings"): "Qzfindings",
        ("ResponseEditForm", "text"): "Qzanswer",
        ("DemandEditForm", "text"): "Qzdemand",
    },
    "public if published": {
        ("VoteWithMotionForm", "motion_title"): "Qzmotiontitle",
        ("VoteWithMotionForm", "motion_text"): "Qzmotiontext",
    },
    "public unless unpublished motion": {("VoteWithMotionForm", "question"): "Qzquestion"},
    "public unless confidential": {("DocumentUploadForm", "title"): "Qzdocument"},
    "with published motions": {
        ("MeetingLogForm", "place"): "Qzplace",
        ("MeetingEditForm", "place"): "Qzplace",
    },
    "members": {
        ("ConsultationEditForm", "internal_notes"): "Qznotes",
        ("ExpertiseEditForm", "estimated_cost"): "73519",
        ("ExpertiseEditForm", "final_cost"): "86427",
        ("DocumentUploadForm", "confidentiality_justification"): "Qzjustification",
        ("MeetingEditForm", "agenda"): "Qzagenda",
        ("MeetingEditForm", "notes"): "Qzmeetingnotes",
        ("DeploymentEditForm", "notes"): "Qzsystemnotes",
    },
}
# What the qualified cases leave out: a vote adopting an unpublished motion, its motion, a
# confidential document.
HIDDEN_BY_THE_CONDITION = ["Qzhiddenquestion", "Qzhiddenmotion", "Qzsecretdocument"]


@pytest.fixture
def consultation(organisation_a):
    """A public consultation with every text of the site's forms filled in."""
    body = BodyFactory(organisation=organisation_a)
    consultation = ConsultationFactory(
        body=body,
        visibility=Consultation.Visibility.PUBLIC,
        title="Qztitle",
        summary="La direction veut Qzsummary.",
        internal_notes="Stratégie Qznotes",
    )
    deployment = consultation.deployment
    deployment.notes = "Qzsystemnotes"
    deployment.save()
    meeting = MeetingFactory(
        body=body,
        held_on=datetime.date(2025, 3, 14),
        place="Qzplace",
        agenda="Qzagenda",
        notes="Qzmeetingnotes",
    )
    meeting.consultations.add(consultation)
    VoteFactory(meeting=meeting, consultation=consultation, question="Qzquestion")
    for title, text, question, published in (
        ("Qzmotiontitle", "Le CSE demande Qzmotiontext.", "Adoption", True),
        ("Qzhiddenmotion", "Texte en préparation.", "Qzhiddenquestion", False),
    ):
        vote = VoteFactory(meeting=meeting, consultation=consultation, question=question)
        MotionFactory(
            consultation=consultation,
            adopting_vote=vote,
            adopted_on=meeting.held_on,
            title=title,
            text=text,
            published=published,
        )
    ExpertiseFactory(
        consultation=consultation,
        expert_firm="Qzfirm",
        obstacles="Accès refusé Qzobstacles",
        findings="Le système Qzfindings",
        estimated_cost=Decimal("73519"),
        final_cost=Decimal("86427"),
    )
    ManagementResponseFactory(consultation=consultation, text="La direction Qzanswer")
    DemandFactory(consultation=consultation, text="Qzdemand")
    DocumentFactory(consultation=consultation, title="Qzdocument")
    DocumentFactory(
        consultation=consultation,
        title="Qzsecretdocument",
        confidential=True,
        confidentiality_justification="Qzjustification",
    )
    return consultation


def site_forms(consultation, editor):
    """One of each of the site's edit forms, as its page builds it."""
    meeting = consultation.meetings.get()
    return [
        forms.DeploymentEditForm(instance=consultation.deployment, user=editor),
        forms.ConsultationEditForm(instance=consultation, user=editor),
        forms.MeetingLogForm(consultation=consultation, user=editor),
        forms.MeetingEditForm(instance=meeting),
        forms.VoteWithMotionForm(consultation=consultation),
        forms.ExpertiseEditForm(consultation=consultation),
        forms.ResponseEditForm(consultation=consultation),
        forms.DemandEditForm(consultation=consultation),
        forms.DocumentUploadForm(consultation=consultation),
    ]


def said_by_the_forms(consultation, editor):
    """{case: {(form, field)}} of every field whose help text says one of PHRASES."""
    found = {case: set() for case in PHRASES}
    for form in site_forms(consultation, editor):
        for name, field in form.fields.items():
            help_text = str(field.help_text)
            cases = [case for case, phrase in PHRASES.items() if str(phrase) in help_text]
            assert len(cases) <= 1, (type(form).__name__, name, cases)
            if cases:
                found[cases[0]].add((type(form).__name__, name))
    return found


def compact(text: str) -> str:
    """Without spaces of any kind, nor separators of thousands and decimals: « 73 519,00 € »
    reads 7351900€."""
    return re.sub(r"[\s\u00a0\u202f.,]", "", text)


def public_page(consultation) -> str:
    response = Client().get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    assert response.status_code == 200
    return compact(response.content.decode())


def public_dossier(consultation) -> str:
    response = Client().get(reverse("consultations:dossier-pdf", args=[consultation.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return compact("".join(page.extract_text() for page in reader.pages))


def test_each_field_says_whether_the_public_reads_it(consultation, editor_a):
    """Every field of the site's forms that says one of the phrases is one this module
    checks, and each field checked says its phrase."""
    expected = {case: set(fields) for case, fields in SHOWN.items()}
    assert said_by_the_forms(consultation, editor_a) == expected


def test_the_public_reads_the_fields_said_public(consultation):
    page, dossier = public_page(consultation), public_dossier(consultation)

    for case in ("public", "public if published", "public unless unpublished motion"):
        for field, text in SHOWN[case].items():
            assert text in page, field
            assert text in dossier, field
    assert "Qzdocument" in page and "Qzdocument" in dossier


def test_the_public_does_not_read_what_the_condition_leaves_out(consultation):
    page, dossier = public_page(consultation), public_dossier(consultation)

    for text in HIDDEN_BY_THE_CONDITION:
        assert text not in page and text not in dossier, text


def test_the_meeting_place_is_in_the_public_dossier_only(consultation):
    page, dossier = public_page(consultation), public_dossier(consultation)

    assert "Qzplace" in dossier  # under the published motion adopted there
    assert "Qzplace" not in page


def test_the_public_does_not_read_the_members_fields(consultation, editor_a):
    page, dossier = public_page(consultation), public_dossier(consultation)
    deployment_page = compact(
        Client()
        .get(reverse("consultations:deployment-detail", args=[consultation.deployment_id]))
        .content.decode()
    )

    for field, text in SHOWN["members"].items():
        assert text not in page, field
        assert text not in dossier, field
        assert text not in deployment_page, field
    # The members do read them: the checks above look for what is written.
    members_page = compact(
        client_for(editor_a)
        .get(reverse("consultations:consultation-detail", args=[consultation.pk]))
        .content.decode()
    )
    for text in ("Qznotes", "73519", "86427", "Qzjustification"):
        assert text in members_page, text

"""The consultation page tells its editors what the council voted that is not recorded yet: an
expert appointed by vote with no expertise entered, an opinion voted with no opinion entered."""

import datetime
import html

import pytest
from django.urls import reverse

from . import factories
from .conftest import client_for

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a)
    return factories.ConsultationFactory(
        body=body, deployment__organisation=organisation_a, information_received_on=D(2020, 7, 24)
    )


def vote(consultation, subject, held_on, **counts):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=held_on)
    meeting.consultations.add(consultation)
    return factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject=subject, **counts
    )


def page(user, consultation):
    response = client_for(user).get(
        reverse("consultations:consultation-detail", args=[consultation.pk])
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def test_an_expert_voted_but_not_entered_is_pointed_out(consultation, editor_a, reader_a):
    vote(consultation, "appoint_expert", D(2020, 7, 30))
    text = page(editor_a, consultation)
    assert "Le CSE a voté le recours à un expert le 30 juillet 2020" in text
    assert reverse("consultations:expertise-create", args=[consultation.pk]) in text
    assert "unrecorded-appointment" not in page(reader_a, consultation)  # readers cannot fix it
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2020, 7, 30))
    assert "unrecorded-appointment" not in page(editor_a, consultation)


def test_a_rejected_appointment_asks_for_nothing(consultation, editor_a):
    vote(consultation, "appoint_expert", D(2020, 7, 30), votes_for=2, voting_members_present=9)
    assert "unrecorded-appointment" not in page(editor_a, consultation)


def test_an_opinion_voted_but_not_entered_is_pointed_out(consultation, editor_a):
    vote(consultation, "opinion", D(2020, 9, 17))
    text = page(editor_a, consultation)
    assert "Un vote sur l'avis est consigné à la réunion du 17 septembre 2020" in text
    assert reverse("consultations:consultation-edit", args=[consultation.pk]) in text
    consultation.opinion, consultation.opinion_on = "unfavourable", D(2020, 9, 17)
    consultation.save()
    assert "unrecorded-opinion" not in page(editor_a, consultation)


def test_the_hints_speak_english(consultation, editor_a, settings):
    vote(consultation, "appoint_expert", D(2020, 7, 30))
    vote(consultation, "opinion", D(2020, 9, 17))
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = html.unescape(response.content.decode())
    assert "The council voted to call in an expert on 30 July 2020" in text
    assert "A vote on the opinion is recorded at the meeting of 17 September 2020" in text

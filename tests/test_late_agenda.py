"""A meeting whose agenda went out late (L2315-30: 3 days before; 8 for a central CSE,
L2316-17): members are warned on the consultation page, where they read its votes; the admin
already showed the step as done late."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Body, Consultation

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE de Sentinelle")
    return factories.ConsultationFactory(
        body=body,
        information_received_on=D(2025, 3, 3),
        visibility=Consultation.Visibility.PUBLIC,
    )


def meeting_with_vote(consultation, held_on, agenda_sent_on):
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=held_on, agenda_sent_on=agenda_sent_on
    )
    meeting.consultations.add(consultation)
    factories.VoteFactory(meeting=meeting, consultation=consultation)
    return meeting


@pytest.mark.parametrize(
    ("kind", "sent", "late"),
    [
        (Body.Kind.CSE, D(2025, 3, 17), False),  # 3 days before the 20th: the 17th at the latest
        (Body.Kind.CSE, D(2025, 3, 18), True),
        (Body.Kind.CSE, None, False),  # not recorded: nothing to say
        (Body.Kind.CSE_CENTRAL, D(2025, 3, 12), False),  # 8 days before
        (Body.Kind.CSE_CENTRAL, D(2025, 3, 13), True),
        (Body.Kind.CSSCT, D(2025, 3, 19), False),  # no statutory notice (L2315-41)
    ],
)
def test_it_knows_an_agenda_sent_late(organisation_a, kind, sent, late):
    body = factories.BodyFactory(organisation=organisation_a, kind=kind)
    meeting = factories.MeetingFactory(body=body, held_on=D(2025, 3, 20), agenda_sent_on=sent)
    assert (meeting.late_agenda() is not None) is late


def test_members_are_warned_and_the_public_is_not(consultation, reader_a, client):
    meeting_with_vote(consultation, D(2025, 3, 10), D(2025, 3, 1))
    late = meeting_with_vote(consultation, D(2025, 3, 20), D(2025, 3, 19))
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = client_for(reader_a).get(url).content.decode()
    assert page.count('id="late-agenda-') == 1 and f'id="late-agenda-{late.pk}"' in page
    # The day it was due, then how it is computed (a representative's QA pass found « après le
    # 17 mars 2025 : 3 jours avant la réunion… » read as if the gap were 3 days).
    assert (
        "L'ordre du jour de la réunion du 20 mars 2025 a été envoyé le 19 mars 2025 ; il devait "
        "l'être au plus tard le 17 mars 2025, 3 jours avant la réunion du 20 mars 2025 (L2315-30)."
    ) in html.unescape(page).replace("\u00a0", " ").replace("\u202f", " ")
    assert "peuvent être contestées" in page
    assert 'id="late-agenda-' not in client.get(url).content.decode()


def test_the_page_makes_no_query_more_for_it(consultation, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    meeting_with_vote(consultation, D(2025, 3, 10), D(2025, 3, 1))

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page.count('id="late-agenda-')

    in_time = queries()
    meeting_with_vote(consultation, D(2025, 3, 20), D(2025, 3, 19))
    meeting_with_vote(consultation, D(2025, 3, 21), D(2025, 3, 21))
    assert in_time[1] == 0
    assert queries() == (in_time[0], 2)


def test_a_cssct_meeting_has_no_statutory_agenda_or_minutes_step(organisation_a):
    """L2315-30 and L2315-34 are the CSE's: the workspace, the calendar and the reminders list
    no late agenda for a CSSCT meeting (L2315-41, L2315-44)."""
    cssct = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSSCT, seats=3)
    meeting = factories.MeetingFactory(body=cssct, held_on=D(2025, 3, 20))
    assert meeting.steps(on=D(2025, 6, 1)) == []
    cse = factories.BodyFactory(organisation=organisation_a)
    assert [step.key for step in factories.MeetingFactory(body=cse).steps()] == [
        "agenda",
        "minutes",
    ]

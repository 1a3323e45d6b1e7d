"""Minutes sent after their due date (L2315-34: 15 days after the meeting, or before the next
one if it comes sooner; LEGAL.md (a) 15): members are warned on the consultation page, as of an
agenda sent late; the « Réunions » section alone said « Fait en retard »."""

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


def meeting_on_agenda(consultation, held_on, minutes_sent_on):
    meeting = factories.MeetingFactory(
        body=consultation.body,
        held_on=held_on,
        agenda_sent_on=held_on - datetime.timedelta(days=5),
        minutes_sent_on=minutes_sent_on,
    )
    meeting.consultations.add(consultation)
    return meeting


def text_of(response):
    return html.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("kind", "sent", "next_meeting", "late"),
    [
        # 15 days after 20 March 2025, the day itself not counted: 4 April at the latest.
        (Body.Kind.CSE, D(2025, 4, 4), None, False),
        (Body.Kind.CSE, D(2025, 4, 5), None, True),
        (Body.Kind.CSE, None, None, False),  # not recorded: nothing to say
        (Body.Kind.CSE_CENTRAL, D(2025, 4, 5), None, True),
        # The next meeting on 28 March: the minutes before it, by the 27th.
        (Body.Kind.CSE, D(2025, 3, 27), D(2025, 3, 28), False),
        (Body.Kind.CSE, D(2025, 3, 28), D(2025, 3, 28), True),
        (Body.Kind.CSSCT, D(2025, 5, 20), None, False),  # no statutory minutes (L2315-44)
    ],
)
def test_it_knows_minutes_sent_late(organisation_a, kind, sent, next_meeting, late):
    body = factories.BodyFactory(organisation=organisation_a, kind=kind, seats=9)
    meeting = factories.MeetingFactory(body=body, held_on=D(2025, 3, 20), minutes_sent_on=sent)
    if next_meeting:
        factories.MeetingFactory(body=body, held_on=next_meeting)
    due = meeting.late_minutes()
    assert (due is not None) is late
    if late:
        assert due.date == (
            next_meeting - datetime.timedelta(days=1) if next_meeting else D(2025, 4, 4)
        )


def test_members_are_warned_and_the_public_is_not(consultation, reader_a, client):
    meeting_on_agenda(consultation, D(2025, 3, 10), D(2025, 3, 14))
    late = meeting_on_agenda(consultation, D(2025, 3, 20), D(2025, 4, 7))
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = text_of(client_for(reader_a).get(url))
    assert page.count('id="late-minutes-') == 1 and f'id="late-minutes-{late.pk}"' in page
    # The day it was due, then how it is computed, as for a late agenda.
    assert (
        "Le procès-verbal de la réunion du 20 mars 2025 a été transmis le 7 avril 2025 ; il "
        "devait l'être au plus tard le 4 avril 2025, 15 jours à compter de la réunion du "
        "20 mars 2025, jour non compté (L2315-34 ; D2315-26, numéro d'article à vérifier ; "
        "CPC 641)."
    ) in page
    assert "à la réunion qui suit la transmission du procès-verbal (L2315-34)" in page
    assert "à défaut d'accord en fixant un autre (L2315-34)" in page
    assert 'id="late-minutes-' not in client.get(url).content.decode()


def test_the_warning_speaks_english(consultation, reader_a, settings):
    meeting_on_agenda(consultation, D(2025, 3, 20), D(2025, 4, 7))
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text_of(client.get(reverse("consultations:consultation-detail", args=[consultation.pk])))
    assert "The minutes of the meeting of 20 March 2025 were sent on 7 April 2025" in page
    assert "Le procès-verbal de la réunion" not in page


def test_the_page_makes_no_query_more_for_it(consultation, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    meeting_on_agenda(consultation, D(2025, 3, 10), D(2025, 3, 14))

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page.count('id="late-minutes-')

    in_time = queries()
    meeting_on_agenda(consultation, D(2025, 3, 20), D(2025, 4, 7))
    meeting_on_agenda(consultation, D(2025, 4, 10), D(2025, 4, 30))
    assert in_time[1] == 0
    assert queries() == (in_time[0], 2)

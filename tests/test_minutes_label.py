"""The dates due of a meeting's agenda and minutes name the meeting by its day, in the workspace,
the reminders and the calendar feed alike (Meeting.steps(naming_meeting=True)): « Transmission
du procès-verbal » listed once per meeting, two items of one consultation read the same (found
by a QA pass as an editor). The consultation's page and the meeting's page list the steps under
the meeting's heading: they keep the short labels."""

import datetime
import html

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from . import factories
from .conftest import client_for
from .test_calendar import feed

pytestmark = pytest.mark.django_db

D = datetime.date
# Between the two meetings: the first one's minutes are late (due the day before the second,
# L2315-34), the second one's to come.
TODAY = datetime.datetime(2025, 3, 21, 8, 0)
FIRST = "Transmission du procès-verbal de la réunion du 10 mars 2025"
SECOND = "Transmission du procès-verbal de la réunion du 20 mars 2025"


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE de Sentinelle")
    consultation = factories.ConsultationFactory(body=body, title="Analyse des appels")
    for day in (D(2025, 3, 10), D(2025, 3, 20)):
        meeting = factories.MeetingFactory(
            body=body, held_on=day, agenda_sent_on=day - datetime.timedelta(days=5)
        )
        meeting.consultations.add(consultation)
    return consultation


def text(response):
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def test_the_workspace_names_the_meeting_of_each_minutes(consultation, reader_a):
    with time_machine.travel(TODAY, tick=False):
        response = client_for(reader_a).get(reverse("consultations:workspace"))
    rows = [*response.context["upcoming"], *response.context["late_steps"]]
    labels = sorted(str(item.label) for item, *_rest in rows if item.step == "minutes")
    assert labels == [FIRST, SECOND]
    page = text(response)
    assert FIRST in page and SECOND in page


def test_the_agenda_names_its_meeting_too(consultation, reader_a):
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=D(2025, 4, 2), agenda_sent_on=None
    )
    meeting.consultations.add(consultation)
    with time_machine.travel(TODAY, tick=False):
        response = client_for(reader_a).get(reverse("consultations:workspace"))
    assert "Envoi de l'ordre du jour de la réunion du 2 avril 2025" in text(response)


def test_the_workspace_asks_no_query_more_for_the_meetings_days(consultation, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:workspace")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    with time_machine.travel(TODAY, tick=False):
        client.get(url)
        before = queries()
        meeting = factories.MeetingFactory(
            body=consultation.body, held_on=D(2025, 3, 18), agenda_sent_on=D(2025, 3, 12)
        )
        meeting.consultations.add(consultation)
        assert queries() == before


@pytest.fixture
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.usefixtures("_locmem")
def test_the_reminders_name_the_meeting_of_each_minutes(consultation, reader_a):
    # Both still to come: the first due on 19 March, the day before the second meeting.
    with time_machine.travel(datetime.datetime(2025, 3, 12, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=30)
    (message,) = [m for m in mail.outbox if m.to == ["reader-a@example.org"]]
    body = message.body.replace("\u00a0", " ")
    assert FIRST in body and SECOND in body


def test_the_calendar_feed_names_the_meeting_of_each_minutes(consultation, reader_a, client):
    with time_machine.travel(TODAY, tick=False):
        events = Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT")
    summaries = sorted(
        str(event["summary"]) for event in events if "procès-verbal" in str(event["summary"])
    )
    assert summaries == [f"{FIRST} — Analyse des appels", f"{SECOND} — Analyse des appels"]


def test_the_pages_that_head_each_meeting_keep_the_short_label(consultation, editor_a):
    client = client_for(editor_a)
    with time_machine.travel(TODAY, tick=False):
        page = text(
            client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
        )
        meeting = consultation.meetings.order_by("held_on").first()
        edit_page = text(client.get(reverse("consultations:meeting-edit", args=[meeting.pk])))
    # Under the heading « 10 mars 2025 — CSE de Sentinelle », each of the two meetings.
    assert page.count("Transmission du procès-verbal :") == 2
    assert "Transmission du procès-verbal de la réunion" not in page
    assert "Transmission du procès-verbal de la réunion" not in edit_page
    assert "Transmission du procès-verbal" in edit_page


def test_the_labels_read_in_english(consultation, reader_a, settings):
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(TODAY, tick=False):
        page = text(client.get(reverse("consultations:workspace")))
    assert "Sending of the minutes of the meeting of 20 March 2025" in page

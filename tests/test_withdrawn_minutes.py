"""The minutes of a meeting whose projects were all withdrawn (found by a representative's QA
pass): the secretary owes the minutes of a meeting held (L2315-34 concerns the meeting, not the
project; LEGAL.md (a) 15), yet the workspace, the reminders and the calendar feed listed the
dates of open consultations only, so that such a meeting's minutes were in none of them. They
are listed while not sent; the withdrawn project's own dates stay out."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from consultations.due_dates import due_items
from consultations.models import Consultation

from . import factories
from .conftest import client_for
from .test_calendar import feed

D = datetime.date
pytestmark = pytest.mark.django_db
# The minutes of the meeting of 20 March 2025, named by its day as every meeting's step.
WITHDRAWN = ", due même si le projet est retiré (L2315-34)"
LABEL = f"Transmission du procès-verbal de la réunion du 20 mars 2025{WITHDRAWN}"


@pytest.fixture
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def body(organisation_a):
    return factories.BodyFactory(organisation=organisation_a, name="CSE de Sentinelle")


@pytest.fixture
def withdrawn(body):
    """A project withdrawn after its meeting of 20 March 2025, with an expert designated (whose
    steps are no longer due)."""
    consultation = factories.ConsultationFactory(
        body=body, title="Projet retiré Alpha", status=Consultation.Status.WITHDRAWN
    )
    factories.ExpertiseFactory(consultation=consultation, designated_on=D(2025, 3, 20))
    return consultation


def meeting_of(body, held_on, *consultations, **facts):
    facts = {"agenda_sent_on": held_on - datetime.timedelta(days=5)} | facts
    meeting = factories.MeetingFactory(body=body, held_on=held_on, **facts)
    meeting.consultations.add(*consultations)
    return meeting


def workspace(user):
    return client_for(user).get(reverse("consultations:workspace"))


def listed(response):
    """(label, consultation title, day) of the workspace's dates, to come and late."""
    rows = [*response.context["upcoming"], *response.context["late_steps"]]
    return [(str(item.label), item.consultation.title, item.on) for item, *_rest in rows]


def test_the_workspace_lists_their_minutes_and_nothing_else_of_the_project(
    withdrawn, body, reader_a
):
    meeting = meeting_of(body, D(2025, 3, 20), withdrawn)
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        # 15 days after 20 March, the day not counted: 4 April.
        assert listed(workspace(reader_a)) == [(LABEL, "Projet retiré Alpha", D(2025, 4, 4))]
    with time_machine.travel(datetime.datetime(2025, 4, 10, 8, 0), tick=False):
        response = workspace(reader_a)
        assert listed(response) == [(LABEL, "Projet retiré Alpha", D(2025, 4, 4))]
        assert response.context["late_count"] == 1  # late, with the page to record it
        meeting.minutes_sent_on = D(2025, 4, 9)
        meeting.save()
        assert listed(workspace(reader_a)) == []


def test_a_meeting_not_yet_held_lists_nothing_for_a_withdrawn_project(withdrawn, body, reader_a):
    """Its agenda is not due for a project withdrawn, nor its minutes before it is held."""
    meeting_of(body, D(2025, 4, 20), withdrawn, agenda_sent_on=None)
    with time_machine.travel(datetime.datetime(2025, 4, 10, 8, 0), tick=False):
        assert listed(workspace(reader_a)) == []


def test_a_meeting_of_a_project_still_followed_is_listed_under_it_once(withdrawn, body, reader_a):
    followed = factories.ConsultationFactory(body=body, title="Projet suivi Bravo")
    meeting_of(body, D(2025, 3, 20), withdrawn, followed)
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        minutes = [row for row in listed(workspace(reader_a)) if "procès-verbal" in row[0]]
    assert minutes == [
        (
            "Transmission du procès-verbal de la réunion du 20 mars 2025",
            "Projet suivi Bravo",
            D(2025, 4, 4),
        )
    ]


def test_a_closed_file_or_a_cssct_meeting_is_not_concerned(body, organisation_a, reader_a):
    """A closed file is the representatives' own choice; a CSSCT has no statutory minutes."""
    closed = factories.ConsultationFactory(body=body, status=Consultation.Status.CLOSED)
    meeting_of(body, D(2025, 3, 20), closed)
    cssct = factories.BodyFactory(organisation=organisation_a, kind="cssct", seats=3)
    withdrawn = factories.ConsultationFactory(body=body, status=Consultation.Status.WITHDRAWN)
    meeting_of(cssct, D(2025, 3, 20), withdrawn)
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        assert listed(workspace(reader_a)) == []


@pytest.mark.usefixtures("_locmem")
def test_the_reminders_name_their_minutes(withdrawn, body, reader_a):
    meeting_of(body, D(2025, 3, 20), withdrawn)
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
    (message,) = [m for m in mail.outbox if m.to == ["reader-a@example.org"]]
    assert LABEL in message.body and "Projet retiré Alpha" in message.body
    assert "expert" not in message.body.lower()  # the expert's steps are no longer due


def test_the_calendar_feed_holds_their_minutes(withdrawn, body, reader_a, client):
    meeting = meeting_of(body, D(2025, 3, 20), withdrawn)
    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        events = Calendar.from_ical(feed(client, reader_a).content).walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [
        f"vigie-meeting-{meeting.pk}-minutes@testserver"
    ]
    assert str(events[0]["summary"]) == f"{LABEL} — Projet retiré Alpha"


def test_the_workspace_asks_no_query_more_for_them(withdrawn, body, reader_a, organisation_a):
    followed = factories.ConsultationFactory(body=body, title="Projet suivi Bravo")
    meeting_of(body, D(2025, 3, 20), followed)
    url = reverse("consultations:workspace")
    client = client_for(reader_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), sum(row[0].endswith(WITHDRAWN) for row in listed(response))

    with time_machine.travel(datetime.datetime(2025, 3, 25, 8, 0), tick=False):
        client.get(url)
        without = queries()
        meeting_of(body, D(2025, 3, 21), withdrawn)
        other = factories.ConsultationFactory(body=body, status=Consultation.Status.WITHDRAWN)
        meeting_of(body, D(2025, 3, 22), other)
        assert without[1] == 0
        assert queries() == (without[0], 2)


def test_due_items_leave_them_out_unless_asked(withdrawn, body):
    meeting_of(body, D(2025, 3, 20), withdrawn)
    everyone = Consultation.objects.all()
    open_ones = everyone.filter(status=Consultation.Status.OPEN)
    assert due_items(open_ones, today=D(2025, 3, 25)) == []
    (item,) = due_items(open_ones, today=D(2025, 3, 25), withdrawn=everyone.withdrawn())
    assert (item.step, item.on, item.consultation.pk) == ("minutes", D(2025, 4, 4), withdrawn.pk)

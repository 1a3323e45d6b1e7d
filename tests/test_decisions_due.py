"""Management's reasoned decision on the proposals the council adopted is among the dates due
(L2315-34; LEGAL.md (a) 16): one item per meeting it is due at, whatever the number of motions,
on the workspace, in the reminders and in the calendar feed; late once that meeting passed with
no decision recorded; none once it came, nor while the meeting is not known."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from consultations.due_dates import consultation_queryset, due_items, items_for
from consultations.models import Body, CalendarToken, Consultation, ManagementResponse, Motion
from consultations.rules.clock import StepState

from . import factories
from .conftest import client_for
from .test_workspace_speed import assert_same_items, assert_same_items_with_withdrawn

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
LABEL = (
    "Décision motivée de la direction sur les motions n° 2025-01, 2025-02 (réunion du 12 mai 2025)"
)


def spaced(text: str) -> str:
    """A label with its no-break spaces (« n° 2025-01 », French typography) as plain ones."""
    return text.replace("\u00a0", " ")


@pytest.fixture
def cse(organisation_a):
    return factories.BodyFactory(organisation=organisation_a, seats=25)


def new_consultation(body, **fields):
    return factories.ConsultationFactory(
        body=body,
        deployment__organisation=body.organisation,
        information_received_on=fields.pop("information_received_on", D(2025, 4, 1)),
        **fields,
    )


def adopt(consultation, meeting, kind=Motion.Kind.MOTION):
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    return factories.MotionFactory(
        consultation=consultation, adopting_vote=vote, adopted_on=None, kind=kind
    )


@pytest.fixture
def consultation(cse):
    """Two motions adopted on 10 April 2025, whose minutes went out on 25 April; the council
    meets next on 12 May: management's decision on both is due then."""
    consultation = new_consultation(cse, title="Projet Argos")
    april = factories.MeetingFactory(
        body=cse,
        held_on=D(2025, 4, 10),
        agenda_sent_on=D(2025, 4, 4),
        minutes_sent_on=D(2025, 4, 25),
    )
    adopt(consultation, april)
    adopt(consultation, april)
    factories.MeetingFactory(body=cse, held_on=D(2025, 5, 12), agenda_sent_on=D(2025, 5, 5))
    return consultation


def loaded(consultation):
    return consultation_queryset(Consultation.objects.filter(pk=consultation.pk)).get()


def decisions(consultation, today):
    return [item for item in items_for(loaded(consultation), today) if item.kind == "decision"]


def test_one_item_per_meeting_for_all_the_motions_due_at_it(consultation):
    (item,) = decisions(consultation, D(2025, 5, 1))
    assert spaced(item.label) == LABEL
    assert item.on == D(2025, 5, 12)
    assert item.uid == f"vigie-decision-{consultation.pk}-2025-05-12"
    assert item.state is StepState.PENDING and not item.late
    assert "L2315-34" in item.due.sources
    assert item.explanation.startswith("Décision motivée attendue à la réunion du 12 mai 2025")
    assert "le 25 avril 2025, du procès-verbal de la réunion du 10 avril 2025" in item.explanation
    # The same explanation for both motions: said once.
    assert item.explanation.count("L2315-34") == 1


def test_a_decision_not_recorded_after_the_meeting_is_late(consultation):
    assert decisions(consultation, D(2025, 5, 12))[0].state is StepState.PENDING
    (item,) = decisions(consultation, D(2025, 5, 13))
    assert item.late and item.state is StepState.LATE
    assert item.uid == f"vigie-decision-{consultation.pk}-2025-05-12"


def test_each_meeting_has_its_own_item(consultation, cse):
    june = factories.MeetingFactory(body=cse, held_on=D(2025, 6, 2), minutes_sent_on=D(2025, 6, 10))
    adopt(consultation, june, kind=Motion.Kind.RESOLUTION)
    factories.MeetingFactory(body=cse, held_on=D(2025, 6, 26))
    first, second = decisions(consultation, D(2025, 6, 12))
    assert (first.on, first.state) == (D(2025, 5, 12), StepState.LATE)
    assert (second.on, second.state) == (D(2025, 6, 26), StepState.PENDING)
    assert spaced(second.label) == (
        "Décision motivée de la direction sur la résolution n° 2025-03 (réunion du 26 juin 2025)"
    )


def test_many_motions_name_the_first_few_then_count_the_others(cse):
    consultation = new_consultation(cse)
    meeting = factories.MeetingFactory(
        body=cse, held_on=D(2025, 4, 10), minutes_sent_on=D(2025, 4, 25)
    )
    for kind in [Motion.Kind.MOTION] * 4 + [Motion.Kind.WISH]:
        adopt(consultation, meeting, kind=kind)
    factories.MeetingFactory(body=cse, held_on=D(2025, 5, 12))
    (item,) = decisions(consultation, D(2025, 5, 1))
    assert spaced(item.label) == (
        "Décision motivée de la direction sur les propositions n° 2025-01, 2025-02, 2025-03 "
        "et 2 autres (réunion du 12 mai 2025)"
    )


def test_a_decision_received_gives_no_item(consultation):
    first, second = consultation.motions.order_by("number")
    answer = factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2025, 5, 12)
    )
    answer.motions.set([first])
    (item,) = decisions(consultation, D(2025, 5, 20))
    assert spaced(item.label) == (
        "Décision motivée de la direction sur la motion n° 2025-02 (réunion du 12 mai 2025)"
    )
    # An answer naming no motion, taking a position after their adoption: a decision on both.
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 5, 14))
    assert decisions(consultation, D(2025, 5, 20)) == []
    # But not an answer that says nothing of the substance.
    ManagementResponse.objects.exclude(pk=answer.pk).update(
        stance=ManagementResponse.Stance.NO_ANSWER
    )
    assert len(decisions(consultation, D(2025, 5, 20))) == 1
    assert due_items(Consultation.objects.all(), today=D(2025, 5, 20), start=D(2025, 5, 1)) == [
        item for item in items_for(loaded(consultation), D(2025, 5, 20)) if item.on >= D(2025, 5, 1)
    ]


def test_no_item_while_the_meeting_it_is_due_at_is_not_known(cse):
    unsent = new_consultation(cse)
    adopt(unsent, factories.MeetingFactory(body=cse, held_on=D(2025, 4, 10)))
    no_meeting = new_consultation(cse)
    adopt(
        no_meeting,
        factories.MeetingFactory(body=cse, held_on=D(2025, 4, 17), minutes_sent_on=D(2025, 4, 25)),
    )
    for consultation in (unsent, no_meeting):
        assert decisions(consultation, D(2025, 5, 1)) == []
        assert consultation.motions.get().decision([], D(2025, 5, 1)).due_on is None
    kinds = [item.kind for item in due_items(Consultation.objects.all(), today=D(2025, 5, 1))]
    assert "decision" not in kinds and "deadline" in kinds


def test_statements_opinions_and_a_cssct_s_texts_give_none(cse, organisation_a):
    consultation = new_consultation(cse)
    meeting = factories.MeetingFactory(
        body=cse, held_on=D(2025, 4, 10), minutes_sent_on=D(2025, 4, 25)
    )
    adopt(consultation, meeting, kind=Motion.Kind.STATEMENT)
    adopt(consultation, meeting, kind=Motion.Kind.OPINION)
    factories.MeetingFactory(body=cse, held_on=D(2025, 5, 12))
    cssct = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSSCT, seats=4, parent=cse
    )
    adopt(
        consultation,
        factories.MeetingFactory(
            body=cssct, held_on=D(2025, 4, 11), minutes_sent_on=D(2025, 4, 20)
        ),
    )
    factories.MeetingFactory(body=cssct, held_on=D(2025, 5, 2))
    assert decisions(consultation, D(2025, 5, 1)) == []
    assert [item.kind for item in due_items(Consultation.objects.all(), today=D(2025, 5, 1))] == [
        "deadline"
    ]


@pytest.fixture
def many(cse, consultation, organisation_a):
    """Besides ``consultation``: decisions due, late, received, unknown; two bodies; a withdrawn
    project and a closed file with a decision awaited."""
    other = factories.BodyFactory(organisation=organisation_a)
    for index, body in enumerate((cse, other, cse)):
        adopted_on = D(2025, 3, 3) + index * 9 * DAY
        meeting = factories.MeetingFactory(
            body=body, held_on=adopted_on, minutes_sent_on=adopted_on + (index + 3) * DAY
        )
        consultation = new_consultation(body, information_received_on=D(2025, 2, 20))
        for _index in range(index + 1):
            adopt(consultation, meeting)
        if index == 2:
            factories.ManagementResponseFactory(
                consultation=consultation, received_on=D(2025, 4, 20)
            ).motions.set(consultation.motions.all()[:1])
    factories.MeetingFactory(body=other, held_on=D(2025, 4, 2))
    factories.MeetingFactory(body=other, held_on=D(2025, 6, 3), minutes_sent_on=None)
    for status in ("withdrawn", "closed"):
        project = new_consultation(cse, status=status)
        adopt(
            project,
            factories.MeetingFactory(
                body=cse, held_on=D(2025, 4, 14), minutes_sent_on=D(2025, 4, 28)
            ),
        )


@pytest.mark.usefixtures("many")
def test_due_items_agree_with_the_definition():
    compared = 0
    for today in (D(2025, 3, 1) + days * DAY for days in range(0, 120, 3)):
        compared += assert_same_items(Consultation.objects.all(), today)
        compared += assert_same_items(Consultation.objects.filter(status="open"), today)
        assert_same_items_with_withdrawn(
            Consultation.objects.filter(status="open"), Consultation.objects.withdrawn(), today
        )
    assert compared > 100
    kinds = {
        (item.kind, item.state)
        for today in (D(2025, 3, 20), D(2025, 5, 20))
        for item in due_items(Consultation.objects.all(), today=today)
    }
    assert {("decision", StepState.PENDING), ("decision", StepState.LATE)} <= kinds


@pytest.mark.usefixtures("many")
def test_a_withdrawn_project_or_a_closed_file_lists_no_decision():
    """As their own dates (the opinion, the answer, an expert's steps): a withdrawn project
    lists only the minutes of its meetings, a closed file nothing (due_items()'s callers list
    the open consultations)."""
    today = D(2025, 5, 1)
    shown = due_items(
        Consultation.objects.filter(status="open"),
        today=today,
        withdrawn=Consultation.objects.withdrawn(),
    )
    followed = {item.consultation.status for item in shown if item.kind == "decision"}
    assert followed == {"open"}
    withdrawn = Consultation.objects.withdrawn().get()
    assert [item.kind for item in shown if item.consultation == withdrawn] == []


def count_due_items_queries(today):
    with CaptureQueriesContext(connection) as queries:
        items = due_items(Consultation.objects.all(), today=today)
    return len(queries), items


def test_due_items_loads_the_motions_in_a_fixed_number_of_queries(consultation, cse):
    today = D(2025, 5, 1)
    few, items = count_due_items_queries(today)
    assert [item.kind for item in items].count("decision") == 1
    for index in range(4):
        body = factories.BodyFactory(organisation=cse.organisation)
        other = new_consultation(body)
        meeting = factories.MeetingFactory(
            body=body, held_on=D(2025, 4, 10), minutes_sent_on=D(2025, 4, 20)
        )
        for _index in range(index + 2):
            adopt(other, meeting)
        factories.ManagementResponseFactory(
            consultation=other, received_on=D(2025, 4, 1), stance="no_answer"
        )
        factories.MeetingFactory(body=body, held_on=D(2025, 5, 20))
    many, items = count_due_items_queries(today)
    assert [item.kind for item in items].count("decision") == 5
    assert many == few


def test_the_workspace_lists_the_decision_then_lists_it_late(consultation, reader_a):
    url = reverse("consultations:workspace")
    with time_machine.travel(datetime.datetime(2025, 5, 1, 8, 0), tick=False):
        response = client_for(reader_a).get(url)
    assert [item.kind for item, *_rest in response.context["upcoming"]].count("decision") == 1
    page = response.content.decode().replace("\u00a0", " ")
    assert LABEL in page
    with time_machine.travel(datetime.datetime(2025, 5, 20, 8, 0), tick=False):
        response = client_for(reader_a).get(url)
    (late,) = [item for item, *_rest in response.context["late_steps"] if item.kind == "decision"]
    assert spaced(late.label) == LABEL
    page = response.content.decode().replace("\u00a0", " ")
    assert LABEL in page
    # The label names the meeting's day, which is the day due: not given twice.
    assert f"{LABEL} (12/05/2025)" not in page


def test_the_reminder_names_the_decision_once(consultation, reader_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(datetime.datetime(2025, 5, 1, 8, 0), tick=False):
        call_command("send_deadline_reminders", days=14)
        call_command("send_deadline_reminders", days=14)
    (message,) = [m for m in mail.outbox if m.to == ["reader-a@example.org"]]
    body = message.body.replace("\u00a0", " ")
    assert f"- lundi 12 mai 2025 — {LABEL}" in body
    assert "(L2315-34)" in body
    assert body.count("Décision motivée de la direction sur") == 1


def test_the_calendar_feed_has_the_decision(consultation, reader_a, client):
    token = CalendarToken.for_user(reader_a).token
    with time_machine.travel(datetime.datetime(2025, 5, 1, 8, 0), tick=False):
        response = client.get(reverse("consultations:calendar-feed", args=[token]))
    events = {
        str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    event = events[f"vigie-decision-{consultation.pk}-2025-05-12@testserver"]
    assert event.decoded("dtstart") == D(2025, 5, 12)
    assert str(event["summary"]).replace("\u00a0", " ") == f"{LABEL} — Projet Argos"
    assert "L2315-34" in str(event["description"])

"""The clock state computed in SQL (for lists and filters) agrees with rules/clock.py."""

import datetime

import pytest

from consultations.models import Consultation

from . import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def variety():
    body = factories.BodyFactory()

    def make(**kw):
        return factories.ConsultationFactory(
            body=body, deployment__organisation=body.organisation, **kw
        )

    make(information_received_on=None)
    make(information_received_on=D(2025, 3, 3))
    with_expert = make(information_received_on=D(2025, 3, 3))
    factories.ExpertiseFactory(consultation=with_expert)
    stopped = make(information_received_on=D(2025, 3, 3))
    factories.ClockStopFactory(
        consultation=stopped, starts_on=D(2025, 3, 20), ends_on=D(2025, 4, 2)
    )
    make(information_received_on=D(2025, 3, 3), opinion="deemed_negative", opinion_on=D(2025, 4, 4))
    given = make(
        information_received_on=D(2025, 3, 3), opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    answered = make(
        information_received_on=D(2025, 3, 3), opinion="favourable", opinion_on=D(2025, 3, 28)
    )
    factories.ManagementResponseFactory(consultation=answered)
    silent = make(
        information_received_on=D(2025, 3, 3), opinion="reservations", opinion_on=D(2025, 3, 28)
    )
    factories.ManagementResponseFactory(consultation=silent, stance="no_answer")
    make(information_received_on=D(2025, 3, 3), status="withdrawn")
    # Matters the council is only informed of (L2312-38 al. 1 and 2): no period; an opinion
    # given anyway still awaits management's decision (L2315-34).
    make(information_received_on=D(2025, 3, 3), legal_bases=["L2312-38-1", "L2312-38-2"])
    make(
        information_received_on=D(2025, 3, 3),
        legal_bases=["L2312-38-2"],
        opinion="unfavourable",
        opinion_on=D(2025, 3, 28),
    )
    make(information_received_on=None, legal_bases=["L2312-38-1"])
    make(information_received_on=D(2025, 3, 3), legal_bases=["L2312-38-1"], status="withdrawn")
    make(information_received_on=D(2025, 3, 3), legal_bases=["L2312-38-1"], two_level=True)
    # Recorded as deemed negative before Vigie knew better: still reads so, in both.
    make(
        information_received_on=D(2025, 3, 3),
        legal_bases=["L2312-38-1"],
        opinion="deemed_negative",
        opinion_on=D(2025, 4, 4),
    )
    informed_answered = make(
        information_received_on=D(2025, 3, 3),
        legal_bases=["L2312-38-2"],
        opinion="favourable",
        opinion_on=D(2025, 3, 28),
    )
    factories.ManagementResponseFactory(consultation=informed_answered)
    informed_contested = make(information_received_on=D(2025, 3, 3), legal_bases=["L2312-38-2"])
    factories.ExpertiseFactory(
        consultation=informed_contested, designated_on=D(2025, 3, 14), contested_on=D(2025, 3, 20)
    )
    withdrawn_late = make(
        information_received_on=D(2025, 3, 3),
        status="withdrawn",
        opinion="unfavourable",
        opinion_on=D(2025, 3, 28),
    )
    factories.ManagementResponseFactory(consultation=withdrawn_late, received_on=D(2025, 4, 2))
    # An answer to the motions before the opinion does not answer the opinion.
    early = make(
        information_received_on=D(2025, 3, 3), opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    factories.ManagementResponseFactory(consultation=early, received_on=D(2025, 3, 20))
    # A vote appointing an expert, adopted, before any expertise is recorded: in time, too late,
    # and rejected.
    for held_on, votes_for in ((D(2025, 3, 14), 9), (D(2025, 4, 10), 9), (D(2025, 3, 14), 2)):
        voted = make(information_received_on=D(2025, 3, 3))
        meeting = factories.MeetingFactory(body=body, held_on=held_on, agenda_sent_on=None)
        factories.VoteFactory(
            meeting=meeting,
            consultation=voted,
            subject="appoint_expert",
            votes_for=votes_for,
            voting_members_present=9,
        )
    factories.MeetingFactory(body=body, held_on=D(2025, 4, 24), agenda_sent_on=None)
    # Another council, where the opinion's minutes were sent: its answer waits for them.
    other = factories.BodyFactory(organisation=body.organisation)
    factories.MeetingFactory(
        body=other, held_on=D(2025, 3, 28), minutes_sent_on=D(2025, 4, 20), agenda_sent_on=None
    )
    factories.MeetingFactory(body=other, held_on=D(2025, 4, 10), agenda_sent_on=None)
    factories.MeetingFactory(body=other, held_on=D(2025, 5, 15), agenda_sent_on=None)
    factories.ConsultationFactory(
        body=other,
        deployment__organisation=body.organisation,
        information_received_on=D(2025, 3, 3),
        opinion="favourable",
        opinion_on=D(2025, 3, 28),
    )
    return [given, answered, silent]


@pytest.mark.parametrize(
    "on",
    [
        D(2025, 3, 4),
        D(2025, 3, 27),
        D(2025, 4, 3),
        D(2025, 4, 4),
        D(2025, 4, 25),
        D(2025, 5, 20),
        D(2025, 6, 1),
    ],
)
def test_it_agrees_with_the_python_clock(variety, on):
    sql = dict(Consultation.objects.with_clock_state(on).values_list("pk", "clock"))
    python = {c.pk: c.clock_state(on=on) for c in Consultation.objects.with_clock_facts()}
    assert sql == python
    assert len(set(python.values())) >= 3


def test_it_refreshes_the_computed_dates_when_a_fact_changes():
    consultation = factories.ConsultationFactory(information_received_on=D(2025, 3, 3))
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 4, 3)
    expertise = factories.ExpertiseFactory(consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 5, 3)
    stop = factories.ClockStopFactory(
        consultation=consultation, starts_on=D(2025, 3, 20), ends_on=D(2025, 3, 21)
    )
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 5, 5)
    stop.delete()
    expertise.delete()
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 4, 3)
    consultation.body.agreed_days_without_expert = 20
    consultation.body.save()
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 3, 23)


def test_it_moves_the_answer_due_date_with_the_next_meeting():
    consultation = factories.ConsultationFactory(opinion="unfavourable", opinion_on=D(2025, 3, 28))
    consultation.refresh_from_db()
    assert consultation.answer_due_on == D(2025, 4, 27)
    factories.MeetingFactory(body=consultation.body, held_on=D(2025, 4, 10), agenda_sent_on=None)
    consultation.refresh_from_db()
    assert consultation.answer_due_on == D(2025, 4, 10)


def test_an_answer_before_the_opinion_does_not_answer_it():
    consultation = factories.ConsultationFactory(
        information_received_on=D(2025, 3, 3), opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 3, 20))
    on = D(2025, 6, 1)  # the answer was due at the latest 30 days after the opinion

    def states():
        python = Consultation.objects.with_clock_facts().get(pk=consultation.pk).clock_state(on)
        sql = Consultation.objects.with_clock_state(on).get(pk=consultation.pk).clock
        return python, sql

    assert states() == ("answer_overdue", "answer_overdue")
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 3, 28))
    assert states() == ("answered", "answered")


def test_the_answer_waits_for_the_meeting_after_the_minutes():
    """Opinion at the meeting of 14 March, minutes sent on 28 March: the answer is due at the
    meeting of 11 April, not at the one of 21 March (L2315-34)."""
    consultation = factories.ConsultationFactory(
        information_received_on=D(2025, 3, 3), opinion="unfavourable", opinion_on=D(2025, 3, 14)
    )
    body = consultation.body
    opinion_meeting = factories.MeetingFactory(body=body, held_on=D(2025, 3, 14))
    factories.MeetingFactory(body=body, held_on=D(2025, 3, 21))
    factories.MeetingFactory(body=body, held_on=D(2025, 4, 11))
    consultation.refresh_from_db()
    assert consultation.answer_due_on == D(2025, 3, 21)  # minutes not recorded yet
    opinion_meeting.minutes_sent_on = D(2025, 3, 28)
    opinion_meeting.save()
    consultation.refresh_from_db()
    assert consultation.answer_due_on == D(2025, 4, 11)
    fetched = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    assert fetched.answer_due().date == consultation.answer_due().date == D(2025, 4, 11)
    on = D(2025, 3, 25)
    sql = Consultation.objects.with_clock_state(on).get(pk=consultation.pk).clock
    assert sql == fetched.clock_state(on) == "opinion_given"  # not yet late

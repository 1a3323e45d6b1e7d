"""A vote appointing an expert, adopted, gives the period of a consultation with an expert
before the expertise itself is recorded (R2312-6; LEGAL.md (b) 3: "expertise voted: T0 + 2
months"). Found by an editor's QA pass: the record read « Avis réputé négatif » a month after
T0 although the council had voted for an expert in time."""

import datetime
import html

import pytest
from django.urls import reverse

from consultations.models import Clock, Consultation, Expertise

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, seats=14)
    return factories.ConsultationFactory(
        body=body,
        deployment__organisation=organisation_a,
        information_received_on=D(2026, 10, 5),
    )


def expert_vote(consultation, held_on, votes_for=12, against=0, abstentions=2):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=held_on, agenda_sent_on=None)
    meeting.consultations.add(consultation)
    return factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject="appoint_expert",
        votes_for=votes_for,
        votes_against=against,
        abstentions=abstentions,
        voting_members_present=votes_for + against + abstentions,
    )


def last_day(consultation):
    fresh = Consultation.objects.with_clock_facts().get(pk=consultation.pk)
    stored = Consultation.objects.get(pk=consultation.pk).deadline_on
    computed = fresh.deadline().date
    assert stored == computed  # the signals kept the stored date (lists, SQL clock) in step
    return computed, fresh.deadline().explanation


def test_without_a_vote_the_period_is_one_month(consultation):
    assert last_day(consultation)[0] == D(2026, 11, 5)


def test_an_adopted_vote_gives_two_months_from_t0(consultation):
    expert_vote(consultation, D(2026, 10, 20))
    day, explanation = last_day(consultation)
    assert day == D(2026, 12, 5)
    assert "expert" in explanation
    state = dict(Consultation.objects.with_clock_state(D(2026, 11, 24)).values_list("pk", "clock"))
    assert state[consultation.pk] != Clock.EXPIRED


def test_a_rejected_vote_changes_nothing(consultation):
    expert_vote(consultation, D(2026, 10, 20), votes_for=6, against=6, abstentions=2)
    assert last_day(consultation)[0] == D(2026, 11, 5)


def test_a_vote_after_the_last_day_comes_too_late(consultation):
    expert_vote(consultation, D(2026, 11, 10))
    day, explanation = last_day(consultation)
    assert day == D(2026, 11, 5)
    assert "10 novembre 2026" in explanation


def test_the_expertise_recorded_then_counts_as_before(consultation):
    vote = expert_vote(consultation, D(2026, 10, 20))
    expertise = factories.ExpertiseFactory(
        consultation=consultation, appointing_vote=vote, designated_on=D(2026, 10, 22)
    )
    assert last_day(consultation)[0] == D(2026, 12, 5)
    expertise.contest_outcome = Expertise.ContestOutcome.ANNULLED
    expertise.contested_on = D(2026, 10, 26)
    expertise.judgment_on = D(2026, 11, 3)
    expertise.save()
    # Annulled by the judge: no expert intervenes, whatever the vote (L2315-86).
    assert last_day(consultation)[0] < D(2026, 12, 5)


def test_deleting_the_vote_gives_the_month_back(consultation):
    vote = expert_vote(consultation, D(2026, 10, 20))
    assert last_day(consultation)[0] == D(2026, 12, 5)
    vote.delete()
    assert last_day(consultation)[0] == D(2026, 11, 5)


def test_the_page_asks_for_the_expertise_and_says_the_vote_counts(consultation, editor_a):
    expert_vote(consultation, D(2026, 10, 20))
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = html.unescape(client_for(editor_a).get(url).content.decode()).replace("\u00a0", " ")
    assert "le délai d'avis compte déjà ce vote (R2312-6)" in page
    assert "5 décembre 2026" in page

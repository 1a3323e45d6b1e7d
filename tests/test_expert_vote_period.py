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


def page_text(user, consultation):
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    return html.unescape(client_for(user).get(url).content.decode()).replace("\u00a0", " ")


IN_TIME = (
    "Le CSE a voté le recours à un expert le 20 octobre 2026 : le délai d'avis est celui d'une "
    "consultation avec expertise (R2312-6)."
)


def test_the_page_says_what_the_vote_did_to_every_reader(consultation, editor_a, reader_a):
    consultation.visibility = Consultation.Visibility.PUBLIC
    consultation.save()
    expert_vote(consultation, D(2026, 10, 20))
    editors = page_text(editor_a, consultation)
    assert IN_TIME in editors and "L'expertise n'est pas enregistrée : ajoutez-la" in editors
    for user in (reader_a, None):
        text = page_text(user, consultation)
        assert "Pas d'expertise enregistrée. " + IN_TIME in text
        assert "Pas d'expertise. Le CSE peut voter" not in text
        assert "5 décembre 2026" in text


def test_a_vote_too_late_is_said_not_to_lengthen_the_period(consultation, editor_a, reader_a):
    expert_vote(consultation, D(2026, 11, 10))
    expected = (
        "Le CSE a voté le recours à un expert le 10 novembre 2026, après la fin du délai "
        "d'avis : ce vote ne le prolonge pas (R2312-6)."
    )
    assert expected in page_text(editor_a, consultation)
    assert expected in page_text(reader_a, consultation)


def test_a_vote_under_an_agreement_without_expert_period_says_so(consultation, reader_a):
    body = consultation.body
    body.agreed_days_without_expert = 30
    body.save()
    expert_vote(consultation, D(2026, 10, 20))
    assert last_day(consultation)[0] == D(2026, 11, 4)
    assert "le délai d'avis fixé par accord n'en est pas prolongé (L2312-16)" in page_text(
        reader_a, consultation
    )


def test_a_deemed_negative_opinion_the_vote_contradicts_is_pointed_out(
    consultation, editor_a, reader_a
):
    """Recorded when the month ran out, before the vote for an expert was logged: the period
    now runs to 5 December (found by the review of this change)."""
    Consultation.objects.filter(pk=consultation.pk).update(
        opinion=Consultation.Opinion.DEEMED_NEGATIVE, opinion_on=D(2026, 11, 6)
    )
    assert "deemed-negative-error" not in page_text(editor_a, consultation)
    expert_vote(consultation, D(2026, 10, 20))
    text = page_text(editor_a, consultation)
    assert "Un avis « réputé négatif » est enregistré, à corriger :" in text
    assert "après le 5 décembre 2026 (R2312-6)" in text
    assert "Corriger l'avis" in text
    assert "Un avis « réputé négatif » est enregistré" in page_text(reader_a, consultation)
    assert "réputé négatif » est enregistré" not in page_text(None, consultation)

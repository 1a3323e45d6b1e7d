"""A contest of the expertise pauses the consultation period until the judgment is notified
(L2315-86, LEGAL.md trap 6): no last day while it is pending, the days before the judge added
once it is notified, in Python and in SQL, on the pages and in the PDF."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from consultations.models import Clock, Consultation

from . import factories

D = datetime.date
pytestmark = pytest.mark.django_db
T0 = D(2025, 3, 3)  # with an expert: last day 3 May 2025


@pytest.fixture
def contested(organisation_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment__organisation=organisation_a,
        information_received_on=T0,
        visibility=Consultation.Visibility.PUBLIC,
    )
    expertise = factories.ExpertiseFactory(
        consultation=consultation, designated_on=D(2025, 3, 14), contested_on=D(2025, 3, 20)
    )
    return consultation, expertise


def states(consultation, on):
    python = Consultation.objects.with_clock_facts().get(pk=consultation.pk).clock_state(on=on)
    sql = Consultation.objects.with_clock_state(on).get(pk=consultation.pk).clock
    in_state = Consultation.objects.in_clock_state(Clock.PAUSED, on).filter(pk=consultation.pk)
    return python, sql, in_state.exists()


def test_a_pending_contest_pauses_the_period(contested):
    consultation, _expertise = contested
    consultation.refresh_from_db()
    assert consultation.deadline_on is None
    assert consultation.deadline() is None
    assert consultation.paused_since() == D(2025, 3, 20)
    # Long after the old last day, the opinion is not deemed negative: the period is paused.
    assert states(consultation, D(2025, 6, 1)) == (Clock.PAUSED, Clock.PAUSED, True)
    assert Consultation.objects.current(on=D(2025, 6, 1)).filter(pk=consultation.pk).exists()


def test_the_judgment_restarts_it_longer_by_the_days_before_the_judge(contested):
    consultation, expertise = contested
    expertise.judgment_on = D(2025, 4, 10)  # 20 March to 9 April: 21 days
    expertise.contest_outcome = "rejected"
    expertise.save()
    consultation.refresh_from_db()
    assert consultation.paused_since() is None
    assert consultation.deadline_on == D(2025, 5, 24)
    assert "prolongé de 21 jours de suspension (L2315-86)" in consultation.deadline().explanation
    assert states(consultation, D(2025, 5, 20)) == (Clock.DUE_SOON, Clock.DUE_SOON, False)
    assert states(consultation, D(2025, 5, 25)) == (Clock.EXPIRED, Clock.EXPIRED, False)


def test_a_suspension_also_recorded_by_hand_counts_once(contested):
    consultation, expertise = contested
    expertise.judgment_on = D(2025, 4, 10)
    expertise.save()
    factories.ClockStopFactory(
        consultation=consultation, starts_on=D(2025, 3, 20), ends_on=D(2025, 4, 9)
    )
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 5, 24)


def test_a_contest_after_the_period_ran_out_pauses_nothing(organisation_a):
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment__organisation=organisation_a,
        information_received_on=T0,
    )
    factories.ExpertiseFactory(consultation=consultation, contested_on=D(2025, 5, 10))
    consultation.refresh_from_db()
    assert consultation.paused_since() is None
    assert consultation.deadline_on == D(2025, 5, 3)
    assert states(consultation, D(2025, 6, 1)) == (Clock.EXPIRED, Clock.EXPIRED, False)


def test_an_opinion_given_while_paused_counts(contested):
    consultation, _expertise = contested
    consultation.opinion, consultation.opinion_on = "unfavourable", D(2025, 4, 1)
    consultation.save()
    python, sql, paused = states(consultation, D(2025, 4, 2))
    assert python == sql == Clock.OPINION_GIVEN and not paused


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_say_the_period_is_paused(contested, client, language, settings):
    consultation, _expertise = contested
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12), tick=False):
        page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = html.unescape(page.content.decode())
    expected = {
        "fr": "Délai suspendu depuis le 20 mars 2025 : l'employeur conteste l'expertise",
        "en": "Period suspended since 20 March 2025: the employer is contesting the expert assessment",
    }[language]
    assert expected in text.replace("\u00a0", " ")
    assert {"fr": "Délai suspendu", "en": "Period suspended"}[language] in text  # the badge
    assert "pour rendre son avis ; à défaut" not in text  # no last day while paused


def test_the_dossier_says_the_period_is_paused(contested):
    from consultations import pdf

    from .test_pdf import flat, pdf_text

    consultation, _expertise = contested
    content = pdf.dossier_pdf(consultation, public=True)[2]
    text = flat(pdf_text(content)[0])
    assert "Délai suspendu depuis le 20 mars 2025" in text


def test_a_contest_of_the_vote_before_the_designation_is_recorded_and_pauses(organisation_a):
    """The employer contests the need for the expertise within 10 days of the council's vote
    (L2315-86, R2315-49), possibly before the expert is designated: the form takes the date and
    the period is longer by the days before the judge."""
    consultation = factories.ConsultationFactory(
        body__organisation=organisation_a,
        deployment__organisation=organisation_a,
        information_received_on=T0,
    )
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    vote = factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject="appoint_expert"
    )
    expertise = factories.ExpertiseFactory(
        consultation=consultation,
        appointing_vote=vote,
        designated_on=D(2025, 3, 20),
        contested_on=D(2025, 3, 14),
        judgment_on=D(2025, 4, 14),
        contest_outcome="rejected",
    )
    expertise.full_clean()
    consultation.refresh_from_db()
    assert consultation.deadline_on == D(2025, 6, 3)  # 3 May, plus 14 March to 13 April
    expertise.contested_on = D(2025, 3, 8)  # before the vote
    with pytest.raises(Exception) as refused:
        expertise.full_clean()
    assert "avant que le CSE l'ait votée" in str(refused.value)

"""The employer's contest of an expertise and its judgment are shown on the consultation page,
with the days the period was suspended (found by an editor's QA pass: the judgment's date and
outcome were on no web page, and « prolongé de 18 jours » could not be checked)."""

import datetime
import html

import pytest
from django.urls import reverse

from consultations.models import Consultation, Expertise

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def expertise(organisation_a):
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        deployment__organisation=organisation_a,
        information_received_on=D(2026, 10, 5),
        visibility=Consultation.Visibility.PUBLIC,
    )
    return factories.ExpertiseFactory(
        consultation=consultation, designated_on=D(2026, 10, 16), contested_on=D(2026, 10, 26)
    )


def judgment_line(consultation, user=None):
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = html.unescape(client_for(user).get(url).content.decode()).replace("\u00a0", " ")
    return page.split('id="judgment-')[1].split("</p>")[0]


def test_a_contest_awaiting_its_judgment_says_the_period_is_paused(expertise):
    line = judgment_line(expertise.consultation)
    assert "Jugement attendu : le délai d'avis est suspendu depuis le 26 octobre 2026" in line


def test_a_judgment_gives_its_date_outcome_and_the_days_suspended(expertise, reader_a):
    expertise.judgment_on = D(2026, 11, 13)
    expertise.contest_outcome = Expertise.ContestOutcome.REJECTED
    expertise.save()
    for user in (None, reader_a):  # a public fact, as the expertise itself
        line = judgment_line(expertise.consultation, user)
        assert "Jugement notifié le 13 novembre 2026." in line
        assert "Contestation rejetée : l'expertise continue." in line
        assert "suspendu du 26 octobre 2026 au 12 novembre 2026 inclus (L2315-86)" in line
    # 18 days, as the period's explanation says.
    assert expertise.contest_suspension == (D(2026, 10, 26), D(2026, 11, 12))
    fresh = Consultation.objects.with_clock_facts().get(pk=expertise.consultation.pk)
    assert "18 jours de suspension" in fresh.deadline().explanation


def test_a_contest_after_the_period_claims_no_suspension(expertise):
    """Found by the review: a contest of the final cost after the period read « suspendu du …
    au … » while the period counted none."""
    consultation = expertise.consultation
    expertise.contested_on = D(2027, 1, 4)  # the period (with expert) ended on 5 December 2026
    expertise.judgment_on = D(2027, 1, 20)
    expertise.contest_outcome = Expertise.ContestOutcome.PARTLY
    Expertise.objects.filter(pk=expertise.pk).update(
        contested_on=expertise.contested_on,
        judgment_on=expertise.judgment_on,
        contest_outcome=expertise.contest_outcome,
    )
    line = judgment_line(consultation)
    assert "Jugement notifié le 20 janvier 2027." in line
    assert "suspendu" not in line

"""Management's reasoned decision on each of the council's proposals is due at the council's
first meeting after the minutes of the meeting that adopted it were sent (L2315-34; LEGAL.md
(a) 16), and each motion's card says so. Found by a union official's QA pass: Vigie gave one
answer date for the whole consultation, after the opinion (« dans les 30 jours de l'avis du 23
septembre 2020 » for Teleperformance's motion of 27 August, due on 23 September), and none at
all without an opinion (Orange's resolution, due at the meeting of 22 October 2025)."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Body, Consultation, ManagementResponse, Motion, Vote

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def cse(organisation_a):
    return factories.BodyFactory(organisation=organisation_a, seats=25)


@pytest.fixture
def consultation(cse, organisation_a):
    return factories.ConsultationFactory(
        body=cse,
        deployment__organisation=organisation_a,
        information_received_on=D(2020, 7, 24),
        visibility=Consultation.Visibility.PUBLIC,
    )


def adopt(consultation, held_on, minutes_sent_on=None, kind=Motion.Kind.MOTION, title="Motion"):
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=held_on, minutes_sent_on=minutes_sent_on
    )
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
    return factories.MotionFactory(
        consultation=consultation, adopting_vote=vote, adopted_on=None, kind=kind, title=title
    )


def card(consultation, motion, user=None):
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    page = html.unescape(client_for(user).get(url).content.decode())
    page = page.replace("\u00a0", " ").replace("\u202f", " ")
    return page.split(f'id="motion-{motion.pk}"')[1].split("</article>")[0]


@pytest.fixture
def teleperformance(consultation, organisation_a):
    """The demo's story: the motion of 27 August 2020, its minutes sent on 10 September, a
    CSSCT meeting on 15 September (not the council's), the CSE's meeting of 23 September, which
    adopts a second motion and the opinion; no answer."""
    august = adopt(consultation, D(2020, 8, 27), D(2020, 9, 10), title="Sur l'expertise")
    cssct = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSSCT, seats=4, parent=consultation.body
    )
    factories.MeetingFactory(body=cssct, held_on=D(2020, 9, 15))
    september = adopt(consultation, D(2020, 9, 23), title="Sur les risques")
    consultation.opinion, consultation.opinion_on = "unfavourable", D(2020, 9, 23)
    consultation.save()
    return august, september


def test_each_motion_says_when_its_decision_is_due(consultation, teleperformance, reader_a):
    august, september = teleperformance
    for user in (None, reader_a):  # everyone who reads the motion
        first = card(consultation, august, user)
        assert "En retard" in first
        assert (
            "Décision motivée de la direction attendue à la réunion du 23 septembre 2020 "
            "(L2315-34) : aucune n'est enregistrée." in first
        )
        assert "la première du CSE après la transmission, le 10 septembre 2020" in first
        second = card(consultation, september, user)
        assert "En retard" not in second
        assert (
            "Décision motivée attendue à la première réunion du CSE après la transmission du "
            "procès-verbal de la réunion du 23 septembre 2020, dont l'envoi n'est pas consigné "
            "(L2315-34)." in second
        )


def test_an_answer_naming_the_motion_is_its_decision(consultation, teleperformance, reader_a):
    august, _september = teleperformance
    answer = factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2020, 9, 23)
    )
    answer.motions.set([august])
    assert "Décision motivée de la direction reçue le 23 septembre 2020 ;" in card(
        consultation, august, reader_a
    )
    ManagementResponse.objects.filter(pk=answer.pk).update(received_on=D(2020, 10, 5))
    late = card(consultation, august, reader_a)
    assert "Reçue en retard" in late
    assert "reçue le 5 octobre 2020, après la réunion du 23 septembre 2020" in late
    # Not a word on the substance: no decision.
    ManagementResponse.objects.filter(pk=answer.pk).update(
        stance=ManagementResponse.Stance.NO_ANSWER
    )
    assert "aucune n'est enregistrée" in card(consultation, august, reader_a)


def test_a_resolution_without_an_opinion_is_due_too(cse, organisation_a):
    """Orange's APC: no opinion, a resolution of 8 October 2025 whose minutes went out on the
    20th, the next meeting on the 22nd."""
    consultation = factories.ConsultationFactory(
        body=cse, deployment__organisation=organisation_a, information_received_on=D(2025, 9, 25)
    )
    resolution = adopt(consultation, D(2025, 10, 8), D(2025, 10, 20), kind=Motion.Kind.RESOLUTION)
    factories.MeetingFactory(body=cse, held_on=D(2025, 10, 22))
    member = factories.MembershipFactory(organisation=organisation_a).user
    text = card(consultation, resolution, member)
    assert "En retard" in text and "attendue à la réunion du 22 octobre 2025" in text
    factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2025, 10, 22)
    ).motions.set([resolution])
    assert "reçue le 22 octobre 2025" in card(consultation, resolution, member)


def test_no_meeting_recorded_after_the_minutes_is_said(consultation):
    motion = adopt(consultation, D(2020, 8, 27), D(2020, 9, 10))
    text = card(consultation, motion)
    assert "aucune réunion n'est enregistrée depuis" in text and "En retard" not in text


def test_a_statement_and_an_opinion_await_no_decision_of_their_own(consultation):
    statement = adopt(consultation, D(2020, 8, 27), D(2020, 9, 10), kind=Motion.Kind.STATEMENT)
    opinion = adopt(consultation, D(2020, 8, 28), D(2020, 9, 10), kind=Motion.Kind.OPINION)
    factories.MeetingFactory(body=consultation.body, held_on=D(2020, 9, 23))
    assert "Décision motivée" not in card(consultation, statement)
    assert "Décision motivée" not in card(consultation, opinion)


def test_the_page_asks_as_many_queries_for_ten_motions_as_for_one(consultation, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page.count("motion-decision")

    first = adopt(consultation, D(2020, 8, 3), D(2020, 8, 10))
    factories.MeetingFactory(body=consultation.body, held_on=D(2020, 8, 20))
    factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2020, 8, 20)
    ).motions.set([first])
    one = queries()
    for day in range(4, 13):
        motion = adopt(consultation, D(2020, 9, day), D(2020, 9, 20) if day % 2 else None)
        factories.ManagementResponseFactory(
            consultation=consultation, received_on=D(2020, 10, 1)
        ).motions.set([motion])
    assert one[1] == 1
    assert queries() == (one[0], 10)
    assert Vote.objects.filter(consultation=consultation).count() == 10


def test_the_dossier_states_each_decision_as_the_page_does(consultation, teleperformance):
    """A court file holds the date each decision was due (L2315-34), in the public dossier as
    in the members' one; a text's own PDF, sent to management, does not."""
    from consultations import pdf

    from .test_pdf import flat, pdf_text

    august, september = teleperformance
    Motion.objects.filter(pk__in=[august.pk, september.pk]).update(published=True)
    for public in (True, False):
        text = flat(pdf_text(pdf.dossier_pdf(consultation, public=public)[2])[0])
        assert (
            "En retard : Décision motivée de la direction attendue à la réunion du 23 septembre "
            "2020 (L2315-34) : aucune n'est enregistrée." in text
        )
        assert "procès-verbal de la réunion du 23 septembre 2020, dont l'envoi n'est pas" in text
    own = flat(pdf_text(pdf.motion_pdf(pdf.motion_queryset().get(pk=august.pk))[2])[0])
    assert "Décision motivée" not in own

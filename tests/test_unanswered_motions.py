"""The motions management has not answered are named, on the page and in the dossier (found by
an editor's QA pass: an answer to one motion marked the consultation « Réponse reçue », and the
other motion was shown nowhere as unanswered; L2315-34)."""

import datetime
import html
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consultations import pdf
from consultations.models import Consultation, ManagementResponse
from consultations.models.response import motions_without_answer

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date
UNANSWERED = "Sans réponse de la direction à ce jour"


@pytest.fixture
def story(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a)
    consultation = factories.ConsultationFactory(
        body=body,
        deployment__organisation=organisation_a,
        visibility=Consultation.Visibility.PUBLIC,
        information_received_on=D(2025, 10, 5),
        opinion=Consultation.Opinion.UNFAVOURABLE,
        opinion_on=D(2025, 11, 3),
    )
    meeting = factories.MeetingFactory(body=body, held_on=D(2025, 11, 3), agenda_sent_on=None)
    motions = [
        factories.MotionFactory(
            consultation=consultation,
            title=title,
            adopted_on=D(2025, 11, 3),
            published=published,
            adopting_vote=factories.VoteFactory(meeting=meeting, consultation=consultation),
        )
        for title, published in (
            ("Sur l'emploi", True),
            ("Sur la formation", True),
            ("Sur la stratégie syndicale", False),
        )
    ]
    draft = factories.MotionFactory(consultation=consultation, title="Projet", adopted_on=None)
    return consultation, motions, draft


ANSWERED_ON = D(2025, 11, 20)


def answer(consultation, motions, stance=ManagementResponse.Stance.REJECTS):
    response = factories.ManagementResponseFactory(
        consultation=consultation, received_on=ANSWERED_ON, stance=stance
    )
    response.motions.set(motions)
    return response


def unanswered(consultation, motions, opinion_answered=False):
    responses = ManagementResponse.objects.filter(consultation=consultation).prefetch_related(
        "motions"
    )
    return [
        motion.title
        for motion in motions_without_answer(motions, responses, opinion_answered=opinion_answered)
    ]


def test_without_an_answer_every_adopted_motion_awaits_one(story):
    consultation, motions, draft = story
    assert unanswered(consultation, [*motions, draft]) == [
        "Sur l'emploi",
        "Sur la formation",
        "Sur la stratégie syndicale",
    ]


def test_an_answer_to_one_motion_leaves_the_others_named(story):
    consultation, motions, _draft = story
    answer(consultation, [motions[0]])
    assert unanswered(consultation, motions) == ["Sur la formation", "Sur la stratégie syndicale"]


def test_an_answer_that_does_not_answer_on_the_merits_answers_nothing(story):
    consultation, motions, _draft = story
    answer(consultation, motions, stance=ManagementResponse.Stance.NO_ANSWER)
    answer(consultation, [motions[1]], stance=ManagementResponse.Stance.PARTLY)
    assert unanswered(consultation, motions) == ["Sur l'emploi", "Sur la stratégie syndicale"]


def test_an_answer_naming_no_motion_leaves_the_question_open(story):
    """It may answer them all: the record does not say, so Vigie does not claim a silence."""
    consultation, motions, _draft = story
    answer(consultation, [motions[0]])
    answer(consultation, [])
    assert unanswered(consultation, motions) == []


def test_an_answer_naming_no_motion_covers_only_those_adopted_by_its_day(story):
    """Found by the review: an answer of 20 November hid a motion adopted in December."""
    consultation, motions, _draft = story
    answer(consultation, [])
    later = factories.MotionFactory(
        consultation=consultation, title="Sur le suivi", adopted_on=D(2025, 12, 4)
    )
    assert unanswered(consultation, [*motions, later]) == ["Sur le suivi"]


def test_a_statement_awaits_no_answer_nor_an_opinion_once_answered(story):
    consultation, motions, _draft = story
    statement = factories.MotionFactory(
        consultation=consultation, title="Déclaration", kind="statement", adopted_on=D(2025, 11, 3)
    )
    opinion = factories.MotionFactory(
        consultation=consultation, title="Avis motivé", kind="opinion", adopted_on=D(2025, 11, 3)
    )
    answer(consultation, motions)
    assert unanswered(consultation, [statement, opinion]) == ["Avis motivé"]
    assert unanswered(consultation, [statement, opinion], opinion_answered=True) == []


def page_of(user, consultation):
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    return html.unescape(client_for(user).get(url).content.decode())


def test_the_page_names_them_with_a_link_to_each(story, reader_a):
    consultation, motions, _draft = story
    answer(consultation, [motions[0]])
    members = page_of(reader_a, consultation)
    line = members.split('id="unanswered-motions"')[1].split("</ul>")[0]
    assert UNANSWERED in line
    assert f'href="#motion-{motions[1].pk}"' in line and "Sur la formation" in line
    assert "Sur la stratégie syndicale" in line and "Sur l'emploi" not in line
    # The public reads the published motions only, the unanswered ones among them.
    public = page_of(None, consultation)
    line = public.split('id="unanswered-motions"')[1].split("</ul>")[0]
    assert "Sur la formation" in line and "stratégie syndicale" not in public


def test_the_page_says_nothing_once_every_motion_is_answered(story, reader_a):
    consultation, motions, _draft = story
    answer(consultation, motions)
    assert UNANSWERED not in page_of(reader_a, consultation)


def test_the_dossier_names_them_too(story):
    consultation, motions, _draft = story
    answer(consultation, [motions[0]])
    for public, secret_shown in ((True, False), (False, True)):
        _name, _type, content = pdf.dossier_pdf(consultation, public=public)
        text = " ".join(
            " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
        )
        after = text.split(UNANSWERED)[1][:200]
        assert "Sur la formation" in after
        assert ("Sur la stratégie syndicale" in after) is secret_shown

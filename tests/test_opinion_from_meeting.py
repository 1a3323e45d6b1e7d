"""The opinion voted at a meeting is recorded with its vote, on the page that logs the meeting:
the council's opinion is the resolution its members adopt (L2315-32). Found by a QA pass as an
editor: after logging the meeting and its opinion vote, the consultation showed « Avis réputé
négatif » once the period ended (R2312-6) until someone edited the consultation as well."""

import datetime
import html

import pytest

from consultations.models import Consultation, Meeting, Motion, Vote

from .conftest import client_for
from .test_editing import EXPERT_VOTE, OPINION_VOTE_WITH_MOTION, meeting_data, meeting_log_url
from .test_editing import records as shared_records

records = shared_records  # the fixture, under the name the tests ask for

pytestmark = pytest.mark.django_db


def post(editor, records, *votes):
    return client_for(editor).post(
        meeting_log_url(records), meeting_data(records.body, *votes), follow=True
    )


def page_text(response):
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def test_the_opinion_voted_is_recorded_from_the_meetings_day(editor_a, records):
    vote = {**OPINION_VOTE_WITH_MOTION, "opinion": "unfavourable"}
    response = post(editor_a, records, EXPERT_VOTE, vote)
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == Consultation.Opinion.UNFAVOURABLE
    assert records.consultation.opinion_on == datetime.date(2025, 3, 14)
    assert "L'avis du CSE est enregistré : défavorable, rendu le 14 mars 2025." in page_text(
        response
    )
    assert Motion.objects.get().kind == "opinion"


@pytest.mark.parametrize(
    ("vote", "message"),
    [
        (
            {**EXPERT_VOTE, "opinion": "favourable"},
            "Seul un vote dont l'objet est l'avis rend un avis.",
        ),
        (
            {
                **OPINION_VOTE_WITH_MOTION,
                "motion_title": "",
                "motion_text": "",
                "votes_for": "4",
                "votes_against": "5",
                "opinion": "favourable",
            },
            "Ce vote n'est pas adopté : il ne rend pas d'avis.",
        ),
    ],
    ids=["not on the opinion", "rejected"],
)
def test_only_an_adopted_vote_on_the_opinion_gives_one(editor_a, records, vote, message):
    response = post(editor_a, records, vote)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["opinion"]
    assert [error.replace("\u00a0", " ") for error in errors] == [message]
    assert not Meeting.objects.exists() and not Vote.objects.exists()
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == "" and records.consultation.opinion_on is None


def test_an_opinion_recorded_already_is_not_replaced_unseen(editor_a, records):
    Consultation.objects.filter(pk=records.consultation.pk).update(
        opinion=Consultation.Opinion.FAVOURABLE, opinion_on=datetime.date(2025, 3, 1)
    )
    vote = {**OPINION_VOTE_WITH_MOTION, "opinion": "unfavourable"}
    response = post(editor_a, records, vote)
    assert response.status_code == 200
    error = response.context["formset"].forms[0].errors["opinion"][0]
    assert "déjà un avis enregistré (favorable)" in error
    assert not Meeting.objects.exists()
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == Consultation.Opinion.FAVOURABLE


def test_two_votes_of_one_meeting_give_one_opinion(editor_a, records):
    first = {**OPINION_VOTE_WITH_MOTION, "opinion": "unfavourable"}
    second = {
        **OPINION_VOTE_WITH_MOTION,
        "motion_title": "",
        "motion_text": "",
        "opinion": "favourable",
    }
    response = post(editor_a, records, first, second)
    assert response.status_code == 200
    assert "déjà un avis enregistré" in response.context["formset"].forms[1].errors["opinion"][0]
    assert not Meeting.objects.exists()
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == ""


def test_a_vote_without_an_opinion_leaves_the_consultation_as_it_was(editor_a, records):
    response = post(editor_a, records, EXPERT_VOTE, OPINION_VOTE_WITH_MOTION)
    records.consultation.refresh_from_db()
    assert records.consultation.opinion == "" and Meeting.objects.count() == 1
    assert "L'avis du CSE est enregistré" not in page_text(response)


def test_a_cssct_meeting_offers_no_opinion(editor_a, records):
    from consultations.models import Body

    records.body.kind = Body.Kind.CSSCT
    records.body.seats = 4
    records.body.save()
    page = client_for(editor_a).get(meeting_log_url(records))
    assert page.status_code == 200 and "votes-0-subject" in page.content.decode()
    assert "votes-0-opinion" not in page.content.decode()

"""An opinion recorded while no vote on it is (found by a representative's QA pass): the
council's opinion is adopted by a vote of its members (L2315-32; LEGAL.md (c)), and a record
without it is incomplete. Warned of, not refused, by the admin and the site's form once saved,
as an opinion after the period is, and on the page to members; never for an opinion no vote
adopts (deemed negative, R2312-6; a refusal to give one)."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation

from . import factories
from .conftest import client_for
from .test_editing import consultation_data, form_errors
from .test_editing import records as records  # noqa: F401 (a fixture)
from .test_off_agenda_votes import resubmit

pytestmark = pytest.mark.django_db

D = datetime.date
SAID = "L'avis « défavorable » du 10 avril 2025 est enregistré sans vote"


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE de Sentinelle", seats=9)
    return factories.ConsultationFactory(
        body=body,
        information_received_on=D(2025, 3, 3),
        visibility=Consultation.Visibility.PUBLIC,
    )


OPINION_DAY = D(2025, 4, 10)


def give_opinion(consultation, opinion="unfavourable", on=OPINION_DAY):
    consultation.opinion, consultation.opinion_on = opinion, on
    consultation.save()


def vote_on(consultation, subject, **counts):
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 4, 10))
    meeting.consultations.add(consultation)
    return factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject=subject, **counts
    )


def plain(text):
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("opinion", "warned"),
    [
        ("favourable", True),
        ("unfavourable", True),
        ("reservations", True),
        ("deemed_negative", False),  # the period ran out: no vote (R2312-6)
        ("refused_to_vote", False),  # the members declined to vote an opinion
        ("", False),
    ],
)
def test_it_knows_an_opinion_recorded_without_its_vote(consultation, opinion, warned):
    if opinion:
        give_opinion(consultation, opinion)
    assert bool(consultation.opinion_without_vote_warning()) is warned


def test_any_vote_on_the_opinion_is_enough_and_no_other(consultation):
    give_opinion(consultation)
    vote_on(consultation, "motion")
    vote_on(consultation, "other")
    assert plain(consultation.opinion_without_vote_warning()).startswith(SAID)
    # Rejected or adopted, the vote is recorded: what it decided is the opinion's to say.
    vote_on(consultation, "opinion", votes_for=2, voting_members_present=9)
    assert consultation.opinion_without_vote_warning() == ""


def test_members_are_warned_on_the_page_and_the_public_is_not(
    consultation, reader_a, editor_a, client
):
    give_opinion(consultation)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    reader = plain(client_for(reader_a).get(url).content.decode())
    assert 'id="opinion-without-vote"' in reader and SAID in reader
    assert "(L2315-32)" in reader
    log = reverse("consultations:meeting-log", args=[consultation.pk])
    assert log not in reader  # readers cannot log the vote
    assert log in client_for(editor_a).get(url).content.decode()
    assert 'id="opinion-without-vote"' not in client.get(url).content.decode()
    vote_on(consultation, "opinion")
    assert 'id="opinion-without-vote"' not in client_for(reader_a).get(url).content.decode()


def test_the_page_reads_the_votes_it_already_fetched(consultation, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    vote_on(consultation, "motion")

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), 'id="opinion-without-vote"' in page

    no_opinion = queries()
    give_opinion(consultation)
    assert no_opinion[1] is False
    assert queries() == (no_opinion[0], True)


def test_the_admin_warns_once_saved(consultation, superuser):
    give_opinion(consultation)
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    warnings = [plain(warning) for warning in resubmit(client_for(superuser), url)]
    assert any(SAID in warning for warning in warnings), warnings
    consultation.refresh_from_db()
    assert consultation.opinion == "unfavourable"  # saved all the same
    vote_on(consultation, "opinion")
    assert not any(SAID in plain(w) for w in resubmit(client_for(superuser), url))


@pytest.mark.parametrize(
    ("opinion", "warned"), [("unfavourable", True), ("deemed_negative", False)]
)
def test_the_site_warns_once_saved(editor_a, records, opinion, warned):  # noqa: F811
    response = client_for(editor_a).post(
        reverse("consultations:consultation-create"),
        consultation_data(records, opinion=opinion, opinion_on="2025-04-10"),
        follow=True,
    )
    assert response.redirect_chain, form_errors(response)
    warnings = [
        plain(str(message))
        for message in response.context["messages"]
        if message.level_tag == "warning"
    ]
    assert any(SAID in warning for warning in warnings) is warned, warnings
    assert Consultation.objects.get(title="Consultation sur l'assistant qualité").opinion == opinion


def test_the_warning_speaks_english(consultation, reader_a, settings):
    give_opinion(consultation)
    client = client_for(reader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = plain(
        client.get(
            reverse("consultations:consultation-detail", args=[consultation.pk])
        ).content.decode()
    )
    assert "The “unfavourable” opinion of 10 April 2025 is recorded without a vote" in page

"""The public timeline: published consultations only, filters in the URL, fixed query counts,
and nothing private ever shown."""

import datetime
import html
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from consultations.models import Body, Consultation, Motion
from consultations.timeline import EntryKind, consultation_timeline, timeline_entries

from . import factories
from .conftest import client_for

D = datetime.date
pytestmark = pytest.mark.django_db


def published(organisation, title, **kwargs):
    body = factories.BodyFactory(organisation=organisation, name=f"CSE {title}")
    return factories.ConsultationFactory(
        body=body, title=title, visibility=Consultation.Visibility.PUBLIC, **kwargs
    )


def story(consultation, count=1):
    """Meetings with a unanimous vote and a published motion, an answer."""
    for index in range(count):
        meeting = factories.MeetingFactory(
            body=consultation.body, held_on=D(2025, 3, 10) + datetime.timedelta(days=index)
        )
        meeting.consultations.add(consultation)
        vote = factories.VoteFactory(meeting=meeting, consultation=consultation)
        factories.MotionFactory(
            consultation=consultation, adopting_vote=vote, adopted_on=None, title=f"Motion {index}"
        )
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 4, 20))


def test_it_builds_one_consultations_story_oldest_first(organisation_a):
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    story(consultation)
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12), tick=False):
        entries = consultation_timeline(consultation, public=True)
    kinds = [entry.kind for entry in entries]
    assert kinds[:4] == [EntryKind.INFORMATION, EntryKind.MEETING, EntryKind.VOTE, EntryKind.MOTION]
    deadline = next(entry for entry in entries if entry.kind == EntryKind.DEADLINE)
    assert deadline.future and deadline.on == D(2025, 4, 3)
    assert "3 avril 2025" in deadline.summary
    vote = next(entry for entry in entries if entry.kind == EntryKind.VOTE)
    assert vote.summary == "Motion n°\u00a02025-01\u00a0: adoptée à l'unanimité, 9 pour"
    with translation.override("en"):
        english = timeline_entries(Consultation.objects.all(), public=False).entries
    vote = next(entry for entry in english if entry.kind == EntryKind.VOTE)
    assert vote.summary == "Motion No. 2025-01: adopted unanimously, 9 for"


def test_each_vote_names_the_motion_it_adopted(organisation_a):
    """Two motions voted at one meeting (Teleperformance, 2020): each vote says which; a wish
    agrees in the masculine; a vote that adopted nothing keeps its subject."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    meeting.consultations.add(consultation)
    for kind in ("motion", "wish"):
        vote = factories.VoteFactory(
            meeting=meeting, consultation=consultation, votes_for=5, voting_members_present=5
        )
        factories.MotionFactory(
            consultation=consultation, adopting_vote=vote, adopted_on=None, kind=kind
        )
    factories.VoteFactory(meeting=meeting, consultation=consultation, votes_for=2, votes_against=7)
    summaries = [
        entry.summary
        for entry in consultation_timeline(consultation, public=True)
        if entry.kind == EntryKind.VOTE
    ]
    assert summaries == [
        "Motion n°\u00a02025-01\u00a0: adoptée à l'unanimité, 5 pour",
        "Vœu n°\u00a02025-02\u00a0: adopté à l'unanimité, 5 pour",
        "Motion ou résolution\u00a0: rejetée, 2 pour, 7 contre, 0 abstention, 0 blanc",
    ]


def test_a_vote_of_another_kind_is_named_by_its_question(organisation_a):
    """« Autre : adoptée » told a reader nothing (found by a representative's QA pass): the
    start of the question put to the vote says what was decided; without one, the kind stays."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    meeting.consultations.add(consultation)
    question = (
        "Le CSE demande que les lignes des élus ne soient\njamais enregistrées, ni écoutées, "
        "ni analysées par l'outil."
    )
    factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject="other", question=question
    )
    factories.VoteFactory(meeting=meeting, consultation=consultation, subject="other", question="")
    summaries = [
        entry.summary
        for entry in consultation_timeline(consultation, public=True)
        if entry.kind == EntryKind.VOTE
    ]
    assert summaries == [
        "Le CSE demande que les lignes des élus ne soient jamais enregistrées, …\u00a0: "
        "adoptée à l'unanimité, 9 pour",
        "Autre\u00a0: adoptée à l'unanimité, 9 pour",
    ]


@pytest.mark.parametrize(
    ("outcome", "judged"),
    [
        ("annulled", "le juge annule l'expertise"),
        ("rejected", "le juge rejette la contestation, l'expertise continue"),
        ("", "Jugement notifié sur la contestation de l'expertise"),
    ],
)
def test_the_timeline_shows_the_contest_of_the_expertise_and_its_judgment(
    organisation_a, client, outcome, judged
):
    """The employer's contest suspends the period until the judgment is notified (L2315-86):
    both dates are on the timeline, public ones too (a QA pass on the dates found them only in
    the expertise's section)."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    factories.ExpertiseFactory(
        consultation=consultation,
        designated_on=D(2025, 3, 14),
        contested_on=D(2025, 3, 15),
        judgment_on=D(2025, 3, 25),
        contest_outcome=outcome,
    )
    entries = {
        entry.kind: entry
        for entry in consultation_timeline(consultation, public=True)
        if entry.kind in (EntryKind.EXPERTISE_CONTESTED, EntryKind.CONTEST_JUDGED)
    }
    contested = entries[EntryKind.EXPERTISE_CONTESTED]
    assert contested.on == D(2025, 3, 15) and contested.anchor == "expertise"
    assert "La direction conteste l'expertise devant le juge" in contested.summary
    assert entries[EntryKind.CONTEST_JUDGED].on == D(2025, 3, 25)
    assert judged in entries[EntryKind.CONTEST_JUDGED].summary
    assert "le délai d'avis reprend (L2315-86)" in entries[EntryKind.CONTEST_JUDGED].summary
    page = client.get(reverse("consultations:public-list"), {"kind": "contest_judged"})
    assert judged in html.unescape(page.content.decode()).replace("\u202f", " ")
    with translation.override("en"):
        english = timeline_entries(Consultation.objects.all(), public=True).entries
    assert any(
        "Management contests the expert assessment before the judge" in entry.summary
        for entry in english
    )


def test_a_vote_on_the_opinion_agrees_with_avis_in_the_masculine(organisation_a, client):
    """ "Avis : adopté", not "adoptée"; the motion it adopts stays "adoptée" (une motion)."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(
        meeting=meeting, consultation=consultation, subject="opinion", question="Avis du CSE"
    )
    factories.MotionFactory(
        consultation=consultation,
        adopting_vote=vote,
        adopted_on=D(2025, 3, 10),
        kind="motion",
        published=True,
    )
    entry = next(
        entry
        for entry in consultation_timeline(consultation, public=True)
        if entry.kind == EntryKind.VOTE
    )
    assert entry.summary == "Avis\u00a0: adopté à l'unanimité, 9 pour"
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = html.unescape(page.content.decode())
    assert "<strong>adopté à l'unanimité</strong>" in text  # the table of votes
    # The motion's card: the whole count, its unanimity said once.
    assert "Adoptée le 10 mars 2025 à l'unanimité — 9 pour, 0 contre, 0 abstention, 0 blanc" in (
        text.replace("\u00a0", " ")
    )
    with translation.override("en"):
        assert vote.result_label == "adopted unanimously"


def test_an_agreement_every_member_present_voted_short_of_the_seats_is_rejected(
    organisation_a, client
):
    """An agreement on the periods needs a majority of the 9 seats (L2312-16): 4 for of 4
    present is rejected, and the page and the timeline never call it unanimous."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    meeting.consultations.add(consultation)
    factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        subject="agreement",
        votes_for=4,
        voting_members_present=4,
    )
    entry = next(
        entry
        for entry in consultation_timeline(consultation, public=True)
        if entry.kind == EntryKind.VOTE
    )
    assert entry.summary.endswith(": rejeté, 4 pour, 0 contre, 0 abstention, 0 blanc")
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    assert "unanimité" not in page.content.decode()


def test_it_turns_a_passed_deadline_into_a_deemed_negative_opinion(organisation_a):
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    kinds = {e.kind for e in consultation_timeline(consultation, today=D(2025, 4, 4))}
    assert EntryKind.DEEMED_NEGATIVE in kinds and EntryKind.DEADLINE not in kinds


def text_of(response) -> str:
    """A page's text: tags dropped, every kind of space one space, entities unescaped."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_its_page_says_the_opinion_is_deemed_negative_once_the_deadline_passed(
    client, organisation_a
):
    """Past the deadline without an opinion, the page says what the badge says (R2312-6), not
    "Pas encore d'avis" under a "Dernier jour pour rendre l'avis" that has gone by."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    with time_machine.travel(datetime.datetime(2025, 3, 20, 12, 0), tick=False):
        running = text_of(client.get(url))
    with time_machine.travel(datetime.datetime(2025, 4, 20, 12, 0), tick=False):
        expired = text_of(client.get(url))
    assert "Dernier jour pour rendre l'avis" in running and "Pas encore d'avis." in running
    assert "Dernier jour pour rendre l'avis" not in expired
    assert "Pas encore d'avis" not in expired
    assert "Délai écoulé sans avis, réputé négatif : 3 avril 2025" in expired
    assert "Avis réputé négatif : délai écoulé le 3 avril 2025 (R2312-6)" in expired
    assert "(délai expiré)" not in expired  # the choice's own bracket, not doubled


def test_a_recorded_deemed_negative_opinion_reads_as_one_sentence(organisation_a, client):
    consultation = published(
        organisation_a,
        "Sentinelle",
        information_received_on=D(2025, 3, 3),
        opinion="deemed_negative",
        opinion_on=D(2025, 4, 4),
    )
    page = text_of(client.get(reverse("consultations:consultation-detail", args=[consultation.pk])))
    assert "Avis réputé négatif : délai écoulé le 3 avril 2025 (R2312-6)" in page
    assert "(délai expiré)" not in page


def test_a_due_date_whose_label_ends_in_le_takes_no_colon(organisation_a, client):
    consultation = published(
        organisation_a, "Sentinelle", opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    page = text_of(client.get(reverse("consultations:consultation-detail", args=[consultation.pk])))
    assert "Réponse motivée attendue le 27 avril 2025" in page
    assert "attendue le :" not in page


def test_it_shows_no_answer_after_the_due_date(organisation_a):
    consultation = published(
        organisation_a, "Sentinelle", opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    entries = consultation_timeline(consultation, today=D(2025, 5, 1))
    assert entries[-1].kind == EntryKind.NO_ANSWER and entries[-1].on == D(2025, 4, 27)


def test_an_answer_before_the_opinion_does_not_answer_it(organisation_a):
    """Management answered a motion in March; the opinion of 28 March still awaits its answer
    (L2312-15), and the timeline says when it is missing."""
    consultation = published(
        organisation_a, "Sentinelle", opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 3, 20))
    entries = consultation_timeline(consultation, today=D(2025, 5, 1))
    assert entries[-1].kind == EntryKind.NO_ANSWER and entries[-1].on == D(2025, 4, 27)
    factories.ManagementResponseFactory(consultation=consultation, received_on=D(2025, 4, 20))
    entries = consultation_timeline(consultation, today=D(2025, 5, 1))
    assert EntryKind.NO_ANSWER not in {entry.kind for entry in entries}


def test_it_paginates_in_the_database_newest_first(organisation_a):
    consultation = published(organisation_a, "Sentinelle")
    story(consultation, count=5)
    everything = timeline_entries(Consultation.objects.all(), public=True, today=D(2025, 6, 1))
    page = timeline_entries(
        Consultation.objects.all(), public=True, offset=3, limit=4, today=D(2025, 6, 1)
    )
    assert page.total == len(everything.entries)
    assert page.entries == everything.entries[3:7]
    dates = [entry.on for entry in everything.entries]
    assert dates == sorted(dates, reverse=True)


def test_its_page_links_carry_the_filters_and_nothing_else(client, organisation_a):
    story(published(organisation_a, "Sentinelle"), count=15)
    url = reverse("consultations:public-list")
    plain = client.get(url).content.decode()
    assert 'href="?page=2"' in plain and "?&amp;page" not in plain
    filtered = client.get(url, {"start": "2025-01-01", "page": "1"}).content.decode()
    assert 'href="?start=2025-01-01&amp;page=2"' in filtered


@pytest.mark.parametrize(
    ("language", "label"), [("fr", "Intitulé (décroissant)"), ("en", "Title (descending)")]
)
def test_the_list_sorts_in_the_readers_language(reader_a, language, label):
    client = client_for(reader_a)
    client.cookies["django_language"] = language
    page = client.get(reverse("consultations:consultation-list")).content.decode()
    assert f'<option value="-title">{label}</option>' in page


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_it_keeps_the_public_page_queries_fixed(client, organisation_a, organisation_b):
    first = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    story(first, count=2)
    few = count_queries(client, reverse("consultations:public-list"))
    for index in range(6):
        other = published(organisation_b, f"Autre {index}", information_received_on=D(2025, 2, 3))
        story(other, count=10)
    assert timeline_entries(Consultation.objects.all(), public=True, limit=1).total > 200
    assert count_queries(client, reverse("consultations:public-list")) == few
    # A deeper page loads the records of the kinds it shows: never more queries than the first.
    assert count_queries(client, reverse("consultations:public-list"), {"page": 5}) <= few


def test_it_filters_by_organisation_kind_and_period(client, organisation_a, organisation_b):
    story(published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3)))
    story(published(organisation_b, "Vigilance", information_received_on=D(2025, 3, 3)))
    url = reverse("consultations:public-list")
    page = client.get(url, {"organisation": organisation_a.pk}).content.decode()
    assert "CSE Sentinelle" in page and "CSE Vigilance" not in page
    page = client.get(url, {"kind": "motion"}).content.decode()
    entries = page.split('class="timeline ')[1]
    assert "Motion 0" in entries and "Informations remises" not in entries
    page = client.get(url, {"start": "2025-04-01", "end": "2025-04-30"}).content.decode()
    assert "La direction refuse." in page and "Motion 0" not in page
    assert client.get(url, {"start": "n'importe quoi", "page": "x"}).status_code == 200


def test_it_groups_the_ai_systems_under_their_organisation(client, organisation_a):
    """A federation publishes hundreds of systems: the drop-down groups them by organisation
    (<optgroup>), in name order; two organisations of the same name stay apart; choosing a
    system still narrows the timeline to it."""
    twins = [factories.OrganisationFactory(name="Centre d'appels") for _ in range(2)]
    for organisation, system in [(twins[0], "Zeta"), (twins[0], "Alpha"), (twins[1], "Beta")]:
        deployment = factories.DeploymentFactory(organisation=organisation, name=system)
        published(organisation, f"Sur {system}", deployment=deployment)
    published(
        organisation_a,
        "Sur MAIA",
        deployment=factories.DeploymentFactory(organisation=organisation_a, name="MAIA"),
    )
    url = reverse("consultations:public-list")
    page = client.get(url).content.decode()
    select = page[page.index('<select class="form-select form-select-sm" id="id_deployment"') :]
    select = select[: select.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select)
    assert [(label, re.findall(r">([^<]+)</option>", options)) for label, options in groups] == [
        ("Centre d&#x27;appels", ["Alpha", "Zeta"]),
        ("Centre d&#x27;appels", ["Beta"]),
        (organisation_a.name, ["MAIA"]),
    ]
    beta = Consultation.objects.get(title="Sur Beta").deployment
    page = client.get(url, {"deployment": beta.pk}).content.decode()
    entries = page.split('class="timeline ')[1]
    assert "Sur Beta" in entries and "Sur Alpha" not in entries


def test_it_shows_only_published_consultations(client, organisation_a):
    factories.ConsultationFactory(title="Projet secret", information_received_on=D(2025, 3, 3))
    published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    page = client.get(reverse("consultations:public-list")).content.decode()
    assert "Sentinelle" in page and "Projet secret" not in page


def test_it_serves_the_timeline_as_atom_with_the_same_filters(
    client, organisation_a, organisation_b
):
    story(published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3)))
    story(published(organisation_b, "Vigilance", information_received_on=D(2025, 3, 3)))
    url = reverse("consultations:timeline-feed")
    response = client.get(url, {"organisation": organisation_a.pk})
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Sentinelle" in feed and "Vigilance" not in feed
    assert "<entry>" in feed


def test_the_atom_feed_leaves_out_the_dates_still_to_come(client, organisation_a):
    """A period's last day to come is on the page's timeline, not news in the feed: a feed
    dated in the future sorts first or is refused by feed readers."""
    published(organisation_a, "Sentinelle", information_received_on=D(2026, 11, 16))
    with time_machine.travel(D(2026, 11, 24), tick=False):
        page = client.get(reverse("consultations:public-list")).content.decode()
        feed = client.get(reverse("consultations:timeline-feed")).content.decode()
    assert "16 décembre 2026" in page  # the last day, one month on
    assert "2026-12-16" not in feed and "2026-11-16" in feed
    updated = re.findall(r"<updated>(\d{4}-\d{2}-\d{2})", feed)
    assert updated and max(updated) <= "2026-11-24"


def test_the_atom_feed_keeps_its_length_when_dates_to_come_lead(
    client, organisation_a, monkeypatch
):
    """The dates to come are left out before the feed's limit, not after: more of them than
    the limit would otherwise leave an empty feed."""
    from consultations.feeds import TimelineFeed

    monkeypatch.setattr(TimelineFeed, "limit", 3)
    for index in range(3):
        published(organisation_a, f"En cours {index}", information_received_on=D(2026, 11, 16))
    published(organisation_a, "Ancienne", information_received_on=D(2025, 3, 3))
    with time_machine.travel(D(2026, 11, 24), tick=False):
        feed = client.get(reverse("consultations:timeline-feed")).content.decode()
    assert feed.count("<entry>") == 3 and "2026-12-16" not in feed


MARKERS = {
    "internal_notes": "MARQUEUR-NOTES-INTERNES",
    "motion": "MARQUEUR-MOTION-NON-PUBLIEE",
    "document": "MARQUEUR-DOCUMENT-CONFIDENTIEL",
    "event": "MARQUEUR-EVENEMENT-PRIVE",
    "deployment_notes": "MARQUEUR-NOTES-SYSTEME",
    "representative": "marqueur.elu@example.org",
    "internal": "MARQUEUR-CONSULTATION-INTERNE",
    "stop": "MARQUEUR-SUSPENSION",
}


def private_dataset(organisation):
    consultation = published(
        organisation,
        "Sentinelle",
        information_received_on=D(2025, 3, 3),
        internal_notes=MARKERS["internal_notes"],
    )
    consultation.deployment.notes = MARKERS["deployment_notes"]
    consultation.deployment.save()
    story(consultation)
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 20))
    vote = factories.VoteFactory(
        meeting=meeting, consultation=consultation, question=MARKERS["motion"]
    )
    factories.MotionFactory(
        consultation=consultation,
        adopting_vote=vote,
        adopted_on=None,
        title=MARKERS["motion"],
        text=MARKERS["motion"],
        published=False,
    )
    factories.DocumentFactory(
        consultation=consultation,
        title=MARKERS["document"],
        confidential=True,
        confidentiality_justification="Secret",
    )
    factories.EventFactory(
        consultation=consultation, title=MARKERS["event"], text=MARKERS["event"], public=False
    )
    factories.ClockStopFactory(consultation=consultation, note=MARKERS["stop"])
    factories.UserFactory(username="elu", email=MARKERS["representative"])
    factories.ConsultationFactory(
        body=consultation.body,
        deployment=consultation.deployment,
        title=MARKERS["internal"],
        information_received_on=D(2025, 3, 3),
    )
    return consultation


def readable(response) -> str:
    """The text of a page, a feed, a CSV or a PDF (extracted with pypdf)."""
    if response["Content-Type"].startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(page.extract_text() for page in reader.pages)
    return response.content.decode("utf-8-sig")


def test_it_never_shows_anything_private(client, organisation_a):
    consultation = private_dataset(organisation_a)
    published_motion = consultation.motions.filter(published=True).first()
    urls = [
        reverse("consultations:public-list"),
        reverse("consultations:public-list") + "?kind=motion",
        reverse("consultations:consultation-detail", args=[consultation.pk]),
        reverse("consultations:timeline-feed"),
        reverse("consultations:deployment-list"),
        reverse("consultations:deployment-detail", args=[consultation.deployment.pk]),
        reverse("consultations:deployment-csv"),
        reverse("consultations:dossier-pdf", args=[consultation.pk]),
        reverse("consultations:motion-pdf", args=[published_motion.pk]),
        reverse("consultations:register-pdf", args=[consultation.body.pk, 2025]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = readable(response)
        for marker in MARKERS.values():
            assert marker not in content, (url, marker)


def test_a_withdrawn_project_is_never_deemed_negative(organisation_a, client):
    consultation = published(
        organisation_a, "Retiré", information_received_on=D(2025, 3, 3), status="withdrawn"
    )
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12), tick=False):
        page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
        entries = consultation_timeline(consultation, public=True)
    text = html.unescape(page.content.decode())
    assert '<span class="badge text-bg-light border">Projet retiré</span>' in text
    assert "Sans objet\u00a0: la direction a retiré son projet avant l'avis." in text
    assert "réputé négatif" not in text.replace("faute de quoi il est réputé négatif", "")
    assert EntryKind.DEEMED_NEGATIVE not in {entry.kind for entry in entries}


@pytest.mark.parametrize(("opinion_on", "noted"), [(D(2025, 4, 10), True), (D(2025, 4, 3), False)])
def test_an_opinion_after_the_deadline_is_noted(organisation_a, client, opinion_on, noted):
    consultation = published(
        organisation_a,
        "Tardif",
        information_received_on=D(2025, 3, 3),  # last day 3 April 2025
        opinion="favourable",
        opinion_on=opinion_on,
    )
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = html.unescape(page.content.decode()).replace("\u00a0", " ")
    note = "Avis rendu après la fin du délai, le 3 avril 2025 : le CSE était alors déjà réputé"
    assert (note in text) is noted


@pytest.mark.parametrize(("opinion_on", "warned"), [(D(2025, 4, 10), True), (D(2025, 4, 3), False)])
def test_the_admin_warns_of_an_opinion_after_the_deadline(
    organisation_a, superuser, opinion_on, warned
):
    """Found by an admin QA pass: accepted without a word, the badge turning from « Avis réputé
    négatif » to « Avis rendu ». Saved all the same: the day computed may be disputed."""
    from .test_off_agenda_votes import resubmit

    consultation = published(
        organisation_a,
        "Tardif",
        information_received_on=D(2025, 3, 3),  # last day 3 April 2025
        opinion="unfavourable",
        opinion_on=opinion_on,
    )
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    warnings = [
        html.unescape(warning).replace("\u00a0", " ")
        for warning in resubmit(client_for(superuser), url)
    ]
    said = (
        "L'avis est daté du 10 avril 2025, après la fin du délai le 3 avril 2025 : le CSE était "
        "alors déjà réputé avoir rendu un avis négatif (R2312-6)."
    )
    assert any(said in warning for warning in warnings) is warned, warnings
    consultation.refresh_from_db()
    assert consultation.opinion == "unfavourable"


def test_reversed_dates_say_so_rather_than_list_nothing(organisation_a, client, reader_a):
    story(published(organisation_a, "Sentinelle"))
    page = client.get(
        reverse("consultations:public-list"), {"start": "2026-01-01", "end": "2020-01-01"}
    )
    text = page.content.decode()
    assert (
        "Cette date précède le début de la période (1er janvier 2026)\u00a0: inversez-les." in text
    )
    assert "Aucune étape ne correspond" not in text
    listed = client_for(reader_a).get(
        reverse("consultations:consultation-list"),
        {"received_after": "2026-01-01", "received_before": "2020-01-01"},
    )
    assert "Cette date précède le début de la période (1er janvier 2026)" in listed.content.decode()


def test_a_filter_refused_leaves_the_others_applied(organisation_a, client, reader_a):
    """An invalid value is left aside, with its error; every valid filter still applies, the
    entry kind and the period as well as the consultations' (QA pass as a reader)."""
    story(published(organisation_a, "Sentinelle"))
    page = client.get(
        reverse("consultations:public-list"),
        {"risk_tier": "bad", "kind": "vote", "organisation": organisation_a.pk},
    )
    assert "bad" in page.context["filter"].form.errors["risk_tier"][0]
    kinds = {entry.kind for entry in page.context["timeline"]}
    assert kinds == {"vote"}
    # Reversed dates: the period is left aside as a whole, not filtered on its first day.
    listed = client_for(reader_a).get(
        reverse("consultations:consultation-list"),
        {"received_after": "2026-01-01", "received_before": "2020-01-01"},
    )
    assert [c.title for c in listed.context["consultations"]] == ["Sentinelle"]


@pytest.mark.parametrize(
    ("opinion", "french", "english"),
    [
        (
            "unfavourable",
            "Avis «\u00a0défavorable\u00a0» du CSE Sentinelle.",
            "Opinion of the CSE Sentinelle: unfavourable.",
        ),
        (
            "refused_to_vote",
            "Le CSE Sentinelle refuse de rendre un avis.",
            "The CSE Sentinelle refuses to give an opinion.",
        ),
    ],
)
def test_the_opinion_reads_as_a_sentence(organisation_a, opinion, french, english):
    consultation = published(
        organisation_a, "Sentinelle", opinion=opinion, opinion_on=D(2025, 3, 28)
    )
    entry = next(e for e in consultation_timeline(consultation) if e.kind == EntryKind.OPINION)
    assert entry.summary == french
    with translation.override("en"):
        entry = next(e for e in consultation_timeline(consultation) if e.kind == EntryKind.OPINION)
        assert entry.summary == english


@pytest.mark.parametrize(
    ("language", "opinion"),
    [
        ("fr", "Avis : défavorable (28 mars 2025)"),
        ("en", "Opinion: unfavourable (28 March 2025)"),
    ],
)
def test_the_consultation_page_writes_the_opinion_in_lower_case_after_the_colon(
    organisation_a, client, language, opinion
):
    """« Avis : Défavorable » took the capital of the choice's label, which starts a line
    elsewhere (the admin's list, the dossier's table); French writes « Avis : défavorable », as
    the page's « Avis : adopté »."""
    consultation = published(
        organisation_a, "Sentinelle", opinion="unfavourable", opinion_on=D(2025, 3, 28)
    )
    client.cookies["django_language"] = language
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = re.sub(r"<[^>]+>", "", html.unescape(page.content.decode())).replace("\u00a0", " ")
    assert opinion in text


def test_the_consultation_page_renders_its_texts_as_markdown_like_the_pdf(client, organisation_a):
    """The summary, the expertise's findings and the answer are Markdown, as in the PDFs:
    formatted, and sanitised."""
    consultation = published(
        organisation_a,
        "Markdown",
        summary="Le projet **MAIA** :\n\n- transcrit les appels\n- note les agents\n\n"
        "<script>alert('x')</script>",
    )
    factories.ExpertiseFactory(consultation=consultation, findings="Risque *élevé*.")
    factories.ManagementResponseFactory(consultation=consultation, text="1. Non\n2. Peut-être")
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    content = page.content.decode()
    assert "<strong>MAIA</strong>" in content
    assert "<li>transcrit les appels</li>" in content
    assert "<em>élevé</em>" in content
    assert "<ol>\n<li>Non</li>" in content
    assert "<script>alert" not in content


@pytest.mark.parametrize(
    ("facts", "says"),
    [
        ({}, "le délai passe alors à deux mois."),
        ({"two_level": True}, "trois mois, la consultation se tenant à deux niveaux"),
        ({"agreed": 45}, "le délai d'avis est alors de 45 jours, comme l'accord le fixe"),
        ({"opinion": Consultation.Opinion.UNFAVOURABLE}, "Pas d'expertise."),
        (
            {"received": D(2025, 1, 6)},
            "a pris fin le 6 février 2025\u00a0: une expertise votée désormais",
        ),
        ({"received": D(2025, 1, 6), "agreed": 45}, "a pris fin le"),
        ({"agreed_only": (None, 30)}, "L'accord fixe un délai d'avis de 30 jours, qu'une"),
        # Agreed with an expert only: the legal month until one is appointed.
        ({"agreed_only": (40, None)}, "le délai d'avis est alors de 40 jours, comme l'accord"),
        (
            {"two_level": True, "other_level": True, "agreed": 45},
            "avec celle votée à l'autre niveau, le délai d'avis est de 45 jours",
        ),
        ({"two_level": True, "other_level": True}, "porte le délai à trois mois"),
    ],
)
def test_the_page_without_expertise_says_what_an_expert_would_do_to_the_period(
    client, organisation_a, facts, says
):
    """Under an agreement, the period with an expert is the agreed one, not two months
    (LEGAL.md trap 4); once the period ended or an opinion is in, an expert extends nothing."""
    consultation = published(
        organisation_a,
        "Sans expertise",
        information_received_on=facts.get("received", D(2026, 11, 16)),
        two_level=facts.get("two_level", False),
        expertise_at_other_level=facts.get("other_level", False),
        opinion=facts.get("opinion", ""),
        opinion_on=D(2026, 11, 20) if facts.get("opinion") else None,
    )
    if "agreed" in facts:
        consultation.body.agreed_days_with_expert = facts["agreed"]
        consultation.body.agreed_days_without_expert = 20
        consultation.body.save()
    if "agreed_only" in facts:
        with_expert, without = facts["agreed_only"]
        consultation.body.agreed_days_with_expert = with_expert
        consultation.body.agreed_days_without_expert = without
        consultation.body.save()
    with time_machine.travel(D(2026, 11, 24), tick=False):
        page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    note = re.search(r'id="no-expertise">([^<]*)<', html.unescape(page.content.decode()))
    assert says in note.group(1)


def test_the_note_without_expertise_tells_an_establishment_of_its_7_days(client, organisation_a):
    """R2312-6 II: an establishment council's opinion is due 7 days before the central's."""
    central = factories.BodyFactory(organisation=organisation_a, kind=Body.Kind.CSE_CENTRAL)
    establishment = factories.BodyFactory(
        organisation=organisation_a, kind=Body.Kind.CSE_ESTABLISHMENT, parent=central
    )
    consultation = factories.ConsultationFactory(
        body=establishment,
        two_level=True,
        information_received_on=D(2026, 11, 16),
        visibility=Consultation.Visibility.PUBLIC,
    )
    with time_machine.travel(D(2026, 11, 24), tick=False):
        page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    note = re.search(r'id="no-expertise">([^<]*)<', html.unescape(page.content.decode()))
    assert "trois mois" in note.group(1)
    assert note.group(1).endswith("7 jours avant la fin du délai du CSE central (R2312-6 II).")


def test_the_expert_s_cost_is_shown_to_members_only(client, organisation_a, reader_a):
    consultation = published(organisation_a, "Coûts", information_received_on=D(2025, 3, 3))
    factories.ExpertiseFactory(
        consultation=consultation,
        estimated_cost=42000,
        cost_notified_on=D(2025, 3, 20),
        final_cost=39500.5,
    )
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    member = html.unescape(client_for(reader_a).get(url).content.decode())
    assert "Coût prévisionnel\u00a0: 42\u00a0000,00\u00a0€ (notifié le 20 mars 2025)" in member
    assert "Coût final\u00a0: 39\u00a0500,50\u00a0€" in member
    public = html.unescape(client.get(url).content.decode())
    assert "Coût prévisionnel\u00a0:" not in public and "42\u00a0000" not in public
    # In English, the sign before the amount (found by a reader's QA pass: « 42,000.00 € »).
    reader = client_for(reader_a)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(reader.get(url).content.decode())
    assert "Estimated cost: €42,000.00" in english and "Final cost: €39,500.50" in english


def test_its_page_links_to_the_yearly_register_of_its_motions(client, organisation_a, reader_a):
    """Each register that holds a motion shown: the public's holds the published ones."""
    consultation = published(organisation_a, "Sentinelle")
    story(consultation)
    hidden = factories.MotionFactory(
        consultation=consultation, adopted_on=D(2026, 1, 12), published=False
    )
    url = reverse("consultations:consultation-detail", args=[consultation.pk])
    register_2025 = reverse("consultations:register-pdf", args=[consultation.body.pk, 2025])
    register_2026 = reverse("consultations:register-pdf", args=[consultation.body.pk, 2026])

    public = client.get(url).content.decode()
    assert f'href="{register_2025}"' in public and register_2026 not in public
    assert "Registre des motions 2025 — CSE Sentinelle (PDF)" in text_of(client.get(url))
    assert client.get(register_2025)["Content-Type"] == "application/pdf"
    member = client_for(reader_a).get(url).content.decode()
    assert f'href="{register_2025}"' in member and f'href="{register_2026}"' in member
    assert hidden.year == 2026


def test_a_motion_adopted_by_another_council_links_to_that_councils_register(
    client, organisation_a
):
    consultation = published(organisation_a, "Sentinelle")
    central = factories.BodyFactory(organisation=organisation_a, name="CSE central Sentinelle")
    motion = factories.MotionFactory(
        consultation=consultation, body=central, adopted_on=D(2025, 5, 6), published=True
    )
    page = text_of(client.get(reverse("consultations:consultation-detail", args=[consultation.pk])))
    assert motion.body == central
    assert "Registre des motions 2025 — CSE central Sentinelle (PDF)" in page


def test_a_motion_card_gives_the_whole_count_of_a_split_vote(organisation_a, client):
    """« adoptée, 10 pour » hid 2 against and 2 abstentions and read as unanimous (found by an
    editor's QA pass)."""
    consultation = published(organisation_a, "Sentinelle")
    consultation.body.seats = 14
    consultation.body.save()
    meeting = factories.MeetingFactory(body=consultation.body, held_on=D(2025, 3, 10))
    vote = factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        votes_for=10,
        votes_against=2,
        abstentions=2,
        voting_members_present=14,
    )
    factories.MotionFactory(
        consultation=consultation, adopting_vote=vote, adopted_on=D(2025, 3, 10), published=True
    )
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = html.unescape(page.content.decode()).replace("\u00a0", " ")
    assert "Adoptée le 10 mars 2025 — 10 pour, 2 contre, 2 abstentions, 0 blanc" in text
    assert "unanimité —" not in text


def test_an_answer_names_the_motions_it_answers_apart(organisation_a, client):
    """Separated by « · », which needs no space set by language (a « ; » did, and had none)."""
    consultation = factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a),
        visibility=Consultation.Visibility.PUBLIC,
        information_received_on=datetime.date(2025, 3, 3),
    )
    first = factories.MotionFactory(consultation=consultation, title="Sur les écoutes")
    second = factories.MotionFactory(consultation=consultation, title="Sur les scores")
    factories.ManagementResponseFactory(consultation=consultation).motions.add(first, second)
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    text = " ".join(page.content.decode().split())
    assert "Sur les écoutes</span></a> · <a" in text


def test_the_atom_feed_names_each_text_adopted_by_its_own_designation(client, organisation_a):
    """Eleven motions of one consultation were eleven entries titled « Motion adoptée — … »;
    a wish is not a motion either."""
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    story(consultation, count=2)
    wish = consultation.motions.order_by("pk").last()
    wish.kind = Motion.Kind.WISH
    wish.save()
    with time_machine.travel(datetime.datetime(2025, 5, 20, 12), tick=False):
        feed = client.get(reverse("consultations:timeline-feed")).content.decode()
    titles = re.findall(r"<title>([^<]*)</title>", feed)
    year = consultation.motions.first().reference.split("-")[0]
    assert f"Motion n°\xa0{year}-01 — Sentinelle" in titles
    assert f"Vœu n°\xa0{year}-02 — Sentinelle" in titles
    assert not any(title.startswith(("Motion adoptée", "Texte adopté")) for title in titles)


def test_the_timeline_calls_a_text_adopted_by_no_kind_of_its_own(client, organisation_a):
    consultation = published(organisation_a, "Sentinelle", information_received_on=D(2025, 3, 3))
    story(consultation)
    with time_machine.travel(datetime.datetime(2025, 5, 20, 12), tick=False):
        page = client.get(reverse("consultations:public-list")).content.decode()
    assert "Texte adopté" in page and "Motion adoptée" not in page

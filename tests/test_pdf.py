"""PDF exports: a motion, a consultation's dossier, a body's register. Checked by their text."""

import datetime
import gc
import io
import re

import pytest
import weasyprint
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultations import pdf
from consultations.markdown import NBSP, NNBSP
from consultations.models import Consultation, Motion
from consultations.rules.deadlines import french_date

from .conftest import client_for
from .factories import (
    BodyFactory,
    ConsultationFactory,
    DemandFactory,
    DocumentFactory,
    EventFactory,
    ExpertiseFactory,
    ManagementResponseFactory,
    MeetingFactory,
    MotionFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db

MOTION_TEXT = """Le CSE constate que l'outil « Analyse des émotions » écoute les appels : \
il déduit la colère, la lassitude ou la joie des salariés à partir de leur voix.

## Considérant

- que la reconnaissance des émotions des salariés est interdite depuis le 2 février 2025 \
(AI Act, art. 5(1)(f)) ;
- que l'analyse d'impact n'a pas été communiquée ; ça suffit !

Le CSE **demande** l'arrêt immédiat de l'expérimentation. Qui décidera ?
"""

# Markers written in private fields: none may reach a public export.
PRIVATE_MARKERS = {
    "internal_notes": "ZQXNOTES",
    "unpublished_motion": "ZQXMOTION",
    "confidential_document": "ZQXDOCUMENT",
    "private_event": "ZQXEVENT",
}


def pdf_text(content: bytes) -> tuple[str, int]:
    """The text of every page, and the number of pages."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    """Whitespace (line breaks, non-breaking spaces) collapsed to single spaces."""
    return " ".join(text.split())


def adopt(consultation, meeting, *, title, text=MOTION_TEXT, published=True, **counts):
    counts = {"votes_for": 9, "voting_members_present": 9, **counts}
    vote = VoteFactory(meeting=meeting, consultation=consultation, **counts)
    return MotionFactory(
        consultation=consultation,
        adopting_vote=vote,
        adopted_on=meeting.held_on,
        title=title,
        text=text,
        published=published,
    )


@pytest.fixture
def body_a(organisation_a):
    return BodyFactory(
        organisation=organisation_a,
        name="CSE de l'établissement de Lyon",
        secretary_title="La secrétaire du CSE",
    )


@pytest.fixture
def meeting_a(body_a):
    return MeetingFactory(
        body=body_a,
        held_on=datetime.date(2020, 8, 27),
        agenda_sent_on=datetime.date(2020, 8, 20),
        starts_at=datetime.time(14, 30),
        place="salle du conseil, Lyon Part-Dieu",
    )


def make_consultation(body, *, visibility, **fields):
    return ConsultationFactory(
        body=body,
        title="Consultation sur l'analyse des émotions au centre d'appels",
        information_received_on=datetime.date(2020, 7, 1),
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def internal_consultation(body_a):
    return make_consultation(body_a, visibility=Consultation.Visibility.INTERNAL)


@pytest.fixture
def public_consultation(body_a):
    return make_consultation(body_a, visibility=Consultation.Visibility.PUBLIC)


@pytest.fixture
def motion(public_consultation, meeting_a):
    """The third motion of 2020: 2020-03, adopted unanimously."""
    adopt(public_consultation, meeting_a, title="Sur le calendrier de la consultation")
    adopt(public_consultation, meeting_a, title="Sur l'expertise", votes_for=7, abstentions=2)
    return adopt(public_consultation, meeting_a, title="Analyse des émotions")


@pytest.fixture
def full_public_consultation(public_consultation, meeting_a, motion):
    """A public consultation with something in every section, and private markers."""
    consultation = public_consultation
    consultation.internal_notes = f"Stratégie : {PRIVATE_MARKERS['internal_notes']}"
    consultation.summary = "La direction veut **écouter** les appels ; le CSE s'y oppose."
    consultation.save()
    deployment = consultation.deployment
    deployment.planned_go_live = datetime.date(2020, 9, 1)
    deployment.actual_go_live = datetime.date(2020, 10, 5)
    deployment.save()
    adopt(
        consultation,
        meeting_a,
        title=f"Motion en préparation {PRIVATE_MARKERS['unpublished_motion']}",
        published=False,
    )
    ExpertiseFactory(
        consultation=consultation,
        expert_firm="Cabinet Degest",
        designated_on=datetime.date(2020, 7, 10),
        estimated_cost=12500,
        findings="Le système déduit des **émotions** de la voix.",
    )
    response = ManagementResponseFactory(
        consultation=consultation,
        received_on=datetime.date(2020, 9, 15),
        text="La direction maintient l'expérimentation à Lyon.",
    )
    response.motions.add(motion)
    DemandFactory(consultation=consultation, text="Arrêt de la reconnaissance des émotions")
    DocumentFactory(consultation=consultation, title="Note d'information de la direction")
    DocumentFactory(
        consultation=consultation,
        title=f"Cahier des charges {PRIVATE_MARKERS['confidential_document']}",
        confidential=True,
        confidentiality_justification="Secret des affaires",
    )
    EventFactory(consultation=consultation, title="Grève des téléconseillers", public=True)
    EventFactory(
        consultation=consultation,
        title=f"Rendez-vous avocat {PRIVATE_MARKERS['private_event']}",
        public=False,
    )
    return consultation


# --- The motion PDF -----------------------------------------------------------------------------


def test_it_renders_a_motion_with_its_vote_and_certification(motion):
    filename, content_type, content = pdf.motion_pdf(motion)

    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    text, pages = pdf_text(content)
    flat_text = flat(text)
    assert pages == 1
    assert "Motion n° 2020-03" in flat_text
    assert "Analyse des émotions" in flat_text
    assert "Organisation A" in flat_text
    assert "CSE de l'établissement de Lyon" in flat_text
    assert "Réunion du 27 août 2020 à 14 h 30, salle du conseil, Lyon Part-Dieu" in flat_text
    # « Blancs », the word of the page's table of votes (the PDF said « Blancs ou nuls »).
    assert "Pour Contre Abstentions Blancs Votants présents 9 0 0 0 9" in flat_text
    assert "nuls" not in flat_text
    assert "Majorité requise : 5 voix sur 9 votants présents" in flat_text
    assert "adoptée à l'unanimité" in flat_text
    assert "Pour extrait conforme" in flat_text
    assert "La secrétaire du CSE" in flat_text
    assert "page 1/1" in flat_text
    assert f"Généré par Vigie le {french_date(timezone.localdate())}" in flat_text
    assert "Consultation sur l'analyse des émotions au centre d'appels" in flat_text


def test_it_keeps_accents_and_french_typography_in_the_text(motion):
    text, _ = pdf_text(pdf.motion_pdf(motion)[2])

    for word in ("émotions", "colère", "ça suffit", "établissement", "août", "décidera"):
        assert word in flat(text)
    assert f"«{NBSP}Analyse des émotions{NBSP}»" in text
    assert f"appels{NBSP}:" in text
    assert f"suffit{NNBSP}!" in text
    assert f"décidera{NNBSP}?" in text


def test_it_names_the_file_after_the_body_reference_and_title(motion):
    assert pdf.motion_pdf(motion)[0] == "motion-CSE-2020-03-analyse-des-emotions.pdf"


def test_it_shows_a_majority_vote_that_is_not_unanimous(public_consultation, meeting_a):
    motion = adopt(
        public_consultation,
        meeting_a,
        title="Sur l'expertise",
        votes_for=5,
        votes_against=2,
        abstentions=1,
        blank_votes=1,
    )
    text = flat(pdf_text(pdf.motion_pdf(motion)[2])[0])

    assert "5 2 1 1 9" in text
    assert "Résultat : adoptée" in text
    assert "unanimité" not in text


def test_it_uses_a_default_secretary_title(public_consultation, meeting_a, body_a):
    body_a.secretary_title = ""
    body_a.save()
    motion = adopt(public_consultation, meeting_a, title="Sur la formation")

    assert "Le ou la secrétaire du CSE" in flat(pdf_text(pdf.motion_pdf(motion)[2])[0])


def test_it_escapes_names_in_the_running_header(public_consultation, meeting_a, organisation_a):
    organisation_a.name = 'Les "Amis" </style><h1>ZQXINJECTED</h1> \\ ;'
    organisation_a.save()
    motion = adopt(public_consultation, meeting_a, title="Sur les noms")

    text = flat(pdf_text(pdf.motion_pdf(motion)[2])[0])

    assert 'Les "Amis" </style><h1>ZQXINJECTED</h1>' in text
    assert pdf.css_string('a"b</style>\n') == '"a\\22 b\\3c /style\\3e \\a "'


def test_it_renders_the_markdown_sanitised(public_consultation, meeting_a):
    motion = adopt(
        public_consultation,
        meeting_a,
        title="Motion piégée",
        text="Texte **gras** <script>alert('x')</script> [lien](javascript:alert(1))",
    )
    text = flat(pdf_text(pdf.motion_pdf(motion)[2])[0])

    assert "Texte gras" in text
    assert "alert" not in text
    assert "script" not in text


# --- The dossier ------------------------------------------------------------------------------


def test_it_renders_a_dossier_with_every_section(full_public_consultation):
    filename, content_type, content = pdf.dossier_pdf(full_public_consultation, public=False)

    assert content_type == "application/pdf"
    assert filename.startswith("dossier-CSE-") and filename.endswith(".pdf")
    text, pages = pdf_text(content)
    flat_text = flat(text)
    assert pages >= 3
    assert "Dossier de consultation" in flat_text
    for heading in (
        "Sommaire",
        "Résumé",
        "Chronologie",
        "Expertise",
        "Avis et motions",
        "Réponses de la direction",
        "Revendications",
        "Documents",
    ):
        assert heading in flat_text
    assert "Informations reçues le (T0) 1er juillet 2020" in flat_text
    assert "Mise en service prévue le 1er septembre 2020" in flat_text
    assert "Mise en service effective le 5 octobre 2020" in flat_text
    assert "Cabinet Degest" in flat_text
    assert "12 500,00 €" in flat_text
    assert "Motion n° 2020-03 — Analyse des émotions" in flat_text
    assert "adoptée à l'unanimité" in flat_text
    assert "La direction maintient l'expérimentation à Lyon." in flat_text
    # The answer's position after the channel, as a sentence: not « Position : Refuse ».
    assert "Courrier · la direction refuse" in flat_text and "Position" not in flat_text
    assert "Arrêt de la reconnaissance des émotions" in flat_text
    assert "Grève des téléconseillers" in flat_text
    assert f"page 1/{pages}" in flat_text


def test_it_lists_the_contents_with_page_numbers(full_public_consultation):
    content = pdf.dossier_pdf(full_public_consultation, public=True)[2]
    reader = PdfReader(io.BytesIO(content))
    contents_page = flat(reader.pages[1].extract_text())

    assert "Sommaire" in contents_page
    for entry in ("Résumé", "Chronologie", "Motion n° 2020-03 — Analyse des émotions"):
        assert entry in contents_page
    assert [item.title for item in reader.outline if not isinstance(item, list)][:4] == [
        full_public_consultation.title,
        "Résumé",
        "Règles en jeu",
        "Chronologie",
    ]


def test_it_shows_the_private_parts_to_members(full_public_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(full_public_consultation, public=False)[2])[0])

    for marker in PRIVATE_MARKERS.values():
        assert marker in text
    assert "Version interne" in text


def test_it_writes_the_documents_in_french_whatever_the_readers_language(
    full_public_consultation, client
):
    """A PDF leaves Vigie for employees, the inspector and judges: French labels, dates and
    typography together, even from an English page (not English labels around French dates)."""
    client.cookies["django_language"] = "en"
    url = reverse("consultations:dossier-pdf", args=[full_public_consultation.pk])
    english_page = client.get(
        reverse("consultations:consultation-detail", args=[full_public_consultation.pk])
    )
    assert "Opinion and motions" in english_page.content.decode()
    text = flat(pdf_text(client.get(url).content)[0])
    assert "Avis et motions" in text and "Généré par Vigie le" in text
    assert "Generated by" not in text and "Opinion and motions" not in text


def test_it_keeps_private_parts_out_of_the_public_dossier(full_public_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(full_public_consultation, public=True)[2])[0])

    for marker in PRIVATE_MARKERS.values():
        assert marker not in text
    assert "Notes internes" not in text
    # The expert's cost is the council's budget: members read it, on the page as in the PDF.
    assert "12 500,00 €" not in text and "Coût prévisionnel" not in text
    assert "Analyse des émotions" in text
    assert "Note d'information de la direction" in text
    assert "Version publique" in text


def test_it_renders_a_dossier_of_fifty_motions_in_a_fixed_number_of_queries(
    internal_consultation, meeting_a
):
    adopt(internal_consultation, meeting_a, title="Motion d'essai numéro 1")
    with CaptureQueriesContext(connection) as one_motion:
        pdf.dossier_pdf(internal_consultation, public=False)
    for number in range(2, 51):
        adopt(internal_consultation, meeting_a, title=f"Motion d'essai numéro {number}")

    with CaptureQueriesContext(connection) as fifty_motions:
        content = pdf.dossier_pdf(internal_consultation, public=False)[2]

    assert len(fifty_motions) == len(one_motion)
    text, pages = pdf_text(content)
    flat_text = flat(text)
    assert pages > 10
    assert f"page {pages}/{pages}" in flat_text
    assert "Motion n° 2020-01 — Motion d'essai numéro 1" in flat_text
    assert "Motion n° 2020-50 — Motion d'essai numéro 50" in flat_text


# --- The register -----------------------------------------------------------------------------


def test_it_renders_a_register_one_motion_per_page(body_a, motion):
    filename, content_type, content = pdf.register_pdf(body_a, 2020, public=False)

    assert filename == "registre-CSE-2020-cse-de-letablissement-de-lyon.pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 4  # cover and contents, then three motions
    contents = flat(reader.pages[0].extract_text())
    assert "Registre des motions 2020" in contents
    assert "Sommaire" in contents
    for number in (1, 2, 3):
        assert f"Motion n° 2020-0{number}" in contents
    assert contents.index("2020-01") < contents.index("2020-02") < contents.index("2020-03")
    last = flat(reader.pages[3].extract_text())
    assert "Motion n° 2020-03" in last and "Analyse des émotions" in last
    assert "Pour extrait conforme" in last


def test_it_leaves_unpublished_motions_out_of_the_public_register(body_a, meeting_a, motion):
    adopt(motion.consultation, meeting_a, title="Motion ZQXMOTION", published=False)
    internal = make_consultation(body_a, visibility=Consultation.Visibility.INTERNAL)
    adopt(internal, meeting_a, title="Motion ZQXINTERNAL")

    public_text = flat(pdf_text(pdf.register_pdf(body_a, 2020, public=True)[2])[0])
    member_text = flat(pdf_text(pdf.register_pdf(body_a, 2020, public=False)[2])[0])

    assert "ZQXMOTION" not in public_text and "ZQXINTERNAL" not in public_text
    assert "ZQXMOTION" in member_text and "ZQXINTERNAL" in member_text


LONG_TITLE = (
    "Motion sur les risques psychosociaux du projet TP Observe et TP Interact dans les centres "
    "d'appels de Lyon, Villeurbanne et Montpellier, et sur la consultation des élus"
)


def test_it_ends_every_entry_of_the_contents_with_its_leader_and_page(
    public_consultation, meeting_a, body_a
):
    """Found by a reader's QA pass: an entry whose title (nearly) filled its line lost its dotted
    leader (« …TP Interact. 3 »), or had its dots alone on the next line. Titles ending about the
    end of a first and of a second line: each entry's last line holds the end of its title, dots
    and its page number (one motion a page, after the cover and its contents)."""
    words = LONG_TITLE.split()
    titles = [" ".join(words[:count]) for count in (*range(10, 16), *range(24, len(words) + 1))]
    for title in titles:
        adopt(public_consultation, meeting_a, title=title)

    reader = PdfReader(io.BytesIO(pdf.register_pdf(body_a, 2020, public=True)[2]))
    contents = "\n".join(page.extract_text() for page in reader.pages[:2])  # the cover, maybe more
    lines = [line.strip() for line in contents.splitlines()]
    entries = [re.fullmatch(r"(.*\w) (?:\. ){3,}(\d+)", line) for line in lines]
    pages = [int(entry[2]) for entry in entries if entry]

    assert len(pages) == len(titles), lines
    first = len(reader.pages) - len(titles) + 1
    assert pages == list(range(first, first + len(titles))), lines
    for title in titles:  # a wrapped title, whole
        assert title in flat(contents)


# --- Layout and wording found by the visual review -----------------------------------------------


def considerants(count: int) -> str:
    return "\n\n".join(
        f"Considérant {number} : le projet modifie les conditions de travail de plus de 1 000 "
        "salariés, sans analyse d'impact ni information préalable des élus du CSE, alors que "
        "l'outil écoute chaque appel et note les conseillers en temps réel."
        for number in range(1, count + 1)
    )


def test_it_keeps_the_certification_on_the_page_of_the_vote(public_consultation, meeting_a):
    """Whatever the length of the text, the « pour extrait conforme » block never goes alone to
    the next page (with 8 or 9 of these paragraphs, it used to), nor the vote without the text's
    last lines (found by a reader's QA pass: a page opened on the vote)."""
    split = 0
    for count in range(6, 14):
        motion = adopt(
            public_consultation, meeting_a, title="Motion longue", text=considerants(count)
        )
        reader = PdfReader(io.BytesIO(pdf.motion_pdf(motion)[2]))
        pages = [flat(page.extract_text()) for page in reader.pages]
        vote = [index for index, text in enumerate(pages) if "Votants présents" in text]
        certified = [index for index, text in enumerate(pages) if "Pour extrait conforme" in text]

        assert vote == certified, count
        # And the last lines of the text come along: the vote never opens a page on its own.
        assert f"Considérant {count} :" in pages[vote[0]], count
        split += len(pages) > 1
    assert split  # some of these texts do run over to a second page


DEMANDS_TEXT = """Les élus ont pris connaissance des projets MAIA et APC, qui placent l'intelligence \
artificielle au cœur du travail des conseillers : écoute et transcription des appels, suggestions \
en temps réel, enregistrement au hasard de la moitié des appels, évaluation automatique de la \
« performance » et alertes aux managers.

Ces outils transforment le métier : ils touchent à l'autonomie des conseillers, à leur santé, à \
l'emploi et à la protection de leurs données. Une formation de 45 minutes ne peut pas accompagner \
un tel changement.

Les élus demandent :

1. la transparence totale sur les outils, leurs critères d'analyse et les données traitées ;
2. l'ouverture d'une négociation avant tout déploiement ;
3. une expérimentation sur la base du volontariat avant toute généralisation ;
4. une vraie formation, en présentiel, avec un accompagnement personnalisé et une baisse des \
objectifs pendant l'appropriation ;
5. un droit de refus pour les conseillers ;
6. des garanties sur les données : lieu d'hébergement, durée de conservation, droit à l'oubli ;
7. un comité paritaire de suivi de l'IA ;
8. la consultation obligatoire du CSE central et des CSE d'établissement ;
9. des garanties d'emploi ;
10. le suivi du déploiement par les CSSCT locales.

Les élus rappellent que l'introduction de nouvelles technologies relève de \
l'information-consultation des instances (article L2312-8 du Code du travail).
"""


def test_it_keeps_a_motion_of_two_thirds_of_a_page_on_one_page(public_consultation, meeting_a):
    """Found by a reader's QA pass on the demo's resolution: its text filled two thirds of the
    page, and its vote with the « pour extrait conforme » block went to a second page. The
    certification now stands beside the majority and the result, below the tally."""
    motion = adopt(public_consultation, meeting_a, title="Sur MAIA et APC", text=DEMANDS_TEXT)

    text, pages = pdf_text(pdf.motion_pdf(motion)[2])
    flat_text = flat(text)

    assert pages == 1
    assert "Votants présents" in flat_text and "Résultat : adoptée à l'unanimité" in flat_text
    assert "Pour extrait conforme, La secrétaire du CSE" in flat_text


def test_it_keeps_the_vote_table_inside_the_margins(motion, monkeypatch):
    """The five tally cells of 20 % include their padding (box-sizing): the table used to run
    about 21 mm past the right margin."""
    rendered = {}
    monkeypatch.setattr(
        pdf,
        "render_pdf",
        lambda template, context: rendered.update(html=render_to_string(template, context)) or b"",
    )
    pdf.motion_pdf(motion)
    document = weasyprint.HTML(string=rendered["html"]).render(stylesheets=[pdf.stylesheet()])
    page = document.pages[0]._page_box  # WeasyPrint's layout (no public API for box positions)
    right_margin = page.content_box_x() + page.width
    cells = [
        box
        for box in page.descendants()
        if getattr(box, "element_tag", None) in ("table", "th", "td")
    ]

    assert cells
    assert max(box.position_x + box.margin_width() for box in cells) <= right_margin + 0.01


def test_it_joins_the_digits_of_a_number_with_a_narrow_no_break_space(
    public_consultation, meeting_a
):
    motion = adopt(
        public_consultation,
        meeting_a,
        title="Sur les 42 000 appels",
        text="Près de 1 000 commentaires, 1 200 000 appels ; en 2025 100 sites.",
    )
    filename, _, content = pdf.motion_pdf(motion)
    text = pdf_text(content)[0]

    assert f"1{NNBSP}000 commentaires" in text
    assert f"1{NNBSP}200{NNBSP}000 appels" in text
    assert "1 000" not in text and "200 000" not in text
    assert "2025 100" in flat(text)  # a year then a number: two numbers, left apart
    assert f"42{NNBSP}000" in PdfReader(io.BytesIO(content)).metadata.title


def test_it_sets_the_document_title_in_french_typography(public_consultation):
    public_consultation.title = "Projet Écoute : analyse des voix"
    public_consultation.save()

    content = pdf.dossier_pdf(public_consultation, public=True)[2]

    title = PdfReader(io.BytesIO(content)).metadata.title
    assert title == f"Dossier de consultation — Projet Écoute{NBSP}: analyse des voix"


def test_it_cuts_a_long_file_name_between_two_words(public_consultation, meeting_a):
    motion = adopt(
        public_consultation,
        meeting_a,
        title="Déclaration des élus sur l'emploi face aux agents IA dans les centres d'appels",
    )

    assert pdf.motion_pdf(motion)[0] == (
        "motion-CSE-2020-01-declaration-des-elus-sur-lemploi-face-aux-agents.pdf"
    )
    assert pdf._slug("Anticonstitutionnellement" * 3, "x") == ("anticonstitutionnellement" * 3)[:50]
    assert pdf._slug("un " + "b" * 47, "x") == "un-" + "b" * 47  # 50 characters: kept whole


def test_it_says_published_when_a_public_export_has_no_motion(
    body_a, meeting_a, public_consultation
):
    adopt(public_consultation, meeting_a, title="Motion ZQXMOTION", published=False)

    public_register = flat(pdf_text(pdf.register_pdf(body_a, 2020, public=True)[2])[0])
    member_register = flat(pdf_text(pdf.register_pdf(body_a, 2019, public=False)[2])[0])
    public_dossier = flat(pdf_text(pdf.dossier_pdf(public_consultation, public=True)[2])[0])

    assert "Aucune motion publiée en 2020." in public_register
    assert "adoptée" not in public_register
    assert "Aucune motion adoptée n'est enregistrée dans Vigie pour 2019." in member_register
    assert "Sommaire" not in member_register  # no heading over an empty contents
    assert "Aucune motion publiée pour l'instant." in public_dossier
    assert "Aucune motion adoptée" not in public_dossier


def test_it_says_adopted_when_the_member_dossier_has_no_motion(internal_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])

    assert "Aucune motion adoptée pour l'instant." in text


def test_it_shows_the_opinion_deemed_negative_once_the_deadline_has_passed(internal_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])

    assert "État Avis réputé négatif" in text
    # The page's words, not the choice's label "Réputé négatif (délai expiré)".
    assert re.search(r"Avis Avis réputé négatif : délai écoulé le \S+ \S+ \d{4} \(R2312-6\)", text)
    assert "(délai expiré)" not in text
    assert "Pas encore d'avis" not in text


def test_it_shows_no_opinion_yet_while_the_clock_runs(body_a):
    consultation = make_consultation(body_a, visibility=Consultation.Visibility.INTERNAL)
    consultation.information_received_on = timezone.localdate() - datetime.timedelta(days=2)
    consultation.save()

    text = flat(pdf_text(pdf.dossier_pdf(consultation, public=False)[2])[0])

    assert "Avis Pas encore d'avis" in text


def test_it_keeps_a_recorded_opinion(internal_consultation):
    internal_consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    internal_consultation.opinion_on = datetime.date(2020, 8, 1)
    internal_consultation.save()

    text = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])

    assert "Avis Défavorable, le 1er août 2020" in text


def test_it_awaits_the_answer_until_management_answers_as_the_page_does(internal_consultation):
    """The dossier said « Réponse motivée attendue » beside the state « Réponse reçue » (found
    by a representative's QA pass)."""
    internal_consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    internal_consultation.opinion_on = datetime.date(2020, 8, 1)
    internal_consultation.save()
    awaited = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])
    ManagementResponseFactory(
        consultation=internal_consultation, received_on=datetime.date(2020, 9, 1)
    )

    text = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])

    assert "Réponse motivée attendue" in awaited
    assert "Réponse motivée attendue" not in text
    assert "État Réponse reçue" in text


def test_it_names_the_vendor_on_the_cover_without_nested_brackets(body_a):
    consultation = make_consultation(body_a, visibility=Consultation.Visibility.PUBLIC)
    consultation.deployment.name = "Agents IA (plan Katalyst 2028)"
    consultation.deployment.vendor = "Konecta (solutions du groupe)"
    consultation.deployment.save()

    cover = flat(
        PdfReader(io.BytesIO(pdf.dossier_pdf(consultation, public=True)[2])).pages[0].extract_text()
    )

    assert "Agents IA (plan Katalyst 2028) Fournisseur : Konecta (solutions du groupe)" in cover
    assert "2028) (" not in cover


def test_it_sets_the_cover_notes_in_french_typography(full_public_consultation):
    member = pdf_text(pdf.dossier_pdf(full_public_consultation, public=False)[2])[0]
    public = pdf_text(pdf.dossier_pdf(full_public_consultation, public=True)[2])[0]

    assert f"Version interne{NBSP}:" in member
    assert f"À usage interne des élus{NBSP}:" in member
    assert f"Version publique{NBSP}:" in public


def test_it_names_each_motion_bookmark_like_its_heading(full_public_consultation):
    reader = PdfReader(io.BytesIO(pdf.dossier_pdf(full_public_consultation, public=True)[2]))

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [flat(item.title)]

    assert "Motion n° 2020-03 — Analyse des émotions" in list(titles(reader.outline))


def test_it_names_the_motion_alone_in_the_register_header(body_a, motion):
    reader = PdfReader(io.BytesIO(pdf.register_pdf(body_a, 2020, public=False)[2]))
    last = flat(reader.pages[3].extract_text())

    # The title and the reference used to wrap on two lines; the footer names the register.
    assert "Registre des motions 2020 · Motion" not in last
    assert "Registre des motions 2020 · CSE de l'établissement de Lyon" in last


# --- Who may download what ----------------------------------------------------------------------


def get(user, name, *args):
    return client_for(user).get(reverse(f"consultations:{name}", args=args))


@pytest.fixture
def internal_motion(internal_consultation, meeting_a):
    return adopt(internal_consultation, meeting_a, title="Motion interne")


@pytest.mark.parametrize("persona", ["editor_a", "reader_a", "superuser"])
def test_it_gives_members_the_internal_pdfs(request, persona, internal_motion, body_a):
    user = request.getfixturevalue(persona)
    consultation = internal_motion.consultation

    motion_response = get(user, "motion-pdf", internal_motion.pk)
    dossier_response = get(user, "dossier-pdf", consultation.pk)
    register_response = get(user, "register-pdf", body_a.pk, 2020)

    for response in (motion_response, dossier_response, register_response):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('inline; filename="')
        assert response.content.startswith(b"%PDF")
    motion_text = flat(pdf_text(motion_response.content)[0])
    assert "Motion interne" in motion_text
    assert "Version interne" in flat(pdf_text(dossier_response.content)[0])
    # An unpublished motion's own PDF and the register say so: not to be handed out by mistake.
    assert "Texte non public : à usage interne des élus, ne pas diffuser." in motion_text
    assert "version interne" in motion_text  # the running header
    register_text = flat(pdf_text(register_response.content)[0])
    assert "ce registre contient des motions non publiées" in register_text
    assert "Texte non public : à usage interne des élus" in register_text


def test_a_published_motion_says_nothing_of_internal_use(full_public_consultation, motion):
    """The public's motion PDF, and a member's of the same published motion, alike."""
    assert motion.is_public
    text = flat(pdf_text(pdf.motion_pdf(motion)[2])[0])
    assert "interne" not in text


@pytest.mark.parametrize("year", [0, 1899, 2101, 99999])
def test_a_register_of_a_year_no_record_can_have_is_not_found(editor_a, body_a, year):
    assert get(editor_a, "register-pdf", body_a.pk, year).status_code == 404


def test_it_names_the_file_in_the_response(editor_a, motion):
    response = get(editor_a, "motion-pdf", motion.pk)

    assert (
        response["Content-Disposition"]
        == 'inline; filename="motion-CSE-2020-03-analyse-des-emotions.pdf"'
    )


@pytest.mark.parametrize("persona", ["editor_b", None])
def test_it_hides_an_internal_consultation_from_others(request, persona, internal_motion, body_a):
    user = request.getfixturevalue(persona) if persona else None

    assert get(user, "motion-pdf", internal_motion.pk).status_code == 404
    assert get(user, "dossier-pdf", internal_motion.consultation.pk).status_code == 404
    assert get(user, "register-pdf", body_a.pk, 2020).status_code == 404


def test_it_hides_an_unpublished_motion_from_the_public(public_consultation, meeting_a):
    unpublished = adopt(public_consultation, meeting_a, title="Brouillon", published=False)

    assert get(None, "motion-pdf", unpublished.pk).status_code == 404


def test_it_hides_a_motion_not_yet_adopted_from_the_public(public_consultation):
    draft = MotionFactory(consultation=public_consultation, adopted_on=None, published=True)

    assert get(None, "motion-pdf", draft.pk).status_code == 404


def test_it_gives_members_a_draft_motion(editor_a, public_consultation):
    draft = MotionFactory(
        consultation=public_consultation, adopted_on=None, title="Projet de vœu", published=False
    )

    response = get(editor_a, "motion-pdf", draft.pk)

    assert response.status_code == 200
    assert 'filename="motion-CSE-projet-projet-de-voeu.pdf"' in response["Content-Disposition"]
    assert "n'a pas été adopté" in flat(pdf_text(response.content)[0])


@pytest.mark.parametrize("persona", ["editor_b", None])
def test_it_gives_anyone_the_published_pdfs(request, persona, full_public_consultation, motion):
    user = request.getfixturevalue(persona) if persona else None

    motion_response = get(user, "motion-pdf", motion.pk)
    dossier_response = get(user, "dossier-pdf", full_public_consultation.pk)
    register_response = get(user, "register-pdf", motion.body.pk, 2020)

    for response in (motion_response, dossier_response, register_response):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    dossier_text = flat(pdf_text(dossier_response.content)[0])
    register_text = flat(pdf_text(register_response.content)[0])
    for marker in PRIVATE_MARKERS.values():
        assert marker not in dossier_text
        assert marker not in register_text
    assert "Version publique" in dossier_text


def test_it_answers_404_for_a_register_with_no_published_motion(body_a, motion):
    assert get(None, "register-pdf", body_a.pk, 2019).status_code == 404


def test_it_answers_404_for_an_unknown_motion(editor_a):
    assert get(editor_a, "motion-pdf", 999999).status_code == 404
    assert Motion.objects.count() == 0


def test_the_dossier_shows_the_state_and_the_flags_as_the_pages_badges(body_a, monkeypatch):
    """Same word, same colour as the pages (shared/UI.md): the clock's state and each flag's
    severity are badges, and the stylesheet colours every state and severity."""
    from consultations.models import Clock
    from consultations.rules.flags import Severity

    from .factories import DeploymentFactory

    deployment = DeploymentFactory(
        organisation=body_a.organisation,
        functions=["emotion_recognition"],
        emotion_subject="workers",
        emotion_input="biometric",
    )
    consultation = make_consultation(body_a, visibility="public", deployment=deployment)
    rendered = {}
    monkeypatch.setattr(
        pdf,
        "render_pdf",
        lambda template, context: rendered.update(html=render_to_string(template, context)) or b"",
    )
    pdf.dossier_pdf(consultation, public=True)
    html = rendered["html"]
    state = consultation.clock_state()
    assert f'<span class="clock clock-{state.value}">{state.label}</span>' in html
    assert '<span class="severity severity-prohibited">Interdit</span>' in html
    stylesheet = pdf.STYLESHEET.read_text(encoding="utf-8")
    for kind, values in (("clock", Clock.values), ("severity", [s.value for s in Severity])):
        for value in values:
            assert f".{kind}-{value}" in stylesheet, value


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "said"), [("opinion", "adopté"), ("motion", "adoptée")])
def test_a_motions_sheet_agrees_its_result_with_the_kind_of_text(kind, said):
    """Un avis « adopté », une motion « adoptée » (found in review: the PDF said "adoptée" of
    an avis under "Adopté le")."""
    from .factories import MotionFactory, VoteFactory

    motion = MotionFactory(kind=kind, adopting_vote=VoteFactory(votes_for=6, votes_against=3))
    assert pdf.motion_sheet(motion).result_label == said


# --- The public PDFs come from the shared cache ---------------------------------------------


def public_pdf_urls(consultation, motion):
    return [
        reverse("consultations:motion-pdf", args=[motion.pk]),
        reverse("consultations:dossier-pdf", args=[consultation.pk]),
        reverse("consultations:register-pdf", args=[consultation.body.pk, 2020]),
    ]


def test_a_public_pdf_is_made_once_then_served_from_the_cache(
    client, public_consultation, motion, monkeypatch
):
    made = []
    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *args: made.append(args[0]) or render(*args))
    for url in public_pdf_urls(public_consultation, motion):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.status_code == 200 and second.content == first.content
        assert second["Content-Type"] == "application/pdf"
        assert second["Content-Disposition"] == first["Content-Disposition"]
        assert len(queries) == 0
        assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304
    assert made == ["pdf/motion.html", "pdf/dossier.html", "pdf/register.html"]


def test_a_cached_public_pdf_is_never_stale_after_an_edit(client, public_consultation, motion):
    urls = public_pdf_urls(public_consultation, motion)
    motion.title = "Titre avant"
    motion.save()
    for url in urls:
        assert "Titre avant" in flat(pdf_text(client.get(url).content)[0])
    motion.title = "Titre après"
    motion.save()
    for url in urls:
        text = flat(pdf_text(client.get(url).content)[0])
        assert "Titre après" in text and "Titre avant" not in text


def test_a_members_pdf_is_never_cached(public_consultation, motion, reader_a):
    """A member gets the internal version: made for them, kept by no cache."""
    member = client_for(reader_a)
    url = reverse("consultations:dossier-pdf", args=[public_consultation.pk])
    anonymous = Client().get(url)  # the public version, now in the cache
    response = member.get(url)
    assert response.content != anonymous.content
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_an_internal_consultations_pdf_stays_a_404_for_the_public(
    client, internal_consultation, meeting_a
):
    motion = adopt(internal_consultation, meeting_a, title="Motion interne")
    for url in (
        reverse("consultations:motion-pdf", args=[motion.pk]),
        reverse("consultations:dossier-pdf", args=[internal_consultation.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404  # not kept: only a 200 is


# --- The dossier's votes and opinion (QA pass by a union official) -----------------------------


@pytest.fixture
def voted_consultation(public_consultation, meeting_a):
    """An opinion voted and recorded, an expert appointed, a motion rejected and a motion
    adopted but not published."""
    consultation = public_consultation
    consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    consultation.opinion_on = meeting_a.held_on
    consultation.save()
    VoteFactory(
        meeting=meeting_a,
        consultation=consultation,
        subject="opinion",
        question="Le CSE rend-il un avis favorable au projet ZQXOPINION ?",
        votes_for=2,
        votes_against=7,
        voting_members_present=9,
    )
    VoteFactory(
        meeting=meeting_a,
        consultation=consultation,
        subject="appoint_expert",
        question="Recours à un expert habilité ZQXEXPERT",
        votes_for=9,
        voting_members_present=9,
    )
    VoteFactory(
        meeting=meeting_a,
        consultation=consultation,
        subject="motion",
        question="Motion demandant le retrait de l'outil ZQXREJECTED",
        votes_for=3,
        votes_against=4,
        abstentions=1,
        blank_votes=1,
        voting_members_present=9,
    )
    adopt(consultation, meeting_a, title="Motion ZQXUNPUBLISHED", published=False)
    return consultation


def test_the_dossier_has_the_pages_table_of_votes_with_each_question(voted_consultation):
    """The opinion and the expert were timeline lines only, and a rejected vote did not say
    what was rejected (found by a union official's QA pass)."""
    text = flat(pdf_text(pdf.dossier_pdf(voted_consultation, public=False)[2])[0])
    votes = text[text.index("Votes Date Objet") : text.index("Avis et motions Avis")]

    assert "Pour Contre Abst. Blancs Votants présents Résultat" in votes
    assert "Avis Le CSE rend-il un avis favorable au projet ZQXOPINION ? 2 7 0 0 9 rejeté" in votes
    assert "Recours à un expert habilité ZQXEXPERT 9 0 0 0 9 adoptée à l'unanimité" in votes
    assert "retrait de l'outil ZQXREJECTED 3 4 1 1 9 rejetée" in votes
    assert "Majorité requise : 5 voix sur 9 votants présents" in votes
    assert "Motion ou résolution — Motion n° 2020-01 Adoption de la motion" in votes


def test_the_public_dossier_shows_the_votes_the_public_page_shows(voted_consultation):
    public = flat(pdf_text(pdf.dossier_pdf(voted_consultation, public=True)[2])[0])

    assert "ZQXOPINION" in public and "ZQXEXPERT" in public and "ZQXREJECTED" in public
    assert "ZQXUNPUBLISHED" not in public
    shown = voted_consultation.votes_shown(public=True)
    assert len(shown) == 3  # the page's rule: not the vote of an unpublished motion


def test_the_dossier_states_the_opinion_at_the_head_of_avis_et_motions(voted_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(voted_consultation, public=True)[2])[0])

    assert "Avis et motions Avis : défavorable (27 août 2020)" in text


def test_the_dossier_says_when_no_vote_is_recorded(internal_consultation):
    text = flat(pdf_text(pdf.dossier_pdf(internal_consultation, public=False)[2])[0])

    assert "Votes Aucun vote enregistré." in text
    assert "Avis et motions Avis réputé négatif : délai écoulé le" in text


def test_the_dossiers_votes_take_no_query_per_vote(voted_consultation, meeting_a):
    with CaptureQueriesContext(connection) as three_votes:
        pdf.dossier_pdf(voted_consultation, public=True)
    for number in range(10):
        VoteFactory(meeting=meeting_a, consultation=voted_consultation, votes_for=number)

    with CaptureQueriesContext(connection) as thirteen_votes:
        pdf.dossier_pdf(voted_consultation, public=True)

    assert len(thirteen_votes) == len(three_votes)


# --- The register of motions -------------------------------------------------------------------


def test_the_internal_register_says_so_on_every_page(body_a, internal_motion, motion):
    """Its cover only said « Version interne … Ne pas diffuser »; a page copied on its own
    did not (found by a union official's QA pass). The motion PDF marks every page."""
    reader = PdfReader(io.BytesIO(pdf.register_pdf(body_a, 2020, public=False)[2]))
    pages = [flat(page.extract_text()) for page in reader.pages]

    assert len(pages) == 5  # the cover, then four motions
    assert "Version interne" in pages[0]
    for page in pages[1:]:
        assert re.search(r"(Motion|Avis) n° 2020-0\d · version interne", page), page


def test_a_register_of_published_motions_is_not_marked_internal(body_a, motion):
    reader = PdfReader(io.BytesIO(pdf.register_pdf(body_a, 2020, public=False)[2]))

    assert all("interne" not in page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("persona", ["reader_a", None])
def test_a_register_of_a_year_to_come_or_before_the_first_meeting_is_not_found(
    request, persona, body_a, meeting_a
):
    """A member got « Aucune motion adoptée en 1900. » for any year, stated as a fact
    (found by a union official's QA pass); the public got a 404."""
    user = request.getfixturevalue(persona) if persona else None
    next_year = timezone.localdate().year + 1

    for year in (1900, 2019, next_year, 2100):
        assert get(user, "register-pdf", body_a.pk, year).status_code == 404, year


def test_a_member_gets_the_empty_register_of_a_year_of_the_bodys_life(reader_a, body_a, meeting_a):
    this_year = timezone.localdate().year
    for year in (2020, 2021, this_year):
        response = get(reader_a, "register-pdf", body_a.pk, year)
        assert response.status_code == 200, year
        text = flat(pdf_text(response.content)[0])
        assert f"Aucune motion adoptée n'est enregistrée dans Vigie pour {year}." in text


def test_a_member_gets_the_current_years_register_of_a_body_with_no_meeting(reader_a, body_a):
    this_year = timezone.localdate().year

    assert get(reader_a, "register-pdf", body_a.pk, this_year).status_code == 200
    assert get(reader_a, "register-pdf", body_a.pk, this_year - 1).status_code == 404


@pytest.mark.parametrize("persona", ["reader_a", "superuser", None])
def test_a_cssct_has_no_empty_register(request, persona, body_a):
    """A CSSCT gives no opinion and prepares the council's work (L2315-38)."""
    user = request.getfixturevalue(persona) if persona else None
    cssct = BodyFactory(organisation=body_a.organisation, kind="cssct", parent=body_a)
    MeetingFactory(body=cssct, held_on=datetime.date(2020, 3, 2))

    for year in (2020, timezone.localdate().year):
        assert get(user, "register-pdf", cssct.pk, year).status_code == 404


def test_the_register_reads_the_bodys_first_meeting_with_the_body(reader_a, body_a, meeting_a):
    client = client_for(reader_a)
    url = reverse("consultations:register-pdf", args=[body_a.pk, 2021])
    client.get(url)  # the session and the user, read once
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as not_found:
        assert client.get(url.replace("2021", "2019")).status_code == 404

    assert len(not_found) == len(empty)
    # The body with its first meeting (a subquery), then its motions of the year.
    assert len([query for query in empty if "consultations_" in query["sql"]]) == 2


# --- The dossier's answers, contests and running headers ---------------------------------------


def test_the_dossier_lists_the_unanswered_motions_one_per_line(public_consultation, meeting_a):
    """They were one paragraph of titles separated by semicolons (found by a union official's
    QA pass); the page lists them."""
    for number in range(1, 4):
        adopt(public_consultation, meeting_a, title=f"Motion sans réponse numéro {number}")

    text = pdf_text(pdf.dossier_pdf(public_consultation, public=True)[2])[0]
    lines = [flat(line) for line in text.splitlines()]

    start = lines.index("Sans réponse de la direction à ce jour :")
    assert lines[start + 1 : start + 4] == [
        f"• Motion n° 2020-0{number} — Motion sans réponse numéro {number}"
        for number in range(1, 4)
    ]


def test_the_dossier_explains_each_contest_deadline_as_the_page_does(public_consultation):
    """« jusqu'au 10 août 2020 » looked a day late, with no reason given: the 9th was a
    Sunday (found by a union official's QA pass; UI.md: every legal date shows its reason)."""
    expertise = ExpertiseFactory(
        consultation=public_consultation, designated_on=datetime.date(2020, 7, 30)
    )
    (window,) = expertise.contest_windows()

    text = flat(pdf_text(pdf.dossier_pdf(public_consultation, public=True)[2])[0])

    line = "La nécessité de l'expertise et le choix de l'expert : jusqu'au 10 août 2020"
    explanation = window.due.explanation
    assert f"{line} (délai écoulé) {flat(explanation[0].upper() + explanation[1:])}" in text
    assert "dimanche" in window.due.explanation


def test_it_shortens_a_running_text_between_two_words():
    text = "Consultation sur le projet de déploiement généralisé de la plateforme d'agents IA"

    assert pdf.shorten(text, 60) == "Consultation sur le projet de déploiement généralisé de la…"
    assert pdf.shorten(text, 52) == "Consultation sur le projet de déploiement…"
    assert pdf.shorten("Un titre court", 60) == "Un titre court"
    assert pdf.shorten("Organisation, · Instance", 15) == "Organisation…"
    assert pdf.shorten("Anticonstitutionnellement", 10) == "Anticonst…"


LONG_COMPANY = (
    "Société anonyme de services de relation client et de centres de contacts multicanaux de la "
    "région Auvergne-Rhône-Alpes"
)
LONG_CONSULTATION = (
    "Consultation sur le projet de déploiement généralisé de la plateforme d'agents "
    "conversationnels d'intelligence artificielle dans les centres d'appels de Lyon"
)


def test_long_names_are_cut_between_words_and_given_whole_on_page_one(
    public_consultation, meeting_a, organisation_a
):
    """The headers and footers cut them mid-word, « …de la pla… » (found by a union official's
    QA pass)."""
    organisation_a.name = LONG_COMPANY
    organisation_a.save()
    public_consultation.title = LONG_CONSULTATION
    public_consultation.save()
    motion = adopt(public_consultation, meeting_a, title="Sur la plateforme")
    words = set(f"{LONG_COMPANY} {LONG_CONSULTATION} {meeting_a.body.name}".split())

    for export, names in (
        (pdf.motion_pdf(motion), (LONG_COMPANY, LONG_CONSULTATION)),
        (pdf.dossier_pdf(public_consultation, public=True), (LONG_COMPANY, LONG_CONSULTATION)),
        (pdf.register_pdf(meeting_a.body, 2020, public=True), (LONG_COMPANY,)),
    ):
        reader = PdfReader(io.BytesIO(export[2]))
        first = flat(reader.pages[0].extract_text())
        for name in names:
            assert name in first, export[0]
        text = flat(pdf_text(export[2])[0])
        cut = re.findall(r"(\S+)…", text)
        assert cut, export[0]  # the running texts are shortened
        assert all(word in words for word in cut), (export[0], cut)


MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def test_a_date_never_breaks_between_its_day_month_and_year(full_public_consultation):
    """« le 2 / décembre 2027 » (found by a union official's QA pass): the dates written by
    Vigie, in the explanations, in the running footer and in a motion's text."""
    text = pdf_text(pdf.dossier_pdf(full_public_consultation, public=False)[2])[0]
    dates = re.findall(rf"(?<![\w/.,-])(?:1er|\d{{1,2}})(\s)(?:{MONTHS})(\s)\d{{4}}", text)

    assert len(dates) > 10
    assert set(dates) == {(NBSP, NBSP)}
    today = french_date(timezone.localdate()).replace(" ", NBSP)
    assert f"Généré par Vigie le {today}" in text  # the running footer
    assert f"le 2{NBSP}février{NBSP}2025" in text  # typed in the motion


def test_the_dossier_says_which_day_the_need_is_counted_from(public_consultation):
    """With no vote recorded for the expertise, the page and the dossier say the need is counted
    from the designation (Expertise.contest_windows' note)."""
    expertise = ExpertiseFactory(
        consultation=public_consultation, designated_on=datetime.date(2020, 7, 30)
    )
    (window,) = expertise.contest_windows()
    assert window.note

    text = flat(pdf_text(pdf.dossier_pdf(public_consultation, public=True)[2])[0])

    assert flat(str(window.note)) in text


def test_the_members_dossier_lists_the_meetings_and_what_went_out_late(
    public_consultation, meeting_a, motion
):
    """As the page shows members (found by a QA pass as an editor: the dossier had no word of a
    meeting called late, L2315-30, nor of the minutes, L2315-34, which date management's
    decision on the motions)."""
    meeting_a.consultations.add(public_consultation)
    meeting_a.agenda_sent_on = datetime.date(2020, 8, 25)  # the 24th at the latest
    meeting_a.minutes_sent_on = datetime.date(2020, 9, 30)  # 15 days: 11 September
    meeting_a.save()
    internal = flat(pdf_text(pdf.dossier_pdf(public_consultation, public=False)[2])[0])
    section = internal.split("Réunions", 2)[2]  # after the contents' entry
    assert "Envoi de l'ordre du jour (L2315-30)" in section
    assert "27/08/2020 Fait en retard, le 25/08/2020 — au plus tard le 24/08/2020" in section
    assert "Fait en retard, le 30/09/2020 — au plus tard le 11/09/2020" in section
    assert (
        "L'ordre du jour de la réunion du 27 août 2020 a été envoyé le 25 août 2020 ; il devait "
        "l'être au plus tard le 24 août 2020" in section
    )
    assert (
        "Les délibérations d'une réunion convoquée hors délai peuvent être contestées." in section
    )
    assert (
        "Le procès-verbal de la réunion du 27 août 2020 a été transmis le 30 septembre 2020 ; il "
        "devait l'être au plus tard le 11 septembre 2020" in section
    )
    public = flat(pdf_text(pdf.dossier_pdf(public_consultation, public=True)[2])[0])
    assert "Réunions" not in public and "Envoi de l'ordre du jour" not in public


def test_the_garbage_collector_is_paused_during_a_pdf_and_on_again_after(monkeypatch, motion):
    """WeasyPrint runs with the cyclic collector off (it is faster, bench/pdf.py), and a PDF
    leaves the collector as it found it, even when WeasyPrint fails."""
    seen = []
    write = weasyprint.HTML.write_pdf

    def spying(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spying)
    assert gc.isenabled()
    pdf.motion_pdf(pdf.motion_queryset().get(pk=motion.pk))
    assert seen == [False]
    assert gc.isenabled()

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pdf.motion_pdf(pdf.motion_queryset().get(pk=motion.pk))
    assert gc.isenabled()

    gc.disable()
    try:
        with pdf.garbage_collector_paused():
            pass
        assert not gc.isenabled(), "a collector switched off by someone else stays off"
    finally:
        gc.enable()

"""The lists' search ignores accents, capitals and punctuation (consultations/search.py), on
PostgreSQL as on SQLite, and its stored texts follow every edit."""

import html
import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation, Deployment, Motion
from consultations.search import fold, matching, query_words

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Analyse des ÉMOTIONS", "analyse des emotions"),
        ("L’IA d’aide à la vente", "l ia d aide a la vente"),
        ("Le CSE **demande** une évaluation (L2312-8)", "le cse demande une evaluation l2312 8"),
        ("Cœur de métier, ex æquo", "coeur de metier ex aequo"),
        ("Straße, ÇA, naïveté", "strasse ca naivete"),
        ("  snake_case\n\tet   tirets--longs  ", "snake case et tirets longs"),
        ("", ""),
    ],
)
def test_fold_keeps_only_bare_lowercase_words(text, folded):
    assert fold(text) == folded


def test_a_query_is_its_distinct_folded_words_at_most_eight():
    assert query_words("Émotions, émotions ; l'IA") == ["emotions", "ia"]  # no elision
    assert query_words("article 5 du RGPD") == ["article", "5", "du", "rgpd"]
    assert query_words(" ' -- ") == []
    assert len(query_words(" ".join(f"mot{n}" for n in range(20)))) == 8


@pytest.fixture
def story(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a)
    deployment = factories.DeploymentFactory(organisation=organisation_a, name="Écoute IA")
    consultation = factories.ConsultationFactory(
        body=body,
        deployment=deployment,
        title="Analyse des émotions des conseillers",
        summary="Le projet d’IA « cœur » de la direction.",
        internal_notes="Stratégie syndicale confidentielle",
    )
    factories.MotionFactory(
        consultation=consultation,
        title="Motion sur la santé",
        text="Le CSE refuse la **géolocalisation** des salariés.",
    )
    other = factories.ConsultationFactory(
        body=body, deployment=deployment, title="Outil de planning"
    )
    return consultation, other


def titles_found(client, query):
    return titles_found_at(client, reverse("consultations:consultation-list"), query)


@pytest.mark.parametrize(
    "query",
    [
        "emotions",  # no accent typed
        "ÉMOTIONS",  # capitals
        "Emotion conseillers",  # every word, anywhere
        "conseillers analyse",  # in any order
        "l'ia",  # a straight apostrophe for the summary's curly one
        "coeur",  # the ligature written out
        "geolocalisation",  # a motion's text, its Markdown aside
        "sante",  # a motion's title
    ],
)
def test_the_list_finds_a_consultation_however_the_words_are_typed(story, reader_a, query):
    assert titles_found(client_for(reader_a), query) == {"Analyse des émotions"}


@pytest.mark.parametrize(
    "query",
    [
        "émotions planning",
        "syndicale",  # the internal notes are not searched
        "confidentielle",
        "motions",  # inside « émotions »: a word is matched from its start
        "anning",
    ],
)
def test_the_list_finds_nothing_for_a_missing_word_nor_in_internal_notes(story, reader_a, query):
    # The help text names what is searched: titles, summaries and motions, not internal notes.
    assert titles_found(client_for(reader_a), query) == set()


def test_a_query_without_a_word_lists_everything(story, reader_a):
    assert titles_found(client_for(reader_a), " ' ; ") == {
        "Analyse des émotions",
        "Outil de planning",
    }


def test_an_elision_does_not_match_every_record(story, reader_a):
    """Found by the review: "l'ia" searched "l" too, found in nearly every text."""
    assert titles_found(client_for(reader_a), "l'ia") == {"Analyse des émotions"}
    assert titles_found(client_for(reader_a), "plan") == {"Outil de planning"}


def test_the_search_never_reaches_another_organisations_records(story, editor_b):
    assert titles_found(client_for(editor_b), "emotions") == set()


def test_the_stored_text_follows_each_edit(story, reader_a):
    consultation, other = story
    client = client_for(reader_a)
    motion = consultation.motions.get()
    motion.text = "Le CSE demande une expertise."
    motion.save()
    assert titles_found(client, "geolocalisation") == set()
    assert titles_found(client, "expertise") == {"Analyse des émotions"}

    motion.consultation = other  # moved: it leaves the first one's text too
    motion.save()
    assert titles_found(client, "expertise") == {"Outil de planning"}

    motion.delete()
    assert titles_found(client, "expertise") == set()

    other.title = "Outil de planification"
    other.save()
    assert "planification" in Consultation.objects.get(pk=other.pk).search_text

    Consultation.objects.filter(pk=consultation.pk).update(summary="")  # no signal
    assert "coeur" in Consultation.objects.get(pk=consultation.pk).search_text
    factories.MotionFactory(consultation=consultation, title="Une autre", text="Autre texte")
    assert "coeur" not in Consultation.objects.get(pk=consultation.pk).search_text


def test_the_search_is_one_query_whatever_the_number_of_words(story, reader_a):
    client = client_for(reader_a)
    url = reverse("consultations:consultation-list")
    counts = []
    for query in ("emotions", "emotions des conseillers analyse"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": query}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_register_finds_a_system_without_its_accents(organisation_a, reader_a):
    factories.DeploymentFactory(
        organisation=organisation_a,
        name="Assistant d’écoute",
        vendor="Société Générale d’IA",
        description="Détection de l’état émotionnel",
        notes="note-interne-secrete",
    )
    factories.DeploymentFactory(organisation=organisation_a, name="Planning")
    client = client_for(reader_a)
    url = reverse("consultations:deployment-list")
    for query, found in (
        ("ecoute", True),
        ("societe generale", True),
        ("etat EMOTIONNEL", True),
        ("secrete", False),  # the internal notes are not searched
        ("planning ecoute", False),
    ):
        page = html.unescape(client.get(url, {"q": query}).content.decode())
        assert ("Assistant d’écoute" in page) is found, query


def test_a_system_renamed_is_found_by_its_new_name(organisation_a):
    deployment = factories.DeploymentFactory(organisation=organisation_a, name="Ancien nom")
    deployment.name = "Écho"
    deployment.save(update_fields=["name"])
    assert matching(Deployment.objects.all(), "echo").get() == deployment
    assert not matching(Deployment.objects.all(), "ancien").exists()


def test_the_history_does_not_copy_the_searched_texts():
    for model in (Consultation, Deployment):
        fields = {field.name for field in model.history.model._meta.get_fields()}
        assert "search_text" not in fields and "id" in fields


def test_refresh_calendar_and_the_migration_write_the_texts_again(story):
    consultation, _other = story
    deployment = consultation.deployment
    Consultation.objects.update(search_text="")
    Deployment.objects.update(search_text="")
    call_command("refresh_calendar", stdout=StringIO())
    assert "geolocalisation" in Consultation.objects.get(pk=consultation.pk).search_text
    assert Deployment.objects.get(pk=deployment.pk).search_text == "ecoute ia callminer"

    Consultation.objects.update(search_text="")
    Deployment.objects.update(search_text="")
    migration = importlib.import_module("consultations.migrations.0033_search_text")
    migration.fill_search_text(apps, SimpleNamespace(connection=connection))
    expected = Consultation.objects.filter(pk=consultation.pk)
    stored = expected.get().search_text
    expected.update(search_text="")
    assert expected.refresh_search_text() == 1
    assert expected.get().search_text == stored  # the migration folds as the application does
    assert Deployment.objects.get(pk=deployment.pk).search_text == "ecoute ia callminer"
    assert Motion.objects.filter(consultation=consultation).exists()


def test_the_admin_searches_as_the_site_does(story, superuser, organisation_a):
    _consultation, other = story
    other.body = factories.BodyFactory(organisation=organisation_a, name="CSE de Périgueux")
    other.save()
    client = client_for(superuser)
    url = reverse("admin:consultations_consultation_changelist")
    for query, found in (
        ("emotions", {"Analyse des émotions"}),
        ("ECOUTE ia", {"Analyse des émotions", "Outil de planning"}),  # the system's name
        ("organisation a", {"Analyse des émotions", "Outil de planning"}),  # the organisation's
        ("Périgueux", {"Outil de planning"}),  # the council's name, as typed
        ("geolocalisation", {"Analyse des émotions"}),  # a motion
        ("absent", set()),
    ):
        assert titles_found_at(client, url, query) == found, query
    url = reverse("admin:consultations_deployment_changelist")
    page = html.unescape(client.get(url, {"q": "ecoute"}).content.decode())
    assert "Écoute IA" in page


def titles_found_at(client, url, query):
    page = client.get(url, {"q": query})
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    return {title for title in ("Analyse des émotions", "Outil de planning") if title in text}

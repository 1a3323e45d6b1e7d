"""The demands page (views/editing.py demands_edit): the representatives log their demands and
what came of each on the site, not only in the admin."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import Demand

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def consultation(organisation_a):
    return factories.ConsultationFactory(
        body=factories.BodyFactory(organisation=organisation_a), title="Analyse des appels"
    )


@pytest.fixture
def answer(consultation):
    return factories.ManagementResponseFactory(
        consultation=consultation, received_on=D(2025, 4, 10)
    )


def url(consultation):
    return reverse("consultations:demands-edit", args=[consultation.pk])


def data(*demands, initial=0):
    """The formset as posted: ``demands`` are dicts (id, text, status, settled_by, DELETE)."""
    posted = {"demands-TOTAL_FORMS": str(len(demands)), "demands-INITIAL_FORMS": str(initial)}
    for index, demand in enumerate(demands):
        for name, value in demand.items():
            posted[f"demands-{index}-{name}"] = value
    return posted


def page_text(response):
    return html.unescape(response.content.decode()).replace("\u00a0", " ")


def test_it_adds_demands_and_ignores_the_blank_forms(consultation, editor_a):
    client = client_for(editor_a)
    page = client.get(url(consultation))
    assert page.status_code == 200
    assert page.context["formset"].total_form_count() == 2  # two blank forms to start with
    response = client.post(
        url(consultation),
        data(
            {"text": "Lignes non enregistrées pour les élus", "status": "pending"},
            {"text": "Aucune sanction fondée sur les scores", "status": "pending"},
            {"text": "", "status": "pending"},
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#demands")
    assert list(consultation.demands.order_by("pk").values_list("text", flat=True)) == [
        "Lignes non enregistrées pour les élus",
        "Aucune sanction fondée sur les scores",
    ]
    shown = page_text(client.get(response["Location"]))
    assert "Les revendications sont enregistrées." in shown
    assert (
        "Lignes non enregistrées pour les élus" in shown and "Modifier les revendications" in shown
    )
    # A history row names who logged it.
    assert Demand.history.filter(history_user=editor_a).count() == 2


def test_the_page_sent_back_as_shown_changes_nothing(consultation, answer, editor_a):
    """What a browser sends: the hidden id of each demand recorded is in the page (found by
    looking at the page: without it, every demand recorded was refused)."""
    from .test_shared_cache import FormReader

    factories.DemandFactory(consultation=consultation, status="won", settled_by=answer)
    factories.DemandFactory(consultation=consultation, text="Ligne non enregistrée")
    client = client_for(editor_a)
    reader = FormReader()
    reader.feed(client.get(url(consultation)).content.decode())
    response = client.post(url(consultation), dict(reader.fields))
    assert response.status_code == 302, response.context["errors"]
    assert consultation.demands.count() == 2
    assert Demand.history.count() == 2  # created, not changed


def test_the_page_asks_as_many_queries_for_ten_demands_as_for_one(consultation, answer, editor_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor_a)
    counts = []
    for total in (1, 10):
        while consultation.demands.count() < total:
            factories.DemandFactory(consultation=consultation, settled_by=answer, status="won")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(consultation)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_it_records_what_came_of_a_demand_and_the_answer_that_settled_it(
    consultation, answer, editor_a
):
    demand = factories.DemandFactory(consultation=consultation)
    page = client_for(editor_a).get(url(consultation))
    assert "Réponse du 10 avril 2025 : refuse" in page_text(page)
    response = client_for(editor_a).post(
        url(consultation),
        data(
            {"id": demand.pk, "text": demand.text, "status": "refused", "settled_by": answer.pk},
            initial=1,
        ),
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.settled_by) == ("refused", answer)


def test_a_refused_demand_keeps_everything_typed_and_saves_nothing(consultation, answer, editor_a):
    """A demand settled by an answer but said pending (Demand.clean): refused beside it, and
    the other demand typed in the same send is not saved either."""
    response = client_for(editor_a).post(
        url(consultation),
        data(
            {"text": "Formation de deux jours", "status": "pending"},
            {
                "text": "Arrêt de l'analyse des émotions",
                "status": "pending",
                "settled_by": answer.pk,
            },
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Revendication 2" in text
    assert "Une revendication réglée par une réponse n'est plus en attente." in text
    assert "Formation de deux jours" in text and "Arrêt de l'analyse des émotions" in text
    assert not consultation.demands.exists()


def test_it_refuses_an_answer_of_another_consultation(consultation, editor_a, organisation_a):
    other = factories.ManagementResponseFactory(
        consultation=factories.ConsultationFactory(
            body=consultation.body, deployment=consultation.deployment
        )
    )
    response = client_for(editor_a).post(
        url(consultation),
        data({"text": "Volontariat", "status": "won", "settled_by": other.pk}),
    )
    assert response.status_code == 200
    assert "Cette réponse n'est pas une réponse de cette consultation." in page_text(response)
    assert not consultation.demands.exists()


def test_it_removes_a_demand_logged_by_mistake(consultation, editor_a):
    kept, removed = factories.DemandFactory.create_batch(2, consultation=consultation)
    response = client_for(editor_a).post(
        url(consultation),
        data(
            {"id": kept.pk, "text": kept.text, "status": "pending"},
            {"id": removed.pk, "text": removed.text, "status": "pending", "DELETE": "on"},
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert list(consultation.demands.all()) == [kept]


def test_it_edits_only_this_consultations_demands(consultation, editor_a):
    """A demand of another consultation, its id typed into the form, is neither changed nor
    moved; what was typed for it is not dropped without a word either (as for a demand
    removed meanwhile by another editor)."""
    elsewhere = factories.DemandFactory(text="Ailleurs")
    response = client_for(editor_a).post(
        url(consultation),
        data({"id": elsewhere.pk, "text": "Détournée", "status": "won"}, initial=1),
    )
    assert response.status_code == 200
    assert "Cette revendication a été supprimée entre-temps" in page_text(response)
    assert "Détournée" in page_text(response)
    elsewhere.refresh_from_db()
    assert (elsewhere.text, elsewhere.consultation_id) == ("Ailleurs", elsewhere.consultation_id)
    assert not consultation.demands.exists()


def test_a_demand_removed_meanwhile_keeps_what_was_typed_for_it(consultation, editor_a):
    demand = factories.DemandFactory(consultation=consultation)
    client = client_for(editor_a)
    client.get(url(consultation))
    pk = demand.pk
    demand.delete()  # by another editor, in the admin
    response = client.post(
        url(consultation), data({"id": pk, "text": "Texte repris", "status": "won"}, initial=1)
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Cette revendication a été supprimée entre-temps" in text and "Texte repris" in text


def test_it_refuses_more_demands_than_a_consultation_holds(consultation, editor_a):
    demands = [{"text": f"Revendication {n}", "status": "pending"} for n in range(101)]
    response = client_for(editor_a).post(url(consultation), data(*demands))
    assert response.status_code == 200
    assert "Une consultation compte au plus 100 revendications" in page_text(response)
    assert not consultation.demands.exists()


def test_readers_see_the_demands_without_the_link(consultation, reader_a):
    factories.DemandFactory(consultation=consultation)
    page = page_text(
        client_for(reader_a).get(
            reverse("consultations:consultation-detail", args=[consultation.pk])
        )
    )
    assert "Expérimentation sur la base du volontariat" in page
    assert url(consultation) not in page


def test_the_page_reads_in_english(consultation, editor_a, settings):
    client = client_for(editor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page_text(client.get(url(consultation)))
    with translation.override("en"):
        assert "Demand 1" in text and "Save the demands" in text

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


def test_the_save_reads_the_versions_of_all_the_demands_in_one_query(
    consultation, answer, editor_a
):
    """Each demand's version, checked at the save, is read with the demands, not asked once per
    demand. (Django's formset still asks a few queries per demand it checks: the demand and
    the answer named.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor_a)
    for total in (1, 10):
        while consultation.demands.count() < total:
            factories.DemandFactory(consultation=consultation, settled_by=answer, status="won")
        sent = shown_fields(client.get(url(consultation)))
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url(consultation), sent).status_code == 302
        history = [query for query in queries if "historicaldemand" in query["sql"]]
        assert len(history) == 1, total


def shown_fields(response):
    """What a browser sends back of the page as it stands."""
    from .test_shared_cache import FormReader

    reader = FormReader()
    reader.feed(response.content.decode())
    return dict(reader.fields)


@pytest.fixture
def other_editor(organisation_a):
    user = factories.UserFactory(username="editor-a2")
    factories.MembershipFactory(user=user, organisation=organisation_a, role="editor")
    return user


def test_a_demand_saved_meanwhile_is_refused_saves_nothing_and_keeps_what_was_typed(
    consultation, answer, editor_a, other_editor
):
    """Two editors on the page change the same demand: the second save was taken silently over
    the first. It is refused, in the summary and beside the demand, with the other's changes;
    nothing of the page is saved; a second save, made knowing them, goes through and keeps
    the other's change to a field this editor left alone."""
    first_demand = factories.DemandFactory(consultation=consultation, text="Formation")
    second_demand = factories.DemandFactory(consultation=consultation, text="Volontariat")
    first, second = client_for(editor_a), client_for(other_editor)
    page_one = shown_fields(first.get(url(consultation)))
    page_two = shown_fields(second.get(url(consultation)))
    assert "demands-0-version" in page_two

    page_one["demands-0-text"] = "Formation de deux jours"
    assert first.post(url(consultation), page_one).status_code == 302

    page_two |= {
        "demands-0-status": "won",  # the same demand, another field
        "demands-0-settled_by": str(answer.pk),
        "demands-1-text": "Volontariat, sans sanction",  # another demand
        "demands-2-text": "Aucune notation des appels",  # a new one
    }
    refused = second.post(url(consultation), page_two)
    assert refused.status_code == 200
    errors = refused.context["errors"]
    assert [(error["heading"], error["code"]) for error in errors] == [
        ("Revendication 1", "edit_conflict")
    ]
    assert "« Formation » → « Formation de deux jours »" in errors[0]["message"].replace(
        "\u00a0", " "
    )
    text = page_text(refused)
    assert text.count("pendant que vous la modifiiez") == 2  # in the summary, and beside it
    beside = text.split("Revendication 1</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert "pendant que vous la modifiiez" in beside
    assert "Volontariat, sans sanction" in text and "Aucune notation des appels" in text
    # Nothing of the page was saved.
    first_demand.refresh_from_db()
    second_demand.refresh_from_db()
    assert (first_demand.text, first_demand.status) == ("Formation de deux jours", "pending")
    assert second_demand.text == "Volontariat"
    assert consultation.demands.count() == 2

    # The page as it now stands: the other's text in the field left alone, this one's status.
    again = shown_fields(refused)
    assert again["demands-0-text"].strip() == "Formation de deux jours"
    assert again["demands-0-status"] == "won"
    assert second.post(url(consultation), again).status_code == 302
    first_demand.refresh_from_db()
    second_demand.refresh_from_db()
    assert (first_demand.text, first_demand.status) == ("Formation de deux jours", "won")
    assert second_demand.text == "Volontariat, sans sanction"
    assert consultation.demands.count() == 3


def test_a_demand_changed_meanwhile_is_not_removed_unseen(consultation, editor_a, other_editor):
    demand = factories.DemandFactory(consultation=consultation, text="Formation")
    first, second = client_for(editor_a), client_for(other_editor)
    page_one = shown_fields(first.get(url(consultation)))
    page_two = shown_fields(second.get(url(consultation)))
    page_one["demands-0-status"] = "won"
    assert first.post(url(consultation), page_one).status_code == 302

    page_two["demands-0-DELETE"] = "on"
    refused = second.post(url(consultation), page_two)
    assert refused.status_code == 200
    assert "« En attente » → « Obtenue »" in page_text(refused)
    assert consultation.demands.get() == demand
    again = shown_fields(refused)
    assert again["demands-0-DELETE"] == "on"  # still ticked
    assert second.post(url(consultation), again).status_code == 302
    assert not consultation.demands.exists()


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

"""An answer's and a demand's own admin pages offer their consultation's records, as the
consultation's page does; a new record, whose consultation is not chosen yet, those of the
user's organisations."""

import pytest
from django.urls import reverse

from .conftest import client_for
from .factories import (
    BodyFactory,
    ConsultationFactory,
    DemandFactory,
    ManagementResponseFactory,
    MotionFactory,
)


@pytest.fixture
def two_consultations(organisation_a):
    body = BodyFactory(organisation=organisation_a)
    return ConsultationFactory(body=body), ConsultationFactory(body=body)


def form_of(response):
    return response.context["adminform"].form


def test_an_answers_page_offers_its_consultations_motions(editor_a, two_consultations):
    own, other = two_consultations
    mine, theirs = MotionFactory(consultation=own), MotionFactory(consultation=other)
    answer = ManagementResponseFactory(consultation=own)
    client = client_for(editor_a)

    change = client.get(reverse("admin:consultations_managementresponse_change", args=[answer.pk]))
    add = client.get(reverse("admin:consultations_managementresponse_add"))

    assert list(form_of(change).fields["motions"].queryset) == [mine]
    assert set(form_of(add).fields["motions"].queryset) == {mine, theirs}


def test_another_consultations_motion_is_refused_beside_the_field(editor_a, two_consultations):
    own, other = two_consultations
    theirs = MotionFactory(consultation=other)
    answer = ManagementResponseFactory(consultation=own)
    url = reverse("admin:consultations_managementresponse_change", args=[answer.pk])

    response = client_for(editor_a).post(
        url,
        {
            "consultation": own.pk,
            "received_on": "2025-04-10",
            "channel": answer.channel,
            "stance": answer.stance,
            "text": answer.text,
            "motions": [theirs.pk],
        },
    )

    assert response.status_code == 200
    assert "motions" in form_of(response).errors
    assert not answer.motions.exists()


def test_a_demands_page_offers_its_consultations_answers(editor_a, two_consultations):
    own, other = two_consultations
    mine = ManagementResponseFactory(consultation=own)
    theirs = ManagementResponseFactory(consultation=other)
    demand = DemandFactory(consultation=own)
    client = client_for(editor_a)

    change = client.get(reverse("admin:consultations_demand_change", args=[demand.pk]))
    add = client.get(reverse("admin:consultations_demand_add"))

    assert list(form_of(change).fields["settled_by"].queryset) == [mine]
    assert set(form_of(add).fields["settled_by"].queryset) == {mine, theirs}


def test_an_editor_never_gets_another_organisations_records(editor_a, organisation_b):
    foreign = ConsultationFactory(body=BodyFactory(organisation=organisation_b))
    MotionFactory(consultation=foreign)
    ManagementResponseFactory(consultation=foreign)

    add = client_for(editor_a).get(reverse("admin:consultations_managementresponse_add"))
    demand_add = client_for(editor_a).get(reverse("admin:consultations_demand_add"))

    assert not form_of(add).fields["motions"].queryset.filter(consultation=foreign).exists()
    assert not form_of(demand_add).fields["settled_by"].queryset.exists()

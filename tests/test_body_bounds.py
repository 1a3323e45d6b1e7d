"""A council's seats and agreed periods are bounded against typos: an agreed period of
3,000,000 days made a date past the year 9999 and a 500 on saving (found by an editor's QA
pass), 0 seats a database message, 99,999,999,999 seats went through."""

import pytest

from consultations.models import Body

from . import factories
from .conftest import client_for
from .test_admin import admin_form_data, admin_url
from .test_model_rules import messages_if_any

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agreed_days_without_expert", 3_000_000, "plus de 365 jours"),
        ("agreed_days_with_expert", 366, "plus de 365 jours"),
        ("agreed_days_with_expert", 14, "inférieur à 15 jours"),
        ("seats", 0, "au moins un siège de titulaire"),
        ("seats", 201, "pas plus de 200 sièges"),
    ],
)
def test_the_admin_says_what_is_wrong_with_the_field_and_saves_nothing(
    superuser, field, value, message
):
    body = factories.BodyFactory()
    client = client_for(superuser)
    url = admin_url(Body, "change", body.pk)
    data = admin_form_data(client.get(url))
    data[field] = value
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    body.refresh_from_db()
    assert getattr(body, field) != value


def test_the_bounds_hold_a_real_agreement_and_a_large_council():
    body = factories.BodyFactory.build(
        organisation=factories.OrganisationFactory(),
        seats=35,  # R2314-1: the most for 10,000 employees and more
        agreed_days_without_expert=30,
        agreed_days_with_expert=365,
    )
    assert messages_if_any(body) == {}

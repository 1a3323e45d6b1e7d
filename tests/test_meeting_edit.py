"""A meeting's agenda and minutes, recorded once done: sent or adopted after today is refused
(Meeting.clean), on the site's forms and in the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations.forms import MeetingLogForm
from consultations.models import Meeting

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def consultation(organisation_a):
    body = factories.BodyFactory(organisation=organisation_a, name="CSE A", seats=9)
    return factories.ConsultationFactory(
        body=body, title="Analyse des appels", information_received_on=D(2025, 3, 3)
    )


@pytest.fixture
def meeting(consultation):
    """Held on 10 March 2025, its agenda sent on the 5th, its minutes not yet sent."""
    meeting = factories.MeetingFactory(
        body=consultation.body, held_on=D(2025, 3, 10), agenda_sent_on=D(2025, 3, 5)
    )
    meeting.consultations.add(consultation)
    return meeting


# --- Meeting.clean: a step is recorded once done ---------------------------------------------


@pytest.mark.parametrize("field", Meeting.STEP_DATES)
def test_a_meeting_step_dated_after_today_is_refused(field):
    """An agenda « sent » or minutes « sent » next week would count as done: the workspace and
    the calendar would drop minutes still to send."""
    today = timezone.localdate()
    # An agenda is sent before its meeting, the minutes after it.
    held_on = today + datetime.timedelta(days=5 if field == "agenda_sent_on" else -2)
    steps = {"agenda_sent_on": None, field: today + datetime.timedelta(days=1)}
    meeting = factories.MeetingFactory.build(body=factories.BodyFactory(), held_on=held_on, **steps)
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    errors = caught.value.message_dict
    assert list(errors) == [field]
    assert "à venir" in errors[field][0]
    setattr(meeting, field, today)
    meeting.full_clean()  # today is fine


def test_a_meeting_to_come_may_have_its_agenda_sent_already():
    today = timezone.localdate()
    meeting = factories.MeetingFactory.build(
        body=factories.BodyFactory(),
        held_on=today + datetime.timedelta(days=10),
        agenda_sent_on=today,
    )
    meeting.full_clean()


def test_a_future_step_saved_before_the_rule_stays_editable_until_changed():
    today = timezone.localdate()
    meeting = factories.MeetingFactory(body=factories.BodyFactory(), held_on=today)
    later = today + datetime.timedelta(days=5)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_on=later)
    meeting.refresh_from_db()
    meeting.place = "Salle B"
    meeting.full_clean()  # the old date left as it is
    meeting.minutes_sent_on = later + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert list(caught.value.message_dict) == ["minutes_sent_on"]


def test_the_meeting_log_refuses_minutes_sent_after_today_beside_the_field(consultation):
    today = timezone.localdate()
    form = MeetingLogForm(
        {
            "body": consultation.body_id,
            "held_on": today.isoformat(),
            "kind": "ordinary",
            "minutes_sent_on": (today + datetime.timedelta(days=3)).isoformat(),
        },
        consultation=consultation,
    )
    assert not form.is_valid()
    assert "à venir" in form.errors["minutes_sent_on"][0]


def test_the_admin_refuses_minutes_sent_after_today(meeting, superuser):
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    client = client_for(superuser)
    page = client.get(url)
    data = {
        "body": meeting.body_id,
        "held_on": "2025-03-10",
        "kind": "ordinary",
        "agenda_sent_on": "2025-03-05",
        "minutes_sent_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "consultations": [meeting.consultations.get().pk],
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "à venir" in response.context["adminform"].form.errors["minutes_sent_on"][0]

"""Races (PostgreSQL, threads): motion numbers stay unique and gapless when adoptions race; a
meeting or a management's answer sent twice at once (a double click) is logged once."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from consultations.models import ManagementResponse, Meeting, Motion

from . import factories
from .conftest import client_for
from .test_editing import EXPERT_VOTE, meeting_data

ADOPTIONS = 20


@pytest.mark.django_db(transaction=True)
def test_it_numbers_racing_adoptions_without_duplicates_or_gaps():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); .ci/run runs the suite on it")
    consultation = factories.ConsultationFactory()
    drafts = [
        factories.MotionFactory(consultation=consultation, adopted_on=None, title=f"Motion {i}")
        for i in range(ADOPTIONS)
    ]
    start = threading.Barrier(ADOPTIONS)
    errors = []

    def adopt(motion):
        try:
            start.wait()
            motion.adopted_on = datetime.date(2025, 3, 14)
            motion.save()
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=adopt, args=(motion,)) for motion in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(
        Motion.objects.filter(consultation=consultation).values_list("number", flat=True)
    )
    assert numbers == list(range(1, ADOPTIONS + 1))


SENDS = 8


@pytest.mark.django_db(transaction=True)
def test_a_meeting_sent_several_times_at_once_is_logged_once(editor_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); .ci/run runs the suite on it")
    body = factories.BodyFactory(organisation=editor_a.memberships.get().organisation, seats=9)
    consultation = factories.ConsultationFactory(body=body)
    url = reverse("consultations:meeting-log", args=[consultation.pk])
    data = meeting_data(body, EXPERT_VOTE)
    clients = [client_for(editor_a) for _ in range(SENDS)]
    start = threading.Barrier(SENDS)
    statuses, errors = [], []

    def send(client):
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [200] * (SENDS - 1) + [302]  # the others say it is logged
    assert Meeting.objects.filter(consultations=consultation).count() == 1
    assert consultation.votes.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_answer_sent_several_times_at_once_is_recorded_once(editor_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); .ci/run runs the suite on it")
    body = factories.BodyFactory(organisation=editor_a.memberships.get().organisation, seats=9)
    consultation = factories.ConsultationFactory(body=body)
    url = reverse("consultations:response-create", args=[consultation.pk])
    data = {"received_on": "2025-04-10", "channel": "letter", "stance": "rejects"}
    clients = [client_for(editor_a) for _ in range(SENDS)]
    start = threading.Barrier(SENDS)
    statuses, errors = [], []

    def send(client):
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [200] * (SENDS - 1) + [302]  # the others say it is recorded
    assert ManagementResponse.objects.filter(consultation=consultation).count() == 1

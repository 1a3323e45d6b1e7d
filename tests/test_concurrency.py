"""Motion numbers stay unique and gapless when adoptions race (PostgreSQL, threads)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from consultations.models import Motion

from . import factories

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

"""The load-data generator of the benchmarks: proportional volumes, valid records, motion numbers
per body and year, computed deadlines, and a refusal to mix with real data."""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from consultations.models import (
    Body,
    ClockStop,
    Consultation,
    Deployment,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Membership,
    Motion,
    Organisation,
    Vote,
)
from consultations.models.deployment import DPIAStatus
from consultations.timeline import timeline_entries

from .factories import ConsultationFactory

BIG = "quarante motions"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(**options):
    out = StringIO()
    call_command("generate_load_data", force=True, stdout=out, **options)
    return out.getvalue()


def timeline_total(consultations):
    return timeline_entries(consultations, public=False, limit=1).total


def ordinary_counts():
    """Volumes outside the consultations with many motions (one per run, whatever the scale)."""
    ordinary = Consultation.objects.exclude(title__contains=BIG)
    return {
        "consultations": ordinary.count(),
        "motions": Motion.objects.filter(consultation__in=ordinary).count(),
        "votes": Vote.objects.filter(consultation__in=ordinary).count(),
        "timeline": timeline_total(ordinary),
    }


@pytest.mark.django_db
def test_it_builds_a_realistic_dataset_at_a_tiny_scale():
    output = generate(scale=0.01)

    assert Organisation.objects.count() == 2
    assert Consultation.objects.count() == 20  # 2,000 at scale 1
    assert "Jeu de données généré en" in output
    # The proportions of real life.
    assert Body.objects.filter(kind=Body.Kind.CSSCT).exists()
    assert Body.objects.filter(kind=Body.Kind.CSE_CENTRAL).exists()
    assert Meeting.objects.count() >= 20
    assert Expertise.objects.exists() and ManagementResponse.objects.exists()
    assert Consultation.objects.published().exists()
    assert Consultation.objects.exclude(visibility=Consultation.Visibility.PUBLIC).exists()
    counts = ordinary_counts()
    assert 0.5 <= counts["motions"] / counts["consultations"] <= 2.5
    assert counts["timeline"] >= 5 * counts["consultations"]
    # The consultation the benchmark opens: 40 motions, public.
    big = Consultation.objects.annotate(n=Count("motions")).order_by("-n").first()
    assert big.n >= 40 and big.is_public
    # The benchmark's accounts.
    users = get_user_model().objects
    assert users.get(username="bench-admin").is_superuser
    editor = users.get(username="bench-editor")
    assert editor.check_password("bench-password")
    assert set(
        Membership.objects.filter(user=editor, role=Membership.Role.EDITOR).values_list(
            "organisation", flat=True
        )
    ) == set(Organisation.objects.values_list("pk", flat=True))
    # Audit history is written, as if each record had been saved.
    assert Consultation.history.count() == Consultation.objects.count()


@pytest.mark.django_db
def test_the_volumes_are_proportional_to_the_scale():
    generate(scale=0.01)
    first = ordinary_counts()
    organisations, consultations = Organisation.objects.count(), Consultation.objects.count()

    generate(scale=0.03, append=True, seed=7)

    total = ordinary_counts()
    added = {key: total[key] - first[key] for key in total}
    assert Organisation.objects.count() - organisations == 3
    assert Consultation.objects.count() - consultations == 3 * consultations  # 20, then 60
    for key in ("consultations", "motions", "votes", "timeline"):
        assert 1.5 <= added[key] / first[key] <= 6, key
    assert_no_combination_refused()


@pytest.mark.django_db
def test_motion_numbers_are_unique_and_consecutive_per_body_and_year():
    generate(scale=0.01)

    numbers = defaultdict(list)
    for body, year, number, adopted_on in Motion.objects.values_list(
        "body", "year", "number", "adopted_on"
    ):
        assert (number is None) == (adopted_on is None)
        if number is not None:
            assert year == adopted_on.year
            numbers[body, year].append(number)
    assert numbers
    for found in numbers.values():
        assert sorted(found) == list(range(1, len(found) + 1))
    # In the order of adoption.
    for body, year in numbers:
        ordered = Motion.objects.filter(body=body, year=year).order_by("adopted_on", "number")
        assert [m.number for m in ordered] == sorted(m.number for m in ordered)


@pytest.mark.django_db
def test_every_deadline_is_computed_and_the_records_are_valid():
    generate(scale=0.01)

    for consultation in Consultation.objects.with_clock_facts():
        deadline = consultation.deadline()
        assert consultation.deadline_on == (deadline.date if deadline else None)
        answer = consultation.answer_due()
        assert consultation.answer_due_on == (answer.date if answer else None)
    started = Consultation.objects.started()
    assert started.filter(deadline_on__isnull=False).count() == started.count() > 0
    for model in (Consultation, Vote, Motion, Expertise, ClockStop, Event, ManagementResponse):
        for record in model.objects.all()[:5]:
            record.full_clean()
    assert_no_combination_refused()


def assert_no_combination_refused():
    """The rules checked when a value is set or changed, which full_clean() of a record saved
    passes: no project withdrawn with an opinion, no impact assessment done without its date
    nor judged not required without its reason."""
    assert not Consultation.objects.filter(status=Consultation.Status.WITHDRAWN).exclude(opinion="")
    assert Deployment.objects.filter(dpia_status=DPIAStatus.DONE).exists()
    assert not Deployment.objects.filter(dpia_status=DPIAStatus.DONE, dpia_on=None)
    assert not Deployment.objects.filter(
        dpia_status=DPIAStatus.NOT_REQUIRED, dpia_not_required_reason=""
    )


@pytest.mark.django_db
def test_it_refuses_a_database_that_has_consultations():
    ConsultationFactory()

    with pytest.raises(CommandError, match="--append"):
        generate(scale=0.01)
    assert Consultation.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("generate_load_data", scale=0.01, stdout=StringIO())
    assert not Consultation.objects.exists()

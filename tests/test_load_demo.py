"""The demo-data command: three cases, idempotent, refused in production unless forced."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from consultations.models import (
    Consultation,
    Demand,
    Deployment,
    Event,
    Expertise,
    ManagementResponse,
    Membership,
    Motion,
    Organisation,
    Vote,
)
from consultations.models.deployment import DPIAStatus

SLUGS = {"teleperformance-france", "orange", "konecta-france"}


def load(**options):
    out = StringIO()
    call_command("load_demo", force=True, stdout=out, **options)
    return out.getvalue()


def row_counts():
    """Rows of every model of the app (history and many-to-many tables included) and users."""
    models = list(apps.get_app_config("consultations").get_models(include_auto_created=True))
    models.append(get_user_model())
    return {model._meta.label: model._default_manager.count() for model in models}


@pytest.mark.django_db
def test_it_loads_the_three_organisations():
    load()

    assert set(Organisation.objects.values_list("slug", flat=True)) == SLUGS
    assert Consultation.objects.count() == 4


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice():
    load()
    first = row_counts()
    assert first["consultations.HistoricalConsultation"] > 0
    assert first["consultations.HistoricalMeeting_consultations"] > 0

    output = load()

    assert row_counts() == first
    assert "Rien à créer" in output


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    load()

    assert Organisation.objects.count() == 3


@pytest.mark.django_db
def test_it_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True

    call_command("load_demo", stdout=StringIO())

    assert Organisation.objects.count() == 3


@pytest.mark.django_db
def test_it_prints_nothing_at_verbosity_zero():
    assert load(verbosity=0) == ""


@pytest.mark.django_db
def test_it_loads_records_that_obey_the_model_rules():
    load()

    for model in apps.get_app_config("consultations").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for instance in model._default_manager.all():
            instance.full_clean()
    # Rules checked when a value is set or changed, which full_clean() of a record saved passes.
    assert not Consultation.objects.filter(status=Consultation.Status.WITHDRAWN).exclude(opinion="")
    assert not Deployment.objects.filter(dpia_status=DPIAStatus.DONE, dpia_on=None)
    assert not Deployment.objects.filter(
        dpia_status=DPIAStatus.NOT_REQUIRED, dpia_not_required_reason=""
    )


@pytest.mark.django_db
def test_it_records_unanimous_votes_at_teleperformance():
    load()

    votes = Vote.objects.filter(meeting__body__organisation__slug="teleperformance-france")
    assert {vote.subject for vote in votes} == {
        Vote.Subject.APPOINT_EXPERT,
        Vote.Subject.MOTION,
        Vote.Subject.OPINION,
    }
    assert all(vote.adopted and vote.unanimous for vote in votes)


@pytest.mark.django_db
def test_it_numbers_the_two_teleperformance_motions_in_2020():
    load()

    motions = Motion.objects.filter(consultation__body__organisation__slug="teleperformance-france")
    assert [motion.reference for motion in motions] == ["2020-01", "2020-02"]
    assert [motion.adopted_on.isoformat() for motion in motions] == ["2020-08-27", "2020-09-23"]
    assert all(motion.published for motion in motions)
    assert all(motion.adopting_vote.subject == Vote.Subject.MOTION for motion in motions)


@pytest.mark.django_db
def test_it_keeps_the_numbers_when_run_twice():
    load()
    load()

    motions = Motion.objects.filter(consultation__body__organisation__slug="teleperformance-france")
    assert [motion.reference for motion in motions] == ["2020-01", "2020-02"]


@pytest.mark.django_db
def test_it_tells_the_teleperformance_story():
    load()

    consultation = Consultation.objects.get(body__name="CSE de Teleperformance France")
    assert consultation.is_public
    assert consultation.opinion == Consultation.Opinion.UNFAVOURABLE
    assert consultation.opinion_on.isoformat() == "2020-09-23"
    assert consultation.votes.get(subject=Vote.Subject.OPINION).unanimous
    expertise = Expertise.objects.get(consultation=consultation)
    assert expertise.ground == Expertise.Ground.NEW_TECHNOLOGY
    assert expertise.designated_on >= expertise.appointing_vote.meeting.held_on
    assert "300" in expertise.findings
    go_live = Event.objects.get(consultation=consultation, kind=Event.Kind.GO_LIVE)
    assert go_live.public
    assert go_live.deployment == consultation.deployment
    assert consultation.deployment.actual_go_live > consultation.opinion_on
    assert not ManagementResponse.objects.filter(consultation=consultation).exists()


@pytest.mark.django_db
def test_it_settles_the_orange_demands_that_management_refused():
    load()

    refusal = ManagementResponse.objects.get(consultation__body__organisation__slug="orange")
    assert refusal.stance == ManagementResponse.Stance.REJECTS
    assert refusal.motions.count() == 1
    demands = Demand.objects.filter(consultation=refusal.consultation)
    refused = demands.filter(status=Demand.Status.REFUSED)
    assert refused.count() == 4
    assert all(demand.settled_by == refusal for demand in refused)
    assert (
        not demands.exclude(status=Demand.Status.REFUSED)
        .exclude(status=Demand.Status.PENDING)
        .exists()
    )
    assert demands.filter(status=Demand.Status.PENDING, settled_by__isnull=True).count() == 6


@pytest.mark.django_db
def test_it_keeps_the_konecta_consultation_internal():
    load()

    consultation = Consultation.objects.get(body__organisation__slug="konecta-france")
    assert consultation.visibility == Consultation.Visibility.INTERNAL
    assert consultation not in Consultation.objects.published()
    assert consultation.events.filter(kind=Event.Kind.STRIKE).count() == 2
    confidential = consultation.documents.get(confidential=True)
    assert confidential.confidentiality_justification


@pytest.mark.django_db
def test_it_creates_the_users_and_their_memberships():
    load()
    user_model = get_user_model()

    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("vigie-admin")
    editrice = user_model.objects.get(username="editrice")
    assert editrice.is_staff and not editrice.is_superuser
    assert editrice.check_password("vigie-editrice")
    assert (
        set(
            Membership.objects.filter(user=editrice, role=Membership.Role.EDITOR).values_list(
                "organisation__slug", flat=True
            )
        )
        == SLUGS
    )
    lecteur = user_model.objects.get(username="lecteur")
    assert lecteur.check_password("vigie-lecteur")
    assert set(
        Membership.objects.filter(user=lecteur).values_list("organisation__slug", "role")
    ) == {("teleperformance-france", "reader"), ("orange", "reader")}


@pytest.mark.django_db
def test_it_does_not_reset_a_changed_password():
    load()
    lecteur = get_user_model().objects.get(username="lecteur")
    lecteur.set_password("un-autre-mot-de-passe")
    lecteur.save()

    load()

    lecteur.refresh_from_db()
    assert lecteur.check_password("un-autre-mot-de-passe")


@pytest.mark.django_db
def test_it_raises_the_expected_red_flags_on_the_demo(settings):
    from consultations.models import Deployment
    from consultations.rules.flags import Flag

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    flags = {
        deployment.name: {flag.code for flag in deployment.red_flags()}
        for deployment in Deployment.objects.prefetch_related("consultations")
    }
    assert Flag.EMOTION_WORKERS in flags["TP Observe et TP Interact"]
    assert Flag.HIGH_RISK_WORKERS in flags["APC"]


@pytest.mark.django_db
def test_its_history_rows_say_they_are_demo_data():
    """No one signed in wrote them: the admin's history gives the reason instead of a user."""
    load()

    history = Consultation.history.all()
    assert history.exists()
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "Données de démonstration (load_demo)"
    }

import pytest

from . import factories

ALL_FACTORIES = [
    factories.OrganisationFactory,
    factories.MembershipFactory,
    factories.BodyFactory,
    factories.DeploymentFactory,
    factories.ConsultationFactory,
    factories.ClockStopFactory,
    factories.MeetingFactory,
    factories.VoteFactory,
    factories.ExpertiseFactory,
    factories.MotionFactory,
    factories.ManagementResponseFactory,
    factories.DemandFactory,
    factories.DocumentFactory,
    factories.EventFactory,
    factories.CalendarTokenFactory,
    factories.ReminderSentFactory,
]

# Account records hold no consultation facts and keep no audit history.
WITHOUT_HISTORY = {"CalendarToken", "ReminderSent"}


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_it_builds_a_valid_object(factory):
    obj = factory()
    obj.full_clean()
    assert str(obj)
    if type(obj).__name__ not in WITHOUT_HISTORY:
        assert obj.history.count() == 1


@pytest.mark.django_db
def test_it_covers_every_model():
    """Every model kept by hand; the timeline index is built from the others."""
    from django.apps import apps

    from consultations.models import TimelineEntry

    models = {
        model
        for model in apps.get_app_config("consultations").get_models()
        if not model.__name__.startswith("Historical")
        and model._meta.auto_created is False
        and model is not TimelineEntry
    }
    covered = {factory._meta.model for factory in ALL_FACTORIES}
    assert models - covered == set()

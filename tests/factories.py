"""factory_boy factories: one per model, each building a valid object (tests/test_factories.py)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from consultations import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    siren = "732829320"
    headcount = 1200


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = models.Membership.Role.EDITOR


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Body

    organisation = factory.SubFactory(OrganisationFactory)
    kind = models.Body.Kind.CSE
    name = factory.LazyAttribute(lambda body: f"CSE de {body.organisation.name}")
    seats = 9


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Deployment

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Analyse des appels {n}")
    vendor = "CallMiner"
    functions = factory.LazyFunction(lambda: ["transcription", "scoring"])


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consultation

    body = factory.SubFactory(BodyFactory)
    deployment = factory.SubFactory(
        DeploymentFactory, organisation=factory.SelfAttribute("..body.organisation")
    )
    title = factory.Sequence(lambda n: f"Consultation sur l'outil d'analyse n° {n}")
    legal_bases = factory.LazyFunction(lambda: ["L2312-8"])
    information_received_on = datetime.date(2025, 3, 3)


class ClockStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClockStop

    consultation = factory.SubFactory(ConsultationFactory)
    starts_on = datetime.date(2025, 3, 20)
    ends_on = datetime.date(2025, 4, 2)
    reason = models.ClockStop.Reason.EXPERTISE_CONTESTED


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    body = factory.SubFactory(BodyFactory)
    held_on = datetime.date(2025, 3, 14)
    agenda_sent_on = datetime.date(2025, 3, 10)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vote

    meeting = factory.SubFactory(MeetingFactory)
    consultation = factory.SubFactory(
        ConsultationFactory, body=factory.SelfAttribute("..meeting.body")
    )
    subject = models.Vote.Subject.MOTION
    question = "Adoption de la motion"
    votes_for = 9
    voting_members_present = 9


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Expertise

    consultation = factory.SubFactory(ConsultationFactory)
    ground = models.Expertise.Ground.NEW_TECHNOLOGY
    expert_firm = "Cabinet Exemple"
    designated_on = datetime.date(2025, 3, 14)


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Motion

    consultation = factory.SubFactory(ConsultationFactory)
    kind = models.Motion.Kind.MOTION
    title = factory.Sequence(lambda n: f"Motion sur les risques psychosociaux {n}")
    text = "Le CSE **demande** une évaluation des risques (L4121-1)."
    adopted_on = datetime.date(2025, 3, 14)
    published = True


class ManagementResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ManagementResponse

    consultation = factory.SubFactory(ConsultationFactory)
    received_on = datetime.date(2025, 4, 10)
    channel = models.ManagementResponse.Channel.LETTER
    stance = models.ManagementResponse.Stance.REJECTS
    text = "La direction maintient son projet."


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Demand

    consultation = factory.SubFactory(ConsultationFactory)
    text = "Expérimentation sur la base du volontariat"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    consultation = factory.SubFactory(ConsultationFactory)
    kind = models.Document.Kind.INFORMATION_NOTE
    title = "Note d'information"
    dated_on = datetime.date(2025, 3, 3)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    consultation = factory.SubFactory(ConsultationFactory)
    deployment = factory.SelfAttribute("consultation.deployment")
    occurred_on = datetime.date(2025, 5, 2)
    kind = models.Event.Kind.STRIKE
    title = "Grève au centre d'appels"


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CalendarToken

    user = factory.SubFactory(UserFactory)


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReminderSent

    user = factory.SubFactory(UserFactory)
    uid = factory.Sequence(lambda n: f"vigie-consultation-{n}-deadline")
    due_on = datetime.date(2025, 4, 3)

"""Load the three demonstration cases of consultations/demo_data.py, and three accounts.

Idempotent: every record is looked up by its natural key and created only when missing, after
full_clean(). A record that exists is left as it is, so a second run writes nothing (no new row,
no new history row) and never overwrites what someone changed by hand, passwords included.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consultations import demo_data
from consultations.models import (
    Body,
    Consultation,
    Demand,
    Deployment,
    Document,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Membership,
    Motion,
    Organisation,
    Vote,
)


def resolve(data, **tables):
    """A copy of ``data`` where each field named in ``tables`` holds the object of that key."""
    values = dict(data)
    for field, table in tables.items():
        key = values.get(field)
        if key is not None:
            values[field] = table[key]
    return values


def split(values, *natural_key):
    """Take the natural-key fields out of ``values``: (lookup, other fields)."""
    lookup = {name: values.pop(name) for name in natural_key}
    return lookup, values


def model_label(model, count):
    return model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural


DEMO_CHANGE_REASON = "Données de démonstration (load_demo)"


class DemoLoader:
    def __init__(self, report):
        self.report = report
        self.created = Counter()
        self.existing = Counter()

    def ensure(self, model, lookup, values=None):
        """The record with this natural key, created (after full_clean) only when missing."""
        instance = model._default_manager.filter(**lookup).first()
        if instance is not None:
            self.existing[model] += 1
            return instance
        instance = model(**lookup, **(values or {}))
        instance.full_clean()
        # No one signed in wrote it: the admin's history says where it came from instead.
        instance._change_reason = DEMO_CHANGE_REASON
        instance.save()
        self.created[model] += 1
        self.report(f"  + {model._meta.verbose_name} : {instance}")
        return instance

    @staticmethod
    def add_missing(related_manager, objects):
        """Add many-to-many links that are missing, so that a second run adds no history row."""
        present = set(related_manager.values_list("pk", flat=True))
        missing = [obj for obj in objects if obj.pk not in present]
        if missing:
            related_manager.add(*missing)

    def load_case(self, case):
        data = dict(case["organisation"])
        organisation = self.ensure(Organisation, {"slug": data.pop("slug")}, data)

        bodies = {}
        for key, data in case["bodies"].items():
            lookup, values = split(resolve(data, parent=bodies), "name")
            bodies[key] = self.ensure(Body, {"organisation": organisation, **lookup}, values)

        deployments = {}
        for key, data in case["deployments"].items():
            lookup, values = split(dict(data), "name")
            deployments[key] = self.ensure(
                Deployment, {"organisation": organisation, **lookup}, values
            )

        consultations = {}
        for key, data in case["consultations"].items():
            values = resolve(data, body=bodies, deployment=deployments)
            lookup, values = split(values, "body", "title")
            consultations[key] = self.ensure(Consultation, lookup, values)

        for data in case["documents"]:
            values = resolve(data, consultation=consultations)
            self.ensure(Document, *split(values, "consultation", "title"))

        votes = {}
        for data in case["meetings"]:
            values = resolve(data, body=bodies)
            meeting_votes = values.pop("votes", {})
            agenda_items = [consultations[key] for key in values.pop("consultations", [])]
            meeting = self.ensure(Meeting, *split(values, "body", "held_on"))
            self.add_missing(meeting.consultations, agenda_items)
            for key, vote_data in meeting_votes.items():
                values = resolve(vote_data, consultation=consultations)
                lookup, values = split(values, "subject", "question")
                votes[key] = self.ensure(Vote, {"meeting": meeting, **lookup}, values)

        for data in case["expertises"]:
            values = resolve(data, consultation=consultations, appointing_vote=votes)
            self.ensure(Expertise, *split(values, "consultation", "expert_firm"))

        # In the order of the data: the model numbers motions as they are adopted.
        motions = {}
        for key, data in case["motions"].items():
            values = resolve(data, consultation=consultations, adopting_vote=votes)
            motions[key] = self.ensure(Motion, *split(values, "consultation", "title"))

        responses = {}
        for key, data in case["responses"].items():
            values = resolve(data, consultation=consultations)
            answered = [motions[motion_key] for motion_key in values.pop("motions", [])]
            lookup, values = split(values, "consultation", "received_on", "stance")
            responses[key] = self.ensure(ManagementResponse, lookup, values)
            self.add_missing(responses[key].motions, answered)

        for data in case["demands"]:
            values = resolve(data, consultation=consultations, settled_by=responses)
            self.ensure(Demand, *split(values, "consultation", "text"))

        for data in case["events"]:
            values = resolve(data, consultation=consultations, deployment=deployments)
            owner = "consultation" if values.get("consultation") else "deployment"
            self.ensure(Event, *split(values, owner, "occurred_on", "title"))

        return organisation

    def load_user(self, spec):
        """The account, created with its password only when missing; then its memberships."""
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=spec["username"]).first()
        created = user is None
        if created:
            user = user_model(
                username=spec["username"],
                is_staff=spec["is_staff"],
                is_superuser=spec["is_superuser"],
            )
            user.set_password(spec["password"])
            user.full_clean()
            user.save()
            self.created[user_model] += 1
            self.report(f"  + {user_model._meta.verbose_name} : {user}")
        else:
            self.existing[user_model] += 1
        for slug, role in spec["memberships"]:
            organisation = Organisation.objects.get(slug=slug)
            self.ensure(Membership, {"user": user, "organisation": organisation}, {"role": role})
        return created


class Command(BaseCommand):
    help = (
        "Charge trois cas de démonstration tirés de comptes rendus syndicaux publics "
        "(Teleperformance 2020, Orange 2025, Konecta 2025) et trois comptes. "
        "Une deuxième exécution ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger même quand DEBUG est désactivé (à éviter en production).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo refuse de s'exécuter quand DEBUG est désactivé : ces données de "
                "démonstration et leurs mots de passe connus n'ont rien à faire en production. "
                "Relancez avec --force si c'est bien voulu."
            )
        verbosity = options["verbosity"]
        loader = DemoLoader(report=self.stdout.write if verbosity >= 2 else lambda line: None)
        with transaction.atomic():
            for case in demo_data.CASES:
                if verbosity >= 2:
                    self.stdout.write(case["label"])
                loader.load_case(case)
            accounts = [(spec, loader.load_user(spec)) for spec in demo_data.USERS]
        if verbosity >= 1:
            self.write_summary(loader, accounts)

    def write_summary(self, loader, accounts):
        labels = " ; ".join(case["label"] for case in demo_data.CASES)
        self.stdout.write(f"Données de démonstration : {labels}.")
        total = sum(loader.created.values())
        if total:
            details = ", ".join(
                f"{count} {model_label(model, count)}" for model, count in loader.created.items()
            )
            self.stdout.write(self.style.SUCCESS(f"Créés : {total} ({details})."))
        else:
            self.stdout.write(self.style.SUCCESS("Rien à créer : tout était déjà chargé."))
        existing = sum(loader.existing.values())
        if existing:
            self.stdout.write(f"Déjà présents, laissés tels quels : {existing}.")
        self.stdout.write("Comptes :")
        for spec, created in accounts:
            password = f"mot de passe {spec['password']}" if created else "mot de passe inchangé"
            self.stdout.write(f"  {spec['username']} ({spec['description']}) : {password}")

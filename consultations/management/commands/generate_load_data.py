"""Generate a large, realistic dataset for the performance benchmarks (bench/pages.py).

    python manage.py generate_load_data [--scale 1] [--seed 2025] [--append] [--force]

At scale 1: 100 organisations (a federation's companies, from a 60-employee firm with one CSE to
groups with a central CSE, establishment CSEs and their CSSCTs), 2,000 consultations on about
1,000 AI systems, with their meetings, votes, expertises, clock stops, motions, answers, demands,
documents and events, dated over the last five years so that every clock state occurs. Over
10,000 timeline entries and 2,000 motions; one public consultation has 40 motions. Fractions of
the scale (0.01, 0.05) make small datasets for the tests and for the benchmark's query counts.

Everything is written with bulk_create (and the audit history with bulk_history_create) in one
transaction, so signals do not run: motion numbers are assigned here (per body and year, in the
order of adoption) and the computed dates of the new consultations are refreshed at the end with
Consultation.refresh_calendar(). A sample of each model is then checked with full_clean().

It also creates two accounts, password "bench-password": ``bench-admin`` (superuser) and
``bench-editor`` (editor of every generated organisation).
"""

import random
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from consultations.models import (
    AIFunction,
    Body,
    ClockStop,
    Consultation,
    Demand,
    Deployment,
    Document,
    Event,
    Expertise,
    LegalBasis,
    ManagementResponse,
    Meeting,
    Membership,
    Motion,
    Organisation,
    RiskTier,
    Vote,
)
from consultations.models.deployment import (
    AIActRole,
    AnnexIII,
    Art50Duty,
    DPIAStatus,
    EmotionInput,
    EmotionSubject,
    GDPRBasis,
    RecordingMode,
    TransferSafeguard,
)
from consultations.rules.deadlines import consultation_deadline, is_working_day
from consultations.timeline import rebuild_timeline

ORGANISATIONS = 100  # at scale 1
CONSULTATIONS = 2000  # at scale 1, the 40-motion consultation included
BIG_CONSULTATION_MOTIONS = 40
BENCH_PASSWORD = "bench-password"
BENCH_ADMIN = "bench-admin"
BENCH_EDITOR = "bench-editor"
YEARS_BACK = 5
SAMPLE_PER_MODEL = 5

# --- Words ------------------------------------------------------------------------------------

SECTORS = [
    "Téléservices",
    "Assurances",
    "Mutuelle",
    "Banque",
    "Transports",
    "Logistique",
    "Énergie",
    "Cliniques",
    "Distribution",
    "Télécom",
    "Industries",
    "Aéronautique",
    "Hôtellerie",
    "Propreté",
    "Restauration collective",
    "Édition",
]
REGIONS = [
    "du Rhône",
    "de l'Ouest",
    "Atlantique",
    "Méditerranée",
    "du Nord",
    "Grand Est",
    "d'Île-de-France",
    "Occitanie",
    "des Alpes",
    "de Bretagne",
    "Normandie",
    "Centre-Val de Loire",
    "de Provence",
    "Aquitaine",
]
FORMS = ["", " SAS", " SA", " Groupe", " France", " Services"]
CITIES = [
    "Lyon",
    "Villeurbanne",
    "Nantes",
    "Lille",
    "Roubaix",
    "Marseille",
    "Toulouse",
    "Bordeaux",
    "Rennes",
    "Strasbourg",
    "Montpellier",
    "Grenoble",
    "Saint-Étienne",
    "Le Mans",
    "Orléans",
    "Amiens",
    "Poitiers",
    "Niort",
    "Dijon",
    "Clermont-Ferrand",
]
PRODUCTS = [
    ("VoxInsight", "Parlance Analytics", ["transcription", "scoring", "emotion_recognition"]),
    ("CoachLive", "Parlance Analytics", ["real_time_guidance", "transcription"]),
    ("Perfo360", "Talentia Data", ["scoring"]),
    ("PlanIA", "Optimea", ["task_allocation"]),
    ("RouteMaster", "Optimea", ["task_allocation", "geolocation"]),
    ("TrackFleet", "Géomobile", ["geolocation"]),
    ("AssistRédac", "Scriptura", ["generation"]),
    ("Copilote Bureau", "Nuvola Software", ["generation", "transcription"]),
    ("TriCV", "RecrutIA", ["scoring", "automation"]),
    ("AutoCompta", "Numéra", ["automation"]),
    ("CallScore", "Ecoute+", ["scoring", "transcription"]),
    ("EmoSense", "Affectiva Labs", ["emotion_recognition", "scoring"]),
    ("ChatClient", "Dialogue Cloud", ["generation", "automation"]),
    ("Vision Qualité", "Optivision", ["scoring", "other"]),
    ("Badge+", "Sécuritas Data", ["geolocation", "other"]),
    ("Résumé d'appels", "Dialogue Cloud", ["transcription", "generation"]),
]
FUNCTION_PHRASES = {
    "transcription": "la transcription des appels",
    "scoring": "la notation des salariés",
    "emotion_recognition": "l'analyse des émotions dans la voix",
    "real_time_guidance": "les consignes en temps réel à l'écran",
    "task_allocation": "la répartition automatique des tâches",
    "automation": "l'automatisation de tâches aujourd'hui faites par des salariés",
    "geolocation": "la géolocalisation des salariés",
    "generation": "la génération de textes et de courriers",
    "other": "l'analyse des données d'activité",
}
PROJECT_WORDS = ["Projet", "Déploiement", "Extension", "Expérimentation", "Généralisation"]
EXPERT_FIRMS = [
    "Cabinet Travail & Technologies",
    "Expertises Sociales Associées",
    "Atelier Santé Travail",
    "Cabinet Horizon Social",
    "Numérique & Travail Conseil",
    "Sémaphore Expertise",
    "Cabinet Parallèles",
    "Cabinet Lumen",
]
CONSIDERANTS = [
    "que l'information remise au CSE ne permet pas d'apprécier les effets du projet sur les "
    "conditions de travail (L2312-15) ;",
    "que la reconnaissance des émotions des salariés sur le lieu de travail est interdite "
    "depuis le 2 février 2025 (AI Act, art. 5(1)(f)) ;",
    "que l'analyse d'impact n'a pas été communiquée aux élus, alors que la CNIL l'exige pour "
    "la surveillance constante de l'activité des salariés ;",
    "que les salariés n'ont pas été informés préalablement du dispositif (L1222-4) ;",
    "que l'expert désigné par le CSE n'a pas reçu les documents demandés dans les délais ;",
    "que la direction a commencé le déploiement avant l'avis du CSE, ce qui peut caractériser "
    "un délit d'entrave (L2317-1) ;",
    "qu'aucune évaluation des risques psychosociaux n'a été menée avant le projet (L4121-1) ;",
    "que les scores produits par l'outil pourraient fonder des sanctions ou des primes ;",
]
DEMANDS = [
    "L'arrêt de l'expérimentation tant que le CSE n'a pas rendu son avis.",
    "La communication de l'analyse d'impact et du contrat conclu avec le fournisseur.",
    "La garantie écrite qu'aucune sanction ne sera fondée sur les scores de l'outil.",
    "Une ligne non enregistrée pour les représentants du personnel.",
    "La limitation de la conservation des enregistrements à six mois.",
    "Une formation de deux jours pour chaque salarié concerné, sur le temps de travail.",
    "Une expérimentation sur la base du volontariat.",
    "Un comité de suivi paritaire du déploiement.",
    "Le suivi du projet par la CSSCT de chaque site.",
]
SUMMARIES = [
    "La direction présente au {body} le {project} {name} ({vendor}), qui porte sur {phrase}. "
    "Les élus demandent des précisions sur les données collectées, leur durée de conservation "
    "et l'usage qui en sera fait dans l'évaluation des salariés.",
    "Le {project} {name} doit concerner {workers} salariés. Les élus s'inquiètent de {phrase} "
    "et de la charge de travail qui en résultera ; ils ont obtenu une présentation détaillée "
    "du fonctionnement de l'outil.",
    "Après la remise de la note d'information sur {name}, le {body} a interrogé la direction sur "
    "{phrase}, sur l'analyse d'impact et sur la formation prévue pour les équipes.",
]
MOTION_TOPICS = [
    ("Conditions de travail", "les conditions de travail des équipes concernées"),
    ("Données personnelles", "la collecte et la conservation des données des salariés"),
    ("Formation", "la formation des salariés à l'outil et à ses limites"),
    ("Emploi", "les effets du projet sur l'emploi et les qualifications"),
    ("Évaluation des salariés", "l'utilisation des scores dans l'évaluation individuelle"),
    ("Information des salariés", "l'information préalable des salariés (L1222-4)"),
    ("Expertise", "les conditions dans lesquelles l'expert a pu mener sa mission"),
    ("Risques psychosociaux", "les risques psychosociaux liés au projet"),
]
EVENT_TEXTS = {
    Event.Kind.STRIKE: (
        "Grève des salariés de {city} contre {name}",
        "Débrayage à l'appel de l'intersyndicale : les salariés refusent {phrase}.",
    ),
    Event.Kind.PRESS: (
        "Article de presse sur {name}",
        "La presse régionale rapporte les inquiétudes des élus sur {phrase}.",
    ),
    Event.Kind.LABOUR_INSPECTOR: (
        "Saisine de l'inspection du travail",
        "Les élus saisissent l'inspection du travail : {name} a été mis en place avant l'avis.",
    ),
    Event.Kind.COURT: (
        "Audience au tribunal judiciaire",
        "La direction conteste l'expertise votée par le CSE (L2315-86).",
    ),
    Event.Kind.GO_LIVE: (
        "Mise en service de {name}",
        "L'outil est mis en service sur le site de {city}.",
    ),
}


def siren_with_key(eight_digits: str) -> str:
    """A valid SIREN: eight digits and their Luhn check digit."""
    for key in "0123456789":
        candidate = eight_digits + key
        total = 0
        for position, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if position % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def working_day(day: date, *, forward=True) -> date:
    step = timedelta(days=1 if forward else -1)
    while not is_working_day(day):
        day += step
    return day


def aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock_time(hour, 0)))


# --- The generator -----------------------------------------------------------------------------


class Generator:
    """Builds the whole object graph in memory (plain unsaved instances), then saves it model by
    model in dependency order: bulk_create sets the primary keys, and Django copies them to the
    foreign keys of the instances that point to them."""

    def __init__(self, *, rng, scale, today, user):
        self.rng = rng
        self.scale = scale
        self.today = today
        self.user = user
        self.objects = defaultdict(list)  # model -> instances, in creation order
        self.meeting_links = []  # (meeting, consultation)
        self.linked = set()  # (id(meeting), id(consultation)) already in meeting_links
        self.response_links = []  # (response, motion)
        # Unsaved instances cannot be hashed: the dictionaries are keyed by id(instance).
        self.meetings = {}  # (id(body), date) -> meeting
        self.schedule = {}  # id(body) -> (week of month, weekday) of its ordinary meetings
        self.history_dates = {}  # id(instance) -> date of the fact
        self.motion_order = 0

    # Helpers -----------------------------------------------------------------------------------

    def add(self, instance, on=None):
        self.objects[type(instance)].append(instance)
        if on is not None:
            self.history_dates[id(instance)] = min(on, self.today)
        return instance

    def chance(self, probability):
        return self.rng.random() < probability

    def between(self, start, end):
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def ordinary_meeting_on_or_after(self, body, day):
        """The body's monthly ordinary meeting (e.g. the second Thursday) on or after ``day``."""
        week, weekday = self.schedule[id(body)]
        month = date(day.year, day.month, 1)
        while True:
            first = month + timedelta(days=(weekday - month.weekday()) % 7)
            meeting_day = working_day(first + timedelta(weeks=week))
            if meeting_day >= day:
                return meeting_day
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)

    def meeting(self, body, day, *, consultation, extraordinary=False):
        """The body's meeting of that day, created when missing, with the consultation on its
        agenda."""
        key = (id(body), day)
        meeting = self.meetings.get(key)
        if meeting is None:
            central = body.kind == Body.Kind.CSE_CENTRAL
            notice = self.rng.randint(8, 12) if central else self.rng.randint(3, 7)
            held = day <= self.today
            sent = day - timedelta(days=notice)
            meeting = Meeting(
                body=body,
                held_on=day,
                starts_at=clock_time(self.rng.choice([9, 10, 14]), self.rng.choice([0, 30])),
                kind=Meeting.Kind.EXTRAORDINARY if extraordinary else Meeting.Kind.ORDINARY,
                place=f"Salle du conseil, {self.rng.choice(CITIES)}",
                agenda="",
                # Recorded once sent (Meeting.clean): not yet for a meeting called later on.
                agenda_sent_on=sent if sent <= self.today else None,
            )
            if held and day + timedelta(days=15) <= self.today and self.chance(0.85):
                meeting.minutes_sent_on = day + timedelta(days=self.rng.randint(5, 15))
                if meeting.minutes_sent_on + timedelta(days=20) <= self.today:
                    meeting.minutes_adopted_on = meeting.minutes_sent_on + timedelta(
                        days=self.rng.randint(10, 35)
                    )
            self.meetings[key] = self.add(meeting, on=sent)
        link = (id(meeting), id(consultation))
        if consultation is not None and link not in self.linked:
            self.linked.add(link)
            number = meeting.agenda.count("\n") + 2 if meeting.agenda else 1
            line = f"{number}. Information-consultation : {consultation.title}"
            meeting.agenda = f"{meeting.agenda}\n{line}" if meeting.agenda else line
            self.meeting_links.append((meeting, consultation))
        return meeting

    def vote(self, meeting, consultation, subject, question, *, adopted=True):
        seats = meeting.body.seats
        present = self.rng.randint(max(1, (seats * 6) // 10), seats)
        if adopted:
            votes_for = (
                present if self.chance(0.45) else self.rng.randint(present // 2 + 1, present)
            )
        else:
            votes_for = self.rng.randint(0, present // 2)
        rest = present - votes_for
        against = self.rng.randint(0, rest)
        abstain = self.rng.randint(0, rest - against)
        blank = self.rng.randint(0, rest - against - abstain)
        return self.add(
            Vote(
                meeting=meeting,
                consultation=consultation,
                subject=subject,
                question=question,
                votes_for=votes_for,
                votes_against=against,
                abstentions=abstain,
                blank_votes=blank,
                voting_members_present=present,
                secret_ballot=subject == Vote.Subject.APPOINT_EXPERT and self.chance(0.2),
            ),
            on=meeting.held_on,
        )

    def motion_text(self, subject):
        considerants = self.rng.sample(CONSIDERANTS, k=self.rng.randint(2, 4))
        demands = self.rng.sample(DEMANDS, k=self.rng.randint(2, 3))
        return "\n".join(
            [
                f"Le CSE, réuni en séance, a examiné le projet de la direction au regard de "
                f"{subject}.",
                "",
                "## Considérant",
                "",
                *[f"- {item}" for item in considerants],
                "",
                "## Le CSE demande",
                "",
                *[f"{index}. {item}" for index, item in enumerate(demands, start=1)],
                "",
                "Le CSE demande une réponse motivée à la prochaine réunion (L2315-34).",
            ]
        )

    def motion(self, consultation, vote, kind, title, *, published):
        self.motion_order += 1
        motion = Motion(
            consultation=consultation,
            body=vote.meeting.body if vote else consultation.body,
            adopting_vote=vote,
            kind=kind,
            title=title,
            text=self.motion_text(title.lower()),
            adopted_on=vote.meeting.held_on if vote else None,
            published=published,
        )
        motion.text_html = Motion.render_text(motion.text)  # as save() would (bulk_create)
        motion._order = self.motion_order
        return self.add(motion, on=motion.adopted_on or consultation.information_received_on)

    # Organisations, bodies, systems ------------------------------------------------------------

    def organisations(self, count, taken_slugs):
        names = [f"{sector} {region}" for sector in SECTORS for region in REGIONS]
        self.rng.shuffle(names)
        organisations = []
        for index in range(count):
            base = names[index % len(names)] + self.rng.choice(FORMS)
            if index >= len(names):
                base += f" {index // len(names) + 1}"
            slug = slugify(base)[:190]
            suffix = 2
            while slug in taken_slugs:
                slug = f"{slugify(base)[:180]}-{suffix}"
                suffix += 1
            taken_slugs.add(slug)
            size = "large" if index == 0 else "medium" if index == 1 else None
            size = size or self.rng.choices(["small", "medium", "large"], [3, 4, 3])[0]
            headcount = {
                "small": self.rng.randint(55, 290),
                "medium": self.rng.randint(300, 2500),
                "large": self.rng.randint(2500, 40000),
            }[size]
            organisation = Organisation(
                name=base,
                slug=slug,
                siren=siren_with_key(f"{self.rng.randint(0, 99999999):08d}")
                if self.chance(0.8)
                else "",
                headcount=headcount,
                notes="Organisation générée pour les mesures de performance.",
            )
            organisation._size = size
            organisations.append(self.add(organisation, on=self.today - timedelta(days=1900)))
        return organisations

    def body(self, organisation, kind, name, seats, parent=None):
        body = Body(
            organisation=organisation,
            kind=kind,
            name=name,
            parent=parent,
            seats=seats,
            secretary_title=self.rng.choice(["La secrétaire du CSE", "Le secrétaire du CSE"])
            if kind != Body.Kind.CSSCT
            else "",
        )
        if kind != Body.Kind.CSSCT and self.chance(0.15):
            body.agreed_days_without_expert = self.rng.choice([21, 30, 45])
            body.agreed_days_with_expert = self.rng.choice([45, 60, 75])
        self.schedule[id(body)] = (self.rng.randint(0, 2), self.rng.randint(1, 3))
        return self.add(body, on=self.today - timedelta(days=1900))

    def bodies(self, organisation):
        """The bodies that give opinions; CSSCTs are attached as ``body._cssct``."""
        name = organisation.name
        size = organisation._size
        if size == "small":
            cse = self.body(organisation, Body.Kind.CSE, f"CSE de {name}", self.rng.randint(3, 8))
            cse._cssct = None
            return [cse]
        if size == "medium":
            cse = self.body(organisation, Body.Kind.CSE, f"CSE de {name}", self.rng.randint(8, 15))
            cse._cssct = self.body(
                organisation, Body.Kind.CSSCT, f"CSSCT du CSE de {name}", 4, parent=cse
            )
            return [cse]
        central = self.body(
            organisation, Body.Kind.CSE_CENTRAL, f"CSE central de {name}", self.rng.randint(15, 25)
        )
        central._cssct = None
        bodies = [central]
        for city in self.rng.sample(CITIES, k=self.rng.randint(2, 5)):
            establishment = self.body(
                organisation,
                Body.Kind.CSE_ESTABLISHMENT,
                f"CSE de l'établissement de {city} ({name})",
                self.rng.randint(8, 20),
                parent=central,
            )
            establishment._city = city
            establishment._cssct = self.body(
                organisation,
                Body.Kind.CSSCT,
                f"CSSCT de l'établissement de {city} ({name})",
                self.rng.randint(3, 6),
                parent=establishment,
            )
            bodies.append(establishment)
        return bodies

    def deployment(self, organisation, taken_names):
        product, vendor, functions = self.rng.choice(PRODUCTS)
        name = product
        version = 2
        while name in taken_names:
            name = f"{product} v{version}"
            version += 1
        taken_names.add(name)
        functions = list(functions)
        extra = self.rng.choice([code for code in AIFunction.values if code not in functions])
        if self.chance(0.25):
            functions.append(extra)
        emotion = "emotion_recognition" in functions
        deployment = Deployment(
            organisation=organisation,
            name=name,
            vendor=vendor,
            description=(
                f"{name}, fourni par {vendor}, porte sur "
                + ", ".join(FUNCTION_PHRASES[code] for code in functions)
                + ". Le système traite les données d'activité des salariés concernés."
            ),
            functions=functions,
            workers_affected=self.rng.choice([None, self.rng.randint(15, 3000)]),
            sites=", ".join(self.rng.sample(CITIES, k=self.rng.randint(1, 3))),
            ai_act_role=self.rng.choice([AIActRole.DEPLOYER] * 4 + [AIActRole.UNKNOWN]),
            controller=organisation.name,
            processors=vendor,
            gdpr_legal_basis=self.rng.choice(GDPRBasis.values),
            recording_mode=self.rng.choice(RecordingMode.values),
            data_location=self.rng.choice(["France", "Irlande", "Allemagne", "États-Unis", ""]),
            art22_automated_decision="automation" in functions and self.chance(0.3),
            instructions_received=self.chance(0.5),
            oversight_person=self.rng.choice(
                ["", "Responsable qualité", "Direction des opérations"]
            ),
        )
        if emotion:
            deployment.emotion_subject = self.rng.choice(
                [EmotionSubject.WORKERS, EmotionSubject.CUSTOMERS, EmotionSubject.BOTH]
            )
            deployment.emotion_input = self.rng.choice(EmotionInput.values[1:])
            deployment.art50_duties = [Art50Duty.EMOTION_NOTICE]
        if (
            emotion
            and deployment.emotion_subject != EmotionSubject.CUSTOMERS
            and deployment.emotion_input == EmotionInput.BIOMETRIC
        ):
            deployment.risk_tier = RiskTier.PROHIBITED
            deployment.annex_iii = AnnexIII.EMOTION_RECOGNITION
        elif {"scoring", "task_allocation"} & set(functions):
            deployment.risk_tier, deployment.annex_iii = RiskTier.HIGH, AnnexIII.WORK_DECISIONS
        elif "generation" in functions:
            deployment.risk_tier, deployment.annex_iii = RiskTier.TRANSPARENCY, AnnexIII.NONE
            deployment.art50_duties = [Art50Duty.AI_INTERACTION]
        else:
            deployment.risk_tier = self.rng.choice([RiskTier.MINIMAL, RiskTier.UNKNOWN])
        deployment.dpia_status = self.rng.choice(DPIAStatus.values)
        if deployment.dpia_status == DPIAStatus.NOT_REQUIRED:
            deployment.dpia_not_required_reason = "Selon la direction, pas de traitement à risque."
        elif deployment.dpia_status == DPIAStatus.DONE:
            # Dated, as Deployment.clean asks (LEGAL.md (d)); most are dated again before their
            # first consultation's information (side_records).
            deployment.dpia_on = self.information_date()
        if self.chance(0.4):
            deployment.retention_recordings_months = self.rng.choice([3, 6, 12, 24])
            deployment.retention_analysis_months = self.rng.choice([6, 12, 36])
            deployment.log_retention_months = self.rng.choice([3, 6, 12])
        if self.chance(0.2):
            deployment.transfers_outside_eu = True
            deployment.transfer_countries = self.rng.choice(["États-Unis", "Inde", "Maroc"])
            deployment.transfer_safeguard = self.rng.choice(TransferSafeguard.values)
        deployment._functions = functions
        return self.add(deployment)

    # Consultations -------------------------------------------------------------------------------

    def information_date(self):
        """T0, more often recent than old (AI projects are multiplying)."""
        days_ago = int((self.rng.random() ** 1.6) * YEARS_BACK * 365) + 3
        return working_day(self.today - timedelta(days=days_ago), forward=False)

    def consultation(self, body, deployment, *, public=None, big=False):
        rng = self.rng
        phrase = FUNCTION_PHRASES[deployment._functions[0]]
        project = rng.choice(PROJECT_WORDS)
        site = f" à {body._city}" if getattr(body, "_city", None) else ""
        started = big or self.chance(0.98)
        t0 = self.information_date() if started else None
        if big:
            t0 = working_day(self.today - timedelta(days=200), forward=False)
        consultation = Consultation(
            body=body,
            deployment=deployment,
            title=f"{project} de {deployment.name}{site} : {phrase}",
            legal_bases=rng.choice(
                [
                    [LegalBasis.NEW_TECHNOLOGY],
                    [LegalBasis.NEW_TECHNOLOGY, LegalBasis.MONITORING],
                    [LegalBasis.MONITORING],
                    [LegalBasis.NEW_TECHNOLOGY, LegalBasis.AUTOMATED_HR],
                ]
            ),
            information_received_on=t0,
            two_level=body.kind in (Body.Kind.CSE_CENTRAL, Body.Kind.CSE_ESTABLISHMENT)
            and self.chance(0.3),
            summary=rng.choice(SUMMARIES).format(
                body=body.get_kind_display(),
                project=project.lower(),
                name=deployment.name,
                vendor=deployment.vendor,
                phrase=phrase,
                workers=deployment.workers_affected or "plusieurs centaines de",
            ),
            internal_notes=rng.choice(
                ["", "", "Relancer la direction sur l'analyse d'impact.", "Voir avec l'expert."]
            ),
        )
        self.add(consultation, on=t0 or self.today - timedelta(days=rng.randint(1, 30)))
        if not started:
            # Announced, information not yet given: a planned meeting at most.
            self.meeting(
                body,
                self.ordinary_meeting_on_or_after(body, self.today + timedelta(days=3)),
                consultation=consultation,
            )
            consultation.visibility = Consultation.Visibility.INTERNAL
            return consultation
        self.story(consultation, big=big)
        if public is None:
            finished = bool(consultation.opinion)
            public = self.chance(0.36 if finished else 0.12)
        consultation.visibility = (
            Consultation.Visibility.PUBLIC if public else Consultation.Visibility.INTERNAL
        )
        for motion in consultation._motions:
            motion.published = bool(motion.adopted_on) and self.chance(0.85 if public else 0.3)
        return consultation

    def story(self, consultation, *, big=False):
        """What happened to the consultation, in the order of the law, up to today."""
        rng, today = self.rng, self.today
        body = consultation.body
        t0 = consultation.information_received_on
        consultation._motions = []
        first_day = working_day(t0 + timedelta(days=rng.randint(3, 12)))
        if self.chance(0.3):
            first = self.meeting(body, first_day, consultation=consultation, extraordinary=True)
        else:
            first = self.meeting(
                body, self.ordinary_meeting_on_or_after(body, first_day), consultation=consultation
            )
        self.add(
            Document(
                consultation=consultation,
                kind=Document.Kind.INFORMATION_NOTE,
                title=f"Note d'information sur {consultation.deployment.name}",
                dated_on=t0,
            ),
            on=t0,
        )
        # The expert (L2315-94), voted at the first meeting if it has taken place.
        expertise = None
        stops = []
        if first.held_on <= today and (big or self.chance(0.35)):
            vote = self.vote(
                first,
                consultation,
                Vote.Subject.APPOINT_EXPERT,
                "Le CSE décide de recourir à un expert habilité (L2315-94 2°).",
            )
            # Steps are recorded once they happen (Expertise.clean): never after today.
            designated = min(first.held_on + timedelta(days=rng.randint(0, 2)), today)
            expertise = Expertise(
                consultation=consultation,
                ground=Expertise.Ground.SERIOUS_RISK
                if self.chance(0.1)
                else Expertise.Ground.NEW_TECHNOLOGY,
                expert_firm=rng.choice(EXPERT_FIRMS),
                appointing_vote=vote,
                designated_on=designated,
                # Both conditions of the employer's 100 % (L2315-80), or neither.
                budget_insufficient=(insufficient := self.chance(0.1)),
                no_surplus_transferred=insufficient,
            )
            requested = designated + timedelta(days=rng.randint(1, 3))
            if requested <= today:
                expertise.information_requested_on = requested
                expertise.spec_notified_on = requested
                received = requested + timedelta(days=rng.randint(3, 14))
                if received <= today:
                    expertise.information_received_on = received
            cost = designated + timedelta(days=rng.randint(4, 10))
            if cost <= today:
                expertise.cost_notified_on = cost
                expertise.estimated_cost = Decimal(rng.randrange(12000, 80000, 500))
            contested = designated + timedelta(days=rng.randint(3, 10))
            if not big and contested <= today and self.chance(0.1):
                expertise.contested_on = contested
                judgment = contested + timedelta(days=rng.randint(10, 35))
                if judgment <= today:
                    expertise.judgment_on = judgment
                    expertise.contest_outcome = rng.choice(
                        Expertise.ContestOutcome.values[1:] + ["rejected", "rejected"]
                    )
                stops.append(
                    ClockStop(
                        consultation=consultation,
                        starts_on=contested,
                        ends_on=min(judgment, today),
                        reason=ClockStop.Reason.EXPERTISE_CONTESTED,
                        note="La direction conteste l'expertise devant le tribunal judiciaire.",
                    )
                )
                self.event(consultation, Event.Kind.COURT, contested + timedelta(days=7))
            self.add(expertise, on=designated)
        if not stops and t0 + timedelta(days=20) <= today and self.chance(0.03):
            start = t0 + timedelta(days=rng.randint(10, 20))
            stops.append(
                ClockStop(
                    consultation=consultation,
                    starts_on=start,
                    ends_on=min(start + timedelta(days=rng.randint(7, 30)), today),
                    reason=rng.choice(
                        [ClockStop.Reason.AGREEMENT, ClockStop.Reason.JUDGE_EXTENSION]
                    ),
                    note="Suspension convenue pendant la remise d'informations complémentaires.",
                )
            )
        for stop in stops:
            self.add(stop, on=stop.starts_on)
        deadline = consultation_deadline(
            t0,
            expert=expertise is not None,
            two_level=consultation.two_level,
            agreed_days=body.agreed_days(expert=expertise is not None),
            clock_stops=[(stop.starts_on, stop.ends_on) for stop in stops],
        ).date
        consultation._deadline = deadline
        if expertise:
            self.expert_report(expertise, deadline)

        # The CSSCT prepares the council's work (never votes an opinion).
        cssct = getattr(body, "_cssct", None)
        middle = first.held_on + (deadline - first.held_on) / 2
        if cssct and middle <= today and self.chance(0.4):
            self.meeting(cssct, working_day(middle), consultation=consultation)

        # The opinion meeting, shortly before the deadline.
        opinion_day = working_day(deadline - timedelta(days=rng.randint(0, 12)), forward=False)
        opinion_day = max(opinion_day, first.held_on)
        if big:
            self.big_motions(consultation, first, opinion_day)
        if not big and (opinion_day > today or consultation.two_level and self.chance(0.1)):
            # Still running (or recorded by the establishments only): planned meeting, if any.
            if opinion_day > today and self.chance(0.6):
                self.meeting(body, opinion_day, consultation=consultation)
            if deadline < today and self.chance(0.7):
                consultation.opinion = Consultation.Opinion.DEEMED_NEGATIVE
                consultation.opinion_on = deadline + timedelta(days=1)
            return
        outcome = rng.choices(
            ["given", "deemed", "expired", "withdrawn", "refused"], [84, 7, 3, 3, 3]
        )[0]
        if big:
            outcome = "given"
        if outcome == "withdrawn":
            consultation.status = Consultation.Status.WITHDRAWN
            consultation.internal_notes = "La direction a retiré son projet avant l'avis."
            return
        if outcome == "expired":
            return  # the deadline passed and nobody recorded anything: "avis réputé négatif"
        if outcome == "deemed":
            consultation.opinion = Consultation.Opinion.DEEMED_NEGATIVE
            consultation.opinion_on = deadline + timedelta(days=1)
            return
        meeting = self.meeting(body, opinion_day, consultation=consultation, extraordinary=True)
        if not big:
            for index in range(rng.choices([0, 1, 2, 3], [30, 40, 22, 8])[0]):
                title, subject = rng.choice(MOTION_TOPICS)
                adopted = self.chance(0.95)
                vote = self.vote(
                    meeting,
                    consultation,
                    Vote.Subject.MOTION,
                    f"Adoption de la motion « {title} ».",
                    adopted=adopted,
                )
                motion = self.motion(
                    consultation,
                    vote if adopted else None,
                    rng.choice(
                        [Motion.Kind.MOTION] * 4
                        + [Motion.Kind.RESOLUTION, Motion.Kind.WISH, Motion.Kind.STATEMENT]
                    ),
                    f"{title} : position du CSE" + (f" ({index + 1})" if index else ""),
                    published=True,
                )
                consultation._motions.append(motion)
        consultation.opinion_on = opinion_day
        if outcome == "refused":
            consultation.opinion = Consultation.Opinion.REFUSED_TO_VOTE
            self.vote(
                meeting,
                consultation,
                Vote.Subject.OTHER,
                "Les élus décident de ne pas rendre d'avis en l'état des informations remises.",
            )
        else:
            consultation.opinion = rng.choices(
                [
                    Consultation.Opinion.UNFAVOURABLE,
                    Consultation.Opinion.RESERVATIONS,
                    Consultation.Opinion.FAVOURABLE,
                ],
                [45, 35, 20],
            )[0]
            vote = self.vote(
                meeting,
                consultation,
                Vote.Subject.OPINION,
                f"Le CSE rend un avis {consultation.get_opinion_display().lower()} sur le projet "
                f"{consultation.deployment.name}.",
            )
            if self.chance(0.5):
                consultation._motions.append(
                    self.motion(
                        consultation,
                        vote,
                        Motion.Kind.OPINION,
                        f"Avis du CSE sur {consultation.deployment.name}",
                        published=True,
                    )
                )
        if self.chance(0.5) and meeting.minutes_sent_on:
            self.add(
                Document(
                    consultation=consultation,
                    kind=Document.Kind.MINUTES,
                    title=f"Procès-verbal de la réunion du {opinion_day:%d/%m/%Y}",
                    dated_on=meeting.minutes_sent_on,
                ),
                on=meeting.minutes_sent_on,
            )
        self.answer(consultation, opinion_day)

    def expert_report(self, expertise, deadline):
        rng, today = self.rng, self.today
        delivered = deadline - timedelta(days=rng.randint(15, 25))
        delivered = max(delivered, expertise.designated_on + timedelta(days=10))
        if delivered > today or expertise.contest_outcome == "annulled":
            return
        expertise.report_delivered_on = delivered
        presented = delivered + timedelta(days=rng.randint(5, 12))
        if presented <= today:
            expertise.report_presented_on = presented
        expertise.findings = (
            "L'expert relève que les salariés n'ont pas été associés au projet et que les données "
            "collectées dépassent ce qui est nécessaire à la finalité annoncée."
        )
        if self.chance(0.3):
            expertise.obstacles = "Les documents demandés ont été remis tardivement et en partie."
        if deadline + timedelta(days=30) <= today:
            expertise.final_cost = (expertise.estimated_cost or Decimal(30000)) * Decimal("1.05")
            expertise.final_cost_notified_on = deadline + timedelta(days=rng.randint(10, 30))
        self.add(
            Document(
                consultation=expertise.consultation,
                kind=Document.Kind.EXPERT_REPORT,
                title=f"Rapport de {expertise.expert_firm}",
                dated_on=delivered,
            ),
            on=delivered,
        )

    def big_motions(self, consultation, first, opinion_day):
        """The consultation with many motions: five adopted at each of eight meetings, spread
        between the first meeting and the opinion."""
        body = consultation.body
        meetings = BIG_CONSULTATION_MOTIONS // 5
        span = (opinion_day - first.held_on).days
        for index in range(BIG_CONSULTATION_MOTIONS):
            if index % 5 == 0:
                step = index // 5
                day = first.held_on + timedelta(days=span * step // meetings)
                meeting = self.meeting(
                    body,
                    working_day(day, forward=False),
                    consultation=consultation,
                    extraordinary=step > 0,
                )
            title, _subject = MOTION_TOPICS[index % len(MOTION_TOPICS)]
            vote = self.vote(
                meeting, consultation, Vote.Subject.MOTION, f"Adoption de la motion « {title} »."
            )
            consultation._motions.append(
                self.motion(
                    consultation,
                    vote,
                    Motion.Kind.MOTION,
                    f"{title} : position du CSE ({index // len(MOTION_TOPICS) + 1})",
                    published=True,
                )
            )

    def answer(self, consultation, opinion_day):
        """Management's reasoned answer, usually at the next meeting; the demands it settles."""
        rng, today = self.rng, self.today
        body = consultation.body
        next_meeting = self.ordinary_meeting_on_or_after(body, opinion_day + timedelta(days=1))
        if next_meeting <= today or self.chance(0.5):
            self.meeting(body, next_meeting, consultation=consultation)
        response = None
        kind = rng.choices(["answer", "no_answer", "none"], [76, 5, 19])[0]
        if kind != "none":
            at_meeting = self.chance(0.6)
            received = (
                next_meeting if at_meeting else opinion_day + timedelta(days=rng.randint(7, 40))
            )
            if received <= today:
                stance = (
                    ManagementResponse.Stance.NO_ANSWER
                    if kind == "no_answer"
                    else rng.choices(
                        [
                            ManagementResponse.Stance.REJECTS,
                            ManagementResponse.Stance.PARTLY,
                            ManagementResponse.Stance.ACCEPTS,
                        ],
                        [45, 40, 15],
                    )[0]
                )
                response = self.add(
                    ManagementResponse(
                        consultation=consultation,
                        received_on=received,
                        channel=ManagementResponse.Channel.MEETING
                        if at_meeting
                        else rng.choice(
                            [ManagementResponse.Channel.LETTER, ManagementResponse.Channel.EMAIL]
                        ),
                        stance=stance,
                        text=rng.choice(
                            [
                                "La direction maintient son projet et rappelle que l'outil "
                                "n'a pas vocation à évaluer les salariés.",
                                "La direction accepte de limiter la conservation des données "
                                "et de former les équipes, mais maintient le calendrier.",
                                "La direction suspend la fonction contestée et propose un "
                                "comité de suivi.",
                                "",
                            ]
                        ),
                    ),
                    on=received,
                )
                for motion in consultation._motions:
                    if motion.adopted_on and self.chance(0.7):
                        self.response_links.append((response, motion))
                if consultation.opinion != Consultation.Opinion.REFUSED_TO_VOTE and self.chance(
                    0.6
                ):
                    consultation.status = Consultation.Status.CLOSED
        if self.chance(0.35):
            for text in rng.sample(DEMANDS, k=rng.randint(1, 4)):
                status = Demand.Status.PENDING
                settled = None
                if response and response.stance != ManagementResponse.Stance.NO_ANSWER:
                    status = rng.choice(
                        [Demand.Status.WON, Demand.Status.PARTLY, Demand.Status.REFUSED]
                    )
                    settled = response
                self.add(
                    Demand(consultation=consultation, text=text, status=status, settled_by=settled),
                    on=opinion_day,
                )
        if self.chance(0.1):
            self.add(
                Document(
                    consultation=consultation,
                    kind=Document.Kind.TRACT,
                    title="Tract de l'intersyndicale aux salariés",
                    dated_on=opinion_day + timedelta(days=2),
                ),
                on=opinion_day,
            )

    def event(self, consultation, kind, on):
        if on > self.today:
            return
        title, text = EVENT_TEXTS[kind]
        words = {
            "name": consultation.deployment.name,
            "city": getattr(consultation.body, "_city", None) or self.rng.choice(CITIES),
            "phrase": FUNCTION_PHRASES[consultation.deployment._functions[0]],
        }
        self.add(
            Event(
                consultation=consultation,
                deployment=consultation.deployment,
                occurred_on=on,
                kind=kind,
                title=title.format(**words),
                text=text.format(**words),
                source_url="https://example.org/presse/article" if kind == Event.Kind.PRESS else "",
                public=self.chance(0.7),
            ),
            on=on,
        )

    def side_records(self, consultation):
        """A few documents and events: DPIA, strikes, press, the labour inspector, go-live."""
        rng = self.rng
        t0 = consultation.information_received_on
        if not t0:
            return
        end = min(self.today, getattr(consultation, "_deadline", t0) + timedelta(days=30))
        if self.chance(0.2):
            confidential = self.chance(0.4)
            self.add(
                Document(
                    consultation=consultation,
                    kind=Document.Kind.DPIA,
                    title=f"Analyse d'impact relative à {consultation.deployment.name}",
                    dated_on=self.between(t0, end),
                    confidential=confidential,
                    confidentiality_justification="Secret des affaires invoqué par la direction "
                    "(méthodes du fournisseur)."
                    if confidential
                    else "",
                ),
                on=t0,
            )
        for kind, probability in (
            (Event.Kind.STRIKE, 0.05),
            (Event.Kind.PRESS, 0.09),
            (Event.Kind.LABOUR_INSPECTOR, 0.03),
        ):
            if self.chance(probability):
                self.event(consultation, kind, self.between(t0, end))
        deployment = consultation.deployment
        if not deployment.planned_go_live:
            deployment.planned_go_live = t0 + timedelta(days=rng.randint(60, 180))
            if deployment.planned_go_live <= self.today and self.chance(0.6):
                deployment.actual_go_live = deployment.planned_go_live + timedelta(
                    days=rng.randint(0, 40)
                )
                deployment._go_live_consultation = consultation
            else:
                deployment.actual_go_live = None
                deployment._go_live_consultation = None
            if self.chance(0.5):
                deployment.workers_informed_on = t0 + timedelta(days=rng.randint(10, 90))
            if deployment.dpia_status == DPIAStatus.DONE and self.chance(0.7):
                deployment.dpia_on = t0 - timedelta(days=rng.randint(0, 60))

    # The whole dataset ----------------------------------------------------------------------------

    def build(self, taken_slugs):
        rng = self.rng
        organisation_count = max(2, round(ORGANISATIONS * self.scale))
        consultation_count = max(organisation_count, round(CONSULTATIONS * self.scale))
        organisations = self.organisations(organisation_count, taken_slugs)
        weights = {"small": 1, "medium": 2.5, "large": 6}
        per_organisation = Counter(range(organisation_count))  # one each, then by size
        per_organisation.update(
            rng.choices(
                range(organisation_count),
                [weights[organisation._size] for organisation in organisations],
                k=max(0, consultation_count - organisation_count - 1),  # minus the big one
            )
        )
        if consultation_count == organisation_count:
            per_organisation[0] -= 1  # the big consultation is organisation 0's
        big_done = False
        for index, organisation in enumerate(organisations):
            bodies = self.bodies(organisation)
            count = per_organisation[index]
            names = set()
            deployments = [
                self.deployment(organisation, names) for _ in range(max(1, round(count * 0.5)))
            ]
            count = max(count, 0)
            plans = [(deployment, None) for deployment in deployments]
            plans += [(rng.choice(deployments), None) for _ in range(count - len(plans))]
            plans = plans[:count]
            if not big_done:
                plans.append((deployments[0], "big"))
                big_done = True
            for deployment, special in plans:
                if organisation._size == "large":
                    body = bodies[0] if self.chance(0.4) else rng.choice(bodies[1:])
                else:
                    body = bodies[0]
                consultation = self.consultation(
                    body,
                    deployment,
                    public=True if special == "big" else None,
                    big=special == "big",
                )
                if special == "big":
                    consultation.title = (
                        f"Généralisation de {deployment.name} : quarante motions du CSE"
                    )
                self.side_records(consultation)
        for deployment in self.objects[Deployment]:
            consultation = getattr(deployment, "_go_live_consultation", None)
            if consultation is not None and deployment.actual_go_live:
                self.event(consultation, Event.Kind.GO_LIVE, deployment.actual_go_live)
        self.number_motions()

    def number_motions(self):
        """Numbers per body and calendar year, from 1, in the order of adoption (Motion.save())."""
        adopted = [motion for motion in self.objects[Motion] if motion.adopted_on]
        adopted.sort(key=lambda motion: (id(motion.body), motion.adopted_on, motion._order))
        last = {}
        for motion in adopted:
            key = (id(motion.body), motion.adopted_on.year)
            last[key] = last.get(key, 0) + 1
            motion.year, motion.number = motion.adopted_on.year, last[key]

    # Saving ---------------------------------------------------------------------------------------

    ORDER = [
        Organisation,
        Body,
        Deployment,
        Consultation,
        Meeting,
        Vote,
        Expertise,
        ClockStop,
        Motion,
        ManagementResponse,
        Demand,
        Document,
        Event,
    ]

    def save(self):
        for model in self.ORDER:
            instances = self.objects[model]
            if model is Body:
                # Parents first: central CSE and CSE, then establishments, then CSSCTs.
                for kinds in (
                    (Body.Kind.CSE, Body.Kind.CSE_CENTRAL),
                    (Body.Kind.CSE_ESTABLISHMENT,),
                    (Body.Kind.CSSCT,),
                ):
                    self.bulk(model, [body for body in instances if body.kind in kinds])
            else:
                self.bulk(model, instances)
        through = Meeting.consultations.through
        through.objects.bulk_create(
            [
                through(meeting_id=meeting.pk, consultation_id=consultation.pk)
                for meeting, consultation in dict.fromkeys(self.meeting_links)
            ],
            batch_size=2000,
        )
        through = ManagementResponse.motions.through
        through.objects.bulk_create(
            [
                through(managementresponse_id=response.pk, motion_id=motion.pk)
                for response, motion in dict.fromkeys(self.response_links)
            ],
            batch_size=2000,
        )

    def bulk(self, model, instances):
        if not instances:
            return
        model.objects.bulk_create(instances, batch_size=500)
        for instance in instances:
            instance._history_date = aware(self.history_dates.get(id(instance), self.today))
            instance._history_user = self.user
        model.history.bulk_history_create(instances, batch_size=500)


# --- The command --------------------------------------------------------------------------------


def scale_value(text):
    value = float(text)
    if value <= 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Génère un grand jeu de données réaliste pour les mesures de performance (bench/) : "
        "100 organisations, 2 000 consultations, plus de 10 000 étapes de frise à l'échelle 1, "
        "et les comptes bench-admin et bench-editor (mot de passe « bench-password »)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=scale_value,
            default=1.0,
            help="Multiplicateur des volumes (défaut 1 ; 0.05 pour un petit jeu).",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Graine du hasard (défaut 2025)."
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Ajouter à une base qui contient déjà des consultations.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Générer même quand DEBUG est désactivé (jamais sur une base de production).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "generate_load_data refuse de s'exécuter quand DEBUG est désactivé : ces données "
                "factices et les mots de passe connus des comptes bench-admin et bench-editor "
                "n'ont rien à faire en production. Relancez avec --force si c'est bien voulu."
            )
        existing = Consultation.objects.count()
        if existing and not options["append"]:
            raise CommandError(
                f"La base contient déjà {existing} consultation(s) : generate_load_data refuse de "
                "les mélanger à des données factices. Utilisez une base vide (par exemple "
                "DATABASE_URL=sqlite:////tmp/bench.sqlite3 puis migrate), ou relancez avec "
                "--append pour ajouter le jeu généré à côté des données existantes."
            )
        today = timezone.localdate()
        with transaction.atomic():
            admin, editor = self.accounts()
            generator = Generator(
                rng=random.Random(options["seed"]), scale=options["scale"], today=today, user=editor
            )
            generator.build(taken_slugs=set(Organisation.objects.values_list("slug", flat=True)))
            generator.save()
            Membership.objects.bulk_create(
                [
                    Membership(user=editor, organisation=organisation, role=Membership.Role.EDITOR)
                    for organisation in generator.objects[Organisation]
                ],
                batch_size=500,
            )
            new_ids = [consultation.pk for consultation in generator.objects[Consultation]]
            self.refresh_calendar(new_ids)
            rebuild_timeline(new_ids)
            # The searched texts, which save() and the signals write (bulk_create skips both).
            Consultation.objects.filter(pk__in=new_ids).refresh_search_text()
            Deployment.objects.filter(
                pk__in=[deployment.pk for deployment in generator.objects[Deployment]]
            ).refresh_search_text()
            self.check_sample(generator)
        if connection.vendor == "postgresql":
            # As autovacuum would soon do: the planner's statistics of the new rows, and the
            # visibility map that lets the timeline read a page's ids from its index alone
            # (VACUUM cannot run in a transaction: the tests run this in one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if options["verbosity"] >= 1:
            self.report(generator, new_ids, time.perf_counter() - started)

    def accounts(self):
        user_model = get_user_model()
        password = make_password(BENCH_PASSWORD)  # hashed once: the hasher is slow by design
        accounts = []
        for username, superuser in ((BENCH_ADMIN, True), (BENCH_EDITOR, False)):
            user, created = user_model._default_manager.get_or_create(
                username=username,
                defaults={
                    "is_staff": True,
                    "is_superuser": superuser,
                    "email": f"{username}@example.org",
                    "password": password,
                },
            )
            accounts.append(user)
        return accounts

    @staticmethod
    def refresh_calendar(ids):
        """What consultations/signals.py would have done on each save: the computed dates (the
        timeline index follows, from them)."""
        for start in range(0, len(ids), 500):
            chunk = Consultation.objects.filter(pk__in=ids[start : start + 500])
            for consultation in chunk.with_clock_facts():
                consultation.refresh_calendar()

    @staticmethod
    def check_sample(generator):
        """The application's rules (full_clean) on a few records of each model."""
        rng = random.Random(0)
        failures = []
        for model in Generator.ORDER:
            instances = generator.objects[model]
            for instance in rng.sample(instances, k=min(SAMPLE_PER_MODEL, len(instances))):
                fresh = model._default_manager.get(pk=instance.pk)
                try:
                    fresh.full_clean()
                except ValidationError as error:
                    failures.append(f"{model.__name__} {fresh.pk}: {error.message_dict}")
        if failures:
            raise CommandError("Données générées invalides :\n" + "\n".join(failures))

    def report(self, generator, new_ids, elapsed):
        from consultations.timeline import timeline_entries

        counts = [
            (str(model._meta.verbose_name_plural), len(generator.objects[model]))
            for model in Generator.ORDER
        ]
        counts.append(("liens réunion-consultation", len(set(generator.meeting_links))))
        entries = timeline_entries(
            Consultation.objects.filter(pk__in=new_ids), public=False, limit=1
        ).total
        public = sum(
            1
            for consultation in generator.objects[Consultation]
            if consultation.visibility == Consultation.Visibility.PUBLIC
        )
        for label, count in counts:
            self.stdout.write(f"  {label:<30} {count:>8}")
        self.stdout.write(f"  {'étapes de frise':<30} {entries:>8}")
        self.stdout.write(f"  {'consultations publiques':<30} {public:>8}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Jeu de données généré en {elapsed:.1f} s. Comptes {BENCH_ADMIN} et "
                f"{BENCH_EDITOR}, mot de passe « {BENCH_PASSWORD} »."
            )
        )

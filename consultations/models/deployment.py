import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules import flags as flag_rules
from ..search import fold_all
from .choices import validate_choice_list
from .fields import LongTextField, saved_with
from .organisation import Organisation
from .scoping import OrganisationScopedQuerySet, moved_from


class AIFunction(models.TextChoices):
    TRANSCRIPTION = "transcription", _("Transcription des appels")
    SCORING = "scoring", _("Notation ou évaluation des salariés")
    EMOTION_RECOGNITION = "emotion_recognition", _("Reconnaissance des émotions")
    REAL_TIME_GUIDANCE = "real_time_guidance", _("Consignes en temps réel")
    TASK_ALLOCATION = "task_allocation", _("Répartition des tâches")
    AUTOMATION = "automation", _("Automatisation remplaçant des emplois")
    GEOLOCATION = "geolocation", _("Géolocalisation")
    GENERATION = "generation", _("Génération de contenus")
    OTHER = "other", _("Autre")


class AIActRole(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    DEPLOYER = "deployer", _("Déployeur (art. 3(4))")
    PROVIDER = "provider", _("Fournisseur (art. 3(3))")
    BOTH = "both", _("Fournisseur et déployeur (art. 25)")


class RiskTier(models.TextChoices):
    UNKNOWN = "", _("Non évalué")
    PROHIBITED = "prohibited", _("Pratique interdite (art. 5)")
    HIGH = "high", _("Haut risque (art. 6, annexe III)")
    TRANSPARENCY = "transparency", _("Obligation de transparence (art. 50)")
    MINIMAL = "minimal", _("Risque minimal")


class AnnexIII(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    NONE = "none", _("Aucune")
    RECRUITMENT = "4a", _("4(a) Recrutement")
    WORK_DECISIONS = "4b", _("4(b) Décisions sur le travail, surveillance, évaluation")
    EMOTION_RECOGNITION = "1c", _("1(c) Reconnaissance des émotions")
    OTHER = "other", _("Autre catégorie")


class EmotionSubject(models.TextChoices):
    NONE = "none", _("Aucune reconnaissance des émotions")
    WORKERS = "workers", _("Les salariés")
    CUSTOMERS = "customers", _("Les clients")
    BOTH = "both", _("Les salariés et les clients")


class EmotionInput(models.TextChoices):
    NONE = "", _("Sans objet")
    BIOMETRIC = "biometric", _("Données biométriques (voix, visage, signaux physiologiques)")
    TEXT_ONLY = "text_only", _("Texte seulement")


class Art50Duty(models.TextChoices):
    AI_INTERACTION = "50_1", _("50(1) Informer les personnes qu'elles échangent avec une IA")
    EMOTION_NOTICE = (
        "50_3",
        _("50(3) Informer les personnes exposées à la reconnaissance des émotions"),
    )
    DEEP_FAKE = "50_4", _("50(4) Hypertrucages et textes d'intérêt public générés")


class GDPRBasis(models.TextChoices):
    UNKNOWN = "", _("Non renseignée")
    CONTRACT = "contract", _("Exécution du contrat (art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Obligation légale (art. 6(1)(c))")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Intérêt légitime (art. 6(1)(f))")
    CONSENT = "consent", _("Consentement (art. 6(1)(a))")
    OTHER = "other", _("Autre")


class DPIAStatus(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    REQUIRED = "required", _("Requise, pas encore faite")
    DONE = "done", _("Réalisée")
    NOT_REQUIRED = "not_required", _("Jugée non requise")


class RecordingMode(models.TextChoices):
    UNKNOWN = "", _("Non renseigné")
    NONE = "none", _("Aucun enregistrement")
    OCCASIONAL = "occasional", _("Ponctuel")
    SYSTEMATIC = "systematic", _("Systématique")


class TransferSafeguard(models.TextChoices):
    NONE = "", _("Aucune garantie connue")
    ADEQUACY = "adequacy", _("Décision d'adéquation (art. 45)")
    SCC = "scc", _("Clauses contractuelles types (art. 46)")
    BCR = "bcr", _("Règles d'entreprise contraignantes (art. 47)")
    DEROGATION = "derogation", _("Dérogation (art. 49)")


# What the register's search reads (consultations/search.py): the public description, not the
# internal notes.
SEARCHED_FIELDS = ("name", "vendor", "description")


class DeploymentQuerySet(OrganisationScopedQuerySet):
    def refresh_search_text(self) -> int:
        """Rewrite the ``search_text`` of these systems (after a restore or a bulk import; save()
        writes it otherwise); returns how many changed."""
        changed = []
        for pk, stored, *texts in self.values_list("pk", "search_text", *SEARCHED_FIELDS):
            text = fold_all(*texts)
            if text != stored:
                changed.append(self.model(pk=pk, search_text=text))
        self.model.objects.bulk_update(changed, ["search_text"], batch_size=200)
        return len(changed)

    def with_function(self, function):
        """Deployments that have ``function`` among their functions (a JSON list of codes)."""
        return self.filter(functions__icontains=f'"{function}"')

    def published(self):
        """Deployments the public may read about: those with a published consultation."""
        from .consultation import Consultation

        # EXISTS rather than a join and DISTINCT: one probe per system, no duplicate to remove.
        return self.filter(
            models.Exists(
                Consultation.objects.filter(
                    deployment=models.OuterRef("pk"), visibility=Consultation.Visibility.PUBLIC
                )
            )
        )

    def with_flag_severity(self, severities):
        """Deployments raising a red flag of one of ``severities`` (computed in Python from the
        facts, then handed back as a QuerySet)."""
        ids = [
            deployment.pk
            for deployment in self.prefetch_related(Deployment.prefetch_flag_consultations())
            if any(flag.severity in severities for flag in deployment.red_flags())
        ]
        return self.filter(pk__in=ids)


# What facts() and opinion_dates() read of each consultation.
FLAG_CONSULTATION_FIELDS = (
    "deployment_id",
    "body__kind",
    "body__parent_id",
    "legal_bases",
    "information_received_on",
    "two_level",
    "status",
    "opinion_on",
    "deadline_on",
)

# A retention period longer than a century is a typing slip (SQLite, unlike PostgreSQL, would
# store any number).
MAX_RETENTION_MONTHS = 1200


def months_field(verbose_name, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        help_text=help_text,
        validators=[MaxValueValidator(MAX_RETENTION_MONTHS)],
    )


class Deployment(models.Model):
    """An AI system the employer deploys, described as the AI Act and the CNIL ask.

    The classification block follows shared/reference/LEGAL.md section (d).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="deployments",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("nom du système"), max_length=200)
    vendor = models.CharField(_("fournisseur"), max_length=200, blank=True, default="")
    description = LongTextField(_("description"), blank=True, default="")
    functions = models.JSONField(
        _("fonctions"),
        default=list,
        blank=True,
        help_text=_("Ce que fait le système."),
    )
    workers_affected = models.PositiveIntegerField(_("salariés concernés"), null=True, blank=True)
    sites = LongTextField(_("sites concernés"), blank=True, default="")
    planned_go_live = models.DateField(_("mise en service prévue"), null=True, blank=True)
    actual_go_live = models.DateField(_("mise en service effective"), null=True, blank=True)
    workers_informed_on = models.DateField(
        _("salariés informés le"),
        null=True,
        blank=True,
        help_text=_("Information préalable des salariés sur le dispositif de contrôle (L1222-4)."),
    )

    # AI Act
    ai_act_role = models.CharField(
        _("rôle de l'employeur (AI Act)"),
        max_length=10,
        choices=AIActRole.choices,
        blank=True,
        default=AIActRole.UNKNOWN,
    )
    risk_tier = models.CharField(
        _("niveau de risque (AI Act)"),
        max_length=15,
        choices=RiskTier.choices,
        blank=True,
        default=RiskTier.UNKNOWN,
    )
    annex_iii = models.CharField(
        _("catégorie de l'annexe III"),
        max_length=10,
        choices=AnnexIII.choices,
        blank=True,
        default=AnnexIII.UNKNOWN,
    )
    art6_3_exception_claimed = models.BooleanField(
        _("exception de l'article 6(3) invoquée"), default=False
    )
    art6_3_reason = LongTextField(_("motif de l'exception 6(3)"), blank=True, default="")
    emotion_subject = models.CharField(
        _("émotions de qui ?"),
        max_length=10,
        choices=EmotionSubject.choices,
        default=EmotionSubject.NONE,
        help_text=_("Le système déduit-il les émotions des salariés ou des clients ?"),
    )
    emotion_input = models.CharField(
        _("à partir de quoi ?"),
        max_length=10,
        choices=EmotionInput.choices,
        blank=True,
        default=EmotionInput.NONE,
        help_text=_(
            "La voix ou le visage sont des données biométriques (art. 3(39)) ; "
            "l'analyse du seul texte n'est pas de la reconnaissance des émotions."
        ),
    )
    medical_safety_exception = models.BooleanField(
        _("exception médicale ou de sécurité invoquée (art. 5(1)(f))"), default=False
    )
    medical_safety_reason = LongTextField(
        _("motif de l'exception médicale ou de sécurité"), blank=True, default=""
    )
    training_only_not_shared_with_hr = models.BooleanField(
        _("usage limité à la formation, sans transmission aux RH"), default=False
    )
    oversight_person = models.CharField(
        _("responsable du contrôle humain (art. 26(2))"),
        max_length=200,
        blank=True,
        default="",
    )
    instructions_received = models.BooleanField(
        _("notice d'utilisation du fournisseur reçue (art. 26(1))"), default=False
    )
    log_retention_months = months_field(
        _("conservation des journaux de l'IA (mois)"),
        _("Au moins 6 mois pour le déployeur (art. 26(6))."),
    )
    worker_rep_info_on = models.DateField(
        _("représentants du personnel informés le (art. 26(7))"), null=True, blank=True
    )
    persons_informed_26_11 = models.BooleanField(
        _("personnes concernées informées (art. 26(11))"), default=False
    )
    significant_change = models.BooleanField(
        _("modification substantielle après mise en service (art. 111(2))"), default=False
    )
    fria_required = models.BooleanField(
        _("analyse d'impact sur les droits fondamentaux requise (art. 27)"),
        default=False,
        help_text=_(
            "Seulement pour les organismes publics, les entreprises privées de service public "
            "et l'annexe III 5(b)/(c) : en général non pour un centre d'appels privé."
        ),
    )
    art50_duties = models.JSONField(
        _("obligations de transparence (art. 50)"), default=list, blank=True
    )

    # GDPR / CNIL
    controller = models.CharField(
        _("responsable du traitement"), max_length=200, blank=True, default=""
    )
    processors = LongTextField(
        _("sous-traitants"), blank=True, default="", help_text=_("Un par ligne.")
    )
    gdpr_legal_basis = models.CharField(
        _("base légale (RGPD)"),
        max_length=25,
        choices=GDPRBasis.choices,
        blank=True,
        default=GDPRBasis.UNKNOWN,
    )
    dpia_status = models.CharField(
        _("analyse d'impact (AIPD)"),
        max_length=15,
        choices=DPIAStatus.choices,
        blank=True,
        default=DPIAStatus.UNKNOWN,
        help_text=_(
            "Requise pour la surveillance constante de l'activité des salariés (RGPD art. 35)."
        ),
    )
    dpia_on = models.DateField(_("AIPD réalisée le"), null=True, blank=True)
    dpia_not_required_reason = LongTextField(_("motif d'absence d'AIPD"), blank=True, default="")
    art22_automated_decision = models.BooleanField(
        _("décision entièrement automatisée (RGPD art. 22)"), default=False
    )
    art9_data = models.BooleanField(
        _("données sensibles : biométrie d'identification, santé (RGPD art. 9)"), default=False
    )
    recording_mode = models.CharField(
        _("enregistrement des appels"),
        max_length=12,
        choices=RecordingMode.choices,
        blank=True,
        default=RecordingMode.UNKNOWN,
        help_text=_("La CNIL écarte l'enregistrement systématique sans texte qui l'autorise."),
    )
    retention_recordings_months = months_field(
        _("conservation des enregistrements (mois)"), _("La CNIL recommande 6 mois au plus.")
    )
    retention_analysis_months = months_field(
        _("conservation des fiches d'analyse (mois)"), _("La CNIL recommande 1 an au plus.")
    )
    retention_transcripts_months = months_field(_("conservation des transcriptions (mois)"), "")
    retention_scores_months = months_field(_("conservation des notes et scores (mois)"), "")
    data_location = models.CharField(
        _("lieu d'hébergement des données"), max_length=200, blank=True, default=""
    )
    transfers_outside_eu = models.BooleanField(
        _("transferts hors de l'Union européenne"), default=False
    )
    transfer_countries = models.CharField(
        _("pays destinataires"), max_length=300, blank=True, default=""
    )
    transfer_safeguard = models.CharField(
        _("garantie des transferts (RGPD art. 44-49)"),
        max_length=12,
        choices=TransferSafeguard.choices,
        blank=True,
        default=TransferSafeguard.NONE,
    )
    notes = LongTextField(_("notes internes"), blank=True, default="")
    # The name, vendor and description folded for the register's search (consultations/search.py),
    # written by save().
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("système d'IA")
        verbose_name_plural = _("systèmes d'IA")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="deployment_unique_name_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def save(self, *args, **kwargs):
        self.search_text = fold_all(*(getattr(self, name) for name in SEARCHED_FIELDS))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(SEARCHED_FIELDS) & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def retention_periods(self):
        """(what is kept, months) of each retention period recorded, for the system's page."""
        periods = (
            (_("enregistrements"), self.retention_recordings_months),
            (_("fiches d'analyse"), self.retention_analysis_months),
            (_("transcriptions"), self.retention_transcripts_months),
            (_("scores"), self.retention_scores_months),
        )
        return [(what, months) for what, months in periods if months is not None]

    def facts(self) -> flag_rules.DeploymentFacts:
        """What rules/flags.py reads, from this record and all its consultations."""
        from .consultation import LegalBasis

        consultations = self.consultations_for_flags()
        return flag_rules.DeploymentFacts(
            functions=frozenset(self.functions),
            emotion_subject=self.emotion_subject,
            emotion_input=self.emotion_input,
            medical_safety_exception=self.medical_safety_exception,
            annex_iii=self.annex_iii,
            recording_mode=self.recording_mode,
            dpia_status=self.dpia_status,
            retention_recordings_months=self.retention_recordings_months,
            retention_analysis_months=self.retention_analysis_months,
            log_retention_months=self.log_retention_months,
            transfers_outside_eu=self.transfers_outside_eu,
            transfer_safeguard=self.transfer_safeguard,
            actual_go_live=self.actual_go_live,
            significant_change=self.significant_change,
            workers_informed_on=self.workers_informed_on,
            opinion_dates=tuple(opinion_dates(consultations, self.actual_go_live)),
            # Consulted once the information is given (R2312-6): a consultation on monitoring
            # recorded but never started is no consultation yet (L2312-38).
            consulted_on_monitoring=any(
                LegalBasis.MONITORING in consultation.legal_bases
                and consultation.information_received_on is not None
                for consultation in consultations
            ),
            information_only_matter=any(
                consultation.is_information_only
                and consultation.status != consultation.Status.WITHDRAWN
                for consultation in consultations
            ),
            first_information_on=min(
                (
                    consultation.information_received_on
                    for consultation in consultations
                    if consultation.information_received_on
                ),
                default=None,
            ),
        )

    @staticmethod
    def prefetch_flag_consultations(lookup="consultations"):
        """A Prefetch of what consultations_for_flags() reads; ``lookup``: the path to the
        deployment's consultations (``deployment__consultations`` from a consultation)."""
        from .consultation import Consultation

        return models.Prefetch(
            lookup,
            # What the flags read only: a register page loads every consultation of its systems.
            queryset=Consultation.objects.select_related("body").only(*FLAG_CONSULTATION_FIELDS),
            to_attr="flag_consultations",
        )

    def consultations_for_flags(self):
        """All its consultations, whoever reads the flags: a flag drawn from the published ones
        only would tell the public the council was not consulted when it was, internally. The
        pages prefetch them as ``flag_consultations``; else read now."""
        found = getattr(self, "flag_consultations", None)
        if found is None:
            found = list(self.consultations.select_related("body").only(*FLAG_CONSULTATION_FIELDS))
        return found

    def red_flags(self) -> list[flag_rules.RedFlag]:
        """The legal red flags these facts raise, with their texts translated."""
        return [
            dataclasses.replace(
                flag,
                title=gettext(flag.title),
                explanation=gettext(flag.explanation),
                source=gettext(flag.source),
                caveat=gettext(flag.caveat) if flag.caveat else "",
            )
            for flag in flag_rules.red_flags(self.facts())
        ]

    def get_functions_display(self) -> list[str]:
        labels = dict(AIFunction.choices)
        return [str(labels.get(code, code)) for code in self.functions]

    def clean(self):
        errors = {}
        for field, choices in (("functions", AIFunction), ("art50_duties", Art50Duty)):
            try:
                validate_choice_list(
                    getattr(self, field), choices, self._meta.get_field(field).verbose_name
                )
            except ValidationError as error:
                errors[field] = error
        if self.emotion_subject != EmotionSubject.NONE and not self.emotion_input:
            errors["emotion_input"] = _(
                "Précisez si les émotions sont déduites de la voix ou du visage, ou du seul texte."
            )
        if self.dpia_on and self.dpia_status != DPIAStatus.DONE:
            errors["dpia_on"] = _("Une date d'AIPD suppose que l'AIPD soit réalisée.")
        errors.update(self._dpia_errors())
        if self.transfer_safeguard and not self.transfers_outside_eu:
            errors["transfer_safeguard"] = _(
                "Une garantie de transfert suppose des transferts hors de l'Union européenne."
            )
        errors.update(self._organisation_change_errors())
        errors.update(self._duplicate_name_errors())
        if errors:
            raise ValidationError(errors)

    def _dpia_errors(self):
        """An impact assessment done has its date, one judged not required its reason (LEGAL.md
        (d): required | done(date) | not_required(reason); found by a union representative's
        QA pass: « Réalisée » was saved without a date). Checked when the status or the date
        (the reason) is set or changed: a system described before the rule stays editable."""
        if (
            self.dpia_status == DPIAStatus.DONE
            and not self.dpia_on
            and not saved_with(self, "dpia_status", "dpia_on")
        ):
            return {
                "dpia_on": _(
                    "Indiquez la date à laquelle l'AIPD a été réalisée ; si elle reste à faire, "
                    "choisissez « Requise, pas encore faite »."
                )
            }
        if (
            self.dpia_status == DPIAStatus.NOT_REQUIRED
            and not self.dpia_not_required_reason.strip()
            and not saved_with(self, "dpia_status", "dpia_not_required_reason")
        ):
            return {
                "dpia_not_required_reason": _(
                    "Indiquez pourquoi l'AIPD est jugée non requise, tel que l'employeur le "
                    "justifie (RGPD art. 35)."
                )
            }
        return {}

    def _organisation_change_errors(self):
        """A system on which a council was consulted stays with its organisation: its
        consultations, meetings and votes are that organisation's, and would otherwise point
        to a system of another."""
        saved = moved_from(self, self.organisation_id)
        if saved is None or not self.consultations.exists():
            return {}
        return {
            "organisation": _(
                "Ce système d'IA a fait l'objet de consultations de « %(organisation)s » : il "
                "reste à cette organisation. Pour l'autre, décrivez-le à nouveau."
            )
            % {"organisation": Organisation.objects.get(pk=saved)}
        }

    def _duplicate_name_errors(self):
        """The name is unique within the organisation (the database's constraint): said beside
        the field, in the user's words, rather than by Django's generic message."""
        if not (self.organisation_id and self.name):
            return {}
        others = Deployment.objects.filter(organisation=self.organisation_id, name=self.name)
        if not others.exclude(pk=self.pk).exists():
            return {}
        return {
            "name": _(
                "Un système d'IA de ce nom est déjà décrit pour cette organisation : choisissez "
                "un autre nom, ou modifiez le système existant."
            )
        }


def opinion_dates(consultations, go_live=None, today=None) -> list:
    """The day each consultation's opinion stands, for the go-live flag (None: not yet).

    - A project withdrawn before any opinion is owed none (LEGAL.md (b) 5): left out. So is a
      matter the council is only informed of (L2312-38 al. 1 and 2), even with an opinion given
      anyway: none was owed (rules/flags.go_live_before_information checks its information).
    - Once the system is live (``go_live``), the consultations whose information came before
      it: one opened later, or not yet started, is about a change to a system in service, not
      about its going live. If all are such, all count: it went live before any opinion.
    - An opinion recorded after the last day counts from the day after it: the council was
      deemed to have given a negative opinion then, and the employer could proceed (R2312-6,
      LEGAL.md trap 7). So does a period that ended without an opinion; a go-live on the last
      day itself still comes before the opinion.
    - In a two-level consultation the project waits for the central council's opinion, given
      after the establishments' (R2312-6 II): an establishment's side whose opinion stands by
      the central's day is left out for the central's side of the same consultation (see
      ``_central_side_of``); one still owed after it counts."""
    today = today or timezone.localdate()
    consultations = [
        consultation
        for consultation in consultations
        if (consultation.status != consultation.Status.WITHDRAWN or consultation.opinion_on)
        and not consultation.is_information_only
    ]
    if go_live is not None:
        before = [
            consultation
            for consultation in consultations
            if consultation.information_received_on
            and consultation.information_received_on <= go_live
        ]
        consultations = before or consultations
    centrals = [
        (consultation, _opinion_day(consultation, today))
        for consultation in consultations
        if consultation.two_level and consultation.body.kind == consultation.body.Kind.CSE_CENTRAL
    ]
    days = []
    for consultation in consultations:
        day = _opinion_day(consultation, today)
        answered_by_the_central = (
            consultation.is_establishments_side
            and day is not None
            and any(
                central_day is not None
                and day <= central_day
                and _central_side_of(consultation, central, today)
                for central, central_day in centrals
            )
        )
        if not answered_by_the_central:
            days.append(day)
    return days


def _opinion_day(consultation, today):
    """The day its opinion stands (given, or deemed the day after its last day), or None."""
    deemed = consultation.deadline_on and consultation.deadline_on + datetime.timedelta(days=1)
    if consultation.opinion_on:
        return min(consultation.opinion_on, deemed) if deemed else consultation.opinion_on
    if deemed and deemed <= today:
        return deemed
    return None


def _period(consultation, today):
    """(first, last day) of a consultation's period as recorded: from T0 to its opinion, or to
    its last day, or to today while it runs; None before T0."""
    start = consultation.information_received_on
    if start is None:
        return None
    end = consultation.opinion_on or consultation.deadline_on or today
    return start, max(start, end)


def _central_side_of(establishment, central, today) -> bool:
    """Whether ``central`` is the central council's side of the two-level consultation that
    ``establishment`` belongs to. Vigie records each side on its own: they are taken to be the
    same when their periods overlap (the establishments give their opinions within the
    central's period, R2312-6 II), at the establishment's own central CSE when it is recorded.
    A central consultation of another year is another project."""
    if establishment.body.parent_id and central.body_id != establishment.body.parent_id:
        return False
    periods = _period(establishment, today), _period(central, today)
    if None in periods:
        return False
    (start, end), (central_start, central_end) = periods
    return start <= central_end and central_start <= end

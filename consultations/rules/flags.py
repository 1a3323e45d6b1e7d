"""Legal red flags of an AI deployment, computed from the facts representatives record.

Pure Python (no Django import), tested as a table of deployments (tests/rules/test_flags.py).
Each flag names its source and says in one sentence why it is raised; where
shared/reference/LEGAL.md marks a rule as known from secondary sources only (S) or from memory
(M), the flag says so in ``caveat``. The sources are LEGAL.md sections (a), (d) and (e).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

PROHIBITION_APPLIES = date(2025, 2, 2)  # AI Act art. 113(a)
ANNEX_III_APPLIES = date(2027, 12, 2)  # art. 113 as amended by Reg (EU) 2026/1744 (S)
CNIL_RECORDINGS_MAX_MONTHS = 6
CNIL_ANALYSIS_MAX_MONTHS = 12
AI_ACT_LOGS_MIN_MONTHS = 6

MONITORING_FUNCTIONS = {
    "transcription",
    "scoring",
    "emotion_recognition",
    "geolocation",
    "task_allocation",
}
EVALUATION_FUNCTIONS = {"scoring", "task_allocation"}


def _(message: str) -> str:
    """Marks a message for translation; the Django layer translates it."""
    return message


class Severity(StrEnum):
    PROHIBITED = "prohibited"
    HIGH = "high"
    WARNING = "warning"


class Flag(StrEnum):
    EMOTION_WORKERS = "emotion_workers"
    EMOTION_EXCEPTION_CLAIMED = "emotion_exception_claimed"
    EMOTION_CUSTOMERS = "emotion_customers"
    HIGH_RISK_WORKERS = "high_risk_workers"
    SYSTEMATIC_RECORDING = "systematic_recording"
    NO_DPIA = "no_dpia"
    LONG_RETENTION = "long_retention"
    SHORT_LOG_RETENTION = "short_log_retention"
    TRANSFER_WITHOUT_SAFEGUARD = "transfer_without_safeguard"
    GO_LIVE_BEFORE_OPINION = "go_live_before_opinion"
    GO_LIVE_BEFORE_INFORMATION = "go_live_before_information"
    EMPLOYEES_NOT_INFORMED = "employees_not_informed"
    CSE_NOT_CONSULTED = "cse_not_consulted"


@dataclass(frozen=True)
class RedFlag:
    code: Flag
    severity: Severity
    title: str
    explanation: str
    source: str
    caveat: str = ""


@dataclass(frozen=True)
class DeploymentFacts:
    """What the rules read; built from a Deployment and its consultations by the Django layer."""

    functions: frozenset[str] = frozenset()
    emotion_subject: str = "none"  # none | workers | customers | both
    emotion_input: str = ""  # "" | biometric | text_only
    medical_safety_exception: bool = False
    annex_iii: str = ""
    recording_mode: str = ""  # "" | none | occasional | systematic
    dpia_status: str = ""  # "" | required | done | not_required
    retention_recordings_months: int | None = None
    retention_analysis_months: int | None = None
    log_retention_months: int | None = None
    transfers_outside_eu: bool = False
    transfer_safeguard: str = ""
    actual_go_live: date | None = None
    significant_change: bool = False
    workers_informed_on: date | None = None
    # Consultations about the system: their opinion dates (None while no opinion) and whether any
    # is on a monitoring basis.
    opinion_dates: tuple[date | None, ...] = field(default=())
    consulted_on_monitoring: bool = False
    # Matters the council is only informed of (L2312-38 al. 1 and 2), not withdrawn: whether
    # there is one, and the first day the council got information on the system (any ground).
    information_only_matter: bool = False
    first_information_on: date | None = None


def red_flags(facts: DeploymentFacts) -> list[RedFlag]:
    """Every flag the facts raise, most serious first."""
    flags = [flag for check in CHECKS if (flag := check(facts)) is not None]
    order = list(Severity)
    return sorted(flags, key=lambda flag: order.index(flag.severity))


def _workers_emotions(facts):
    return facts.emotion_subject in ("workers", "both") and facts.emotion_input == "biometric"


def emotion_workers(facts):
    if not _workers_emotions(facts) or facts.medical_safety_exception:
        return None
    return RedFlag(
        Flag.EMOTION_WORKERS,
        Severity.PROHIBITED,
        _("Reconnaissance des émotions des salariés : pratique interdite"),
        _(
            "Déduire les émotions des salariés à partir de leur voix ou de leur visage est "
            "interdit sur le lieu de travail depuis le 2 février 2025."
        ),
        _("AI Act art. 5(1)(f), 113(a)"),
    )


def emotion_exception_claimed(facts):
    if not (_workers_emotions(facts) and facts.medical_safety_exception):
        return None
    return RedFlag(
        Flag.EMOTION_EXCEPTION_CLAIMED,
        Severity.HIGH,
        _("Exception médicale ou de sécurité invoquée"),
        _(
            "L'interdiction ne cède que pour des raisons médicales ou de sécurité : demandez "
            "la justification écrite, la fatigue ou la douleur ne sont pas des émotions."
        ),
        _("AI Act art. 5(1)(f), considérant 18"),
        _(
            "Portée de l'exception selon les lignes directrices de la Commission (sources secondaires)."
        ),
    )


def emotion_customers(facts):
    if not (facts.emotion_subject in ("customers", "both") and facts.emotion_input == "biometric"):
        return None
    if in_service_before_annex_iii(facts) and not facts.significant_change:
        explanation = _(
            "Analyser les émotions des clients n'est pas interdit mais relève du haut risque "
            "(annexe III 1(c)). Mis en service avant le 2 décembre 2027, le système n'y est soumis "
            "qu'après une modification substantielle de sa conception (art. 111(2)) ; les "
            "personnes exposées doivent en tout cas en être informées (art. 50(3), applicable "
            "depuis le 2 août 2026, et RGPD art. 13-14)."
        )
        source = _("AI Act annexe III 1(c), art. 50(3), 111(2) ; RGPD art. 13-14")
        caveat = _(
            "Qualification selon les lignes directrices C(2025) 5052 et régime des systèmes déjà "
            "en service (art. 111(2)) connus par des sources secondaires."
        )
    else:
        explanation = _(
            "Analyser les émotions des clients n'est pas interdit mais relève du haut risque, "
            "et les personnes exposées doivent en être informées."
        )
        source = _("AI Act annexe III 1(c), art. 50(3)")
        caveat = _("Qualification selon les lignes directrices C(2025) 5052 (sources secondaires).")
    return RedFlag(
        Flag.EMOTION_CUSTOMERS,
        Severity.HIGH,
        _("Reconnaissance des émotions des clients : haut risque et information obligatoire"),
        explanation,
        source,
        caveat,
    )


def in_service_before_annex_iii(facts) -> bool:
    """Put into service before the high-risk rules apply (LEGAL.md (d),
    ``in_service_before_2027_12_02``): such a system is subject to them only once its design
    changes significantly (art. 111(2))."""
    return facts.actual_go_live is not None and facts.actual_go_live < ANNEX_III_APPLIES


def high_risk_workers(facts):
    """Annex III 4: 4(b) for monitoring, evaluating or allocating tasks to workers, 4(a) for
    recruiting (LEGAL.md (d)); the 4(b) texts when both apply."""
    workers = bool(facts.functions & EVALUATION_FUNCTIONS) or facts.annex_iii == "4b"
    if not (workers or facts.annex_iii == "4a"):
        return None
    grandfathered = in_service_before_annex_iii(facts) and not facts.significant_change
    if workers:
        title = _("Surveillance ou évaluation des salariés : système à haut risque")
    else:
        title = _("Recrutement : système à haut risque")
    if grandfathered and workers:
        explanation = _(
            "Surveiller, évaluer les salariés ou leur répartir les tâches selon leur comportement "
            "relève de l'annexe III 4(b). Mis en service avant le 2 décembre 2027, le système "
            "n'y est soumis qu'après une modification substantielle de sa conception "
            "(art. 111(2)) : suivez ses évolutions ; la consultation du CSE reste due."
        )
        source = _("AI Act annexe III 4(b), art. 26(7), 111(2), 113")
    elif grandfathered:
        explanation = _(
            "Recruter ou sélectionner des candidats relève de l'annexe III 4(a). Mis en service "
            "avant le 2 décembre 2027, le système n'y est soumis qu'après une modification "
            "substantielle de sa conception (art. 111(2)) : suivez ses évolutions ; "
            "l'information du CSE sur les méthodes de recrutement reste due (L2312-38)."
        )
        source = _("AI Act annexe III 4(a), art. 26(7), 111(2), 113 ; C. trav. L2312-38")
    elif workers:
        explanation = _(
            "Surveiller, évaluer les salariés ou leur répartir les tâches selon leur comportement "
            "relève de l'annexe III 4(b) ; les représentants du personnel doivent être informés "
            "avant la mise en service (art. 26(7)), obligation applicable au 2 décembre 2027."
        )
        source = _("AI Act annexe III 4(b), art. 26(7), 113")
    else:
        explanation = _(
            "Recruter ou sélectionner des candidats relève de l'annexe III 4(a) ; les "
            "représentants du personnel doivent être informés avant la mise en service "
            "(art. 26(7)), obligation applicable au 2 décembre 2027."
        )
        source = _("AI Act annexe III 4(a), art. 26(7), 113")
    if grandfathered:
        caveat = _(
            "Date d'application reportée par le règlement (UE) 2026/1744 et régime des systèmes "
            "déjà en service (art. 111(2)) connus par des sources secondaires."
        )
    else:
        caveat = _(
            "Date d'application reportée par le règlement (UE) 2026/1744 (sources secondaires)."
        )
    return RedFlag(Flag.HIGH_RISK_WORKERS, Severity.HIGH, title, explanation, source, caveat)


def systematic_recording(facts):
    if facts.recording_mode != "systematic":
        return None
    return RedFlag(
        Flag.SYSTEMATIC_RECORDING,
        Severity.WARNING,
        _("Enregistrement systématique des appels"),
        _(
            "La CNIL écarte l'enregistrement systématique des appels sans texte qui l'impose ; "
            "des lignes non enregistrées doivent exister, notamment pour les représentants."
        ),
        _("CNIL, recommandations sur l'écoute et l'enregistrement des appels"),
        _("Doctrine de la CNIL connue par des sources secondaires."),
    )


def no_dpia(facts):
    if not facts.functions & MONITORING_FUNCTIONS or facts.dpia_status == "done":
        return None
    return RedFlag(
        Flag.NO_DPIA,
        Severity.WARNING,
        _("Pas d'analyse d'impact (AIPD) connue"),
        _(
            "La surveillance constante de l'activité des salariés exige une analyse d'impact "
            "relative à la protection des données avant la mise en œuvre."
        ),
        _("RGPD art. 35 ; CNIL délib. 2018-327"),
        _("Liste de la CNIL connue par des sources secondaires."),
    )


# One whole sentence per case, so that the Django layer can translate it (a sentence put
# together here would match no message of the catalogue).
LONG_RETENTION_EXPLANATIONS = {
    (True, False): _(
        "Conservation au-delà des durées recommandées : enregistrements au-delà de 6 mois."
    ),
    (False, True): _(
        "Conservation au-delà des durées recommandées : fiches d'analyse au-delà d'un an."
    ),
    (True, True): _(
        "Conservation au-delà des durées recommandées : enregistrements au-delà de 6 mois, "
        "fiches d'analyse au-delà d'un an."
    ),
}


def long_retention(facts):
    recordings = (facts.retention_recordings_months or 0) > CNIL_RECORDINGS_MAX_MONTHS
    analysis = (facts.retention_analysis_months or 0) > CNIL_ANALYSIS_MAX_MONTHS
    if not (recordings or analysis):
        return None
    return RedFlag(
        Flag.LONG_RETENTION,
        Severity.WARNING,
        _("Durées de conservation plus longues que les recommandations de la CNIL"),
        LONG_RETENTION_EXPLANATIONS[recordings, analysis],
        _("CNIL (ex-norme simplifiée 2014-474)"),
        _("Durées recommandées connues par des sources secondaires."),
    )


HIGH_RISK_ANNEX_III = {"4a", "4b", "1c", "other"}


def is_high_risk(facts) -> bool:
    """A high-risk system (annex III): its category recorded, or what it does to workers
    (evaluating them or allocating their tasks, annex III 4(b))."""
    return facts.annex_iii in HIGH_RISK_ANNEX_III or bool(facts.functions & EVALUATION_FUNCTIONS)


def short_log_retention(facts):
    """Art. 26(6) binds the deployers of high-risk systems, from the day annex III applies
    (LEGAL.md rows 17 and 21)."""
    if facts.log_retention_months is None or facts.log_retention_months >= AI_ACT_LOGS_MIN_MONTHS:
        return None
    if not is_high_risk(facts):
        return None
    if in_service_before_annex_iii(facts) and not facts.significant_change:
        caveat = _(
            "Obligation des déployeurs de systèmes à haut risque, applicable au 2 décembre 2027 "
            "(règlement (UE) 2026/1744, sources secondaires) ; un système déjà en service n'y "
            "est soumis qu'après une modification substantielle (art. 111(2))."
        )
    else:
        caveat = _(
            "Obligation des déployeurs de systèmes à haut risque, applicable au 2 décembre 2027 "
            "(règlement (UE) 2026/1744, sources secondaires)."
        )
    return RedFlag(
        Flag.SHORT_LOG_RETENTION,
        Severity.WARNING,
        _("Journaux de l'IA conservés moins de 6 mois"),
        _(
            "Le déployeur d'un système à haut risque garde les journaux générés par le système au "
            "moins six mois ; ce ne sont pas les enregistrements d'appels, dont la CNIL limite la "
            "durée."
        ),
        _("AI Act art. 26(6)"),
        caveat,
    )


def transfer_without_safeguard(facts):
    if not facts.transfers_outside_eu or facts.transfer_safeguard:
        return None
    return RedFlag(
        Flag.TRANSFER_WITHOUT_SAFEGUARD,
        Severity.WARNING,
        _("Transferts hors de l'Union sans garantie connue"),
        _(
            "Des données partent hors de l'Union européenne sans décision d'adéquation, clauses "
            "types ni autre garantie déclarée."
        ),
        _("RGPD art. 44 à 49"),
        _("Règle citée de mémoire dans la référence juridique : à vérifier."),
    )


def go_live_before_opinion(facts):
    """Live before every opinion it waited for stands: one still to come, or one given (or
    deemed given) after the go-live, is enough (each consultation on the project is owed its
    opinion before the project is carried out, L2312-8 and L2312-38)."""
    if facts.actual_go_live is None or not facts.opinion_dates:
        return None
    opinions = [day for day in facts.opinion_dates if day is not None]
    if len(opinions) == len(facts.opinion_dates) and facts.actual_go_live >= max(opinions):
        return None
    return RedFlag(
        Flag.GO_LIVE_BEFORE_OPINION,
        Severity.HIGH,
        _("Mise en service avant l'avis du CSE"),
        _(
            "Le système a été mis en service avant que le CSE ait rendu son avis : entrave "
            "possible au fonctionnement du CSE (7 500 € d'amende, 37 500 € pour une personne morale)."
        ),
        _("C. trav. L2317-1, L2312-14"),
        _("L2312-14 cité de mémoire dans la référence juridique : à vérifier."),
    )


def go_live_before_information(facts):
    """Live before the council was informed, on a matter it is only informed of: recruitment
    methods, automated HR processing (L2312-38 al. 1 and 2), on which it is informed before their
    use or introduction. Information given on the system on any ground before the go-live is
    enough: a later matter is about a change to a system in service."""
    if facts.actual_go_live is None or not facts.information_only_matter:
        return None
    if (
        facts.first_information_on is not None
        and facts.first_information_on <= facts.actual_go_live
    ):
        return None
    return RedFlag(
        Flag.GO_LIVE_BEFORE_INFORMATION,
        Severity.HIGH,
        _("Mise en service avant l'information du CSE"),
        _(
            "Le système a été mis en service avant que le CSE en ait été informé, alors que "
            "l'information doit précéder la mise en service : entrave possible au "
            "fonctionnement du CSE (7 500 € d'amende, 37 500 € pour une personne morale)."
        ),
        _("C. trav. L2312-38, L2317-1"),
    )


def employees_not_informed(facts):
    if not facts.functions & MONITORING_FUNCTIONS or facts.actual_go_live is None:
        return None
    if facts.workers_informed_on is not None and facts.workers_informed_on <= facts.actual_go_live:
        return None
    return RedFlag(
        Flag.EMPLOYEES_NOT_INFORMED,
        Severity.WARNING,
        _("Salariés non informés avant la mise en service"),
        _(
            "Aucune information des salariés n'est enregistrée avant la mise en service d'un "
            "dispositif qui collecte des données sur leur activité."
        ),
        _("C. trav. L1222-4"),
    )


def cse_not_consulted(facts):
    if not facts.functions & MONITORING_FUNCTIONS or facts.consulted_on_monitoring:
        return None
    return RedFlag(
        Flag.CSE_NOT_CONSULTED,
        Severity.WARNING,
        _("Pas de consultation du CSE sur un moyen de contrôle de l'activité"),
        _(
            "Un moyen de contrôle de l'activité des salariés suppose l'information et la "
            "consultation du CSE avant la décision de le mettre en œuvre."
        ),
        _("C. trav. L2312-38"),
    )


CHECKS = [
    emotion_workers,
    emotion_exception_claimed,
    emotion_customers,
    high_risk_workers,
    go_live_before_opinion,
    go_live_before_information,
    systematic_recording,
    no_dpia,
    long_retention,
    short_log_retention,
    transfer_without_safeguard,
    employees_not_informed,
    cse_not_consulted,
]

"""Demonstration data: three information-consultations drawn from public union reports.

Loaded by ``python manage.py load_demo``. Each case is a plain dictionary that tells one story,
in the order things happened; the command looks every record up by its natural key and creates
it only when missing.

Records refer to one another inside a case by short keys ("cse", "tp", "avis"...):

- ``bodies``, ``deployments``, ``consultations``, ``motions``, ``responses`` are dictionaries
  keyed that way; the votes are keyed inside their meeting;
- ``documents``, ``meetings``, ``expertises``, ``demands``, ``events`` are lists.

Where the public reports give no date or figure, the value is plausible and the record says so
(``notes`` or ``internal_notes``). Motion numbers are never written here: the model assigns them
on adoption, so motions are listed in the order they were adopted.
"""

from datetime import date
from decimal import Decimal

from .models import (
    AIFunction,
    Body,
    Consultation,
    Demand,
    Document,
    Event,
    Expertise,
    LegalBasis,
    ManagementResponse,
    Meeting,
    Membership,
    Motion,
    RiskTier,
    Vote,
)
from .models.deployment import (
    AIActRole,
    AnnexIII,
    Art50Duty,
    DPIAStatus,
    EmotionInput,
    EmotionSubject,
    RecordingMode,
)

PLAUSIBLE_DATE = "Date plausible : le compte rendu syndical ne la donne pas."


# --------------------------------------------------------------------------------------------
# 1. Teleperformance France, 2020: emotion recognition deployed despite a unanimous "no"
# --------------------------------------------------------------------------------------------
#
# Management hands the CSE a project of real-time speech and emotion analytics (CallMiner) that
# scores calls and pops up orders on the agents' screens ("speak faster", "thank the customer").
# The CSE appoints an expert unanimously. The expert's questionnaire stays open one week, in
# August, with connection problems, yet more than 300 employees answer and leave about 1,000
# comments. The CSE adopts a unanimous motion on 27 August and another on 23 September 2020
# (psychosocial risks never assessed, working conditions degraded, L4121-1), and gives a
# unanimous unfavourable opinion on 23 September. Management deploys anyway and never gives the
# reasoned answer the law requires: no ManagementResponse is recorded, so Vigie shows it overdue.

TP_T0 = date(2020, 7, 24)  # plausible; 2 months with an expert: deadline 24 September 2020

TELEPERFORMANCE = {
    "label": "Teleperformance France, 2020",
    "organisation": {
        "slug": "teleperformance-france",
        "name": "Teleperformance France",
        "notes": (
            "Cas de démonstration tiré de comptes rendus syndicaux et d'articles publics de 2020 "
            "sur le projet TP Observe / TP Interact.\n"
            "Source : https://www.factuel.info/blog/"
            "a-teleperformance-les-robots-ordonnent-a-lhumain-comment-penser-et-ressentir\n"
            "SIREN et effectif non renseignés : ceux de la filiale française ne sont pas repris "
            "dans les sources."
        ),
    },
    "bodies": {
        "cse": {
            "name": "CSE de Teleperformance France",
            "kind": Body.Kind.CSE,
            "seats": 25,
            "secretary_title": "Le secrétaire du CSE",
        },
        "cssct": {
            "name": "CSSCT du CSE de Teleperformance France",
            "kind": Body.Kind.CSSCT,
            "parent": "cse",
            "seats": 5,
        },
    },
    "deployments": {
        "tp": {
            "name": "TP Observe et TP Interact",
            "vendor": "CallMiner",
            "description": (
                "Deux modules d'analyse de la parole et des émotions, fournis par CallMiner. "
                "Pendant l'appel, l'outil transcrit la conversation, analyse la voix du conseiller "
                "et celle du client pour en déduire leurs émotions, note l'appel et affiche au "
                "conseiller des fenêtres surgissantes : « parlez plus vite », « remerciez le "
                "client »…"
            ),
            "functions": [
                AIFunction.TRANSCRIPTION,
                AIFunction.SCORING,
                AIFunction.EMOTION_RECOGNITION,
                AIFunction.REAL_TIME_GUIDANCE,
            ],
            "sites": "Centres d'appels de Teleperformance France.",
            "planned_go_live": date(2020, 10, 1),
            "actual_go_live": date(2020, 10, 5),
            "ai_act_role": AIActRole.DEPLOYER,
            "risk_tier": RiskTier.PROHIBITED,
            "annex_iii": AnnexIII.EMOTION_RECOGNITION,
            "emotion_subject": EmotionSubject.BOTH,
            "emotion_input": EmotionInput.BIOMETRIC,
            "art50_duties": [Art50Duty.EMOTION_NOTICE],
            "controller": "Teleperformance France",
            "processors": "CallMiner",
            "dpia_status": DPIAStatus.REQUIRED,
            "recording_mode": RecordingMode.SYSTEMATIC,
            "transfers_outside_eu": True,
            "notes": (
                "Niveau de risque « pratique interdite » : appréciation au regard de l'AI Act "
                "d'aujourd'hui (art. 5(1)(f), applicable depuis le 2 février 2025) — la "
                "reconnaissance des émotions des salariés à partir de la voix est interdite. En "
                "2020, le règlement n'existait pas encore.\n"
                "Annexe III 1(c) : pour les émotions des clients, qui relèvent du haut risque et "
                "non de l'interdiction.\n"
                "AIPD : requise (surveillance constante de l'activité, liste de la CNIL) ; aucune "
                "AIPD n'a été communiquée au CSE selon les comptes rendus.\n"
                "Transferts hors de l'Union européenne : la presse syndicale évoque un stockage "
                "des données hors de l'Union ; pays et garanties non communiqués.\n"
                "Mise en service prévue le 1er octobre et effective le 5 octobre 2020 : dates "
                "plausibles, les comptes rendus disent seulement que la direction a déployé "
                "l'outil malgré l'avis du CSE."
            ),
        },
    },
    "consultations": {
        "tp": {
            "body": "cse",
            "deployment": "tp",
            "title": "Projet TP Observe et TP Interact : analyse de la voix et des émotions "
            "en temps réel",
            "legal_bases": [LegalBasis.NEW_TECHNOLOGY, LegalBasis.MONITORING],
            "information_received_on": TP_T0,
            "opinion": Consultation.Opinion.UNFAVOURABLE,
            "opinion_on": date(2020, 9, 23),
            "visibility": Consultation.Visibility.PUBLIC,
            "summary": (
                "En juillet 2020, la direction de Teleperformance France remet au CSE le projet "
                "TP Observe et TP Interact : une analyse en temps réel de la voix et des émotions "
                "des conseillers et des clients, fournie par CallMiner, qui note les appels et "
                "envoie aux conseillers des consignes à l'écran (« parlez plus vite », "
                "« remerciez le client »).\n\n"
                "Le CSE désigne un expert à l'unanimité. Le questionnaire de l'expert ne reste "
                "ouvert qu'une semaine, en plein été, avec des problèmes de connexion : plus de "
                "300 salariés y répondent pourtant et laissent environ 1 000 commentaires.\n\n"
                "Le 27 août puis le 23 septembre 2020, le CSE adopte deux motions à l'unanimité : "
                "aucun risque psychosocial n'a été évalué et le projet dégrade les conditions de "
                "travail. Le 23 septembre, il rend à l'unanimité un avis défavorable. La direction "
                "déploie l'outil malgré tout, sans répondre aux motions."
            ),
            "internal_notes": (
                "Valeurs plausibles (les comptes rendus syndicaux ne les donnent pas) : la date "
                "de remise des informations (24 juillet 2020), la réunion de désignation de "
                "l'expert (30 juillet 2020), la réunion de la CSSCT (15 septembre 2020), le nom "
                "du cabinet d'expertise, son coût prévisionnel et les dates de ses étapes, les "
                "dates du questionnaire, le nombre de sièges (25) et de votants, la date de mise "
                "en service (5 octobre 2020).\n"
                "Dates sûres : réunions du 27 août et du 23 septembre 2020, avis défavorable "
                "unanime du 23 septembre 2020.\n"
                "Aucune réponse de la direction n'est enregistrée : elle a ignoré les motions et "
                "déployé l'outil ; Vigie montre donc la réponse motivée comme en retard."
            ),
        },
    },
    "documents": [
        {
            "consultation": "tp",
            "kind": Document.Kind.INFORMATION_NOTE,
            "title": "Note d'information de la direction sur TP Observe et TP Interact",
            "dated_on": TP_T0,
        },
        {
            "consultation": "tp",
            "kind": Document.Kind.EXPERT_REPORT,
            "title": "Rapport de l'expert du CSE sur TP Observe et TP Interact",
            "dated_on": date(2020, 9, 8),
        },
    ],
    "meetings": [
        {
            "body": "cse",
            "held_on": date(2020, 7, 30),
            "kind": Meeting.Kind.EXTRAORDINARY,
            "consultations": ["tp"],
            "agenda": (
                "1. Information-consultation sur le projet TP Observe et TP Interact.\n"
                "2. Désignation d'un expert habilité (L2315-94)."
            ),
            "agenda_sent_on": date(2020, 7, 27),
            "minutes_sent_on": date(2020, 8, 12),
            "minutes_adopted_on": date(2020, 8, 27),
            "notes": PLAUSIBLE_DATE,
            "votes": {
                "expert": {
                    "consultation": "tp",
                    "subject": Vote.Subject.APPOINT_EXPERT,
                    "question": "Le CSE décide de recourir à un expert habilité pour l'éclairer "
                    "sur le projet TP Observe et TP Interact (L2315-94 2°).",
                    "votes_for": 19,
                    "voting_members_present": 19,
                },
            },
        },
        {
            "body": "cse",
            "held_on": date(2020, 8, 27),
            "consultations": ["tp"],
            "agenda": (
                "1. Point d'étape de l'expertise sur TP Observe et TP Interact.\n"
                "2. Motion des élus sur les conditions de l'expertise."
            ),
            "agenda_sent_on": date(2020, 8, 24),
            "minutes_sent_on": date(2020, 9, 10),
            "minutes_adopted_on": date(2020, 9, 23),
            "votes": {
                "motion-aout": {
                    "consultation": "tp",
                    "subject": Vote.Subject.MOTION,
                    "question": "Adoption de la motion sur les conditions de l'expertise.",
                    "votes_for": 21,
                    "voting_members_present": 21,
                },
            },
        },
        {
            "body": "cssct",
            "held_on": date(2020, 9, 15),
            "consultations": ["tp"],
            "agenda": (
                "Préparation de l'avis du CSE : risques psychosociaux du projet TP Observe et "
                "TP Interact, au vu du rapport de l'expert."
            ),
            "agenda_sent_on": date(2020, 9, 10),
            "notes": PLAUSIBLE_DATE + " La CSSCT prépare ; elle ne vote ni avis ni expertise.",
        },
        {
            "body": "cse",
            "held_on": date(2020, 9, 23),
            "kind": Meeting.Kind.EXTRAORDINARY,
            "consultations": ["tp"],
            "agenda": (
                "1. Présentation du rapport de l'expert.\n"
                "2. Motion des élus sur les risques psychosociaux.\n"
                "3. Avis du CSE sur le projet TP Observe et TP Interact."
            ),
            "agenda_sent_on": date(2020, 9, 18),
            "votes": {
                "motion-septembre": {
                    "consultation": "tp",
                    "subject": Vote.Subject.MOTION,
                    "question": "Adoption de la motion sur les risques psychosociaux.",
                    "votes_for": 23,
                    "voting_members_present": 23,
                },
                "avis": {
                    "consultation": "tp",
                    "subject": Vote.Subject.OPINION,
                    "question": "Le CSE rend un avis défavorable sur le projet TP Observe et "
                    "TP Interact.",
                    "votes_for": 23,
                    "voting_members_present": 23,
                },
            },
        },
    ],
    "expertises": [
        {
            "consultation": "tp",
            "ground": Expertise.Ground.NEW_TECHNOLOGY,
            "expert_firm": "Cabinet Travail & Technologies",
            "appointing_vote": "expert",
            "designated_on": date(2020, 7, 31),
            "information_requested_on": date(2020, 8, 3),
            "information_received_on": date(2020, 8, 10),
            "cost_notified_on": date(2020, 8, 7),
            "estimated_cost": Decimal("42000.00"),
            "report_delivered_on": date(2020, 9, 8),
            "report_presented_on": date(2020, 9, 23),
            "obstacles": (
                "Le questionnaire de l'expert n'a pu rester ouvert qu'une semaine (du 17 au "
                "24 août 2020, dates plausibles), en pleine période de congés.\n"
                "De nombreux conseillers ont signalé des problèmes de connexion pour y accéder."
            ),
            "findings": (
                "Malgré ces obstacles, plus de 300 salariés ont répondu au questionnaire et ont "
                "laissé environ 1 000 commentaires.\n"
                "Les réponses décrivent une pression accrue, le sentiment d'être écouté et jugé "
                "en permanence, et des consignes à l'écran qui interrompent l'échange avec le "
                "client.\n"
                "Aucune évaluation des risques psychosociaux n'a été menée avant le projet."
            ),
        },
    ],
    "motions": {
        "expertise": {
            "consultation": "tp",
            "adopting_vote": "motion-aout",
            "kind": Motion.Kind.MOTION,
            "title": "Motion sur les conditions de l'expertise TP Observe et TP Interact",
            "text": (
                "Les élus du CSE de Teleperformance France constatent que l'expertise sur le "
                "projet TP Observe et TP Interact se déroule dans des conditions qui ne "
                "permettent pas aux salariés de s'exprimer pleinement : le questionnaire de "
                "l'expert n'est resté ouvert qu'une semaine, en plein mois d'août, et de nombreux "
                "conseillers n'ont pas pu s'y connecter.\n\n"
                "Malgré ces obstacles, plus de 300 salariés ont répondu et ont laissé près de "
                "1 000 commentaires. Cette mobilisation dit l'inquiétude des équipes face à un "
                "outil qui écoute, analyse et note leur voix et leurs émotions en temps réel.\n\n"
                "Le CSE demande à la direction :\n\n"
                "- de donner sans délai à l'expert toutes les informations utiles à sa mission ;\n"
                "- de ne rien mettre en œuvre, même à titre d'essai, avant que le CSE ait rendu "
                "son avis ;\n"
                "- de présenter une évaluation des risques psychosociaux du projet."
            ),
            "published": True,
        },
        "rps": {
            "consultation": "tp",
            "adopting_vote": "motion-septembre",
            "kind": Motion.Kind.MOTION,
            "title": "Motion sur les risques psychosociaux du projet TP Observe et TP Interact",
            "text": (
                "Au vu du rapport de l'expert et des témoignages de plus de 300 salariés, les "
                "élus du CSE constatent que :\n\n"
                "- le projet analyse en permanence la voix et les émotions des conseillers et des "
                "clients, note les appels et dicte aux conseillers, par des fenêtres "
                "surgissantes, de parler plus vite ou de remercier le client ;\n"
                "- aucune évaluation des risques psychosociaux n'a été menée : le document unique "
                "d'évaluation des risques n'en dit rien ;\n"
                "- l'outil accroît la pression, réduit l'autonomie des conseillers et installe "
                "une surveillance de chaque instant : il dégrade les conditions de travail.\n\n"
                "Le CSE rappelle que l'article L4121-1 du Code du travail oblige l'employeur à "
                "prendre les mesures nécessaires pour assurer la sécurité et protéger la santé "
                "physique et mentale des travailleurs, ce qui suppose d'évaluer les risques avant "
                "d'introduire un tel outil.\n\n"
                "Le CSE demande l'abandon du projet et, à défaut, sa suspension jusqu'à ce "
                "qu'une évaluation des risques psychosociaux soit menée avec la CSSCT."
            ),
            "published": True,
        },
    },
    "responses": {},
    "demands": [
        {
            "consultation": "tp",
            "text": "Abandon du projet TP Observe et TP Interact, ou à défaut sa suspension "
            "jusqu'à une évaluation des risques psychosociaux menée avec la CSSCT.",
            "status": Demand.Status.PENDING,
        },
    ],
    "events": [
        {
            "consultation": "tp",
            "occurred_on": date(2020, 10, 5),
            "kind": Event.Kind.GO_LIVE,
            "title": "La direction déploie TP Observe et TP Interact malgré l'avis défavorable "
            "unanime du CSE",
            "text": (
                "L'outil est mis en service sans réponse motivée aux deux motions du CSE. "
                + PLAUSIBLE_DATE
            ),
            "public": True,
        },
    ],
}


# --------------------------------------------------------------------------------------------
# 2. Orange, 2025: MAIA and APC in the customer services
# --------------------------------------------------------------------------------------------
#
# Two AI tools for the call-centre advisers: MAIA listens to calls, transcribes them and suggests
# what to say and do; APC records half of the calls at random, has an AI rate each adviser's
# "performance" and alerts the managers. The training is 45 minutes. The CGT FAPT rates MAIA's
# criticality medium and APC's high. The central CSE adopts a resolution unanimously and puts ten
# demands; management refuses the volunteer experimentation, the follow-up by the local CSSCTs,
# the joint monitoring committee and real (in-person) training; the other demands stay pending.
#
# One consultation per tool, since a consultation covers one deployment; both are on the agenda
# of the same meetings. The resolution, the demands and management's answer concern both tools
# and are recorded on the APC consultation, the more critical one.

ORANGE_T0 = date(2025, 9, 25)  # plausible

ORANGE = {
    "label": "Orange, 2025",
    "organisation": {
        "slug": "orange",
        "name": "Orange",
        "siren": "380129866",
        "notes": (
            "Cas de démonstration tiré de tracts syndicaux publics de 2025 sur MAIA et APC dans "
            "les services clients.\n"
            "Sources : https://cgt-fapt.fr/posts/5aYcBfqosFRuDUtTdEq7NV/"
            "orange-ia-et-relation-client ; "
            "https://cfdt-orange.org/lia-mais-pour-quoi-faire-avril-2025"
        ),
    },
    "bodies": {
        "csec": {
            "name": "CSE central d'Orange",
            "kind": Body.Kind.CSE_CENTRAL,
            "seats": 25,
            "secretary_title": "La secrétaire du CSE central",
        },
        "dogne": {
            "name": "CSE d'établissement de la Direction Orange Grand Nord-Est",
            "kind": Body.Kind.CSE_ESTABLISHMENT,
            "parent": "csec",
            "seats": 20,
        },
    },
    "deployments": {
        "maia": {
            "name": "MAIA",
            "description": (
                "« Mon Assistant IA » : pendant l'appel, l'outil écoute la conversation, la "
                "transcrit et l'analyse automatiquement, puis suggère au conseiller quoi dire et "
                "quoi faire.\n"
                "Formation prévue : 15 minutes d'e-learning et 30 minutes d'atelier, soit "
                "45 minutes en tout."
            ),
            "functions": [
                AIFunction.TRANSCRIPTION,
                AIFunction.REAL_TIME_GUIDANCE,
                AIFunction.GENERATION,
            ],
            "sites": "Plateaux de relation client d'Orange.",
            "controller": "Orange",
            "notes": (
                "Criticité évaluée par la CGT FAPT : MOYENNE.\n"
                "Niveau de risque AI Act, fournisseur et enregistrement des appels non évalués : "
                "les tracts ne permettent pas de les classer.\n"
                "Formation : 45 minutes (15 minutes d'e-learning et 30 minutes d'atelier)."
            ),
        },
        "apc": {
            "name": "APC",
            "description": (
                "« Accompagnement personnalisé du conseiller » : nom donné chez Orange à un outil "
                "de gestion automatisée de la qualité (Automated Quality Management) appuyé sur "
                "la plateforme Speech Analytics.\n"
                "La moitié des appels sont enregistrés au hasard, transcrits et analysés par l'IA "
                "selon des critères prédéfinis pour évaluer la « performance » du conseiller ; "
                "le manager reçoit des alertes sur ses « défaillances » et des synthèses pour "
                "préparer les entretiens individuels.\n"
                "Formation prévue : 45 minutes."
            ),
            "functions": [AIFunction.TRANSCRIPTION, AIFunction.SCORING],
            "sites": "Plateaux de relation client d'Orange ; pilote dans les Directions Orange "
            "Grand Nord-Est et Grand Sud-Est.",
            "risk_tier": RiskTier.HIGH,
            "annex_iii": AnnexIII.WORK_DECISIONS,
            "controller": "Orange",
            "recording_mode": RecordingMode.SYSTEMATIC,
            "notes": (
                "Criticité évaluée par la CGT FAPT : FORTE.\n"
                "Haut risque, annexe III 4(b) : surveillance et évaluation de la performance des "
                "salariés.\n"
                "Enregistrement « systématique » et non « ponctuel » : 50 % des appels sont "
                "enregistrés en permanence, par tirage au hasard, pour évaluer tous les "
                "conseillers. Ce n'est pas un enregistrement ponctuel au sens de la CNIL (limité "
                "dans le temps ou à un but précis comme la formation). La part de 50 % n'a pas "
                "de champ : elle est notée ici.\n"
                "Pilote présenté aux délégués syndicaux des Directions Orange Grand Nord-Est et "
                "Grand Sud-Est en avril 2025."
            ),
        },
    },
    "consultations": {
        "maia": {
            "body": "csec",
            "deployment": "maia",
            "title": "Projet MAIA (Mon Assistant IA) dans les services clients",
            "legal_bases": [LegalBasis.NEW_TECHNOLOGY, LegalBasis.MONITORING],
            "information_received_on": ORANGE_T0,
            "visibility": Consultation.Visibility.PUBLIC,
            "summary": (
                "Le CSE central est consulté sur MAIA, un assistant d'IA qui écoute les appels, "
                "les transcrit et suggère au conseiller quoi dire et quoi faire. La formation "
                "prévue se limite à 45 minutes. La CGT FAPT évalue la criticité de MAIA comme "
                "MOYENNE.\n\n"
                "MAIA est présenté en même temps qu'APC : la résolution du CSE central, les "
                "revendications et la réponse de la direction sont suivies sur la consultation "
                "APC."
            ),
            "internal_notes": (
                "Dates plausibles (les tracts ne les donnent pas) : remise des informations le "
                "25 septembre 2025, réunions du CSE central des 8 et 22 octobre 2025.\n"
                "L'avis du CSE central n'est pas connu des sources : à compléter. Sans avis, le "
                "CSE est réputé avoir rendu un avis négatif à l'échéance."
            ),
        },
        "apc": {
            "body": "csec",
            "deployment": "apc",
            "title": "Projet APC (Accompagnement personnalisé du conseiller) dans les services "
            "clients",
            "legal_bases": [LegalBasis.NEW_TECHNOLOGY, LegalBasis.MONITORING],
            "information_received_on": ORANGE_T0,
            "visibility": Consultation.Visibility.PUBLIC,
            "summary": (
                "Le CSE central est consulté sur APC : la moitié des appels sont enregistrés au "
                "hasard, l'IA analyse la « performance » de chaque conseiller et le manager "
                "reçoit des alertes sur ses « défaillances ». La CGT FAPT évalue la criticité "
                "d'APC comme FORTE (celle de MAIA comme MOYENNE).\n\n"
                "Les élus adoptent une résolution à l'unanimité et portent leurs revendications "
                "pour les deux outils : transparence, négociation, expérimentation sur la base "
                "du volontariat, vraie formation, droit de refus, garanties sur les données, "
                "comité paritaire de suivi de l'IA, consultation des CSE central et "
                "d'établissement, garanties d'emploi, suivi par les CSSCT locales.\n\n"
                "La direction refuse l'expérimentation, le suivi par les CSSCT locales, le "
                "comité paritaire et la formation en présentiel."
            ),
            "internal_notes": (
                "Dates plausibles (les tracts ne les donnent pas) : remise des informations le "
                "25 septembre 2025, réunions du CSE central des 8 et 22 octobre 2025, réponse de "
                "la direction en séance le 22 octobre 2025 ; nombre de votants.\n"
                "L'avis du CSE central n'est pas connu des sources : à compléter. Sans avis, le "
                "CSE est réputé avoir rendu un avis négatif à l'échéance.\n"
                "Les CSE d'établissement n'ont pas été consultés : c'est une revendication."
            ),
        },
    },
    "documents": [
        {
            "consultation": "maia",
            "kind": Document.Kind.INFORMATION_NOTE,
            "title": "Note d'information de la direction sur MAIA",
            "dated_on": ORANGE_T0,
        },
        {
            "consultation": "apc",
            "kind": Document.Kind.INFORMATION_NOTE,
            "title": "Note d'information de la direction sur APC",
            "dated_on": ORANGE_T0,
        },
        {
            "consultation": "apc",
            "kind": Document.Kind.TRACT,
            "title": "Tract CGT FAPT « Orange : IA et relation client — alerte rouge sur la "
            "surveillance algorithmique »",
            "dated_on": date(2025, 10, 31),
        },
    ],
    "meetings": [
        {
            "body": "csec",
            "held_on": date(2025, 10, 8),
            "consultations": ["maia", "apc"],
            "agenda": (
                "1. Information-consultation sur le projet MAIA.\n"
                "2. Information-consultation sur le projet APC.\n"
                "3. Résolution des élus sur l'IA dans la relation client."
            ),
            "agenda_sent_on": date(2025, 9, 30),
            "minutes_sent_on": date(2025, 10, 20),
            "minutes_adopted_on": date(2025, 10, 22),
            "notes": PLAUSIBLE_DATE,
            "votes": {
                "resolution": {
                    "consultation": "apc",
                    "subject": Vote.Subject.MOTION,
                    "question": "Adoption de la résolution des élus sur MAIA et APC.",
                    "votes_for": 24,
                    "voting_members_present": 24,
                },
            },
        },
        {
            "body": "csec",
            "held_on": date(2025, 10, 22),
            "consultations": ["maia", "apc"],
            "agenda": "Réponse de la direction à la résolution des élus sur MAIA et APC.",
            "agenda_sent_on": date(2025, 10, 14),
            "notes": PLAUSIBLE_DATE,
        },
    ],
    "expertises": [],
    "motions": {
        "resolution": {
            "consultation": "apc",
            "adopting_vote": "resolution",
            "kind": Motion.Kind.RESOLUTION,
            "title": "Résolution du CSE central sur MAIA et APC",
            "text": (
                "Les élus du CSE central d'Orange ont pris connaissance des projets MAIA et APC, "
                "qui placent l'intelligence artificielle au cœur du travail des conseillers : "
                "écoute et transcription des appels, suggestions en temps réel, enregistrement "
                "au hasard de la moitié des appels, évaluation automatique de la "
                "« performance » et alertes aux managers.\n\n"
                "Ces outils transforment le métier : ils touchent à l'autonomie des conseillers, "
                "à leur santé, à l'emploi et à la protection de leurs données. Une formation de "
                "45 minutes ne peut pas accompagner un tel changement.\n\n"
                "Les élus demandent :\n\n"
                "1. la transparence totale sur les outils, leurs critères d'analyse et les "
                "données traitées ;\n"
                "2. l'ouverture d'une négociation avant tout déploiement ;\n"
                "3. une expérimentation sur la base du volontariat avant toute généralisation ;\n"
                "4. une vraie formation, en présentiel, avec un accompagnement personnalisé et "
                "une baisse des objectifs pendant l'appropriation ;\n"
                "5. un droit de refus pour les conseillers ;\n"
                "6. des garanties sur les données : lieu d'hébergement, durée de conservation, "
                "droit à l'oubli ;\n"
                "7. un comité paritaire de suivi de l'IA ;\n"
                "8. la consultation obligatoire du CSE central et des CSE d'établissement ;\n"
                "9. des garanties d'emploi ;\n"
                "10. le suivi du déploiement par les CSSCT locales.\n\n"
                "Les élus rappellent que l'introduction de nouvelles technologies relève de "
                "l'information-consultation des instances (article L2312-8 du Code du travail), "
                "avant toute décision de déploiement."
            ),
            "published": True,
        },
    },
    "responses": {
        "refus": {
            "consultation": "apc",
            "motions": ["resolution"],
            "received_on": date(2025, 10, 22),
            "channel": ManagementResponse.Channel.MEETING,
            "stance": ManagementResponse.Stance.REJECTS,
            "text": (
                "En séance du CSE central, la direction refuse toute expérimentation sur la base "
                "du volontariat, le suivi du déploiement par les CSSCT locales, la création d'un "
                "comité paritaire de suivi de l'IA et la formation en présentiel avec baisse des "
                "objectifs. Elle affirme que les outils n'auront « aucun impact sur l'emploi ». "
                "Elle ne répond pas sur les autres revendications.\n" + PLAUSIBLE_DATE
            ),
        },
    },
    "demands": [
        {
            "consultation": "apc",
            "text": "Transparence totale sur MAIA et APC : fonctionnement, critères d'analyse, "
            "données traitées.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Ouverture d'une négociation sur l'IA dans la relation client avant tout "
            "déploiement.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Expérimentation sur la base du volontariat avant toute généralisation.",
            "status": Demand.Status.REFUSED,
            "settled_by": "refus",
        },
        {
            "consultation": "apc",
            "text": "Une vraie formation, en présentiel, avec accompagnement personnalisé et "
            "baisse des objectifs pendant l'appropriation (au lieu de 45 minutes).",
            "status": Demand.Status.REFUSED,
            "settled_by": "refus",
        },
        {
            "consultation": "apc",
            "text": "Un droit de refus pour les conseillers.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Garanties sur les données des salariés et des clients : hébergement chez "
            "Orange, durée de conservation, droit à l'oubli, droits collectifs sur leur usage.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Un comité paritaire de suivi de l'IA.",
            "status": Demand.Status.REFUSED,
            "settled_by": "refus",
        },
        {
            "consultation": "apc",
            "text": "Consultation obligatoire du CSE central et des CSE d'établissement.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Garanties d'emploi : les gains de productivité doivent servir à embaucher, "
            "augmenter les salaires et réduire le temps de travail.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "apc",
            "text": "Suivi du déploiement par les CSSCT locales.",
            "status": Demand.Status.REFUSED,
            "settled_by": "refus",
        },
    ],
    "events": [
        {
            "consultation": "apc",
            "occurred_on": date(2025, 4, 11),
            "kind": Event.Kind.OTHER,
            "title": "Le pilote APC est présenté aux délégués syndicaux, sans consultation des "
            "instances",
            "text": (
                "Les directions Orange Grand Nord-Est et Grand Sud-Est présentent le « pilote » "
                "d'accompagnement personnalisé du conseiller lors de réunions multilatérales des "
                "délégués syndicaux. Date : celle de l'article syndical qui en rend compte."
            ),
            "source_url": "https://cfdt-orange.org/lia-mais-pour-quoi-faire-avril-2025",
            "public": True,
        },
    ],
}


# --------------------------------------------------------------------------------------------
# 3. Konecta France, 2025: AI agents meant to replace advisers (internal consultation)
# --------------------------------------------------------------------------------------------
#
# The group's strategic plan ("Katalyst 2028") bets on AI agents able to handle calls instead of
# human advisers. The representatives keep this consultation internal. Strikes break out at the
# Carmaux and Le Mans call centres in the summer of 2025 over working conditions and pay, in the
# shadow of that plan. Management marks its staffing projections confidential.

KONECTA_T0 = date(2025, 6, 19)  # plausible

KONECTA = {
    "label": "Konecta France, 2025",
    "organisation": {
        "slug": "konecta-france",
        "name": "Konecta France",
        "notes": (
            "Cas de démonstration tiré d'articles de presse publics de 2025.\n"
            "Sources : https://liberte-actus.fr/economie-et-industrie/entreprises/article/"
            "les-deux-visages-de-la-strategie-konecta ; "
            "https://liberte-actus.fr/social/luttes/article/nous-ne-sommes-pas-des-numeros"
        ),
    },
    "bodies": {
        "cse": {
            "name": "CSE de Konecta France",
            "kind": Body.Kind.CSE,
            "seats": 15,
        },
    },
    "deployments": {
        "agents": {
            "name": "Agents IA de relation client (plan Katalyst 2028)",
            "vendor": "Konecta (solutions du groupe)",
            "description": (
                "Agents conversationnels d'IA générative que le groupe présente, dans son plan "
                "stratégique « Katalyst 2028 », comme capables de traiter des appels et des "
                "demandes de clients à la place des conseillers."
            ),
            "functions": [AIFunction.AUTOMATION, AIFunction.GENERATION],
            "sites": "Centres d'appels de Konecta France, dont Carmaux (Tarn) et Le Mans.",
            "ai_act_role": AIActRole.BOTH,
            "risk_tier": RiskTier.TRANSPARENCY,
            "art50_duties": [Art50Duty.AI_INTERACTION],
            "controller": "Konecta France",
            "notes": (
                "Rôle AI Act « fournisseur et déployeur » plausible : le groupe développe ces "
                "agents pour ses clients et les déploie dans ses propres centres.\n"
                "Transparence (art. 50(1)) : les clients doivent savoir qu'ils échangent avec une "
                "IA.\n"
                "Nombre de postes concernés non communiqué : voir les projections d'effectifs "
                "déclarées confidentielles."
            ),
        },
    },
    "consultations": {
        "agents": {
            "body": "cse",
            "deployment": "agents",
            "title": "Projet de déploiement d'agents IA dans les centres d'appels (Katalyst 2028)",
            "legal_bases": [LegalBasis.NEW_TECHNOLOGY],
            "information_received_on": KONECTA_T0,
            "visibility": Consultation.Visibility.INTERNAL,
            "summary": (
                "La direction présente au CSE le déploiement d'agents d'IA capables de traiter "
                "des appels à la place des conseillers, dans le cadre du plan « Katalyst 2028 ». "
                "Les élus s'inquiètent pour l'emploi et les conditions de travail ; des grèves "
                "éclatent à Carmaux et au Mans à l'été 2025."
            ),
            "internal_notes": (
                "Consultation gardée interne par les élus.\n"
                "Valeurs plausibles : remise des informations le 19 juin 2025, réunion du "
                "3 juillet 2025 et ses votes, nombre de sièges (15), date de la grève du Mans "
                "(17 juillet 2025), justification de confidentialité des projections "
                "d'effectifs. Date sûre : grève à Carmaux le 29 juillet 2025."
            ),
        },
    },
    "documents": [
        {
            "consultation": "agents",
            "kind": Document.Kind.INFORMATION_NOTE,
            "title": "Note d'information sur le déploiement d'agents IA",
            "dated_on": KONECTA_T0,
        },
        {
            "consultation": "agents",
            "kind": Document.Kind.OTHER,
            "title": "Projections d'effectifs et de volumes d'appels par site, 2025-2028",
            "dated_on": KONECTA_T0,
            "confidential": True,
            "confidentiality_justification": (
                "Courrier de la direction du 19 juin 2025 : le document contient des prévisions "
                "d'effectifs et de volumes d'appels par site et par client, non publiées, dont "
                "la diffusion nuirait aux négociations en cours avec les clients donneurs "
                "d'ordre."
            ),
        },
    ],
    "meetings": [
        {
            "body": "cse",
            "held_on": date(2025, 7, 3),
            "consultations": ["agents"],
            "agenda": (
                "1. Information-consultation sur le déploiement d'agents IA.\n"
                "2. Déclaration des élus."
            ),
            "agenda_sent_on": date(2025, 6, 27),
            "notes": PLAUSIBLE_DATE,
            "votes": {
                "declaration": {
                    "consultation": "agents",
                    "subject": Vote.Subject.MOTION,
                    "question": "Adoption de la déclaration des élus sur l'emploi face aux "
                    "agents IA.",
                    "votes_for": 10,
                    "abstentions": 2,
                    "voting_members_present": 12,
                },
            },
        },
    ],
    "expertises": [],
    "motions": {
        "declaration": {
            "consultation": "agents",
            "adopting_vote": "declaration",
            "kind": Motion.Kind.STATEMENT,
            "title": "Déclaration des élus sur l'emploi face aux agents IA",
            "text": (
                "Les élus du CSE refusent que l'intelligence artificielle serve à remplacer les "
                "conseillers. Ils demandent le nombre de postes concernés, site par site, et "
                "l'engagement qu'aucun emploi ne sera supprimé du fait des agents IA.\n\n"
                "Ils rappellent que les conseillers subissent déjà des plannings instables, des "
                "salaires bloqués au SMIC et des objectifs inatteignables."
            ),
            "published": False,
        },
    },
    "responses": {},
    "demands": [
        {
            "consultation": "agents",
            "text": "Nombre de postes concernés par les agents IA, site par site.",
            "status": Demand.Status.PENDING,
        },
        {
            "consultation": "agents",
            "text": "Aucune suppression d'emploi du fait des agents IA.",
            "status": Demand.Status.PENDING,
        },
    ],
    "events": [
        {
            "consultation": "agents",
            "occurred_on": date(2025, 7, 17),
            "kind": Event.Kind.STRIKE,
            "title": "Grève au centre d'appels du Mans",
            "text": (
                "Les salariés dénoncent la dégradation de leurs conditions de travail, des "
                "plannings instables et des salaires au SMIC, pendant que le groupe mise sur "
                "l'IA pour remplacer des conseillers. " + PLAUSIBLE_DATE
            ),
            "source_url": "https://liberte-actus.fr/economie-et-industrie/entreprises/article/"
            "les-deux-visages-de-la-strategie-konecta",
        },
        {
            "consultation": "agents",
            "occurred_on": date(2025, 7, 29),
            "kind": Event.Kind.STRIKE,
            "title": "Grève au centre d'appels de Carmaux",
            "text": (
                "Une partie des quelque 200 salariés du site se met en grève, soutenue par une "
                "intersyndicale CGT-CFDT-FO-SUD : conditions de travail, absence de dialogue "
                "social, pression managériale."
            ),
            "source_url": "https://liberte-actus.fr/social/luttes/article/nous-ne-sommes-pas-des-"
            "numeros",
        },
    ],
}


CASES = [TELEPERFORMANCE, ORANGE, KONECTA]


# --------------------------------------------------------------------------------------------
# Accounts (passwords are set only when the account is created)
# --------------------------------------------------------------------------------------------

USERS = [
    {
        "username": "admin",
        "password": "vigie-admin",
        "is_staff": True,
        "is_superuser": True,
        "description": "superutilisateur",
        "memberships": [],
    },
    {
        "username": "editrice",
        "password": "vigie-editrice",
        "is_staff": True,
        "is_superuser": False,
        "description": "rédactrice des trois organisations",
        "memberships": [
            ("teleperformance-france", Membership.Role.EDITOR),
            ("orange", Membership.Role.EDITOR),
            ("konecta-france", Membership.Role.EDITOR),
        ],
    },
    {
        "username": "lecteur",
        "password": "vigie-lecteur",
        "is_staff": False,
        "is_superuser": False,
        "description": "lecteur de Teleperformance France et d'Orange",
        "memberships": [
            ("teleperformance-france", Membership.Role.READER),
            ("orange", Membership.Role.READER),
        ],
    },
]

"""Benchmark of the PDF exports (not run by the test suite).

    python bench/pdf.py [--motion-runs 20] [--dossier-runs 5] [--out DIR]

Builds a throwaway in-memory test database (never the developer's db.sqlite3), generates a
public consultation with 50 adopted motions of realistic length, then measures the median time
of one motion PDF (fetch + render) and of the 50-motion dossier. Prints a table and PASS/FAIL
against the targets (on the wall-clock median): motion <= 150 ms, 50-motion dossier <= 3 s, the
public dossier served again from the cache of public pages (through the test client, as an
anonymous reader) <= 50 ms. The CPU time is printed beside it, as the wall clock also counts
other processes on a busy machine.
With --out, writes the PDFs there too (to look at them).
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Never the developer's database: a scratch SQLite URL, and the test database is in memory.
os.environ["DATABASE_URL"] = "sqlite:////tmp/vigie-bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

TARGETS = {"motion": 0.150, "dossier": 3.0, "cached": 0.050}
MOTIONS = 50

THEMES = [
    ("Analyse des émotions", "la reconnaissance des émotions dans la voix des téléconseillers"),
    ("Notation automatique des appels", "la notation automatique de chaque appel par l'outil"),
    ("Consignes en temps réel", "les consignes affichées pendant l'appel par l'assistant"),
    ("Transcription des appels", "la transcription systématique des conversations"),
    ("Durée de conservation", "la conservation des enregistrements et des fiches d'analyse"),
    ("Répartition des tâches", "la répartition des appels selon les scores individuels"),
    ("Formation des salariés", "la formation des salariés à l'outil et à ses limites"),
    ("Analyse d'impact", "l'analyse d'impact relative à la protection des données"),
    ("Expérimentation à Lyon", "l'expérimentation menée sur le site de Lyon Part-Dieu"),
    ("Lignes non enregistrées", "les lignes non enregistrées réservées aux élus"),
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
]

DEMANDS = [
    "l'arrêt immédiat de l'expérimentation tant que le CSE n'a pas rendu son avis ;",
    "la communication de l'analyse d'impact et du contrat conclu avec le fournisseur ;",
    "la garantie écrite qu'aucune sanction ne sera fondée sur les scores de l'outil ;",
    "une ligne non enregistrée pour les représentants du personnel ;",
    "la limitation de la conservation des enregistrements à six mois ;",
    "une formation de deux jours pour chaque salarié concerné, sur le temps de travail ;",
]


def motion_text(rng, subject):
    considerants = rng.sample(CONSIDERANTS, k=rng.randint(3, 5))
    demands = rng.sample(DEMANDS, k=rng.randint(2, 4))
    lines = [
        f"Le CSE, réuni en séance, a examiné le projet de la direction portant sur {subject}.",
        "",
        "## Considérant",
        "",
        *[f"- {item}" for item in considerants],
        "",
        "## Le CSE demande",
        "",
        *[f"{index}. {item}" for index, item in enumerate(demands, start=1)],
        "",
        "> « Nous ne sommes pas des machines : qu'on nous écoute ! » — un téléconseiller, "
        "lors de l'enquête menée par les élus.",
        "",
        "Le CSE mandate sa secrétaire pour transmettre la présente motion à la direction, à "
        "l'inspection du travail et aux salariés. Il se réserve le droit d'agir en justice "
        "si la direction passe outre ; il demande une réponse motivée à la prochaine réunion.",
    ]
    return "\n".join(lines)


def build_data(rng):
    from consultations.models import (
        Body,
        ClockStop,
        Consultation,
        Demand,
        Deployment,
        Document,
        Event,
        Expertise,
        ManagementResponse,
        Meeting,
        Motion,
        Organisation,
        Vote,
    )

    organisation = Organisation.objects.create(
        name="Téléservices Rhône-Alpes", slug="teleservices-ra", headcount=1400
    )
    body = Body.objects.create(
        organisation=organisation,
        kind=Body.Kind.CSE,
        name="CSE de l'établissement de Lyon",
        seats=12,
        secretary_title="La secrétaire du CSE",
    )
    deployment = Deployment.objects.create(
        organisation=organisation,
        name="VoiceInsight",
        vendor="CallMiner",
        description="Analyse des appels du centre de relation client.",
        functions=["transcription", "scoring", "emotion_recognition", "real_time_guidance"],
        workers_affected=320,
        planned_go_live=datetime.date(2025, 9, 1),
        risk_tier="prohibited",
    )
    consultation = Consultation.objects.create(
        body=body,
        deployment=deployment,
        title="Consultation sur l'analyse des émotions et la notation des appels (VoiceInsight)",
        legal_bases=["L2312-8", "L2312-38-3"],
        information_received_on=datetime.date(2025, 3, 3),
        visibility=Consultation.Visibility.PUBLIC,
        summary="La direction veut **analyser** chaque appel ; le CSE a désigné un expert.",
        internal_notes="Stratégie : saisir l'inspection du travail si aucune réponse.",
        opinion=Consultation.Opinion.UNFAVOURABLE,
        opinion_on=datetime.date(2025, 6, 26),
    )
    ClockStop.objects.create(
        consultation=consultation,
        starts_on=datetime.date(2025, 3, 24),
        ends_on=datetime.date(2025, 4, 4),
        reason=ClockStop.Reason.EXPERTISE_CONTESTED,
    )
    meetings = []
    for index in range(10):
        meeting = Meeting.objects.create(
            body=body,
            held_on=datetime.date(2025, 3, 14) + datetime.timedelta(days=11 * index),
            starts_at=datetime.time(9, 30),
            place="salle du conseil, Lyon Part-Dieu",
            kind=Meeting.Kind.EXTRAORDINARY if index % 3 == 0 else Meeting.Kind.ORDINARY,
        )
        meeting.consultations.add(consultation)
        meetings.append(meeting)
    expert_vote = Vote.objects.create(
        meeting=meetings[0],
        consultation=consultation,
        subject=Vote.Subject.APPOINT_EXPERT,
        question="Désignation du cabinet Degest",
        votes_for=11,
        voting_members_present=11,
    )
    Expertise.objects.create(
        consultation=consultation,
        ground=Expertise.Ground.NEW_TECHNOLOGY,
        expert_firm="Cabinet Degest",
        appointing_vote=expert_vote,
        designated_on=meetings[0].held_on,
        information_requested_on=datetime.date(2025, 3, 17),
        cost_notified_on=datetime.date(2025, 3, 21),
        estimated_cost=28500,
        contested_on=datetime.date(2025, 3, 24),
        judgment_on=datetime.date(2025, 4, 4),
        contest_outcome=Expertise.ContestOutcome.REJECTED,
        report_delivered_on=datetime.date(2025, 6, 2),
        report_presented_on=datetime.date(2025, 6, 12),
        findings="L'outil déduit des **émotions** de la voix : pratique interdite (art. 5).",
    )
    motions = []
    for index in range(MOTIONS):
        meeting = meetings[index // 5]
        title, subject = THEMES[index % len(THEMES)]
        present = rng.randint(9, 12)
        votes_for = present if index % 4 == 0 else rng.randint(present // 2 + 1, present)
        rest = present - votes_for
        against = rng.randint(0, rest)
        vote = Vote.objects.create(
            meeting=meeting,
            consultation=consultation,
            subject=Vote.Subject.MOTION,
            question=f"Adoption de la motion « {title} »",
            votes_for=votes_for,
            votes_against=against,
            abstentions=rest - against,
            voting_members_present=present,
        )
        motions.append(
            Motion.objects.create(
                consultation=consultation,
                adopting_vote=vote,
                kind=Motion.Kind.OPINION if index == MOTIONS - 1 else Motion.Kind.MOTION,
                title=f"{title} : position du CSE ({index // len(THEMES) + 1})",
                text=motion_text(rng, subject),
                published=index % 7 != 3,
            )
        )
    response = ManagementResponse.objects.create(
        consultation=consultation,
        received_on=datetime.date(2025, 7, 10),
        channel=ManagementResponse.Channel.LETTER,
        stance=ManagementResponse.Stance.PARTLY,
        text="La direction suspend l'analyse des émotions mais maintient la notation des appels.",
    )
    response.motions.add(*motions[:5])
    for text, status in [
        ("Arrêt de la reconnaissance des émotions", Demand.Status.WON),
        ("Aucune sanction fondée sur les scores", Demand.Status.PARTLY),
        ("Ligne non enregistrée pour les élus", Demand.Status.PENDING),
    ]:
        Demand.objects.create(
            consultation=consultation,
            text=text,
            status=status,
            settled_by=None if status == Demand.Status.PENDING else response,
        )
    Document.objects.create(
        consultation=consultation,
        kind=Document.Kind.INFORMATION_NOTE,
        title="Note d'information sur VoiceInsight",
        dated_on=datetime.date(2025, 3, 3),
    )
    Document.objects.create(
        consultation=consultation,
        kind=Document.Kind.OTHER,
        title="Contrat avec le fournisseur",
        dated_on=datetime.date(2025, 3, 3),
        confidential=True,
        confidentiality_justification="Secret des affaires",
    )
    Event.objects.create(
        consultation=consultation,
        occurred_on=datetime.date(2025, 5, 20),
        kind=Event.Kind.STRIKE,
        title="Grève des téléconseillers contre la notation des appels",
        public=True,
    )
    return consultation, motions


def ms(seconds):
    return f"{seconds * 1000:.0f}ms"


def page_count(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def measure(function, runs):
    """Median wall-clock and CPU seconds of ``runs`` calls (after one warm-up call)."""
    function()  # warm-up: fonts, stylesheet, templates
    wall, cpu = [], []
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), min(wall), max(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--motion-runs", type=int, default=20)
    parser.add_argument("--dossier-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the PDFs to this folder")
    args = parser.parse_args()

    from consultations import pdf

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        consultation, motions = build_data(random.Random(2025))
        motion_pk = motions[len(motions) // 2].pk

        def one_motion():
            return pdf.motion_pdf(pdf.motion_queryset().get(pk=motion_pk))

        def dossier():
            return pdf.dossier_pdf(consultation, public=False)

        from django.core.cache import cache
        from django.test import Client
        from django.urls import reverse

        cache.clear()
        dossier_url = reverse("consultations:dossier-pdf", args=[consultation.pk])

        def cached_dossier():
            """The public dossier as an anonymous reader gets it: made once, then served
            from the cache of public pages (CACHE_URL; local memory by default)."""
            response = Client().get(dossier_url, secure=True)
            assert response.status_code == 200, response.status_code
            return None, None, response.content

        rows = [
            ("motion", "1 motion (fetch + render)", one_motion, args.motion_runs),
            ("dossier", f"dossier, {MOTIONS} motions", dossier, args.dossier_runs),
            ("cached", "public dossier, cached", cached_dossier, args.motion_runs),
        ]
        print(
            f"{'export':<27}{'pages':>6}{'runs':>5}{'median':>9}{'min':>9}{'max':>9}"
            f"{'cpu':>9}{'target':>9}  result"
        )
        failed = False
        for key, label, function, runs in rows:
            pages = page_count(function()[2])
            median, low, high, cpu = measure(function, runs)
            ok = median <= TARGETS[key]
            failed |= not ok
            print(
                f"{label:<27}{pages:>6}{runs:>5}{ms(median):>9}{ms(low):>9}{ms(high):>9}"
                f"{ms(cpu):>9}{ms(TARGETS[key]):>9}  {'PASS' if ok else 'FAIL'}"
            )
        print(
            "median, min, max: wall-clock time; cpu: median CPU time of this process. "
            f"Load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)."
        )
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            exports = [
                one_motion(),
                pdf.dossier_pdf(consultation, public=False),
                pdf.dossier_pdf(consultation, public=True),
                pdf.register_pdf(consultation.body, 2025, public=False),
            ]
            for index, (filename, _, content) in enumerate(exports):
                name = filename if index != 2 else filename.replace(".pdf", "-public.pdf")
                (args.out / name).write_bytes(content)
                print(f"wrote {args.out / name}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

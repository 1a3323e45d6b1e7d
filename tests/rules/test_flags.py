"""Red flags as a table of deployments and the exact flags each must raise (rules/flags.py)."""

from datetime import date

import pytest

from consultations.rules.flags import DeploymentFacts, Flag, Severity, red_flags

D = date
CALL_CENTRE = frozenset({"transcription", "scoring"})

CASES = [
    ("nothing recorded", DeploymentFacts(), set()),
    ("text generation only", DeploymentFacts(functions=frozenset({"generation"})), set()),
    (
        "workers' emotions from the voice",
        DeploymentFacts(
            functions=frozenset({"emotion_recognition"}),
            emotion_subject="workers",
            emotion_input="biometric",
            dpia_status="done",
            consulted_on_monitoring=True,
        ),
        {Flag.EMOTION_WORKERS},
    ),
    (
        "workers' emotions from text only: not emotion recognition (art. 3(39))",
        DeploymentFacts(emotion_subject="workers", emotion_input="text_only"),
        set(),
    ),
    (
        "medical exception claimed",
        DeploymentFacts(
            emotion_subject="workers", emotion_input="biometric", medical_safety_exception=True
        ),
        {Flag.EMOTION_EXCEPTION_CLAIMED},
    ),
    (
        "customers' emotions",
        DeploymentFacts(emotion_subject="customers", emotion_input="biometric"),
        {Flag.EMOTION_CUSTOMERS},
    ),
    (
        "both",
        DeploymentFacts(emotion_subject="both", emotion_input="biometric"),
        {Flag.EMOTION_WORKERS, Flag.EMOTION_CUSTOMERS},
    ),
    (
        "scoring agents, consulted, DPIA done",
        DeploymentFacts(functions=CALL_CENTRE, dpia_status="done", consulted_on_monitoring=True),
        {Flag.HIGH_RISK_WORKERS},
    ),
    (
        "annex III 4(a) recruitment",
        DeploymentFacts(annex_iii="4a"),
        {Flag.HIGH_RISK_WORKERS},
    ),
    (
        "monitoring without DPIA nor consultation",
        DeploymentFacts(functions=frozenset({"transcription"})),
        {Flag.NO_DPIA, Flag.CSE_NOT_CONSULTED},
    ),
    (
        "systematic recording",
        DeploymentFacts(recording_mode="systematic"),
        {Flag.SYSTEMATIC_RECORDING},
    ),
    ("occasional recording", DeploymentFacts(recording_mode="occasional"), set()),
    ("recordings kept 6 months", DeploymentFacts(retention_recordings_months=6), set()),
    (
        "recordings kept 7 months",
        DeploymentFacts(retention_recordings_months=7),
        {Flag.LONG_RETENTION},
    ),
    (
        "analyses kept 13 months",
        DeploymentFacts(retention_analysis_months=13),
        {Flag.LONG_RETENTION},
    ),
    (
        "high-risk AI logs kept 3 months",
        DeploymentFacts(log_retention_months=3, annex_iii="4b"),
        {Flag.SHORT_LOG_RETENTION, Flag.HIGH_RISK_WORKERS},
    ),
    (
        "logs of a scoring system kept 3 months",
        DeploymentFacts(log_retention_months=3, functions=frozenset({"scoring"})),
        {Flag.SHORT_LOG_RETENTION, Flag.HIGH_RISK_WORKERS, Flag.NO_DPIA, Flag.CSE_NOT_CONSULTED},
    ),
    (
        "logs of a system not high-risk kept 3 months",
        DeploymentFacts(log_retention_months=3),
        set(),
    ),
    (
        "high-risk AI logs kept 6 months",
        DeploymentFacts(log_retention_months=6, annex_iii="4b"),
        {Flag.HIGH_RISK_WORKERS},
    ),
    (
        "transfer without safeguard",
        DeploymentFacts(transfers_outside_eu=True),
        {Flag.TRANSFER_WITHOUT_SAFEGUARD},
    ),
    (
        "transfer under SCC",
        DeploymentFacts(transfers_outside_eu=True, transfer_safeguard="scc"),
        set(),
    ),
    (
        "go-live before the opinion",
        DeploymentFacts(actual_go_live=D(2025, 3, 1), opinion_dates=(D(2025, 4, 1),)),
        {Flag.GO_LIVE_BEFORE_OPINION},
    ),
    (
        "go-live while the consultation runs",
        DeploymentFacts(actual_go_live=D(2025, 3, 1), opinion_dates=(None,)),
        {Flag.GO_LIVE_BEFORE_OPINION},
    ),
    (
        "go-live after one opinion, before another",
        DeploymentFacts(
            actual_go_live=D(2025, 4, 15), opinion_dates=(D(2025, 4, 1), D(2025, 4, 20))
        ),
        {Flag.GO_LIVE_BEFORE_OPINION},
    ),
    (
        "go-live after every opinion",
        DeploymentFacts(
            actual_go_live=D(2025, 4, 20), opinion_dates=(D(2025, 4, 1), D(2025, 4, 20))
        ),
        set(),
    ),
    (
        "go-live after the opinion",
        DeploymentFacts(actual_go_live=D(2025, 5, 1), opinion_dates=(D(2025, 4, 1),)),
        set(),
    ),
    (
        "live before the information on a matter of information only (L2312-38 al. 1-2)",
        DeploymentFacts(
            actual_go_live=D(2025, 3, 1),
            information_only_matter=True,
            first_information_on=D(2025, 3, 2),
        ),
        {Flag.GO_LIVE_BEFORE_INFORMATION},
    ),
    (
        "live, the council never informed of a matter of information only",
        DeploymentFacts(actual_go_live=D(2025, 3, 1), information_only_matter=True),
        {Flag.GO_LIVE_BEFORE_INFORMATION},
    ),
    (
        "live the day the council was informed of a matter of information only",
        DeploymentFacts(
            actual_go_live=D(2025, 3, 1),
            information_only_matter=True,
            first_information_on=D(2025, 3, 1),
        ),
        set(),
    ),
    (
        "monitoring live, employees never told",
        DeploymentFacts(
            functions=frozenset({"geolocation"}),
            actual_go_live=D(2025, 5, 1),
            dpia_status="done",
            consulted_on_monitoring=True,
            opinion_dates=(D(2025, 4, 1),),
        ),
        {Flag.EMPLOYEES_NOT_INFORMED},
    ),
    (
        "monitoring live, employees told before",
        DeploymentFacts(
            functions=frozenset({"geolocation"}),
            actual_go_live=D(2025, 5, 1),
            workers_informed_on=D(2025, 4, 15),
            dpia_status="done",
            consulted_on_monitoring=True,
            opinion_dates=(D(2025, 4, 1),),
        ),
        set(),
    ),
]


@pytest.mark.parametrize(("why", "facts", "expected"), CASES, ids=[case[0] for case in CASES])
def test_it_raises_exactly_the_expected_flags(why, facts, expected):
    assert {flag.code for flag in red_flags(facts)} == expected


def test_it_puts_the_most_serious_first_and_cites_each_source():
    flags = red_flags(
        DeploymentFacts(
            functions=CALL_CENTRE | {"emotion_recognition"},
            emotion_subject="workers",
            emotion_input="biometric",
            recording_mode="systematic",
        )
    )
    assert flags[0].code == Flag.EMOTION_WORKERS and flags[0].severity == Severity.PROHIBITED
    assert "5(1)(f)" in flags[0].source and "2 février 2025" in flags[0].explanation
    assert all(flag.source and flag.explanation for flag in flags)


def test_it_says_when_the_source_is_unsettled():
    flag = next(f for f in red_flags(DeploymentFacts(annex_iii="4b")))
    assert "2 décembre 2027" in flag.explanation
    assert "sources secondaires" in flag.caveat


@pytest.mark.parametrize(
    ("go_live", "significant_change", "grandfathered"),
    [
        (None, False, False),
        (D(2026, 3, 1), False, True),
        (D(2026, 3, 1), True, False),  # changed significantly: the rules apply
        (D(2027, 12, 2), False, False),  # on the day the rules apply
    ],
)
def test_a_system_in_service_before_the_high_risk_rules_is_told_of_art_111(
    go_live, significant_change, grandfathered
):
    """LEGAL.md (d): in_service_before_2027_12_02 + significant_change (art. 111(2), S)."""
    facts = DeploymentFacts(
        functions=CALL_CENTRE,
        dpia_status="done",
        consulted_on_monitoring=True,
        actual_go_live=go_live,
        significant_change=significant_change,
        opinion_dates=(D(2025, 1, 1),),
        workers_informed_on=D(2025, 1, 1),
    )
    (flag,) = red_flags(facts)
    assert flag.code == Flag.HIGH_RISK_WORKERS and flag.severity == Severity.HIGH
    assert ("111(2)" in flag.source) is grandfathered
    assert ("modification substantielle" in flag.explanation) is grandfathered
    assert ("111(2)) connus par des sources secondaires" in flag.caveat) is grandfathered


@pytest.mark.parametrize(
    ("go_live", "significant_change", "grandfathered"),
    [
        (None, False, False),
        (D(2026, 3, 1), False, True),
        (D(2026, 3, 1), True, False),
        (D(2027, 12, 2), False, False),
    ],
)
def test_customers_emotion_recognition_in_service_before_the_high_risk_rules_is_told_of_art_111(
    go_live, significant_change, grandfathered
):
    """Annex III 1(c) is a high-risk category like 4(b): art. 111(2) applies to it alike."""
    facts = DeploymentFacts(
        emotion_subject="customers",
        emotion_input="biometric",
        actual_go_live=go_live,
        significant_change=significant_change,
    )
    flag = next(f for f in red_flags(facts) if f.code == Flag.EMOTION_CUSTOMERS)
    assert ("111(2)" in flag.source) is grandfathered
    assert ("modification substantielle" in flag.explanation) is grandfathered
    assert "50(3)" in flag.source and "C(2025) 5052" in flag.caveat
    # Informing the callers is a duty either way, not a request (GDPR art. 13-14).
    assert (
        "doivent en tout cas en être informées (art. 50(3)" in flag.explanation
    ) is grandfathered


@pytest.mark.parametrize(
    ("annex_iii", "functions", "point", "title"),
    [
        ("4a", frozenset(), "4(a)", "Recrutement : système à haut risque"),
        ("4b", frozenset(), "4(b)", "Surveillance ou évaluation des salariés"),
        ("4a", CALL_CENTRE, "4(b)", "Surveillance ou évaluation des salariés"),  # both: 4(b)
    ],
)
@pytest.mark.parametrize("go_live", [None, D(2026, 3, 1)])
def test_a_recruitment_system_is_told_of_annex_iii_4a(annex_iii, functions, point, title, go_live):
    """LEGAL.md (d): 4(a) recruitment, apart from 4(b) monitoring and evaluation of workers."""
    facts = DeploymentFacts(
        annex_iii=annex_iii,
        functions=functions,
        dpia_status="done",
        consulted_on_monitoring=True,
        actual_go_live=go_live,
        opinion_dates=(D(2025, 1, 1),),
        workers_informed_on=D(2025, 1, 1),
    )
    (flag,) = red_flags(facts)
    assert flag.title.startswith(title)
    assert f"annexe III {point}" in flag.explanation and f"annexe III {point}" in flag.source
    other = "4(b)" if point == "4(a)" else "4(a)"
    assert other not in flag.explanation + flag.source

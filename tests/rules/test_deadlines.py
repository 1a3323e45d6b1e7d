"""Legal calendar: the cases of reference/LEGAL.md (a) and (e) as tables.

Expected dates were computed by hand and checked against `calendar.month`.
"""

from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.rules.deadlines import (
    GROUND_NEW_TECHNOLOGY,
    GROUND_SERIOUS_RISK,
    Due,
    add_months,
    agenda_due,
    consultation_deadline,
    contest_limit,
    count_days,
    establishment_opinion_due,
    expertise_milestones,
    french_date,
    french_public_holidays,
    is_working_day,
    judged_contest_stop,
    minutes_due,
    presumed_appointing_votes,
)

D = date
T0 = D(2025, 3, 3)  # a Monday; + 2 months = Saturday 3 May 2025


# --- Calendar helpers -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2025, 3, 3), "3 mars 2025"),
        (D(2025, 3, 1), "1er mars 2025"),
        (D(2025, 2, 28), "28 février 2025"),
        (D(2025, 8, 15), "15 août 2025"),
        (D(2024, 12, 1), "1er décembre 2024"),
        (D(2026, 1, 31), "31 janvier 2026"),
    ],
)
def test_it_writes_dates_in_full_french(day, text):
    assert french_date(day) == text


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2000, 1, 31), 1, D(2000, 2, 29)),  # 2000 is
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 10, 31), 2, D(2025, 12, 31)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 1, 15), -1, D(2024, 12, 15)),
    ],
)
def test_it_adds_months_ending_on_the_same_day_or_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("year", "movable"),
    [
        # (Easter Monday, Ascension, Whit Monday)
        (2000, (D(2000, 4, 24), D(2000, 6, 1), D(2000, 6, 12))),
        (2024, (D(2024, 4, 1), D(2024, 5, 9), D(2024, 5, 20))),
        (2025, (D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9))),
        (2026, (D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 25))),
        (2038, (D(2038, 4, 26), D(2038, 6, 3), D(2038, 6, 14))),  # latest Easter
        (2100, (D(2100, 3, 29), D(2100, 5, 6), D(2100, 5, 17))),
    ],
)
def test_it_computes_the_eleven_french_public_holidays(year, movable):
    fixed = {
        D(year, 1, 1),
        D(year, 5, 1),
        D(year, 5, 8),
        D(year, 7, 14),
        D(year, 8, 15),
        D(year, 11, 1),
        D(year, 11, 11),
        D(year, 12, 25),
    }
    assert french_public_holidays(year) == fixed | set(movable)
    assert len(french_public_holidays(year)) == 11


def test_it_merges_ascension_with_labour_day_in_2008():
    holidays = french_public_holidays(2008)
    assert D(2008, 3, 24) in holidays  # Easter Monday
    assert D(2008, 5, 1) in holidays  # Labour Day and Ascension
    assert D(2008, 5, 12) in holidays  # Whit Monday
    assert len(holidays) == 10


def test_it_returns_a_fresh_set_of_holidays():
    french_public_holidays(2025).clear()
    assert len(french_public_holidays(2025)) == 11


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 3, 3), True),  # Monday
        (D(2025, 3, 7), True),  # Friday
        (D(2025, 3, 8), False),  # Saturday
        (D(2025, 3, 9), False),  # Sunday
        (D(2025, 4, 21), False),  # Easter Monday
        (D(2025, 4, 18), True),  # Good Friday: only in Alsace-Moselle
        (D(2025, 12, 26), True),  # Saint-Étienne: only in Alsace-Moselle
        (D(2025, 6, 9), False),  # Whit Monday
        (D(2025, 7, 14), False),
    ],
)
def test_it_tells_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("event", "days", "expected"),
    [
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
        (D(2025, 3, 3), 3, D(2025, 3, 6)),
        (D(2025, 3, 6), 3, D(2025, 3, 10)),  # Sunday 9 -> Monday 10
        (D(2025, 3, 5), 3, D(2025, 3, 10)),  # Saturday 8 -> Monday 10
    ],
)
def test_it_counts_days_without_the_event_day(event, days, expected):
    assert count_days(event, days) == expected


def test_it_refuses_a_negative_number_of_days():
    with pytest.raises(ValueError, match="négatif"):
        count_days(T0, -1)


# --- Consultation period ----------------------------------------------------


@pytest.mark.parametrize(
    ("info_received", "options", "expected"),
    [
        (T0, {}, D(2025, 4, 3)),
        (T0, {"expert": True}, D(2025, 5, 3)),  # a Saturday: not moved
        (T0, {"two_level": True, "expert": True}, D(2025, 6, 3)),
        (T0, {"two_level": True}, D(2025, 4, 3)),
        (D(2025, 1, 31), {}, D(2025, 2, 28)),
        (D(2024, 1, 31), {}, D(2024, 2, 29)),
        (D(2024, 12, 31), {"expert": True}, D(2025, 2, 28)),
        (D(2024, 11, 30), {"two_level": True, "expert": True}, D(2025, 2, 28)),
        (D(2023, 11, 30), {"two_level": True, "expert": True}, D(2024, 2, 29)),
        (D(2025, 5, 1), {}, D(2025, 6, 1)),  # a Sunday: not moved
        (D(2025, 7, 14), {"expert": True}, D(2025, 9, 14)),  # a Sunday: not moved
    ],
)
def test_it_computes_the_legal_consultation_period(info_received, options, expected):
    assert consultation_deadline(info_received, **options).date == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"agreed_days": 15}, D(2025, 3, 18)),
        ({"agreed_days": 45}, D(2025, 4, 17)),
        ({"agreed_days": 45, "expert": True}, D(2025, 4, 17)),
        ({"agreed_days": 45, "expert": True, "two_level": True}, D(2025, 4, 17)),
        ({"agreed_days": 90, "expert": True}, D(2025, 6, 1)),
        ({"agreed_days": 20}, D(2025, 3, 23)),  # a Sunday: not moved
    ],
)
def test_it_lets_an_agreed_period_replace_the_legal_one(options, expected):
    due = consultation_deadline(T0, **options)
    assert due.date == expected
    assert due.sources == ("L2312-16",)


@pytest.mark.parametrize("agreed_days", [14, 1, 0, -3])
def test_it_refuses_an_agreed_period_under_15_days(agreed_days):
    with pytest.raises(ValueError, match="15 jours"):
        consultation_deadline(T0, agreed_days=agreed_days)


@pytest.mark.parametrize(
    ("clock_stops", "expected", "suspended"),
    [
        pytest.param([], D(2025, 5, 3), 0, id="none"),
        pytest.param([(D(2025, 3, 10), D(2025, 3, 23))], D(2025, 5, 17), 14, id="single"),
        pytest.param([(D(2025, 3, 10), D(2025, 3, 10))], D(2025, 5, 4), 1, id="one day"),
        pytest.param(
            [(D(2025, 3, 10), D(2025, 3, 20)), (D(2025, 3, 15), D(2025, 3, 23))],
            D(2025, 5, 17),
            14,
            id="overlapping counted once",
        ),
        pytest.param(
            [(D(2025, 3, 10), D(2025, 3, 23)), (D(2025, 3, 10), D(2025, 3, 23))],
            D(2025, 5, 17),
            14,
            id="duplicate counted once",
        ),
        pytest.param(
            [(D(2025, 3, 10), D(2025, 3, 12)), (D(2025, 4, 1), D(2025, 4, 2))],
            D(2025, 5, 8),
            5,
            id="two separate stops",
        ),
        pytest.param([(D(2025, 2, 1), D(2025, 3, 2))], D(2025, 5, 3), 0, id="before T0"),
        pytest.param([(D(2025, 3, 3), D(2025, 3, 3))], D(2025, 5, 3), 0, id="on T0 only"),
        pytest.param([(D(2025, 3, 1), D(2025, 3, 5))], D(2025, 5, 5), 2, id="across T0"),
        pytest.param([(D(2025, 5, 4), D(2025, 5, 10))], D(2025, 5, 3), 0, id="after deadline"),
        pytest.param([(D(2025, 5, 3), D(2025, 5, 3))], D(2025, 5, 4), 1, id="on deadline"),
        pytest.param([(D(2025, 5, 1), D(2025, 5, 10))], D(2025, 5, 13), 10, id="across deadline"),
        pytest.param(
            [(D(2025, 3, 10), D(2025, 3, 23)), (D(2025, 5, 10), D(2025, 5, 12))],
            D(2025, 5, 20),
            17,
            id="starts inside a previous extension",
        ),
        pytest.param(
            [(D(2025, 5, 10), D(2025, 5, 12)), (D(2025, 3, 10), D(2025, 3, 23))],
            D(2025, 5, 20),
            17,
            id="given out of date order",
        ),
        pytest.param(
            [(D(2025, 3, 10), D(2025, 3, 23)), (D(2025, 5, 18), D(2025, 5, 20))],
            D(2025, 5, 17),
            14,
            id="after the extended deadline",
        ),
    ],
)
def test_it_extends_the_period_by_each_clock_stop_day(clock_stops, expected, suspended):
    due = consultation_deadline(T0, expert=True, clock_stops=clock_stops, stop_sources=["L2315-86"])
    assert due.date == expected
    if suspended:
        assert f"prolongé de {suspended} jour" in due.explanation
        assert due.sources == ("R2312-6", "L2315-86")
    else:
        assert "suspension" not in due.explanation
        assert due.sources == ("R2312-6",)


def test_it_extends_an_agreed_period_by_clock_stops():
    due = consultation_deadline(
        T0,
        agreed_days=45,
        clock_stops=[(D(2025, 3, 10), D(2025, 3, 16))],
        stop_sources=["L2315-86"],
    )
    assert due.date == D(2025, 4, 24)
    assert due.sources == ("L2312-16", "L2315-86")


def test_it_refuses_a_reversed_clock_stop():
    with pytest.raises(ValueError, match="Suspension invalide"):
        consultation_deadline(T0, clock_stops=[(D(2025, 3, 10), D(2025, 3, 5))])


@pytest.mark.parametrize(
    ("options", "fragments", "sources"),
    [
        ({}, ["1 mois à compter du 3 mars 2025", "(R2312-6 I)"], ("R2312-6",)),
        (
            {"expert": True},
            ["2 mois à compter du 3 mars 2025", "expertise", "R2312-6 I"],
            ("R2312-6",),
        ),
        (
            {"expert": True, "two_level": True},
            [
                "3 mois à compter du 3 mars 2025",
                "deux niveaux avec expertise",
                "R2312-6 II",
            ],
            ("R2312-6",),
        ),
        (
            {"two_level": True},
            [
                "1 mois à compter du 3 mars 2025",
                "deux niveaux sans expertise",
                "R2312-6 II",
            ],
            ("R2312-6",),
        ),
        (
            {
                "expert": True,
                "clock_stops": [(D(2025, 3, 10), D(2025, 3, 23))],
                "stop_sources": ["L2315-86"],
            },
            [
                "2 mois à compter du 3 mars 2025",
                "R2312-6",
                "prolongé de 14 jours de suspension (L2315-86)",
            ],
            ("R2312-6", "L2315-86"),
        ),
        (
            {"clock_stops": [(D(2025, 3, 10), D(2025, 3, 10))], "stop_sources": ["L2315-86"]},
            ["prolongé de 1 jour de suspension (L2315-86)"],
            ("R2312-6", "L2315-86"),
        ),
        (
            {"clock_stops": [(D(2025, 3, 10), D(2025, 3, 10))]},  # no article given: none cited
            ["prolongé de 1 jour de suspension"],
            ("R2312-6",),
        ),
        (
            {"agreed_days": 30},
            ["30 jours à compter du 3 mars 2025", "accord", "L2312-16"],
            ("L2312-16",),
        ),
        (
            {"agreed_days": 30, "expert": True},
            ["30 jours", "L2312-16", "ne prolonge pas"],
            ("L2312-16",),
        ),
        (
            {"agreed_days": 30, "clock_stops": [(D(2025, 2, 26), D(2025, 3, 1))]},
            ["à compter du 3 mars 2025"],
            ("L2312-16",),
        ),
    ],
)
def test_it_explains_the_consultation_period(options, fragments, sources):
    due = consultation_deadline(T0, **options)
    for fragment in fragments:
        assert fragment in due.explanation
    assert due.sources == sources


def test_it_names_a_period_agreed_for_a_consultation_with_an_expert():
    """L2312-16 (LEGAL.md (a) 5, trap 4): an agreement that sets a period for a consultation
    with an expert is named as such, not said not to be extended by the expertise (QA pass on
    the dates: « 45 jours ... ; l'expertise ne prolonge pas un délai conventionnel » read as a
    contradiction beside the 20 days agreed without an expert)."""
    due = consultation_deadline(T0, expert=True, agreed_days=45, agreed_with_expert=True)
    assert due.date == D(2025, 4, 17)
    assert due.explanation == (
        "45 jours à compter du 3 mars 2025 (délai fixé par accord en cas d'expertise, L2312-16)"
    )
    # The agreement's one period, without an expert: the expertise does not extend it.
    alone = consultation_deadline(T0, expert=True, agreed_days=20)
    assert "l'expertise ne prolonge pas un délai conventionnel" in alone.explanation
    # Without an expert, a period agreed for the case with one does not apply.
    assert consultation_deadline(T0, agreed_days=21, agreed_with_expert=True).explanation == (
        "21 jours à compter du 3 mars 2025 (délai fixé par accord, L2312-16)"
    )


def test_it_writes_the_first_of_the_month_as_1er():
    due = consultation_deadline(D(2025, 3, 1))
    assert due.explanation.startswith("1 mois à compter du 1er mars 2025")
    assert str(due).startswith("1er avril 2025 : ")


def test_it_makes_due_immutable():
    due = consultation_deadline(T0)
    assert isinstance(due, Due)
    with pytest.raises(FrozenInstanceError):
        due.date = D(2030, 1, 1)


@pytest.mark.parametrize(
    ("central_deadline", "expected"),
    [
        (D(2025, 6, 3), D(2025, 5, 27)),
        (D(2025, 3, 5), D(2025, 2, 26)),
        (D(2024, 3, 6), D(2024, 2, 28)),
        (D(2024, 3, 7), D(2024, 2, 29)),
    ],
)
def test_it_requires_establishment_opinions_7_days_before_the_central_deadline(
    central_deadline, expected
):
    due = establishment_opinion_due(central_deadline)
    assert due.date == expected
    assert "R2312-6 II" in due.explanation
    assert "réputé négatif" in due.explanation
    assert french_date(central_deadline) in due.explanation


# --- 10-day limits ----------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        pytest.param(D(2025, 3, 3), D(2025, 3, 13), id="weekday"),
        pytest.param(D(2025, 3, 5), D(2025, 3, 17), id="Saturday"),
        pytest.param(D(2025, 3, 6), D(2025, 3, 17), id="Sunday"),
        pytest.param(D(2024, 3, 22), D(2024, 4, 2), id="Easter Monday 2024"),
        pytest.param(D(2024, 3, 20), D(2024, 4, 2), id="Saturday to Easter Monday 2024"),
        pytest.param(D(2025, 4, 11), D(2025, 4, 22), id="Easter Monday 2025"),
        pytest.param(D(2026, 3, 27), D(2026, 4, 7), id="Easter Monday 2026"),
        pytest.param(D(2025, 4, 21), D(2025, 5, 2), id="1 May 2025 Thursday"),
        pytest.param(D(2026, 4, 21), D(2026, 5, 4), id="1 May 2026 Friday"),
        pytest.param(D(2008, 4, 21), D(2008, 5, 2), id="1 May 2008 and Ascension"),
        pytest.param(D(2025, 4, 28), D(2025, 5, 9), id="8 May 2025 Thursday"),
        pytest.param(D(2026, 4, 28), D(2026, 5, 11), id="8 May 2026 Friday"),
        pytest.param(D(2024, 4, 29), D(2024, 5, 10), id="Ascension 2024"),
        pytest.param(D(2025, 5, 19), D(2025, 5, 30), id="Ascension 2025"),
        pytest.param(D(2026, 5, 4), D(2026, 5, 15), id="Ascension 2026"),
        pytest.param(D(2025, 5, 30), D(2025, 6, 10), id="Whit Monday 2025"),
        pytest.param(D(2025, 7, 4), D(2025, 7, 15), id="14 July 2025 Monday"),
        pytest.param(D(2025, 7, 2), D(2025, 7, 15), id="weekend then 14 July 2025"),
        pytest.param(D(2026, 7, 4), D(2026, 7, 15), id="14 July 2026 Tuesday"),
        pytest.param(D(2024, 8, 5), D(2024, 8, 16), id="15 August 2024 Thursday"),
        pytest.param(D(2025, 8, 5), D(2025, 8, 18), id="15 August 2025 Friday"),
        pytest.param(D(2024, 10, 22), D(2024, 11, 4), id="1 November 2024 Friday"),
        pytest.param(D(2025, 10, 22), D(2025, 11, 3), id="1 November 2025 Saturday"),
        pytest.param(D(2024, 10, 30), D(2024, 11, 12), id="weekend then 11 November 2024"),
        pytest.param(D(2025, 11, 1), D(2025, 11, 12), id="11 November 2025 Tuesday"),
        pytest.param(D(2025, 12, 15), D(2025, 12, 26), id="Christmas 2025 Thursday"),
        pytest.param(D(2026, 12, 15), D(2026, 12, 28), id="Christmas 2026 Friday"),
        pytest.param(D(2027, 12, 15), D(2027, 12, 27), id="Christmas 2027 Saturday"),
        pytest.param(D(2025, 12, 22), D(2026, 1, 2), id="New Year 2026 Thursday"),
        pytest.param(D(2026, 12, 22), D(2027, 1, 4), id="New Year 2027 Friday"),
    ],
)
def test_it_gives_the_employer_10_days_to_contest_an_expertise(event, expected):
    due = contest_limit(event)
    assert due.date == expected
    assert due.sources[:2] == ("L2315-86", "R2315-49")
    assert "Cass. soc. 5 févr. 2025, n° 22-21.892" in due.explanation
    assert f"10 jours à compter du {french_date(event)}" in due.explanation


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        (D(2025, 3, 5), "le 15 mars 2025 étant un samedi, reporté"),
        (D(2025, 3, 6), "le 16 mars 2025 étant un dimanche, reporté"),
        (D(2025, 4, 21), "le 1er mai 2025 étant férié (fête du Travail)"),
        (
            D(2025, 4, 11),
            "férié (lundi de Pâques), reporté au premier jour ouvrable suivant, ",
        ),
        (D(2025, 12, 15), "le 26 décembre 2025 (CPC 642)"),
    ],
)
def test_it_explains_a_rolled_over_limit(event, fragment):
    due = contest_limit(event)
    assert fragment in due.explanation
    assert due.sources[-1] == "CPC 642"


def test_it_names_the_vote_or_the_designation_a_contest_counts_from():
    """R2315-49: the need for the expertise from the council's vote, the choice of the expert
    from the designation; the explanation says which day it counted from."""
    vote = contest_limit(D(2026, 8, 6), event="vote")
    assert vote.date == D(2026, 8, 17)  # Sunday 16 August moved to the Monday
    assert "10 jours à compter du vote du CSE du 6 août 2026, jour non compté" in vote.explanation
    designation = contest_limit(D(2026, 8, 10), event="designation")
    assert designation.date == D(2026, 8, 20)
    assert "à compter de la désignation de l'expert du 10 août 2026" in designation.explanation


@pytest.mark.parametrize(
    ("designations", "votes", "expected"),
    [
        pytest.param({"e": D(2026, 8, 10)}, {}, {}, id="no vote"),
        pytest.param(
            {"e": D(2026, 8, 10)}, {"v": D(2026, 8, 6)}, {"e": "v"}, id="the one vote before"
        ),
        pytest.param(
            {"e": D(2026, 8, 10)}, {"v": D(2026, 8, 10)}, {"e": "v"}, id="voted the same day"
        ),
        pytest.param({"e": D(2026, 8, 10)}, {"v": D(2026, 8, 12)}, {}, id="only a vote after"),
        pytest.param(
            {"e": D(2026, 8, 10)},
            {"early": D(2026, 7, 30), "late": D(2026, 8, 6), "after": D(2026, 8, 11)},
            {"e": "late"},
            id="the latest before the designation",
        ),
        pytest.param({"e": None}, {"v": D(2026, 8, 6)}, {"e": "v"}, id="not designated yet"),
        pytest.param(
            {"a": D(2026, 8, 10), "b": D(2026, 8, 11)},
            {"v": D(2026, 8, 6)},
            {},
            id="two expertises for one vote: neither",
        ),
        pytest.param(
            {"a": D(2026, 3, 10), "b": D(2026, 8, 10)},
            {"march": D(2026, 3, 5), "august": D(2026, 8, 6)},
            {"a": "march", "b": "august"},
            id="two expertises, each after its vote",
        ),
        pytest.param(
            {"a": D(2026, 8, 10), "b": D(2026, 8, 20)},
            {"march": D(2026, 3, 5), "august": D(2026, 8, 6)},
            {},
            id="two expertises after the same latest vote: neither",
        ),
    ],
)
def test_it_presumes_the_vote_of_an_expertise_only_without_doubt(designations, votes, expected):
    assert presumed_appointing_votes(designations, votes) == expected


def test_it_does_not_mention_a_rollover_that_did_not_happen():
    due = contest_limit(D(2025, 3, 3))
    assert "reporté" not in due.explanation
    assert due.sources == ("L2315-86", "R2315-49", "CPC 641")


# --- Expertise milestones ---------------------------------------------------


@pytest.mark.parametrize(
    ("designated", "requested", "ground", "deadline", "expected"),
    [
        pytest.param(
            D(2025, 3, 6),
            D(2025, 3, 7),
            GROUND_NEW_TECHNOLOGY,
            D(2025, 5, 6),
            {
                "information_request": D(2025, 3, 10),  # Sunday 9 -> Monday 10
                "employer_answer": D(2025, 3, 12),
                "cost_notice": D(2025, 3, 17),  # Sunday 16 -> Monday 17
                "report": D(2025, 4, 21),  # plain subtraction, even on Easter Monday
            },
            id="new technology",
        ),
        pytest.param(
            D(2025, 4, 28),
            None,
            GROUND_NEW_TECHNOLOGY,
            D(2025, 6, 3),
            {
                "information_request": D(2025, 5, 2),  # 1 May
                "cost_notice": D(2025, 5, 9),  # 8 May
                "report": D(2025, 5, 19),
            },
            id="new technology without information request, over May holidays",
        ),
        pytest.param(
            D(2025, 3, 6),
            D(2025, 3, 7),
            GROUND_SERIOUS_RISK,
            None,
            {
                "information_request": D(2025, 3, 10),
                "employer_answer": D(2025, 3, 12),
                "cost_notice": D(2025, 3, 17),
                "report": D(2025, 5, 6),
            },
            id="serious risk",
        ),
        pytest.param(
            D(2024, 12, 31),
            D(2025, 1, 2),
            GROUND_SERIOUS_RISK,
            D(2025, 2, 28),
            {
                "information_request": D(2025, 1, 3),  # 1 January inside: no effect
                "employer_answer": D(2025, 1, 7),
                "cost_notice": D(2025, 1, 10),
                "report": D(2025, 2, 28),  # 31 December + 2 months
            },
            id="serious risk over New Year, month end",
        ),
    ],
)
def test_it_computes_the_expertise_milestones(designated, requested, ground, deadline, expected):
    milestones = expertise_milestones(
        designated,
        consultation_deadline=deadline,
        ground=ground,
        information_requested=requested,
    )
    assert list(milestones) == list(expected)
    assert {key: due.date for key, due in milestones.items()} == expected


def test_it_explains_the_expertise_milestones():
    milestones = expertise_milestones(
        D(2025, 3, 6),
        consultation_deadline=D(2025, 5, 6),
        ground=GROUND_NEW_TECHNOLOGY,
        information_requested=D(2025, 3, 7),
    )
    assert "R2315-45" in milestones["information_request"].sources
    assert "6 mars 2025" in milestones["information_request"].explanation
    assert "R2315-45" in milestones["employer_answer"].sources
    assert "7 mars 2025" in milestones["employer_answer"].explanation
    assert {"L2315-81-1", "R2315-46"} <= set(milestones["cost_notice"].sources)
    assert milestones["report"].sources == ("R2315-47",)
    assert "15 jours avant" in milestones["report"].explanation
    assert "6 mai 2025" in milestones["report"].explanation


def test_it_explains_the_serious_risk_report():
    report = expertise_milestones(
        D(2025, 3, 6), consultation_deadline=None, ground=GROUND_SERIOUS_RISK
    )["report"]
    assert "2 mois à compter de la désignation de l'expert du 6 mars 2025" in report.explanation
    assert "R2315-47" in report.explanation
    assert "renouvelable une fois" in report.explanation


@pytest.mark.parametrize(("months", "report_on"), [(1, D(2025, 6, 6)), (2, D(2025, 7, 6))])
def test_a_renewed_serious_risk_report_is_due_later(months, report_on):
    """R2315-47: the 2 months renew once, for 2 months at most, by agreement."""
    report = expertise_milestones(
        D(2025, 3, 6),
        consultation_deadline=None,
        ground=GROUND_SERIOUS_RISK,
        report_extension_months=months,
    )["report"]
    assert report.date == report_on
    assert f"renouvelés une fois de {months} mois par accord" in report.explanation
    at_month_end = expertise_milestones(
        D(2025, 12, 31),
        consultation_deadline=None,
        ground=GROUND_SERIOUS_RISK,
        report_extension_months=2,
    )["report"]
    assert at_month_end.date == D(2026, 4, 28)  # 28 February, then 2 months more
    # The explanation names the first end, so that the sum can be checked (QA pass on the dates:
    # "2 months from 31 December, renewed by 2 months" read as 4 months, 30 April).
    assert at_month_end.explanation == (
        "2 mois à compter de la désignation de l'expert du 31 décembre 2025 (risque grave, "
        "R2315-47), soit le 28 février 2026, renouvelés une fois de 2 mois par accord entre "
        "l'employeur et le CSE"
    )
    with pytest.raises(ValueError, match="2 mois au plus"):
        expertise_milestones(
            D(2025, 3, 6),
            consultation_deadline=None,
            ground=GROUND_SERIOUS_RISK,
            report_extension_months=3,
        )


@pytest.mark.parametrize("ground", ["", "equality", "NEW_TECHNOLOGY", None])
def test_it_refuses_an_unknown_expertise_ground(ground):
    with pytest.raises(ValueError, match="Motif d'expertise inconnu"):
        expertise_milestones(T0, consultation_deadline=D(2025, 5, 3), ground=ground)


def test_a_new_technology_report_has_no_date_while_the_period_has_no_last_day():
    """Before T0, or while a contest of the expertise pauses the period (L2315-86)."""
    milestones = expertise_milestones(T0, consultation_deadline=None, ground=GROUND_NEW_TECHNOLOGY)
    assert "report" not in milestones
    assert "cost_notice" in milestones


# --- Meetings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "central", "expected", "source"),
    [
        (D(2025, 3, 10), False, D(2025, 3, 7), "L2315-30"),
        (D(2025, 3, 3), False, D(2025, 2, 28), "L2315-30"),
        (D(2025, 3, 2), False, D(2025, 2, 27), "L2315-30"),  # no rollover
        (D(2024, 3, 3), False, D(2024, 2, 29), "L2315-30"),
        (D(2025, 3, 10), True, D(2025, 3, 2), "L2316-17"),
    ],
)
def test_it_sends_the_agenda_before_the_meeting(meeting, central, expected, source):
    due = agenda_due(meeting, central=central)
    assert due.date == expected
    assert due.sources == (source,)
    assert f"({source})" in due.explanation
    assert french_date(meeting) in due.explanation


@pytest.mark.parametrize(
    ("meeting", "expected"),
    [
        (D(2025, 3, 3), D(2025, 3, 18)),
        (D(2025, 4, 7), D(2025, 4, 22)),
        (D(2025, 4, 6), D(2025, 4, 22)),  # Easter Monday 21 April
        (D(2025, 7, 6), D(2025, 7, 21)),
        (D(2025, 7, 31), D(2025, 8, 18)),  # 15 August, then the weekend
        (D(2025, 12, 10), D(2025, 12, 26)),  # Christmas
        (D(2025, 10, 27), D(2025, 11, 12)),  # 11 November
    ],
)
def test_it_sends_the_minutes_15_days_after_the_meeting(meeting, expected):
    due = minutes_due(meeting)
    assert due.date == expected
    assert due.sources[:2] == ("L2315-34", "D2315-26")
    assert "15 jours à compter de la réunion du" in due.explanation
    assert "numéro d'article à vérifier" in due.explanation


@pytest.mark.parametrize(
    ("next_meeting", "expected"),
    [
        (D(2025, 3, 10), D(2025, 3, 9)),
        (D(2025, 3, 18), D(2025, 3, 17)),
        (D(2025, 3, 19), D(2025, 3, 18)),
        (D(2025, 4, 1), D(2025, 3, 18)),
    ],
)
def test_it_sends_the_minutes_before_an_earlier_next_meeting(next_meeting, expected):
    due = minutes_due(T0, next_meeting=next_meeting)
    assert due.date == expected


def test_it_refuses_a_next_meeting_before_the_meeting():
    with pytest.raises(ValueError, match="réunion suivante"):
        minutes_due(T0, next_meeting=T0)


# --- Properties -------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
period_options = st.fixed_dictionaries(
    {
        "expert": st.booleans(),
        "two_level": st.booleans(),
        "agreed_days": st.none() | st.integers(min_value=15, max_value=365),
    }
)


@given(dates, period_options)
def test_it_never_puts_the_deadline_before_the_information_date(info_received, options):
    assert consultation_deadline(info_received, **options).date > info_received


@given(dates, st.integers(min_value=1, max_value=400), period_options)
def test_it_never_moves_the_deadline_earlier_when_the_information_comes_later(
    info_received, later_by, options
):
    later = info_received + timedelta(days=later_by)
    assert (
        consultation_deadline(later, **options).date
        >= consultation_deadline(info_received, **options).date
    )


@given(dates, st.booleans(), st.none() | st.integers(min_value=15, max_value=365))
def test_it_never_shortens_the_period_for_an_expert(info_received, two_level, agreed_days):
    without = consultation_deadline(info_received, two_level=two_level, agreed_days=agreed_days)
    with_expert = consultation_deadline(
        info_received, expert=True, two_level=two_level, agreed_days=agreed_days
    )
    assert with_expert.date >= without.date


@given(dates, st.data())
def test_it_adds_one_day_per_stop_day_inside_the_period(info_received, data):
    base = consultation_deadline(info_received, expert=True).date
    inside = st.integers(min_value=1, max_value=(base - info_received).days)
    offsets = data.draw(st.lists(inside, unique=True, max_size=20))
    stops = [
        (info_received + timedelta(days=o), info_received + timedelta(days=o)) for o in offsets
    ]
    due = consultation_deadline(info_received, expert=True, clock_stops=stops)
    assert due.date == base + timedelta(days=len(offsets))

    new_offset = data.draw(inside.filter(lambda o: o not in offsets))
    new_day = info_received + timedelta(days=new_offset)
    one_more = consultation_deadline(
        info_received, expert=True, clock_stops=[*stops, (new_day, new_day)]
    )
    assert one_more.date == due.date + timedelta(days=1)


@given(dates)
def test_it_lands_a_contest_limit_on_a_working_day_after_the_event(event):
    limit = contest_limit(event).date
    assert limit > event
    assert is_working_day(limit)
    nominal = event + timedelta(days=10)
    assert limit >= nominal
    skipped = (nominal + timedelta(days=i) for i in range((limit - nominal).days))
    assert not any(is_working_day(day) for day in skipped)


@pytest.mark.parametrize(
    ("contested", "judgment", "stop"),
    [
        (D(2025, 3, 20), D(2025, 4, 10), (D(2025, 3, 20), D(2025, 4, 9))),
        (D(2025, 3, 20), D(2025, 3, 21), (D(2025, 3, 20), D(2025, 3, 20))),
        (D(2025, 3, 20), D(2025, 3, 20), None),
    ],
)
def test_a_judged_contest_suspends_until_the_day_before_the_judgment(contested, judgment, stop):
    """L2315-86: the period runs again on the day the judgment is notified."""
    assert judged_contest_stop(contested, judgment) == stop


@pytest.mark.parametrize(
    ("roll_over", "last_day", "words"),
    [
        (False, D(2025, 5, 3), "le 3 mai 2025 est un samedi : il n'est pas reporté"),
        (True, D(2025, 5, 5), "le 3 mai 2025 étant un samedi, reporté au premier jour ouvrable"),
    ],
)
def test_a_period_ending_on_a_day_off_says_whether_it_moves(roll_over, last_day, words):
    """LEGAL.md "Counting": unsettled for month periods, so configurable and visible."""
    due = consultation_deadline(D(2025, 3, 3), expert=True, roll_over=roll_over)
    assert due.date == last_day
    assert words in due.explanation
    assert ("CPC 642" in due.sources) is roll_over


def test_a_period_ending_on_a_working_day_says_nothing_of_it():
    due = consultation_deadline(D(2025, 3, 3))  # Thursday 3 April 2025
    assert "ouvrable" not in due.explanation

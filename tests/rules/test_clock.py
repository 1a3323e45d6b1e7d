"""Clock states and step states as tables of cases (rules/clock.py)."""

from datetime import date

import pytest

from consultations.rules.clock import ClockState, StepState, answer_due, clock_state, step_state

D = date
DEADLINE = D(2025, 5, 3)

CLOCK_CASES = [
    ("no information date", D(2025, 4, 1), {"deadline": None}, ClockState.NOT_STARTED),
    ("well before the deadline", D(2025, 4, 1), {"deadline": DEADLINE}, ClockState.RUNNING),
    ("8 days left", D(2025, 4, 25), {"deadline": DEADLINE}, ClockState.RUNNING),
    ("7 days left", D(2025, 4, 26), {"deadline": DEADLINE}, ClockState.DUE_SOON),
    ("last day", DEADLINE, {"deadline": DEADLINE}, ClockState.DUE_SOON),
    ("the day after, no opinion", D(2025, 5, 4), {"deadline": DEADLINE}, ClockState.EXPIRED),
    (
        "recorded as deemed negative",
        D(2025, 5, 4),
        {"deadline": DEADLINE, "opinion_given": True, "deemed_negative": True},
        ClockState.EXPIRED,
    ),
    (
        "opinion given, answer not yet due",
        D(2025, 5, 4),
        {"deadline": DEADLINE, "opinion_given": True, "answer_due_on": D(2025, 5, 20)},
        ClockState.OPINION_GIVEN,
    ),
    (
        "opinion given, answer due today",
        D(2025, 5, 20),
        {"deadline": DEADLINE, "opinion_given": True, "answer_due_on": D(2025, 5, 20)},
        ClockState.OPINION_GIVEN,
    ),
    (
        "opinion given, answer overdue",
        D(2025, 5, 21),
        {"deadline": DEADLINE, "opinion_given": True, "answer_due_on": D(2025, 5, 20)},
        ClockState.ANSWER_OVERDUE,
    ),
    (
        "answered",
        D(2025, 6, 21),
        {
            "deadline": DEADLINE,
            "opinion_given": True,
            "answered": True,
            "answer_due_on": D(2025, 5, 20),
        },
        ClockState.ANSWERED,
    ),
    (
        "paused by a contest of the expertise, past the old deadline",
        D(2025, 6, 1),
        {"deadline": None, "paused": True},
        ClockState.PAUSED,
    ),
    (
        "an opinion given while paused",
        D(2025, 6, 1),
        {"deadline": None, "paused": True, "opinion_given": True},
        ClockState.OPINION_GIVEN,
    ),
    (
        "withdrawn before any opinion, past the deadline",
        D(2025, 6, 1),
        {"deadline": DEADLINE, "withdrawn": True},
        ClockState.WITHDRAWN,
    ),
    (
        "withdrawn after an opinion",
        D(2025, 4, 1),
        {"deadline": DEADLINE, "withdrawn": True, "opinion_given": True},
        ClockState.OPINION_GIVEN,
    ),
    (
        "a custom due-soon window",
        D(2025, 4, 20),
        {"deadline": DEADLINE, "due_soon_days": 14},
        ClockState.DUE_SOON,
    ),
]


@pytest.mark.parametrize(
    ("why", "today", "facts", "expected"), CLOCK_CASES, ids=[c[0] for c in CLOCK_CASES]
)
def test_it_computes_the_clock_state(why, today, facts, expected):
    assert clock_state(today, **facts) is expected


@pytest.mark.parametrize(
    ("due", "met", "today", "expected"),
    [
        (D(2025, 3, 17), None, D(2025, 3, 17), StepState.PENDING),
        (D(2025, 3, 17), None, D(2025, 3, 18), StepState.LATE),
        (D(2025, 3, 17), D(2025, 3, 20), D(2025, 3, 25), StepState.MET_LATE),
        (D(2025, 3, 17), D(2025, 3, 17), D(2025, 3, 25), StepState.MET),
        (D(2025, 3, 17), D(2025, 3, 10), D(2025, 3, 11), StepState.MET),
    ],
)
def test_it_computes_the_step_state(due, met, today, expected):
    assert step_state(due, met, today) is expected


def test_an_optional_step_lapses_rather_than_being_late():
    """The expert *may* ask for information (R2315-45): past its date, nothing is late."""
    assert step_state(D(2025, 3, 17), None, D(2025, 3, 18), optional=True) is StepState.LAPSED
    assert step_state(D(2025, 3, 17), None, D(2025, 3, 17), optional=True) is StepState.PENDING
    met = step_state(D(2025, 3, 17), D(2025, 3, 19), D(2025, 3, 25), optional=True)
    assert met is StepState.MET_LATE


def test_it_expects_the_answer_at_the_next_meeting():
    due = answer_due(D(2020, 9, 23), next_meeting_on=D(2020, 10, 22))
    assert due.date == D(2020, 10, 22)
    assert "22 octobre 2020" in due.explanation and "L2315-34" in due.sources


def test_it_falls_back_to_30_days_without_a_next_meeting():
    assert answer_due(D(2020, 9, 23), next_meeting_on=None).date == D(2020, 10, 23)
    assert answer_due(D(2020, 9, 23), next_meeting_on=D(2020, 9, 23), fallback_days=10).date == D(
        2020, 10, 3
    )


@pytest.mark.parametrize(
    ("minutes", "next_meeting", "due", "words"),
    [
        (D(2025, 3, 28), D(2025, 4, 11), D(2025, 4, 11), "la première après l'envoi du procès"),
        (D(2025, 3, 28), None, D(2025, 4, 27), "dans les 30 jours"),
        (None, D(2025, 3, 21), D(2025, 3, 21), "réunion suivante du 21 mars 2025"),
        (D(2025, 3, 10), D(2025, 3, 21), D(2025, 3, 21), "réunion suivante du 21 mars 2025"),
    ],
)
def test_the_answer_is_due_at_the_meeting_after_the_minutes(minutes, next_meeting, due, words):
    """L2315-34 (LEGAL.md (a) 16): the next meeting after the minutes of the opinion were sent;
    without their date, the next meeting after the opinion; minutes dated before the opinion
    are a typing slip and ignored."""
    answer = answer_due(
        D(2025, 3, 14), next_meeting_on=next_meeting, minutes_sent_on=minutes, fallback_days=30
    )
    assert answer.date == due
    assert words in answer.explanation


@pytest.mark.parametrize(
    ("minutes", "next_meeting", "due", "words"),
    [
        # The next meeting recorded is in 2026: the meetings between were not recorded.
        (None, D(2026, 10, 12), D(2025, 4, 13), "six mois qui suivent l'avis du 14 mars 2025"),
        (D(2025, 3, 20), D(2025, 10, 1), D(2025, 4, 19), "l'envoi du procès-verbal de l'avis le"),
        # Five months later: a central CSE meets every six months (L2316-15), an agreement may
        # space a CSE's meetings (L2312-19): still the next meeting.
        (None, D(2025, 8, 14), D(2025, 8, 14), "réunion suivante du 14 août 2025"),
    ],
)
def test_a_next_meeting_further_than_six_months_does_not_date_the_answer(
    minutes, next_meeting, due, words
):
    """Every council meets at least every six months (L2315-28, L2316-15): a next meeting
    recorded later than that means the meetings between were not recorded; Vigie's fallback
    applies."""
    answer = answer_due(
        D(2025, 3, 14), next_meeting_on=next_meeting, minutes_sent_on=minutes, fallback_days=30
    )
    assert answer.date == due
    assert words in answer.explanation
    assert ("L2316-15" in answer.sources) is (due != next_meeting)


def test_without_the_minutes_date_the_answer_says_it_supposes_them_sent():
    answer = answer_due(D(2025, 3, 28), next_meeting_on=D(2025, 4, 4))
    assert answer.date == D(2025, 4, 4)
    assert "si le procès-verbal de l'avis a été transmis avant" in answer.explanation

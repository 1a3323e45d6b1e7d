"""Management's reasoned decision on each proposal of the council (L2315-34; LEGAL.md (a) 16):
due at the council's next meeting after the minutes are sent, as a table of cases."""

from datetime import date

import pytest

from consultations.rules.proposals import DecisionState, proposal_decision

D = date
ADOPTED = D(2020, 8, 27)  # Teleperformance's motion 2020-01
MINUTES = D(2020, 9, 10)
NEXT = D(2020, 9, 23)
S = DecisionState


@pytest.mark.parametrize(
    ("minutes", "next_meeting", "answered", "today", "state", "due"),
    [
        pytest.param(MINUTES, NEXT, None, D(2020, 9, 20), S.DUE, NEXT, id="due at the meeting"),
        pytest.param(MINUTES, NEXT, None, NEXT, S.DUE, NEXT, id="on the meeting's day"),
        pytest.param(MINUTES, NEXT, None, D(2020, 9, 24), S.LATE, NEXT, id="late the day after"),
        pytest.param(MINUTES, NEXT, NEXT, D(2020, 12, 1), S.RECEIVED, NEXT, id="at the meeting"),
        pytest.param(
            MINUTES, NEXT, D(2020, 9, 15), D(2020, 12, 1), S.RECEIVED, NEXT, id="before it"
        ),
        pytest.param(
            MINUTES, NEXT, D(2020, 10, 5), D(2020, 12, 1), S.RECEIVED_LATE, NEXT, id="after it"
        ),
        pytest.param(
            None, NEXT, None, D(2020, 12, 1), S.AWAITING_MINUTES, None, id="minutes not sent"
        ),
        pytest.param(
            None, None, D(2020, 10, 5), D(2020, 12, 1), S.RECEIVED, None, id="answered, undated"
        ),
        pytest.param(
            MINUTES, None, None, D(2020, 12, 1), S.AWAITING_MEETING, None, id="no meeting since"
        ),
        pytest.param(
            MINUTES,
            D(2021, 4, 1),
            None,
            D(2021, 5, 1),
            S.AWAITING_MEETING,
            None,
            id="next meeting recorded more than six months after",
        ),
        pytest.param(
            MINUTES, D(2021, 3, 10), None, D(2021, 5, 1), S.LATE, D(2021, 3, 10), id="within six"
        ),
    ],
)
def test_the_decision_is_due_at_the_first_meeting_after_the_minutes(
    minutes, next_meeting, answered, today, state, due
):
    decision = proposal_decision(
        ADOPTED,
        minutes_sent_on=minutes,
        next_meeting_on=next_meeting,
        answered_on=answered,
        today=today,
    )
    assert (decision.state, decision.due_on, decision.answered_on) == (state, due, answered)
    assert "L2315-34" in decision.sources and "(L2315-34)" in decision.explanation


def test_it_explains_the_meeting_it_is_due_at():
    decision = proposal_decision(
        ADOPTED, minutes_sent_on=MINUTES, next_meeting_on=NEXT, answered_on=None, today=NEXT
    )
    assert decision.explanation == (
        "décision motivée attendue à la réunion du 23 septembre 2020, la première du CSE après "
        "la transmission, le 10 septembre 2020, du procès-verbal de la réunion du 27 août 2020 "
        "qui a adopté le texte (L2315-34)"
    )


def test_it_says_what_it_awaits_rather_than_guess_a_day():
    unsent = proposal_decision(
        NEXT, minutes_sent_on=None, next_meeting_on=None, answered_on=None, today=D(2020, 12, 1)
    )
    assert "procès-verbal de la réunion du 23 septembre 2020, dont l'envoi n'est pas consigné" in (
        unsent.explanation
    )
    no_meeting = proposal_decision(
        ADOPTED, minutes_sent_on=MINUTES, next_meeting_on=None, answered_on=None, today=NEXT
    )
    assert "aucune réunion n'est enregistrée depuis" in no_meeting.explanation
    assert not unsent.late and not no_meeting.late


@pytest.mark.parametrize(
    ("answered", "today", "badge", "sentence"),
    [
        (
            None,
            NEXT,
            None,
            "Décision motivée de la direction attendue à la réunion du 23 "
            "septembre 2020 (L2315-34).",
        ),
        (
            None,
            D(2020, 9, 24),
            "En retard",
            "Décision motivée de la direction attendue à la "
            "réunion du 23 septembre 2020 (L2315-34) : aucune n'est enregistrée.",
        ),
        (
            NEXT,
            D(2020, 9, 24),
            None,
            "Décision motivée de la direction reçue le 23 septembre "
            "2020 ; elle était attendue à la réunion du 23 septembre 2020 (L2315-34).",
        ),
        (
            D(2020, 10, 5),
            D(2020, 10, 6),
            "Reçue en retard",
            "Décision motivée de la direction "
            "reçue le 5 octobre 2020, après la réunion du 23 septembre 2020 où elle était attendue "
            "(L2315-34).",
        ),
    ],
    ids=["due", "late", "received", "received late"],
)
def test_it_sums_the_decision_up_in_one_sentence(answered, today, badge, sentence):
    """The sentence the consultation page and the dossier both state (summary())."""
    decision = proposal_decision(
        ADOPTED, minutes_sent_on=MINUTES, next_meeting_on=NEXT, answered_on=answered, today=today
    )
    assert (decision.badge, decision.summary()) == (badge, sentence)


def test_its_sentence_is_the_reason_while_the_meeting_is_not_known():
    unsent = proposal_decision(
        NEXT, minutes_sent_on=None, next_meeting_on=None, answered_on=None, today=D(2020, 12, 1)
    )
    assert unsent.summary() == "D" + unsent.explanation[1:] + "."
    assert unsent.badge is None
    answered = proposal_decision(
        NEXT, minutes_sent_on=None, next_meeting_on=None, answered_on=NEXT, today=NEXT
    )
    assert answered.summary() == (
        "Décision motivée de la direction reçue le 23 septembre 2020 (L2315-34)."
    )

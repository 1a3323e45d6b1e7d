"""Management's reasoned decision on each proposal the council adopted (a motion, a resolution,
a wish), computed from the facts.

Pure Python (no Django import), so that the law can be tested as a table of cases
(tests/rules/test_proposals.py). L2315-34 (LEGAL.md (a) 16, V): « L'employeur fait connaître
lors de la réunion du comité suivant la communication du procès-verbal sa décision motivée sur
les propositions qui lui ont été soumises. » The decision is due at a meeting, not after a
number of days: while the minutes of the meeting that adopted the proposal are not sent, or no
meeting of the council after them is recorded, the day is not known, and Vigie says what it
awaits rather than guess one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .clock import MEETING_GAP_DAYS
from .deadlines import Due, Phrase, _, french_date, phrase

SOURCES = ("L2315-34",)


class DecisionState(StrEnum):
    AWAITING_MINUTES = "awaiting_minutes"  # the minutes of the adopting meeting are not sent
    AWAITING_MEETING = "awaiting_meeting"  # sent, but no later meeting of the council recorded
    DUE = "due"  # at a meeting recorded, today or to come
    LATE = "late"  # that meeting is past, and no decision recorded
    RECEIVED = "received"  # recorded by that meeting (or while its day is not known)
    RECEIVED_LATE = "received_late"  # recorded after that meeting


@dataclass(frozen=True)
class ProposalDecision:
    """The state of management's decision on one proposal, the meeting it is due at (None
    while not known), the day a decision was recorded (None without one), and why."""

    state: DecisionState
    due_on: date | None
    answered_on: date | None
    phrases: tuple[Phrase, ...]
    sources: tuple[str, ...] = SOURCES

    def explain(self, translate=_, write_date=french_date) -> str:
        """Why, in French by default; as rules.deadlines.Due.explain()."""
        return "".join(piece.write(translate, write_date) for piece in self.phrases)

    @property
    def explanation(self) -> str:
        return self.explain()

    def summary(self, translate=_, write_date=french_date) -> str:
        """The decision in one sentence, as the consultation page and the dossier state it:
        the meeting it is due at and whether it came; while that meeting is not known, what
        Vigie awaits to know it (the explanation)."""
        values = {
            "meeting": write_date(self.due_on) if self.due_on else "",
            "date": write_date(self.answered_on) if self.answered_on else "",
        }
        if self.state is DecisionState.LATE:
            text = _(
                "Décision motivée de la direction attendue à la réunion du %(meeting)s "
                "(L2315-34) : aucune n'est enregistrée."
            )
        elif self.state is DecisionState.DUE:
            text = _(
                "Décision motivée de la direction attendue à la réunion du %(meeting)s (L2315-34)."
            )
        elif self.state is DecisionState.RECEIVED_LATE:
            text = _(
                "Décision motivée de la direction reçue le %(date)s, après la réunion du "
                "%(meeting)s où elle était attendue (L2315-34)."
            )
        elif self.state is DecisionState.RECEIVED and self.due_on:
            text = _(
                "Décision motivée de la direction reçue le %(date)s ; elle était attendue à la "
                "réunion du %(meeting)s (L2315-34)."
            )
        elif self.state is DecisionState.RECEIVED:
            text = _("Décision motivée de la direction reçue le %(date)s (L2315-34).")
        else:  # awaited, at a meeting not known yet: the reason says which
            reason = self.explain(translate, write_date)
            return reason[:1].upper() + reason[1:] + "."
        return translate(text) % values

    @property
    def badge(self) -> str | None:
        """The word that marks a late decision beside the sentence (None when not late)."""
        if self.state is DecisionState.LATE:
            return _("En retard")
        if self.state is DecisionState.RECEIVED_LATE:
            return _("Reçue en retard")
        return None

    @property
    def late(self) -> bool:
        return self.state in (DecisionState.LATE, DecisionState.RECEIVED_LATE)


def proposal_decision(
    adopted_on: date,
    *,
    minutes_sent_on: date | None,
    next_meeting_on: date | None,
    answered_on: date | None,
    today: date,
) -> ProposalDecision:
    """Management's reasoned decision on a proposal adopted at the meeting of ``adopted_on``
    (L2315-34): due at the council's first meeting held after that meeting's minutes were sent
    (``minutes_sent_on``, None while not sent); ``next_meeting_on`` is that meeting, held after
    the day the minutes were sent (not on it: minutes sent on the morning of a meeting are
    not known to have reached the employer before it), None when none is recorded.
    ``answered_on``: the first decision on it recorded (an answer taking a position).

    A next meeting recorded more than MEETING_GAP_DAYS after the minutes cannot date the
    decision: a council meets at least every six months (L2315-28, L2316-15), so the meetings
    between were not recorded, and the day is said not to be known, as the consultation's
    answer does (clock.answer_due)."""
    if minutes_sent_on is None:
        text = _(
            "décision motivée attendue à la première réunion du CSE après la transmission du "
            "procès-verbal de la réunion du %(adopted)s, dont l'envoi n'est pas consigné "
            "(L2315-34)"
        )
        return _undated(answered_on, (phrase(text, adopted=adopted_on),))
    if next_meeting_on is None or next_meeting_on <= minutes_sent_on:
        text = _(
            "décision motivée attendue à la première réunion du CSE après la transmission, le "
            "%(minutes)s, du procès-verbal de la réunion du %(adopted)s : aucune réunion n'est "
            "enregistrée depuis (L2315-34)"
        )
        return _undated(
            answered_on,
            (phrase(text, minutes=minutes_sent_on, adopted=adopted_on),),
            DecisionState.AWAITING_MEETING,
        )
    if next_meeting_on > minutes_sent_on + timedelta(days=MEETING_GAP_DAYS):
        text = _(
            "décision motivée attendue à la première réunion du CSE après la transmission, le "
            "%(minutes)s, du procès-verbal de la réunion du %(adopted)s : la réunion suivante "
            "enregistrée, le %(meeting)s, a lieu plus de six mois après, quand un CSE se réunit "
            "au moins tous les six mois (L2315-28, L2316-15) ; les réunions d'entre-temps ne "
            "sont pas enregistrées (L2315-34)"
        )
        return _undated(
            answered_on,
            (phrase(text, minutes=minutes_sent_on, adopted=adopted_on, meeting=next_meeting_on),),
            DecisionState.AWAITING_MEETING,
            (*SOURCES, "L2315-28", "L2316-15"),
        )
    text = _(
        "décision motivée attendue à la réunion du %(meeting)s, la première du CSE après la "
        "transmission, le %(minutes)s, du procès-verbal de la réunion du %(adopted)s qui a "
        "adopté le texte (L2315-34)"
    )
    phrases = (phrase(text, meeting=next_meeting_on, minutes=minutes_sent_on, adopted=adopted_on),)
    if answered_on is not None:
        state = (
            DecisionState.RECEIVED
            if answered_on <= next_meeting_on
            else DecisionState.RECEIVED_LATE
        )
    else:
        state = DecisionState.LATE if today > next_meeting_on else DecisionState.DUE
    return ProposalDecision(state, next_meeting_on, answered_on, phrases)


def _undated(answered_on, phrases, awaiting=DecisionState.AWAITING_MINUTES, sources=SOURCES):
    """The meeting the decision is due at is not known: received if one was recorded (it cannot
    be said late), else awaited."""
    state = DecisionState.RECEIVED if answered_on is not None else awaiting
    return ProposalDecision(state, None, answered_on, phrases, sources)


def decisions_due(decisions: Iterable[ProposalDecision]) -> Due:
    """The decisions on several proposals awaited at one meeting (each DUE or LATE, all with
    the same ``due_on``) as one dated rules Due, for the lists of dates due: that meeting's
    day, and why, each distinct explanation once in the order given (the proposals adopted at
    one meeting read alike), separated by semicolons (L2315-34)."""
    decisions = list(decisions)
    days = {decision.due_on for decision in decisions}
    if len(days) != 1 or None in days:
        raise ValueError("decisions_due() takes decisions due at one known meeting")
    explanations, sources = [], []
    for decision in decisions:
        if decision.phrases not in explanations:
            explanations.append(decision.phrases)
        sources += [source for source in decision.sources if source not in sources]
    phrases = []
    for index, pieces in enumerate(explanations):
        if index:
            phrases.append(phrase(_(" ; ")))
        phrases += pieces
    return Due(days.pop(), tuple(phrases), tuple(sources))

"""The state of a consultation's clock, and of each dated step, computed from the facts.

Pure Python (no Django import). Nothing here is stored: a state follows from the dates recorded
and today's date (shared/DESIGN.md, "One source of truth").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .deadlines import Due, _, phrase

DUE_SOON_DAYS = 7
ANSWER_FALLBACK_DAYS = 30
# Every council meets at least every six months: a CSE monthly from 300 employees and every two
# months below (L2315-28), six times a year at least under an agreement (L2312-19), a central
# CSE every six months (L2316-15). A next meeting recorded further away means the meetings
# between were not recorded: it cannot date the answer. (These articles are not in LEGAL.md.)
MEETING_GAP_DAYS = 184


class ClockState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    DUE_SOON = "due_soon"
    EXPIRED = "expired"  # opinion deemed negative (R2312-6)
    PAUSED = "paused"  # the expertise is before the judge (L2315-86)
    WITHDRAWN = "withdrawn"  # the employer withdrew the project before any opinion
    INFORMATION_ONLY = "information_only"  # the council is informed, not consulted (L2312-38)
    OPINION_GIVEN = "opinion_given"
    ANSWERED = "answered"
    ANSWER_OVERDUE = "answer_overdue"


class StepState(StrEnum):
    PENDING = "pending"
    MET = "met"
    MET_LATE = "met_late"  # met, but after its date: the record of a missed deadline
    LATE = "late"
    LAPSED = "lapsed"  # an optional step whose date passed without it: nothing is late


def answer_due(
    opinion_on: date,
    *,
    next_meeting_on: date | None,
    minutes_sent_on: date | None = None,
    fallback_days: int = ANSWER_FALLBACK_DAYS,
) -> Due:
    """When management's reasoned answer to the council's opinion and proposals is due.

    The employer gives a reasoned decision at the next meeting after the minutes of the meeting
    that adopted them were sent (L2315-34, L2312-15; LEGAL.md (a) 16): ``minutes_sent_on``, when
    recorded, and ``next_meeting_on``, the body's first meeting after it. Without the minutes'
    date, the first meeting after the opinion. With no such meeting recorded, Vigie allows
    ``fallback_days`` (a setting, not a legal period) so that a missing answer still shows;
    so too when the next meeting recorded is more than MEETING_GAP_DAYS away.
    """
    sources = ("L2315-34", "L2312-15")
    after_minutes = minutes_sent_on is not None and minutes_sent_on >= opinion_on
    counted_from = minutes_sent_on if after_minutes else opinion_on
    if next_meeting_on is not None and next_meeting_on > counted_from + timedelta(
        days=MEETING_GAP_DAYS
    ):
        return _answer_without_meeting_recorded(counted_from, after_minutes, fallback_days, sources)
    if after_minutes:
        return _answer_after_minutes(minutes_sent_on, next_meeting_on, fallback_days, sources)
    if next_meeting_on is not None and next_meeting_on > opinion_on:
        text = _(
            "réponse motivée attendue à la réunion suivante du %(meeting)s, après l'avis du "
            "%(opinion)s, si le procès-verbal de l'avis a été transmis avant (date d'envoi non "
            "consignée ; L2315-34, L2312-15)"
        )
        return Due(
            next_meeting_on, (phrase(text, meeting=next_meeting_on, opinion=opinion_on),), sources
        )
    text = _(
        "aucune réunion suivante enregistrée : réponse motivée attendue dans les %(days)s jours "
        "de l'avis du %(opinion)s (délai retenu par Vigie ; L2315-34, L2312-15)"
    )
    return Due(
        opinion_on + timedelta(days=fallback_days),
        (phrase(text, days=fallback_days, opinion=opinion_on),),
        sources,
    )


def _answer_without_meeting_recorded(counted_from, after_minutes, fallback_days, sources) -> Due:
    if after_minutes:
        text = _(
            "aucune réunion enregistrée dans les six mois qui suivent l'envoi du procès-verbal "
            "de l'avis le %(date)s, quand un CSE se réunit au moins tous les six mois "
            "(L2315-28, L2316-15) : réponse motivée attendue dans les %(days)s jours (délai "
            "retenu par Vigie ; L2315-34, L2312-15)"
        )
    else:
        text = _(
            "aucune réunion enregistrée dans les six mois qui suivent l'avis du %(date)s, quand "
            "un CSE se réunit au moins tous les six mois (L2315-28, L2316-15) : réponse motivée "
            "attendue dans les %(days)s jours (délai retenu par Vigie ; L2315-34, L2312-15)"
        )
    return Due(
        counted_from + timedelta(days=fallback_days),
        (phrase(text, days=fallback_days, date=counted_from),),
        (*sources, "L2315-28", "L2316-15"),
    )


def _answer_after_minutes(minutes_sent_on, next_meeting_on, fallback_days, sources) -> Due:
    if next_meeting_on is not None and next_meeting_on > minutes_sent_on:
        text = _(
            "réponse motivée attendue à la réunion du %(meeting)s, la première après l'envoi du "
            "procès-verbal de l'avis le %(minutes)s (L2315-34, L2312-15)"
        )
        return Due(
            next_meeting_on,
            (phrase(text, meeting=next_meeting_on, minutes=minutes_sent_on),),
            sources,
        )
    text = _(
        "aucune réunion enregistrée après l'envoi du procès-verbal de l'avis le %(minutes)s : "
        "réponse motivée attendue dans les %(days)s jours (délai retenu par Vigie ; L2315-34, "
        "L2312-15)"
    )
    return Due(
        minutes_sent_on + timedelta(days=fallback_days),
        (phrase(text, days=fallback_days, minutes=minutes_sent_on),),
        sources,
    )


def clock_state(
    today: date,
    *,
    deadline: date | None,
    opinion_given: bool = False,
    deemed_negative: bool = False,
    answered: bool = False,
    answer_due_on: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    paused: bool = False,
    withdrawn: bool = False,
    information_only: bool = False,
) -> ClockState:
    """The consultation's state on ``today``.

    - the project withdrawn (``withdrawn``) with no opinion: withdrawn, never deemed negative
      (LEGAL.md (b) 5: an outcome of its own);
    - the council only informed (``information_only``: recruitment methods or automated HR
      processing alone, L2312-38 al. 1 and 2), with no opinion: no period runs, no opinion is
      due nor deemed negative;
    - the period paused (``paused``: the employer's contest of the expertise awaits its
      judgment, L2315-86, LEGAL.md trap 6), with no opinion: paused, whatever the deadline;
    - no information date (no deadline): not started;
    - an opinion given: answered once management gave a reasoned answer, overdue after its due
      date, otherwise opinion given;
    - no opinion after the deadline, or recorded as deemed negative: expired (R2312-6);
    - otherwise due soon within ``due_soon_days`` of the deadline, running before.
    """
    if withdrawn and not opinion_given:
        return ClockState.WITHDRAWN
    if information_only and not opinion_given:
        return ClockState.INFORMATION_ONLY
    if paused and not opinion_given:
        return ClockState.PAUSED
    if deadline is None and not opinion_given:
        return ClockState.NOT_STARTED
    if opinion_given and not deemed_negative:
        if answered:
            return ClockState.ANSWERED
        if answer_due_on is not None and today > answer_due_on:
            return ClockState.ANSWER_OVERDUE
        return ClockState.OPINION_GIVEN
    if deemed_negative or (deadline is not None and today > deadline):
        return ClockState.EXPIRED
    if deadline is not None and (deadline - today).days <= due_soon_days:
        return ClockState.DUE_SOON
    return ClockState.RUNNING


def step_state(
    due_on: date, met_on: date | None, today: date, *, optional: bool = False
) -> StepState:
    """A dated step (expert's request, agenda, minutes...): met once recorded (met late when
    recorded after its date), late when the date has passed without it, pending before. An
    ``optional`` step (the expert *may* ask for information, R2315-45) lapses instead of being
    late."""
    if met_on is not None:
        return StepState.MET_LATE if met_on > due_on else StepState.MET
    if today > due_on:
        return StepState.LAPSED if optional else StepState.LATE
    return StepState.PENDING


@dataclass(frozen=True)
class DatedStep:
    """One legal step with its due date, what met it (if recorded) and its state."""

    key: str
    label: str
    due: Due
    met_on: date | None
    state: StepState

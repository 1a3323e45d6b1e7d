"""Legal calendar of a works council (CSE) consultation.

Pure Python, standard library only: no Django here, so that the law can be
tested as a table of cases. The specification is reference/LEGAL.md,
section (a) (deadlines) and section (e) (traps).

Every computed date is a `Due`: the date, an explanation naming each term of
the computation with its legal source, and the article ids. Users must be
able to check the sum. The explanation is kept as `Phrase`s, French messages
marked for translation with their values (dates, numbers, article numbers):
`Due.explanation` writes it in French, `Due.explain()` in any language with
the translation and the way of writing dates the caller gives (the Django
layer's consultations/wording.py gives gettext and the reader's dates).

Two ways of counting are used:

* month periods (consultation periods, serious-risk expert report) end on the
  day with the same number in the last month, or on that month's last day
  when it has none; they are never moved off a weekend or a public holiday
  (see `consultation_deadline`);
* day periods "counted like the contest" (CPC 640 to 642, applied to the
  employer's contest by Cass. soc. 5 févr. 2025, n° 22-21.892): the starting
  day is not counted and a limit falling on a Saturday, a Sunday or a French
  public holiday moves to the next working day (see `count_days`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "GROUND_NEW_TECHNOLOGY",
    "GROUND_SERIOUS_RISK",
    "MINIMUM_AGREED_DAYS",
    "Due",
    "Phrase",
    "add_months",
    "agenda_due",
    "consultation_deadline",
    "contest_limit",
    "count_days",
    "easter_sunday",
    "establishment_opinion_due",
    "expertise_milestones",
    "french_date",
    "french_public_holidays",
    "is_working_day",
    "minutes_due",
    "phrase",
    "presumed_appointing_votes",
]

GROUND_NEW_TECHNOLOGY = "new_technology"
GROUND_SERIOUS_RISK = "serious_risk"
MINIMUM_AGREED_DAYS = 15

CONTEST_CASE_LAW = "Cass. soc. 5 févr. 2025, n° 22-21.892"

ONE_DAY = timedelta(days=1)

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _(message: str) -> str:
    """Marks a message for translation; the Django layer translates it (Due.explain)."""
    return message


def french_date(d: date) -> str:
    """Write a date in full French: "3 mars 2025", "1er mars 2025"."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {_MONTHS[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Phrase:
    """A piece of an explanation: a French message (marked with ``_``) and its values, by
    name. A value is a date, a number, an article number (written as it is) or another
    phrase."""

    text: str
    values: tuple[tuple[str, object], ...] = ()

    def write(self, translate, write_date) -> str:
        text = translate(self.text)
        if not self.values:
            return text
        return text % {name: _write(value, translate, write_date) for name, value in self.values}


def phrase(text: str, **values) -> Phrase:
    return Phrase(text, tuple(values.items()))


def _write(value, translate, write_date) -> str:
    if isinstance(value, Phrase):
        return value.write(translate, write_date)
    if isinstance(value, date):
        return write_date(value)
    return str(value)


@dataclass(frozen=True)
class Due:
    """A computed legal date with its explanation and its sources."""

    date: date
    phrases: tuple[Phrase, ...]
    sources: tuple[str, ...] = ()

    def explain(self, translate=_, write_date=french_date) -> str:
        """The explanation, its messages passed through ``translate`` and its dates written by
        ``write_date``: French by default (``_`` leaves a message as it is)."""
        return "".join(piece.write(translate, write_date) for piece in self.phrases)

    @property
    def explanation(self) -> str:
        """The explanation in French, as the law is written (and the PDFs are)."""
        return self.explain()

    def __str__(self) -> str:
        return f"{french_date(self.date)} : {self.explanation}"


# --- Calendar helpers -------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """Add n months (n may be negative).

    The result has the same day number in the target month, or the target
    month's last day when it has none: 31 January + 1 month is 28 February
    (29 February in a leap year). CPC 641 al. 2 counts month periods so.
    """
    year, month_index = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    moon_shift = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_shift + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late_correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * late_correction + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def _public_holiday_names(year: int) -> dict[date, Phrase]:
    """The eleven national public holidays (L3133-1) with their French names.

    Alsace-Moselle's extra days (Good Friday, 26 December) are not included.
    Whit Monday stays a public holiday even where it is the "journée de
    solidarité". Do not mutate the cached result.
    """
    easter = easter_sunday(year)
    holidays = [
        (date(year, 1, 1), _("jour de l'An")),
        (easter + timedelta(days=1), _("lundi de Pâques")),
        (date(year, 5, 1), _("fête du Travail")),
        (date(year, 5, 8), _("Victoire 1945")),
        (easter + timedelta(days=39), _("Ascension")),
        (easter + timedelta(days=50), _("lundi de Pentecôte")),
        (date(year, 7, 14), _("Fête nationale")),
        (date(year, 8, 15), _("Assomption")),
        (date(year, 11, 1), _("Toussaint")),
        (date(year, 11, 11), _("Armistice 1918")),
        (date(year, 12, 25), _("Noël")),
    ]
    names: dict[date, Phrase] = {}
    for day, name in holidays:  # Ascension can fall on 1 or 8 May
        if day in names:
            names[day] = phrase(_("%(first)s et %(second)s"), first=names[day], second=phrase(name))
        else:
            names[day] = phrase(name)
    return names


def french_public_holidays(year: int) -> set[date]:
    """French public holidays of a year, movable ones computed from Easter."""
    return set(_public_holiday_names(year))


def is_working_day(d: date) -> bool:
    """Neither a Saturday, a Sunday nor a French public holiday (CPC 642)."""
    return d.weekday() < 5 and d not in _public_holiday_names(d.year)


def _why_not_working(d: date) -> Phrase:
    holiday = _public_holiday_names(d.year).get(d)
    if holiday:
        return phrase(_("férié (%(holiday)s)"), holiday=holiday)
    return phrase(_("un samedi")) if d.weekday() == 5 else phrase(_("un dimanche"))


def count_days(event_day: date, days: int) -> date:
    """Last day of a period of `days` days counted from `event_day`.

    The event day is not counted (CPC 641 al. 1); the period ends at midnight
    on its last day (CPC 642 al. 1); a last day falling on a Saturday, a
    Sunday or a public holiday moves to the next working day (CPC 642 al. 2).
    Cass. soc. 5 févr. 2025, n° 22-21.892 applies this counting to the
    employer's 10-day contest of an expertise.
    """
    if days < 0:
        raise ValueError("Un délai en jours ne peut pas être négatif.")
    limit = event_day + timedelta(days=days)
    while not is_working_day(limit):
        limit += ONE_DAY
    return limit


def _counted_due(
    start: date, days: int, *, text: str, cites: str | Phrase, sources: tuple[str, ...]
) -> Due:
    """A `Due` counted with `count_days`, its explanation naming any rollover. ``text`` says
    what the period counts from, with ``%(days)s``, ``%(start)s`` and ``%(cites)s``."""
    limit = count_days(start, days)
    nominal = start + timedelta(days=days)
    phrases = (phrase(text, days=days, start=start, cites=cites),)
    sources = (*sources, "CPC 641")
    if limit != nominal:
        rollover = _(
            " ; le %(nominal)s étant %(why)s, reporté au premier jour ouvrable suivant, "
            "le %(limit)s (CPC 642)"
        )
        phrases += (phrase(rollover, nominal=nominal, why=_why_not_working(nominal), limit=limit),)
        sources = (*sources, "CPC 642")
    return Due(limit, phrases, sources)


# --- Consultation period ----------------------------------------------------


def consultation_deadline(
    info_received: date,
    *,
    expert: bool = False,
    two_level: bool = False,
    agreed_days: int | None = None,
    agreed_with_expert: bool = False,
    clock_stops: Iterable[tuple[date, date]] = (),
    stop_sources: Iterable[str] = (),
    roll_over: bool = False,
    expertise_after_period: date | None = None,
    expertise_annulled: bool = False,
    establishment_last_day: date | None = None,
) -> Due:
    """Last day on which the council can give its opinion (R2312-6).

    The period runs from T0 = `info_received`, the day the written information
    was communicated or its availability in the BDESE notified (R2312-5), not
    from the meeting nor the expert's appointment (LEGAL.md trap 1):

    * 1 month (R2312-6 I al. 1);
    * 2 months when an expert is appointed (R2312-6 I al. 2);
    * 3 months when the consultation runs at both the central and the
      establishment level and at least one expertise takes place
      (R2312-6 I al. 3 and II); two levels without an expert stay 1 month.

    Month periods end on the same day number, or the month's last day. The
    case law has not settled whether CPC 642 moves a last day falling on a
    Saturday, a Sunday or a public holiday to the next working day (LEGAL.md,
    "Counting": make the rule configurable and visible). By default it does not
    move, the earlier date being the safe one for the council; `roll_over`
    (the VIGIE_ROLL_OVER_CONSULTATION_PERIOD setting) moves it. Either way,
    the explanation says so whenever the last day is not a working day.

    `agreed_days` is the period set by a collective agreement (L2312-16,
    L2312-19): it replaces the legal period entirely, expert extension
    included (Cass. soc. 29 juin 2022, LEGAL.md trap 4), and cannot be shorter
    than 15 days. It is counted in calendar days from T0. `agreed_with_expert`: with `expert`,
    `agreed_days` is the period the agreement sets for a consultation with an expert, which the
    explanation names as such; otherwise the agreement's one period holds with an expert too,
    and the explanation says the expertise does not extend it (LEGAL.md (a) 5, trap 4).

    `clock_stops` are (first day, last day) suspensions, both days included,
    such as the employer's contest of the expertise until the judgment is
    notified (L2315-86). Taken in date order, each stop day after T0 and on or
    before the deadline as extended so far adds one day; a day covered by
    several stops counts once. `stop_sources` are the articles the stops were
    made under, cited in the explanation (ClockStop.SOURCES); none when not
    given.

    `expertise_after_period` is the day an expertise was decided after the
    period without expert had ended (the caller counts it with `expert`
    False): the council was by then deemed consulted, so the expertise does
    not extend the period, which the explanation says. `expertise_annulled`:
    the judge annulled the expertise (L2315-86), so no expert intervenes and
    the caller counts it with `expert` False; the explanation says so too.
    `establishment_last_day`: on an establishment council's record, the last day
    of its own opinion (7 days before the central's, R2312-6 II) against which
    its late expertise was judged; the explanation names it, as "ce délai" is
    then the central's, which ends later.
    """
    if agreed_days is not None:
        deadline, phrases, sources = _agreed_period(
            info_received, agreed_days, expert, agreed_with_expert
        )
    else:
        deadline, phrases, sources = _legal_period(info_received, expert, two_level)
    if expertise_after_period is not None and not expert and establishment_last_day:
        text = _(
            " ; l'expertise décidée le %(date)s, après le %(last_day)s, dernier jour de l'avis "
            "du CSE d'établissement, ne le prolonge pas (R2312-6 II)"
        )
        phrases += (phrase(text, date=expertise_after_period, last_day=establishment_last_day),)
    elif expertise_after_period is not None and not expert:
        text = _(
            " ; l'expertise décidée le %(date)s, après la fin de ce délai, ne le prolonge pas"
            " (R2312-6)"
        )
        phrases += (phrase(text, date=expertise_after_period),)
    if expertise_annulled and not expert:
        phrases += (phrase(_(" ; l'expertise annulée par le juge ne le prolonge pas (L2315-86)")),)
    deadline, suspended = _apply_clock_stops(info_received, deadline, clock_stops)
    if suspended:
        cited = tuple(dict.fromkeys(source for source in stop_sources if source))
        phrases += (_suspension_phrase(suspended, cited),)
        sources = (*sources, *cited)
    if not is_working_day(deadline):
        deadline, phrases, sources = _last_day_off(deadline, phrases, sources, roll_over)
    return Due(deadline, phrases, sources)


def _suspension_phrase(days: int, cited: tuple[str, ...]) -> Phrase:
    """ ", délai prolongé de 12 jours de suspension (L2315-86)", without the parenthesis when
    no article is known for the stops."""
    if cited:
        if days == 1:
            return phrase(
                _(", délai prolongé de 1 jour de suspension (%(cites)s)"), cites=", ".join(cited)
            )
        text = _(", délai prolongé de %(days)s jours de suspension (%(cites)s)")
        return phrase(text, days=days, cites=", ".join(cited))
    if days == 1:
        return phrase(_(", délai prolongé de 1 jour de suspension"))
    return phrase(_(", délai prolongé de %(days)s jours de suspension"), days=days)


def _last_day_off(deadline, phrases, sources, roll_over):
    """The period's last day is a Saturday, a Sunday or a public holiday: moved to the next
    working day (CPC 642) with ``roll_over``, kept otherwise; the explanation says which."""
    why = _why_not_working(deadline)
    if not roll_over:
        text = _(
            " ; le %(nominal)s est %(why)s : il n'est pas reporté au jour ouvrable suivant, la "
            "jurisprudence n'ayant pas tranché pour ce délai (règle prudente retenue par Vigie)"
        )
        return deadline, (*phrases, phrase(text, nominal=deadline, why=why)), sources
    limit = deadline
    while not is_working_day(limit):
        limit += ONE_DAY
    text = _(
        " ; le %(nominal)s étant %(why)s, reporté au premier jour ouvrable suivant, le "
        "%(limit)s (CPC 642, règle retenue dans les réglages de Vigie)"
    )
    return (
        limit,
        (*phrases, phrase(text, nominal=deadline, why=why, limit=limit)),
        (*sources, "CPC 642"),
    )


def judged_contest_stop(contested_on: date, judgment_on: date) -> tuple[date, date] | None:
    """The days an employer's contest of the expertise suspended the consultation period: from
    the day the judge was seized to the day before the judgment was notified, both included,
    the period running again on the day of notification (L2315-86, LEGAL.md trap 6). None when
    the judgment came the same day. While no judgment is notified, the period stays paused."""
    last = judgment_on - timedelta(days=1)
    return (contested_on, last) if last >= contested_on else None


def _legal_period(
    info_received: date, expert: bool, two_level: bool
) -> tuple[date, tuple[Phrase, ...], tuple[str, ...]]:
    """R2312-6: 1, 2 or 3 months from T0."""
    if two_level and expert:
        months, why = (
            3,
            phrase(_("consultation à deux niveaux avec expertise, R2312-6 I et R2312-6 II")),
        )
    elif two_level:
        months, why = (
            1,
            phrase(_("consultation à deux niveaux sans expertise, R2312-6 I et R2312-6 II")),
        )
    elif expert:
        months, why = 2, phrase(_("expertise, R2312-6 I"))
    else:
        months, why = 1, "R2312-6 I"
    if months == 1:
        period = phrase(_("1 mois à compter du %(start)s (%(why)s)"), start=info_received, why=why)
    else:
        text = _("%(months)s mois à compter du %(start)s (%(why)s)")
        period = phrase(text, months=months, start=info_received, why=why)
    return add_months(info_received, months), (period,), ("R2312-6",)


def _agreed_period(
    info_received: date, agreed_days: int, expert: bool, agreed_with_expert: bool = False
) -> tuple[date, tuple[Phrase, ...], tuple[str, ...]]:
    """L2312-16 (LEGAL.md (a) 5, S): an agreed period of at least 15 days replaces R2312-6,
    the expert's extension included (Cass. soc. 29 juin 2022, LEGAL.md trap 4). A period the
    agreement sets for a consultation with an expert (``agreed_with_expert``) is named as such:
    the text "the expertise does not extend an agreed period" beside a period longer than the
    one agreed without an expert read as a contradiction."""
    if agreed_days < MINIMUM_AGREED_DAYS:
        raise ValueError(
            f"Un délai de consultation fixé par accord ne peut être inférieur à "
            f"{MINIMUM_AGREED_DAYS} jours (L2312-16) : {agreed_days} jours donnés."
        )
    if expert and agreed_with_expert:
        text = _(
            "%(days)s jours à compter du %(start)s (délai fixé par accord en cas d'expertise, "
            "L2312-16)"
        )
    else:
        text = _("%(days)s jours à compter du %(start)s (délai fixé par accord, L2312-16)")
    phrases = (phrase(text, days=agreed_days, start=info_received),)
    if expert and not agreed_with_expert:
        phrases += (
            phrase(
                _(" ; l'expertise ne prolonge pas un délai conventionnel (Cass. soc. 29 juin 2022)")
            ),
        )
    return info_received + timedelta(days=agreed_days), phrases, ("L2312-16",)


def _stop_days(clock_stops: Iterable[tuple[date, date]]) -> set[date]:
    """Every day covered by at least one stop, both ends included."""
    days: set[date] = set()
    for first, last in clock_stops:
        if last < first:
            raise ValueError(
                f"Suspension invalide : son dernier jour ({french_date(last)}) "
                f"précède son premier jour ({french_date(first)})."
            )
        days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return days


def _apply_clock_stops(
    info_received: date, deadline: date, clock_stops: Iterable[tuple[date, date]]
) -> tuple[date, int]:
    """Push the deadline by one day for each stop day inside the running period."""
    suspended = 0
    for day in sorted(_stop_days(clock_stops)):
        if day <= info_received:
            continue
        if day > deadline:
            break
        deadline += ONE_DAY
        suspended += 1
    return deadline, suspended


def establishment_opinion_due(central_deadline: date) -> Due:
    """Establishment council's opinion: 7 days before the central one's (R2312-6 II)."""
    text = _(
        "7 jours avant la fin du délai de consultation du CSE central, le %(deadline)s "
        "(R2312-6 II) ; à défaut, l'avis du CSE d'établissement est réputé négatif"
    )
    return Due(
        central_deadline - timedelta(days=7),
        (phrase(text, deadline=central_deadline),),
        ("R2312-6",),
    )


def establishment_deadline(central: Due, *, from_central_information: bool) -> Due:
    """The last day of an establishment council consulted with the central one: its opinion
    goes to the central council at the latest 7 days before the central's period ends, or is
    deemed negative (R2312-6 II; LEGAL.md (a) 4, (b) ESTABLISHMENT_DEEMED_NEGATIVE). An agreement
    that sets the periods displaces R2312-6 (LEGAL.md trap 4) and may set this one too: the 7
    days are then kept as the cautious date, and the text says so.

    The central's period runs from the central council's information (LEGAL.md (a) 3: the same
    T0): ``central`` is counted from it when the caller knows it (``from_central_information``),
    and from the establishment's own information otherwise, which the text then says."""
    if not from_central_information:
        central = Due(
            central.date,
            (
                *central.phrases,
                phrase(
                    _(
                        " ; compté de la remise des informations au CSE d'établissement, la "
                        "date de remise au CSE central n'étant pas consignée"
                    )
                ),
            ),
            central.sources,
        )
    if "L2312-16" in central.sources:
        text = _(
            " ; l'avis du CSE d'établissement est dû 7 jours avant la fin de ce délai du CSE "
            "central, le %(central)s (R2312-6 II, sauf autre délai fixé par l'accord), faute de "
            "quoi il est réputé négatif"
        )
    else:
        text = _(
            " ; l'avis du CSE d'établissement est dû 7 jours avant la fin de ce délai du CSE "
            "central, le %(central)s (R2312-6 II), faute de quoi il est réputé négatif"
        )
    return Due(
        central.date - timedelta(days=7),
        (*central.phrases, phrase(text, central=central.date)),
        tuple(dict.fromkeys((*central.sources, "R2312-6"))),
    )


# --- Expertise --------------------------------------------------------------

# What a day period counts from (`_counted_due`), said once for the periods that share it.
FROM_THE_DAY = _("%(days)s jours à compter du %(start)s, jour non compté (%(cites)s ; CPC 641)")
FROM_THE_DESIGNATION = _(
    "%(days)s jours à compter de la désignation de l'expert du %(start)s, jour non compté "
    "(%(cites)s ; CPC 641)"
)


FROM_THE_VOTE = _(
    "%(days)s jours à compter du vote du CSE du %(start)s, jour non compté (%(cites)s ; CPC 641)"
)
# What the employer's 10 days count from (contest_limit's ``event``), said in its explanation.
CONTEST_EVENTS = {"": FROM_THE_DAY, "vote": FROM_THE_VOTE, "designation": FROM_THE_DESIGNATION}


def contest_limit(event_day: date, *, event: str = "") -> Due:
    """Employer's 10 days to contest an expertise before the judge (L2315-86, R2315-49).

    `event_day` is the vote (necessity of the expertise), the designation
    (choice of the expert), the notice of cost, scope and duration, or the
    notice of the final cost. A corrected cost notice restarts the period
    (Cass. soc. 7 déc. 2022). Counted with `count_days`
    (Cass. soc. 5 févr. 2025, n° 22-21.892). ``event``: "vote" or "designation"
    names that day in the explanation ("à compter du vote du CSE du 6 août
    2025"); a notice's day is named by the caller.
    """
    return _counted_due(
        event_day,
        10,
        text=CONTEST_EVENTS[event],
        cites=phrase(_("L2315-86, R2315-49 ; %(case_law)s"), case_law=CONTEST_CASE_LAW),
        sources=("L2315-86", "R2315-49"),
    )


def presumed_appointing_votes(designations: dict, votes: dict) -> dict:
    """For the expertises recorded without the vote that appointed the expert, the vote from
    which the employer's 10 days to contest the *need* for the expertise run (L2315-86,
    R2315-49: from the council's deliberation; from the designation for the choice of the
    expert; LEGAL.md (a) 12).

    ``designations``: each such expertise (any key) and its designation day, or None when not
    recorded yet. ``votes``: each adopted vote appointing an expert on the same consultation
    that no expertise is linked to (any key), and the day of its meeting.

    An expertise is given the latest of those votes held on or before its designation (any of
    them without a designation): the deliberation that led to it, an earlier one having been
    superseded. Only when there is no doubt: a vote two such expertises would both be given is
    given to neither, and an expertise without a vote before it gets none; their 10 days then
    run from the designation, as before. The vote is presumed, not recorded: the caller says
    which vote it counted from, so that the representatives can link the right one.
    """
    ordered = sorted(votes.items(), key=lambda item: item[1])
    picks = {}
    for key, designated in designations.items():
        before = [vote for vote, day in ordered if designated is None or day <= designated]
        if before:
            picks[key] = before[-1]
    claimed = list(picks.values())
    return {key: vote for key, vote in picks.items() if claimed.count(vote) == 1}


def expertise_milestones(
    designated: date,
    *,
    consultation_deadline: date | None,
    ground: str,
    information_requested: date | None = None,
    report_extension_months: int = 0,
) -> dict[str, Due]:
    """The expert's legal milestones from the designation day.

    * information_request: the expert asks for information within 3 days
      (R2315-45);
    * employer_answer: the employer answers within 5 days of the request
      (R2315-45), only when `information_requested` is given;
    * cost_notice: the expert notifies cost, scope and duration within
      10 days (L2315-81-1, R2315-46);
    * report: for GROUND_NEW_TECHNOLOGY, 15 days before the end of the
      consultation period (R2315-47), plain subtraction, and none while
      the period has no last day (`consultation_deadline` None: before
      T0, or paused by a contest of the expertise); for
      GROUND_SERIOUS_RISK, 2 months after the designation (R2315-47),
      renewable once by agreement for 2 months at most:
      `report_extension_months` (1 or 2) once agreed.

    The three day periods are counted like the employer's contest
    (`count_days`): the case law on CPC 640 to 642 concerns the contest, its
    use here is by analogy.
    """
    if ground not in (GROUND_NEW_TECHNOLOGY, GROUND_SERIOUS_RISK):
        raise ValueError(
            f"Motif d'expertise inconnu : {ground!r} (attendu : "
            f"{GROUND_NEW_TECHNOLOGY!r} ou {GROUND_SERIOUS_RISK!r})."
        )
    milestones = {
        "information_request": _counted_due(
            designated,
            3,
            text=FROM_THE_DESIGNATION,
            cites="R2315-45",
            sources=("R2315-45",),
        )
    }
    if information_requested is not None:
        milestones["employer_answer"] = _counted_due(
            information_requested,
            5,
            text=_(
                "%(days)s jours à compter de la demande d'informations de l'expert du "
                "%(start)s, jour non compté (%(cites)s ; CPC 641)"
            ),
            cites="R2315-45",
            sources=("R2315-45",),
        )
    milestones["cost_notice"] = _counted_due(
        designated,
        10,
        text=FROM_THE_DESIGNATION,
        cites="L2315-81-1, R2315-46",
        sources=("L2315-81-1", "R2315-46"),
    )
    if ground == GROUND_NEW_TECHNOLOGY:
        if consultation_deadline is not None:
            milestones["report"] = _report_before_consultation_end(consultation_deadline)
    else:
        milestones["report"] = _report_serious_risk(designated, report_extension_months)
    return milestones


def _report_before_consultation_end(consultation_deadline: date) -> Due:
    """R2315-47: report at the latest 15 days before the consultation period ends."""
    text = _("15 jours avant la fin du délai de consultation, le %(deadline)s (R2315-47)")
    return Due(
        consultation_deadline - timedelta(days=15),
        (phrase(text, deadline=consultation_deadline),),
        ("R2315-47",),
    )


def _report_serious_risk(designated: date, extension_months: int = 0) -> Due:
    """R2315-47: report within 2 months of the designation (serious risk), renewable once by
    agreement between the employer and the council for 2 months at most."""
    if not 0 <= extension_months <= 2:
        raise ValueError(
            f"Renouvellement du délai de l'expert de {extension_months} mois : 2 mois au plus "
            "(R2315-47)."
        )
    first_end = add_months(designated, 2)
    if extension_months:
        # The first end named, so that the sum can be checked: from the 31st, "2 months, then 2
        # more" (28 February, then 28 April) is not "4 months" (30 April).
        text = _(
            "2 mois à compter de la désignation de l'expert du %(start)s (risque grave, "
            "R2315-47), soit le %(first_end)s, renouvelés une fois de %(months)s mois par "
            "accord entre l'employeur et le CSE"
        )
        explained = phrase(text, start=designated, first_end=first_end, months=extension_months)
    else:
        text = _(
            "2 mois à compter de la désignation de l'expert du %(start)s (risque grave, "
            "R2315-47) ; renouvelable une fois pour 2 mois au plus par accord entre l'employeur "
            "et le CSE"
        )
        explained = phrase(text, start=designated)
    # The renewal runs from the end of the first 2 months: 31 December gives 28 February, then
    # 28 April, not the 30 April of 4 months at once (the earlier day, the safe one).
    report = add_months(first_end, extension_months)
    return Due(report, (explained,), ("R2315-47",))


# --- Meetings ---------------------------------------------------------------


def agenda_due(meeting_day: date, *, central: bool = False) -> Due:
    """Agenda sent to members, labour inspector and CARSAT agent.

    At least 3 days before the meeting (L2315-30), 8 days for a central CSE
    (L2316-17). Plain calendar subtraction.
    """
    if central:
        days, source = 8, "L2316-17"
        text = _("%(days)s jours avant la réunion du CSE central du %(meeting)s (%(source)s)")
    else:
        days, source = 3, "L2315-30"
        text = _("%(days)s jours avant la réunion du %(meeting)s (%(source)s)")
    return Due(
        meeting_day - timedelta(days=days),
        (phrase(text, days=days, meeting=meeting_day, source=source),),
        (source,),
    )


def minutes_due(meeting_day: date, *, next_meeting: date | None = None) -> Due:
    """Minutes (procès-verbal) sent to the employer, failing an agreement (L2315-34).

    15 days after the meeting, counted with `count_days`. The decree article
    is believed to be D2315-26, but LEGAL.md marks that number as
    uncertain: the explanation says so. When the next meeting is held within
    those 15 days the minutes are due before it; the day before that meeting
    is returned, the safe reading.
    """
    due = _counted_due(
        meeting_day,
        15,
        text=_(
            "%(days)s jours à compter de la réunion du %(start)s, jour non compté "
            "(%(cites)s ; CPC 641)"
        ),
        cites=phrase(_("L2315-34 ; D2315-26, numéro d'article à vérifier")),
        sources=("L2315-34", "D2315-26"),
    )
    if next_meeting is None or next_meeting > due.date:
        return due
    if next_meeting <= meeting_day:
        raise ValueError("La réunion suivante doit avoir lieu après la réunion du procès-verbal.")
    before = _(
        " ; la réunion suivante du %(meeting)s ayant lieu avant, procès-verbal à transmettre au "
        "plus tard la veille"
    )
    return Due(
        next_meeting - ONE_DAY, (*due.phrases, phrase(before, meeting=next_meeting)), due.sources
    )

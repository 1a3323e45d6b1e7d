"""Legal calendar of a works council (CSE) consultation.

Pure Python, standard library only: no Django here, so that the law can be
tested as a table of cases. The specification is reference/LEGAL.md,
section (a) (deadlines) and section (e) (traps).

Every computed date is a `Due`: the date, a French explanation naming each
term of the computation with its legal source, and the article ids. Users
must be able to check the sum.

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
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Due:
    """A computed legal date with its explanation (French) and its sources."""

    date: date
    explanation: str
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{french_date(self.date)} : {self.explanation}"


# --- Calendar helpers -------------------------------------------------------


def french_date(d: date) -> str:
    """Write a date in full French: "3 mars 2025", "1er mars 2025"."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {_MONTHS[d.month - 1]} {d.year}"


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
def _public_holiday_names(year: int) -> dict[date, str]:
    """The eleven national public holidays (L3133-1) with their French names.

    Alsace-Moselle's extra days (Good Friday, 26 December) are not included.
    Whit Monday stays a public holiday even where it is the "journée de
    solidarité". Do not mutate the cached result.
    """
    easter = easter_sunday(year)
    holidays = [
        (date(year, 1, 1), "jour de l'An"),
        (easter + timedelta(days=1), "lundi de Pâques"),
        (date(year, 5, 1), "fête du Travail"),
        (date(year, 5, 8), "Victoire 1945"),
        (easter + timedelta(days=39), "Ascension"),
        (easter + timedelta(days=50), "lundi de Pentecôte"),
        (date(year, 7, 14), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice 1918"),
        (date(year, 12, 25), "Noël"),
    ]
    names: dict[date, str] = {}
    for day, name in holidays:  # Ascension can fall on 1 or 8 May
        names[day] = f"{names[day]} et {name}" if day in names else name
    return names


def french_public_holidays(year: int) -> set[date]:
    """French public holidays of a year, movable ones computed from Easter."""
    return set(_public_holiday_names(year))


def is_working_day(d: date) -> bool:
    """Neither a Saturday, a Sunday nor a French public holiday (CPC 642)."""
    return d.weekday() < 5 and d not in _public_holiday_names(d.year)


def _why_not_working(d: date) -> str:
    holiday = _public_holiday_names(d.year).get(d)
    if holiday:
        return f"férié ({holiday})"
    return f"un {_WEEKDAYS[d.weekday()]}"


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
    start: date, days: int, *, from_what: str, cites: str, sources: tuple[str, ...]
) -> Due:
    """A `Due` counted with `count_days`, its explanation naming any rollover."""
    limit = count_days(start, days)
    nominal = start + timedelta(days=days)
    explanation = (
        f"{days} jours à compter {from_what} {french_date(start)}, "
        f"jour non compté ({cites} ; CPC 641)"
    )
    sources = (*sources, "CPC 641")
    if limit != nominal:
        explanation += (
            f" ; le {french_date(nominal)} étant {_why_not_working(nominal)}, "
            f"reporté au premier jour ouvrable suivant, le {french_date(limit)} "
            "(CPC 642)"
        )
        sources = (*sources, "CPC 642")
    return Due(limit, explanation, sources)


# --- Consultation period ----------------------------------------------------


def consultation_deadline(
    info_received: date,
    *,
    expert: bool = False,
    two_level: bool = False,
    agreed_days: int | None = None,
    clock_stops: Iterable[tuple[date, date]] = (),
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

    Month periods end on the same day number, or the month's last day, and are
    NOT moved off weekends or public holidays: the case law has not settled
    whether CPC 642 applies to them, and the earlier date is the safe one for
    the council (LEGAL.md, "Counting").

    `agreed_days` is the period set by a collective agreement (L2312-16,
    L2312-19): it replaces the legal period entirely, expert extension
    included (Cass. soc. 29 juin 2022, LEGAL.md trap 4), and cannot be shorter
    than 15 days. It is counted in calendar days from T0.

    `clock_stops` are (first day, last day) suspensions, both days included,
    such as the employer's contest of the expertise until the judgment is
    notified (L2315-86). Taken in date order, each stop day after T0 and on or
    before the deadline as extended so far adds one day; a day covered by
    several stops counts once.
    """
    if agreed_days is not None:
        deadline, explanation, sources = _agreed_period(info_received, agreed_days, expert)
    else:
        deadline, explanation, sources = _legal_period(info_received, expert, two_level)
    deadline, suspended = _apply_clock_stops(info_received, deadline, clock_stops)
    if suspended:
        plural = "s" if suspended > 1 else ""
        explanation += f", délai prolongé de {suspended} jour{plural} de suspension (L2315-86)"
        sources = (*sources, "L2315-86")
    return Due(deadline, explanation, sources)


def _legal_period(
    info_received: date, expert: bool, two_level: bool
) -> tuple[date, str, tuple[str, ...]]:
    """R2312-6: 1, 2 or 3 months from T0."""
    if two_level and expert:
        months, why = (
            3,
            "consultation à deux niveaux avec expertise, R2312-6 I et R2312-6 II",
        )
    elif two_level:
        months, why = (
            1,
            "consultation à deux niveaux sans expertise, R2312-6 I et R2312-6 II",
        )
    elif expert:
        months, why = 2, "expertise, R2312-6 I"
    else:
        months, why = 1, "R2312-6 I"
    explanation = f"{months} mois à compter du {french_date(info_received)} ({why})"
    return add_months(info_received, months), explanation, ("R2312-6",)


def _agreed_period(
    info_received: date, agreed_days: int, expert: bool
) -> tuple[date, str, tuple[str, ...]]:
    """L2312-16: an agreed period of at least 15 days replaces R2312-6."""
    if agreed_days < MINIMUM_AGREED_DAYS:
        raise ValueError(
            f"Un délai de consultation fixé par accord ne peut être inférieur à "
            f"{MINIMUM_AGREED_DAYS} jours (L2312-16) : {agreed_days} jours donnés."
        )
    explanation = (
        f"{agreed_days} jours à compter du {french_date(info_received)} "
        f"(délai fixé par accord, L2312-16)"
    )
    if expert:
        explanation += (
            " ; l'expertise ne prolonge pas un délai conventionnel (Cass. soc. 29 juin 2022)"
        )
    return info_received + timedelta(days=agreed_days), explanation, ("L2312-16",)


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
    return Due(
        central_deadline - timedelta(days=7),
        f"7 jours avant la fin du délai de consultation du CSE central, le "
        f"{french_date(central_deadline)} (R2312-6 II) ; à défaut, l'avis du CSE "
        f"d'établissement est réputé négatif",
        ("R2312-6",),
    )


# --- Expertise --------------------------------------------------------------


def contest_limit(event_day: date) -> Due:
    """Employer's 10 days to contest an expertise before the judge (L2315-86, R2315-49).

    `event_day` is the vote (necessity of the expertise), the designation
    (choice of the expert), the notice of cost, scope and duration, or the
    notice of the final cost. A corrected cost notice restarts the period
    (Cass. soc. 7 déc. 2022). Counted with `count_days`
    (Cass. soc. 5 févr. 2025, n° 22-21.892).
    """
    return _counted_due(
        event_day,
        10,
        from_what="du",
        cites=f"L2315-86, R2315-49 ; {CONTEST_CASE_LAW}",
        sources=("L2315-86", "R2315-49"),
    )


def expertise_milestones(
    designated: date,
    *,
    consultation_deadline: date | None,
    ground: str,
    information_requested: date | None = None,
) -> dict[str, Due]:
    """The expert's legal milestones from the designation day.

    * information_request: the expert asks for information within 3 days
      (R2315-45);
    * employer_answer: the employer answers within 5 days of the request
      (R2315-45), only when `information_requested` is given;
    * cost_notice: the expert notifies cost, scope and duration within
      10 days (L2315-81-1, R2315-46);
    * report: for GROUND_NEW_TECHNOLOGY, 15 days before the end of the
      consultation period (R2315-47), plain subtraction; for
      GROUND_SERIOUS_RISK, 2 months after the designation (R2315-47),
      renewable once by agreement.

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
            from_what="de la désignation de l'expert du",
            cites="R2315-45",
            sources=("R2315-45",),
        )
    }
    if information_requested is not None:
        milestones["employer_answer"] = _counted_due(
            information_requested,
            5,
            from_what="de la demande d'informations de l'expert du",
            cites="R2315-45",
            sources=("R2315-45",),
        )
    milestones["cost_notice"] = _counted_due(
        designated,
        10,
        from_what="de la désignation de l'expert du",
        cites="L2315-81-1, R2315-46",
        sources=("L2315-81-1", "R2315-46"),
    )
    if ground == GROUND_NEW_TECHNOLOGY:
        milestones["report"] = _report_before_consultation_end(consultation_deadline)
    else:
        milestones["report"] = _report_serious_risk(designated)
    return milestones


def _report_before_consultation_end(consultation_deadline: date | None) -> Due:
    """R2315-47: report at the latest 15 days before the consultation period ends."""
    if consultation_deadline is None:
        raise ValueError(
            "La date de fin du délai de consultation est nécessaire pour "
            "calculer la remise du rapport d'expertise (R2315-47)."
        )
    return Due(
        consultation_deadline - timedelta(days=15),
        f"15 jours avant la fin du délai de consultation, le "
        f"{french_date(consultation_deadline)} (R2315-47)",
        ("R2315-47",),
    )


def _report_serious_risk(designated: date) -> Due:
    """R2315-47: report within 2 months of the designation (serious risk)."""
    return Due(
        add_months(designated, 2),
        f"2 mois à compter de la désignation de l'expert du {french_date(designated)} "
        f"(risque grave, R2315-47) ; renouvelable une fois pour 2 mois au plus "
        f"par accord entre l'employeur et le CSE",
        ("R2315-47",),
    )


# --- Meetings ---------------------------------------------------------------


def agenda_due(meeting_day: date, *, central: bool = False) -> Due:
    """Agenda sent to members, labour inspector and CARSAT agent.

    At least 3 days before the meeting (L2315-30), 8 days for a central CSE
    (L2316-17). Plain calendar subtraction.
    """
    if central:
        days, source, who = 8, "L2316-17", "du CSE central "
    else:
        days, source, who = 3, "L2315-30", ""
    return Due(
        meeting_day - timedelta(days=days),
        f"{days} jours avant la réunion {who}du {french_date(meeting_day)} ({source})",
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
        from_what="de la réunion du",
        cites="L2315-34 ; D2315-26, numéro d'article à vérifier",
        sources=("L2315-34", "D2315-26"),
    )
    if next_meeting is None or next_meeting > due.date:
        return due
    if next_meeting <= meeting_day:
        raise ValueError("La réunion suivante doit avoir lieu après la réunion du procès-verbal.")
    return Due(
        next_meeting - ONE_DAY,
        f"{due.explanation} ; la réunion suivante du {french_date(next_meeting)} "
        f"ayant lieu avant, procès-verbal à transmettre au plus tard la veille",
        due.sources,
    )

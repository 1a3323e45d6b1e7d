"""The timeline: dated entries built from the records, for one consultation or for many.

Two halves:

- *Building* (``rebuild_timeline``): the dated facts of every kind come from the records in one
  UNION query; each becomes a row of the timeline index (models/timeline_entry.py) with what it
  says in each language. consultations/signals.py rebuilds a consultation's rows whenever one of
  its records changes.
- *Reading* (``timeline_entries``): one function serves the consultation pages, the PDF dossier,
  the feed and the public timeline. It sorts, counts and cuts pages of the index in the database,
  in a fixed number of queries whatever the size. With ``public=True`` it leaves out everything
  that is not published (unpublished motions and their votes, private events, documents, clock
  stops).

Dates still to come — the end of the consultation period, management's answer — are future
entries; once passed without the fact, they become "avis réputé négatif" or "pas de réponse".
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .cache import retire_public_pages
from .links import consultation_link
from .models import (
    ClockStop,
    Consultation,
    Document,
    EntryKind,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    TimelineEntry,
    Vote,
)
from .wording import colon, explanation, long_date, lower_first, vote_tally

EVENT_KINDS = [
    EntryKind.STRIKE,
    EntryKind.PRESS,
    EntryKind.LABOUR_INSPECTOR,
    EntryKind.COURT,
    EntryKind.GO_LIVE,
    EntryKind.OTHER,
]
EXPERTISE_KINDS = (
    EntryKind.EXPERT_APPOINTED,
    EntryKind.EXPERTISE_CONTESTED,
    EntryKind.CONTEST_JUDGED,
    EntryKind.EXPERT_REPORT,
    EntryKind.REPORT_PRESENTED,
)
PRIVATE_KINDS = {EntryKind.CLOCK_STOP, EntryKind.DOCUMENT}
PUBLIC_KINDS = [kind for kind in EntryKind if kind not in PRIVATE_KINDS]
FUTURE_KINDS = {EntryKind.DEADLINE, EntryKind.ANSWER_DUE}
KIND_ORDER = {kind: index for index, kind in enumerate(EntryKind)}

# A small icon per kind: plain characters of the common system fonts (DejaVu, Segoe UI
# Symbol...), no icon font to fetch, no emoji that may be missing.
ENTRY_ICONS = {
    EntryKind.INFORMATION: "■",
    EntryKind.CLOCK_STOP: "‖",
    EntryKind.EXPERT_APPOINTED: "◆",
    EntryKind.EXPERTISE_CONTESTED: "⚔",
    EntryKind.CONTEST_JUDGED: "⚖",
    EntryKind.EXPERT_REPORT: "◇",
    EntryKind.REPORT_PRESENTED: "◈",
    EntryKind.MEETING: "●",
    EntryKind.VOTE: "☑",
    EntryKind.MOTION: "✎",
    EntryKind.OPINION: "⚖",
    EntryKind.DEADLINE: "○",
    EntryKind.DEEMED_NEGATIVE: "✘",
    EntryKind.RESPONSE: "✉",
    EntryKind.ANSWER_DUE: "○",
    EntryKind.NO_ANSWER: "⚠",
    EntryKind.DOCUMENT: "▤",
    EntryKind.STRIKE: "⚑",
    EntryKind.PRESS: "¶",
    EntryKind.LABOUR_INSPECTOR: "⚐",
    EntryKind.COURT: "⚖",
    EntryKind.GO_LIVE: "▶",
    EntryKind.OTHER: "•",
}

# A date still to come has a hollow marker (shared/UI.md): the kind's own, hollowed, never the
# marker of another kind (◇ is a report delivered), or a circle.
HOLLOW_ICONS = {"●": "◌", "■": "□", "◆": "◊", "◈": "◊", "▶": "▷", "☑": "☐"}


# The two kinds the date of the reading decides: stored as the first, read as the second once
# their date has passed (the opinion never came: L2312-16 / R2312-6; no answer: L2312-15).
EXPIRES_AS = {
    EntryKind.DEADLINE: EntryKind.DEEMED_NEGATIVE,
    EntryKind.ANSWER_DUE: EntryKind.NO_ANSWER,
}
# Kinds whose summary is a record's title as typed (describe()): a document's, an event's.
TYPED_KINDS = {EntryKind.DOCUMENT, *EVENT_KINDS}
# Kinds whose detail (the explanation of a computed date) the consultation page shows.
EXPLAINED_KINDS = {
    EntryKind.DEADLINE,
    EntryKind.DEEMED_NEGATIVE,
    EntryKind.ANSWER_DUE,
    EntryKind.NO_ANSWER,
}


@dataclass(frozen=True)
class Where:
    """Where an entry of a many-consultation timeline belongs: its consultation and council."""

    title: str
    organisation: str
    body: str
    deployment: str


@dataclass(frozen=True)
class Entry:
    on: date
    kind: EntryKind
    summary: str
    consultation_id: int
    anchor: str = ""
    future: bool = False
    detail: str = ""
    ref: int = 0
    where: Where | None = None
    consultation_url: str = ""

    @property
    def icon(self) -> str:
        icon = ENTRY_ICONS[self.kind]
        return HOLLOW_ICONS.get(icon, "○") if self.future else icon

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def summary_parts(self) -> tuple[str, str]:
        """The summary as (Vigie's words, text typed in the records), for the pages to mark the
        second with the records' language (wording.content_lang): a document's or an event's
        summary is its title, a motion's ends with its title (Motion.__str__: "Motion n° 2020-01
        — Titre"), the others are Vigie's words in the reader's language."""
        if self.kind in TYPED_KINDS:
            return "", self.summary
        if self.kind == EntryKind.MOTION:
            designation, dash, title = self.summary.partition(" — ")
            if dash:
                return designation + dash, title
        return self.summary, ""

    @property
    def explained(self) -> bool:
        return self.kind in EXPLAINED_KINDS

    @property
    def url(self) -> str:
        url = self.consultation_url or consultation_url(self.consultation_id)
        return f"{url}#{self.anchor}" if self.anchor else url


def consultation_url(pk) -> str:
    return reverse("consultations:consultation-detail", args=[pk])


# --- What the database is asked: one row per dated fact -------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where the entries of one kind come from: a queryset, its date, its record, its consultation."""

    kind: EntryKind | None  # None: the kind is the record's own (events)
    queryset: models.QuerySet
    date_field: str
    consultation_field: str = "consultation_id"
    ref_field: str = "pk"

    def rows(self):
        queryset = self.queryset.filter(**{f"{self.date_field}__isnull": False})
        kind = Value(self.kind.value) if self.kind else F("kind")
        # A date that turns into another kind once passed sorts as that kind from the start: the
        # order of a day's entries does not change with the date of the reading.
        order_kind = EXPIRES_AS.get(self.kind, self.kind) if self.kind else EntryKind.STRIKE
        order = Value(KIND_ORDER[order_kind])
        return (
            queryset.order_by()
            .annotate(
                t_on=F(self.date_field),
                t_kind=kind,
                t_order=order,
                t_ref=F(self.ref_field),
                t_consultation=F(self.consultation_field),
            )
            .values_list("t_on", "t_kind", "t_order", "t_ref", "t_consultation")
        )


def sources(consultations, *, public):
    """The queries of every kind of dated fact of ``consultations``, as the index stores them:
    DEADLINE for an open consultation without an opinion and ANSWER_DUE for an opinion awaiting
    its answer, whatever the date (the reader turns them into DEEMED_NEGATIVE and NO_ANSWER once
    passed). ``public``: only what a published consultation shows to anyone."""
    in_scope = consultations.order_by().values("pk")
    these = Consultation.objects.filter(pk__in=in_scope)
    given = ~Q(opinion__in=["", Consultation.Opinion.DEEMED_NEGATIVE]) & Q(opinion_on__isnull=False)
    no_opinion = Q(opinion="", status=Consultation.Status.OPEN)
    answered = Consultation.objects.answered_condition()
    awaiting_answer = these.filter(given).annotate(answered=answered).filter(answered=False)
    votes = Vote.objects.filter(consultation__in=in_scope)
    motions = Motion.objects.filter(consultation__in=in_scope, adopted_on__isnull=False)
    events = Event.objects.filter(consultation__in=in_scope)
    if public:
        votes = votes.exclude(motion__published=False)
        motions = motions.filter(published=True)
        events = events.filter(public=True)
    part = {"consultation__in": in_scope}
    expertises = Expertise.objects.filter(**part)
    found = [
        Source(EntryKind.INFORMATION, these, "information_received_on", "pk"),
        Source(EntryKind.CLOCK_STOP, ClockStop.objects.filter(**part), "starts_on"),
        Source(EntryKind.EXPERT_APPOINTED, expertises, "designated_on"),
        # The employer's contest before the judge, which suspends the period until the
        # judgment is notified (L2315-86): both dates shown (found by a QA pass on the dates).
        Source(EntryKind.EXPERTISE_CONTESTED, expertises, "contested_on"),
        Source(EntryKind.CONTEST_JUDGED, expertises, "judgment_on"),
        Source(EntryKind.EXPERT_REPORT, expertises, "report_delivered_on"),
        Source(EntryKind.REPORT_PRESENTED, expertises, "report_presented_on"),
        Source(
            EntryKind.MEETING,
            # A meeting of another organisation's council on the agenda (the admin refuses it
            # now; older records may hold one) shows on neither company's timeline.
            Meeting.consultations.through.objects.filter(
                **part, meeting__body__organisation=F("consultation__body__organisation")
            ),
            "meeting__held_on",
            ref_field="meeting_id",
        ),
        Source(EntryKind.VOTE, votes, "meeting__held_on"),
        Source(EntryKind.MOTION, motions, "adopted_on"),
        Source(EntryKind.OPINION, these.filter(given), "opinion_on", "pk"),
        Source(EntryKind.DEADLINE, these.filter(no_opinion), "deadline_on", "pk"),
        Source(
            EntryKind.DEEMED_NEGATIVE,
            these.filter(opinion=Consultation.Opinion.DEEMED_NEGATIVE),
            "deadline_on",
            "pk",
        ),
        Source(EntryKind.RESPONSE, ManagementResponse.objects.filter(**part), "received_on"),
        Source(EntryKind.ANSWER_DUE, awaiting_answer, "answer_due_on", "pk"),
        Source(EntryKind.DOCUMENT, Document.objects.filter(**part), "dated_on"),
        Source(None, events, "occurred_on"),
    ]
    if public:
        return [source for source in found if source.kind not in PRIVATE_KINDS]
    return found


# --- What each entry says --------------------------------------------------------------------


def vote_summary(vote) -> str:
    """e.g. "Désignation d'un expert : adoptée à l'unanimité, 9 pour". A vote on a motion or
    resolution that adopted one names it as the text's own entry does, the same day: "Motion n°
    2020-01 : adoptée à l'unanimité, 21 pour", so that two motions voted at one meeting are told
    apart ("Motion ou résolution : adoptée" twice did not)."""
    motion = adopted_text(vote) if vote.subject == Vote.Subject.MOTION else None
    subject = motion.designation if motion else vote_subject(vote)
    result = vote.result
    if result is None:
        return _("%(subject)s : décompte incomplet") % {"subject": subject}
    label = (motion or vote).result_label  # agreeing with the text: « Vœu … : adopté »
    if result.unanimous:
        counts = _("%(for)d pour") % {"for": vote.votes_for}
    else:
        counts = vote_tally(vote.votes_for, vote.votes_against, vote.abstentions, vote.blank_votes)
    return f"{subject}{colon()} {label}, {counts}"


def vote_subject(vote) -> str:
    """What was put to the vote, in a few words: its kind (« Désignation d'un expert ») or, for
    a vote of another kind, the start of its question, since « Autre : adoptée » told a reader
    nothing (found by a representative's QA pass)."""
    question = " ".join(vote.question.split()).rstrip(" .;:")
    if vote.subject == Vote.Subject.OTHER and question:
        return Truncator(question).words(12, truncate=" …")
    return vote.get_subject_display()


def adopted_text(vote):
    """The motion, opinion or wish this vote adopted, or None."""
    try:
        return vote.motion
    except ObjectDoesNotExist:
        return None


def response_summary(response) -> str:
    """What management answered, as a sentence ("La direction refuse."): the entry's date and
    kind already say that it is its answer and when."""
    stance = ManagementResponse.Stance
    sentences = {
        stance.ACCEPTS: _("La direction accepte."),
        stance.PARTLY: _("La direction accepte en partie."),
        stance.REJECTS: _("La direction refuse."),
        stance.NO_ANSWER: _("La direction ne répond pas sur le fond."),
    }
    return sentences.get(response.stance, str(response))


def judgment_summary(expertise) -> str:
    """What the judge decided on the employer's contest of the expertise (L2315-86)."""
    outcomes = Expertise.ContestOutcome
    sentences = {
        outcomes.ANNULLED: _(
            "Jugement notifié : le juge annule l'expertise ; le délai d'avis reprend (L2315-86)."
        ),
        outcomes.PARTLY: _(
            "Jugement notifié : le juge réduit l'expertise ou son coût ; le délai d'avis reprend "
            "(L2315-86)."
        ),
        outcomes.REJECTED: _(
            "Jugement notifié : le juge rejette la contestation, l'expertise continue ; le délai "
            "d'avis reprend (L2315-86)."
        ),
    }
    return sentences.get(
        expertise.contest_outcome,
        _(
            "Jugement notifié sur la contestation de l'expertise ; le délai d'avis reprend (L2315-86)."
        ),
    )


def dated_summary(kind, on) -> str:
    """What a computed date says: it depends on the date of the reading, so it is written when
    the timeline is read, not stored."""
    if kind == EntryKind.DEADLINE:
        # Deemed negative once the day has ended, not on it (R2312-6): the council may still
        # give its opinion that day.
        return _(
            "Le CSE a jusqu'au %(date)s inclus pour rendre son avis ; à défaut, son avis est "
            "réputé négatif."
        ) % {"date": long_date(on)}
    if kind == EntryKind.DEEMED_NEGATIVE:
        return _("Le délai a expiré sans avis : le CSE est réputé avoir rendu un avis négatif.")
    if kind == EntryKind.ANSWER_DUE:
        return _("Réponse motivée de la direction attendue le %(date)s.") % {"date": long_date(on)}
    return _("Aucune réponse motivée de la direction à cette date.")


def describe(kind, obj, consultation):
    """(summary, anchor, detail) of an entry."""
    body = consultation.body
    if kind == EntryKind.INFORMATION:
        if consultation.is_information_only:  # L2312-38 al. 1 and 2: no period runs
            summary = _(
                "La direction informe le %(body)s (information seule, L2312-38 al. 1 et 2)."
            )
        else:
            summary = _(
                "La direction remet les informations au %(body)s : le délai de consultation court."
            )
        return summary % {"body": body}, "information", ""
    if kind == EntryKind.CLOCK_STOP:
        return str(obj), "information", obj.get_reason_display()
    if kind in EXPERTISE_KINDS:
        firm = obj.expert_firm or _("un expert habilité")
        if kind == EntryKind.EXPERT_APPOINTED:
            # The ground's label holds its article in parentheses: not nested in another pair
            # (found by a reader's QA pass).
            summary = _("Le CSE désigne %(firm)s ; motif : %(ground)s.") % {
                "firm": firm,
                "ground": lower_first(obj.get_ground_display()),
            }
        elif kind == EntryKind.EXPERTISE_CONTESTED:
            summary = _(
                "La direction conteste l'expertise devant le juge : le délai d'avis est suspendu "
                "jusqu'à la notification du jugement (L2315-86)."
            )
        elif kind == EntryKind.CONTEST_JUDGED:
            summary = judgment_summary(obj)
        elif kind == EntryKind.EXPERT_REPORT:
            summary = _("%(firm)s remet son rapport.") % {"firm": firm}
        else:
            summary = _("%(firm)s présente son rapport au %(body)s.") % {
                "firm": firm,
                "body": body,
            }
        return capfirst(summary), "expertise", ""
    if kind == EntryKind.MEETING:
        return str(obj), "votes", ""
    if kind == EntryKind.VOTE:
        return vote_summary(obj), f"vote-{obj.pk}", obj.question
    if kind == EntryKind.MOTION:
        return str(obj), f"motion-{obj.pk}", ""
    if kind == EntryKind.OPINION:
        if consultation.opinion == Consultation.Opinion.REFUSED_TO_VOTE:
            return _("Le %(body)s refuse de rendre un avis.") % {"body": body}, "opinion", ""
        return (
            _("Avis « %(opinion)s » du %(body)s.")
            % {"opinion": consultation.get_opinion_display().lower(), "body": body},
            "opinion",
            "",
        )
    if kind in (EntryKind.DEADLINE, EntryKind.DEEMED_NEGATIVE):
        deadline = consultation.deadline()
        detail = explanation(deadline) if deadline else ""
        return dated_summary(kind, consultation.deadline_on), "opinion", detail
    if kind in (EntryKind.ANSWER_DUE, EntryKind.NO_ANSWER):
        due = consultation.answer_due()
        detail = explanation(due) if due else ""
        return dated_summary(kind, consultation.answer_due_on), "responses", detail
    if kind == EntryKind.RESPONSE:
        return response_summary(obj), f"response-{obj.pk}", obj.text
    if kind == EntryKind.DOCUMENT:
        return obj.title, "documents", ""
    return obj.title, f"event-{obj.pk}", obj.text


# --- Building the index -------------------------------------------------------------------------

MODEL_OF_KIND = {
    EntryKind.CLOCK_STOP: ClockStop,
    **dict.fromkeys(EXPERTISE_KINDS, Expertise),
    EntryKind.MEETING: Meeting,
    EntryKind.VOTE: Vote,
    EntryKind.MOTION: Motion,
    EntryKind.RESPONSE: ManagementResponse,
    EntryKind.DOCUMENT: Document,
    **dict.fromkeys(EVENT_KINDS, Event),
}
RELATED = {Vote: ["meeting__body", "motion"], Meeting: ["body"], Motion: ["body"]}
BUILD_CHUNK = 200  # consultations per UNION query when many are rebuilt at once


def union_rows(consultations, *, public):
    """(on, kind, order, ref, consultation id) of every dated fact of ``consultations``."""
    queries = [source.rows() for source in sources(consultations, public=public)]
    return list(queries[0].union(*queries[1:], all=True))


def index_rows(consultation_ids) -> list[TimelineEntry]:
    """The index rows of these consultations, built from their records, in every language."""
    consultations = Consultation.objects.filter(pk__in=consultation_ids)
    rows = union_rows(consultations, public=False)
    public = {
        (kind, ref, consultation_id)
        for _on, kind, _order, ref, consultation_id in union_rows(
            consultations.published(), public=True
        )
    }
    # The clock's facts, for the explanations of the computed dates: no query per consultation.
    by_id = consultations.with_clock_facts().in_bulk()
    records = {}
    for model in set(MODEL_OF_KIND.values()):
        ids = [row[3] for row in rows if MODEL_OF_KIND.get(EntryKind(row[1])) is model]
        if ids:
            queryset = model.objects.select_related(*RELATED.get(model, []))
            records[model] = queryset.in_bulk(ids)
    languages = [code for code, _name in settings.LANGUAGES]
    entries = []
    for on, kind, order, ref, consultation_id in rows:
        kind = EntryKind(kind)
        consultation = by_id[consultation_id]
        model = MODEL_OF_KIND.get(kind)
        obj = records[model][ref] if model else consultation
        summaries, details = {}, {}
        for language in languages:
            with translation.override(language):
                summaries[language], anchor, details[language] = describe(kind, obj, consultation)
        entries.append(
            TimelineEntry(
                consultation_id=consultation_id,
                on=on,
                kind=kind.value,
                order=order,
                ref=ref,
                public=(kind.value, ref, consultation_id) in public,
                summaries=summaries,
                details=details,
                anchor=anchor,
            )
        )
    return entries


def rebuild_timeline(consultation_ids=None) -> int:
    """Rewrite the index rows of these consultations (of all of them with None) from their
    records; returns the number of rows written. Called on every change of a record."""
    if consultation_ids is None:
        consultation_ids = list(Consultation.objects.values_list("pk", flat=True))
    consultation_ids = sorted(set(consultation_ids))
    written = 0
    with transaction.atomic():
        for start in range(0, len(consultation_ids), BUILD_CHUNK):
            chunk = consultation_ids[start : start + BUILD_CHUNK]
            TimelineEntry.objects.filter(consultation_id__in=chunk).delete()
            written += len(TimelineEntry.objects.bulk_create(index_rows(chunk), batch_size=500))
    return written


def refresh_stored_calendar() -> tuple[int, int]:
    """Recompute what is stored from the facts with today's rules: every consultation's dates
    (Consultation.refresh_calendar), then the whole timeline index. Returns (consultations,
    index rows). For ``manage.py refresh_calendar``, and after a migration that emptied the
    index because the rules or their words changed (signals.fill_timeline_index). The cached
    public pages are retired: the dates are written with update(), which sends no signal."""
    count = 0
    for consultation in Consultation.objects.with_clock_facts().iterator(chunk_size=500):
        consultation.refresh_calendar()
        count += 1
    rows = rebuild_timeline()
    retire_public_pages()
    return count, rows


# --- Reading the index ----------------------------------------------------------------------------


def kind_condition(kinds, today) -> Q:
    """The index rows that read as one of ``kinds`` on ``today`` (see EXPIRES_AS)."""
    kinds = set(kinds)
    condition = Q(kind__in=[kind.value for kind in kinds - set(EXPIRES_AS)])
    for stored, expired in EXPIRES_AS.items():
        if stored in kinds:
            condition |= Q(kind=stored.value, on__gte=today)
        if expired in kinds:
            condition |= Q(kind=stored.value, on__lt=today)
    return condition


@dataclass
class TimelinePage:
    entries: list
    total: int


ENTRY_FIELDS = ("on", "kind", "ref", "consultation_id", "anchor", "summaries", "details")
WHERE_FIELDS = (
    "consultation__title",
    "consultation__body__organisation__name",
    "consultation__body__name",
    "consultation__deployment__name",
)


def read_entry(row, today, language, where=None, url="") -> Entry:
    on, stored, ref, consultation_id, anchor, summaries, details = row[: len(ENTRY_FIELDS)]
    stored = EntryKind(stored)
    kind = EXPIRES_AS[stored] if stored in EXPIRES_AS and on < today else stored
    if stored in EXPIRES_AS or stored == EntryKind.DEEMED_NEGATIVE:
        summary = dated_summary(kind, on)
    else:
        summary = summaries.get(language) or summaries.get(settings.LANGUAGE_CODE, "")
    detail = details.get(language) or details.get(settings.LANGUAGE_CODE, "")
    future = kind in FUTURE_KINDS or on > today
    return Entry(on, kind, summary, consultation_id, anchor, future, detail, ref, where, url)


def timeline_entries(
    consultations=None,
    *,
    public,
    kinds=None,
    start=None,
    end=None,
    newest_first=True,
    offset=0,
    limit=None,
    today=None,
    with_where=True,
) -> TimelinePage:
    """The entries of ``consultations`` (of every published one with None and ``public``),
    sorted and paginated in the database: one query for the page, one for the count.

    ``kinds`` limits the entry kinds; ``start`` and ``end`` the dates (both included).
    """
    if consultations is None and not public:
        raise ValueError("Without public=True, say whose consultations: members see their own.")
    today = today or timezone.localdate()
    rows = TimelineEntry.objects.all()
    if consultations is not None:
        rows = rows.filter(consultation__in=consultations.order_by().values("pk"))
    if public:
        rows = rows.filter(public=True)
    if kinds is not None:
        rows = rows.filter(kind_condition([EntryKind(kind) for kind in kinds], today))
    if start:
        rows = rows.filter(on__gte=start)
    if end:
        rows = rows.filter(on__lte=end)
    if newest_first:
        rows = rows.order_by("-on", "-order", "-ref")
    else:
        rows = rows.order_by("on", "order", "ref")
    fields = ENTRY_FIELDS + (WHERE_FIELDS if with_where else ())
    if limit is None:
        page = rows.values_list(*fields)
    else:
        # The page's ids first, from the index alone; then their rows and consultations: the
        # rows skipped by the offset are neither read whole nor joined.
        ids = rows.values("pk")[offset : offset + limit]
        page = TimelineEntry.objects.filter(pk__in=ids).order_by(*rows.query.order_by)
        page = page.values_list(*fields)
    language = get_language() or settings.LANGUAGE_CODE
    rows_read = list(page)
    link = consultation_link()
    entries = [
        read_entry(
            row,
            today,
            language,
            Where(*row[len(ENTRY_FIELDS) :]) if with_where else None,
            link(row[3]),
        )
        for row in rows_read
    ]
    total = rows.count() if limit is not None else len(entries)
    return TimelinePage(entries, total)


def consultation_timeline(consultation, *, public=False, today=None) -> list[Entry]:
    """One consultation's entries, oldest first (a story)."""
    return timeline_entries(
        Consultation.objects.filter(pk=consultation.pk),
        public=public,
        newest_first=False,
        today=today,
        with_where=False,
    ).entries

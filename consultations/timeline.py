"""The timeline: dated entries built from the records, for one consultation or for many.

One function, ``timeline_entries``, serves the workspace, the consultation pages and the public
timeline. It asks the database for the dated facts of every kind in one UNION query, sorted and
paginated there, then loads the records of the page in one query per model: the number of
queries does not grow with the data. With ``public=True`` it leaves out everything that is not
published (unpublished motions and their votes, private events, documents, clock stops).
Dates still to come — the end of the consultation period, management's answer — are future
entries; once passed without the fact, they become "avis réputé négatif" or "pas de réponse".
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    ClockStop,
    Consultation,
    Document,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    Vote,
)
from .rules.deadlines import french_date


class EntryKind(models.TextChoices):
    INFORMATION = "information", gettext_lazy("Informations remises")
    CLOCK_STOP = "clock_stop", gettext_lazy("Suspension du délai")
    EXPERT_APPOINTED = "expert_appointed", gettext_lazy("Expert désigné")
    EXPERT_REPORT = "expert_report", gettext_lazy("Rapport de l'expert")
    MEETING = "meeting", gettext_lazy("Réunion")
    VOTE = "vote", gettext_lazy("Vote")
    MOTION = "motion", gettext_lazy("Motion adoptée")
    OPINION = "opinion", gettext_lazy("Avis du CSE")
    DEADLINE = "deadline", gettext_lazy("Fin du délai d'avis")
    DEEMED_NEGATIVE = "deemed_negative", gettext_lazy("Avis réputé négatif")
    RESPONSE = "response", gettext_lazy("Réponse de la direction")
    ANSWER_DUE = "answer_due", gettext_lazy("Réponse attendue")
    NO_ANSWER = "no_answer", gettext_lazy("Pas de réponse motivée")
    DOCUMENT = "document", gettext_lazy("Document")
    STRIKE = "strike", gettext_lazy("Grève")
    PRESS = "press", gettext_lazy("Presse")
    LABOUR_INSPECTOR = "labour_inspector", gettext_lazy("Inspection du travail")
    COURT = "court", gettext_lazy("Justice")
    GO_LIVE = "go_live", gettext_lazy("Mise en service")
    OTHER = "other", gettext_lazy("Autre")


EVENT_KINDS = [
    EntryKind.STRIKE,
    EntryKind.PRESS,
    EntryKind.LABOUR_INSPECTOR,
    EntryKind.COURT,
    EntryKind.GO_LIVE,
    EntryKind.OTHER,
]
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
    EntryKind.EXPERT_REPORT: "◇",
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


@dataclass(frozen=True)
class Entry:
    on: date
    kind: EntryKind
    summary: str
    consultation: Consultation
    anchor: str = ""
    future: bool = False
    detail: str = ""
    obj: object = field(default=None, compare=False, repr=False)

    @property
    def icon(self) -> str:
        return ENTRY_ICONS[self.kind]

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def url(self) -> str:
        url = reverse("consultations:consultation-detail", args=[self.consultation.pk])
        return f"{url}#{self.anchor}" if self.anchor else url


# --- What the database is asked: one row per dated fact -------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where the entries of one kind come from: a queryset, its date, its record, its consultation."""

    kind: EntryKind | None  # None: the kind is the record's own (events)
    queryset: models.QuerySet
    date_field: str
    consultation_field: str = "consultation_id"
    ref_field: str = "pk"

    def rows(self, start, end):
        queryset = self.queryset.filter(**{f"{self.date_field}__isnull": False})
        if start:
            queryset = queryset.filter(**{f"{self.date_field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{self.date_field}__lte": end})
        kind = Value(self.kind.value) if self.kind else F("kind")
        order = Value(KIND_ORDER[self.kind]) if self.kind else Value(KIND_ORDER[EntryKind.STRIKE])
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


def sources(consultations, *, public, kinds, today):
    in_scope = consultations.order_by().values("pk")
    these = Consultation.objects.filter(pk__in=in_scope)
    given = ~Q(opinion__in=["", Consultation.Opinion.DEEMED_NEGATIVE]) & Q(opinion_on__isnull=False)
    no_opinion = Q(opinion="", status=Consultation.Status.OPEN)
    answered = Exists(
        ManagementResponse.objects.filter(consultation=OuterRef("pk")).exclude(
            stance=ManagementResponse.Stance.NO_ANSWER
        )
    )
    awaiting_answer = these.filter(given).annotate(answered=answered).filter(answered=False)
    votes = Vote.objects.filter(consultation__in=in_scope)
    motions = Motion.objects.filter(consultation__in=in_scope, adopted_on__isnull=False)
    events = Event.objects.filter(consultation__in=in_scope)
    if public:
        votes = votes.exclude(motion__published=False)
        motions = motions.filter(published=True)
        events = events.filter(public=True)
    part = {"consultation__in": in_scope}
    found = [
        Source(EntryKind.INFORMATION, these, "information_received_on", "pk"),
        Source(EntryKind.CLOCK_STOP, ClockStop.objects.filter(**part), "starts_on"),
        Source(EntryKind.EXPERT_APPOINTED, Expertise.objects.filter(**part), "designated_on"),
        Source(EntryKind.EXPERT_REPORT, Expertise.objects.filter(**part), "report_delivered_on"),
        Source(
            EntryKind.MEETING,
            Meeting.consultations.through.objects.filter(**part),
            "meeting__held_on",
            ref_field="meeting_id",
        ),
        Source(EntryKind.VOTE, votes, "meeting__held_on"),
        Source(EntryKind.MOTION, motions, "adopted_on"),
        Source(EntryKind.OPINION, these.filter(given), "opinion_on", "pk"),
        Source(
            EntryKind.DEADLINE,
            these.filter(no_opinion, deadline_on__gte=today),
            "deadline_on",
            "pk",
        ),
        Source(
            EntryKind.DEEMED_NEGATIVE,
            these.filter(
                (no_opinion & Q(deadline_on__lt=today))
                | Q(opinion=Consultation.Opinion.DEEMED_NEGATIVE)
            ),
            "deadline_on",
            "pk",
        ),
        Source(EntryKind.RESPONSE, ManagementResponse.objects.filter(**part), "received_on"),
        Source(
            EntryKind.ANSWER_DUE,
            awaiting_answer.filter(answer_due_on__gte=today),
            "answer_due_on",
            "pk",
        ),
        Source(
            EntryKind.NO_ANSWER,
            awaiting_answer.filter(answer_due_on__lt=today),
            "answer_due_on",
            "pk",
        ),
        Source(EntryKind.DOCUMENT, Document.objects.filter(**part), "dated_on"),
        Source(
            None,
            events.filter(kind__in=[k.value for k in kinds if k in EVENT_KINDS]),
            "occurred_on",
        ),
    ]
    allowed = set(kinds) - (PRIVATE_KINDS if public else set())
    return [
        source
        for source in found
        if (source.kind in allowed) or (source.kind is None and allowed & set(EVENT_KINDS))
    ]


# --- What each entry says --------------------------------------------------------------------


def vote_summary(vote) -> str:
    """e.g. "Désignation d'un expert : adoptée à l'unanimité, 9 pour"."""
    result = vote.result
    if result is None:
        return _("%(subject)s : décompte incomplet") % {"subject": vote.get_subject_display()}
    if result.unanimous:
        counts = _("%(for)d pour") % {"for": vote.votes_for}
    else:
        counts = _(
            "%(for)d pour, %(against)d contre, %(abstain)d abstentions, %(blank)d blancs"
        ) % {
            "for": vote.votes_for,
            "against": vote.votes_against,
            "abstain": vote.abstentions,
            "blank": vote.blank_votes,
        }
    return f"{vote.get_subject_display()} : {vote.result_label}, {counts}"


def describe(kind, obj, consultation):
    """(summary, anchor, detail) of an entry."""
    body = consultation.body
    if kind == EntryKind.INFORMATION:
        return (
            _("La direction remet les informations au %(body)s : le délai de consultation court.")
            % {"body": body},
            "information",
            "",
        )
    if kind == EntryKind.CLOCK_STOP:
        return str(obj), "information", obj.get_reason_display()
    if kind in (EntryKind.EXPERT_APPOINTED, EntryKind.EXPERT_REPORT):
        firm = obj.expert_firm or _("un expert habilité")
        if kind == EntryKind.EXPERT_APPOINTED:
            summary = _("Le CSE désigne %(firm)s (%(ground)s).") % {
                "firm": firm,
                "ground": obj.get_ground_display(),
            }
        else:
            summary = _("%(firm)s remet son rapport.") % {"firm": firm}
        return summary, "expertise", ""
    if kind == EntryKind.MEETING:
        return str(obj), "votes", ""
    if kind == EntryKind.VOTE:
        return vote_summary(obj), f"vote-{obj.pk}", obj.question
    if kind == EntryKind.MOTION:
        return str(obj), f"motion-{obj.pk}", ""
    if kind == EntryKind.OPINION:
        return (
            _("Avis « %(opinion)s » du %(body)s.")
            % {"opinion": consultation.get_opinion_display().lower(), "body": body},
            "opinion",
            "",
        )
    if kind in (EntryKind.DEADLINE, EntryKind.DEEMED_NEGATIVE):
        deadline = consultation.deadline()
        detail = deadline.explanation if deadline else ""
        if kind == EntryKind.DEADLINE:
            summary = _("Avis réputé négatif le %(date)s si le CSE ne s'est pas prononcé.") % {
                "date": french_date(consultation.deadline_on)
            }
        else:
            summary = _(
                "Le délai a expiré sans avis : le CSE est réputé avoir rendu un avis négatif."
            )
        return summary, "opinion", detail
    if kind in (EntryKind.ANSWER_DUE, EntryKind.NO_ANSWER):
        due = consultation.answer_due()
        detail = due.explanation if due else ""
        if kind == EntryKind.ANSWER_DUE:
            summary = _("Réponse motivée de la direction attendue le %(date)s.") % {
                "date": french_date(consultation.answer_due_on)
            }
        else:
            summary = _("Aucune réponse motivée de la direction à cette date.")
        return summary, "responses", detail
    if kind == EntryKind.RESPONSE:
        return str(obj), f"response-{obj.pk}", obj.text
    if kind == EntryKind.DOCUMENT:
        return obj.title, "documents", ""
    return obj.title, f"event-{obj.pk}", obj.text


# --- The function ---------------------------------------------------------------------------------

MODEL_OF_KIND = {
    EntryKind.CLOCK_STOP: ClockStop,
    EntryKind.EXPERT_APPOINTED: Expertise,
    EntryKind.EXPERT_REPORT: Expertise,
    EntryKind.MEETING: Meeting,
    EntryKind.VOTE: Vote,
    EntryKind.MOTION: Motion,
    EntryKind.RESPONSE: ManagementResponse,
    EntryKind.DOCUMENT: Document,
    **dict.fromkeys(EVENT_KINDS, Event),
}
RELATED = {Vote: ["meeting__body"], Meeting: ["body"], Motion: ["body"]}


@dataclass
class TimelinePage:
    entries: list
    total: int


def timeline_entries(
    consultations,
    *,
    public,
    kinds=None,
    start=None,
    end=None,
    newest_first=True,
    offset=0,
    limit=None,
    today=None,
) -> TimelinePage:
    """The entries of ``consultations``, sorted and paginated in the database.

    ``kinds`` limits the entry kinds; ``start`` and ``end`` the dates (both included).
    """
    today = today or timezone.localdate()
    kinds = [EntryKind(kind) for kind in (kinds or EntryKind.values)]
    queries = [
        source.rows(start, end)
        for source in sources(consultations, public=public, kinds=kinds, today=today)
    ]
    if not queries:
        return TimelinePage([], 0)
    union = queries[0].union(*queries[1:], all=True)
    if newest_first:
        union = union.order_by("-t_on", "-t_order", "-t_ref")
    else:
        union = union.order_by("t_on", "t_order", "t_ref")
    total = union.count() if limit is not None else None
    rows = list(union[offset : offset + limit] if limit is not None else union)
    consultation_ids = {row[4] for row in rows}
    by_id = (
        Consultation.objects.filter(pk__in=consultation_ids)
        .select_related("body__organisation", "deployment")
        .prefetch_related("clock_stops", "expertises", "body__meetings")
        .in_bulk()
    )
    records = {}
    for model in set(MODEL_OF_KIND.values()):
        ids = [row[3] for row in rows if MODEL_OF_KIND.get(EntryKind(row[1])) is model]
        if ids:
            queryset = model.objects.select_related(*RELATED.get(model, []))
            records[model] = queryset.in_bulk(ids)
    entries = []
    for on, kind, _order, ref, consultation_id in rows:
        kind = EntryKind(kind)
        consultation = by_id[consultation_id]
        model = MODEL_OF_KIND.get(kind)
        obj = records[model][ref] if model else consultation
        summary, anchor, detail = describe(kind, obj, consultation)
        future = kind in FUTURE_KINDS or on > today
        entries.append(Entry(on, kind, summary, consultation, anchor, future, detail, obj))
    return TimelinePage(entries, total if total is not None else len(entries))


def consultation_timeline(consultation, *, public=False, today=None) -> list[Entry]:
    """One consultation's entries, oldest first (a story)."""
    return timeline_entries(
        Consultation.objects.filter(pk=consultation.pk),
        public=public,
        newest_first=False,
        today=today,
    ).entries


def timeline_queryset(consultations):
    """Consultations with every record a consultation page or dossier shows, prefetched: a fixed
    number of queries, whatever the size."""
    return consultations.with_clock_facts().prefetch_related(
        "expertises",
        "votes__meeting__body",
        "votes__motion",
        "motions__adopting_vote__meeting__body",
        "motions__body",
        "responses__motions",
        "demands__settled_by",
        "documents",
        "events",
        "meetings",
    )

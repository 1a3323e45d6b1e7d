"""PDF exports: a motion, a consultation's whole file (dossier), a body's register of motions.

Each export is a plain function returning ``(filename, content_type, bytes)``; the views only
check who asks and wrap the result. Rendering is HTML (templates/pdf/) printed by WeasyPrint,
with the print stylesheet templates/pdf/print.css. Nothing is fetched from the network: the
documents use system fonts and no external resource.

The documents are in French whatever the reader's language (``in_french``): they go to
employees, the labour inspector and judges, and their typography, dates and legal explanations
(rules/deadlines.py) are French; mixing them with English labels made neither a French nor an
English document.

Visibility is the caller's decision, passed as ``public``: a public export holds only what the
public pages show (published motions, non-confidential documents, public events, no internal
notes).
"""

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, wraps
from pathlib import Path

import weasyprint
from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from weasyprint.urls import URLFetcher

from .markdown import NBSP, typeset_plain
from .models import Body, Consultation, Deployment, Meeting, Motion, Vote
from .models.response import motions_without_answer
from .rules.clock import ClockState, StepState
from .rules.deadlines import french_date
from .rules.votes import Majority
from .timeline import consultation_timeline
from .wording import colon, lower_first

CONTENT_TYPE = "application/pdf"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "print.css"

BODY_SHORT_LABELS = {
    Body.Kind.CSE: "CSE",
    Body.Kind.CSE_CENTRAL: "CSEC",
    Body.Kind.CSE_ESTABLISHMENT: "CSEE",
    Body.Kind.CSSCT: "CSSCT",
}

FOOTER_TITLE_MAX = 90
SLUG_MAX = 50  # the title's part of a file name


# --- Querysets: everything a PDF reads, in a fixed number of queries ---------------------------

MOTION_RELATED = (
    "body__organisation",
    "consultation__body__organisation",
    "adopting_vote__meeting__body",
)


def motion_queryset(queryset=None):
    queryset = Motion.objects.all() if queryset is None else queryset
    return queryset.select_related(*MOTION_RELATED)


def dossier_queryset(queryset=None):
    """What the dossier reads besides its timeline (which fetches its own entries): the votes
    with their meeting, its body (the seats of a majority) and the text each adopted, as the
    consultation page reads them."""
    queryset = Consultation.objects.all() if queryset is None else queryset
    return queryset.with_clock_facts().prefetch_related(
        Deployment.prefetch_flag_consultations("deployment__consultations"),
        Prefetch("votes", queryset=Vote.objects.select_related("meeting__body", "motion")),
        # With the facts of management's decision on each (Motion.decision(), L2315-34).
        Prefetch("motions", queryset=Motion.objects.with_decision_facts()),
        "motions__body__organisation",
        "motions__adopting_vote__meeting__body",
        "responses_fetched__motions",  # the answers with_clock_facts() fetched
        "demands__settled_by",
        "documents",
        "events",
    )


# --- Small formatting helpers ------------------------------------------------------------------


def body_short_label(body) -> str:
    return BODY_SHORT_LABELS.get(body.kind, "CSE")


def secretary_title(body) -> str:
    if body.secretary_title:
        return body.secretary_title
    if body.kind == Body.Kind.CSSCT:
        return _("Le ou la secrétaire de la CSSCT")
    return _("Le ou la secrétaire du %(body)s") % {"body": body.get_kind_display()}


def french_time(value) -> str:
    """14:30 -> "14 h 30"; 9:00 -> "9 h"."""
    if value.minute:
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}\u00a0h"


def euros(value) -> str:
    """12500 -> "12 500,00 €" (narrow no-break space between thousands)."""
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€"


def css_string(value: str) -> str:
    """A CSS string literal for ``content:`` in a margin box; escapes quotes, backslashes,
    control characters and angle brackets (the rule sits in a <style> element)."""
    escaped = []
    for char in str(value):
        if char in '\\"<>' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def shorten(text: str, length: int = FOOTER_TITLE_MAX) -> str:
    """A running header's or footer's text of at most ``length`` characters, the ellipsis
    included, cut between two words ("…de la plateforme…", never "…de la pla…"), without the
    punctuation the cut leaves at its end; a single word longer than that is cut where it must.
    The cover or the heading of page 1 names the same things in full."""
    text = " ".join(str(text).split())
    if len(text) <= length:
        return text
    head = text[: length - 1]
    if text[length - 1] != " " and " " in head:  # the cut falls inside a word: drop it
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:·—–-") + "…"


# Letters that Unicode does not decompose, so that slugify would drop them ("vœu" -> "vu").
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})


def _slug(text: str, fallback: str) -> str:
    """A file name part of at most SLUG_MAX characters, cut between two words ("…-agents",
    never "…-agents-i"); a single word longer than that is cut where it must."""
    slug = slugify(str(text).translate(_LIGATURES))
    if len(slug) > SLUG_MAX:
        head = slug[: SLUG_MAX + 1]  # one more: a hyphen there means the cut falls between words
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:SLUG_MAX]
    return slug.strip("-") or fallback


def _today() -> date:
    return timezone.localdate()


# --- Motions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotionSheet:
    """What a motion block shows, computed once."""

    motion: Motion
    anchor: str
    heading: str
    meeting_line: str
    tally: list
    majority_line: str
    result_label: str
    unanimous: bool
    adopted: bool
    secret_ballot: bool
    secretary_title: str
    internal: bool  # not readable by the public: the PDF says not to circulate it
    # In a dossier: management's reasoned decision on it (ProposalDecision.summary()), and the
    # word that marks it late ("" when not).
    decision: str = ""
    decision_late: str = ""


def meeting_line(meeting) -> str:
    """e.g. "Réunion du 27 août 2020 à 14 h 30, salle du conseil"."""
    if meeting is None:
        return ""
    line = _("Réunion du %(date)s") % {"date": french_date(meeting.held_on)}
    if meeting.starts_at:
        line += " " + _("à %(time)s") % {"time": french_time(meeting.starts_at)}
    if meeting.place:
        line += f", {meeting.place}"
    return line


def majority_line(result) -> str:
    """e.g. "majorité requise : 5 voix sur 9 votants présents"."""
    if result.majority is Majority.SEATS:
        of = ngettext(
            "%(count)d titulaire élu", "%(count)d titulaires élus", result.denominator
        ) % {"count": result.denominator}
    else:
        of = ngettext(
            "%(count)d votant présent", "%(count)d votants présents", result.denominator
        ) % {"count": result.denominator}
    return _("majorité requise : %(required)d voix sur %(of)s") % {
        "required": result.required,
        "of": of,
    }


def motion_heading(motion) -> str:
    kind = motion.get_kind_display()
    if motion.reference:
        return _("%(kind)s n° %(reference)s") % {"kind": kind, "reference": motion.reference}
    return _("%(kind)s — projet, non adopté") % {"kind": kind}


def motion_sheet(motion, decision=None) -> MotionSheet:
    """``decision``: management's decision on it (Motion.decision()), which a dossier states."""
    vote = motion.adopting_vote
    result = vote.result if vote else None
    tally = []
    if vote is not None:
        tally = [
            (_("Pour"), vote.votes_for),
            (_("Contre"), vote.votes_against),
            (_("Abstentions"), vote.abstentions),
            (_("Blancs"), vote.blank_votes),  # the word of the page's table of votes
            (_("Votants présents"), vote.voting_members_present),
        ]
    return MotionSheet(
        motion=motion,
        anchor=f"motion-{motion.pk}",
        heading=motion_heading(motion),
        meeting_line=meeting_line(vote.meeting if vote else None),
        tally=tally,
        majority_line=majority_line(result) if result else "",
        result_label=motion.result_label,  # "adopté" of an avis, "adoptée" of a motion
        unanimous=bool(result and result.unanimous),
        adopted=bool(motion.adopted_on),
        secret_ballot=bool(vote and vote.secret_ballot),
        secretary_title=secretary_title(motion.body),
        internal=not motion.is_public,
        decision=decision.summary(_, french_date) if decision else "",
        decision_late=_(decision.badge) if decision and decision.badge else "",
    )


def motion_filename(motion) -> str:
    """e.g. motion-CSE-2020-03-analyse-des-emotions.pdf"""
    reference = motion.reference or "projet"
    return f"motion-{body_short_label(motion.body)}-{reference}-{_slug(motion.title, 'motion')}.pdf"


def in_french(export):
    """The export written in French, whatever the language of the request (see above)."""

    @wraps(export)
    def french_export(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return export(*args, **kwargs)

    return french_export


@in_french
def motion_pdf(motion):
    """One motion, with its vote and the « pour extrait conforme » block."""
    sheet = motion_sheet(motion)
    body = motion.body
    today = _today()
    context = {
        "document_title": typeset_plain(f"{sheet.heading} — {motion.title}"),
        "sheet": sheet,
        "body": body,
        "organisation": body.organisation,
        "consultation": motion.consultation,
        "generated_on": today,
        "margins": _margins(
            top_left=shorten(f"{body.organisation} · {body}"),
            top_right=sheet.heading + (" · " + _("version interne") if sheet.internal else ""),
            bottom_left=_("Généré par Vigie le %(date)s · Consultation : %(title)s")
            % {"date": french_date(today), "title": shorten(motion.consultation.title)},
        ),
    }
    return motion_filename(motion), CONTENT_TYPE, render_pdf("pdf/motion.html", context)


# --- The consultation's file (dossier) ---------------------------------------------------------


STEP_WORDS = {
    StepState.MET: gettext_lazy("Fait"),
    StepState.MET_LATE: gettext_lazy("Fait en retard"),
    StepState.LATE: gettext_lazy("En retard"),
    StepState.PENDING: gettext_lazy("À venir"),
    StepState.LAPSED: gettext_lazy("Délai passé (facultatif)"),
}


def _step_state_word(step) -> str:
    if step.state == StepState.MET and step.met_on:
        return _("Fait le %(date)s") % {"date": step.met_on.strftime("%d/%m/%Y")}
    if step.state == StepState.MET_LATE and step.met_on:
        return _("Fait en retard, le %(date)s") % {"date": step.met_on.strftime("%d/%m/%Y")}
    return str(STEP_WORDS.get(step.state, ""))


def _expertise_sheet(expertise, *, public):
    """The costs are the council's budget, for its members: the consultation page shows them to
    members only, and so does the dossier."""
    return {
        "expertise": expertise,
        "anchor": f"expertise-{expertise.pk}",
        "estimated_cost": "" if public else euros(expertise.estimated_cost),
        "final_cost": "" if public else euros(expertise.final_cost),
        "milestones": [
            {"step": step, "state": _step_state_word(step)} for step in expertise.milestones()
        ],
    }


def meeting_sheets(consultation, today) -> list[dict]:
    """The meetings of the consultation as its page lists them for members (Meeting.objects.
    listed_with), each with its agenda (L2315-30) and minutes (L2315-34) steps, explained when
    not met in time as the page does, and, when sent late, their due dates: a meeting called
    late lays its resolutions open to challenge, late minutes put off management's decision on
    the council's proposals. One query; one row of a table per meeting, which keeps a long
    dossier quick to print (bench/pdf.py)."""
    meetings = (
        Meeting.objects.with_next_meeting().listed_with(consultation).defer("agenda", "notes")
    )
    return [
        {
            "meeting": meeting,
            "other_body": meeting.body_id != consultation.body_id,
            "steps": [
                {
                    "step": step,
                    "state": _step_state_word(step),
                    "explained": step.state != StepState.MET,
                }
                for step in meeting.steps(on=today)
            ],
            "late_agenda": meeting.late_agenda(),
            "late_minutes": meeting.late_minutes(),
        }
        for meeting in meetings
    ]


def opinion_label(consultation, clock, deadline) -> str:
    """The "Avis" row, in the consultation page's words: the opinion recorded and its day, or
    the opinion deemed negative, recorded as such or, with none recorded, once the deadline has
    passed as the clock state says (R2312-6); none expected on a matter the council is only
    informed of (L2312-38 al. 1 and 2)."""
    open_ = consultation.status == Consultation.Status.OPEN
    deemed = consultation.opinion == Consultation.Opinion.DEEMED_NEGATIVE or (
        not consultation.opinion and open_ and clock == ClockState.EXPIRED
    )
    if deemed:
        ended = deadline.date if deadline else consultation.opinion_on
        if not ended:
            return _("Avis réputé négatif")
        when = _("délai écoulé le %(date)s (R2312-6)") % {"date": french_date(ended)}
        return f"{_('Avis réputé négatif')}{colon()} {when}"
    if not consultation.opinion and consultation.is_information_only:
        return _("Pas d'avis attendu : information seule.")
    label = str(consultation.get_opinion_display())
    if consultation.opinion_on:
        return _("%(opinion)s, le %(date)s") % {
            "opinion": label,
            "date": french_date(consultation.opinion_on),
        }
    return label


def opinion_statement(consultation, clock, deadline) -> str:
    """The opinion at the head of « Avis et motions », in the consultation page's words:
    "Avis : défavorable (23 septembre 2020)"; deemed negative, on a matter the council is
    only informed of, or not given yet, as the "Avis" row of the summary says it
    (opinion_label)."""
    if consultation.opinion and consultation.opinion != Consultation.Opinion.DEEMED_NEGATIVE:
        text = f"{_('Avis')}{colon()} {lower_first(consultation.get_opinion_display())}"
        if consultation.opinion_on:
            text += f" ({french_date(consultation.opinion_on)})"
        return text
    return opinion_label(consultation, clock, deadline)


@dataclass(frozen=True)
class VoteRow:
    """A row of the dossier's table of votes: the consultation page's table, with the text
    the vote adopted and the majority it needed."""

    vote: Vote
    anchor: str
    subject: str
    question: str
    adopted_text: Motion | None  # the motion the vote adopted, when the dossier shows it
    counts: tuple
    result_label: str
    majority_line: str


def vote_rows(votes, motions) -> list[VoteRow]:
    """The votes the dossier shows (Consultation.votes_shown), each with the text it adopted
    among ``motions``, those the dossier shows."""
    shown = {motion.pk: motion for motion in motions}
    rows = []
    for vote in votes:
        result = vote.result
        adopted = getattr(vote, "motion", None)
        rows.append(
            VoteRow(
                vote=vote,
                anchor=f"vote-{vote.pk}",
                subject=vote.get_subject_display(),
                question=vote.question,
                adopted_text=shown.get(adopted.pk) if adopted is not None else None,
                counts=(
                    vote.votes_for,
                    vote.votes_against,
                    vote.abstentions,
                    vote.blank_votes,
                    vote.voting_members_present,
                ),
                result_label=vote.result_label,
                majority_line=majority_line(result) if result else "",
            )
        )
    return rows


def dossier_filename(consultation, *, public=True) -> str:
    """The members' copy, which holds internal records, says so in its name too: it must not
    be forwarded for the public one."""
    short = body_short_label(consultation.body)
    slug = _slug(consultation.title, "consultation")
    internal = "" if public else "-interne"
    return f"dossier-{short}-{consultation.pk}-{slug}{internal}.pdf"


@in_french
def dossier_pdf(consultation, *, public):
    """The whole consultation: cover, contents, summary, timeline, expertise, votes, opinion and
    motions, answers, demands (and, for members, documents marked confidential and the internal notes)."""
    consultation = dossier_queryset(Consultation.objects.filter(pk=consultation.pk)).get()
    body = consultation.body
    today = _today()
    motions = [
        motion
        for motion in consultation.motions.all()
        if motion.adopted_on and (motion.published or not public)
    ]
    motions.sort(key=lambda motion: (motion.adopted_on, motion.number or 0, motion.pk))
    responses = [
        {"response": response, "motions": response.answers_among(motions)}
        for response in consultation.fetched("responses")
    ]
    unanswered = motions_without_answer(
        motions, consultation.fetched("responses"), opinion_answered=consultation.answered
    )
    documents = [
        document
        for document in consultation.documents.all()
        if not (public and document.confidential)
    ]
    timeline = [
        {"entry": entry, "detail": entry.detail if entry.explained else ""}
        for entry in consultation_timeline(consultation, public=public, today=today)
    ]
    deadline = consultation.deadline()
    clock = consultation.clock_state(on=today)
    context = {
        "document_title": typeset_plain(
            _("Dossier de consultation — %(title)s") % {"title": consultation.title}
        ),
        "consultation": consultation,
        "public": public,
        "body": body,
        "organisation": body.organisation,
        "deployment": consultation.deployment,
        "legal_bases": consultation.get_legal_bases_display(),
        "deadline": deadline,
        "paused_since": None if deadline else consultation.paused_since(),
        "establishment_due": consultation.establishment_opinion_due(),
        # As the page: no answer awaited once management answered the opinion.
        "answer_due": None if consultation.answered else consultation.answer_due(),
        "clock": clock,
        "opinion": opinion_label(consultation, clock, deadline),
        "opinion_statement": opinion_statement(consultation, clock, deadline),
        "opinion_after_deadline": consultation.opinion_after(deadline),
        "votes": vote_rows(consultation.votes_shown(public=public), motions),
        # As the page: the meetings' agenda and minutes are the members' business.
        "meetings": [] if public else meeting_sheets(consultation, today),
        "flags": consultation.deployment.red_flags(),
        "clock_stops": [] if public else consultation.fetched("clock_stops"),
        "timeline": timeline,
        "expertises": [
            _expertise_sheet(expertise, public=public)
            for expertise in consultation.fetched("expertises")
        ],
        "motions": [
            motion_sheet(motion, decision=motion.decision(consultation.fetched("responses"), today))
            for motion in motions
        ],
        "responses": responses,
        "unanswered_motions": unanswered,
        "demands": list(consultation.demands.all()),
        "documents": documents,
        "events": consultation.events_shown(public=public),
        "internal_notes": "" if public else consultation.internal_notes,
        "generated_on": today,
        "margins": _margins(
            top_left=shorten(f"{body.organisation} · {body}"),
            top_right=_("Dossier de consultation")
            + ("" if public else " · " + _("version interne")),
            bottom_left=_("Généré par Vigie le %(date)s · %(title)s")
            % {"date": french_date(today), "title": shorten(consultation.title)},
        ),
    }
    filename = dossier_filename(consultation, public=public)
    return filename, CONTENT_TYPE, render_pdf("pdf/dossier.html", context)


# --- A body's register of motions --------------------------------------------------------------


def register_motions(body, year, *, public):
    """The adopted motions of ``body`` in ``year``, in number order; published ones only (of
    public consultations) when ``public``."""
    motions = Motion.objects.adopted().filter(body=body, year=year)
    if public:
        motions = motions.published()
    return motion_queryset(motions).order_by("number", "pk")


def register_filename(body, year) -> str:
    return f"registre-{body_short_label(body)}-{year}-{_slug(body.name, 'instance')}.pdf"


@in_french
def register_pdf(body, year, *, public, motions=None):
    """Every adopted motion of the body in the year, one per page, with a table of contents."""
    if motions is None:
        motions = register_motions(body, year, public=public)
    today = _today()
    sheets = [motion_sheet(motion) for motion in motions]
    title = _("Registre des motions %(year)s") % {"year": year}
    context = {
        "document_title": typeset_plain(f"{title} — {body}"),
        "title": title,
        "year": year,
        "body": body,
        "organisation": body.organisation,
        "public": public,
        "motions": sheets,
        "internal": any(sheet.internal for sheet in sheets),
        "generated_on": today,
        "margins": _margins(
            top_left=shorten(f"{body.organisation} · {body}"),
            top_right=title,
            # After each page's motion reference (register.html), as the motion PDF marks it.
            internal_mark=" · " + _("version interne"),
            bottom_left=_("Généré par Vigie le %(date)s · %(title)s · %(body)s")
            % {"date": french_date(today), "title": title, "body": shorten(str(body), 60)},
        ),
    }
    return register_filename(body, year), CONTENT_TYPE, render_pdf("pdf/register.html", context)


# --- Rendering ---------------------------------------------------------------------------------


def _margins(**texts) -> dict:
    """The running header and footer texts, as CSS strings for the margin boxes."""
    return {key: css_string(typeset_plain(value)) for key, value in texts.items()}


@lru_cache(maxsize=4)
def _stylesheet(mtime: float) -> weasyprint.CSS:
    return weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"))


def stylesheet() -> weasyprint.CSS:
    """The print stylesheet, parsed once (again only when the file changes)."""
    return _stylesheet(STYLESHEET.stat().st_mtime)


# A fetcher that allows no protocol at all: a stray URL (an image typed in a motion would already
# be removed by the sanitiser) is refused, never fetched.
NO_FETCH = URLFetcher(allowed_protocols=())


# A date in French, "2 décembre 2027", "1er mai": not glued to a word, a number or a reference
# before it ("2020-03 mai" is no date), nor to a word after its month ("1 maison").
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_FRENCH_DATE = re.compile(rf"(?<![\w/.,-])(1er|\d{{1,2}}) ({_MONTHS})(?!\w)(?: (\d{{4}})(?!\d))?")


def unbroken_dates(html: str) -> str:
    """Every French date of a document with no-break spaces, so that a line never breaks
    between its day, its month and its year (« le 2 / décembre 2027 »): the dates Vigie writes,
    those of the legal explanations and those typed in a motion alike."""
    return _FRENCH_DATE.sub(lambda match: NBSP.join(filter(None, match.groups())), html)


@contextmanager
def garbage_collector_paused():
    """Python's cyclic garbage collector off for the time of one PDF, then on again.

    WeasyPrint makes hundreds of thousands of short-lived objects (boxes, styles, text lines):
    with the collector on, its collections run over and over during a dossier and scan the whole
    process, Django included. Paused, the 50-motion dossier of bench/pdf.py took 2.9 to 3.0 s
    instead of 3.25 to 3.5 s in alternated runs (25 November 2026), for a peak memory 2 % higher
    (163 MB instead of 160): the document's own garbage waits for the next collection, which
    frees it as before. The collector is switched on again only if it was on, so that of two
    PDFs made at once in two threads, the last to end leaves it as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(template_name: str, context: dict) -> bytes:
    html = unbroken_dates(render_to_string(template_name, context))
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=NO_FETCH)
    with garbage_collector_paused():
        return document.write_pdf(stylesheets=[stylesheet()])

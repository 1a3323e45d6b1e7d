"""The HTML of the long lists, written in Python rather than in a template.

A Django template costs about 0.2 ms per timeline entry on this project's benchmark machine
(each ``{{ variable }}`` is looked up, filtered and escaped on its own): 30 entries were a fifth of
the public timeline's time, and a consultation's panel of a hundred entries more than its
queries. The same markup written here costs a twentieth of that (bench/pages.py). The page
templates still say where each list goes, with a filter of ``{% load vigie %}``:
``{{ timeline|public_timeline }}``, ``{{ timeline|consultation_timeline }}``,
``{{ filter.form|filter_fields }}``, ``{{ votes|vote_rows }}``, ``{{ motions|motion_cards:public }}``,
``{{ upcoming|due_list }}``, ``{{ rows|consultation_rows }}``, ``{{ rows|register_rows }}``.

Every value is escaped with the standard library's ``html.escape`` (quotes included) before it
is written out; tests/test_fragments.py checks the markup against the former templates and
checks that hostile text comes out inert.

The texts typed in the records (titles, questions, motions) are marked with their language on a
page in another one (``lang="fr"`` on an English page: wording.content_lang), worked out once per
list.
"""

import re
from html import escape
from itertools import groupby

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .links import consultation_link, link_maker
from .markdown import sanitise_html
from .models import Deployment, Motion, Vote
from .rules.proposals import DecisionState
from .wording import LONG_DATE, content_lang, long_date, vote_tally, written_date

# The columns a phone leaves out of the tables (the lists of consultations and of AI systems,
# a consultation's votes), so that the title, the way in, and the state or result stay on screen;
# PHONE_ONLY, what a phone shows instead, under the title or the result.
WIDE_ONLY = ' class="d-none d-md-table-cell"'
PHONE_ONLY = '<div class="small d-md-none">{}</div>'
NUMBER_AND_WORD = re.compile(r"(?<=\d) ")


class _Once(dict):
    """What a list writes out again and again (a date, a translated label), worked out once per
    value within one list."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def _labels(model, field_name):
    """value -> the escaped label of a field's choice, in the reader's language (as
    ``get_FOO_display()``: the value itself when it is not a choice)."""
    choices = dict(model._meta.get_field(field_name).flatchoices)
    return _Once(lambda value: escape(str(choices.get(value, value))))


def _dates(day_format):
    """day -> the escaped day written in ``day_format`` (wording.written_date)."""
    return _Once(lambda day: escape(written_date(day, day_format)))


def _results():
    """A vote -> its result's escaped label, "" without a result: "adoptée à l'unanimité", or
    "adopté" for a vote on an opinion or an agreement."""
    labels = _Once(lambda key: escape(_(key[0].label_agreeing(masculine=key[1]))) if key[0] else "")
    return lambda vote: labels[vote.result, vote.masculine_subject]


def _marked(lang):
    """escaped typed text -> that text in a ``<span>`` with ``lang`` (content_lang()), for text
    beside Vigie's words in one element; the text as it is on a page in the records' language."""
    if not lang:
        return lambda text: text
    return lambda text: f"<span{lang}>{text}</span>"


def _summary(entry, marked) -> str:
    """An entry's escaped summary, the part typed in the records marked (Entry.summary_parts)."""
    words, typed = entry.summary_parts
    return escape(words) + (marked(escape(typed)) if typed else "")


def timeline_summary_html(entry) -> str:
    """One timeline entry's escaped summary, its typed part marked with the records' language
    (for the Atom feed, which writes its entries one at a time)."""
    return _summary(entry, _marked(content_lang()))


def _entry_li(entry, kind_note, summary, extra=""):
    future = " is-future" if entry.future else ""
    return (
        f'<li class="timeline-entry{future} kind-{escape(entry.kind.value)}">'
        f'<span class="timeline-marker" aria-hidden="true">{escape(entry.icon)}</span> '
        f'<span class="timeline-kind">{escape(str(entry.label))}{kind_note if entry.future else ""}'
        f"</span> {summary}{extra}</li>"
    )


def _days(entries, heading, render_entry):
    """The entries grouped by date, as the template's ``{% regroup %}`` did: one ``<li>`` per
    day with its heading, the date written out once per day."""
    days, parts = _dates(LONG_DATE), []
    for day, items in groupby(entries, key=lambda entry: entry.on):
        parts.append(
            f'<li class="timeline-day"><{heading} class="timeline-date h6">{days[day]}</{heading}>'
            f'<ul class="list-unstyled">{"".join(render_entry(entry) for entry in items)}</ul></li>'
        )
    return parts


def public_timeline_html(entries) -> SafeString:
    """The public timeline's entries, newest first, each with its consultation and council."""
    kind_note = f" ({escape(_('à venir'))})"
    marked = _marked(content_lang())

    def render_entry(entry):
        where = entry.where
        summary = f'<a href="{escape(entry.url)}">{_summary(entry, marked)}</a>'
        place = (
            f'<div class="small text-body-secondary">{escape(where.organisation)} · '
            f"{escape(where.body)} · {marked(escape(where.deployment))} — "
            f"{marked(escape(where.title))}</div>"
        )
        return _entry_li(entry, kind_note, summary, place)

    days = _days(entries, "h2", render_entry)
    # Reviewed: every value above went through html.escape (tests/test_fragments.py).
    return mark_safe(  # nosec B308 B703
        f'<ol class="timeline list-unstyled public-timeline">{"".join(days)}</ol>'
    )


def consultation_timeline_html(entries) -> SafeString:
    """One consultation's story, oldest first: a summary links to its record on the page, and a
    computed date says how it was computed."""
    kind_note = f' <span class="visually-hidden">({escape(_("à venir"))})</span>'
    marked = _marked(content_lang())

    def render_entry(entry):
        text = _summary(entry, marked)
        summary = f'<a href="#{escape(entry.anchor)}">{text}</a>' if entry.anchor else text
        detail = ""
        if entry.detail and entry.explained:
            detail = f' <small class="d-block text-body-secondary">{escape(entry.detail)}</small>'
        return _entry_li(
            entry, kind_note, f'<span class="timeline-summary">{summary}</span>', detail
        )

    days = _days(entries, "h3", render_entry)
    if not days:
        empty = _("Rien n'est encore daté : la frise commence à la remise des informations.")
        days = [f'<li class="text-body-secondary">{escape(empty)}</li>']
    # Reviewed: every value above went through html.escape (tests/test_fragments.py).
    return mark_safe(f'<ol class="timeline list-unstyled">{"".join(days)}</ol>')  # nosec B308 B703


def filter_fields_html(form) -> SafeString:
    """The fields of a list's filter form, one column each: label, widget, help, errors. The
    widgets write themselves (widgets.py); a bound form that failed shows each field's errors.
    The help and the errors carry the ids that the widget's aria-describedby names (Django's
    ``<id>_helptext`` and ``<id>_error``)."""
    if not form:  # a template variable that is not there
        return mark_safe("")  # nosec B308 B703
    errors = form.errors if form.is_bound else {}
    parts = []
    for name in form.fields:
        field = form[name]
        auto_id = escape(field.auto_id or "")
        help_text = ""
        if field.help_text:
            help_text = (
                f'<div id="{auto_id}_helptext" class="form-text small mt-0">'
                f"{escape(str(field.help_text))}</div>"
            )
        messages = ""
        if errors.get(name):
            messages = (
                f'<div id="{auto_id}_error" class="invalid-feedback d-block">'
                + "".join(f"<div>{escape(str(message))}</div>" for message in errors[name])
                + "</div>"
            )
        parts.append(
            f'<div class="col"><label class="form-label small mb-0" '
            f'for="{escape(field.id_for_label)}">{escape(str(field.label))}</label>'
            f"{field}{help_text}{messages}</div>"
        )
    # Reviewed: labels and messages are escaped; the widgets escape their own values.
    return mark_safe("".join(parts))  # nosec B308 B703


def vote_rows_html(votes) -> SafeString:
    """The rows of a consultation's table of votes (consultation page): date, subject and
    question, the counts, the result."""
    subjects, days, results = _labels(Vote, "subject"), _dates("d/m/Y"), _results()
    lang = content_lang()
    rows = []
    for vote in votes:
        question = ""
        if vote.question:
            question = (
                f'<div class="small text-body-secondary"{lang}>'
                f"{escape(Truncator(vote.question).words(40, truncate=' …'))}</div>"
            )
        counts = "".join(
            f'<td class="text-end d-none d-md-table-cell">{escape(str(count))}</td>'
            for count in (
                vote.votes_for,
                vote.votes_against,
                vote.abstentions,
                vote.blank_votes,
                vote.voting_members_present,
            )
        )
        result = results(vote)
        result = f"<strong>{result}</strong>" if result else "—"
        tally = (vote.votes_for, vote.votes_against, vote.abstentions, vote.blank_votes)
        if None not in tally:
            counted = vote_tally(*tally)
            # Each number stays with its word when the line wraps ("0 abstention").
            result += PHONE_ONLY.format(escape(NUMBER_AND_WORD.sub("\u00a0", counted)))
        rows.append(
            f'<tr id="vote-{int(vote.pk)}"><td>{days[vote.meeting.held_on]}</td>'
            f"<td>{subjects[vote.subject]}{question}</td>{counts}<td>{result}</td></tr>"
        )
    # Reviewed: every value is escaped (tests/test_fragments.py).
    return mark_safe("".join(rows))  # nosec B308 B703


def motion_cards_html(motions, public) -> SafeString:
    """A consultation's motions, each with its adoption, its text and its PDF. ``public``: the
    page of a visitor, who is not told which motions are published (all those shown are)."""
    # Each said as French agrees it with the kind of text (Motion.masculine): "Avis n° 2020-01
    # … Adopté le", "Motion n° 2020-02 … Adoptée le".
    words = {
        False: (_("Adoptée le"), _("Pas encore adoptée"), _("publiée"), _("non publiée")),
        True: (_("Adopté le"), _("Pas encore adopté"), _("publié"), _("non publié")),
    }
    # Whole, as English puts "unanimously" before the date ("Adopted unanimously on 27 August
    # 2020", not "Adopted on 27 August 2020 unanimously": found by a reader's QA pass).
    unanimous_words = {
        False: _("Adoptée le %(date)s à l'unanimité"),
        True: _("Adopté le %(date)s à l'unanimité"),
    }
    pdf = _("Télécharger en PDF")
    pdf_link = link_maker("consultations:motion-pdf")
    kinds, days = _labels(Motion, "kind"), _dates(LONG_DATE)
    lang = content_lang()
    marked = _marked(lang)
    cards = []
    for motion in motions:
        adopted_on, not_adopted, published, unpublished = words[motion.masculine]
        title = kinds[motion.kind]
        if motion.reference:
            title += " " + escape(_("n° %(reference)s") % {"reference": motion.reference})
        if motion.adopted_on:
            # "Adoptée le 23 novembre 2026 — 10 pour, 2 contre, 2 abstentions, 0 blanc": the
            # whole count, which "adoptée, 10 pour" hid (found by an editor's QA pass).
            status = f"{escape(adopted_on)} {days[motion.adopted_on]}"
            vote = motion.adopting_vote if motion.result_label else None
            if vote is not None:
                if vote.unanimous:
                    status = escape(unanimous_words[motion.masculine]) % {
                        "date": days[motion.adopted_on]
                    }
                counts = (vote.votes_for, vote.votes_against, vote.abstentions, vote.blank_votes)
                if None not in counts:
                    status += " — " + escape(vote_tally(*counts))
        else:
            status = escape(not_adopted)
        if not public:
            status += " · " + escape(published if motion.published else unpublished)
        link = ""
        if motion.adopted_on:
            url = pdf_link(motion.pk)
            # Every card has this link: its hidden words name the motion for a screen reader.
            link = (
                f'<a class="btn btn-sm btn-outline-secondary" href="{escape(url)}">{escape(pdf)}'
                f'<span class="visually-hidden"> — {title}</span></a>'
            )
        decision = decision_html(getattr(motion, "decision_shown", None))
        cards.append(
            f'<article id="motion-{int(motion.pk)}" class="card mb-3"><div class="card-body">'
            f'<h3 class="h5 card-title">{title} — {marked(escape(motion.title))}</h3>'
            f'<p class="small text-body-secondary mb-2">{status}</p>{decision}'
            # The stored HTML, cleaned once more on the way out (templatetags ``sanitised``).
            f'<div class="motion-text"{lang}>{sanitise_html(motion.text_html or "")}</div>{link}'
            "</div></article>"
        )
    # Reviewed: every value is escaped, the motion's HTML sanitised (tests/test_fragments.py).
    return mark_safe("".join(cards))  # nosec B308 B703


def decision_html(decision) -> str:
    """Management's reasoned decision on a motion (Motion.decision(), L2315-34), under its
    adoption: ProposalDecision.summary(), with its badge when late, and the reason folded under
    "Comment cette date est calculée" when the meeting it is due at is known. "" without one."""
    if decision is None:
        return ""
    line = escape(decision.summary(_, long_date))
    if decision.due_on is None:  # the sentence is the reason: what Vigie awaits
        return f'<p class="small mb-2 motion-decision">{line}</p>'
    badge = ""
    if decision.badge:
        colour = "badge-overdue" if decision.state is DecisionState.LATE else "text-bg-warning"
        badge = f'<span class="badge {colour}">{escape(_(decision.badge))}</span> '
    why = (
        f'<details class="small"><summary>{escape(_("Comment cette date est calculée"))}'
        f"</summary>{escape(capfirst(decision.explain(_, long_date)))}</details>"
    )
    return f'<div class="small mb-2 motion-decision">{badge}{line}{why}</div>'


def due_list_html(rows, *, with_organisation=False) -> SafeString:
    """The workspace's dates to come: (item, link to its consultation, day written out) for
    each, with the reason of the date folded under "Comment cette date est calculée". With
    ``with_organisation``, the organisation of each consultation under its title (its body and
    organisation loaded with it). A row may carry a fourth value: the page where the step is
    recorded (a meeting's agenda or minutes, for its editors), or None."""
    why = escape(_("Comment cette date est calculée"))
    record = escape(_("consigner l'envoi"))
    titles = _Once(lambda title: escape(Truncator(title).words(10, truncate=" …")))
    names = _Once(lambda name: f'<div class="small text-body-secondary">{escape(name)}</div>')
    lang = content_lang()
    parts = []
    for item, url, day, *page in rows:
        link = f'<a href="{escape(url)}"{lang}>{titles[item.consultation.title]}</a>'
        if with_organisation:
            link = f"<div>{link}{names[item.consultation.body.organisation.name]}</div>"
        label = escape(str(item.label))
        step = label
        if page and page[0]:
            step += (
                f' · <a href="{escape(page[0])}">{record}'
                f'<span class="visually-hidden"> — {label}</span></a>'
            )
        parts.append(
            f'<li class="list-group-item"><strong class="d-block">{escape(day)}</strong>'
            f'<div class="text-break">{link}</div>'
            f"<div>{step}</div>"
            f'<details class="small text-body-secondary"><summary>{why}</summary>'
            f"{escape(str(item.explanation))}</details></li>"
        )
    # Reviewed: every value is escaped (tests/test_fragments.py).
    return mark_safe(f'<ul class="list-group">{"".join(parts)}</ul>')  # nosec B308 B703


def clock_badge_html(state) -> SafeString:
    """A consultation's clock state as a badge ("Échéance proche"), on every page that shows it."""
    badge = f'<span class="{escape(state.badge_class)}">{escape(str(state.label))}</span>'
    # Reviewed: both values are escaped.
    return mark_safe(badge)  # nosec B308 B703


def consultation_rows_html(rows) -> SafeString:
    """The rows of the workspace's list of consultations: (consultation, its clock state). The
    period's last day stays on a phone: it is what a representative looks for."""
    link, days = consultation_link(), _dates("d/m/Y")
    lang = content_lang()
    parts = []
    for consultation, state in rows:
        received, deadline = consultation.information_received_on, consultation.deadline_on
        body = consultation.body
        organisation = escape(str(body.organisation))
        parts.append(
            f"<tr><td{WIDE_ONLY}>{days[received] if received else '—'}</td>"
            f"<td{WIDE_ONLY}>{organisation}"
            f'<div class="small text-body-secondary">{escape(str(body))}</div></td>'
            f'<td><a href="{escape(link(consultation.pk))}"{lang}>{escape(consultation.title)}</a>'
            f"{PHONE_ONLY.format(organisation)}</td>"
            f"<td{WIDE_ONLY}{lang}>{escape(consultation.deployment.name)}</td>"
            f"<td>{days[deadline] if deadline else '—'}</td>"
            f"<td>{clock_badge_html(state)}</td></tr>"
        )
    # Reviewed: every value is escaped (tests/test_fragments.py).
    return mark_safe("".join(parts))  # nosec B308 B703


def register_rows_html(rows) -> SafeString:
    """The rows of the register of AI systems: (system, its red flags, its latest consultation
    shown, that consultation's clock state)."""
    link, days = link_maker("consultations:deployment-detail"), _dates("d/m/Y")
    tiers = _labels(Deployment, "risk_tier")
    severities = {
        "prohibited": f' <span class="badge text-bg-danger">{escape(_("Interdit"))}</span>',
        "high": f' <span class="badge text-bg-warning">{escape(_("Haut risque"))}</span>',
        # The level of the flags page (_flags.html): the worst flag may be one to check, and
        # a count alone ("1") said nothing (found by a reader's QA pass).
        "warning": f' <span class="badge text-bg-light border">{escape(_("À vérifier"))}</span>',
    }
    none = f'<span class="badge text-bg-light border">{escape(_("Aucune"))}</span>'
    lang = content_lang()
    parts = []
    for deployment, flags, latest, state in rows:
        vendor = ""
        if deployment.vendor:
            vendor = f'<div class="small text-body-secondary">{escape(deployment.vendor)}</div>'
        severity = severities.get(flags[0].severity, "") if flags else ""
        flagged = f"{len(flags)}{severity}"
        organisation = escape(str(deployment.organisation))
        # On a phone, the organisation's and the flags' columns give way to lines under the
        # system's name.
        phone_lines = PHONE_ONLY.format(organisation)
        if flags:
            count = ngettext("%(count)s signalement", "%(count)s signalements", len(flags))
            phone_lines += PHONE_ONLY.format(escape(count % {"count": len(flags)}) + severity)
        go_live = deployment.actual_go_live
        parts.append(
            f'<tr><td><a href="{escape(link(deployment.pk))}"{lang}>{escape(deployment.name)}</a>'
            f"{vendor}{phone_lines}</td><td{WIDE_ONLY}>{organisation}</td>"
            f"<td{WIDE_ONLY}>{tiers[deployment.risk_tier]}</td><td{WIDE_ONLY}>{flagged}</td>"
            f"<td>{clock_badge_html(state) if latest else none}</td>"
            f"<td{WIDE_ONLY}>{days[go_live] if go_live else '—'}</td></tr>"
        )
    # Reviewed: every value is escaped (tests/test_fragments.py).
    return mark_safe("".join(parts))  # nosec B308 B703

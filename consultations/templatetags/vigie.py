"""Template filters for Vigie's texts: ``{% load vigie %}``.

- ``{{ motion.text|markdown }}``: Markdown rendered and sanitised (consultations/markdown.py);
- ``{{ motion.text_html|sanitised }}``: HTML stored already rendered, sanitised again on the way
  out (an archive restored from elsewhere must not bring markup in);
- ``{{ motion.title|french_typography }}``: non-breaking spaces before : ; ! ? and inside « ».
- ``{{ meeting.held_on|french_date }}``: "3 mars 2025";
- ``{{ item.on|written_date:"l j F Y" }}``: a date in one of Django's formats, in the reader's
  language, with French's "1er" ("jeudi 1er mai 2025"; wording.written_date);
- ``{% translate "Avis" %}{% colon %}``: the colon after a label, as the reader's language writes
  it ("Avis\u00a0:" in French, "Opinion:" in English);
- ``{{ consultation.get_opinion_display|lower_first }}``: a label after that colon, "défavorable";
- ``{{ expertise.estimated_cost|euros }}``: "42 000,00 €" in French, "€42,000.00" in English;
- ``{{ timeline|public_timeline }}``, ``{{ timeline|consultation_timeline }}``,
  ``{{ filter.form|filter_fields }}``, ``{{ votes|vote_rows }}``,
  ``{{ motions|motion_cards:public }}``, ``{{ upcoming|due_list }}``,
  ``{{ rows|consultation_rows }}``, ``{{ rows|register_rows }}``: the long lists, written in
  Python for speed, and ``{{ state|clock_badge }}``, the badge they share with the pages
  (consultations/fragments.py);
- ``{% sort_heading "title" _("Consultation") %}``: a sortable column heading of a list;
- ``{% required_fields_shown as required %}``: whether a form of the page marks a required
  field with an asterisk;
- ``<h1{% content_lang %}>{{ consultation.title }}</h1>``: the language of the texts typed in
  the records, ' lang="fr"' on a page in another language, nothing on a French page
  (wording.content_lang).
"""

from urllib.parse import urlsplit

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .. import fragments
from ..forms import shows_required_field
from ..markdown import french_typography as typeset
from ..markdown import render_markdown, sanitise_html
from ..rules.deadlines import french_date
from ..wording import (
    colon,
    content_lang,
    euros,
    explanation,
    long_date,
    lower_first,
    vote_tally,
    written_date,
)

register = template.Library()


@register.filter(name="any_field_error")
def any_field_error_filter(errors):
    """Whether an error of a page's summary (views.editing.error_summary) points at a field,
    rather than at the whole form (two saves at once, a rule across fields)."""
    return any(error.get("anchor") for error in errors or ())


@register.filter(name="says_input_kept")
def says_input_kept_filter(errors):
    """Whether the summary's errors already say that what was typed is kept: a save over
    another one's (edit_conflicts.py) does, so the summary does not say it twice."""
    return bool(errors) and all(error.get("code") == "edit_conflict" for error in errors)


@register.simple_tag(name="required_fields_shown", takes_context=True)
def required_fields_shown_tag(context):
    """Whether a form or formset of the page (any in the context) marks a required field
    with an asterisk (forms.shows_required_field): the page then says what it means."""
    return any(
        shows_required_field(value)
        for value in context.flatten().values()
        if isinstance(value, BaseForm | BaseFormSet)
    )


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown to sanitised HTML, with French typography."""
    # Reviewed: render_markdown's output is sanitised by nh3 (tests/test_markdown.py).
    return mark_safe(typeset(render_markdown(str(text or ""))))  # nosec B308 B703


@register.filter(name="web_link")
def web_link_filter(url):
    """``url`` when it is a web address (http or https), for an href; "" otherwise, so that a
    record saved without its form's check (an archive restored raw) never links a script."""
    url = str(url or "")
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


@register.filter(name="sanitised")
def sanitised_filter(html):
    """Stored HTML, cleaned by nh3 once more (microseconds) before it is marked safe."""
    # Reviewed: nh3 keeps only the basic formatting tags (tests/test_markdown.py).
    return mark_safe(sanitise_html(str(html or "")))  # nosec B308 B703


@register.filter(name="french_typography")
def french_typography_filter(value):
    """Escape plain text (unless already safe), then add French non-breaking spaces."""
    if value is None:
        return ""
    # Reviewed: the text is escaped first; typeset() only adds non-breaking spaces.
    return mark_safe(typeset(str(conditional_escape(value))))  # nosec B308 B703


@register.filter(name="euros")
def euros_filter(value):
    """An amount in euros in the reader's language (wording.euros): "42 000,00 €", "€42,000.00"."""
    return "" if value is None else euros(value)


@register.filter(name="lower_first")
def lower_first_filter(value):
    """The text with its first letter in lower case (wording.lower_first)."""
    return lower_first(value)


@register.filter(name="french_date")
def french_date_filter(value):
    """A date in full French: "3 mars 2025", "1er mars 2025"."""
    if not value:
        return ""
    return french_date(value)


@register.filter(name="written_date")
def written_date_filter(value, day_format):
    """A date in ``day_format`` (Django's), "1er" for the first of the month in French, as the
    workspace and the PDFs write it (Django's ``date`` filter writes "1 mai")."""
    return written_date(value, day_format)


@register.filter(name="explanation")
def explanation_filter(due):
    """How a legal date was computed, in the reader's language."""
    return explanation(due)


@register.filter(name="public_timeline")
def public_timeline_filter(entries):
    """The public timeline's entries (a list of timeline.Entry with their ``where``)."""
    return fragments.public_timeline_html(entries)


@register.filter(name="consultation_timeline")
def consultation_timeline_filter(entries):
    """One consultation's entries, oldest first."""
    return fragments.consultation_timeline_html(entries)


@register.filter(name="filter_fields")
def filter_fields_filter(form):
    """The fields of a list's filter form, one column each."""
    return fragments.filter_fields_html(form)


@register.filter(name="vote_rows")
def vote_rows_filter(votes):
    """The rows of a consultation's table of votes."""
    return fragments.vote_rows_html(votes)


@register.filter(name="motion_cards")
def motion_cards_filter(motions, public):
    """A consultation's motions; ``public``: as a visitor sees them."""
    return fragments.motion_cards_html(motions, public)


@register.filter(name="due_list")
def due_list_filter(rows, with_organisation=False):
    """The workspace's dates to come: (item, link, day) rows; ``with_organisation``: each
    consultation's organisation named too."""
    return fragments.due_list_html(rows, with_organisation=bool(with_organisation))


@register.filter(name="clock_badge")
def clock_badge_filter(state):
    """A consultation's clock state (models.Clock) as a badge."""
    return fragments.clock_badge_html(state)


@register.simple_tag(name="colon")
def colon_tag():
    """The colon after a label, as the reader's language writes it (wording.py)."""
    return colon()


@register.simple_tag(name="content_lang")
def content_lang_tag():
    """The attribute of an element that holds text typed in the records: ' lang="fr"' on a
    page in another language, "" on a French page (wording.content_lang)."""
    # Reviewed: a fixed attribute, its value escaped by content_lang().
    return mark_safe(content_lang())  # nosec B308 B703


@register.filter(name="vote_tally")
def vote_tally_filter(vote):
    """``{{ vote|vote_tally }}``: "4 pour, 0 contre, 1 abstention, 0 blanc" (wording.py); "" for
    a vote whose count is incomplete, as the table of votes shows none."""
    counts = (vote.votes_for, vote.votes_against, vote.abstentions, vote.blank_votes)
    return "" if None in counts else vote_tally(*counts)


@register.filter(name="long_date")
def long_date_filter(value):
    """``{{ day|long_date }}``: "1er octobre 2020" in French, "1 October 2020" in English."""
    return long_date(value)


@register.simple_tag(name="sort_heading", takes_context=True)
def sort_heading_tag(context, param, label, first="ascending", wide_only=False, default=False):
    """A column heading that sorts the list by ``param`` (a ``sort=`` value of its filter set),
    keeping the other filters (``query_without_sort`` in the context); the sorted column links
    to the other direction and says which it is, to the eye (an arrow) and to a screen reader
    (``aria-sort``). ``first``: the direction of the first click ("descending" for dates, newest
    first). ``wide_only``: the column gives way on a phone. ``default``: the list is in this
    column's ``first`` order when no sort is chosen."""
    current = context["request"].GET.get("sort", "")
    if not current and default:
        current = param if first == "ascending" else f"-{param}"
    if current == param:
        state, target = "ascending", f"-{param}"
    elif current == f"-{param}":
        state, target = "descending", param
    else:
        state, target = None, param if first == "ascending" else f"-{param}"
    # Reviewed: both attributes are fixed strings of this function.
    attributes = ' class="d-none d-md-table-cell"' if wide_only else ""
    arrow = ""
    if state:
        attributes += f' aria-sort="{state}"'
        arrow = format_html(
            ' <span aria-hidden="true">{}</span>', "▲" if state == "ascending" else "▼"
        )
    return format_html(
        '<th scope="col"{}><a href="?{}sort={}">{}</a>{}</th>',
        mark_safe(attributes),  # nosec B308 B703
        context.get("query_without_sort", ""),
        target,
        label,
        arrow,
    )


@register.filter(name="consultation_rows")
def consultation_rows_filter(rows):
    """The rows of the list of consultations: (consultation, clock state)."""
    return fragments.consultation_rows_html(rows)


@register.filter(name="register_rows")
def register_rows_filter(rows):
    """The rows of the register of AI systems: (system, flags, latest consultation, state)."""
    return fragments.register_rows_html(rows)

"""Punctuation and dates that differ between the reader's languages."""

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

LONG_DATE = "j F Y"


def colon() -> str:
    """The colon after a label: "Avis\u00a0: …" in French (a no-break space before it), "Opinion:
    …" in English. The catalogue says which, so a new language says its own."""
    return pgettext("colon after a label", " :")  # a no-break space, then the colon


def quoted(text) -> str:
    """``text`` between the language's quotation marks: « texte » in French (no-break spaces
    inside), “text” in English."""
    return pgettext("quotation marks around a text", "« %(text)s »") % {"text": text}


def long_date(day) -> str:
    """A date written out, "3 mars 2025", with French's "1er" for the first of the month
    ("1er octobre 2020", as the PDFs write it), plain "1 October 2020" in English; "" without
    a date."""
    if not day:
        return ""
    text = date_format(day, LONG_DATE)
    if day.day == 1 and text.startswith("1 "):
        text = pgettext("the first day of the month in a written date", "1er") + text[1:]
    return text


def explanation(due) -> str:
    """How a legal date was computed (a rules ``Due``), in the reader's language: its messages
    translated by the catalogue, its dates written out as ``long_date``. The PDFs, always in
    French, get the French the law is written in (consultations/pdf.py)."""
    return due.explain(gettext, long_date)

"""Punctuation that differs between the reader's languages."""

from django.utils.translation import pgettext


def colon() -> str:
    """The colon after a label: "Avis\u00a0: …" in French (a no-break space before it), "Opinion:
    …" in English. The catalogue says which, so a new language says its own."""
    return pgettext("colon after a label", " :")  # a no-break space, then the colon


def quoted(text) -> str:
    """``text`` between the language's quotation marks: « texte » in French (no-break spaces
    inside), “text” in English."""
    return pgettext("quotation marks around a text", "« %(text)s »") % {"text": text}

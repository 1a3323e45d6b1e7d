"""Punctuation and dates that differ between the reader's languages, and the language of the
texts typed in the records."""

import re
from functools import lru_cache
from html import escape

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext, pgettext

LONG_DATE = "j F Y"  # "3 mars 2025"
DAY_OF_MONTH = re.compile(r"(?<!\\)j")  # the day of the month in a Django date format
WEEKDAY_DATE = "l j F"  # "lundi 3 mars", the workspace's dates to come


def colon() -> str:
    """The colon after a label: "Avis\u00a0: …" in French (a no-break space before it), "Opinion:
    …" in English. The catalogue says which, so a new language says its own."""
    return pgettext("colon after a label", " :")  # a no-break space, then the colon


def euros(amount) -> str:
    """An amount in euros as the reader's language writes it: « 42 000,00 € » in French,
    "€42,000.00" in English (the catalogue places the sign; Django's number format groups the
    digits). The space before the sign is a no-break space, typed as such: xgettext reads no
    escape in a Python string."""
    from django.template.defaultfilters import floatformat

    return pgettext("an amount in euros", "%(amount)s €") % {"amount": floatformat(amount, "2g")}


def lower_first(text) -> str:
    """``text`` with its first letter in lower case, the rest as it is: a choice's label
    (« Défavorable », which starts a line in the admin's list and the dossier's table) after a
    colon, where French writes « Avis : défavorable ». Django's capfirst() the other way."""
    text = str(text)
    return text[:1].lower() + text[1:]


FRENCH_VOWELS = "aàâäeéèêëiîïoôöuùûüyœæ"


def of_noun_in_french(noun) -> str:
    """« de » and a French noun, elided before a vowel: « d'expertise », « d'événement », « de
    vote ». A noun starting with an h is taken as aspirated (« de hausse »): none of Vigie's
    names of records starts with one."""
    noun = str(noun)
    if noun[:1].lower() in FRENCH_VOWELS:
        return f"d’{noun}"
    return f"de {noun}"


def quoted(text) -> str:
    """``text`` between the language's quotation marks: « texte » in French (no-break spaces
    inside), “text” in English."""
    return pgettext("quotation marks around a text", "« %(text)s »") % {"text": text}


def vote_tally(votes_for, against, abstentions, blank) -> str:
    """A vote's count in words: "4 pour, 0 contre, 1 abstention, 0 blanc". French puts 0 and 1
    in the singular; the catalogue of each language gives its plural (locale/fr holds French's
    rule, since the strings are written in French)."""
    return gettext("%(for)s pour, %(against)s contre, %(abstentions)s, %(blank)s") % {
        "for": votes_for,
        "against": against,
        "abstentions": ngettext("%(count)d abstention", "%(count)d abstentions", abstentions)
        % {"count": abstentions},
        "blank": ngettext("%(count)d blanc", "%(count)d blancs", blank) % {"count": blank},
    }


def written_date(day, day_format=LONG_DATE) -> str:
    """A date in one of Django's formats, with French's "1er" for the first of the month
    ("1er octobre 2020", "mercredi 1er octobre", as the PDFs write it), plain "1 October 2020"
    in English; "" without a date. The catalogue gives each language its first day."""
    if not day:
        return ""
    return _written_date(day, day_format, get_language())


@lru_cache(maxsize=4096)
def _written_date(day, day_format, language) -> str:
    """Remembered by language: a federation's workspace writes out thousands of dates (in the
    explanations of its dates due), a few hundred different ones, and Django's date_format
    costs some 30 microseconds each."""
    if day.day == 1:
        first = pgettext("the first day of the month in a written date", "1er")
        # The day's "j" (not an escaped "\\j") becomes the literal characters of "1er", each
        # escaped with a backslash.
        literal = "".join(f"\\{character}" for character in first)
        day_format = DAY_OF_MONTH.sub(lambda _match: literal, day_format)
    return date_format(day, day_format)


def long_date(day) -> str:
    """A date written out: "3 mars 2025", "1er octobre 2020", "1 October 2020"."""
    return written_date(day, LONG_DATE)


def explanation(due) -> str:
    """How a legal date was computed (a rules ``Due``), in the reader's language: its messages
    translated by the catalogue, its dates written out as ``long_date``. The PDFs, always in
    French, get the French the law is written in (consultations/pdf.py)."""
    return _explanation(due, get_language())


@lru_cache(maxsize=4096)
def _explanation(due, language) -> str:
    """Remembered by language (a Due is immutable): the workspace and the calendar feed of a
    federation explain hundreds of dates, many of them alike. Shown on its own, it starts with a
    capital, as in the PDFs."""
    return capfirst(due.explain(gettext, long_date))


def content_lang() -> str:
    """The attribute that marks the texts typed in the records (consultations' titles and
    summaries, AI systems' names, motions, vote questions, demands...) with the language they are
    written in, ``VIGIE_CONTENT_LANGUAGE``: ' lang="fr"' on a page in another language, so that
    a screen reader reads them with French pronunciation (WCAG 3.1.2, language of parts); "" on
    a page in that language, whose ``<html lang>`` says it already. Safe to write in a tag."""
    return _content_lang(get_language(), settings.VIGIE_CONTENT_LANGUAGE)


@lru_cache(maxsize=64)
def _content_lang(language, content) -> str:
    def primary(code):  # "fr" of "fr-ca", of "fr_CA"
        return code.replace("_", "-").split("-")[0].lower()

    if not content or not language or primary(language) == primary(content):
        return ""
    return f' lang="{escape(content)}"'


@receiver(setting_changed)
def forget_written_words(**kwargs):
    """A test that changes the settings (languages, formats, catalogues) gets fresh words."""
    _written_date.cache_clear()
    _explanation.cache_clear()

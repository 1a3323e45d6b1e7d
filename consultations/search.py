"""Search that ignores accents, case and punctuation, the same on PostgreSQL and SQLite.

A representative types "emotions" or "l'ia" and expects « Analyse des émotions » and
« l’IA d’aide à la vente »; the databases compare accented letters as different letters (and
SQLite ignores case for ASCII letters only). So the searched texts are stored *folded*
(``fold()``: no accents, no capitals, ligatures written out, punctuation turned into spaces) in a
``search_text`` column, written when they change, and a query is folded the same way: each of
its words must then start a word of that column (``matching()``), with two LIKEs per word.

Measured on 2,000 consultations (README "Benchmarks"): the list searched for a word takes 39 ms
where the former accent-sensitive search took 67 ms, and PostgreSQL's ``unaccent()`` at query
time had doubled the search's time.

This module imports nothing of Vigie (only Django's Q), so the models use it to fill their
columns.
"""

import re
import unicodedata
from functools import reduce
from operator import or_

from django.db.models import Q

# Ligatures Unicode does not decompose: « cœur » is found by "coeur", as French readers type it.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
# Anything but a letter or a digit separates words: apostrophes (' and ’), hyphens, Markdown.
SEPARATORS = re.compile(r"[\W_]+")
# A query's words beyond these are ignored: each adds two LIKEs over every row searched.
MAX_WORDS = 8


def fold(text: str) -> str:
    """``text`` without accents, capitals or punctuation, its words separated by one space:
    « L’analyse des ÉMOTIONS » → "l analyse des emotions"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return SEPARATORS.sub(" ", bare.casefold()).strip()


def fold_all(*texts: str) -> str:
    """Several texts folded into one searchable text (blank ones left out)."""
    return " ".join(folded for folded in map(fold, texts) if folded)


def query_words(query: str) -> list[str]:
    """The words of a query, folded, without repeats, at most MAX_WORDS; not the single
    letters, French elisions mostly ("l'ia" is looked up as "ia")."""
    words = [word for word in fold(query).split() if len(word) > 1 or word.isdigit()]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def word_start(field: str, word: str) -> Q:
    """The rows whose folded ``field`` has a word starting with ``word``: "emot" finds
    « émotions », but "ia" does not find « social »."""
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def matching(queryset, query: str, fields=("search_text",)):
    """The rows of ``queryset`` where every word of ``query`` starts a word of one of the
    folded ``fields`` (in any order: "emotion analyse" finds « Analyse des émotions »). A query
    with no word leaves the queryset as it is."""
    for word in query_words(query):
        queryset = queryset.filter(reduce(or_, (word_start(field, word) for field in fields)))
    return queryset

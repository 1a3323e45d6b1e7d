"""Markdown for the texts representatives write (motions, answers): rendered, then sanitised.

The text is rendered by Python-Markdown, then cleaned by nh3 down to a short list of basic
formatting tags and plain tables (no attribute but a link's address: a column's alignment is
lost, as the Content-Security-Policy forbids inline styles). Raw HTML typed in a motion therefore never reaches a page or a PDF as markup:
a ``<script>``, an ``onerror=`` attribute or a ``javascript:`` link does not survive.
"""

import re
import threading

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    # Tables (Markdown's pipe syntax): a motion lists sites and headcounts, a demand's figures.
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"

# Headings a representative types (# Titre) become h3/h4: the page or the PDF owns h1 and h2.
_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(\s[^>]*)?>")


def _shift_headings(html: str) -> str:
    return _HEADING_TAG.sub(
        lambda match: (
            f"<{match.group(1)}{_HEADING_SHIFT['h' + match.group(2)]}{match.group(3) or ''}>"
        ),
        html,
    )


def sanitise_html(html: str) -> str:
    """Keep only the basic formatting tags; links only to http, https and mailto."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    """One Markdown converter per thread (building one loads its extensions; it is not
    thread-safe)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown_lib.Markdown(
            extensions=["sane_lists", "nl2br", "tables"], output_format="html"
        )
    return converter


def render_markdown(text: str) -> str:
    """Markdown to safe HTML (a string that may be marked safe)."""
    if not text:
        return ""
    html = _converter().reset().convert(text)
    return sanitise_html(_shift_headings(html))


# --- French typography -----------------------------------------------------------------------

NBSP = "\u00a0"  # espace insécable: before ":" and inside « »
NNBSP = "\u202f"  # espace fine insécable: before ";", "!" and "?", between groups of digits

_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM_TAG = re.compile(r"<(/?)(pre|code)\b", re.IGNORECASE)
# A number written with its thousands apart ("1 000", "42 000", "1 200 000"): groups of three
# digits after a first group of one to three, not glued to a word or to other digits.
_DIGIT_GROUPS = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0]\d{3})+(?!\d)")


def _join_digit_groups(match: re.Match) -> str:
    return re.sub(r"[ \u00a0]", NNBSP, match.group(0))


_TYPOGRAPHY_RULES = [
    (_DIGIT_GROUPS, _join_digit_groups),
    (re.compile(r"\s+:"), NBSP + ":"),
    (re.compile(r"\s+([;!?])"), NNBSP + r"\1"),
    (re.compile(r"«\s*"), "«" + NBSP),
    (re.compile(r"\s*»"), NBSP + "»"),
    # « n° » keeps to its number, or to the reference or placeholder that holds one
    (re.compile(r"\b([Nn]°)\s+(?=[\w%])"), r"\1" + NBSP),
]


def _typeset(text: str) -> str:
    for pattern, replacement in _TYPOGRAPHY_RULES:
        text = pattern.sub(replacement, text)
    return text


def french_typography(html: str) -> str:
    """Non-breaking spaces of French typography in the text of an HTML fragment.

    Only the text between tags changes, never a tag, an attribute or the content of ``<pre>``
    and ``<code>``: "Le CSE demande : « une pause ? »" keeps its words on one line with their
    punctuation. The input must already be HTML (escaped text or sanitised markup).
    """
    if not html:
        return ""
    parts = _TAG.split(html)
    verbatim = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = _VERBATIM_TAG.match(part)
            if match:
                verbatim += -1 if match.group(1) else 1
                verbatim = max(verbatim, 0)
        elif part and not verbatim:
            parts[index] = _typeset(part)
    return "".join(parts)


def typeset_plain(text: str) -> str:
    """French typography for plain text (not HTML): a PDF header, a file's metadata."""
    return _typeset(str(text or ""))

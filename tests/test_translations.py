"""The English translation: every interface string is translated, the compiled catalogue matches
the .po, and the site really speaks English when the visitor asks for it.

The interface is written in French (the default language); locale/en/LC_MESSAGES/django.po holds
the English. When a test here fails after someone added or changed a French string, the fix is
always the same (see FIX).
"""

import datetime
import functools
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst

from consultations.markdown import french_typography, typeset_plain
from consultations.rules.votes import VoteError, vote_result
from consultations.wording import vote_tally

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
# French is the source language: its catalogue holds its typography and its plural rule.
FRENCH_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
FRENCH_PO_PATH = FRENCH_DIR / "django.po"
FRENCH_MO_PATH = FRENCH_DIR / "django.mo"

FIX = (
    "run make messages, translate the new entries in locale/en/LC_MESSAGES/django.po, "
    "then compilemessages"
)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _unquote(text: str) -> str:
    """The content of one quoted .po string: "a \\"b\\"\\n" gives a "b" and a newline."""
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match[1], match[1]), text[1:-1])


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key of the entry in a compiled catalogue (context, then EOT, then the msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: entries with their flags, context, plural and translations.

    Obsolete entries (lines starting with #~) are left out, as gettext does.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target = None  # (attribute, plural index) receiving continuation lines

    def finish():
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None:
                finish()  # a comment after strings starts a new entry
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, text = match[1], match[2], _unquote(match[3])
            if keyword in ("msgctxt", "msgid") and current is not None and current.msgstr:
                finish()  # a new entry without a blank line between
            if current is None:
                current = Entry(line=number)
            if keyword == "msgstr":
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = text
            else:
                target = (keyword, None)
                setattr(current, keyword, text)
            continue
        assert line.startswith('"') and current is not None and target is not None, (
            f"{path}:{number}: cannot read {raw!r}"
        )
        attribute, index = target
        if attribute == "msgstr":
            current.msgstr[index] += _unquote(line)
        else:
            setattr(current, attribute, getattr(current, attribute) + _unquote(line))
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries: everything but the header (empty msgid)."""
    return [entry for entry in entries if entry.msgid != "" or entry.msgctxt is not None]


def listing(entries) -> str:
    return "\n  " + "\n  ".join(str(entry) for entry in entries)


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: {FIX}."
    return parse_po(PO_PATH)


def test_it_reads_a_po_file_like_gettext(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Long %(x)s "\n"text \\"quoted\\""\n'
        'msgstr "Long %(x)s text \\"quoted\\""\n\n'
        'msgctxt "menu"\nmsgid "un"\nmsgid_plural "des"\nmsgstr[0] "one"\nmsgstr[1] "many"\n\n'
        '#~ msgid "vieux"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, long, plural = parse_po(sample)
    assert header.msgstr == {0: "Language: en\n"}
    assert long.msgid == 'Long %(x)s text "quoted"' == long.msgstr[0]
    assert long.flags == {"python-format"}
    assert (plural.key, plural.msgid_plural, plural.msgstr) == (
        "menu\x04un",
        "des",
        {0: "one", 1: "many"},
    )


def test_it_translates_every_entry_of_the_po(po_entries):
    entries = messages(po_entries)
    assert len(entries) > 100, f"Only {len(entries)} entries in {PO_PATH}: {FIX}."
    fuzzy = [entry for entry in po_entries if "fuzzy" in entry.flags]
    assert not fuzzy, (
        f"Fuzzy entries (check the translation, then remove the “#, fuzzy” line) in {PO_PATH}:"
        f"{listing(fuzzy)}\nTo fix: {FIX}."
    )
    untranslated = [
        entry
        for entry in entries
        if not entry.msgstr
        or not all(text.strip() for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1])
    ]
    assert not untranslated, (
        f"Untranslated entries in {PO_PATH}:{listing(untranslated)}\nTo fix: {FIX}."
    )


def test_it_keeps_every_placeholder_of_the_french(po_entries):
    """%(name)s placeholders name values filled in by the code: a translation must keep them all.

    The singular of a plural may leave out the count ("One error" for "%(counter)s errors").
    """
    wrong = []
    for entry in messages(po_entries):
        singular = set(_PLACEHOLDER.findall(entry.msgid))
        plural = set(_PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for index, text in entry.msgstr.items():
            found = set(_PLACEHOLDER.findall(text))
            source = entry.msgid if index == 0 else entry.msgid_plural or entry.msgid
            if index == 0 and entry.msgid_plural is not None:
                good = singular <= found <= singular | plural
            else:
                good = found == (singular if index == 0 else plural)
            if not good or text.count("%%") != source.count("%%"):
                wrong.append(entry)
                break
    assert not wrong, (
        f"Placeholders differ from the French in {PO_PATH}:{listing(wrong)}\nTo fix: {FIX}."
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_it_passes_msgfmt_format_checks(tmp_path):
    result = subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "--check-header",
            "-o",
            str(tmp_path / "check.mo"),
            str(PO_PATH),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"msgfmt --check-format fails:\n{result.stderr}\nTo fix: {FIX}."


def stale_compiled_entries(po_entries, mo_path) -> list[str]:
    """The keys on which a compiled .mo and its .po disagree (content, not file dates)."""
    with mo_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    expected = {}
    for entry in messages(po_entries):
        if "fuzzy" in entry.flags or not any(entry.msgstr.values()):
            continue  # msgfmt leaves these out of the .mo (the test above reports them)
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr.get(0, "")
        else:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    compiled = {key: text for key, text in catalog.items() if key != ""}
    return sorted(
        (
            str(key)
            for key in expected.keys() | compiled.keys()
            if expected.get(key) != compiled.get(key)
        ),
        key=str,
    )


@pytest.mark.parametrize(
    ("po_path", "mo_path"), [(PO_PATH, MO_PATH), (FRENCH_PO_PATH, FRENCH_MO_PATH)]
)
def test_it_compiled_the_mo_from_the_current_po(po_path, mo_path):
    """The committed django.mo says exactly what django.po says, in English and French."""
    assert mo_path.exists(), f"{mo_path} is missing: {FIX}."
    stale = stale_compiled_entries(parse_po(po_path), mo_path)
    assert not stale, (
        f"{mo_path} is out of date with {po_path} ({len(stale)} difference(s)), for example:"
        f"\n  " + "\n  ".join(stale[:10]) + f"\nTo fix: {FIX}."
    )


def test_the_french_catalogue_holds_the_strings_in_french_typography(po_entries):
    """French needs a catalogue for two things. Its typography: the strings are written in
    French with plain spaces, and French puts a no-break space before ":" and inside « », a
    narrow one before ";", "!" and "?" (a phone would otherwise break the line before the
    colon); each string whose typeset form differs has it as its msgstr, the others stay empty
    (they are already French). And its plural rule: 0 and 1 take the singular ("0 abstention"),
    where gettext without a catalogue uses English's rule; every plural gives its typeset
    msgid and msgid_plural. make messages writes all of it (typeset_french_catalogue)."""
    french = parse_po(FRENCH_PO_PATH)
    header = next(entry for entry in french if entry.msgid == "" and entry.msgctxt is None)
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr[0]
    assert "fuzzy" not in header.flags, "msgfmt would leave out a fuzzy header and its rule"
    wrong = []
    for entry in messages(french):
        typeset = french_typography(entry.msgid)
        if entry.msgid_plural is not None:
            expected = {0: typeset, 1: french_typography(entry.msgid_plural)}
        else:
            expected = {0: typeset if typeset != entry.msgid else ""}
        if entry.msgstr != expected or "fuzzy" in entry.flags:
            wrong.append(entry)
    assert not wrong, (
        f"Strings of {FRENCH_PO_PATH} not in French typography as their msgid:{listing(wrong)}\n"
        "To fix: run make messages (it writes locale/fr with typeset_french_catalogue)."
    )
    english = {entry.key for entry in messages(po_entries)}
    assert english == {entry.key for entry in messages(french)}, (
        "The French and English catalogues list different strings. To fix: run make messages."
    )


def test_make_messages_sets_the_french_catalogue_in_french_typography(tmp_path):
    pytest.importorskip("polib")  # a development dependency (requirements-dev.txt)
    from django.core.management import call_command

    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Échéance : %(date)s ; « vérifiez » !"
msgstr ""

msgid "Aucune échéance."
msgstr ""

#, fuzzy
#| msgid "Avis :"
msgid "Avis du CSE :"
msgstr "Avis :"

#, fuzzy
#| msgid "Ancien."
msgid "Nouveau."
msgstr "Ancien."

msgid "%(count)s vote :"
msgid_plural "%(count)s votes :"
msgstr[0] "%(count)s vote :"
msgstr[1] "%(count)s votes :"

#~ msgid "Retirée ?"
#~ msgstr "Retirée ?"
""",
        encoding="utf-8",
    )
    call_command("typeset_french_catalogue", str(catalogue), stdout=StringIO())
    entries = {entry.msgid: entry for entry in messages(parse_po(catalogue))}
    assert entries.keys() == {
        "Échéance : %(date)s ; « vérifiez » !",
        "Aucune échéance.",
        "Avis du CSE :",
        "Nouveau.",
        "%(count)s vote :",
    }
    assert entries["Échéance : %(date)s ; « vérifiez » !"].msgstr == {
        0: "Échéance : %(date)s ; « vérifiez » !"
    }
    assert entries["Aucune échéance."].msgstr == {0: ""}
    assert entries["Avis du CSE :"].msgstr == {0: "Avis du CSE :"}
    assert entries["Nouveau."].msgstr == {0: ""}
    assert entries["%(count)s vote :"].msgstr == {
        0: "%(count)s vote :",
        1: "%(count)s votes :",
    }
    assert not any(entry.flags & {"fuzzy"} for entry in entries.values())
    assert "#|" not in catalogue.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("language", "counts", "written"),
    [
        ("fr", (4, 0, 0, 1), "4 pour, 0 contre, 0 abstention, 1 blanc"),
        ("fr", (4, 2, 2, 3), "4 pour, 2 contre, 2 abstentions, 3 blancs"),
        ("en", (4, 0, 0, 1), "4 for, 0 against, 0 abstentions, 1 blank"),
        ("en", (4, 2, 1, 3), "4 for, 2 against, 1 abstention, 3 blank"),
    ],
)
def test_it_writes_a_vote_count_with_the_plural_rule_of_the_language(language, counts, written):
    with translation.override(language):
        assert vote_tally(*counts) == written


@pytest.mark.django_db
def test_it_shows_the_public_timeline_in_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "What works councils (CSE) have decided on AI" in page, FIX
    assert "Public timeline" in page, FIX
    assert "Ce que les CSE ont décidé" not in page
    assert "Frise publique" not in page


@pytest.mark.django_db
def test_it_still_shows_the_public_timeline_in_french_by_default(client):
    page = client.get("/").content.decode()
    assert "Ce que les CSE ont décidé sur l" in page
    assert "What works councils (CSE) have decided on AI" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "colon"), [("fr", "\u00a0:"), ("en", ":")])
def test_it_writes_the_colon_after_a_label_as_the_language_does(client, language, colon):
    """French puts a no-break space before the colon, English none ("Opinion:")."""
    from . import factories

    consultation = factories.ConsultationFactory(
        visibility="public", opinion="unfavourable", opinion_on="2025-03-14"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    label = {"fr": "Avis", "en": "Opinion"}[language]
    assert f"<strong>{label}{colon} " in page
    assert f"{label} :" not in page


@pytest.mark.parametrize(
    ("counts", "french", "english"),
    [
        (
            {"votes_for": 9, "voting_members_present": 9},
            "adoptée à l'unanimité",
            "adopted unanimously",
        ),
        ({"votes_for": 5, "against": 4, "voting_members_present": 9}, "adoptée", "adopted"),
        ({"votes_for": 4, "against": 5, "voting_members_present": 9}, "rejetée", "rejected"),
    ],
)
@pytest.mark.parametrize("masculine", [False, True])
def test_it_translates_the_vote_labels_of_the_rules(counts, french, english, masculine):
    label = vote_result(**counts).label_agreeing(masculine=masculine)
    if masculine:
        french = french.replace("ée", "é")
    assert label == french  # the pure rule stays in French; Django translates at display time
    with translation.override("en"):
        assert translation.gettext(label) == english, FIX
    with translation.override("fr"):
        assert translation.gettext(label) == french


def test_it_translates_the_vote_errors_of_the_rules():
    with pytest.raises(VoteError) as raised:
        vote_result(votes_for=12, voting_members_present=9)
    error = raised.value
    with translation.override("en"):
        message = translation.gettext(error.template) % error.params
    assert message == (
        "12 ballots for 9 voters present: there cannot be more votes than voters."
    ), FIX


@pytest.mark.parametrize(
    ("language", "day_format", "day", "written"),
    [
        ("fr", "j F Y", datetime.date(2020, 10, 1), "1er octobre 2020"),
        ("fr", "j F Y", datetime.date(2020, 10, 11), "11 octobre 2020"),
        ("en", "j F Y", datetime.date(2020, 10, 1), "1 October 2020"),
        ("fr", "l j F", datetime.date(2020, 10, 1), "jeudi 1er octobre"),
        ("fr", "l j F", datetime.date(2020, 10, 11), "dimanche 11 octobre"),
        ("en", "l j F", datetime.date(2020, 10, 1), "Thursday 1 October"),
        ("fr", "d/m/Y", datetime.date(2020, 10, 1), "01/10/2020"),
    ],
)
def test_it_writes_the_first_of_the_month_as_the_language_does(language, day_format, day, written):
    """French writes "1er octobre" (as the PDFs do), English "1 October": the long dates and the
    workspace's dates to come ("jeudi 1er octobre"); numeric dates are left alone."""
    from consultations.wording import LONG_DATE, WEEKDAY_DATE, long_date, written_date

    assert {LONG_DATE, WEEKDAY_DATE} == {"j F Y", "l j F"}
    with translation.override(language):
        assert written_date(day, day_format) == written
        if day_format == LONG_DATE:
            assert long_date(day) == written
        assert long_date(None) == ""


def every_kind_of_explanation():
    """One computed date of each explanation the legal calendar writes, rollovers included."""
    from consultations.rules import clock, deadlines, proposals

    d = datetime.date
    decision = functools.partial(proposals.proposal_decision, answered_on=None, today=d(2025, 6, 1))
    milestones = deadlines.expertise_milestones(
        d(2025, 4, 28),  # + 3 days = 1 May, Labour Day; + 10 days = 8 May, Victory in Europe Day
        consultation_deadline=d(2025, 6, 3),
        ground=deadlines.GROUND_NEW_TECHNOLOGY,
        information_requested=d(2025, 5, 2),  # + 5 days = Wednesday 7 May
    )
    serious = deadlines.expertise_milestones(
        d(2025, 3, 3), consultation_deadline=None, ground=deadlines.GROUND_SERIOUS_RISK
    )
    return [
        deadlines.consultation_deadline(d(2025, 3, 3)),
        deadlines.consultation_deadline(d(2025, 3, 3), expert=True),  # Saturday 3 May, kept
        deadlines.consultation_deadline(d(2025, 3, 3), expert=True, roll_over=True),
        deadlines.consultation_deadline(d(2025, 3, 3), two_level=True),
        deadlines.consultation_deadline(d(2025, 3, 3), two_level=True, expert=True),
        deadlines.consultation_deadline(d(2025, 3, 3), agreed_days=30, expert=True),
        deadlines.consultation_deadline(d(2025, 3, 3), clock_stops=[(d(2025, 3, 10),) * 2]),
        deadlines.consultation_deadline(
            d(2025, 3, 3),
            clock_stops=[(d(2025, 3, 10), d(2025, 3, 12))],
            stop_sources=["L2315-86"],
        ),
        deadlines.consultation_deadline(
            d(2025, 3, 3), clock_stops=[(d(2025, 3, 10),) * 2], stop_sources=["L2312-15"]
        ),
        deadlines.consultation_deadline(
            d(2025, 3, 3), clock_stops=[(d(2025, 3, 10), d(2025, 3, 12))], stop_sources=()
        ),
        deadlines.consultation_deadline(
            d(2025, 3, 3), clock_stops=[(d(2025, 3, 10),) * 2], stop_sources=()
        ),
        deadlines.establishment_opinion_due(d(2025, 6, 3)),
        deadlines.establishment_deadline(
            deadlines.consultation_deadline(d(2025, 3, 3), two_level=True, expert=True),
            from_central_information=False,
        ),
        deadlines.establishment_deadline(
            deadlines.consultation_deadline(d(2025, 3, 3), two_level=True),
            from_central_information=True,
        ),
        deadlines.contest_limit(d(2025, 3, 5)),  # + 10 days = Saturday 15 March
        deadlines.contest_limit(d(2025, 12, 15)),  # + 10 days = Christmas Day
        deadlines.contest_limit(d(2026, 8, 6), event="vote"),
        deadlines.contest_limit(d(2026, 8, 10), event="designation"),
        *milestones.values(),
        serious["report"],
        deadlines.expertise_milestones(
            d(2025, 3, 3),
            consultation_deadline=None,
            ground=deadlines.GROUND_SERIOUS_RISK,
            report_extension_months=2,
        )["report"],
        deadlines.agenda_due(d(2025, 3, 20)),
        deadlines.agenda_due(d(2025, 3, 20), central=True),
        deadlines.minutes_due(d(2025, 3, 20)),
        deadlines.minutes_due(d(2025, 3, 20), next_meeting=d(2025, 3, 27)),
        clock.answer_due(d(2025, 3, 20), next_meeting_on=d(2025, 4, 10)),
        clock.answer_due(d(2025, 3, 20), next_meeting_on=None),
        clock.answer_due(
            d(2025, 3, 20), next_meeting_on=d(2025, 4, 10), minutes_sent_on=d(2025, 4, 1)
        ),
        clock.answer_due(d(2025, 3, 20), next_meeting_on=None, minutes_sent_on=d(2025, 4, 1)),
        # Management's decision on a proposal (L2315-34): written as the dates are.
        decision(d(2025, 3, 20), minutes_sent_on=d(2025, 4, 1), next_meeting_on=d(2025, 4, 10)),
        decision(d(2025, 3, 20), minutes_sent_on=None, next_meeting_on=None),
        decision(d(2025, 3, 20), minutes_sent_on=d(2025, 4, 1), next_meeting_on=None),
        decision(d(2025, 3, 20), minutes_sent_on=d(2025, 4, 1), next_meeting_on=d(2025, 12, 1)),
    ]


FRENCH_WORDS = re.compile(
    r"\b(jours|mois|à compter|réunion|délai|férié|samedi|dimanche|avis|mars|avril|mai|"
    r"décembre|Noël|fête|vérifier|reporté)\b"
)


def in_french_typography(text: str) -> str:
    """An explanation as the French catalogue writes it: its words with their no-break spaces,
    the case law it cites as it is (a value, not a string of the catalogue)."""
    from consultations.rules.deadlines import CONTEST_CASE_LAW

    typeset = capfirst(typeset_plain(text))
    return typeset.replace(typeset_plain(CONTEST_CASE_LAW), CONTEST_CASE_LAW)


@pytest.mark.parametrize("due", every_kind_of_explanation(), ids=lambda due: due.explanation[:40])
def test_it_explains_every_legal_date_in_the_readers_language(due):
    """The legal calendar writes French (pure Python); the pages give its explanations in the
    reader's language, dates included, the article numbers and case law as they are."""
    from consultations.wording import explanation

    with translation.override("fr"):
        assert explanation(due) == in_french_typography(due.explanation)
    with translation.override("en"):
        english = explanation(due)
    assert not FRENCH_WORDS.search(english), FIX
    assert all(source in english for source in due.sources if source != "R2312-6")


def test_it_writes_a_rollover_in_english():
    from consultations.rules.deadlines import contest_limit
    from consultations.wording import explanation

    due = contest_limit(datetime.date(2025, 12, 15))
    with translation.override("en"):
        assert explanation(due) == (
            "10 days from 15 December 2025, that day not counted (L2315-86, R2315-49; "
            "Cass. soc. 5 févr. 2025, n° 22-21.892; CPC 641); 25 December 2025 being a public "
            "holiday (Christmas Day), moved to the next working day, 26 December 2025 (CPC 642)"
        ), FIX


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "explained", "summary"),
    [
        (
            "fr",
            "1 mois à compter du 3 mars 2025 (R2312-6 I)",
            "3 avril 2025 inclus pour rendre son avis",
        ),
        ("en", "1 month from 3 March 2025 (R2312-6 I)", "3 April 2025"),
    ],
)
def test_its_consultation_page_explains_the_dates_in_the_readers_language(
    client, language, explained, summary
):
    """The deadline's explanation (under the date and on the timeline, stored per language) and
    the timeline's dated summary follow the reader's language."""
    from . import factories

    consultation = factories.ConsultationFactory(
        visibility="public", information_received_on=datetime.date(2025, 3, 3)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with time_machine.travel(datetime.date(2025, 3, 10), tick=False):  # the deadline to come
        page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert page.count(explained) >= 2, FIX  # under the date, and on the timeline
    assert summary in page
    assert ("mars 2025" in page) is (language == "fr")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"), [("fr", "La direction refuse."), ("en", "Management refuses.")]
)
def test_the_timeline_says_what_management_answered_as_a_sentence(client, language, said):
    """Rather than "Réponse du 20/04/2025 : Refuse" under a day already written out."""
    from . import factories

    consultation = factories.ConsultationFactory(
        visibility="public", opinion="unfavourable", opinion_on=datetime.date(2025, 4, 1)
    )
    factories.ManagementResponseFactory(
        consultation=consultation, received_on=datetime.date(2025, 4, 20), stance="rejects"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in ("/", f"/consultations/{consultation.pk}/"):
        timeline = client.get(url).content.decode().split('class="timeline ')[1]
        assert said in timeline, url
        assert "20/04/2025" not in timeline


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "event"),
    [
        ("fr", "20 avril 2025 — la direction refuse", "Mise en service · La direction déploie"),
        ("en", "20 April 2025 — management refuses", "Entry into service · La direction déploie"),
    ],
)
def test_the_page_writes_what_management_answered_and_events_without_a_capital_after_a_colon(
    client, language, heading, event
):
    """« 20 avril 2025 — Refuse (En réunion) » and « Mise en service : La direction… » (found by
    a reader's QA pass): French writes no capital after a colon."""
    from . import factories

    consultation = factories.ConsultationFactory(
        visibility="public", opinion="unfavourable", opinion_on=datetime.date(2025, 4, 1)
    )
    factories.ManagementResponseFactory(
        consultation=consultation,
        received_on=datetime.date(2025, 4, 20),
        stance="rejects",
        channel="meeting",
    )
    factories.EventFactory(
        consultation=consultation,
        kind="go_live",
        title="La direction déploie l'outil",
        occurred_on=datetime.date(2025, 5, 2),
        public=True,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    meeting = "(en réunion)" if language == "fr" else "(at a meeting)"
    assert f'{heading} <small class="text-body-secondary">{meeting}</small>' in page
    assert event in re.sub(r"<[^>]+>", "", page)  # the event's title is marked as French


def test_it_names_two_holidays_on_one_day_in_the_readers_language():
    """1 May 2008 was Labour Day and Ascension Day."""
    from consultations.rules.deadlines import contest_limit
    from consultations.wording import explanation

    due = contest_limit(datetime.date(2008, 4, 21))
    assert "férié (fête du Travail et Ascension)" in due.explanation
    with translation.override("en"):
        assert "a public holiday (Labour Day and Ascension Day)" in explanation(due)


def test_it_leaves_an_escaped_j_of_a_date_format_alone():
    from consultations.wording import written_date

    with translation.override("fr"):
        assert written_date(datetime.date(2025, 5, 1), r"\j j F") == "j 1er mai"


# --- The language of the texts typed in the records (WCAG 3.1.2) --------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class LanguageOfText(HTMLParser):
    """Each piece of a page's text with the language a screen reader reads it in: the ``lang``
    of its nearest element that has one. Collects too the elements that say ``lang``."""

    def __init__(self, page):
        super().__init__()
        self.open, self.texts, self.marked = [], [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "lang" in attributes:
            self.marked.append((tag, attributes))
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, attributes.get("lang")))

    def handle_startendtag(self, tag, attrs):
        if "lang" in dict(attrs):
            self.marked.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag not in VOID_ELEMENTS:
            assert self.open and self.open[-1][0] == tag, (tag, self.open[-3:])
            self.open.pop()

    def handle_data(self, data):
        language = next((lang for _tag, lang in reversed(self.open) if lang), None)
        self.texts.append((data, language))

    def languages_of(self, text):
        """The languages of the pieces of text that hold ``text`` (one at least)."""
        found = {language for data, language in self.texts if text in data}
        assert found, f"{text!r} is not on the page"
        return found


@pytest.fixture
def typed_in_french(db):
    """A published consultation whose title, motion and vote question are typed in French, with
    an AI system, an event and a demand."""
    from . import factories

    consultation = factories.ConsultationFactory(
        title="Analyse des émotions au centre d'appels",
        summary="Le projet écoute les appels.",
        visibility="public",
        deployment__name="Écoute augmentée",
    )
    meeting = factories.MeetingFactory(body=consultation.body, held_on=datetime.date(2025, 3, 14))
    meeting.consultations.add(consultation)
    vote = factories.VoteFactory(
        meeting=meeting,
        consultation=consultation,
        question="Le CSE adopte-t-il la motion sur l'écoute des appels ?",
    )
    factories.MotionFactory(
        consultation=consultation,
        adopting_vote=vote,
        title="Contre l'écoute permanente",
        text="Le CSE **refuse** l'écoute permanente des salariés.",
    )
    factories.DemandFactory(consultation=consultation, text="Un droit d'opposition des salariés")
    factories.EventFactory(
        consultation=consultation, title="Grève des téléconseillers", public=True
    )
    return consultation


def test_an_english_page_marks_the_texts_typed_in_french(client, typed_in_french):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/consultations/{typed_in_french.pk}/").content.decode()
    texts = LanguageOfText(page)
    for typed in (
        "Analyse des émotions au centre d",  # the consultation's title
        "Le projet écoute les appels.",  # its summary
        "Écoute augmentée",  # its AI system
        "Le CSE adopte-t-il la motion",  # the vote's question
        "Contre l",  # the motion's title, on its card and in the timeline
        "l'écoute permanente des salariés.",  # the motion's text
        "Un droit d'opposition des salariés",  # a demand
        "Grève des téléconseillers",  # an event, on the page and in the timeline
    ):
        assert texts.languages_of(typed) == {"fr"}, typed
    # Vigie's words around them stay in the page's language.
    for interface in ("Votes", "Opinion and motions", "Adopted unanimously on", "Motion No."):
        assert texts.languages_of(interface) == {"en"}, interface


def test_an_english_list_marks_the_titles_typed_in_french(client, typed_in_french):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    timeline = LanguageOfText(client.get("/").content.decode())
    assert timeline.languages_of("Analyse des émotions au centre d") == {"fr"}
    assert timeline.languages_of("Contre l") == {"fr"}
    assert timeline.languages_of("Motion No. 2025-01 — ") == {"en"}
    system = LanguageOfText(
        client.get(f"/deployments/{typed_in_french.deployment_id}/").content.decode()
    )
    assert system.languages_of("Écoute augmentée") == {"fr"}
    assert system.languages_of("Analyse des émotions au centre d") == {"fr"}


def test_a_french_page_adds_no_language_to_its_texts(client, typed_in_french):
    """On a French page, <html lang="fr"> says it: the texts are not marked again (the language
    switch's links say their own language, as on every page)."""
    for url in (
        f"/consultations/{typed_in_french.pk}/",
        "/",
        f"/deployments/{typed_in_french.deployment_id}/",
    ):
        texts = LanguageOfText(client.get(url).content.decode())
        assert [tag for tag, attributes in texts.marked if "hreflang" not in attributes] == [
            "html"
        ], url
        assert texts.languages_of("Analyse des émotions au centre d") == {"fr"}


def test_the_records_language_is_a_setting(settings):
    from consultations.wording import content_lang

    with translation.override("en"):
        assert content_lang() == ' lang="fr"'
        settings.VIGIE_CONTENT_LANGUAGE = "en-GB"
        assert content_lang() == ""
        settings.VIGIE_CONTENT_LANGUAGE = ""
        assert content_lang() == ""
    settings.VIGIE_CONTENT_LANGUAGE = "de"
    with translation.override("fr"):
        assert content_lang() == ' lang="de"'


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_atom_feed_marks_the_titles_typed_in_french_as_its_page(
    client, typed_in_french, language
):
    from xml.etree import ElementTree

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    feed = ElementTree.fromstring(client.get("/feeds/timeline.atom").content)
    summaries = [
        element.text or "" for element in feed.iter("{http://www.w3.org/2005/Atom}summary")
    ]
    motion = next(summary for summary in summaries if "Contre l" in summary)
    if language == "en":
        assert '— <span lang="fr">Contre l&#x27;écoute permanente</span> (' in motion
    else:
        assert not any("lang=" in summary for summary in summaries)

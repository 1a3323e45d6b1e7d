"""Fill the French catalogue with the interface strings set in French typography.

The interface strings are written in French in the code, with a plain space before « : ; ! ? »
and inside « », as they are typed: a phone then breaks the line before the colon (« l'étendue ou
la durée » / « : jusqu'au 17 août 2020 »). The texts typed by users get their no-break spaces
when shown (``consultations.markdown.french_typography``); the interface strings get theirs here,
once: every entry of ``locale/fr/LC_MESSAGES/django.po`` whose typeset form differs from its
msgid is given that form as its msgstr (a plural, its typeset msgid and msgid_plural, which also
gives French its rule for 0 and 1). The other entries stay empty: gettext shows their msgid.

The catalogue is thus derived from the msgids alone: nothing in it is written by hand. Its fuzzy
flags, previous msgids and obsolete entries, which msgmerge leaves after a string changed, are
dropped. ``make messages`` runs this command between makemessages and compilemessages; polib is
a development dependency (requirements-dev.txt), so it is imported only here.
"""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...markdown import french_typography

FRENCH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def typeset_entry(entry) -> bool:
    """Give one polib entry its typeset msgstr (or none); True if the entry changed."""
    before = (entry.msgstr, dict(entry.msgstr_plural), sorted(entry.flags), entry.previous_msgid)
    if entry.msgid_plural:
        entry.msgstr_plural = {
            0: french_typography(entry.msgid),
            1: french_typography(entry.msgid_plural),
        }
    else:
        typeset = french_typography(entry.msgid)
        entry.msgstr = typeset if typeset != entry.msgid else ""
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    after = (entry.msgstr, dict(entry.msgstr_plural), sorted(entry.flags), entry.previous_msgid)
    return before != after


class Command(BaseCommand):
    help = (
        "Donne à chaque chaîne du catalogue français (locale/fr) sa typographie française "
        "(espaces insécables avant : ; ! ? et dans « »), pour make messages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "catalogue",
            nargs="?",
            default=str(FRENCH_CATALOGUE),
            help="Le fichier .po français (par défaut locale/fr/LC_MESSAGES/django.po).",
        )

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as error:
            raise CommandError(
                "polib est introuvable : installez les dépendances de développement "
                "(make install-dev, ou pip install -r requirements-dev.txt)."
            ) from error
        path = Path(options["catalogue"])
        if not path.exists():
            raise CommandError(f"{path} n'existe pas : lancez d'abord makemessages -l fr.")
        catalogue = polib.pofile(str(path))
        obsolete = [entry for entry in catalogue if entry.obsolete]
        for entry in obsolete:
            catalogue.remove(entry)
        changed = sum(typeset_entry(entry) for entry in catalogue)  # the header is apart
        catalogue.save(str(path))
        # Wrapped as gettext wraps it (polib wraps long lines differently), so that the next
        # makemessages rewrites no line it did not change.
        if shutil.which("msgcat"):
            subprocess.run(["msgcat", "--output-file", str(path), str(path)], check=True)
        typeset = sum(1 for entry in catalogue if entry.translated())
        self.stdout.write(
            f"{path}: {typeset} chaîne(s) composée(s) en typographie française, "
            f"{changed} modifiée(s), {len(obsolete)} obsolète(s) retirée(s)."
        )

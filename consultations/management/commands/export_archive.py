"""Back up Vigie: every record (audit history included) and every uploaded file, in one zip
archive that import_archive restores exactly (consultations/archive.py describes the format)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ...archive import ArchiveError, export_archive


class Command(BaseCommand):
    help = _(
        "Écrit tous les enregistrements (historique compris) et tous les fichiers déposés dans "
        "une archive zip, que import_archive restaure à l'identique."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Chemin de l'archive à écrire (.zip)."))
        parser.add_argument(
            "--force", action="store_true", help=_("Remplace le fichier s'il existe déjà.")
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Base de données à sauvegarder.")
        )

    def handle(self, *args, **options):
        try:
            result = export_archive(
                options["file"], using=options["database"], overwrite=options["force"]
            )
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Archive écrite : %(path)s (%(records)d enregistrement(s), %(files)d "
                    "fichier(s), %(size)s)."
                )
                % {
                    "path": result.path,
                    "records": result.records,
                    "files": result.files,
                    "size": filesizeformat(result.path.stat().st_size),
                }
            )
        )

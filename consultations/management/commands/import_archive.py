"""Restore an archive of export_archive into an empty database: the same records with the same
primary keys, the same history, the same files. Never merges into a database that holds data."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from ...archive import ArchiveError, check_archive, import_archive


class Command(BaseCommand):
    help = _(
        "Restaure une archive d'export_archive dans une base vide (migrée, sans enregistrement "
        "ni utilisateur), en une transaction, après avoir vérifié son intégrité."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Chemin de l'archive à restaurer (.zip)."))
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Vérifie seulement l'archive (manifeste, SHA-256), sans rien écrire."),
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Base de données où restaurer.")
        )

    def handle(self, *args, **options):
        try:
            if options["check"]:
                result = check_archive(options["file"])
            else:
                result = import_archive(options["file"], using=options["database"])
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        manifest = result.manifest
        params = {
            "path": result.path,
            "records": result.records,
            "files": result.files,
            "created_at": manifest.get("created_at", "?"),
            "version": manifest.get("vigie_version", "?"),
        }
        if options["check"]:
            message = _(
                "Archive intègre : %(path)s, créée le %(created_at)s par Vigie %(version)s "
                "(%(records)d enregistrement(s), %(files)d fichier(s)). Rien n'a été écrit."
            )
        else:
            message = _(
                "Import terminé : %(records)d enregistrement(s) et %(files)d fichier(s) restaurés "
                "depuis %(path)s (archive du %(created_at)s, Vigie %(version)s)."
            )
        self.stdout.write(self.style.SUCCESS(message % params))

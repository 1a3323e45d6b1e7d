"""Backup and restore of the whole of Vigie in one zip archive (export_archive, import_archive).

Vigie's records are evidence: a restored archive must give back the same rows, with the same
primary keys, the same audit history and the same files, byte for byte.

Format (``FORMAT_VERSION`` 1), a zip file holding:

- ``data.json``: a Django fixture (``loaddata``'s JSON format: model, pk, fields), one record per
  line, in dependency order. Every model of every installed app is there, Historical* tables and
  many-to-many tables (auto-created "through" tables and their history) included, except the rows
  that ``migrate`` creates (content types, permissions) and short-lived state (sessions, sign-in
  lockout counters). The few references to those
  rows (user and group permissions, admin log) are written as natural keys, since their ids
  differ from one database to another; every other reference keeps its primary key.
- ``media/<name>``: each file of the default storage (MEDIA_ROOT), as it is, including the files
  that only the history still names.
- ``manifest.json``, written last: format and versions, creation time, database vendor, applied
  migrations, the record count of each model, the size and SHA-256 of each member.

The import checks everything (manifest, member list, SHA-256 of each member, the records against
the models) before writing anything, refuses a database that holds any row, then loads the records
in one transaction, checks the foreign keys, resets the sequences and writes the files.
"""

import datetime
import errno
import hashlib
import json
import os
import tempfile
import tomllib
import zipfile
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import base as serializers_base
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalChanges

FORMAT_NAME = "vigie-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"
CHUNK_SIZE = 1024 * 1024

# Rows that are not data: created by migrate (content types, permissions) or short-lived state
# (sessions, django-axes' current lockout counters; its sign-in logs are archived).
EXCLUDED_MODELS = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
    }
)
# References to rows that migrate creates are written as natural keys: their ids differ between
# two databases, their natural keys do not.
NATURAL_KEY_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})


class ArchiveError(Exception):
    """An archive that cannot be written or restored; the message is for the person running it."""


@dataclass
class Result:
    path: Path
    manifest: dict
    warnings: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(self.manifest["counts"].values())

    @property
    def files(self) -> int:
        return sum(1 for name in self.manifest["members"] if name.startswith(MEDIA_PREFIX))


# --- What is archived ---------------------------------------------------------------------------


def archived_models() -> list[type[models.Model]]:
    """Every model whose rows are archived, each after the models it refers to."""
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]
    known = set(candidates)
    dependencies = {
        model: {
            f.related_model._meta.concrete_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None
        }
        & known - {model}
        for model in candidates
    }
    ordered, placed, remaining = [], set(), list(candidates)
    while remaining:
        ready = [model for model in remaining if dependencies[model] <= placed]
        if not ready:  # A cycle: the constraints are deferred until the end of the transaction.
            ready = remaining[:1]
        for model in ready:
            ordered.append(model)
            placed.add(model)
            remaining.remove(model)
    return ordered


def model_label(model) -> str:
    return model._meta.label_lower


def model_name(model) -> str:
    """A model's plural name for a message, in the user's language. django-simple-history names
    its history models in English, whatever the language (« historical organisations »), and
    Django a many-to-many table after the classes (« Relations meeting-consultation »); these
    names stay as they are in the models and their migrations, and the messages say
    « historique des organisations », « liens entre réunions et consultations »."""
    if issubclass(model, HistoricalChanges):
        return _("historique des %(models)s") % {"models": model_name(model.instance_type)}
    if model._meta.auto_created:
        first, second = (f.related_model for f in model._meta.concrete_fields if f.is_relation)
        return _("liens entre %(first)s et %(second)s") % {
            "first": model_name(first),
            "second": model_name(second),
        }
    return str(model._meta.verbose_name_plural)


def named(label) -> str:
    """A model of the archive for a message: its name, then its label, as data.json gives it."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError, TypeError, AttributeError):  # not a model's label
        return str(label)
    return _("« %(name)s » (%(label)s)") % {"name": model_name(model), "label": label}


def technical(detail) -> str:
    """A library's or the database's own words (in English), after the sentence that says what
    is wrong: for whoever investigates, not needed to understand the message."""
    words = " ".join(str(detail).split()).rstrip(".")
    return _("détail technique : %(detail)s") % {"detail": words}


# Python gives the system's reason in English ("No space left on device"): a message says it in
# the user's language, from its code.
SYSTEM_REASONS = {
    errno.ENOSPC: gettext_lazy("disque plein"),
    errno.EDQUOT: gettext_lazy("quota de disque atteint"),
    errno.EACCES: gettext_lazy("accès refusé"),
    errno.EPERM: gettext_lazy("opération non permise"),
    errno.EROFS: gettext_lazy("disque en lecture seule"),
    errno.ENOENT: gettext_lazy("fichier ou dossier introuvable"),
    errno.ENOTDIR: gettext_lazy("un élément du chemin n'est pas un dossier"),
    errno.EISDIR: gettext_lazy("c'est un dossier, pas un fichier"),
    errno.EEXIST: gettext_lazy("un fichier ou un dossier de ce nom existe déjà"),
    errno.EIO: gettext_lazy("erreur de lecture ou d'écriture du disque"),
    errno.ENAMETOOLONG: gettext_lazy("nom de fichier trop long"),
}
# The code of an OSError raised by Python code rather than by the system, which has none.
SYSTEM_CODES = {
    FileNotFoundError: errno.ENOENT,
    FileExistsError: errno.EEXIST,
    PermissionError: errno.EACCES,
    NotADirectoryError: errno.ENOTDIR,
    IsADirectoryError: errno.EISDIR,
}


def system_reason(error: OSError) -> str:
    """Why a file could not be read or written, in the user's language, with the file's name:
    « disque plein (/srv/vigie/media/documents/3/note.pdf) »."""
    code = error.errno or next(
        (code for kind, code in SYSTEM_CODES.items() if isinstance(error, kind)), None
    )
    reason = SYSTEM_REASONS.get(code)
    if reason is None:
        reason = _("erreur du système %(code)s") % {"code": errno.errorcode.get(code, code or "?")}
    if error.filename is not None:
        return f"{reason} ({os.fsdecode(error.filename)})"
    if error.errno is None and error.args:  # Python's own words, which may name the file
        return f"{reason} ({technical(error)})"
    return str(reason)


def require_tables(model_list, using):
    """A clear message, rather than an SQL error, for a database that is not migrated."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    missing = sorted(m._meta.db_table for m in model_list if m._meta.db_table not in existing)
    if missing:
        raise ArchiveError(
            _(
                "La base de données n'est pas à jour (table %(table)s absente) : lancez "
                "« python manage.py migrate » d'abord."
            )
            % {"table": missing[0]}
        )


def vigie_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError, AttributeError):
        return "?"


def applied_migrations(connection) -> dict[str, list[str]]:
    """The migrations applied to the database that this code has. A row left by a migration
    since renamed or removed is not part of the schema: an archive naming it would be refused by
    every Vigie, as if written by a newer one."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(set(loader.applied_migrations) & set(loader.disk_migrations)):
        applied.setdefault(app_label, []).append(name)
    return applied


# --- Hashing streams ----------------------------------------------------------------------------


class HashingWriter:
    """Counts and hashes what goes through it to a binary stream."""

    def __init__(self, stream):
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes):
        self.sha256.update(data)
        self.size += len(data)
        self.stream.write(data)

    def digest(self) -> dict:
        return {"size": self.size, "sha256": self.sha256.hexdigest()}


class HashingReader:
    """Counts and hashes what is read from a binary stream (no seek: it reads once)."""

    def __init__(self, stream):
        self.stream = stream
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def readline(self) -> bytes:
        data = self.stream.readline()
        self.sha256.update(data)
        self.size += len(data)
        return data

    def __iter__(self):
        while line := self.readline():
            yield line

    def digest(self) -> dict:
        return {"size": self.size, "sha256": self.sha256.hexdigest()}


def file_digest(stream) -> dict:
    reader = HashingReader(stream)
    while reader.read(CHUNK_SIZE):
        pass
    return reader.digest()


# --- Export -------------------------------------------------------------------------------------


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to the millisecond; an archive keeps the microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RecordSerializer(PythonSerializer):
    """Django's serializer, one record at a time to ``write``. Many-to-many links are left to
    their through tables, archived as models of their own; references to content types and
    permissions are natural keys."""

    def __init__(self, write, file_names):
        super().__init__()
        self.write = write
        self.file_names = file_names

    def end_object(self, obj):
        self.write(self.get_dump_object(obj))
        self._current = None

    def handle_field(self, obj, field):
        super().handle_field(obj, field)
        if isinstance(field, models.FileField) and self._current[field.name]:
            self.file_names.add(self._current[field.name])

    def handle_fk_field(self, obj, field):
        if model_label(field.related_model) in NATURAL_KEY_MODELS:
            related = getattr(obj, field.name)
            self._current[field.name] = related.natural_key() if related is not None else None
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj, field):
        pass


@contextmanager
def consistent_snapshot(using):
    """One transaction for all the reads; on PostgreSQL a repeatable-read one, so that every
    table is read as of the same moment (SQLite's read transaction is already a snapshot)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def media_names(storage, directory=""):
    """Every file of the storage, sorted, as storage names ("documents/3/note.pdf")."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from media_names(storage, f"{directory}/{name}" if directory else name)


def new_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_data(archive, model_list, using, members, file_names) -> Counter:
    counts = Counter()
    with archive.open(new_member(DATA), "w", force_zip64=True) as member:
        writer = HashingWriter(member)
        writer.write(b"[\n")
        first = True

        def write(record):
            nonlocal first
            line = json.dumps(record, cls=ExactJSONEncoder, ensure_ascii=False)
            writer.write((line if first else ",\n" + line).encode())
            first = False
            counts[record["model"]] += 1

        for model in model_list:
            counts[model_label(model)] += 0
            queryset = model._base_manager.using(using).order_by(model._meta.pk.attname)
            RecordSerializer(write, file_names).serialize(queryset.iterator(chunk_size=1000))
        writer.write(b"\n]\n")
    members[DATA] = writer.digest()
    return counts


def restorable(name: str) -> bool:
    """Whether the import will accept this storage name; a name Vigie gave a file always is."""
    try:
        name.encode()
        media_name(MEDIA_PREFIX + name)
    except (UnicodeEncodeError, ArchiveError):
        return False
    return True


def _write_media(archive, storage, members, left_out) -> list[str]:
    """Write every file of the storage, but those that the import would refuse (a backslash in
    the name, bytes that are not UTF-8: files put in MEDIA_ROOT by hand, not by Vigie), which
    are named in ``left_out``: a backup holding one of them could not be restored at all."""
    names = []
    for name in media_names(storage):
        if not restorable(name):
            left_out.append(name)
            continue
        with (
            storage.open(name, "rb") as source,
            archive.open(new_member(MEDIA_PREFIX + name), "w", force_zip64=True) as member,
        ):
            writer = HashingWriter(member)
            while chunk := source.read(CHUNK_SIZE):
                writer.write(chunk)
        members[MEDIA_PREFIX + name] = writer.digest()
        names.append(name)
    return names


def export_archive(path, *, using=DEFAULT_DB_ALIAS, storage=None, overwrite=False) -> Result:
    """Write every record and every file to the zip archive ``path``, atomically: the archive
    appears under its name only once complete."""
    path = Path(path)
    storage = storage or default_storage
    if path.exists() and not overwrite:
        raise ArchiveError(
            _("Le fichier « %(path)s » existe déjà : choisissez un autre nom ou utilisez --force.")
            % {"path": path}
        )
    if not path.parent.is_dir():
        raise ArchiveError(_("Le dossier « %(path)s » n'existe pas.") % {"path": path.parent})
    location = getattr(storage, "location", None)
    if location and path.resolve().is_relative_to(Path(location).resolve()):
        raise ArchiveError(
            _("L'archive ne peut pas être écrite dans le dossier des fichiers (%(media)s).")
            % {"media": location}
        )

    connection = connections[using]
    model_list = archived_models()
    require_tables(model_list, using)
    members: dict[str, dict] = {}
    file_names: set[str] = set()
    left_out: list[str] = []
    # A file that cannot be read or written (a full disk, a lost file): the system's reason.
    not_written = _(
        "Lecture ou écriture de fichier impossible, aucune archive n'a été écrite : %(reason)s."
    )
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ArchiveError(not_written % {"reason": system_reason(error)}) from error
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
        ):
            with consistent_snapshot(using):
                created_at = timezone.now()
                counts = _write_data(zf, model_list, using, members, file_names)
                migrations = applied_migrations(connection)
            stored = _write_media(zf, storage, members, left_out)
            missing = sorted(file_names - set(stored))
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "vigie_version": vigie_version(),
                "django_version": django.get_version(),
                "created_at": created_at.isoformat(),
                "database_vendor": connection.vendor,
                "migrations": migrations,
                "models": [model_label(model) for model in model_list],
                "counts": dict(counts),
                "natural_keys": sorted(NATURAL_KEY_MODELS),
                "excluded": sorted(EXCLUDED_MODELS),
                "missing_files": missing,
                "members": members,
            }
            zf.writestr(
                new_member(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
            )
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ArchiveError(not_written % {"reason": system_reason(error)}) from error
        raise
    warnings = [
        _("Fichier cité par un enregistrement mais absent du stockage : %(name)s") % {"name": n}
        for n in missing
    ] + [
        _(
            "Fichier du stockage laissé hors de l'archive, son nom ne pourrait pas être "
            "restauré : %(name)s"
        )
        % {"name": n.encode(errors="surrogateescape").decode(errors="replace")}
        for n in left_out
    ]
    return Result(path, manifest, warnings)


# --- Verification -------------------------------------------------------------------------------


# What export_archive writes: zip members, deflated, not encrypted. zipfile reads these methods.
READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def starts_as_zip(path) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(4) in ZIP_SIGNATURES
    except OSError:
        return False


def check_readable(archive):
    """A zip that Vigie cannot read although it is whole: a member protected by a password (a
    backup encrypted with zip -e, say) or compressed by a method zipfile lacks (Deflate64)."""
    for info in archive.infolist():
        if info.flag_bits & 0x1 or info.compress_type not in READABLE_METHODS:
            raise ArchiveError(
                _(
                    "Archive illisible, rien n'a été importé : elle est protégée par un mot de "
                    "passe ou compressée autrement que par export_archive. Restaurez l'archive "
                    "telle qu'export_archive l'a écrite (déchiffrée, si elle a été chiffrée)."
                )
            )


@contextmanager
def open_archive(path):
    """The zip archive, open; what zipfile or the system say when a file cannot be read (in
    English) becomes a message that says what is wrong with the archive or the file."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(_("Archive introuvable : %(path)s") % {"path": path})
    try:
        with zipfile.ZipFile(path) as archive:
            check_readable(archive)
            yield archive
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        if not starts_as_zip(path):  # zip members start at its first byte, as Vigie writes them
            raise ArchiveError(
                _(
                    "« %(path)s » n'est pas une archive zip, rien n'a été importé. Une sauvegarde "
                    "chiffrée doit d'abord être déchiffrée."
                )
                % {"path": path}
            ) from error
        raise ArchiveError(  # no central directory (its end is gone), a bad CRC, bad data
            _(
                "Archive tronquée ou endommagée, rien n'a été importé : une partie de son contenu "
                "est illisible (une copie ou un transfert interrompu ?). Reprenez une autre copie "
                "de la sauvegarde."
            )
        ) from error
    except OSError as error:  # the archive, or the storage the files are restored to
        raise ArchiveError(
            _("Lecture ou écriture de fichier impossible, rien n'a été importé : %(reason)s.")
            % {"reason": system_reason(error)}
        ) from error


def corrupt(message, **params):
    return ArchiveError(
        _("Archive refusée, rien n'a été importé : %(reason)s")
        % {"reason": message % params if params else message}
    )


def media_name(member: str) -> str:
    """The storage name of a media member, refused when it could escape MEDIA_ROOT."""
    name = member[len(MEDIA_PREFIX) :]
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or "/".join(parts) != name
    ):
        raise corrupt(_("nom de fichier interdit « %(name)s »."), name=member)
    return name


def read_manifest(archive) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST).decode())
    except KeyError as error:
        raise corrupt(_("pas de manifest.json : ce n'est pas une archive Vigie.")) from error
    except UnicodeDecodeError as error:
        raise corrupt(_("manifest.json illisible : ce n'est pas du texte UTF-8.")) from error
    except json.JSONDecodeError as error:
        raise corrupt(
            _("manifest.json illisible : JSON invalide ligne %(line)d, colonne %(column)d."),
            line=error.lineno,
            column=error.colno,
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise corrupt(_("ce n'est pas une archive Vigie."))
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise corrupt(
            _("format %(version)s, cette version de Vigie ne lit que le format %(supported)s."),
            version=version,
            supported=FORMAT_VERSION,
        )
    members, counts = manifest.get("members"), manifest.get("counts")
    if (
        not isinstance(members, dict)
        or DATA not in members
        or not all(
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
            for entry in members.values()
        )
        or not isinstance(counts, dict)
        or not all(isinstance(count, int) for count in counts.values())
        or not isinstance(manifest.get("migrations"), dict)
        or not isinstance(manifest.get("missing_files", []), list)
        or not all(isinstance(name, str) for name in manifest.get("missing_files", []))
    ):
        raise corrupt(_("manifest.json incomplet."))
    return manifest


def check_members(archive, manifest):
    """The archive holds exactly the members the manifest lists, each with its SHA-256."""
    names = archive.namelist()
    if len(names) != len(set(names)):
        raise corrupt(_("un membre y figure deux fois."))
    expected = set(manifest["members"]) | {MANIFEST}
    extra, absent = sorted(set(names) - expected), sorted(expected - set(names))
    if extra:
        raise corrupt(_("membre inattendu « %(name)s »."), name=extra[0])
    if absent:
        raise corrupt(_("membre manquant « %(name)s »."), name=absent[0])
    for member, entry in manifest["members"].items():
        if member != DATA:
            if not member.startswith(MEDIA_PREFIX):
                raise corrupt(_("membre inattendu « %(name)s »."), name=member)
            media_name(member)
        with archive.open(member) as stream:
            digest = file_digest(stream)
        if digest != {"size": entry["size"], "sha256": entry["sha256"]}:
            raise corrupt(
                _("l'empreinte SHA-256 de « %(name)s » ne correspond pas au manifeste."),
                name=member,
            )


def read_records(stream):
    """The records of data.json, one per line, as written by export_archive."""
    for number, raw in enumerate(stream, start=1):
        line = raw.strip()
        if line in (b"", b"[", b"]"):
            continue
        if line.endswith(b","):
            line = line[:-1]
        try:
            record = json.loads(line.decode())
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise corrupt(_("data.json illisible, ligne %(line)d."), line=number) from error
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("fields"), dict)
            or record.get("pk") is None  # every record keeps its primary key
        ):
            raise corrupt(_("data.json illisible, ligne %(line)d."), line=number)
        yield record


def check_records(archive, manifest, labels):
    """Every record is of a known model, and each model has the count the manifest gives."""
    counts = Counter()
    with archive.open(DATA) as stream:
        for record in read_records(stream):
            if record.get("model") not in labels:
                raise corrupt(
                    _("modèle inconnu de cette version de Vigie : « %(model)s »."),
                    model=record.get("model"),
                )
            counts[record["model"]] += 1
    for label, count in manifest["counts"].items():
        if count != counts[label]:
            raise corrupt(
                _("%(model)s : %(found)d enregistrement(s) au lieu des %(expected)d annoncés."),
                model=named(label),
                found=counts[label],
                expected=count,
            )
    if set(counts) - set(manifest["counts"]):
        raise corrupt(_("data.json contient des modèles que le manifeste ne compte pas."))


def _archived_migrations(manifest) -> set[tuple[str, str]]:
    return {(app, name) for app, names in manifest["migrations"].items() for name in names}


def migrations_since(manifest, connection) -> list[tuple[str, str]]:
    """The migrations applied here that the archive's schema had not: an older archive."""
    here = set(MigrationRecorder(connection).applied_migrations())
    return sorted(here - _archived_migrations(manifest))


def check_migrations(manifest, connection) -> list[str]:
    """Refuse an archive of a newer schema; warn about an older one."""
    here = set(MigrationRecorder(connection).applied_migrations())
    unknown = sorted(_archived_migrations(manifest) - here)
    if unknown:
        raise ArchiveError(
            _(
                "L'archive vient d'un schéma plus récent que cette base (migration %(app)s."
                "%(name)s non appliquée ici) : mettez Vigie à jour et lancez migrate d'abord."
            )
            % {"app": unknown[0][0], "name": unknown[0][1]}
        )
    newer = migrations_since(manifest, connection)
    if newer:
        return [
            _(
                "L'archive vient d'un schéma plus ancien (%(count)d migration(s) appliquée(s) "
                "depuis, dont %(app)s.%(name)s)."
            )
            % {"count": len(newer), "app": newer[0][0], "name": newer[0][1]}
        ]
    return []


def missing_files(manifest) -> list[str]:
    """The files that records name but that the export did not find, so did not archive."""
    return [
        _(
            "Fichier cité par un enregistrement mais absent de l'archive (il manquait déjà dans "
            "le stockage lors de l'export) : %(name)s"
        )
        % {"name": name}
        for name in manifest.get("missing_files", [])
    ]


def verify_archive(archive) -> dict:
    """Everything that can be checked before writing: the manifest, the members and their
    SHA-256, the records. Returns the manifest."""
    manifest = read_manifest(archive)
    check_members(archive, manifest)
    check_records(archive, manifest, {model_label(model) for model in archived_models()})
    return manifest


def check_archive(path) -> Result:
    """Verify an archive without writing anything (import_archive --check)."""
    with open_archive(path) as archive:
        manifest = verify_archive(archive)
    return Result(Path(path), manifest, missing_files(manifest))


# --- Import -------------------------------------------------------------------------------------


def filled_tables(model_list, using) -> str:
    """The names of the models that hold rows, the first five; "" for an empty database."""
    filled = [
        model_name(model) for model in model_list if model._base_manager.using(using).exists()
    ]
    return ", ".join(filled[:5]) + (", …" if len(filled) > 5 else "")


def ensure_empty(model_list, using):
    if tables := filled_tables(model_list, using):
        raise ArchiveError(
            _(
                "La base de données n'est pas vide (%(tables)s) : l'import n'écrit que dans une "
                "base neuve, migrée, sans aucun enregistrement ni utilisateur, et ne fusionne "
                "jamais. Rien n'a été importé."
            )
            % {"tables": tables}
        )


def holds_member(storage, name, entry) -> bool:
    """Whether the storage's file ``name`` has the bytes the manifest gives for it."""
    with storage.open(name, "rb") as existing:
        return file_digest(existing) == {"size": entry["size"], "sha256": entry["sha256"]}


def plan_media(archive, manifest, storage) -> list[str]:
    """The members to write; an identical file already there is kept, a different one refused."""
    to_write = []
    for member, entry in manifest["members"].items():
        if not member.startswith(MEDIA_PREFIX):
            continue
        name = media_name(member)
        if storage.exists(name):
            if not holds_member(storage, name, entry):
                raise ArchiveError(
                    _(
                        "Le fichier « %(name)s » existe déjà dans le stockage avec un autre "
                        "contenu : rien n'a été importé."
                    )
                    % {"name": name}
                )
            continue
        to_write.append(member)
    return to_write


def refusal_reason(error, record) -> str:
    """Why a record of data.json cannot be restored, in the user's language. Django's validation
    messages are translated; the serializers' and the database's words are English, so they
    come after a sentence, as a technical detail."""
    if isinstance(error, FieldDoesNotExist):
        model = apps.get_model(record["model"])
        unknown = sorted(name for name in record["fields"] if not has_field(model, name))
        return _("champ « %(field)s » inconnu de cette version de Vigie.") % {
            "field": unknown[0] if unknown else "?"
        }
    if isinstance(error, serializers_base.DeserializationError):
        error = error.__cause__ or error.__context__ or error
    if isinstance(error, ValidationError):
        return _("valeur refusée : %(messages)s") % {"messages": " ".join(error.messages)}
    if isinstance(error, ObjectDoesNotExist):
        return _("il cite un type de contenu ou une permission que cette base n'a pas.")
    if isinstance(error, DatabaseError):
        return _("la base de données le refuse (%(detail)s).") % {"detail": technical(error)}
    return _("valeur illisible (%(detail)s).") % {"detail": technical(error)}


def has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def load_records(archive, manifest, using):
    with archive.open(DATA) as stream:
        reader = HashingReader(stream)
        record = {}

        def records():  # each record, kept in ``record`` while it is being restored
            nonlocal record
            for each in read_records(reader):
                record = each
                yield each

        try:
            for obj in PythonDeserializer(records(), using=using):
                obj.save(using=using, force_insert=True)
        except (
            serializers_base.DeserializationError,
            DatabaseError,
            FieldDoesNotExist,
            ObjectDoesNotExist,
            ValidationError,
        ) as error:
            raise ArchiveError(
                _(
                    "L'enregistrement n° %(pk)s de %(model)s ne peut pas être restauré, rien n'a "
                    "été importé : %(reason)s"
                )
                % {
                    "pk": record.get("pk"),
                    "model": named(record.get("model")),
                    "reason": refusal_reason(error, record),
                }
            ) from error
        if reader.digest() != {k: manifest["members"][DATA][k] for k in ("size", "sha256")}:
            raise corrupt(_("data.json a changé pendant l'import."))


def fill_derived_records(using=DEFAULT_DB_ALIAS, *, older_schema=False):
    """What is computed from the records and stored with them: an archive written before the
    timeline index existed restores records without it, so it is built here; an archive that
    holds it keeps it exactly (the records are restored raw, without the signals that would
    rewrite it), unless it comes from an older schema (``older_schema``): the migrations since
    may have changed the rules or what is stored of them (0031: a matter the council is only
    informed of), so every consultation's dates and the index are computed again, as
    ``migrate`` does. The motions' page HTML and the searched texts are always written again
    from the records: they must say what the records say, whatever the archive holds."""
    from .models import Consultation, Deployment, Motion, TimelineEntry
    from .timeline import rebuild_timeline, refresh_stored_calendar

    if using != DEFAULT_DB_ALIAS:
        return  # Vigie keeps everything in one database; the index is built there
    if older_schema:
        refresh_stored_calendar()
    elif Consultation.objects.exists() and not TimelineEntry.objects.exists():
        rebuild_timeline()
    Motion.objects.render_texts()
    Consultation.objects.refresh_search_text()
    Deployment.objects.refresh_search_text()


def check_restored(model_list, manifest, using):
    connection = connections[using]
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in model_list])
    except DatabaseError as error:
        raise ArchiveError(
            _(
                "Références incohérentes dans l'archive, rien n'a été importé : un "
                "enregistrement en cite un autre, qu'elle ne contient pas (%(detail)s)."
            )
            % {"detail": technical(error)}
        ) from error
    for model in model_list:
        label = model_label(model)
        found = model._base_manager.using(using).count()
        if found != manifest["counts"].get(label, 0):
            raise ArchiveError(
                _(
                    "%(model)s : %(found)d enregistrement(s) après l'import au lieu de "
                    "%(expected)d. Rien n'a été importé."
                )
                % {
                    "model": named(label),
                    "found": found,
                    "expected": manifest["counts"].get(label, 0),
                }
            )


def reset_sequences(model_list, using):
    """New records get ids after the restored ones (PostgreSQL; SQLite follows by itself)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def write_media(archive, manifest, storage, members, written):
    """Write the planned members, naming each file saved in ``written`` as soon as it exists,
    so that a failure removes this import's files and no one else's."""
    for member in members:
        name = media_name(member)
        with archive.open(member) as stream:
            reader = HashingReader(stream)
            saved = storage.save(name, File(reader, name=name))
        written.append(saved)
        if saved != name:
            raise ArchiveError(
                _("Le fichier « %(name)s » n'a pas pu être restauré sous son nom.") % {"name": name}
            )
        entry = manifest["members"][member]
        if reader.digest() != {"size": entry["size"], "sha256": entry["sha256"]}:
            raise corrupt(_("« %(name)s » a changé pendant l'import."), name=member)


def import_archive(path, *, using=DEFAULT_DB_ALIAS, storage=None) -> Result:
    """Restore an archive into an empty database, in one transaction, with its files."""
    storage = storage or default_storage
    connection = connections[using]
    model_list = archived_models()
    require_tables(model_list, using)
    ensure_empty(model_list, using)
    with open_archive(path) as archive:
        manifest = verify_archive(archive)
        warnings = check_migrations(manifest, connection)
        members = plan_media(archive, manifest, storage)
        written: list[str] = []
        try:
            with transaction.atomic(using=using):
                ensure_empty(model_list, using)
                load_records(archive, manifest, using)
                check_restored(model_list, manifest, using)
                reset_sequences(model_list, using)
                fill_derived_records(
                    using, older_schema=bool(migrations_since(manifest, connection))
                )
                write_media(archive, manifest, storage, members, written)
        except BaseException as error:
            # The files this import saved, and a file it left half-written. Not a planned file
            # that exists whole: another import of the archive, run at the same time, may have
            # restored it and committed.
            for name in written:
                storage.delete(name)
            for member in members:
                name = media_name(member)
                if storage.exists(name) and not holds_member(
                    storage, name, manifest["members"][member]
                ):
                    storage.delete(name)
            if meanwhile := written_meanwhile(error, model_list, using):
                raise meanwhile from error
            raise
    return Result(Path(path), manifest, warnings + missing_files(manifest))


def written_meanwhile(error, model_list, using) -> ArchiveError | None:
    """The message for an import that the database refused because something else wrote to it
    at the same time: another import of the archive, run in a second terminal, or the site, if
    open. The database's own words (a duplicate key, "database is locked") would not say so."""
    cause = error if isinstance(error, DatabaseError) else error.__cause__
    if not isinstance(cause, DatabaseError):
        return None
    if connections[using].vendor == "sqlite" and "is locked" in str(cause):
        # SQLite lets one connection write at a time: the other still writes, or just has.
        return ArchiveError(
            _(
                "La base de données est occupée par une autre écriture (un autre import lancé en "
                "même temps, ou le site s'il est ouvert) : cet import n'a rien écrit. Attendez "
                "la fin de l'autre : s'il a affiché « Import terminé », la restauration est "
                "faite ; sinon, relancez l'import sur une base vide."
            )
        )
    try:
        tables = filled_tables(model_list, using)
    except DatabaseError:  # the connection is lost: the database's own message says it
        return None
    if not tables:  # still empty: the archive's records themselves were refused
        return None
    return ArchiveError(
        _(
            "La base de données n'est plus vide (%(tables)s) : un autre import lancé en même "
            "temps, ou le site s'il est ouvert, y a écrit pendant cet import, qui n'a rien écrit. "
            "Si l'autre import a affiché « Import terminé », la restauration est faite ; sinon, "
            "repartez d'une base neuve et migrée, site fermé, et relancez l'import."
        )
        % {"tables": tables}
    )

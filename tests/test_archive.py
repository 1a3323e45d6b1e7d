"""Backup and restore (export_archive, import_archive): a restored archive gives back the same
rows with the same primary keys, the same history and the same files, byte for byte."""

import datetime
import errno
import json
import re
import shutil
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.db.models import Model
from django.utils import timezone, translation

from consultations import archive
from consultations.models import (
    Body,
    Consultation,
    Demand,
    Document,
    Membership,
    Organisation,
    Vote,
)

from .factories import (
    BodyFactory,
    CalendarTokenFactory,
    ClockStopFactory,
    ConsultationFactory,
    DemandFactory,
    DeploymentFactory,
    DocumentFactory,
    EventFactory,
    ExpertiseFactory,
    ManagementResponseFactory,
    MeetingFactory,
    MembershipFactory,
    MotionFactory,
    OrganisationFactory,
    ReminderSentFactory,
    UserFactory,
    VoteFactory,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PDF_V2 = PDF.replace(b"Catalog", b"Catalog /Version 2")
OLD_PDF = b"%PDF-1.4\n% ancienne version, document supprime depuis\n%%EOF\n"


def compared_models():
    """Chosen here, not by the code under test: every model of the app (history and
    many-to-many tables included), users, groups, their links, the admin log."""
    models = list(apps.get_app_config("consultations").get_models(include_auto_created=True))
    user = get_user_model()
    models += [
        user,
        Group,
        user.groups.through,
        user.user_permissions.through,
        Group.permissions.through,
        LogEntry,
    ]
    if apps.is_installed("axes"):  # sign-in logs (its lockout counters are not archived)
        models += [apps.get_model("axes", "AccessLog"), apps.get_model("axes", "AccessFailureLog")]
    return models


def rows(model):
    """The rows of a model as dicts, by primary key; references to content types and
    permissions as natural keys (migrate creates those rows, with ids of its own)."""
    natural = {
        field.attname: field.related_model
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in (ContentType, Permission)
    }
    result = []
    for row in model._base_manager.order_by("pk").values():
        for attname, related in natural.items():
            if row[attname] is not None:
                row[attname] = related._base_manager.get(pk=row[attname]).natural_key()
        result.append(row)
    return result


def snapshot():
    return {model._meta.label: rows(model) for model in compared_models()}


def media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def build_dataset():
    """One or more rows in every model, with edits, deletions and files."""
    now = timezone.now()
    admin = UserFactory(
        username="admin", is_staff=True, is_superuser=True, first_name="Adèle", last_login=now
    )
    editor = UserFactory(username="editrice", is_staff=True)
    group = Group.objects.create(name="Élus du CSE")
    group.permissions.add(Permission.objects.get(codename="change_consultation"))
    editor.groups.add(group)
    editor.user_permissions.add(Permission.objects.get(codename="view_document"))

    organisation = OrganisationFactory(
        name="Société Générale d'Appels", notes="Vœu « témoin » — ☃\nseconde ligne\u2028fin"
    )
    MembershipFactory(user=editor, organisation=organisation, role=Membership.Role.EDITOR)
    cse = BodyFactory(organisation=organisation, agreed_days_with_expert=45)
    BodyFactory(organisation=organisation, kind=Body.Kind.CSSCT, name="CSSCT", parent=cse)
    deployment = DeploymentFactory(
        organisation=organisation, art50_duties=["50_1"], workers_affected=830
    )
    consultation = ConsultationFactory(body=cse, deployment=deployment)
    ClockStopFactory(consultation=consultation)
    meeting = MeetingFactory(body=cse, starts_at=datetime.time(18, 30, 15, 123456))
    meeting.consultations.add(consultation)
    expert_vote = VoteFactory(
        meeting=meeting, consultation=consultation, subject=Vote.Subject.APPOINT_EXPERT
    )
    ExpertiseFactory(
        consultation=consultation,
        appointing_vote=expert_vote,
        estimated_cost=Decimal("45000.50"),
        designated_on=datetime.date(2025, 3, 14),
    )
    motion = MotionFactory(
        consultation=consultation,
        adopting_vote=VoteFactory(meeting=meeting, consultation=consultation),
    )
    response = ManagementResponseFactory(consultation=consultation)
    response.motions.add(motion)
    DemandFactory(consultation=consultation, status=Demand.Status.WON, settled_by=response)
    document = DocumentFactory(
        consultation=consultation,
        file=SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
    )
    EventFactory(consultation=consultation, source_url="https://example.org/article")
    CalendarTokenFactory(user=editor)
    ReminderSentFactory(user=editor)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Consultation),
        object_id=str(consultation.pk),
        object_repr=str(consultation),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Intitulé"]}}]',
    )

    if apps.is_installed("axes"):
        for name in ("AccessLog", "AccessFailureLog"):
            apps.get_model("axes", name).objects.create(
                username="editrice", ip_address="192.0.2.7", user_agent="Firefox", path_info="/"
            )

    # Edits, with their author and reason: several history rows per record.
    consultation.title = "Consultation sur l'analyse des appels (version modifiée)"
    consultation._history_user = admin
    consultation._change_reason = "Correction de l'intitulé"
    consultation.save()
    consultation.opinion = Consultation.Opinion.UNFAVOURABLE
    consultation.opinion_on = datetime.date(2025, 5, 5)
    consultation.save()
    document.file = SimpleUploadedFile("note-v2.pdf", PDF_V2, content_type="application/pdf")
    document.save()  # the first file stays on disk: the history still names it
    EventFactory(consultation=consultation).delete()  # history of a deleted record
    old = DocumentFactory(consultation=consultation, file=SimpleUploadedFile("old.pdf", OLD_PDF))
    old.delete()
    meeting.consultations.remove(consultation)
    meeting.consultations.add(consultation)
    return consultation


def export(path):
    out = StringIO()
    call_command("export_archive", str(path), stdout=out)
    return out.getvalue()


def import_(path, **options):
    out = StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def empty_everything():
    call_command("flush", interactive=False)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def rewrite(source, target, member, change):
    """A copy of the archive where ``change`` rewrites one member's bytes (CRCs stay valid)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(info, change(data) if info.filename == member else data)


def flip_one_byte(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


@pytest.fixture
def dataset(transactional_db):
    build_dataset()
    return snapshot(), media_files()


@pytest.mark.django_db(transaction=True)
def test_it_restores_every_row_and_file_exactly(dataset, tmp_path):
    before, files_before = dataset
    empty = [label for label, table in before.items() if not table]
    assert not empty, f"the dataset must fill every model: {empty}"
    assert len(before["consultations.HistoricalConsultation"]) >= 3
    assert len(files_before) == 3  # note.pdf, note-v2.pdf and the deleted document's file

    path = tmp_path / "vigie.zip"
    assert "Archive écrite" in export(path)
    empty_everything()
    assert Organisation.objects.count() == 0
    assert get_user_model().objects.count() == 0
    assert media_files() == {}

    assert "Import terminé" in import_(path)

    after = snapshot()
    for label in before:
        assert after[label] == before[label], label
    assert media_files() == files_before
    document = Document.objects.get()
    with document.file.open("rb") as file:
        assert file.read() == PDF_V2
    consultation = Consultation.objects.get()
    assert consultation.deadline_on is not None
    assert consultation.history.first().history_user.username == "admin"


@pytest.mark.django_db(transaction=True)
def test_it_gives_new_ids_after_an_import(dataset, tmp_path):
    before, _ = dataset
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()
    import_(path)

    organisation = OrganisationFactory()
    body = BodyFactory(organisation=organisation)
    meeting = MeetingFactory(body=body)
    meeting.consultations.add(ConsultationFactory(body=body))
    user = UserFactory()

    def highest(label, key="id"):
        return max(row[key] for row in before[label])

    assert organisation.pk > highest("consultations.Organisation")
    assert meeting.pk > highest("consultations.Meeting")
    assert user.pk > highest("auth.User")
    assert organisation.history.get().history_id > highest(
        "consultations.HistoricalOrganisation", "history_id"
    )
    link = meeting.consultations.through
    assert link.objects.get(meeting=meeting).pk > highest(link._meta.label)


@pytest.mark.django_db(transaction=True)
def test_it_writes_a_manifest_with_counts_and_checksums(dataset, tmp_path):
    before, files_before = dataset
    path = tmp_path / "vigie.zip"
    export(path)

    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
    assert manifest["format"] == "vigie-archive"
    assert manifest["format_version"] == 1
    assert manifest["django_version"].startswith("5.2")
    assert manifest["database_vendor"] in {"sqlite", "postgresql"}
    assert manifest["counts"]["consultations.historicalconsultation"] == len(
        before["consultations.HistoricalConsultation"]
    )
    assert manifest["counts"]["auth.user"] == 2
    assert names == set(manifest["members"]) | {"manifest.json"}
    assert {f"media/{name}" for name in files_before} | {"data.json"} == set(manifest["members"])
    assert all(len(entry["sha256"]) == 64 for entry in manifest["members"].values())
    assert "Archive intègre" in import_(path, check=True)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_import_into_a_database_that_holds_data(dataset, tmp_path):
    before, files_before = dataset
    path = tmp_path / "vigie.zip"
    export(path)

    with pytest.raises(CommandError, match="La base de données n'est pas vide"):
        import_(path)
    assert snapshot() == before
    assert media_files() == files_before


@pytest.mark.django_db(transaction=True)
def test_the_refusal_names_the_tables_that_hold_data_in_the_users_language(tmp_path):
    """django-simple-history names its history tables in English: the refusal said « (…,
    historical organisations) »."""
    path = tmp_path / "vigie.zip"
    export(path)
    OrganisationFactory()
    with pytest.raises(
        CommandError,
        match=r"La base de données n'est pas vide \(organisations, historique des organisations\)",
    ):
        import_(path)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_database_with_only_a_user(dataset, tmp_path):
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()
    UserFactory(username="seul")

    with pytest.raises(CommandError, match="n'est pas vide"):
        import_(path)
    assert get_user_model().objects.count() == 1
    assert Organisation.objects.count() == 0
    assert media_files() == {}


def pdf_member(path):
    with zipfile.ZipFile(path) as zf:
        return next(name for name in zf.namelist() if name.endswith("note-v2.pdf"))


@pytest.mark.parametrize(
    "tamper",
    ["file content", "data content", "compressed data", "extra member", "missing member"],
)
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_tampered_archive_and_writes_nothing(dataset, tmp_path, tamper):
    before, files_before = dataset
    path, tampered = tmp_path / "vigie.zip", tmp_path / "tampered.zip"
    export(path)
    if tamper == "file content":  # one byte of the PDF
        rewrite(path, tampered, pdf_member(path), lambda data: flip_one_byte(data, 10))
    elif tamper == "data content":  # one byte of the records: a digit of a date
        rewrite(path, tampered, "data.json", lambda data: data.replace(b"2025-03-", b"2025-04-", 1))
    elif tamper == "compressed data":  # one byte of the archive file itself
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("data.json")
        raw = path.read_bytes()
        header = (
            30
            + len(info.filename.encode())
            + int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
        )
        tampered.write_bytes(
            flip_one_byte(raw, info.header_offset + header + info.compress_size // 2)
        )
    elif tamper == "extra member":
        rewrite(path, tampered, "", lambda data: data)
        with zipfile.ZipFile(tampered, "a") as zf:
            zf.writestr("media/../../evil.pdf", PDF)
    else:
        with zipfile.ZipFile(path) as original, zipfile.ZipFile(tampered, "w") as copy:
            for info in original.infolist():
                if info.filename != pdf_member(path):
                    copy.writestr(info, original.read(info))
    empty_everything()

    with pytest.raises(
        CommandError, match="Archive (refusée|tronquée ou endommagée), rien n'a été importé"
    ) as refused:
        import_(tampered)
    assert not ENGLISH.search(str(refused.value)), str(refused.value)
    with pytest.raises(CommandError):
        import_(tampered, check=True)
    assert all(not table for table in snapshot().values())
    assert media_files() == {}

    import_(path)  # the genuine archive still restores
    assert snapshot() == before
    assert media_files() == files_before


# What zipfile, json, the system or the database say, in English, which a message must not be.
ENGLISH = re.compile(
    r"zip file|Bad CRC|Bad magic|Error -\d|Expecting|password|No such|No space|Errno|constraint"
)


def marked_encrypted(path):
    """Mark each member of a small stored archive as protected by a password, as « zip -e »
    does (zipfile cannot write one): the flag in its local header and its central entry."""
    raw = bytearray(path.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        while start != -1:
            raw[start + flags] |= 0x1
            start = raw.find(signature, start + 4)
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    "damage, message",
    [
        ("text", r"«\s.*notes\.zip\s» n'est pas une archive zip, rien n'a été importé\."),
        ("empty", r"n'est pas une archive zip, rien n'a été importé\."),
        ("truncated", r"Archive tronquée ou endommagée, rien n'a été importé\s: une partie"),
        ("encrypted", r"Archive illisible, rien n'a été importé\s: elle est protégée par un mot"),
        ("manifest not JSON", r"manifest\.json illisible\s: JSON invalide ligne 1, colonne 2"),
        ("manifest not UTF-8", r"manifest\.json illisible\s: ce n'est pas du texte UTF-8"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_an_unreadable_archive_is_said_in_words(tmp_path, damage, message):
    """What is wrong, in the user's language: zipfile's reason (« File is not a zip file »,
    « Bad CRC-32 … ») and json's are English; a member protected by a password was a
    traceback."""
    path = tmp_path / "notes.zip"
    if damage == "text":
        path.write_bytes(b"pas une archive")
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":  # a copy cut short
        export(tmp_path / "vigie.zip")
        path.write_bytes((tmp_path / "vigie.zip").read_bytes()[:1000])
    else:
        manifest = {"encrypted": b"{}", "manifest not JSON": b"{,}", "manifest not UTF-8": b"\xff"}
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("manifest.json", manifest[damage])
        if damage == "encrypted":
            marked_encrypted(path)
    for options in ({}, {"check": True}):
        with pytest.raises(CommandError, match=message) as refused:
            import_(path, **options)
        assert not ENGLISH.search(str(refused.value)), str(refused.value)

    with translation.override("en"), pytest.raises(CommandError) as refused:
        import_(path)
    assert "nothing was imported" in str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_file_that_is_not_an_archive(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"pas une archive")
    with pytest.raises(CommandError, match="n'est pas une archive zip"):
        import_(path)
    with pytest.raises(CommandError, match="Archive introuvable"):
        import_(tmp_path / "absente.zip")


@pytest.mark.django_db(transaction=True)
def test_it_refuses_an_archive_whose_database_would_change_a_different_file(dataset, tmp_path):
    path = tmp_path / "vigie.zip"
    export(path)
    call_command("flush", interactive=False)
    target = next(Path(settings.MEDIA_ROOT).rglob("note-v2.pdf"))
    target.write_bytes(b"%PDF-1.4 autre contenu")

    with pytest.raises(CommandError, match="existe déjà dans le stockage"):
        import_(path)
    assert target.read_bytes() == b"%PDF-1.4 autre contenu"
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_it_does_not_overwrite_an_archive_without_force(tmp_path):
    path = tmp_path / "vigie.zip"
    path.write_bytes(b"ancienne sauvegarde")
    with pytest.raises(CommandError, match="existe déjà"):
        export(path)
    assert path.read_bytes() == b"ancienne sauvegarde"
    call_command("export_archive", str(path), force=True, stdout=StringIO())
    assert zipfile.is_zipfile(path)


def test_it_orders_models_after_the_models_they_refer_to():
    order = archive.archived_models()
    position = {model: index for index, model in enumerate(order)}
    for model in order:
        for field in model._meta.concrete_fields:
            related = field.related_model
            if field.is_relation and related in position and related is not model:
                assert position[related] < position[model], (model, field.name)
    labels = {model._meta.label_lower for model in order}
    assert "contenttypes.contenttype" not in labels
    assert "sessions.session" not in labels
    assert {"consultations.historicalmeeting_consultations", "auth.user_groups"} <= labels


@pytest.mark.django_db(transaction=True)
def test_an_archive_from_before_the_derived_records_gets_them_built(dataset, tmp_path, monkeypatch):
    """An archive written before the timeline index and the motions' page HTML existed: no
    index rows in it, motions without HTML. The import builds them."""
    from consultations.models import Motion, TimelineEntry

    rows_before = TimelineEntry.objects.count()
    Motion.objects.update(text_html="")
    path = tmp_path / "old.zip"
    with monkeypatch.context() as patch:
        patch.setattr(
            archive, "EXCLUDED_MODELS", archive.EXCLUDED_MODELS | {"consultations.timelineentry"}
        )
        export(path)
    empty_everything()
    assert "Import terminé" in import_(path)
    assert TimelineEntry.objects.count() == rows_before > 0
    assert all(motion.text_html for motion in Motion.objects.exclude(text=""))


@pytest.mark.django_db(transaction=True)
def test_an_archive_from_an_older_schema_gets_its_dates_computed_again(tmp_path, monkeypatch):
    """The migrations since the archive was written may have changed the rules or what is
    stored of them: 0031 stores whether the council is only informed (L2312-38 al. 1 and 2),
    which then has no last day. The import computes every date and the index again, as migrate
    does after such a migration."""
    from consultations.models import TimelineEntry

    consultation = ConsultationFactory(
        legal_bases=["L2312-38-1"], information_received_on=datetime.date(2025, 3, 3)
    )
    # As the records stood before 0031: no column, a last day, the index's old words.
    Consultation.objects.update(information_only=False, deadline_on=datetime.date(2025, 4, 3))
    TimelineEntry.objects.update(summaries={"fr": "ancien texte", "en": "old text"})
    real = archive.applied_migrations

    def before_0031(connection):
        applied = real(connection)
        applied["consultations"] = [name for name in applied["consultations"] if name < "0031"]
        return applied

    path = tmp_path / "older.zip"
    with monkeypatch.context() as patch:
        patch.setattr(archive, "applied_migrations", before_0031)
        export(path)
    empty_everything()
    out, err = StringIO(), StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=err)
    assert "schéma plus ancien" in err.getvalue() and "Import terminé" in out.getvalue()
    restored = Consultation.objects.get(pk=consultation.pk)
    assert (restored.information_only, restored.deadline_on) == (True, None)
    summaries = TimelineEntry.objects.values_list("summaries", flat=True)
    assert summaries and all(row["fr"] != "ancien texte" for row in summaries)


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_keeps_the_files_another_import_restored_meanwhile(
    dataset, tmp_path, monkeypatch
):
    """Two imports of one archive run at once (a retry in a second terminal): the second finds
    the database empty and plans the files, then fails once the first has committed. It must
    not delete the files the first restored, which its database names."""
    _, files_before = dataset
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()
    real_load = archive.load_records

    def first_import_commits_meanwhile(zf, manifest, using):
        for name, content in files_before.items():  # what the other import wrote
            target = Path(settings.MEDIA_ROOT) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        real_load(zf, manifest, using)
        raise archive.ArchiveError("la même archive vient d'être importée")

    monkeypatch.setattr(archive, "load_records", first_import_commits_meanwhile)
    with pytest.raises(CommandError, match="vient d'être importée"):
        import_(path)
    assert media_files() == files_before


@pytest.mark.django_db(transaction=True)
def test_a_second_import_run_at_the_same_time_says_so_and_writes_nothing(
    dataset, tmp_path, monkeypatch
):
    """Two imports of one archive at once: both find the database empty; the second's rows
    then meet the first's, committed meanwhile (on PostgreSQL it waits for them, then gets
    « duplicate key value violates unique constraint »). Simulated here: the first import
    commits between the second's checks and its writes. The second says the database is no
    longer empty and what to do, in words, and writes nothing."""
    before, files_before = dataset
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()
    monkeypatch.setattr(archive, "ensure_empty", lambda model_list, using: None)
    import_(path)  # the first import, done before the second's first write

    with pytest.raises(CommandError) as refused:
        import_(path)
    assert re.fullmatch(
        r"La base de données n'est plus vide \(groupes, utilisateurs, .+\)"
        r"\s: un autre import lancé en même temps, .* et relancez l'import\.",
        str(refused.value),
    ), str(refused.value)
    assert snapshot() == before
    assert media_files() == files_before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's lock: one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_an_import_that_finds_sqlite_locked_by_another_says_so(dataset, tmp_path, monkeypatch):
    """On SQLite the second of two imports run at once finds the database locked by the first
    (« database is locked »): it says so, and what to do."""
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()

    def locked(self, *args, raw=False, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Model, "save_base", locked)
    with pytest.raises(
        CommandError,
        match=r"La base de données est occupée par une autre écriture \(un autre import lancé "
        r"en même temps, .*\)\s: cet import n'a rien écrit\.",
    ):
        import_(path)
    monkeypatch.undo()
    assert all(not table for table in snapshot().values())
    assert media_files() == {}


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_removes_a_file_it_left_half_written(dataset, tmp_path, monkeypatch):
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()

    def disk_full(self, name, content):
        (Path(settings.MEDIA_ROOT) / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(settings.MEDIA_ROOT) / name).write_bytes(content.read(20))
        raise archive.ArchiveError("disque plein")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage._save", disk_full)
    with pytest.raises(CommandError, match="disque plein"):
        import_(path)
    assert media_files() == {}
    assert Organisation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_check_and_import_name_the_files_the_export_did_not_find(dataset, tmp_path):
    """A file lost from the storage before the backup: the export warns once, in a log few
    read; the archive's check, run on each backup, and the restore say so too."""
    path = tmp_path / "vigie.zip"
    lost = next(Path(settings.MEDIA_ROOT).rglob("note-v2.pdf"))
    lost.unlink()
    name = lost.relative_to(settings.MEDIA_ROOT).as_posix()
    err = StringIO()
    call_command("export_archive", str(path), stdout=StringIO(), stderr=err)
    assert name in err.getvalue()

    out, err = StringIO(), StringIO()
    call_command("import_archive", str(path), check=True, stdout=out, stderr=err)
    assert "Archive intègre" in out.getvalue()
    assert re.search(
        rf"absent de l'archive \(il manquait déjà .* l'export\)\s: {name}", err.getvalue()
    )

    empty_everything()
    out, err = StringIO(), StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=err)
    assert "Import terminé" in out.getvalue()
    assert re.search(
        rf"absent de l'archive \(il manquait déjà .* l'export\)\s: {name}", err.getvalue()
    )


@pytest.mark.django_db(transaction=True)
def test_a_storage_that_cannot_be_written_is_a_message_and_nothing_is_imported(
    dataset, tmp_path, settings
):
    """MEDIA_ROOT set to a folder under a file, a full disk: the system's reason, in words,
    no traceback, an empty database."""
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()
    (tmp_path / "un-fichier").write_text("pas un dossier")
    settings.MEDIA_ROOT = tmp_path / "un-fichier" / "media"

    with pytest.raises(
        CommandError,
        match=r"Lecture ou écriture de fichier impossible, rien n'a été importé\s: un élément du "
        r"chemin n'est pas un dossier \(/.*un-fichier/media\)\.$",
    ) as refused:
        import_(path)
    assert not ENGLISH.search(str(refused.value)), str(refused.value)
    assert all(not table for table in snapshot().values())


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_is_said_in_words(dataset, tmp_path, monkeypatch):
    """The system's reason in the user's language, with the file's name: Python gives it in
    English (« [Errno 28] No space left on device »)."""
    path = tmp_path / "vigie.zip"
    export(path)
    empty_everything()

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device", self.path(name))

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage._save", disk_full)
    with pytest.raises(
        CommandError,
        match=r"Lecture ou écriture de fichier impossible, rien n'a été importé\s: disque plein "
        r"\(/.+\.pdf\)\.$",
    ) as refused:
        import_(path)
    assert not ENGLISH.search(str(refused.value)), str(refused.value)
    assert all(not table for table in snapshot().values())
    assert media_files() == {}


@pytest.mark.django_db(transaction=True)
def test_a_file_that_cannot_be_read_at_the_export_is_a_message_and_no_archive(dataset, tmp_path):
    """A file of the storage that cannot be read (here a link to a file removed since)."""
    (Path(settings.MEDIA_ROOT) / "perdu.pdf").symlink_to(tmp_path / "supprimé.pdf")
    path = tmp_path / "vigie.zip"

    with pytest.raises(
        CommandError,
        match=r"Lecture ou écriture de fichier impossible, aucune archive n'a été écrite\s: "
        r"fichier ou dossier introuvable \(/.*perdu\.pdf\)\.",
    ):
        export(path)
    assert list(tmp_path.glob("*.zip*")) == list(tmp_path.glob(".vigie.zip*")) == []


def rewrite_records(source, target, change):
    """A copy of the archive whose data.json ``change`` rewrites record by record, with the
    manifest's SHA-256 written again: an archive edited by hand, which its checksums no longer
    protect."""
    import hashlib

    with zipfile.ZipFile(source) as original:
        manifest = json.loads(original.read("manifest.json"))
        lines = original.read("data.json").decode().split("\n")
        others = {
            info: original.read(info)
            for info in original.infolist()
            if info.filename not in ("data.json", "manifest.json")
        }
    for number, line in enumerate(lines):
        if line.startswith("{") or line.startswith(",{"):
            record = json.loads(line.lstrip(",").rstrip(","))
            comma = "," if line.endswith(",") else ""
            lines[number] = json.dumps(change(record), ensure_ascii=False) + comma
    data = "\n".join(lines).encode()
    manifest["members"]["data.json"] = {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    with zipfile.ZipFile(target, "w") as copy:
        copy.writestr("data.json", data)
        for info, content in others.items():
            copy.writestr(info, content)
        copy.writestr("manifest.json", json.dumps(manifest))


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            "unknown field",
            r"L'enregistrement n°\s\d+ de «\sorganisations\s» \(consultations\.organisation\) ne "
            r"peut pas être restauré, rien n'a été importé\s: champ «\scouleur\s» inconnu de cette",
        ),
        ("no primary key", r"data\.json illisible, ligne \d+\."),
        (
            "not a number",
            r"L'enregistrement n°\s\d+ de «\sorganisations\s» .* rien n'a été importé\s: valeur "
            r"refusée\s: .*«\sbeaucoup\s» doit être un nombre entier",
        ),
        (
            "same key twice",
            r"L'enregistrement n°\s1 de «\shistorique des consultations\s» "
            r"\(consultations\.historicalconsultation\) ne peut pas être restauré, rien n'a été "
            r"importé\s: la base de données le refuse \(détail technique\s: .+\)\.",
        ),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_a_record_edited_by_hand_is_refused_with_a_message(dataset, tmp_path, edit, message):
    """The record named, in words, and why: Django's serializers and the database say it in
    English, which comes last, as a technical detail."""
    path, edited = tmp_path / "vigie.zip", tmp_path / "edited.zip"
    export(path)

    def change(record):
        if record["model"] == "consultations.organisation":
            if edit == "unknown field":
                record["fields"]["couleur"] = "rouge"
            elif edit == "no primary key":
                del record["pk"]
            elif edit == "not a number":
                record["fields"]["headcount"] = "beaucoup"
        if record["model"] == "consultations.historicalconsultation" and edit == "same key twice":
            record["pk"] = 1
        return record

    rewrite_records(path, edited, change)
    empty_everything()
    with pytest.raises(CommandError, match=message):
        import_(edited)
    assert all(not table for table in snapshot().values())
    assert media_files() == {}


@pytest.mark.django_db(transaction=True)
def test_a_file_put_in_the_storage_by_hand_under_a_name_the_import_refuses_is_left_out(
    dataset, tmp_path
):
    """A backslash, bytes that are not UTF-8: names Vigie never gives a file, which the import
    refuses as it could escape MEDIA_ROOT. The export leaves such a file out, and says so,
    rather than write a backup that can never be restored."""
    _, files_before = dataset
    root = Path(settings.MEDIA_ROOT)
    (root / "notes\\relevé.txt").write_bytes(b"x")
    with open(bytes(root) + b"/latin1-\xe9.txt", "wb") as file:
        file.write(b"y")
    path = tmp_path / "vigie.zip"
    err = StringIO()
    call_command("export_archive", str(path), stdout=StringIO(), stderr=err)
    assert "laissé hors de l'archive" in err.getvalue()
    assert "notes\\relevé.txt" in err.getvalue() and "latin1-" in err.getvalue()

    assert "Archive intègre" in import_(path, check=True)
    empty_everything()
    assert "Import terminé" in import_(path)
    assert media_files() == files_before


@pytest.mark.django_db(transaction=True)
def test_a_migration_applied_once_then_renamed_does_not_make_the_archive_unrestorable(
    dataset, tmp_path
):
    """A database that ran a migration since renamed or removed (0037 was renamed during
    development) keeps its row in django_migrations. The archive must not name it: no Vigie
    has it, and each would refuse the archive as written by a newer one."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    before, _ = dataset
    recorder = MigrationRecorder(connection)
    recorder.record_applied("consultations", "0037_vote_entries_name_their_motion")
    path = tmp_path / "vigie.zip"
    try:
        export(path)
    finally:
        recorder.record_unapplied("consultations", "0037_vote_entries_name_their_motion")
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert "0037_vote_entries_name_their_motion" not in manifest["migrations"]["consultations"]

    empty_everything()
    out, err = StringIO(), StringIO()
    call_command("import_archive", str(path), stdout=out, stderr=err)
    assert "Import terminé" in out.getvalue() and "schéma" not in err.getvalue()
    assert snapshot() == before


def test_every_archived_model_is_named_in_the_users_language():
    """django-simple-history names its history models in English (« historical
    organisations »), Django a many-to-many table after its classes (« Relations
    meeting-consultation »): the messages name them in words, without changing the models."""
    with translation.override("fr"):
        names = {
            model._meta.label_lower: archive.model_name(model)
            for model in archive.archived_models()
        }
    assert names["consultations.historicalorganisation"] == "historique des organisations"
    assert names["consultations.historicaldeployment"] == "historique des systèmes d'IA"
    assert names["auth.user_groups"] == "liens entre utilisateurs et groupes"
    assert (
        names["consultations.historicalmeeting_consultations"]
        == "historique des liens entre réunions et consultations"
    )
    english = [name for name in names.values() if re.search(r"historical|relation", name, re.I)]
    assert not english, english
    with translation.override("en"):
        assert (
            archive.model_name(apps.get_model("consultations", "HistoricalMeeting_consultations"))
            == "history of links between meetings and consultations"
        )

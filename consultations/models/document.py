import zipfile
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..wording import long_date
from .consultation import Consultation, ConsultationPartQuerySet
from .fields import LongTextField, future_dates_set

# What a document may be, by its content (file signature), and the extensions each may carry.
ALLOWED_TYPES = {
    "pdf": {"pdf"},
    "odt": {"odt"},
    "ods": {"ods"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "png": {"png"},
    "jpg": {"jpg", "jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
}
# The file names of the types accepted.
NAMED_TYPES = set().union(*ALLOWED_TYPES.values())


# Office documents are zip archives: their signature alone says little (a zip whose first entry is
# named "word/..." passes for a Word document). The archive must open and hold the parts that make
# the format: OOXML's content types and main folder, OpenDocument's mimetype entry.
OFFICE_PARTS = {
    "docx": ("[Content_Types].xml", "word/"),
    "xlsx": ("[Content_Types].xml", "xl/"),
}
OPENDOCUMENT_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}

# A file name longer than this cannot be stored (most file systems allow 255 bytes per name, and
# the upload folder takes its share of the field's 300 characters).
MAX_NAME_CHARACTERS = 150
MAX_NAME_BYTES = 200
# Django's upload handler keeps the first 255 characters of a longer name (and its extension).
UPLOADED_NAME_CUT = 255


def _is_office_document(upload, kind) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if kind in OFFICE_PARTS:
                content_types, folder = OFFICE_PARTS[kind]
                return content_types in names and any(n.startswith(folder) for n in names)
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as entry:
                return entry.read(100).strip() == OPENDOCUMENT_MIMETYPES[kind]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)


def validate_document_file(upload):
    """Refuse empty, oversized or disguised files: the content decides, not only the name."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Le fichier fait %(size)s ; la taille maximale est %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    name = Path(upload.name or "").name
    if len(name) <= MAX_NAME_CHARACTERS and len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise ValidationError(
            _(
                "Le nom du fichier est trop long : ses lettres accentuées ou ses symboles "
                "comptent double. Raccourcissez-le, puis choisissez-le à nouveau."
            ),
            code="name_too_long",
        )
    if len(name) >= UPLOADED_NAME_CUT:
        # Django cut the name to 255 characters on upload: its real length is unknown.
        raise ValidationError(
            _(
                "Le nom du fichier est trop long (%(cut)d caractères ou plus) : renommez-le en "
                "%(max)d caractères au plus, puis choisissez-le à nouveau."
            )
            % {"cut": UPLOADED_NAME_CUT, "max": MAX_NAME_CHARACTERS},
            code="name_too_long",
        )
    if len(name) > MAX_NAME_CHARACTERS:
        raise ValidationError(
            _(
                "Le nom du fichier est trop long (%(length)d caractères) : renommez-le en "
                "%(max)d caractères au plus, puis choisissez-le à nouveau."
            )
            % {"length": len(name), "max": MAX_NAME_CHARACTERS},
            code="name_too_long",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    accepted = _("PDF, ODT, ODS, DOCX, XLSX ou image (PNG, JPEG, GIF, WebP)")
    if (kind is None or kind.extension not in ALLOWED_TYPES) and extension in NAMED_TYPES:
        # Named as an accepted type, the content is of none (found by an editor's QA pass: a
        # text file named .pdf got "this type of file is not accepted").
        raise ValidationError(
            _(
                "Ce fichier porte l'extension .%(extension)s mais son contenu n'en est pas un : "
                "il est peut-être endommagé, ou d'un autre format. Ouvrez-le pour vérifier, ou "
                "enregistrez-le à nouveau au format %(kind)s."
            )
            % {"extension": extension, "kind": extension.upper()},
            code="type",
        )
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté. Formats acceptés : %(accepted)s.")
            % {"accepted": accepted},
            code="type",
        )
    if extension not in ALLOWED_TYPES[kind.extension]:
        raise ValidationError(
            _("Le nom du fichier (.%(extension)s) ne correspond pas à son contenu (%(kind)s).")
            % {"extension": extension or "?", "kind": kind.extension.upper()},
            code="disguised",
        )
    if kind.extension in {*OFFICE_PARTS, *OPENDOCUMENT_MIMETYPES} and not _is_office_document(
        upload, kind.extension
    ):
        raise ValidationError(
            _(
                "Ce fichier n'est pas un document %(kind)s valide : il est peut-être endommagé. "
                "Enregistrez-le à nouveau depuis votre traitement de texte ou votre tableur."
            )
            % {"kind": kind.extension.upper()},
            code="damaged",
        )


def document_upload_to(instance, filename):
    return f"documents/{instance.consultation_id or 'new'}/{Path(filename).name}"


class DocumentQuerySet(ConsultationPartQuerySet):
    def public(self):
        """Documents that may be shown publicly: never a confidential one."""
        return self.published().filter(confidential=False)


class Document(models.Model):
    """A document of the consultation. A confidential one needs the employer's justification
    (L2315-3; Cass. soc. 5 Nov. 2014) and never reaches a public page, feed or export."""

    class Kind(models.TextChoices):
        INFORMATION_NOTE = "information_note", _("Note d'information")
        DPIA = "dpia", _("Analyse d'impact (AIPD)")
        EXPERT_REPORT = "expert_report", _("Rapport d'expertise")
        AGENDA = "agenda", _("Ordre du jour")
        MINUTES = "minutes", _("Procès-verbal")
        LETTER = "letter", _("Courrier")
        TRACT = "tract", _("Tract ou communiqué")
        OTHER = "other", _("Autre")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("consultation"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    file = models.FileField(
        _("fichier"),
        upload_to=document_upload_to,
        max_length=300,
        validators=[validate_document_file],
        blank=True,
        help_text=_("PDF, ODT, ODS, DOCX, XLSX ou image."),
    )
    dated_on = models.DateField(_("date du document"), null=True, blank=True)
    confidential = models.BooleanField(
        _("confidentiel"),
        default=False,
        help_text=_(
            "Seulement si l'employeur l'a déclaré confidentiel en le justifiant (L2315-3)."
        ),
    )
    confidentiality_justification = LongTextField(
        _("justification de la confidentialité par l'employeur"), blank=True, default=""
    )

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["dated_on", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.confidential and not self.confidentiality_justification.strip():
            errors["confidentiality_justification"] = _(
                "Un document n'est confidentiel que si l'employeur l'a déclaré tel en "
                "justifiant pourquoi (L2315-3) : recopiez sa justification."
            )
        if future_dates_set(self, ("dated_on",)):
            errors["dated_on"] = _(
                "Le document est daté du %(date)s, à venir : indiquez le jour où il a été écrit "
                "ou remis."
            ) % {"date": long_date(self.dated_on)}
        if self._already_filed():
            errors["title"] = _(
                "Un document de ce titre et de cette date est déjà déposé pour cette "
                "consultation : il figure sur sa page. S'il s'agit d'un autre document, donnez-lui "
                "un titre qui le distingue."
            )
        if errors:
            raise ValidationError(errors)

    def _already_filed(self) -> bool:
        """The same document filed twice (a form sent again): same consultation, title and
        date. Asked of a new document only."""
        if self.pk is not None or not (self.consultation_id and self.title):
            return False
        return Document.objects.filter(
            consultation=self.consultation_id, title__iexact=self.title, dated_on=self.dated_on
        ).exists()

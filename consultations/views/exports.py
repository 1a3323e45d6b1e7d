"""Files that leave Vigie. Uploaded documents are never served from a public media URL: this
view checks who asks before it sends the file.

The PDF exports follow the rules of the HTML pages: a member of the organisation (any role) or a
superuser gets everything of the organisation; anyone else gets only what is published, and a
404 for the rest (no leak). The views only choose the record and the version (``public``); the
PDFs themselves are made by consultations/pdf.py. The public versions come from the shared cache
of public pages, like the pages (consultations/cache.py): a dossier takes seconds to make, and a
news article linking it would otherwise have every reader's request make it again.
"""

import csv
import logging

from django.db.models import OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import pdf
from ..cache import cached_public_page
from ..forms import EARLIEST_DATE, LATEST_DATE
from ..models import Body, Consultation, Document, Meeting
from .access import get_visible

logger = logging.getLogger(__name__)


def document_download(request, pk):
    """Members of the document's organisation get any of its documents; anyone else gets the
    non-confidential documents of published consultations; the rest is a 404 (no leak)."""
    # Two subqueries, not `a | b`: OR-ing the membership join would repeat a public document
    # once per member of its organisation.
    visible = Document.objects.filter(
        Q(pk__in=Document.objects.visible_to(request.user).values("pk"))
        | Q(pk__in=Document.objects.public().values("pk"))
    )
    document = get_object_or_404(visible, pk=pk)
    if not document.file:
        raise Http404
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        # The record is there, its file is not (a media folder not restored, say): a 404 for
        # the reader, and a line in the log for whoever runs the server.
        logger.error("Document %s: file %s missing from storage", document.pk, document.file.name)
        raise Http404 from None
    return FileResponse(file, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


def _member_or_public(queryset, user, pk):
    """(record, public): the full record for a member, else the published one, else 404."""
    try:
        return get_visible(queryset, user, pk), False
    except Http404:
        return get_object_or_404(queryset.published(), pk=pk), True


def _pdf_response(export, *, public):
    filename, content_type, content = export
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


@cached_public_page
def motion_pdf(request, pk):
    """One motion: members of its organisation; for anyone else, only an adopted, published
    motion of a public consultation."""
    motion, public = _member_or_public(pdf.motion_queryset(), request.user, pk)
    return _pdf_response(pdf.motion_pdf(motion), public=public)


@cached_public_page
def dossier_pdf(request, pk):
    """The whole consultation; its public version for anyone who is not a member."""
    consultation, public = _member_or_public(Consultation.objects.all(), request.user, pk)
    return _pdf_response(pdf.dossier_pdf(consultation, public=public), public=public)


def register_bodies():
    """The bodies, each with the day of its first recorded meeting (``first_meeting_on``, None
    without one), read in the same query: it bounds the years of its register."""
    first_meeting = Meeting.objects.filter(body=OuterRef("pk")).order_by("held_on")
    return Body.objects.select_related("organisation").annotate(
        first_meeting_on=Subquery(first_meeting.values("held_on")[:1])
    )


def may_have_an_empty_register(body, year) -> bool:
    """Whether a member gets a register with no motion, which says that Vigie records none
    that year: for a council (a CSSCT has no register of its own: it prepares the council's
    work, L2315-38), in the current year, or in a past year from its first recorded meeting
    on. A year to come, or before Vigie knows of the body, is not found rather than a register
    that would seem to state that nothing was adopted."""
    if body.kind == Body.Kind.CSSCT:
        return False
    this_year = timezone.localdate().year
    if year == this_year:
        return True
    first = body.first_meeting_on
    return first is not None and first.year <= year < this_year


@cached_public_page
def register_pdf(request, pk, year):
    """A body's adopted motions of one year. Anyone else than a member gets the published
    motions of public consultations only, and a 404 when there is none. A member gets a 404
    too for a register with no motion where Vigie cannot know of any
    (may_have_an_empty_register). A year no record can have (motions-0.pdf) is not found
    either."""
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise Http404
    try:
        body, public = get_visible(register_bodies(), request.user, pk), False
    except Http404:
        body, public = get_object_or_404(register_bodies(), pk=pk), True
    motions = list(pdf.register_motions(body, year, public=public))
    if not motions and (public or not may_have_an_empty_register(body, year)):
        raise Http404
    return _pdf_response(
        pdf.register_pdf(body, year, public=public, motions=motions), public=public
    )


def deployment_register_csv(request):
    """The register of AI systems the reader may see, as CSV (same filters as the page)."""
    from .public import deployment_register, register_rows

    _filterset, deployments = deployment_register(request)
    rows = register_rows(request, deployments)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigie-systemes-ia.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the accents right
    delimiter, date_format = csv_conventions()
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerow(
        [
            _("Organisation"),
            _("Système d'IA"),
            _("Fournisseur"),
            _("Fonctions"),
            _("Risque (AI Act)"),
            _("Signalements"),
            _("Détail des signalements"),
            _("Dernière consultation"),
            _("État du délai"),
            _("Mise en service"),
        ]
    )
    for deployment, flags, latest, state in rows:
        writer.writerow(
            [
                csv_safe(deployment.organisation.name),
                csv_safe(deployment.name),
                csv_safe(deployment.vendor),
                ", ".join(deployment.get_functions_display()),
                deployment.get_risk_tier_display(),
                len(flags),
                " | ".join(f"{flag.title} ({flag.source})" for flag in flags),
                csv_safe(latest.title) if latest else "",
                state.label if state else "",
                deployment.actual_go_live.strftime(date_format)
                if deployment.actual_go_live
                else "",
            ]
        )
    return response


def csv_conventions() -> tuple[str, str]:
    """(separator, date format) a spreadsheet of the reader's language opens in columns: in
    French, « ; » and 22/10/2025 (the comma is the decimal mark there); in English, « , » and
    2025-10-22, which no locale reads as another day."""
    if get_language() == "fr":
        return ";", "%d/%m/%Y"
    return ",", "%Y-%m-%d"


# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection"): a tab or a
# carriage return too, which some strip before they look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with one of FORMULA_STARTS is quoted."""
    return "'" + value if value[:1] in FORMULA_STARTS else value

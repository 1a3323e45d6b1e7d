"""Files that leave Vigie. Uploaded documents are never served from a public media URL: this
view checks who asks before it sends the file."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..models import Document


def document_download(request, pk):
    """Members of the document's organisation get any of its documents; anyone else gets the
    non-confidential documents of published consultations; the rest is a 404 (no leak)."""
    visible = Document.objects.visible_to(request.user) | Document.objects.public()
    document = get_object_or_404(visible, pk=pk)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )

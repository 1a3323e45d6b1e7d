"""Pages anyone may read, without signing in."""

from django.views.generic import ListView

from ..models import Consultation


class ConsultationListView(ListView):
    """The consultations the representatives chose to publish, newest first."""

    template_name = "consultations/public_list.html"
    context_object_name = "consultations"
    paginate_by = 25

    def get_queryset(self):
        return Consultation.objects.published().select_related("body__organisation", "deployment")

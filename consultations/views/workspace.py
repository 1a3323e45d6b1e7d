"""The representatives' workspace: what is due, what needs attention, what changed."""

from datetime import timedelta
from itertools import chain

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django_filters.views import FilterView

from ..due_dates import due_items
from ..filters import ConsultationFilter
from ..models import (
    Clock,
    Consultation,
    Deployment,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    Organisation,
    Vote,
)
from .access import is_editor_somewhere

UPCOMING_DAYS = 42
LATEST_CHANGES = 12
ATTENTION_STATES = (Clock.EXPIRED, Clock.ANSWER_OVERDUE)
ATTENTION_SHOWN = 15


def change_label(record) -> str:
    """What changed, from the history row alone (no query per row): "Motion « Titre »"."""
    model = record.instance_type
    for attribute in ("title", "name", "expert_firm"):
        value = getattr(record, attribute, "")
        if value:
            return f"{model._meta.verbose_name.capitalize()} « {value} »"
    for attribute in ("held_on", "received_on"):
        value = getattr(record, attribute, None)
        if value:
            return f"{model._meta.verbose_name.capitalize()} ({value:%d/%m/%Y})"
    return str(model._meta.verbose_name.capitalize())


def latest_changes(user, limit=LATEST_CHANGES):
    """The last changes made to the records of the user's organisations (audit history)."""
    sources = [
        (Consultation, "body__organisation"),
        (Motion, "consultation__body__organisation"),
        (Vote, "meeting__body__organisation"),
        (Meeting, "body__organisation"),
        (Expertise, "consultation__body__organisation"),
        (ManagementResponse, "consultation__body__organisation"),
        (Deployment, "organisation"),
    ]
    organisations = Organisation.objects.visible_to(user)
    records = chain.from_iterable(
        model.history.filter(**{f"{path}__in": organisations})
        .select_related("history_user")
        .order_by("-history_date")[:limit]
        for model, path in sources
    )
    latest = sorted(records, key=lambda record: record.history_date, reverse=True)[:limit]
    return [(record, change_label(record)) for record in latest]


@login_required
def home(request):
    today = timezone.localdate()
    consultations = Consultation.objects.visible_to(request.user)
    items = due_items(
        consultations.current(today), today=today, end=today + timedelta(days=UPCOMING_DAYS)
    )
    upcoming = [item for item in items if not item.late]
    # Late deadlines and answers show through the consultation's state; list the other steps.
    late_steps = [item for item in items if item.late and item.kind in ("expertise", "meeting")]
    attention = consultations.with_clock_state(today).filter(clock__in=ATTENTION_STATES)
    needing_attention = [
        (consultation, Clock(consultation.clock))
        for consultation in attention.select_related("body").order_by("-deadline_on")[
            :ATTENTION_SHOWN
        ]
    ]
    context = {
        "upcoming": upcoming,
        "late_steps": late_steps,
        "needing_attention": needing_attention,
        "attention_count": attention.count(),
        "changes": latest_changes(request.user),
        "has_consultations": consultations.exists(),
        "is_member": request.user.is_superuser or request.user.memberships.exists(),
        "is_editor": is_editor_somewhere(request.user),
        "upcoming_days": UPCOMING_DAYS,
    }
    return render(request, "consultations/workspace.html", context)


class ConsultationListView(LoginRequiredMixin, FilterView):
    """Every consultation the user may see, filtered in the URL, sorted, paginated."""

    filterset_class = ConsultationFilter
    template_name = "consultations/consultation_list.html"
    context_object_name = "consultations"
    paginate_by = 25
    strict = False

    def get_queryset(self):
        return (
            Consultation.objects.visible_to(self.request.user)
            .with_clock_state()
            .select_related("body__organisation", "deployment")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (consultation, Clock(consultation.clock)) for consultation in context["consultations"]
        ]
        context["is_editor"] = is_editor_somewhere(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context

"""The representatives' workspace: what is due, what needs attention, what changed."""

from datetime import timedelta
from itertools import chain

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import F
from django.db.models.functions import Left
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django_filters.views import FilterView

from ..due_dates import due_items
from ..filters import ConsultationFilter, OrganisationScopeForm
from ..links import consultation_link, link_maker, query_without_sort
from ..models import (
    ATTENTION_STATES,
    Clock,
    Consultation,
    Demand,
    Deployment,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    Organisation,
    Vote,
)
from ..wording import WEEKDAY_DATE, quoted, written_date
from .access import is_editor_somewhere

UPCOMING_DAYS = 42
UPCOMING_PER_PAGE = 50
LATEST_CHANGES = 12
ATTENTION_SHOWN = 15
LATE_SHOWN = 15  # late steps listed, unless all are asked for (?late=all)
# The kinds of dates due (due_dates.DueItem) listed late as such: the late opinion and answer
# show through their consultation's clock state.
LATE_STEP_KINDS = ("expertise", "meeting", "decision")


# What a change shows (change_label() and the template): the fields read from each history row,
# which otherwise copies every field of its record, long texts included.
HISTORY_FIELDS = ("history_date", "history_type", "history_user__username")
NAME_FIELDS = ("title", "name", "expert_firm")
DATE_FIELDS = ("held_on", "received_on")
# A vote is named by its subject (« Vote « Désignation d'un expert » »): it had no name, and
# read « Créé · Vote » (found by an editor's QA pass).
CHOICE_FIELDS = ("subject",)
# A demand has no name but its text, which may be long: the database cuts its start
# (``excerpt``), and the label cuts it as the demand's __str__ does.
EXCERPTS = {Demand: "text"}
EXCERPT_LENGTH = 80


def label_fields(model):
    """The fields of ``model`` that change_label() reads."""
    names = {field.name for field in model._meta.get_fields()}
    return [name for name in (*NAME_FIELDS, *DATE_FIELDS, *CHOICE_FIELDS) if name in names]


def change_label(record) -> str:
    """What changed, from the history row alone (no query per row): "Motion « Titre »"."""
    model = record.instance_type
    name = capfirst(model._meta.verbose_name)  # "Système d'IA", not capitalize()'s "Système d'ia"
    for attribute in NAME_FIELDS:
        value = getattr(record, attribute, "")
        if value:
            return f"{name} {quoted(value)}"
    for attribute in DATE_FIELDS:
        value = getattr(record, attribute, None)
        if value:
            return f"{name} ({value:%d/%m/%Y})"
    for attribute in CHOICE_FIELDS:
        if getattr(record, attribute, ""):
            return f"{name} {quoted(getattr(record, f'get_{attribute}_display')())}"
    excerpt = getattr(record, "excerpt", "")
    if excerpt:
        if len(excerpt) > EXCERPT_LENGTH:
            excerpt = excerpt[: EXCERPT_LENGTH - 1] + "…"
        return f"{name} {quoted(excerpt)}"
    return str(name)


# Where a change leads: the consultation it belongs to, at the record ("#vote-12"), by the
# field of the history row that holds the consultation's id; an AI system, to its page; a
# meeting, to the votes of the consultation on its agenda (meeting_consultations()).
CONSULTATION_PARTS = {
    Consultation: ("id", ""),
    Motion: ("consultation_id", "#motion-{id}"),
    Vote: ("consultation_id", "#vote-{id}"),
    Expertise: ("consultation_id", "#expertise"),
    ManagementResponse: ("consultation_id", "#response-{id}"),
    Demand: ("consultation_id", "#demand-{id}"),
}


def link_fields(model):
    """The fields of ``model``'s history rows that change_links() reads."""
    return {"id", CONSULTATION_PARTS.get(model, ("id",))[0]}


def meeting_consultations(records):
    """meeting pk -> the one consultation on its agenda, for the meetings among ``records``
    still there (one query). A meeting on the agenda of several consultations, or of none, is
    left out: no one page shows it."""
    pks = {record.id for record in records if record.instance_type is Meeting}
    if not pks:
        return {}
    agenda = Meeting.consultations.through.objects.filter(
        meeting_id__in=pks,
        # Not a consultation of another organisation, left on an agenda by older versions.
        consultation__body__organisation=F("meeting__body__organisation"),
    ).values_list("meeting_id", "consultation_id")
    found = {}
    for meeting, consultation in agenda:
        found.setdefault(meeting, []).append(consultation)
    return {meeting: ids[0] for meeting, ids in found.items() if len(ids) == 1}


def change_links(records):
    """history row -> the link of its change, for the records still there (three queries at
    most: the meetings' consultations, and which of the consultations and AI systems named
    still exist)."""
    # Each row's target: (model whose page it is, pk, anchor on that page).
    targets = {}
    meetings = meeting_consultations(records)
    for record in records:
        model = record.instance_type
        if model in CONSULTATION_PARTS:
            field, anchor = CONSULTATION_PARTS[model]
            # A part since deleted leads to its consultation, not to an anchor now gone.
            gone = record.history_type == "-" and model is not Consultation
            anchor = "" if gone else anchor.format(id=record.id)
            targets[record] = (Consultation, getattr(record, field), anchor)
        elif model is Deployment:
            targets[record] = (Deployment, record.id, "")
        elif model is Meeting and record.id in meetings:
            # Its entry in the members' « Réunions » of that consultation's page.
            targets[record] = (Consultation, meetings[record.id], f"#meeting-{record.id}")
    existing = {
        model: set(
            model.objects.filter(
                pk__in={pk for kind, pk, _anchor in targets.values() if kind is model}
            ).values_list("pk", flat=True)
        )
        for model in {kind for kind, _pk, _anchor in targets.values()}
    }
    pages = {
        Consultation: consultation_link(),
        Deployment: link_maker("consultations:deployment-detail"),
    }
    return {
        record: pages[model](pk) + anchor
        for record, (model, pk, anchor) in targets.items()
        if pk in existing[model]
    }


def latest_changes(user, limit=LATEST_CHANGES, organisation=None):
    """The last changes made to the records of the user's organisations (audit history), or of
    ``organisation`` alone: (history row, what changed, link or None)."""
    sources = [
        (Consultation, "body__organisation"),
        (Motion, "consultation__body__organisation"),
        (Vote, "meeting__body__organisation"),
        (Meeting, "body__organisation"),
        (Expertise, "consultation__body__organisation"),
        (ManagementResponse, "consultation__body__organisation"),
        (Demand, "consultation__body__organisation"),
        (Deployment, "organisation"),
    ]
    organisations = Organisation.objects.visible_to(user)
    if organisation is not None:
        organisations = organisations.filter(pk=organisation.pk)
    records = chain.from_iterable(
        history_rows(model, path, organisations)[:limit] for model, path in sources
    )
    latest = sorted(records, key=lambda record: record.history_date, reverse=True)[:limit]
    links = change_links(latest)
    return [(record, change_label(record), links.get(record)) for record in latest]


def history_rows(model, path, organisations):
    """The history rows of ``model``'s records of ``organisations`` (``path`` leads from a row to
    its organisation), latest first, with only what change_label() and change_links() read."""
    rows = (
        model.history.filter(**{f"{path}__in": organisations})
        .select_related("history_user")
        .only(*HISTORY_FIELDS, *label_fields(model), *link_fields(model))
    )
    if model in EXCERPTS:
        rows = rows.annotate(excerpt=Left(EXCERPTS[model], EXCERPT_LENGTH + 1))
    return rows.order_by("-history_date")


def shown(items, day_format, today=None):
    """(item, link to its consultation, its day written out) for each item: hundreds of items
    share a few dozen days, so each day is written out once rather than by a template filter per
    item, and the links come from one reverse() (links.py). With ``today``, a day of another
    year than today's gets its year ("lundi 4 janvier 2027")."""
    link, days = consultation_link(), {}
    rows = []
    for item in items:
        if item.on not in days:
            other_year = today is not None and item.on.year != today.year and "Y" not in day_format
            days[item.on] = written_date(item.on, f"{day_format} Y" if other_year else day_format)
        rows.append((item, link(item.consultation.pk), days[item.on]))
    return rows


def with_meeting_pages(rows, editable, back):
    """shown()'s rows, each with the page where its meeting's agenda or minutes is recorded
    for a meeting's step (None otherwise): the meeting's editing page, for the editors of its
    organisation (``editable``: their ids), then back to ``back`` (this page)."""
    page = link_maker("consultations:meeting-edit")
    query = "?" + urlencode({"next": back})
    return [
        (
            item,
            url,
            day,
            page(item.meeting_pk) + query
            if item.meeting_pk and item.consultation.body.organisation_id in editable
            else None,
        )
        for item, url, day in rows
    ]


@login_required
def home(request):
    today = timezone.localdate()
    scope = OrganisationScopeForm(
        request.GET, organisations=Organisation.objects.visible_to(request.user)
    )
    organisation = scope.chosen_organisation()
    all_consultations = Consultation.objects.visible_to(request.user)
    consultations = all_consultations
    if organisation is not None:
        consultations = consultations.filter(body__organisation=organisation)
    # Each date's consultation is named by its title, and by its organisation too when the
    # dates of several organisations are listed together.
    with_organisation = scope.offered and organisation is None
    items = due_items(
        consultations.current(today),
        today=today,
        end=today + timedelta(days=UPCOMING_DAYS),
        shown_with=("body__organisation",) if with_organisation else (),
        # A meeting's minutes stay due when the projects it discussed were withdrawn.
        withdrawn=consultations.withdrawn(),
    )
    upcoming = [item for item in items if not item.late]
    # Late deadlines and answers show through the consultation's state; list the other steps
    # (a decision on the council's proposals late too: no clock state says it, L2315-34).
    late_steps = [item for item in items if item.late and item.kind in LATE_STEP_KINDS]
    attention = consultations.in_clock_state(ATTENTION_STATES, today)
    needing_attention = [
        (consultation, Clock(consultation.clock))
        for consultation in attention.select_related("body__organisation").order_by(
            "-deadline_on", "-pk"
        )[:ATTENTION_SHOWN]
    ]
    # A federation's editor has hundreds of dates in the weeks to come: a page of them at a time.
    paginator = Paginator(upcoming, UPCOMING_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # And dozens of late steps: the first ones, with a link to all of them.
    all_late = request.GET.get("late") == "all"
    late_query = request.GET.copy()
    late_query["late"] = "all"
    # Asked of every user, whether or not a meeting's step is listed: the page's number of
    # queries does not then depend on its data (bench/pages.py found one more on a dataset whose
    # late steps held a meeting's).
    editable = set(Organisation.objects.editable_by(request.user).values_list("pk", flat=True))
    back = request.get_full_path()
    context = {
        "upcoming": with_meeting_pages(
            shown(page.object_list, WEEKDAY_DATE, today), editable, back
        ),
        "upcoming_count": paginator.count,
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "query_without_page": query.urlencode(),
        "with_organisation": with_organisation,
        "late_steps": with_meeting_pages(
            shown(late_steps if all_late else late_steps[:LATE_SHOWN], "d/m/Y"), editable, back
        ),
        "late_count": len(late_steps),
        "all_late_query": late_query.urlencode(),
        "needing_attention": needing_attention,
        "attention_count": attention.count(),
        "changes": latest_changes(request.user, organisation=organisation),
        "has_consultations": all_consultations.exists(),
        "scope": scope,
        "organisation": organisation,
        "is_member": request.user.is_superuser or request.user.memberships.exists(),
        # As access.is_editor_somewhere(), from the organisations already asked.
        "is_editor": request.user.is_superuser or bool(editable),
        "upcoming_days": UPCOMING_DAYS,
    }
    return render(request, "consultations/workspace.html", context)


LIST_COLUMNS = (
    "title",
    "information_received_on",
    "deadline_on",
    "body__name",
    "body__organisation__name",
    "deployment__name",
)


class ConsultationListView(LoginRequiredMixin, FilterView):
    """Every consultation the user may see, filtered in the URL, sorted, paginated."""

    filterset_class = ConsultationFilter
    template_name = "consultations/consultation_list.html"
    context_object_name = "consultations"
    paginate_by = 25
    strict = False

    def get_queryset(self):
        # The table's columns only (consultation_list.html): an AI system has some sixty fields.
        return (
            Consultation.objects.visible_to(self.request.user)
            .with_clock_state()
            .select_related("body__organisation", "deployment")
            .only(*LIST_COLUMNS)
            # Newest information first, as the filter's sort does when none is chosen: the
            # consultations without a date last, on PostgreSQL as on SQLite.
            .order_by(F("information_received_on").desc(nulls_last=True), "-pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def paginate_queryset(self, queryset, page_size):
        """A page out of range, or not a number, shows the nearest page (as the public timeline
        does) rather than a 404: a link kept from a longer list still leads somewhere."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (consultation, Clock(consultation.clock)) for consultation in context["consultations"]
        ]
        context["is_editor"] = is_editor_somewhere(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        # The column headings sort: the other filters kept, the page and the former sort not.
        context["query_without_sort"] = query_without_sort(query)
        return context

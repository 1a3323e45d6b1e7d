"""Filters of the list pages (django-filter). They live in the URL, so a link can be shared."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import (
    ATTENTION_STATES,
    NEEDS_ATTENTION,
    NEEDS_ATTENTION_LABEL,
    AIFunction,
    Body,
    Clock,
    Consultation,
    Deployment,
    Organisation,
    RiskTier,
)
from .search import matching
from .widgets import dress_filter_fields, grouped
from .wording import long_date

FLAG_LEVELS = {
    "prohibited": (_("Systèmes interdits"), {"prohibited"}),
    "high": (_("À haut risque ou interdits"), {"prohibited", "high"}),
}


class PeriodFilterForm(forms.Form):
    """A filter form whose periods, (first day's field, last day's field), end on or after
    they start: reversed dates say so under the last day rather than list nothing, and the
    period is left aside as a whole (not filtered on its first day alone); the other filters
    still apply."""

    periods = ()

    def clean(self):
        cleaned = super().clean()
        for start_name, end_name in self.periods:
            if self.has_error(start_name) or self.has_error(end_name):  # a malformed date
                cleaned.pop(start_name, None)
                cleaned.pop(end_name, None)
                continue
            start, end = cleaned.get(start_name), cleaned.get(end_name)
            if start and end and end < start:
                self.add_error(
                    end_name,
                    _("Cette date précède le début de la période (%(start)s) : inversez-les.")
                    % {"start": long_date(start)},
                )
                cleaned.pop(start_name, None)
        return cleaned


class ConsultationFilterForm(PeriodFilterForm):
    periods = (("received_after", "received_before"),)


class TimelineFilterForm(PeriodFilterForm):
    periods = (("start", "end"),)


class DeploymentFactsFilterMixin:
    """Filters on the AI system's facts, for lists of consultations or of systems:
    ``deployment_path`` leads from the listed record to its system ("deployment" or "pk")."""

    deployment_path = "deployment"

    def filter_function(self, queryset, name, value):
        """Records whose system has ``value`` among its functions."""
        with_function = Deployment.objects.with_function(value)
        return queryset.filter(**{f"{self.deployment_path}__in": with_function})

    def filter_flag_level(self, queryset, name, value):
        """Consultations (or deployments) whose system raises a flag of that level."""
        severities = FLAG_LEVELS[value][1]
        flagged = Deployment.objects.filter(
            pk__in=queryset.values(self.deployment_path)
        ).with_flag_severity(severities)
        return queryset.filter(**{f"{self.deployment_path}__in": flagged})


class SortFilter(django_filters.OrderingFilter):
    """The sort of a list (its column headings, "Trier par"): the order chosen, then ``then``, so
    that rows that tie keep one order from page to page; the dates named in ``nulls_last`` put
    the rows without one last, on PostgreSQL as on SQLite (which disagree by default)."""

    def __init__(self, *args, then=(), nulls_last=(), **kwargs):
        # No sort chosen is the list's own order, not "any" (FILTERS_EMPTY_CHOICE_LABEL).
        kwargs.setdefault("empty_label", _("Par défaut"))
        super().__init__(*args, **kwargs)
        self.then, self.nulls_last = tuple(then), frozenset(nulls_last)

    def get_ordering_value(self, param):
        return self.ordering_for(super().get_ordering_value(param))

    def ordering_for(self, value):
        """``value`` ("-field" or "field") for order_by(), the rows without a date last."""
        name = value.removeprefix("-")
        if name not in self.nulls_last:
            return value
        field = F(name)
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        """The order chosen, then ``then``; ``then`` alone when none is chosen (the list's
        default order, rows without a date last there too)."""
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        return qs.order_by(*ordering, *(self.ordering_for(name) for name in self.then))


def flag_level_filter():
    return django_filters.ChoiceFilter(
        label=_("Signalements"),
        choices=[(key, label) for key, (label, _levels) in FLAG_LEVELS.items()],
        method="filter_flag_level",
    )


class SearchLastMixin:
    """The search (``q``) applied after the other filters. PostgreSQL tests a row's conditions
    of equal cost in the order they are written: last, the searched texts (long, some stored out
    of line) are read only for the rows the other filters keep (bench/pages.py: 6 → 2 ms for the
    count of the running consultations searched)."""

    def filter_queryset(self, queryset):
        for name, value in sorted(self.form.cleaned_data.items(), key=lambda item: item[0] == "q"):
            queryset = self.filters[name].filter(queryset, value)
        return queryset


class ConsultationFilter(SearchLastMixin, DeploymentFactsFilterMixin, django_filters.FilterSet):
    """The workspace list of consultations; the choices offered are the user's own records."""

    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        help_text=_("Intitulés, résumés et motions ; accents et majuscules ignorés."),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="body__organisation",
        queryset=Organisation.objects.none(),
    )
    body = django_filters.ModelChoiceFilter(label=_("Instance"), queryset=Body.objects.none())
    deployment = django_filters.ModelChoiceFilter(
        label=_("Système d'IA"), queryset=Deployment.objects.none()
    )
    clock = django_filters.ChoiceFilter(
        label=_("État du délai"),
        choices=[
            *Clock.choices,
            (NEEDS_ATTENTION, NEEDS_ATTENTION_LABEL),
        ],
        method="filter_clock",
    )
    function = django_filters.ChoiceFilter(
        label=_("Fonction de l'IA"), choices=AIFunction.choices, method="filter_function"
    )
    risk_tier = django_filters.ChoiceFilter(
        label=_("Risque (AI Act)"),
        field_name="deployment__risk_tier",
        choices=[choice for choice in RiskTier.choices if choice[0]],
    )
    flag_level = flag_level_filter()
    received_after = django_filters.DateFilter(
        label=_("Informations reçues depuis le"),
        field_name="information_received_on",
        lookup_expr="gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    received_before = django_filters.DateFilter(
        label=_("jusqu'au"),
        field_name="information_received_on",
        lookup_expr="lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    sort = SortFilter(
        label=_("Trier par"),
        then=("-information_received_on", "-pk"),
        nulls_last=("information_received_on", "deadline_on"),
        fields=[
            ("information_received_on", "received"),
            ("deadline_on", "deadline"),
            ("title", "title"),
            ("body__organisation__name", "organisation"),
        ],
        field_labels={
            "information_received_on": _("Date des informations"),
            "deadline_on": _("Fin du délai d'avis"),
            "title": _("Intitulé"),
            "body__organisation__name": _("Organisation"),
            # django-filter writes the descending labels when the class is defined, in the
            # language of that moment: given here, they follow the reader's language.
            "-received": _("Date des informations (décroissant)"),
            "-deadline": _("Fin du délai d'avis (décroissant)"),
            "-title": _("Intitulé (décroissant)"),
            "-organisation": _("Organisation (décroissant)"),
        },
    )

    class Meta:
        model = Consultation
        fields = []
        form = ConsultationFilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = Organisation.objects.visible_to(user)
        self.filters["body"].queryset = Body.objects.visible_to(user).select_related("organisation")
        self.filters["deployment"].queryset = Deployment.objects.visible_to(user).select_related(
            "organisation"
        )
        dress_filter_fields(self.form)

    def search(self, queryset, name, value):
        """Every word typed starts a word of the title, the summary, or a motion's title or
        text, accents, capitals and punctuation aside (Consultation.search_text,
        consultations/search.py)."""
        return matching(queryset, value)

    def filter_clock(self, queryset, name, value):
        states = ATTENTION_STATES if value == NEEDS_ATTENTION else Clock(value)
        return queryset.in_clock_state(states)


def keep(queryset, name, value):
    """For the filters that select timeline entries rather than consultations: the view reads
    them from the form's cleaned data."""
    return queryset


class PublicTimelineFilter(DeploymentFactsFilterMixin, django_filters.FilterSet):
    """Filters of the public timeline. The choices offered are published records only."""

    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="body__organisation",
        queryset=Organisation.objects.none(),
    )
    deployment = django_filters.ModelChoiceFilter(
        label=_("Système d'IA"), queryset=Deployment.objects.none()
    )
    # The council consulted: never a CSSCT, which prepares the CSE's work but is not consulted
    # (L2315-38); its meetings show under the CSE's consultations.
    body_kind = django_filters.ChoiceFilter(
        label=_("Instance"),
        field_name="body__kind",
        choices=[choice for choice in Body.Kind.choices if choice[0] != Body.Kind.CSSCT],
    )
    kind = django_filters.ChoiceFilter(label=_("Type d'étape"), choices=[], method=keep)
    function = django_filters.ChoiceFilter(
        label=_("Fonction de l'IA"), choices=AIFunction.choices, method="filter_function"
    )
    risk_tier = django_filters.ChoiceFilter(
        label=_("Risque (AI Act)"),
        field_name="deployment__risk_tier",
        choices=[choice for choice in RiskTier.choices if choice[0]],
    )
    flag_level = flag_level_filter()
    start = django_filters.DateFilter(
        label=_("Du"), method=keep, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("Au"), method=keep, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Consultation
        fields = []
        form = TimelineFilterForm

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        published = Consultation.objects.published()
        organisations = Organisation.objects.filter(
            Exists(published.filter(body__organisation=OuterRef("pk")))
        )
        deployments = Deployment.objects.filter(Exists(published.filter(deployment=OuterRef("pk"))))
        self.filters["organisation"].queryset = organisations
        self.filters["deployment"].queryset = deployments
        self.filters["kind"].extra["choices"] = [(kind.value, kind.label) for kind in kinds]
        dress_filter_fields(self.form, options=self.published_options(deployments))

    @staticmethod
    def published_options(deployments):
        """The drop-downs of organisations and AI systems with a published consultation, read in
        one query (an organisation publishes through one of its systems); the systems grouped
        by organisation."""
        rows = list(
            deployments.order_by("organisation__name", "organisation", "name", "pk").values_list(
                "organisation__name", "organisation", "pk", "name"
            )
        )
        organisations = {organisation: name for name, organisation, _pk, _system in rows}
        return {"organisation": list(organisations.items()), "deployment": grouped(rows)}

    ENTRY_OPTIONS = ("kind", "start", "end")

    def applied_data(self) -> dict:
        """The filters the page applies: every valid one, as filterset.qs does for the
        consultations; an invalid value (or a period with reversed or malformed dates,
        PeriodFilterForm) is left aside, and the form shows its error. {} when unbound."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def narrows_consultations(self) -> bool:
        """Whether a filter other than the entry kind and the period is chosen."""
        return any(
            value not in (None, "", [], ())
            for name, value in self.applied_data().items()
            if name not in self.ENTRY_OPTIONS
        )

    def entry_options(self):
        """The entry kind and the period chosen, for timeline_entries()."""
        data = self.applied_data()
        kind = data.get("kind")
        return {
            "kinds": [kind] if kind else None,
            "start": data.get("start"),
            "end": data.get("end"),
        }


class DeploymentFilter(SearchLastMixin, DeploymentFactsFilterMixin, django_filters.FilterSet):
    """The register of AI systems."""

    deployment_path = "pk"

    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        help_text=_("Noms, fournisseurs et descriptions ; accents et majuscules ignorés."),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    risk_tier = django_filters.ChoiceFilter(
        label=_("Risque (AI Act)"), choices=[choice for choice in RiskTier.choices if choice[0]]
    )
    function = django_filters.ChoiceFilter(
        label=_("Fonction de l'IA"), choices=AIFunction.choices, method="filter_function"
    )
    flag_level = flag_level_filter()
    sort = SortFilter(
        label=_("Trier par"),
        then=("organisation__name", "name", "pk"),
        nulls_last=("actual_go_live",),
        fields=[
            ("name", "system"),
            ("organisation__name", "organisation"),
            ("actual_go_live", "go_live"),
        ],
        field_labels={
            "name": _("Système"),
            "organisation__name": _("Organisation"),
            "actual_go_live": _("Mise en service"),
            # As in ConsultationFilter: given here, they follow the reader's language.
            "-system": _("Système (décroissant)"),
            "-organisation": _("Organisation (décroissant)"),
            "-go_live": _("Mise en service (décroissant)"),
        },
    )

    class Meta:
        model = Deployment
        fields = []

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = organisations
        dress_filter_fields(self.form)

    def search(self, queryset, name, value):
        """Every word typed starts a word of the name, the vendor or the description, accents,
        capitals and punctuation aside (Deployment.search_text, consultations/search.py)."""
        return matching(queryset, value)


class OrganisationScopeForm(forms.Form):
    """The workspace and the calendar feed narrowed to one of the user's organisations: a
    federation's editor follows dozens of companies, and their dates due run to hundreds.
    Offered to members of several organisations only; like the list filters, it lives in the
    URL."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Toutes mes organisations"),
    )

    def __init__(self, data, *, organisations):
        super().__init__(data or None)
        self.fields["organisation"].queryset = organisations
        self.options = list(organisations.order_by("name", "pk").values_list("pk", "name"))
        dress_filter_fields(self, options={"organisation": self.options})

    @property
    def offered(self) -> bool:
        """Whether the user has organisations to choose between."""
        return len(self.options) > 1

    def chosen_organisation(self):
        """The organisation chosen, or None: all of them, or a choice that is not the user's
        (the form then shows its error)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["organisation"]

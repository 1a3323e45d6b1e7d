"""The Django admin, for superusers and for the editors of each organisation.

Editors see and change only their organisations' records (consultations/models/scoping.py);
every list has filters and search, every record its history (django-simple-history).
"""

import datetime
from contextlib import contextmanager

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MinValueValidator
from django.db import DataError, models
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .forms import (
    DEPLOYMENT_AI_ACT_FIELDS,
    DEPLOYMENT_EMOTION_FIELDS,
    DEPLOYMENT_GDPR_FIELDS,
    DEPLOYMENT_NOTES_FIELDS,
    DEPLOYMENT_SYSTEM_FIELDS,
    AdminSignInForm,
    BoundedModelMultipleChoiceField,
    ConsultationAdminForm,
    DeploymentAdminForm,
    ManagementResponseForm,
    MeetingAdminForm,
    VoteAdminForm,
    validate_plausible_date,
)
from .models import (
    ATTENTION_STATES,
    NEEDS_ATTENTION,
    NEEDS_ATTENTION_LABEL,
    Body,
    CalendarToken,
    Clock,
    ClockStop,
    Consultation,
    Demand,
    Deployment,
    Document,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Membership,
    Motion,
    Organisation,
    ReminderSent,
    TimelineEntry,
    Vote,
)
from .models.consultation import CLOCK_BADGE_CLASSES, LegalBasis
from .models.deployment import AIFunction, Art50Duty
from .rules.clock import StepState
from .search import matching, query_words
from .views.access import can_edit, is_editor_somewhere
from .wording import explanation, of_noun_in_french, written_date

admin.site.site_header = _("Vigie — administration")
admin.site.site_title = _("Vigie")
admin.site.index_title = _("Consultations du CSE sur les systèmes d'IA")
# No menu of every model beside each page: on a 1280-pixel screen it pushed the lists' last
# columns out of view, and the breadcrumbs and the index lead to the same places.
admin.site.enable_nav_sidebar = False
# The sign-in form's maximum length enforced, as on the site's (forms.SignInForm).
admin.site.login_form = AdminSignInForm


class ScopedFormFieldsMixin:
    """Offer in the drop-downs only the records the user may edit; refuse implausible dates,
    negative amounts and ids the database cannot hold, with a message (never a 500)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.DateField) and validate_plausible_date not in field.validators:
            field.validators.append(validate_plausible_date)
        if isinstance(field, forms.DecimalField) and field.min_value is None:
            # An expert's costs: refused beside the field in words, as on the site's forms,
            # rather than by the database's check, named, at the top of the page.
            field.min_value = 0
            field.validators.append(MinValueValidator(0))
            field.widget.attrs.setdefault("min", "0")
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Vote:
            field.queryset = field.queryset.select_related("meeting")
            field.label_from_instance = vote_choice_label
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @staticmethod
    def _scope_choices(db_field, request, kwargs):
        """The records the user may edit; within the narrower choice an inline gave, if any
        (a consultation's own votes for its motions), rather than in its place."""
        manager = db_field.related_model._default_manager
        if request.user.is_superuser or not hasattr(manager, "editable_by"):
            return
        editable = manager.editable_by(request.user)
        given = kwargs.get("queryset")
        kwargs["queryset"] = editable if given is None else given.filter(pk__in=editable)


def vote_choice_label(vote, length=90):
    """A vote in a drop-down (a motion's adopting vote, an expert's appointing vote): its
    subject and day, then the question put, which tells apart the motions voted at one
    meeting."""
    if not vote.question:
        return str(vote)
    return f"{vote} — {Truncator(vote.question).chars(length)}"


def vote_and_consultation_label(vote):
    """A vote in the drop-down of a new motion or expertise, whose consultation is not chosen
    yet: the votes of several consultations, each named with its consultation's title, short
    (found by an editor's QA pass: « Motion ou résolution — 10 novembre 2025 — … » from every
    organisation, told apart by nothing)."""
    label = vote_choice_label(vote, length=60)
    if vote.consultation_id is None:
        return label
    return gettext("« %(consultation)s » : %(vote)s") % {
        "consultation": Truncator(vote.consultation.title).chars(40),
        "vote": label,
    }


@contextmanager
def _lookup_errors():
    try:
        yield
    except (OverflowError, ValueError, DataError) as error:
        raise IncorrectLookupParameters(error) from error


class SafeChangeList(ChangeList):
    """A list whose query string names a number or a year the database or Python cannot hold
    (``?body=99999999999999999999``, ``?held_on__year=99999``) is an incorrect lookup: the admin
    then shows the list unfiltered with its usual notice, never a 500."""

    def get_filters(self, request):
        with _lookup_errors():
            return super().get_filters(request)

    def get_results(self, request):
        with _lookup_errors():
            return super().get_results(request)


class FoldedSearchMixin:
    """The admin's search as the site's (consultations/search.py): every word typed starts a
    word of one of ``folded_search_fields``, accents and capitals aside; or Django's own search
    of ``search_fields``, the names of the council or organisation, as typed."""

    folded_search_fields = ("search_text",)

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if not query_words(search_term):
            return found, duplicates
        return found | matching(queryset, search_term, self.folded_search_fields), duplicates


def link_models():
    """The tables Django creates for the app's many-to-many fields (a meeting's agenda, the
    motions an answer answers): links between records, not records."""
    return [
        field.remote_field.through
        for model in apps.get_app_config("consultations").get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def unlisted_models():
    """What the page confirming a deletion leaves out: the links (link_models()) and the rows of
    the timeline index, computed from the records and rebuilt with them (« Étape de la frise
    (index) : 2025-03-03 information 1 » meant nothing to a reader)."""
    return [*link_models(), TimelineEntry]


def without_links(items, prefixes):
    """The nested list of get_deleted_objects() without the lines starting with ``prefixes``
    (a link has nothing deleted with it, so no sub-list follows its line)."""
    kept = []
    for item in items:
        if isinstance(item, list):
            item = without_links(item, prefixes)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


# The codes stored as JSON lists (forms.ChoiceListField), by field.
CHOICE_LISTS = {"legal_bases": LegalBasis, "functions": AIFunction, "art50_duties": Art50Duty}


def history_value(field, value):
    """A value in a record's history as its page writes it: the choice's label, not its code
    (« Défavorable », not « unfavourable »); a date as the lists write it; « — » for nothing,
    not « None »."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("oui") if value else gettext("non")
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return written_date(value, "d/m/Y")
    labels = dict(CHOICE_LISTS[field.name].choices) if field.name in CHOICE_LISTS else None
    if labels is not None and isinstance(value, list):
        return ", ".join(str(labels.get(code, code)) for code in value)
    if field.choices and not isinstance(value, list):
        return dict(field.flatchoices).get(value, value)
    return value


class HistoryValues(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return history_value(self.model._meta.get_field(change.field), value)


FILE_TO_CHOOSE_AGAIN = _(
    "Le fichier, lui, est à choisir à nouveau : un navigateur ne le garde pas d'un envoi à l'autre."
)


class ScopedAdmin(ScopedFormFieldsMixin, SimpleHistoryAdmin):
    """A model admin limited to the organisations where the user is an editor."""

    superuser_only = False

    def get_deleted_objects(self, objs, request):
        """The page confirming a deletion lists the records deleted with it, not the links that
        go too: Django wrote a meeting taken off an agenda as « Relation meeting-consultation :
        Meeting_consultations object (3) », and counted those lines in the summary. Its lines
        for a model without an admin page read "<verbose name>: <record>". Nor the rows of the
        timeline index (unlisted_models())."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [model._meta for model in unlisted_models()]
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        names = {str(opts.verbose_name_plural) for opts in links}
        counts = {name: count for name, count in counts.items() if str(name) not in names}
        return without_links(deleted, prefixes), counts, perms_needed, protected

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def elided_title(self, request, context, add, obj):
        """The page's title, in French with the article elided: Django's French admin titles
        « Ajout de %s », « Modification de %s », « Affichage de %s » whatever the name, and read
        « Modification de expertise », « Ajout de organisation ». Other languages keep Django's
        title (the choice between the three is Django's, ModelAdmin._changeform_view)."""
        if not (get_language() or "").startswith("fr"):
            return context["title"]
        if add:
            action = "Ajout"
        elif self.has_change_permission(request, obj):
            action = "Modification"
        else:
            action = "Affichage"
        return f"{action} {of_noun_in_french(self.opts.verbose_name)}"

    def render_change_form(self, request, context, *args, **kwargs):
        """A page sent back refused says, beside each file that was chosen, to choose it again,
        as the site's upload page does: a browser does not keep it, and the admin lost it
        without a word (found by an editor's QA pass, on a document added with a new
        consultation). Only a refused page is shown again after it was sent. The title is
        written with its article elided in French (elided_title)."""
        if request.method == "POST" and request.FILES:
            forms_shown = [context["adminform"].form] + [
                form
                for inline in context.get("inline_admin_formsets", [])
                for form in inline.formset.forms
            ]
            for form in forms_shown:
                for name, field in form.fields.items():
                    if (
                        isinstance(field, forms.FileField)
                        and form.add_prefix(name) in request.FILES
                    ):
                        form.add_error(name, FILE_TO_CHOOSE_AGAIN)
        # Django passes add and obj by name (ModelAdmin._changeform_view).
        context["title"] = self.elided_title(
            request, context, kwargs.get("add", False), kwargs.get("obj")
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def get_changelist(self, request, **kwargs):
        return SafeChangeList

    def get_list_filter(self, request):
        """A filter on a related record (an organisation, a council) offers only the records
        the user's own lists hold: an editor never reads the names of other organisations."""
        filters = []
        for entry in super().get_list_filter(request):
            if isinstance(entry, str) and self._is_relation(entry):
                entry = (entry, admin.RelatedOnlyFieldListFilter)
            filters.append(entry)
        return filters

    def _is_relation(self, path):
        try:
            return get_fields_from_path(self.model, path)[-1].is_relation
        except FieldDoesNotExist:
            return False

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        """A record outside the user's organisations is not found (404), as in the workspace,
        rather than forbidden, which would tell that it exists."""
        self._get_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        self._get_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _get_in_scope(self, request, object_id):
        if self.get_object(request, object_id) is None:
            raise Http404

    def has_module_permission(self, request):
        if self.superuser_only:
            return request.user.is_superuser
        return is_editor_somewhere(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ScopedInline(ScopedFormFieldsMixin, admin.TabularInline):
    """An inline that follows its parent's permissions."""

    extra = 0
    show_change_link = True
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }

    def _parent_editable(self, request, obj):
        if not is_editor_somewhere(request.user):
            return False
        return obj is None or can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_editable(request, obj)


# --- Organisations, bodies, members -------------------------------------------------------


class BodyInline(ScopedInline):
    model = Body
    fk_name = "organisation"
    fields = ["kind", "name", "parent", "seats"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "siren", "headcount"]
    search_fields = ["name", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BodyInline, MembershipInline]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    superuser_only = True
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ["name", "kind", "organisation", "parent", "seats"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "parent"]
    fieldsets = [
        (None, {"fields": ["organisation", "kind", "name", "parent", "seats", "secretary_title"]}),
        (
            _("Délais fixés par accord collectif (L2312-16)"),
            {"fields": ["agreed_days_without_expert", "agreed_days_with_expert"]},
        ),
    ]


# --- AI systems -----------------------------------------------------------------------------


@admin.register(Deployment)
class DeploymentAdmin(FoldedSearchMixin, ScopedAdmin):
    form = DeploymentAdminForm
    list_display = [
        "name",
        "organisation",
        "vendor",
        "risk_tier",
        "planned_go_live",
        "actual_go_live",
    ]
    list_filter = [
        "risk_tier",
        "annex_iii",
        "emotion_subject",
        "recording_mode",
        "dpia_status",
        "organisation",
    ]
    search_fields = ["organisation__name"]  # and the name, vendor and description, folded
    list_select_related = ["organisation"]
    date_hierarchy = "planned_go_live"
    # The same groups, in the same order, as the workspace form (forms.py).
    fieldsets = [
        (_("Le système"), {"fields": DEPLOYMENT_SYSTEM_FIELDS}),
        (
            _("Reconnaissance des émotions (AI Act art. 5(1)(f))"),
            {"fields": DEPLOYMENT_EMOTION_FIELDS},
        ),
        (_("Classement AI Act"), {"fields": DEPLOYMENT_AI_ACT_FIELDS}),
        (_("Données personnelles (RGPD, CNIL)"), {"fields": DEPLOYMENT_GDPR_FIELDS}),
        (_("Notes"), {"fields": [*DEPLOYMENT_NOTES_FIELDS, "version"]}),
    ]


# --- Consultations and what happens in them ----------------------------------------------------


class VoteWarningsMixin:
    """After a save, warns of the votes it created or changed that are off their meeting's
    agenda (Vote.off_agenda_warning: they may be annulled, L2315-29) or held before their
    consultation's information (Vote.before_information_warnings: the period runs from it,
    R2312-5, L2312-15). Warnings, not refusals: the vote may be directly linked to an item on
    the agenda, the information given at that very meeting, which only the editor can tell.

    Only what this save touched, so that an editor is told once, not again at each save of the
    record (found by a QA pass as a union editor: the same warnings came back on every save):
    the votes it added, those whose meeting or consultation it changed, and all the record's
    votes when one of its own fields that they hang on changed (``agenda_fields``: a meeting's
    agenda; ``information_fields``: a meeting's day, a consultation's T0). Each message once."""

    agenda_fields = ()
    information_fields = ()
    # A vote's own fields that place it: its meeting (and its day) and its consultation.
    VOTE_FIELDS = {"meeting", "consultation"}

    def votes_saved(self, obj):
        """The votes the saved record holds."""
        raise NotImplementedError

    def votes_touched(self, form, formsets, change, fields):
        """The record's votes this save added or placed anew, or all of them if it added the
        record or changed one of ``fields``."""
        votes = self.votes_saved(form.instance)
        if not change or set(fields) & set(form.changed_data):
            return votes
        touched = set()
        for formset in formsets:
            if formset.model is not Vote:
                continue
            touched.update(vote.pk for vote in getattr(formset, "new_objects", ()))
            touched.update(
                vote.pk
                for vote, changed in getattr(formset, "changed_objects", ())
                if self.VOTE_FIELDS & set(changed)
            )
        return votes.filter(pk__in=touched)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        off_agenda = self.votes_touched(form, formsets, change, self.agenda_fields).off_agenda()
        warnings = [
            vote.off_agenda_warning()
            for vote in off_agenda.select_related("meeting", "consultation").order_by(
                "meeting__held_on", "pk"
            )
        ]
        early = self.votes_touched(form, formsets, change, self.information_fields)
        warnings += Vote.before_information_warnings(
            early.before_information().select_related("meeting", "consultation")
        )
        for warning in dict.fromkeys(warnings):  # two votes of one day and subject: said once
            messages.warning(request, warning)


def appointing_vote_choices(consultation_id):
    """An expertise's appointing vote: among its consultation's adopted votes appointing an
    expert (and those its expertises are linked to, which their own check judges). The
    employer's 10 days to contest the need for the expertise run from it (R2315-49)."""
    return Vote.objects.fit_to_appoint_expert_of(
        consultation_id,
        keeping=Expertise.objects.filter(
            consultation=consultation_id, appointing_vote__isnull=False
        ).values("appointing_vote"),
    )


def adopting_vote_choices(consultation_id):
    """A motion's adopting vote: among its consultation's votes (and those its motions are
    linked to, which their own check judges: a vote recorded without a consultation)."""
    return Vote.objects.filter(
        models.Q(consultation=consultation_id) | models.Q(motion__consultation=consultation_id)
    )


def answered_motion_choices(consultation_id):
    """An answer's motions: its consultation's."""
    return Motion.objects.filter(consultation=consultation_id)


def settling_answer_choices(consultation_id):
    """A demand's settling answer: among its consultation's answers."""
    return ManagementResponse.objects.filter(consultation=consultation_id)


class OwnChoicesMixin:
    """Drop-downs and lists that offer a consultation's own records: ``own_choices`` names
    them, each with the function of the consultation's id that gives them; ``own_queryset()``
    says what a page offers (the user's scope still applies: ScopedFormFieldsMixin)."""

    own_choices = {}

    def own_queryset(self, db_field, request, choices):
        """The records the field offers, or None to leave it as it is."""
        raise NotImplementedError

    def _own_choices(self, db_field, request, kwargs):
        choices = self.own_choices.get(db_field.name)
        if choices is not None:
            queryset = self.own_queryset(db_field, request, choices)
            if queryset is not None:
                kwargs["queryset"] = queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._own_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._own_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ConsultationPartInline(OwnChoicesMixin, ScopedInline):
    """Inlines of the consultation page; remembers the consultation for their drop-downs.

    ``own_choices`` names the drop-downs that offer the consultation's own records (a motion's
    adopting vote, a demand's settling answer): none on the page adding a consultation, which
    has none yet (that page offered every answer of every organisation, found by an editor's
    QA pass)."""

    def get_formset(self, request, obj=None, **kwargs):
        request.vigie_consultation = obj
        return super().get_formset(request, obj, **kwargs)

    def own_queryset(self, db_field, request, choices):
        consultation = getattr(request, "vigie_consultation", None)
        if consultation is None:
            return db_field.related_model._default_manager.none()
        return choices(consultation.pk)


class ClockStopInline(ConsultationPartInline):
    model = ClockStop
    fields = ["starts_on", "ends_on", "reason", "note"]


# The consultation's inlines too wide for one row each at 1280 pixels (the page was 2237 pixels
# wide, « Adoptée le », « Numéro », « Publiée » and « Supprimer ? » out of view: found by an
# editor's QA pass) are stacked, one block per record, as its votes; the short fields side by
# side, which wrap on a narrower screen.
STACKED = "admin/edit_inline/stacked.html"


class ExpertiseInline(ConsultationPartInline):
    model = Expertise
    template = STACKED
    fields = [
        ("ground", "expert_firm"),
        ("appointing_vote", "designated_on"),
        ("report_delivered_on", "contested_on"),
    ]
    # Found by a union official's QA pass: without this field, an expertise added here was
    # linked to no vote.
    own_choices = {"appointing_vote": appointing_vote_choices}


class VoteResultMixin:
    @admin.display(description=_("résultat"))
    def result_display(self, vote):
        return (vote.result_label if vote.pk else "") or "—"


class VoteInline(VoteResultMixin, ConsultationPartInline):
    model = Vote
    form = VoteAdminForm
    template = "admin/edit_inline/stacked.html"  # ten fields: one vote per block reads better
    fields = [
        "meeting",
        "subject",
        "question",
        "votes_for",
        "votes_against",
        "abstentions",
        "blank_votes",
        "voting_members_present",
        "secret_ballot",
        "result_display",
    ]
    readonly_fields = ["result_display"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        consultation = getattr(request, "vigie_consultation", None)
        if db_field.name == "meeting" and consultation is not None:
            kwargs["queryset"] = Meeting.objects.filter(
                body__organisation=consultation.body.organisation_id
            ).select_related("body")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MotionReferenceMixin:
    @admin.display(description=_("numéro"))
    def reference_display(self, motion):
        # The model's property would be headed « Reference », its name, in every language.
        return motion.reference


class MotionInline(MotionReferenceMixin, ConsultationPartInline):
    model = Motion
    template = STACKED
    fields = [
        ("kind", "reference_display", "published"),
        "title",
        ("adopting_vote", "adopted_on"),
    ]
    readonly_fields = ["reference_display"]
    own_choices = {"adopting_vote": adopting_vote_choices}


class ManagementResponseInline(ConsultationPartInline):
    model = ManagementResponse
    form = ManagementResponseForm
    template = STACKED
    fields = [("received_on", "channel", "stance"), "motions", "text"]
    own_choices = {"motions": answered_motion_choices}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """The motions answered as boxes to tick: in a list, a click without Ctrl unselected
        those chosen before, without a word (found by an editor's QA pass)."""
        if db_field.name == "motions":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "motions" and field is not None:
            # No « + » beside the boxes: a motion added there would not appear among them (the
            # admin's script adds it to a list only), nor belong to this consultation.
            field.widget.can_add_related = False
        return field


class DemandInline(ConsultationPartInline):
    model = Demand
    fields = ["text", "status", "settled_by"]
    own_choices = {"settled_by": settling_answer_choices}


class DocumentFileInput(AdminFileWidget):
    """A document's file as the admin shows it: linked to the download that checks who asks
    (views/exports.document_download), not to its path under MEDIA_URL, which no one serves.
    A link there was a 404, and invited serving the media folder, where anyone could read the
    confidential documents at an address made of the consultation's id and the file's name
    (found by a security review)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = DocumentDownload(value)
        return context


class DocumentDownload:
    """What the widget's template reads of a saved file: its name and where it is downloaded."""

    def __init__(self, file):
        self.name = file.name.rsplit("/", 1)[-1]
        self.url = reverse("consultations:document-download", args=[file.instance.pk])

    def __str__(self):
        return self.name


DOCUMENT_FILE_WIDGET = {models.FileField: {"widget": DocumentFileInput}}


class DocumentInline(ConsultationPartInline):
    model = Document
    formfield_overrides = {**ScopedInline.formfield_overrides, **DOCUMENT_FILE_WIDGET}
    template = STACKED
    fields = [
        ("kind", "dated_on"),
        "title",
        "file",
        ("confidential", "confidentiality_justification"),
    ]


class EventInline(ConsultationPartInline):
    model = Event
    fk_name = "consultation"
    fields = ["occurred_on", "kind", "title", "public"]


STEP_STATE_LABELS = {
    StepState.PENDING: _("À venir"),
    StepState.MET: _("Fait"),
    StepState.MET_LATE: _("Fait en retard"),
    StepState.LATE: _("En retard"),
    StepState.LAPSED: _("Délai passé (facultatif)"),
}


def clock_badge(state):
    return format_html('<span class="{}">{}</span>', CLOCK_BADGE_CLASSES[state], state.label)


def steps_table(steps):
    """A small table of dated steps: what, due on, explanation, state."""
    if not steps:
        return "—"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                step.label,
                step.due.date.strftime("%d/%m/%Y"),
                explanation(step.due),
                STEP_STATE_LABELS[step.state]
                + (f" ({step.met_on.strftime('%d/%m/%Y')})" if step.met_on else ""),
            )
            for step in steps
        ),
    )
    return format_html('<table class="vigie-steps"><tbody>{}</tbody></table>', rows)


class ClockStateFilter(admin.SimpleListFilter):
    title = _("état du délai")
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return [*Clock.choices, (NEEDS_ATTENTION, NEEDS_ATTENTION_LABEL)]

    def queryset(self, request, queryset):
        if self.value() == NEEDS_ATTENTION:
            return queryset.in_clock_state(ATTENTION_STATES)
        if self.value() in Clock.values:
            return queryset.in_clock_state(Clock(self.value()))
        return queryset


class RecordedOpinionFilter(admin.ChoicesFieldListFilter):
    """The opinion as recorded: next to the clock's "Avis réputé négatif", which counts the
    periods run out too, its title says that it reads the record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("avis enregistré")


@admin.register(Consultation)
class ConsultationAdmin(FoldedSearchMixin, VoteWarningsMixin, ScopedAdmin):
    form = ConsultationAdminForm
    # Six columns, so that the list fits a 1280-pixel screen beside its filters: the
    # organisation over its council, the clock's state over the opinion.
    list_display = [
        "title",
        "organisation_display",
        "deployment_display",
        "received_display",
        "clock_display",
        "visibility",
    ]
    list_filter = [
        ClockStateFilter,
        "visibility",
        "status",
        ("opinion", RecordedOpinionFilter),
        "body__kind",
        "body__organisation",
    ]
    # The title, summary and motions, and the AI system, folded (FoldedSearchMixin); the names.
    folded_search_fields = ("search_text", "deployment__search_text")
    search_fields = ["body__name", "body__organisation__name"]
    list_select_related = ["body__organisation", "deployment"]
    date_hierarchy = "information_received_on"
    # A federation keeps thousands: pages of 50, and no second COUNT of the whole table for
    # "N results (M total)" (Django's advice for large tables).
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "body",
                    "deployment",
                    "legal_bases",
                    "two_level",
                    "expertise_at_other_level",
                    "status",
                    "version",  # hidden: a save over another one is refused (edit_conflicts)
                ]
            },
        ),
        (
            _("Information et délai"),
            {
                "fields": [
                    "information_received_on",
                    "central_information_received_on",
                    "establishment_opinions_received_on",
                    "clock_display",
                    "deadline_display",
                    "answer_due_display",
                ]
            },
        ),
        (_("Avis"), {"fields": ["opinion", "opinion_on"]}),
        (_("Publication"), {"fields": ["visibility", "summary", "internal_notes"]}),
    ]
    inlines = [
        ClockStopInline,
        ExpertiseInline,
        VoteInline,
        MotionInline,
        ManagementResponseInline,
        DemandInline,
        DocumentInline,
        EventInline,
    ]

    readonly_fields = ["clock_display", "deadline_display", "answer_due_display"]

    # T0 moved after some of its votes' meetings (the vote on the opinion is refused, by
    # Consultation.clean, beside the field).
    information_fields = ("information_received_on",)

    def votes_saved(self, consultation):
        return consultation.votes.all()

    def save_related(self, request, form, formsets, change):
        """Saved, then warned of an opinion dated after the period ran out (found by an admin QA
        pass: it was accepted without a word, and the badge turned from « Avis réputé négatif »
        to « Avis rendu »), and of an opinion recorded with no vote on it. Read again with its
        clock facts: the inlines may have just added an expertise or a suspension that moves
        the last day, or the vote."""
        super().save_related(request, form, formsets, change)
        consultation = Consultation.objects.with_clock_facts().get(pk=form.instance.pk)
        for warning in consultation.opinion_warnings():
            messages.warning(request, warning)

    def get_queryset(self, request):
        # The clock state in SQL (Consultation.objects.with_clock_state), not per row in Python;
        # not the searched text, a copy of the motions that no admin page shows.
        return super().get_queryset(request).with_clock_state().defer("search_text")

    def get_form(self, request, obj=None, **kwargs):
        request.vigie_consultation = obj
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "body" and field is not None:
            consultation = getattr(request, "vigie_consultation", None)
            keeping = consultation.body_id if consultation is not None else None
            field.queryset = field.queryset.able_to_give_opinions(keeping=keeping)
        return field

    @admin.display(description=_("organisation et instance"), ordering="body__organisation__name")
    def organisation_display(self, consultation):
        body = consultation.body
        return format_html("{}<br><small>{}</small>", body.organisation, body)

    @admin.display(description=_("informations reçues"), ordering="information_received_on")
    def received_display(self, consultation):
        # A short heading for T0, the start of the period (the form says it in full); the day
        # written as the site's lists write it.
        received = consultation.information_received_on
        return written_date(received, "d/m/Y") if received else "—"

    @admin.display(description=_("système d'IA"), ordering="deployment__name")
    def deployment_display(self, consultation):
        # Its name only: the organisation is in the column before.
        return consultation.deployment.name

    @admin.display(description=_("état du délai et avis"))
    def clock_display(self, consultation):
        if not consultation.pk:
            return "—"
        state = getattr(consultation, "clock", None)
        state = Clock(state) if state else consultation.clock_state()
        if not consultation.opinion:  # the badge says it all, "Avis réputé négatif" included
            return clock_badge(state)
        opinion = consultation.get_opinion_display()
        return format_html("{}<br><small>{}</small>", clock_badge(state), opinion)

    @admin.display(description=_("fin du délai d'avis"))
    def deadline_display(self, consultation):
        if consultation.pk and consultation.information_only_note:
            return consultation.information_only_note
        deadline = consultation.deadline() if consultation.pk else None
        if deadline is None:
            paused_since = consultation.paused_since() if consultation.pk else None
            if paused_since:
                return _(
                    "Délai suspendu depuis le %(date)s : l'expertise est contestée devant le "
                    "juge (L2315-86)."
                ) % {"date": paused_since.strftime("%d/%m/%Y")}
            return _("Le délai court à partir de la remise des informations (T0).")
        return format_html(
            "<strong>{}</strong><br><small>{}</small>",
            deadline.date.strftime("%d/%m/%Y"),
            explanation(deadline),
        )

    @admin.display(description=_("réponse de la direction attendue"))
    def answer_due_display(self, consultation):
        due = consultation.answer_due() if consultation.pk else None
        if due is None:
            return "—"
        return format_html(
            "<strong>{}</strong><br><small>{}</small>",
            due.date.strftime("%d/%m/%Y"),
            explanation(due),
        )


@admin.register(ClockStop)
class ClockStopAdmin(ScopedAdmin):
    list_display = ["consultation", "starts_on", "ends_on", "reason"]
    list_filter = ["reason"]
    search_fields = ["consultation__title", "note"]
    list_select_related = ["consultation"]
    date_hierarchy = "starts_on"


class ItsConsultationChoicesMixin(OwnChoicesMixin):
    """On a record's own admin page, the lists of its consultation's records (``own_choices``,
    the functions of ConsultationPartInline's): an answer's motions, a demand's settling answer.
    On a new record, whose consultation is not chosen yet, the user's organisations'
    (ScopedFormFieldsMixin). An existing record offered those too: every motion of every
    consultation of a federation's editor (found by an editor's QA pass), and another
    consultation's was refused only once saved."""

    def get_form(self, request, obj=None, **kwargs):
        request.vigie_consultation_id = obj.consultation_id if obj is not None else None
        return super().get_form(request, obj, **kwargs)

    def own_queryset(self, db_field, request, choices):
        consultation_id = getattr(request, "vigie_consultation_id", None)
        return None if consultation_id is None else choices(consultation_id)


class VoteOfItsConsultationMixin(ItsConsultationChoicesMixin):
    """The vote of a motion or an expertise on its own admin page (``vote_field``): on an
    existing record, among its consultation's, as on the consultation's page (``own_choices``);
    on a new one, whose consultation is not chosen yet, among the user's organisations'
    (ScopedFormFieldsMixin; every one to a superuser), each named with its consultation. The
    drop-down offered every vote of every organisation, and another consultation's was refused
    only once saved (found by an editor's QA pass)."""

    vote_field = ""

    def new_record_votes(self, votes):
        return votes

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        new_record = getattr(request, "vigie_consultation_id", None) is None
        if db_field.name == self.vote_field and new_record and field is not None:
            votes = field.queryset.select_related("consultation").defer("consultation__search_text")
            field.queryset = self.new_record_votes(votes)
            field.label_from_instance = vote_and_consultation_label
        return field


@admin.register(Expertise)
class ExpertiseAdmin(VoteOfItsConsultationMixin, ScopedAdmin):
    list_display = ["consultation", "ground", "expert_firm", "designated_on", "report_delivered_on"]
    list_filter = ["ground", "contest_outcome", "consultation__body__organisation"]
    search_fields = ["expert_firm", "consultation__title", "findings", "obstacles"]
    list_select_related = ["consultation"]
    date_hierarchy = "designated_on"
    readonly_fields = ["funding_display", "milestones_display"]
    vote_field = "appointing_vote"
    own_choices = {"appointing_vote": appointing_vote_choices}

    def new_record_votes(self, votes):
        return votes.filter(subject=Vote.Subject.APPOINT_EXPERT)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "consultation",
                    "ground",
                    "expert_firm",
                    "appointing_vote",
                    "designated_on",
                ]
            },
        ),
        (_("Échéances légales"), {"fields": ["milestones_display"]}),
        (
            _("Étapes"),
            {
                "fields": [
                    "spec_notified_on",
                    "information_requested_on",
                    "information_received_on",
                    "cost_notified_on",
                    "report_extension_months",
                    "report_delivered_on",
                    "report_presented_on",
                ]
            },
        ),
        (
            _("Coût et financement (L2315-80)"),
            {
                "fields": [
                    "estimated_cost",
                    "final_cost",
                    "final_cost_notified_on",
                    "budget_insufficient",
                    "no_surplus_transferred",
                    "funding_display",
                ]
            },
        ),
        (
            _("Contestation (L2315-86)"),
            {"fields": ["contested_on", "judgment_on", "contest_outcome"]},
        ),
        (_("Déroulement"), {"fields": ["obstacles", "findings"]}),
    ]

    @admin.display(description=_("échéances"))
    def milestones_display(self, expertise):
        return steps_table(expertise.milestones()) if expertise.pk else "—"

    @admin.display(description=_("répartition du financement"))
    def funding_display(self, expertise):
        if not expertise.ground:
            return "—"
        return _("%(employer)d %% employeur, %(council)d %% CSE") % {
            "employer": expertise.employer_share_percent,
            "council": expertise.council_share_percent,
        }


def agenda_choices(request):
    """The consultations the admin's page of a meeting offers, for its agenda and its votes:
    on a meeting's page, those of its organisation (Consultation.objects.fit_for_agenda_of;
    another's would be refused), to a superuser too; on a new meeting's, None: the user's
    organisations' (ScopedFormFieldsMixin), every one to a superuser."""
    meeting = getattr(request, "vigie_meeting", None)
    if meeting is None:
        return None
    return Consultation.objects.fit_for_agenda_of(meeting.body)


class MeetingVoteInline(VoteResultMixin, ScopedInline):
    model = Vote
    form = VoteAdminForm
    template = "admin/edit_inline/stacked.html"
    fields = [
        "consultation",
        "subject",
        "question",
        "votes_for",
        "votes_against",
        "abstentions",
        "blank_votes",
        "voting_members_present",
        "president_voted",
        "secret_ballot",
        "result_display",
    ]
    readonly_fields = ["result_display"]

    def get_formset(self, request, obj=None, **kwargs):
        request.vigie_meeting = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = agenda_choices(request)
        if db_field.name == "consultation" and choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(VoteWarningsMixin, ScopedAdmin):
    form = MeetingAdminForm
    list_display = [
        "held_on",
        "body",
        "kind",
        "agenda_sent_on",
        "minutes_sent_on",
        "minutes_adopted_on",
    ]
    list_filter = ["kind", "body__kind", "body__organisation"]
    search_fields = ["body__name", "agenda", "place"]
    list_select_related = ["body"]
    date_hierarchy = "held_on"
    filter_horizontal = ["consultations"]
    inlines = [MeetingVoteInline]
    readonly_fields = ["steps_display"]

    agenda_fields = ("consultations",)
    information_fields = ("held_on",)

    def votes_saved(self, meeting):
        return meeting.votes.all()

    def get_form(self, request, obj=None, **kwargs):
        request.vigie_meeting = obj
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = agenda_choices(request)
        if db_field.name == "consultations" and choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("ordre du jour et procès-verbal"))
    def steps_display(self, meeting):
        return steps_table(meeting.steps()) if meeting.pk else "—"


@admin.register(Vote)
class VoteAdmin(VoteResultMixin, VoteWarningsMixin, ScopedAdmin):
    form = VoteAdminForm
    list_display = [
        "__str__",
        "consultation",
        "votes_for",
        "votes_against",
        "abstentions",
        "blank_votes",
        "voting_members_present",
        "result_display",
    ]
    list_filter = ["subject", "secret_ballot", "meeting__body__organisation"]
    search_fields = ["question", "consultation__title"]
    list_select_related = ["meeting__body", "consultation"]
    date_hierarchy = "meeting__held_on"
    # The latest first, as the meetings: an editor looks for the vote she just recorded (the
    # consultation's page lists them in the order of the meetings; found by an admin QA pass).
    ordering = ["-meeting__held_on", "-id"]
    readonly_fields = ["result_display"]

    agenda_fields = information_fields = ("meeting", "consultation")

    def votes_saved(self, vote):
        return Vote.objects.filter(pk=vote.pk)


@admin.register(Motion)
class MotionAdmin(VoteOfItsConsultationMixin, MotionReferenceMixin, ScopedAdmin):
    list_display = ["title", "kind", "reference_display", "body", "adopted_on", "published"]
    list_filter = ["kind", "published", "body__organisation"]
    search_fields = ["title", "text", "consultation__title"]
    list_select_related = ["body", "consultation"]
    date_hierarchy = "adopted_on"
    ordering = ["-adopted_on", "-number", "-id"]  # the latest first, as the votes
    readonly_fields = ["reference_display"]
    vote_field = "adopting_vote"
    own_choices = {"adopting_vote": adopting_vote_choices}


@admin.register(ManagementResponse)
class ManagementResponseAdmin(ItsConsultationChoicesMixin, ScopedAdmin):
    form = ManagementResponseForm
    list_display = ["consultation", "received_on", "channel", "stance"]
    list_filter = ["stance", "channel"]
    search_fields = ["text", "consultation__title"]
    list_select_related = ["consultation"]
    date_hierarchy = "received_on"
    filter_horizontal = ["motions"]
    own_choices = {"motions": answered_motion_choices}


@admin.register(Demand)
class DemandAdmin(ItsConsultationChoicesMixin, ScopedAdmin):
    list_display = ["__str__", "consultation", "status"]
    list_filter = ["status"]
    search_fields = ["text", "consultation__title"]
    list_select_related = ["consultation"]
    own_choices = {"settled_by": settling_answer_choices}


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    formfield_overrides = DOCUMENT_FILE_WIDGET
    list_display = ["title", "kind", "consultation", "dated_on", "confidential"]
    list_filter = ["kind", "confidential"]
    search_fields = ["title", "consultation__title"]
    list_select_related = ["consultation"]
    date_hierarchy = "dated_on"


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["title", "kind", "occurred_on", "deployment", "consultation", "public"]
    list_filter = ["kind", "public"]
    search_fields = ["title", "text"]
    list_select_related = ["deployment", "consultation"]
    date_hierarchy = "occurred_on"


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Account records: superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "token", "created_at"]
    actions = ["revoke"]

    @admin.action(description=_("Révoquer les liens choisis (de nouveaux sont créés)"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()


@admin.register(ReminderSent)
class ReminderSentAdmin(SuperuserOnlyAdmin):
    list_display = ["user", "uid", "due_on", "sent_at"]
    list_filter = ["due_on"]
    search_fields = ["user__username", "uid"]
    readonly_fields = ["user", "uid", "due_on", "sent_at"]

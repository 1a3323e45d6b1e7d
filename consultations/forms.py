"""Forms shared by the admin and the workspace pages."""

import copy
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .edit_conflicts import EditConflictMixin, with_versions
from .models import (
    Body,
    Consultation,
    Demand,
    Deployment,
    Document,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    Organisation,
    Vote,
)
from .models.consultation import LegalBasis
from .models.deployment import AIFunction, Art50Duty
from .models.fields import LONG_TEXT_MAX_LENGTH
from .widgets import BrowserDateInput
from .wording import long_date, quoted

# --- Input the database or the legal calendar cannot hold ------------------------------------------
#
# A date of year 1 or 9999 is a typing error, and the calendar's arithmetic (deadlines, milestones)
# overflows near those ends: such dates are refused with a message rather than saved. Ids beyond
# the database's integers are refused before the database is asked (SQLite raises OverflowError
# on them).

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def validate_plausible_date(value):
    if value and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Cette date paraît erronée : saisissez une date entre %(earliest)s et %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )


def bound_dates(form):
    """Add the plausible-date check to every date field of ``form`` (once)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and validate_plausible_date not in field.validators:
            field.validators.append(validate_plausible_date)


class BoundedDatesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates(self)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id the database cannot hold as an unknown choice, before querying."""

    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        if isinstance(key, models.IntegerField):
            low, high = connections[self.queryset.db].ops.integer_field_range(
                key.get_internal_type()
            )
            for item in value:
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # the parent refuses it as an invalid value
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with the username's maximum length enforced.

    Django sets that length on the widget only: a 10,000-character name reached authenticate()
    and django-axes, whose log column holds 255 characters (PostgreSQL: DataError, a 500). To be
    used by the sign-in view: ``LoginView.as_view(authentication_form=SignInForm)``.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class AdminSignInForm(SignInForm, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), with the same maximum length: the admin's own let
    a 10,000-character name reach django-axes too (found by a security review). Set as the
    admin site's ``login_form`` (admin.py)."""


class ChoiceListField(forms.MultipleChoiceField):
    """Several codes from a TextChoices, stored as a JSON list, shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=choices.choices, **kwargs)


class DeploymentForm(BoundedDatesMixin, forms.ModelForm):
    functions = ChoiceListField(
        AIFunction,
        label=_("Fonctions"),
        help_text=_("Ce que fait le système : cochez tout ce qui s'applique."),
    )
    art50_duties = ChoiceListField(Art50Duty, label=_("Obligations de transparence (art. 50)"))

    class Meta:
        model = Deployment
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose


class ConsultationForm(BoundedDatesMixin, forms.ModelForm):
    legal_bases = ChoiceListField(
        LegalBasis,
        label=_("Fondements de la consultation"),
        help_text=_(
            "Une IA qui transcrit ou note les appels relève en général de L2312-8 et L2312-38. "
            "Les fondements marqués « information », seuls, n'ouvrent pas de délai d'avis."
        ),
    )

    class Meta:
        model = Consultation
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose


class DeploymentAdminForm(EditConflictMixin, DeploymentForm):
    """The admin's page of a system: a save over another made meanwhile is refused with its
    changes, as on the site's form. ``version`` is in DeploymentAdmin's fieldsets."""


class ConsultationAdminForm(EditConflictMixin, ConsultationForm):
    """The admin's page of a consultation: as DeploymentAdminForm."""


class HiddenFieldErrorsShownMixin:
    """An admin inline's link to its parent (the consultation, the meeting) is a hidden field,
    and the admin shows no error of a hidden field: the page said "please correct the error
    below" and showed none. Its errors are shown above the inline's form instead."""

    def _post_clean(self):
        super()._post_clean()
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                for message in self._errors.pop(name):
                    self.add_error(None, message)


class ManagementResponseForm(HiddenFieldErrorsShownMixin, BoundedDatesMixin, forms.ModelForm):
    class Meta:
        model = ManagementResponse
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose
        field_classes = {"motions": BoundedModelMultipleChoiceField}

    def clean(self):
        cleaned = super().clean()
        consultation = cleaned.get("consultation") or getattr(self.instance, "consultation", None)
        motions = cleaned.get("motions")
        if consultation and motions:
            try:
                ManagementResponse.validate_motions(
                    consultation, motions, cleaned.get("received_on")
                )
            except forms.ValidationError as error:
                self.add_error("motions", error)
        return cleaned


# --- What the public reads --------------------------------------------------------------------------
#
# On a public consultation, a signed-out visitor reads some of the texts typed in these forms, on
# the consultation's page (views/public.py, its template, fragments.py) and in its public dossier
# (pdf.dossier_pdf with public=True); the others stay among the members. Each form's help text
# says which, in one of these phrases, and tests/test_public_help_texts.py checks each field
# against those pages.

SHOWN_IN_PUBLIC = _(
    "Paraît sur la page publique et dans le dossier public si la consultation est publique."
)
# A motion's title and text: shown once it is adopted and published (Motion.published).
SHOWN_IN_PUBLIC_IF_PUBLISHED = _(
    "Paraît sur la page publique et dans le dossier public si la consultation est publique et "
    "la motion publiée."
)
# A vote's question: the vote of an unpublished motion is not shown (Consultation.votes_shown).
SHOWN_IN_PUBLIC_UNLESS_UNPUBLISHED_MOTION = _(
    "Paraît sur la page publique et dans le dossier public si la consultation est publique, sauf "
    "si ce vote adopte une motion non publiée."
)
# A document's title: a confidential document never reaches a public page (L2315-3).
SHOWN_IN_PUBLIC_UNLESS_CONFIDENTIAL = _(
    "Paraît sur la page publique et dans le dossier public si la consultation est publique, sauf "
    "pour un document confidentiel."
)
# A meeting's place: named under each published motion adopted there, in the PDFs only
# (pdf.meeting_line); the meetings' list of the page is the members'.
SHOWN_WITH_PUBLISHED_MOTIONS = _(
    "Paraît dans le dossier public et le PDF de chaque motion publiée adoptée à cette réunion, si "
    "la consultation est publique ; pas sur la page publique."
)
KEPT_AMONG_MEMBERS = _(
    "Reste entre les membres de l'organisation : n'apparaît ni sur la page publique ni dans le "
    "dossier public."
)
MARKDOWN_ACCEPTED = _("Mise en forme Markdown acceptée.")


def help_text(*sentences):
    """Sentences of a help text, joined once the language is known (lazy)."""
    return format_lazy(" ".join(["{}"] * len(sentences)), *sentences)


# --- Workspace forms (the representatives' editing pages) -----------------------------------------
#
# One column, labels above, help text in plain French with the legal article (shared/UI.md).
# Each form lists its fields explicitly; the model's clean() does the business checks and its
# messages land beside the right field.


def _dress_widgets(form):
    """Browser date and time pickers; plausible dates; counts and amounts that refuse
    negatives."""
    bound_dates(form)
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = BrowserDateInput(attrs=field.widget.attrs)
        elif isinstance(field, forms.TimeField):
            field.widget = forms.TimeInput(
                format="%H:%M", attrs={"type": "time", **field.widget.attrs}
            )
        elif isinstance(field, forms.DecimalField):
            field.widget.attrs.setdefault("min", "0")
            field.widget.attrs.setdefault("step", "0.01")
            if field.min_value is None:  # else the database's check answers, in its own words
                field.min_value = 0
                field.validators.append(MinValueValidator(0))
        elif isinstance(field, forms.IntegerField):
            field.widget.attrs.setdefault("min", "0")
        elif isinstance(field.widget, forms.Textarea) and field.widget.attrs.get("rows") == "10":
            field.widget.attrs["rows"] = 3  # Django's default of 10 rows makes long pages


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False  # the template writes <form>: one submit for several forms
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def shows_required_field(form) -> bool:
    """Whether crispy-forms marks a field of ``form`` with an asterisk: a required field it
    shows, with its label (crispy-bootstrap5's field.html). Only the fields of the form's
    layout are shown when it has one; a formset's forms count, each."""
    if isinstance(form, forms.BaseFormSet):
        return any(shows_required_field(each) for each in form.forms)
    helper = getattr(form, "helper", None)
    if helper is not None and not helper.form_show_labels:
        return False
    layout = getattr(helper, "layout", None)
    names = [pointer.name for pointer in layout.get_field_names()] if layout else form.fields
    return any(
        form.fields[name].required and not form[name].is_hidden and form[name].label
        for name in names
        if name in form.fields
    )


def _preset(form, name, value):
    """A sensible default, unless the record or the view already gave one."""
    if form.initial.get(name) in (None, ""):
        form.initial[name] = value


class WorkspaceFormMixin:
    """Dresses the widgets and sends the model's errors to a field the form shows.

    A model's clean() may name a field the form does not show (e.g. ``consultation``, set by the
    view): Django would then raise ValueError. Such errors go to ``error_field_map[field]`` when
    given, else to the top of the form.
    """

    error_field_map: dict[str, str] = {}
    autofocus: str | None = None

    def setup(self):
        _dress_widgets(self)
        if self.autofocus and self.autofocus in self.fields and not self.is_bound:
            self.fields[self.autofocus].widget.attrs["autofocus"] = True

    def remap_errors(self, error):
        if not hasattr(error, "error_dict"):
            return error
        remapped = {}
        for field, messages in error.error_dict.items():
            target = self.error_field_map.get(field, field)
            if target != NON_FIELD_ERRORS and target not in self.fields:
                target = NON_FIELD_ERRORS
            remapped.setdefault(target, []).extend(messages)
        return ValidationError(remapped)

    def _update_errors(self, errors):
        super()._update_errors(self.remap_errors(errors))

    def add_model_error(self, error):
        """Add a ValidationError raised by a model's full_clean() (after the form's own checks)."""
        self.add_error(None, self.remap_errors(error))


# Deployment: the questions in plain words, grouped as the law groups them.

DEPLOYMENT_SYSTEM_FIELDS = [
    "organisation",
    "name",
    "vendor",
    "description",
    "functions",
    "workers_affected",
    "sites",
    "planned_go_live",
    "actual_go_live",
    "workers_informed_on",
]
DEPLOYMENT_EMOTION_FIELDS = [
    "emotion_subject",
    "emotion_input",
    "medical_safety_exception",
    "medical_safety_reason",
    "training_only_not_shared_with_hr",
]
DEPLOYMENT_AI_ACT_FIELDS = [
    "ai_act_role",
    "risk_tier",
    "annex_iii",
    "art6_3_exception_claimed",
    "art6_3_reason",
    "oversight_person",
    "instructions_received",
    "log_retention_months",
    "worker_rep_info_on",
    "persons_informed_26_11",
    "significant_change",
    "fria_required",
    "art50_duties",
]
DEPLOYMENT_GDPR_FIELDS = [
    "controller",
    "processors",
    "gdpr_legal_basis",
    "dpia_status",
    "dpia_on",
    "dpia_not_required_reason",
    "art22_automated_decision",
    "art9_data",
    "recording_mode",
    "retention_recordings_months",
    "retention_analysis_months",
    "retention_transcripts_months",
    "retention_scores_months",
    "data_location",
    "transfers_outside_eu",
    "transfer_countries",
    "transfer_safeguard",
]
DEPLOYMENT_NOTES_FIELDS = ["notes"]


class DeploymentEditForm(EditConflictMixin, WorkspaceFormMixin, DeploymentForm):
    """An AI system, asked in plain French rather than legal codes."""

    autofocus = "name"

    class Meta:
        model = Deployment
        fields = [
            *DEPLOYMENT_SYSTEM_FIELDS,
            *DEPLOYMENT_EMOTION_FIELDS,
            *DEPLOYMENT_AI_ACT_FIELDS,
            *DEPLOYMENT_GDPR_FIELDS,
            *DEPLOYMENT_NOTES_FIELDS,
        ]
        labels = {
            "organisation": _("Entreprise ou groupe"),
            "name": _("Comment s'appelle le système ?"),
            "vendor": _("Qui le fournit (éditeur du logiciel) ?"),
            "description": _("Que fait-il, concrètement ?"),
            "workers_affected": _("Combien de salariés sont concernés ?"),
            "sites": _("Quels sites ou services ?"),
            "planned_go_live": _("Mise en service prévue le"),
            "actual_go_live": _("Mise en service effective le"),
            "workers_informed_on": _("Les salariés ont été informés le"),
            "emotion_subject": _("Le système déduit-il les émotions des personnes ? De qui ?"),
            "emotion_input": _("À partir de quoi ?"),
            "medical_safety_exception": _(
                "L'employeur invoque-t-il une raison médicale ou de sécurité ?"
            ),
            "medical_safety_reason": _("Laquelle ?"),
            "training_only_not_shared_with_hr": _(
                "L'usage est-il limité à la formation, sans transmission aux RH ?"
            ),
            "ai_act_role": _("Quel est le rôle de l'employeur ?"),
            "risk_tier": _("Quel est le niveau de risque ?"),
            "annex_iii": _("Dans quelle catégorie de l'annexe III ?"),
            "art6_3_exception_claimed": _(
                "L'employeur soutient-il que le système n'est pas à haut risque malgré l'annexe III ?"
            ),
            "art6_3_reason": _("Pour quelle raison ?"),
            "oversight_person": _("Qui exerce le contrôle humain ?"),
            "instructions_received": _(
                "La notice d'utilisation du fournisseur a-t-elle été remise ?"
            ),
            "log_retention_months": _("Combien de mois les journaux du système sont-ils gardés ?"),
            "worker_rep_info_on": _("Les représentants du personnel ont été informés le"),
            "persons_informed_26_11": _("Les personnes concernées ont-elles été informées ?"),
            "significant_change": _(
                "Le système a-t-il été modifié en profondeur depuis sa mise en service ?"
            ),
            "fria_required": _(
                "Une analyse d'impact sur les droits fondamentaux est-elle requise ?"
            ),
            "controller": _("Qui est responsable du traitement ?"),
            "processors": _("Quels sous-traitants traitent les données ?"),
            "gdpr_legal_basis": _("Sur quelle base légale ?"),
            "dpia_status": _("Une analyse d'impact (AIPD) a-t-elle été faite ?"),
            "dpia_on": _("AIPD réalisée le"),
            "dpia_not_required_reason": _("Si l'AIPD est jugée non requise, pourquoi ?"),
            "art22_automated_decision": _(
                "Des décisions sont-elles prises sans intervention humaine ?"
            ),
            "art9_data": _(
                "Le système traite-t-il des données sensibles (biométrie servant à identifier, santé) ?"
            ),
            "recording_mode": _("Les appels sont-ils enregistrés ?"),
            "retention_recordings_months": _(
                "Combien de mois les enregistrements sont-ils gardés ?"
            ),
            "retention_analysis_months": _(
                "Combien de mois les fiches d'analyse sont-elles gardées ?"
            ),
            "retention_transcripts_months": _(
                "Combien de mois les transcriptions sont-elles gardées ?"
            ),
            "retention_scores_months": _("Combien de mois les notes et scores sont-ils gardés ?"),
            "data_location": _("Où les données sont-elles hébergées ?"),
            "transfers_outside_eu": _("Des données partent-elles hors de l'Union européenne ?"),
            "transfer_countries": _("Vers quels pays ?"),
            "transfer_safeguard": _("Avec quelle garantie ?"),
            "notes": _("Notes internes"),
        }
        help_texts = {
            "name": _("Le nom que lui donne la direction, par exemple « Assistant qualité »."),
            "workers_informed_on": _(
                "Chaque salarié doit être informé avant la mise en place d'un dispositif qui "
                "collecte ses données (L1222-4)."
            ),
            "emotion_subject": _(
                "Déduire les émotions des salariés sur le lieu de travail est interdit depuis le "
                "2 février 2025, sauf raison médicale ou de sécurité (AI Act art. 5(1)(f))."
            ),
            "emotion_input": _(
                "La voix ou le visage sont des données biométriques (AI Act art. 3(39)) ; "
                "l'analyse du seul texte n'en est pas."
            ),
            "medical_safety_exception": _(
                "La seule exception à l'interdiction (AI Act art. 5(1)(f))."
            ),
            "ai_act_role": _(
                "Déployeur s'il utilise le système d'un autre (AI Act art. 3(4)) ; fournisseur "
                "s'il le développe ou le met sur le marché sous son nom (art. 3(3))."
            ),
            "risk_tier": _(
                "Un système qui évalue, surveille ou répartit le travail des salariés est en "
                "principe à haut risque (AI Act art. 6 et annexe III, point 4)."
            ),
            "annex_iii": _("AI Act annexe III : 4(a) recrutement, 4(b) gestion du travail."),
            "art6_3_exception_claimed": _(
                "L'employeur doit alors documenter son analyse (AI Act art. 6(3) et 6(4))."
            ),
            "oversight_person": _(
                "Le déployeur confie le contrôle humain à une personne compétente et formée "
                "(AI Act art. 26(2))."
            ),
            "instructions_received": _("AI Act art. 26(1)."),
            "log_retention_months": _("Au moins 6 mois pour le déployeur (AI Act art. 26(6))."),
            "worker_rep_info_on": _(
                "Avant la mise en service d'un système à haut risque sur le lieu de travail "
                "(AI Act art. 26(7))."
            ),
            "persons_informed_26_11": _(
                "Les personnes visées par des décisions aidées par le système (AI Act art. 26(11))."
            ),
            "significant_change": _("AI Act art. 111(2)."),
            "fria_required": _(
                "AI Act art. 27 : organismes publics, entreprises privées de service public, "
                "annexe III 5(b) et (c). En général non pour un centre d'appels privé."
            ),
            "controller": _("En général l'employeur (RGPD art. 4(7))."),
            "processors": _("Un par ligne (RGPD art. 28)."),
            "gdpr_legal_basis": _("RGPD art. 6."),
            "dpia_on": _("Seulement si l'AIPD est réalisée."),
            "art22_automated_decision": _(
                "Une décision produisant des effets juridiques ne peut en principe reposer "
                "uniquement sur un traitement automatisé (RGPD art. 22)."
            ),
            "art9_data": _("RGPD art. 9."),
            "retention_recordings_months": _("La CNIL recommande 6 mois au plus."),
            "retention_analysis_months": _("La CNIL recommande 1 an au plus."),
            "transfer_safeguard": _(
                "Seulement s'il y a des transferts hors de l'Union (RGPD art. 44 à 49)."
            ),
            "notes": KEPT_AMONG_MEMBERS,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        organisation.queryset = Organisation.objects.editable_by(user)
        if not self.instance.pk and len(organisation.queryset) == 1:
            _preset(self, "organisation", organisation.queryset[0].pk)
            organisation.empty_label = None
        self.fields["functions"].label = _("Que fait le système ?")
        self.fields["art50_duties"].label = _("Quelles obligations de transparence s'appliquent ?")
        self.fields["art50_duties"].help_text = _("AI Act art. 50.")
        self.setup()
        self.helper = _helper(
            Fieldset(_("Le système"), *DEPLOYMENT_SYSTEM_FIELDS),
            Fieldset(_("Reconnaissance des émotions"), *DEPLOYMENT_EMOTION_FIELDS),
            Fieldset(_("AI Act"), *DEPLOYMENT_AI_ACT_FIELDS),
            Fieldset(_("Données personnelles (RGPD, CNIL)"), *DEPLOYMENT_GDPR_FIELDS),
            Fieldset(_("Notes"), *DEPLOYMENT_NOTES_FIELDS),
        )


class ConsultationEditForm(EditConflictMixin, WorkspaceFormMixin, ConsultationForm):
    autofocus = "title"

    class Meta:
        model = Consultation
        fields = [
            "title",
            "body",
            "deployment",
            "legal_bases",
            "information_received_on",
            "two_level",
            "expertise_at_other_level",
            "central_information_received_on",
            "establishment_opinions_received_on",
            "status",
            "opinion",
            "opinion_on",
            "visibility",
            "summary",
            "internal_notes",
        ]
        labels = {
            "title": _("Intitulé de la consultation"),
            "body": _("Instance consultée"),
            "deployment": _("Système d'IA"),
        }
        help_texts = {
            "title": help_text(
                _(
                    "Tel qu'il figure à l'ordre du jour, par exemple « Projet d'outil d'analyse "
                    "des appels »."
                ),
                SHOWN_IN_PUBLIC,
            ),
            "body": _(
                "Le CSE qui rend l'avis. Une CSSCT prépare les travaux mais ne rend pas d'avis "
                "(L2315-38)."
            ),
            "opinion": _("L'avis voté par l'instance (L2312-8, L2312-14)."),
            "opinion_on": _("La date de la réunion où l'avis a été rendu."),
            "summary": help_text(SHOWN_IN_PUBLIC, MARKDOWN_ACCEPTED),
            "internal_notes": help_text(KEPT_AMONG_MEMBERS, MARKDOWN_ACCEPTED),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.editable_by(user)
        several = organisations.count() > 1
        body = self.fields["body"]
        body.queryset = (
            Body.objects.filter(organisation__in=organisations)
            .able_to_give_opinions(keeping=self.instance.body_id)
            .select_related("organisation")
        )
        if several:
            body.label_from_instance = lambda obj: f"{obj.name} — {obj.organisation.name}"
        deployment = self.fields["deployment"]
        deployment.queryset = Deployment.objects.filter(
            organisation__in=organisations
        ).select_related("organisation")
        if not several:
            deployment.label_from_instance = lambda obj: obj.name
        if not self.instance.pk:
            # Preselect when there is only one choice: one CSE, one AI system.
            bodies = [b for b in body.queryset if b.gives_opinions]
            if len(bodies) == 1:
                _preset(self, "body", bodies[0].pk)
            deployments = list(deployment.queryset[:2])
            if len(deployments) == 1:
                _preset(self, "deployment", deployments[0].pk)
        # Only a central CSE receives the establishments' opinions, and only an establishment's
        # period runs from the central's information (R2312-6 II): without such a council, the
        # field would only puzzle (a date already recorded stays).
        two_level_fields = []
        kinds = set(body.queryset.values_list("kind", flat=True))
        for name, kind in (
            ("central_information_received_on", Body.Kind.CSE_ESTABLISHMENT),
            ("establishment_opinions_received_on", Body.Kind.CSE_CENTRAL),
        ):
            if getattr(self.instance, name) or kind in kinds:
                two_level_fields.append(name)
            else:
                del self.fields[name]
        self.setup()
        self.helper = _helper(
            Fieldset(
                _("La consultation"),
                "title",
                "body",
                "deployment",
                "legal_bases",
                "information_received_on",
                "two_level",
                "expertise_at_other_level",
                *two_level_fields,
            ),
            Fieldset(_("L'avis"), "status", "opinion", "opinion_on"),
            Fieldset(_("Publication et notes"), "visibility", "summary", "internal_notes"),
        )


def html_message(message, **values):
    """``message`` (translated, with %(name)s placeholders) as HTML for an error: its text and
    values escaped, a value already HTML (a link made with format_html) kept as it is."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(message) % escaped)  # nosec B308 B703


class FormTemplate(HTML):
    """A template in a form's layout, given the form as ``form`` whatever the page calls it
    (crispy's HTML reads the page's context: the meeting log names its form
    ``meeting_form``)."""

    def render(self, form, context, template_pack=None, **kwargs):
        return render_to_string(self.html, {"form": form})


class AgendaChoicesMixin(forms.Form):
    """The consultations on a meeting's agenda, as boxes to tick (``consultations``): on the
    page that logs a meeting and on its edit page. A box for a consultation not offered
    (another organisation's, a number tampered with) is refused beside the field, without
    naming it. The form calls offer_agenda_choices() and places what it returns."""

    consultations = BoundedModelMultipleChoiceField(
        queryset=Consultation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Consultations à l'ordre du jour"),
    )
    # Why no consultation is offered (agenda_choices_note), shown in the field's place.
    agenda_note = ""

    def offer_agenda_choices(self, body):
        """The consultations a meeting of ``body`` may have on its agenda (its organisation's,
        Consultation.objects.fit_for_agenda_of), to tick: the latest informed first, then those
        not yet informed, each named by its title and its T0. What the layout shows: the field,
        or in its place a note saying why there is nothing to choose (no consultation but the
        one on the agenda); the field is then left out, and the agenda kept as it is."""
        field = self.fields["consultations"]
        meeting = self.instance
        self.agenda_body_id = body.pk
        votes_here = (
            models.Count("votes", filter=models.Q(votes__meeting=meeting))
            if meeting.pk
            else models.Value(0)  # a meeting being logged holds no vote yet
        )
        field.queryset = (
            Consultation.objects.fit_for_agenda_of(body)
            .select_related("body")
            .annotate(votes_here=votes_here)
            .order_by(models.F("information_received_on").desc(nulls_last=True), "title", "pk")
        )
        field.label_from_instance = self.agenda_choice_label
        field.help_text = _(
            "Cochez celles de l'organisation inscrites à l'ordre du jour de cette réunion. Un "
            "vote sur une consultation qui n'y figure pas peut être annulé (L2315-29)."
        )
        field.error_messages["invalid_choice"] = _(
            "Cette consultation ne peut pas figurer à l'ordre du jour de cette réunion : "
            "choisissez parmi celles de la liste."
        )
        field.error_messages["invalid_pk_value"] = field.error_messages["invalid_choice"]
        self.agenda_note = self.agenda_choices_note(field.queryset)
        if not self.agenda_note:
            return "consultations"
        del self.fields["consultations"]
        return FormTemplate("consultations/forms/_agenda_note.html")

    def agenda_choices_note(self, choices) -> str:
        """Why there is nothing to choose, or "": the organisation has no consultation, or only
        the one on the agenda already."""
        first_two = list(choices.values_list("pk", "title")[:2])
        if not first_two:
            return _(
                "L'organisation n'a encore aucune consultation enregistrée : ouvrez-la, puis "
                "revenez ici l'inscrire à l'ordre du jour."
            )
        if len(first_two) > 1:
            return ""
        [(pk, title)] = first_two
        if pk not in {consultation.pk for consultation in self.initial.get("consultations", [])}:
            return ""
        return _(
            "La seule consultation de l'organisation, %(title)s, figure déjà à l'ordre du "
            "jour : pour en inscrire une autre, ouvrez-la d'abord, puis revenez ici."
        ) % {"title": quoted(title)}

    def agenda_choice_label(self, consultation):
        """Its title, then on a line of its own its T0, its council when another than the
        meeting's, and the votes held on it at this meeting."""
        details = [
            _("informations reçues le %(date)s (T0)")
            % {"date": long_date(consultation.information_received_on)}
            if consultation.information_received_on
            else _("informations pas encore reçues (T0)")
        ]
        if consultation.body_id != self.agenda_body_id:
            details.append(consultation.body.name)
        if consultation.votes_here:
            details.append(
                ngettext(
                    "%(count)d vote à cette réunion",
                    "%(count)d votes à cette réunion",
                    consultation.votes_here,
                )
                % {"count": consultation.votes_here}
            )
        return format_html(
            '{} <span class="d-block small text-body-secondary">{}</span>',
            consultation.title,
            capfirst(" · ".join(str(detail) for detail in details)),
        )


# Meeting log: one page records the meeting, its votes and the motions they adopt.


class MeetingLogForm(AgendaChoicesMixin, WorkspaceFormMixin, forms.ModelForm):
    autofocus = "held_on"

    class Meta:
        model = Meeting
        fields = [
            "body",
            "held_on",
            "starts_at",
            "kind",
            "place",
            "agenda_sent_on",
            "consultations",
            "minutes_sent_on",
        ]
        labels = {
            "body": _("Instance réunie"),
            "held_on": _("Date de la réunion"),
            "starts_at": _("Heure"),
            "kind": _("Type de réunion"),
        }
        help_texts = {
            "starts_at": _("Facultative."),
            "place": SHOWN_WITH_PUBLISHED_MOTIONS,
        }

    def __init__(self, *args, consultation, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.user = user  # who is told where a forgotten vote is added
        body = self.fields["body"]
        body.queryset = Body.objects.filter(organisation_id=consultation.body.organisation_id)
        body.initial = consultation.body_id
        body.empty_label = None
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices)
        # The consultation it is logged from is on the agenda (the page records its votes),
        # and the others of the organisation discussed there are ticked beside it.
        self.initial.setdefault("consultations", [consultation])
        agenda = self.offer_agenda_choices(consultation.body)
        if "consultations" in self.fields:
            self.fields["consultations"].help_text += " " + _(
                "Celle dont vous consignez la réunion y figure dans tous les cas : les votes "
                "ci-dessous la concernent."
            )
        self.setup()
        self.helper = _helper(
            "held_on",
            "starts_at",
            "body",
            "kind",
            "place",
            "agenda_sent_on",
            agenda,
            "minutes_sent_on",
        )

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_already_logged()
        return cleaned

    def refuse_if_already_logged(self) -> bool:
        """The same meeting logged twice for the consultation (a form sent again, or the page
        opened again to add a forgotten vote) would count its votes and number its motions
        twice: refused, unless the time tells them apart, that is, unless this one has a time
        that no meeting of that day has. True, with the form's error, when it is logged
        already. The view asks again under a lock of the consultation's row, for two sends of
        the form at once (a double click)."""
        cleaned = getattr(self, "cleaned_data", {})
        body, held_on = cleaned.get("body"), cleaned.get("held_on")
        if not (body and held_on) or self.instance.pk:
            return False
        logged = self.consultation.meetings.filter(
            body=body, held_on=held_on, kind=cleaned.get("kind")
        )
        if cleaned.get("starts_at"):  # without a time, any meeting of that day is this one
            logged = logged.filter(starts_at=cleaned["starts_at"])
        meeting = logged.first()
        if meeting is None:
            return False
        values = {"body": body.name, "date": long_date(held_on)}
        if self._may_change_in_admin(meeting):
            message = _(
                "Cette réunion est déjà consignée pour cette consultation (%(body)s, "
                "%(date)s) : ses votes figurent sur la page de la consultation ; un vote "
                "oublié s'ajoute sur %(page)s. S'il s'agit d'une autre réunion le même jour, "
                "indiquez son heure."
            )
            values["page"] = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:consultations_meeting_change", args=[meeting.pk]),
                _("sa fiche dans l'administration"),
            )
        else:
            message = _(
                "Cette réunion est déjà consignée pour cette consultation (%(body)s, "
                "%(date)s) : ses votes figurent sur la page de la consultation. Un vote oublié "
                "s'ajoute à la réunion dans l'administration, que votre compte n'ouvre pas : "
                "demandez à l'administrateur de Vigie de l'y ajouter. S'il s'agit d'une autre "
                "réunion le même jour, indiquez son heure."
            )
        self.add_error("held_on", html_message(message, **values))
        return True

    def _may_change_in_admin(self, meeting) -> bool:
        """Whether the user opens the admin's page of ``meeting``: staff (the admin lets in
        no one else) who edit its organisation: an editor who is not staff is not sent where
        the account cannot go."""
        user = self.user
        if user is None or not (user.is_active and user.is_staff):
            return False
        return Meeting.objects.editable_by(user).filter(pk=meeting.pk).exists()


class MeetingEditForm(AgendaChoicesMixin, EditConflictMixin, WorkspaceFormMixin, forms.ModelForm):
    """A meeting's own facts once it is logged: its date, the agenda sent and the consultations
    on it, the minutes sent and adopted (L2315-30, L2315-34), recorded as they happen, often
    days after the meeting. Not its body nor its votes, which are checked against each other
    (the seats, what a CSSCT votes) and are corrected in the admin."""

    autofocus = "held_on"

    class Meta:
        model = Meeting
        fields = [
            "held_on",
            "starts_at",
            "kind",
            "place",
            "agenda_sent_on",
            "consultations",
            "agenda",
            "minutes_sent_on",
            "minutes_adopted_on",
            "notes",
        ]
        labels = {
            "held_on": _("Date de la réunion"),
            "starts_at": _("Heure"),
            "kind": _("Type de réunion"),
            "agenda": _("Ordre du jour"),
            "notes": _("Notes internes"),
        }
        help_texts = {
            "starts_at": _("Facultative."),
            "place": SHOWN_WITH_PUBLISHED_MOTIONS,
            "agenda": help_text(
                _("Les points inscrits, tels qu'ils figurent dans la convocation."),
                KEPT_AMONG_MEMBERS,
            ),
            "minutes_adopted_on": _("En général lors de la réunion suivante."),
            "notes": KEPT_AMONG_MEMBERS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_held_on = self.instance.held_on  # before the form writes what was typed
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices)
        if self.instance.pk and self.instance.votes.exists():
            self.fields["held_on"].help_text = _(
                "Ses votes, et les motions qu'ils adoptent, prennent la date corrigée."
            )
        agenda = self.offer_agenda_choices(self.instance.body)
        self.setup()
        self.helper = _helper(
            Fieldset(_("La réunion"), "held_on", "starts_at", "kind", "place"),
            Fieldset(_("L'ordre du jour"), "agenda_sent_on", agenda, "agenda"),
            Fieldset(_("Le procès-verbal"), "minutes_sent_on", "minutes_adopted_on"),
            Fieldset(_("Notes"), "notes"),
        )

    @property
    def date_changed(self) -> bool:
        return self.instance.pk is not None and self.instance.held_on != self.saved_held_on

    def _post_clean(self):
        super()._post_clean()  # the model's rules (Meeting.clean)
        if self.date_changed and not self.has_error("held_on"):
            for message in self.vote_errors():
                self.add_error("held_on", message)

    def vote_errors(self) -> list[str]:
        """What the meeting's votes would refuse of the date typed, and not of the date saved
        (Vote.clean): a meeting moved after today holds no vote yet, and an opinion is voted
        once the information is given (T0)."""
        votes = list(self.instance.votes.select_related("consultation__body"))
        saved = copy.copy(self.instance)
        saved.held_on = self.saved_held_on
        before = set(_vote_messages(votes, saved))
        return [
            message for message in _vote_messages(votes, self.instance) if message not in before
        ]

    def save(self, commit=True):
        meeting = super().save(commit)
        if commit and self.date_changed:
            # A motion is adopted on the day of its vote's meeting (Motion.clean); it takes a
            # new number in the register if the year changes (Motion.save).
            moved = Motion.objects.filter(
                adopting_vote__meeting=meeting, adopted_on=self.saved_held_on
            )
            for motion in moved:
                motion.adopted_on = meeting.held_on
                motion.save()
        return meeting


def _vote_messages(votes, meeting) -> list[str]:
    """Every message Vote.clean gives of ``votes`` held at ``meeting``, once each."""
    found = []
    for vote in votes:
        vote.meeting = meeting
        try:
            vote.clean()
        except ValidationError as error:
            found += [message for message in error.messages if message not in found]
    return found


VOTE_COUNT_FIELDS = ["votes_for", "votes_against", "abstentions", "blank_votes"]
# The largest councils have a few dozen full members (R2314-1): a bigger count is a typo, said
# in words rather than by the database's integer limit.
MAX_VOTE_COUNT = 999


def limit_vote_counts(form):
    """The counts of a vote form (this site's or the admin's) refused above MAX_VOTE_COUNT."""
    for name in (*VOTE_COUNT_FIELDS, "voting_members_present"):
        field = form.fields.get(name)
        if field is None:
            continue
        field.max_value = MAX_VOTE_COUNT
        field.widget.attrs["max"] = MAX_VOTE_COUNT
        field.validators = [
            *(v for v in field.validators if not isinstance(v, MaxValueValidator)),
            MaxValueValidator(
                MAX_VOTE_COUNT,
                message=_("Un CSE ne compte pas autant de membres : vérifiez ce nombre."),
            ),
        ]


class VoteAdminForm(HiddenFieldErrorsShownMixin, forms.ModelForm):
    """The admin's vote forms (the vote's page, the meeting's and the consultation's inlines)."""

    class Meta:
        model = Vote
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fields choose

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_vote_counts(self)


class MeetingAdminForm(forms.ModelForm):
    """The admin's meeting page. Its agenda holds consultations of the organisation whose
    council meets only: another company's would show this meeting on its pages, to its readers
    (as Vote.clean refuses a vote on one)."""

    class Meta:
        model = Meeting
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fields choose

    def clean(self):
        cleaned = super().clean()
        body, consultations = cleaned.get("body"), cleaned.get("consultations")
        if body is None or consultations is None:
            return cleaned
        others = consultations.exclude(pk__in=Consultation.objects.fit_for_agenda_of(body))
        if others:
            self.add_error(
                "consultations",
                _(
                    "Les consultations à l'ordre du jour doivent concerner la même organisation "
                    "que l'instance réunie : retirez %(titles)s."
                )
                % {"titles": ", ".join(quoted(other.title) for other in others)},
            )
        return cleaned


class VoteWithMotionForm(WorkspaceFormMixin, forms.ModelForm):
    """One vote of the meeting and, optionally, the motion it adopts (fields ``motion_*``)."""

    def not_adopted(self, vote) -> str:
        """Why no motion can come from ``vote``, with the majority it missed: « 7 voix pour,
        majorité requise : 8 » (found by an editor's QA pass: the refusal did not say why)."""
        result = vote.result
        if result is None:
            return _("Ce vote n'est pas adopté : aucune motion ne peut lui être rattachée.")
        votes_for = ngettext("%(count)d voix pour", "%(count)d voix pour", vote.votes_for) % {
            "count": vote.votes_for
        }
        return _(
            "Ce vote n'est pas adopté (%(for)s, majorité requise : %(required)d) : aucune motion "
            "ne peut lui être rattachée."
        ) % {"for": votes_for, "required": result.required}

    # The council's opinion is the resolution this vote adopts (L2315-32): recorded with the
    # vote, the consultation has it from the meeting's day, instead of showing the opinion absent,
    # then deemed negative once the period ends (R2312-6), until someone edits the consultation
    # (found by a QA pass as an editor).
    OPINIONS_VOTED = [
        choice
        for choice in Consultation.Opinion.choices
        if choice[0] and choice[0] not in Consultation.OPINIONS_WITHOUT_VOTE
    ]
    opinion = forms.ChoiceField(
        label=_("Avis adopté par ce vote"),
        choices=[("", _("— vote sans avis —")), *OPINIONS_VOTED],
        required=False,
        help_text=_(
            "Pour un vote sur l'avis adopté : l'avis est enregistré sur la consultation, rendu "
            "le jour de la réunion."
        ),
    )
    motion_kind = forms.ChoiceField(
        label=_("Nature du texte"),
        choices=Motion.Kind.choices,
        initial=Motion.Kind.MOTION,
        required=False,
    )
    motion_title = forms.CharField(
        label=_("Titre de la motion"),
        max_length=300,
        required=False,
        help_text=help_text(
            _("Laissez vide si le vote n'adopte aucun texte. Le numéro est attribué à l'adoption."),
            SHOWN_IN_PUBLIC_IF_PUBLISHED,
        ),
    )
    motion_text = forms.CharField(
        label=_("Texte de la motion"),
        required=False,
        # As Motion.text (LongTextField): refused in words, not cut by the browser.
        validators=[MaxLengthValidator(LONG_TEXT_MAX_LENGTH)],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=help_text(
            _("Mise en forme Markdown acceptée : **gras**, listes commençant par « - »."),
            SHOWN_IN_PUBLIC_IF_PUBLISHED,
        ),
    )
    motion_published = forms.BooleanField(
        label=_("Publier la motion"),
        required=False,
        help_text=_("Elle paraîtra sur la frise publique si la consultation est publique."),
    )

    # Errors of the Motion model, shown beside the motion's own fields.
    motion_error_map = {
        "adopting_vote": "motion_title",
        "adopted_on": "motion_title",
        "body": "motion_title",
        "title": "motion_title",
        "kind": "motion_kind",
        "text": "motion_text",
        "published": "motion_published",
    }

    class Meta:
        model = Vote
        fields = [
            "subject",
            "question",
            *VOTE_COUNT_FIELDS,
            "voting_members_present",
            "secret_ballot",
        ]
        labels = {"subject": _("Objet du vote")}
        help_texts = {
            "question": help_text(
                _("La délibération telle qu'elle a été mise aux voix."),
                SHOWN_IN_PUBLIC_UNLESS_UNPUBLISHED_MOTION,
            ),
            "voting_members_present": _(
                "Titulaires présents et suppléants remplaçant un titulaire absent ; le président "
                "ne vote pas sur une consultation (L2315-32). Abstentions et blancs comptent "
                "contre : adopté si « pour » dépasse la moitié des votants ; pour un accord "
                "sur les délais ou le renouvellement du délai de l'expert, la moitié des sièges "
                "de titulaires."
            ),
        }

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        body = consultation.body
        self.fields["subject"].initial = (
            Vote.Subject.OPINION if body.gives_opinions else Vote.Subject.OTHER
        )
        self.fields["voting_members_present"].initial = body.seats
        if not body.gives_opinions:  # a CSSCT gives none (L2315-38)
            del self.fields["opinion"]
        limit_vote_counts(self)
        self.fields["question"].widget.attrs["rows"] = 2
        self.setup()
        self.helper = _helper(
            "subject",
            "question",
            Row(*(Column(name, css_class="col-6 col-md") for name in VOTE_COUNT_FIELDS)),
            "voting_members_present",
            "secret_ballot",
            *(["opinion"] if "opinion" in self.fields else []),
            Fieldset(
                _("Motion adoptée par ce vote (facultatif)"),
                "motion_title",
                "motion_kind",
                "motion_text",
                "motion_published",
                css_class="motion-fields border-start ps-3",
            ),
        )

    @property
    def has_motion(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("motion_title"))

    @property
    def opinion_voted(self) -> str:
        """The opinion this vote adopts ("" when none is given)."""
        return getattr(self, "cleaned_data", {}).get("opinion", "")

    def opinion_errors(self, consultation) -> str:
        """Why the opinion given cannot be recorded with this vote: only an adopted vote on
        the opinion gives one, and an opinion already recorded is changed on the consultation's
        page, not replaced unseen. "" when it can."""
        vote = self.instance
        if vote.subject != Vote.Subject.OPINION:
            return _("Seul un vote dont l'objet est l'avis rend un avis.")
        if not vote.adopted:
            return _("Ce vote n'est pas adopté : il ne rend pas d'avis.")
        if consultation.opinion:
            return _(
                "La consultation a déjà un avis enregistré (%(opinion)s) : modifiez-le sur sa "
                "page si ce vote en rend un autre."
            ) % {"opinion": consultation.get_opinion_display().lower()}
        return ""

    def clean(self):
        cleaned = super().clean()
        # A motion's text without its title would be dropped: nothing typed is lost unsaid.
        if cleaned.get("motion_text", "").strip() and not cleaned.get("motion_title"):
            self.add_error(
                "motion_title",
                _(
                    "Donnez un titre à la motion dont vous avez saisi le texte, ou effacez le "
                    "texte si ce vote n'adopte aucune motion."
                ),
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The result is computed from the counts, so it is known before the meeting is saved.
        if self.has_motion and not self.errors and not self.instance.adopted:
            self.add_error("motion_title", self.not_adopted(self.instance))
        if self.opinion_voted and not self.errors:
            error = self.opinion_errors(self.instance.consultation)
            if error:
                self.add_error("opinion", error)

    def build_motion(self, vote):
        data = self.cleaned_data
        return Motion(
            consultation=vote.consultation,
            adopting_vote=vote,
            kind=data["motion_kind"] or Motion.Kind.MOTION,
            title=data["motion_title"],
            text=data["motion_text"],
            published=data["motion_published"],
            adopted_on=vote.meeting.held_on if vote.adopted else None,
        )

    def add_motion_error(self, error):
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {self.motion_error_map.get(f, f): m for f, m in error.error_dict.items()}
            )
        self.add_model_error(error)


# A meeting rarely holds more than a few votes. The cap stops a forged TOTAL_FORMS from making the
# page build and render thousands of forms; above it the formset says so and builds none beyond.
MAX_VOTES_PER_MEETING = 30


class BaseVoteFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _(
                "Une réunion compte au plus %(num)d votes : consignez les autres dans une "
                "seconde saisie."
            ),
        }


VoteFormSet = forms.formset_factory(
    VoteWithMotionForm,
    formset=BaseVoteFormSet,
    extra=2,
    max_num=MAX_VOTES_PER_MEETING,
    absolute_max=MAX_VOTES_PER_MEETING,
    validate_max=True,
)


class ExpertiseEditForm(EditConflictMixin, WorkspaceFormMixin, forms.ModelForm):
    autofocus = "ground"

    class Meta:
        model = Expertise
        fields = [
            "ground",
            "expert_firm",
            "appointing_vote",
            "designated_on",
            "spec_notified_on",
            "information_requested_on",
            "information_received_on",
            "cost_notified_on",
            "estimated_cost",
            "final_cost",
            "final_cost_notified_on",
            "budget_insufficient",
            "no_surplus_transferred",
            "contested_on",
            "judgment_on",
            "contest_outcome",
            "report_extension_months",
            "report_delivered_on",
            "report_presented_on",
            "obstacles",
            "findings",
        ]
        labels = {"ground": _("Motif de l'expertise")}
        help_texts = {
            "ground": _(
                "Le motif fixe le financement : 100 % employeur pour un risque grave, 80 / 20 "
                "pour un projet important ou une nouvelle technologie (L2315-80)."
            ),
            "expert_firm": help_text(_("Un expert habilité (L2315-94)."), SHOWN_IN_PUBLIC),
            "appointing_vote": _(
                "Le vote du CSE qui a désigné l'expert ; consignez d'abord la réunion si la "
                "liste est vide."
            ),
            "designated_on": _("Le jour du vote, en général : les délais de l'expert en partent."),
            "spec_notified_on": _("Le cahier des charges notifié à l'employeur (L2315-81-1)."),
            "estimated_cost": KEPT_AMONG_MEMBERS,
            "final_cost": help_text(
                _("L'employeur peut contester le coût final (L2315-86)."), KEPT_AMONG_MEMBERS
            ),
            "judgment_on": _("Le délai de consultation reprend à cette date (L2315-86)."),
            "obstacles": help_text(SHOWN_IN_PUBLIC, MARKDOWN_ACCEPTED),
            "findings": help_text(SHOWN_IN_PUBLIC, MARKDOWN_ACCEPTED),
        }

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        votes = self.fields["appointing_vote"]
        # The adopted votes only, as in the admin (a rejected one appoints no expert), and the
        # one this record is linked to, kept on an edit.
        votes.queryset = Vote.objects.fit_to_appoint_expert_of(
            consultation, keeping=[self.instance.appointing_vote_id]
        ).select_related("meeting__body")
        if not self.instance.pk:
            # The usual case: one vote appointed the expert, who is designated that day.
            adopted = list(votes.queryset)
            if len(adopted) == 1:
                _preset(self, "appointing_vote", adopted[0].pk)
                _preset(self, "designated_on", adopted[0].meeting.held_on)
        self.setup()
        self.helper = _helper(
            Fieldset(
                _("Désignation"),
                "ground",
                "expert_firm",
                "appointing_vote",
                "designated_on",
                "spec_notified_on",
            ),
            Fieldset(
                _("Informations et coût"),
                "information_requested_on",
                "information_received_on",
                "cost_notified_on",
                "estimated_cost",
                "final_cost",
                "final_cost_notified_on",
                "budget_insufficient",
                "no_surplus_transferred",
            ),
            Fieldset(_("Contestation"), "contested_on", "judgment_on", "contest_outcome"),
            Fieldset(
                _("Rapport"),
                "report_extension_months",
                "report_delivered_on",
                "report_presented_on",
                "obstacles",
                "findings",
            ),
        )


class ResponseEditForm(WorkspaceFormMixin, forms.ModelForm):
    autofocus = "received_on"

    class Meta:
        model = ManagementResponse
        fields = ["received_on", "channel", "stance", "text", "motions"]
        labels = {
            "received_on": _("Réponse reçue le"),
            "channel": _("Sous quelle forme ?"),
            "stance": _("Que répond la direction ?"),
            "motions": _("À quelles motions répond-elle ?"),
        }
        help_texts = {
            "received_on": _(
                "L'employeur doit une réponse motivée à l'avis et aux propositions du CSE "
                "(L2312-15, L2315-34)."
            ),
            "text": help_text(
                _("Recopiez ou résumez la réponse."), SHOWN_IN_PUBLIC, MARKDOWN_ACCEPTED
            ),
        }
        widgets = {"motions": forms.CheckboxSelectMultiple}
        field_classes = {"motions": BoundedModelMultipleChoiceField}

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        self.consultation = consultation
        motions = self.fields["motions"]
        motions.queryset = Motion.objects.filter(consultation=consultation)
        motions.error_messages["invalid_choice"] = _(
            "Cette motion n'est pas une motion de cette consultation."
        )
        self.setup()
        self.helper = _helper("received_on", "channel", "stance", "text", "motions")

    def clean(self):
        cleaned = super().clean()
        motions = cleaned.get("motions")
        if motions:
            try:
                ManagementResponse.validate_motions(
                    self.consultation, motions, cleaned.get("received_on")
                )
            except ValidationError as error:
                self.add_error("motions", error)
        self.refuse_if_already_logged()
        return cleaned

    def refuse_if_already_logged(self) -> bool:
        """The same answer recorded twice (the form sent again after the browser's back button,
        or a double click) would show twice in the timeline and the dossier: refused, with the
        form's error. True when it is recorded already. The view asks again under a lock of the
        consultation's row, for two sends of the form at once."""
        cleaned = getattr(self, "cleaned_data", {})
        received_on = cleaned.get("received_on")
        if not received_on or self.instance.pk:
            return False
        recorded = ManagementResponse.objects.filter(
            consultation=self.consultation,
            received_on=received_on,
            channel=cleaned.get("channel"),
            stance=cleaned.get("stance"),
            text=cleaned.get("text", ""),
        )
        if not recorded.exists():
            return False
        self.add_error(
            "received_on",
            _(
                "Cette réponse est déjà enregistrée pour cette consultation (reçue le "
                "%(date)s, sous la même forme, avec la même position et le même texte) : elle "
                "figure sur la page de la consultation. Si la direction a répondu deux fois ce "
                "jour-là, distinguez les deux réponses par leur texte."
            )
            % {"date": long_date(received_on)},
        )
        return True


class DemandEditForm(EditConflictMixin, WorkspaceFormMixin, forms.ModelForm):
    """One demand (revendication) on the consultation's demands page: what the representatives
    ask, what came of it, and the answer of management that settled it, if recorded. A demand
    another editor saved since the page was opened is refused (edit_conflicts.py)."""

    class Meta:
        model = Demand
        fields = ["text", "status", "settled_by"]
        labels = {
            "text": _("Ce que demandent les élus"),
            "status": _("Qu'en est-il ?"),
            "settled_by": _("Réglée par la réponse"),
        }
        help_texts = {
            "text": SHOWN_IN_PUBLIC,
            "settled_by": _(
                "La réponse de la direction qui l'accorde ou la refuse, si elle est enregistrée."
            ),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, consultation, answer_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        settled_by = self.fields["settled_by"]
        settled_by.queryset = self.answers(consultation)
        settled_by.empty_label = _("Aucune")
        settled_by.error_messages["invalid_choice"] = _(
            "Cette réponse n'est pas une réponse de cette consultation."
        )
        if answer_choices is not None:  # listed once for all the forms (BaseDemandFormSet)
            settled_by.choices = answer_choices
        self.setup()
        self.helper = _helper("text", Row(Column("status"), Column("settled_by")), "version")

    @staticmethod
    def answers(consultation):
        return ManagementResponse.objects.filter(consultation=consultation).order_by(
            "received_on", "pk"
        )


MAX_DEMANDS = 100


class BaseDemandFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "too_many_forms": _(
                "Une consultation compte au plus %(num)d revendications : regroupez-en."
            ),
        }

    @cached_property
    def answer_choices(self):
        """The answers a demand may be settled by, asked once for the page rather than once per
        demand."""
        consultation = self.form_kwargs["consultation"]
        field = forms.ModelChoiceField(
            queryset=DemandEditForm.answers(consultation), empty_label=_("Aucune")
        )
        return list(field.choices)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "answer_choices": self.answer_choices}

    def get_queryset(self):
        """The demands with their versions, read together: one query for the page, not one
        per demand (edit_conflicts.with_versions)."""
        if not hasattr(self, "_queryset"):
            self._queryset = with_versions(super().get_queryset())
        return self._queryset

    def is_valid(self):
        """Django checks nothing of a demand ticked for removal; but one another editor saved
        since the page was opened is not removed before its user has seen their changes."""
        return super().is_valid() and not any(
            self._should_delete_form(form) and form.has_error(NON_FIELD_ERRORS, "edit_conflict")
            for form in self.initial_forms
        )

    def clean(self):
        """A demand listed when the page was opened but gone since (removed by another editor,
        or an id of another consultation's demand sent by hand): Django would drop what was
        typed for it without a word."""
        super().clean()
        for form in self.initial_forms:
            if form.instance.pk is None and not self._should_delete_form(form):
                form.add_error(
                    None,
                    _(
                        "Cette revendication a été supprimée entre-temps : si elle doit rester, "
                        "recopiez-la dans une revendication vide, puis enregistrez."
                    ),
                )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The fields the formset adds, which the form's layout did not name: the hidden id,
        # and for a demand already recorded, the box that removes it.
        form.helper.layout.append(self.model._meta.pk.name)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette revendication")
            form.helper.layout.append("DELETE")


DemandFormSet = forms.modelformset_factory(
    Demand,
    form=DemandEditForm,
    formset=BaseDemandFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_DEMANDS,
    absolute_max=MAX_DEMANDS,
    validate_max=True,
)


DOCUMENT_ACCEPT = ".pdf,.odt,.ods,.docx,.xlsx,.png,.jpg,.jpeg,.gif,.webp"


class DocumentUploadForm(WorkspaceFormMixin, forms.ModelForm):
    autofocus = "kind"

    class Meta:
        model = Document
        fields = [
            "kind",
            "title",
            "file",
            "dated_on",
            "confidential",
            "confidentiality_justification",
        ]
        labels = {"kind": _("Type de document"), "dated_on": _("Date du document")}
        help_texts = {
            "title": SHOWN_IN_PUBLIC_UNLESS_CONFIDENTIAL,
            "file": _("PDF, ODT, ODS, DOCX, XLSX ou image (PNG, JPEG, GIF, WebP)."),
            "confidential": _(
                "Seulement si l'employeur l'a déclaré confidentiel en justifiant pourquoi "
                "(L2315-3). Un document confidentiel ne paraît jamais en public."
            ),
            "confidentiality_justification": help_text(
                _("Recopiez la justification donnée par l'employeur (L2315-3)."),
                KEPT_AMONG_MEMBERS,
            ),
        }
        widgets = {"file": forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT})}

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.consultation = consultation
        self.fields["file"].required = True
        self.setup()
        self.helper = _helper(
            "kind", "title", "file", "dated_on", "confidential", "confidentiality_justification"
        )

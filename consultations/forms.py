"""Forms shared by the admin and the workspace pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consultation, Deployment, ManagementResponse
from .models.consultation import LegalBasis
from .models.deployment import AIFunction, Art50Duty


class ChoiceListField(forms.MultipleChoiceField):
    """Several codes from a TextChoices, stored as a JSON list, shown as checkboxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=choices.choices, **kwargs)


class DeploymentForm(forms.ModelForm):
    functions = ChoiceListField(
        AIFunction,
        label=_("Fonctions"),
        help_text=_("Ce que fait le système : cochez tout ce qui s'applique."),
    )
    art50_duties = ChoiceListField(Art50Duty, label=_("Obligations de transparence (art. 50)"))

    class Meta:
        model = Deployment
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose


class ConsultationForm(forms.ModelForm):
    legal_bases = ChoiceListField(
        LegalBasis,
        label=_("Fondements de la consultation"),
        help_text=_(
            "Une IA qui transcrit ou note les appels relève en général de L2312-8 et L2312-38."
        ),
    )

    class Meta:
        model = Consultation
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose


class ManagementResponseForm(forms.ModelForm):
    class Meta:
        model = ManagementResponse
        fields = "__all__"  # noqa: DJ007 -- admin forms: the ModelAdmin fieldsets choose

    def clean(self):
        cleaned = super().clean()
        consultation = cleaned.get("consultation") or getattr(self.instance, "consultation", None)
        motions = cleaned.get("motions")
        if consultation and motions:
            try:
                ManagementResponse.validate_motions(consultation, motions)
            except forms.ValidationError as error:
                self.add_error("motions", error)
        return cleaned

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .consultation import Consultation
from .deployment import Deployment
from .fields import LongTextField
from .scoping import OrganisationScopedQuerySet


class EventQuerySet(OrganisationScopedQuerySet):
    organisation_path = "deployment__organisation"

    def public(self):
        return self.filter(public=True)


class Event(models.Model):
    """What the other records do not capture: a strike, a press article, a court case..."""

    class Kind(models.TextChoices):
        STRIKE = "strike", _("Grève")
        PRESS = "press", _("Presse")
        LABOUR_INSPECTOR = "labour_inspector", _("Inspection du travail")
        COURT = "court", _("Justice")
        GO_LIVE = "go_live", _("Mise en service")
        OTHER = "other", _("Autre")

    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("système d'IA"),
        blank=True,
        help_text=_("Par défaut, celui de la consultation."),
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("consultation"),
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    text = LongTextField(_("texte"), blank=True, default="")
    # A web page: the public page links to it (no ftp:, nor any other scheme).
    source_url = models.URLField(
        _("source"), blank=True, default="", validators=[URLValidator(schemes=["http", "https"])]
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Paraît sur la frise publique si la consultation est publique."),
    )

    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def __str__(self):
        return self.title

    def clean(self):
        # The consultation saved, or the one being added with this event (the admin's inline on
        # a new consultation's page gives it, unsaved: its id is not known yet).
        consultation = self.consultation
        if not self.deployment_id and consultation is None:
            raise ValidationError(
                _("Rattachez l'événement à une consultation ou à un système d'IA.")
            )
        if (
            self.deployment_id
            and consultation is not None
            and consultation.deployment_id != self.deployment_id
        ):
            raise ValidationError(
                {"consultation": _("Cette consultation porte sur un autre système d'IA.")}
            )

    def save(self, *args, **kwargs):
        if not self.deployment_id and self.consultation_id:
            self.deployment_id = self.consultation.deployment_id
        super().save(*args, **kwargs)

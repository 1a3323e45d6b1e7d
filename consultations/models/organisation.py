from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.siren import is_valid_siren, normalise_siren
from .fields import LongTextField
from .scoping import OrganisationScopedQuerySet


def validate_siren(value):
    if value and not is_valid_siren(value):
        raise ValidationError(
            _("Le SIREN doit compter 9 chiffres et sa clé de contrôle doit être juste."),
            code="invalid_siren",
        )


class OrganisationQuerySet(OrganisationScopedQuerySet):
    organisation_path = ""


class Organisation(models.Model):
    """A company or a group whose works councils are consulted."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=200, unique=True)
    siren = models.CharField(
        _("SIREN"),
        max_length=11,
        blank=True,
        default="",
        validators=[validate_siren],
        help_text=_("Facultatif. 9 chiffres, vérifiés par leur clé."),
    )
    headcount = models.PositiveIntegerField(
        _("effectif"),
        null=True,
        blank=True,
        help_text=_("Les règles du CSE s'appliquent à partir de 50 salariés ; la CSSCT à 300."),
    )
    notes = LongTextField(_("notes"), blank=True, default="")

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.siren = normalise_siren(self.siren)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's role in an organisation: editors change its records, readers read them."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("rédacteur·rice")
        READER = "reader", _("lecteur·rice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utilisateur·rice"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.READER)

    history = HistoricalRecords()
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

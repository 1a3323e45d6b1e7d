from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisation import Organisation
from .scoping import OrganisationScopedQuerySet, moved_from

MINIMUM_AGREED_DAYS = 15  # L2312-16 / R2312-5: an agreed period may not be shorter than 15 days.
# Bounds against a typo, not legal limits. The law sets no longest agreed period; one of more
# than a year would make a date no consultation can wait for (and 3,000,000 days, a date past
# the year 9999: a crash, found by an editor's QA pass).
MAXIMUM_AGREED_DAYS = 365
# R2314-1 gives a CSE at most 35 titulaires (for 10,000 employees and more), R2316-1 a central
# CSE 25; an agreement may add seats (L2314-7), hence the room.
MAXIMUM_SEATS = 200


def agreed_days_validators():
    return [
        MinValueValidator(
            MINIMUM_AGREED_DAYS, _("Un délai conventionnel ne peut être inférieur à 15 jours.")
        ),
        MaxValueValidator(
            MAXIMUM_AGREED_DAYS,
            _(
                "Vérifiez ce délai : Vigie n'accepte pas de délai conventionnel de plus de "
                "%(limit_value)s jours."
            ),
        ),
    ]


class BodyQuerySet(OrganisationScopedQuerySet):
    def able_to_give_opinions(self, keeping=None):
        """The councils, not the CSSCTs (L2315-38); ``keeping``: a body's pk kept whatever its
        kind (the body of a consultation filed on a CSSCT before that rule, whose form then
        says why it is refused)."""
        if keeping is None:
            return self.exclude(kind=Body.Kind.CSSCT)
        return self.filter(~models.Q(kind=Body.Kind.CSSCT) | models.Q(pk=keeping))


class Body(models.Model):
    """A staff representative body: a works council (CSE) or its health and safety committee."""

    class Kind(models.TextChoices):
        CSE = "cse", _("CSE")
        CSE_CENTRAL = "cse_central", _("CSE central")
        CSE_ESTABLISHMENT = "cse_establishment", _("CSE d'établissement")
        CSSCT = "cssct", _("CSSCT")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("type d'instance"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("nom"), max_length=200, help_text=_("Par exemple : CSE de l'établissement de Lyon.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("instance de rattachement"),
        help_text=_("Le CSE central d'un CSE d'établissement ; le CSE d'une CSSCT."),
    )
    seats = models.PositiveSmallIntegerField(
        _("sièges de titulaires"),
        help_text=_("Nombre d'élus titulaires : le nombre de votants ne peut pas le dépasser."),
        validators=[
            MinValueValidator(1, _("Une instance compte au moins un siège de titulaire.")),
            MaxValueValidator(
                MAXIMUM_SEATS,
                _("Vérifiez ce nombre : Vigie n'accepte pas plus de %(limit_value)s sièges."),
            ),
        ],
    )
    agreed_days_without_expert = models.PositiveSmallIntegerField(
        _("délai conventionnel sans expert (jours)"),
        null=True,
        blank=True,
        help_text=_(
            "Seulement si un accord collectif fixe les délais de consultation (L2312-16) : "
            "il remplace alors le délai légal d'un mois. 15 jours au moins."
        ),
        validators=agreed_days_validators(),
    )
    agreed_days_with_expert = models.PositiveSmallIntegerField(
        _("délai conventionnel avec expert (jours)"),
        null=True,
        blank=True,
        help_text=_("Remplace le délai légal de deux ou trois mois (L2312-16). 15 jours au moins."),
        validators=agreed_days_validators(),
    )
    secretary_title = models.CharField(
        _("fonction du signataire"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Pour les extraits de délibération, par exemple : « La secrétaire du CSE »."),
    )

    history = HistoricalRecords()
    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_days_without_expert__isnull=True)
                | models.Q(agreed_days_without_expert__gte=MINIMUM_AGREED_DAYS),
                name="body_agreed_days_without_expert_min_15",
                violation_error_message=_(
                    "Un délai conventionnel ne peut être inférieur à 15 jours."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(agreed_days_with_expert__isnull=True)
                | models.Q(agreed_days_with_expert__gte=MINIMUM_AGREED_DAYS),
                name="body_agreed_days_with_expert_min_15",
                violation_error_message=_(
                    "Un délai conventionnel ne peut être inférieur à 15 jours."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(seats__gte=1),
                name="body_seats_positive",
                violation_error_message=_("Une instance compte au moins un siège de titulaire."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def gives_opinions(self) -> bool:
        """A CSSCT prepares the council's work but never gives an opinion (L2315-38)."""
        return self.kind != self.Kind.CSSCT

    def agreed_days(self, *, expert: bool) -> int | None:
        """The period a collective agreement sets (L2312-16), None without one. An agreement
        displaces R2312-6 entirely, the expert's extension included (Cass. soc. 29 June 2022,
        LEGAL.md trap 4): with an expert, the period agreed without one holds when the agreement
        gives no other, rather than the legal two or three months. Without an expert, only the
        period agreed for that case: one agreed with an expert alone leaves the legal month, as
        the form's help texts say (the legal audit found a 45-day period agreed with an expert
        applied without one, a date later than the month's)."""
        if not expert:
            return self.agreed_days_without_expert
        with_expert, without = self.agreed_days_with_expert, self.agreed_days_without_expert
        return with_expert if with_expert is not None else without

    ALLOWED_PARENTS = {
        Kind.CSE: (),
        Kind.CSE_CENTRAL: (),
        Kind.CSE_ESTABLISHMENT: (Kind.CSE_CENTRAL,),
        Kind.CSSCT: (Kind.CSE, Kind.CSE_CENTRAL, Kind.CSE_ESTABLISHMENT),
    }

    def clean(self):
        errors = {}
        if self.parent_id and self.kind:
            allowed = self.ALLOWED_PARENTS.get(self.kind, ())
            if self.parent.kind not in allowed:
                errors["parent"] = _(
                    "Une instance de ce type ne peut pas être rattachée à un %(parent)s."
                ) % {"parent": self.parent.get_kind_display()}
            elif self.organisation_id and self.parent.organisation_id != self.organisation_id:
                errors["parent"] = _(
                    "L'instance de rattachement doit être de la même organisation."
                )
            elif self.pk and self.parent_id == self.pk:
                errors["parent"] = _("Une instance ne peut pas être rattachée à elle-même.")
        if self.kind == self.Kind.CSSCT and self.seats is not None and self.seats < 3:
            errors["seats"] = _(
                "Une CSSCT compte au moins 3 membres élus, dont un du deuxième ou du troisième "
                "collège (L2315-39)."
            )
        if self.pk and self.kind == self.Kind.CSSCT and self.consultations.exists():
            errors["kind"] = _(
                "Des consultations sont enregistrées sur cette instance : une CSSCT n'est pas "
                "consultée (L2315-38). Rattachez-les d'abord au CSE."
            )
        errors.update(self._organisation_change_errors())
        if errors:
            raise ValidationError(errors)

    def _organisation_change_errors(self):
        """A council that met or was consulted stays with its organisation, as its
        consultations do (Consultation.clean): they would otherwise pass, internal notes and
        documents included, to another organisation's members, their AI systems left behind."""
        if moved_from(self, self.organisation_id) is None:
            return {}
        if not (self.consultations.exists() or self.meetings.exists()):
            return {}
        return {
            "organisation": _(
                "Cette instance a tenu des réunions ou été consultée : elle reste à son "
                "organisation. Pour l'autre, créez-y l'instance."
            )
        }

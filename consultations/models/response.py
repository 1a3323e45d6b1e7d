from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..wording import long_date, lower_first
from .consultation import Consultation, ConsultationPartQuerySet
from .fields import LongTextField, future_dates_set
from .history import HistoricalRecordsWithLinks
from .motion import Motion


def motions_without_answer(motions, responses, *, opinion_answered=False) -> list:
    """The adopted ``motions`` still awaiting management's reasoned answer, listed on the page
    and in the dossier so that an answer to one motion does not hide the silence on another:
    the proposals, wishes and texts of an opinion no answer taking a position names
    (L2315-34: a reasoned decision on the proposals; L2312-15: the follow-up of opinions and
    wishes). Not a « Déclaration », which proposes nothing, nor the text of an opinion once the
    opinion is answered (``opinion_answered``: Consultation.answered). An answer naming no
    motion may answer all those adopted by the day it came: the record does not say, so they
    are not listed. ``responses`` with their motions prefetched."""
    taking_position = [
        response for response in responses if response.stance != ManagementResponse.Stance.NO_ANSWER
    ]
    named = {motion.pk for response in taking_position for motion in response.motions.all()}
    general = [response.received_on for response in taking_position if not response.motions.all()]

    def awaits(motion):
        if not motion.adopted_on or motion.kind == Motion.Kind.STATEMENT or motion.pk in named:
            return False
        if motion.kind == Motion.Kind.OPINION and opinion_answered:
            return False
        return not any(day >= motion.adopted_on for day in general)

    return [motion for motion in motions if awaits(motion)]


class ManagementResponse(models.Model):
    """Management's reasoned answer to the council's opinion and motions (L2312-15, L2315-34)."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Courrier")
        EMAIL = "email", _("Courriel")
        MEETING = "meeting", _("En réunion")
        MINUTES = "minutes", _("Au procès-verbal")
        INTRANET = "intranet", _("Note ou intranet")
        OTHER = "other", _("Autre")

    class Stance(models.TextChoices):
        ACCEPTS = "accepts", _("Accepte")
        PARTLY = "partly", _("Accepte en partie")
        REJECTS = "rejects", _("Refuse")
        NO_ANSWER = "no_answer", _("Ne répond pas sur le fond")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("consultation"),
    )
    motions = models.ManyToManyField(
        Motion,
        blank=True,
        related_name="responses",
        verbose_name=_("motions auxquelles elle répond"),
    )
    received_on = models.DateField(_("reçue le"))
    channel = models.CharField(_("forme"), max_length=10, choices=Channel.choices)
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices)
    text = LongTextField(
        _("texte ou résumé"),
        blank=True,
        default="",
        help_text=_("Mise en forme Markdown acceptée."),
    )

    history = HistoricalRecordsWithLinks(m2m_fields=[motions])
    objects = ConsultationPartQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("réponse de la direction")
        verbose_name_plural = _("réponses de la direction")

    def __str__(self):
        return _("Réponse du %(date)s : %(stance)s") % {
            "date": long_date(self.received_on) if self.received_on else "?",
            "stance": lower_first(self.get_stance_display()),  # « : refuse », not « : Refuse »
        }

    def answers_among(self, motions) -> list:
        """The motions this answer answers among ``motions`` (those a page or a PDF shows: the
        public reads the published ones only), read from a prefetch of ``motions``."""
        shown = {motion.pk for motion in motions}
        return [motion for motion in self.motions.all() if motion.pk in shown]

    def clean(self):
        consultation = self.consultation if self.consultation_id else None
        if (
            consultation
            and self.received_on
            and consultation.information_received_on
            and self.received_on < consultation.information_received_on
        ):
            raise ValidationError(
                {"received_on": _("Une réponse ne peut pas précéder la remise des informations.")}
            )
        if future_dates_set(self, ("received_on",)):
            # A future date would count as the answer and end "réponse en retard" in advance;
            # only a date being set or changed (an old record holding one stays editable).
            raise ValidationError(
                {
                    "received_on": _(
                        "La réponse est datée du %(date)s, à venir : elle s'enregistre une fois "
                        "reçue."
                    )
                    % {"date": long_date(self.received_on)}
                }
            )

    @staticmethod
    def validate_motions(consultation, motions, received_on=None):
        """The motions answered belong to the same consultation and were adopted by the day
        the answer came (used by forms: the links are many-to-many)."""
        errors = [
            ValidationError(
                _("La motion « %(title)s » appartient à une autre consultation.")
                % {"title": motion.title}
            )
            for motion in motions
            if motion.consultation_id != consultation.pk
        ]
        # Each motion adopted after the answer is named (found by an editor's QA pass: of two,
        # only the first was).
        errors += [
            ValidationError(
                _(
                    "Une réponse reçue le %(received)s ne peut pas répondre à la motion "
                    "« %(title)s », adoptée après, le %(adopted)s."
                )
                % {
                    "received": long_date(received_on),
                    "title": motion.title,
                    "adopted": long_date(motion.adopted_on),
                }
            )
            for motion in motions
            if received_on
            and motion.consultation_id == consultation.pk
            and motion.adopted_on
            and motion.adopted_on > received_on
        ]
        if errors:
            raise ValidationError(errors)


class Demand(models.Model):
    """A demand (revendication) the representatives put to management, and what came of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        WON = "won", _("Obtenue")
        PARTLY = "partly", _("Obtenue en partie")
        REFUSED = "refused", _("Refusée")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="demands",
        verbose_name=_("consultation"),
    )
    text = LongTextField(_("revendication"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    settled_by = models.ForeignKey(
        ManagementResponse,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settled_demands",
        verbose_name=_("réglée par la réponse"),
    )

    history = HistoricalRecords()
    objects = ConsultationPartQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("revendication")
        verbose_name_plural = _("revendications")

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def clean(self):
        errors = {}
        response = self.settled_by if self.settled_by_id else None
        if response and self.consultation_id and response.consultation_id != self.consultation_id:
            errors["settled_by"] = _("Cette réponse concerne une autre consultation.")
        if response and self.status == self.Status.PENDING:
            errors["status"] = _("Une revendication réglée par une réponse n'est plus en attente.")
        if errors:
            raise ValidationError(errors)

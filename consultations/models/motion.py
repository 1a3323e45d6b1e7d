from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..markdown import french_typography, render_markdown
from ..wording import long_date
from .body import Body
from .consultation import Consultation, ConsultationPartQuerySet
from .fields import LongTextField, future_dates_set
from .meeting import Vote


class MotionQuerySet(ConsultationPartQuerySet):
    def adopted(self):
        return self.filter(adopted_on__isnull=False)

    def published(self):
        """Motions the public may read: published, adopted, in a public consultation."""
        return super().published().adopted().filter(published=True)

    def render_texts(self) -> int:
        """Write each motion's page HTML again from its text (after a change of the rendering
        rules, or a restore); returns how many changed."""
        changed = 0
        for motion in self.only("pk", "text", "text_html").iterator(chunk_size=500):
            html = Motion.render_text(motion.text)
            if html != motion.text_html:
                Motion.objects.filter(pk=motion.pk).update(text_html=html)
                changed += 1
        return changed


class Motion(models.Model):
    """A text adopted by the council: opinion, motion, resolution, wish or statement.

    Its number is assigned on adoption, in order, per body and calendar year.
    """

    class Kind(models.TextChoices):
        OPINION = "opinion", _("Avis")
        MOTION = "motion", _("Motion")
        RESOLUTION = "resolution", _("Résolution")
        WISH = "wish", _("Vœu")
        STATEMENT = "statement", _("Déclaration")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="motions",
        verbose_name=_("consultation"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="motions",
        verbose_name=_("instance"),
        blank=True,
        help_text=_("Par défaut, l'instance de la réunion qui l'adopte, ou de la consultation."),
    )
    adopting_vote = models.OneToOneField(
        Vote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motion",
        verbose_name=_("vote d'adoption"),
    )
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices, default=Kind.MOTION)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("numéro"), null=True, blank=True, editable=False)
    title = models.CharField(_("titre"), max_length=300)
    text = LongTextField(
        _("texte"), blank=True, default="", help_text=_("Mise en forme Markdown acceptée.")
    )
    adopted_on = models.DateField(
        _("adoptée le"),
        null=True,
        blank=True,
        help_text=_("Vide tant qu'elle n'est pas adoptée ; la date du vote par défaut."),
    )
    published = models.BooleanField(
        _("publiée"),
        default=False,
        help_text=_("Une motion publiée d'une consultation publique paraît sur la frise publique."),
    )
    # The text as a page shows it (Markdown rendered, sanitised, French typography), written on
    # save: rendering 40 motions' Markdown on every view was a third of a consultation page.
    text_html = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["text_html"])
    objects = MotionQuerySet.as_manager()

    class Meta:
        ordering = ["adopted_on", "number", "id"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="motion_number_unique_per_body_and_year"
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(adopted_on__isnull=False),
                name="motion_number_only_when_adopted",
            ),
        ]

    def __str__(self):
        return f"{self.designation} — {self.title}"

    @property
    def designation(self) -> str:
        """What names the text before its title, in the reader's language: "Motion n° 2020-01",
        "Avis". The pages write the title apart, marked with the language of the records."""
        if self.number:
            number = _("n° %(reference)s") % {"reference": self.reference}
            return f"{self.get_kind_display()} {number}"
        return str(self.get_kind_display())

    @property
    def masculine(self) -> bool:
        """French agrees with the kind of text: un avis, un vœu « adopté » ; une motion, une
        résolution, une déclaration « adoptée »."""
        return self.kind in (self.Kind.OPINION, self.Kind.WISH)

    @property
    def result_label(self) -> str:
        """Its adopting vote's result said of the text, in the reader's language: "adopté à
        l'unanimité" of an avis, "adoptée" of a motion; "" without a result."""
        result = self.adopting_vote.result if self.adopting_vote_id else None
        return gettext(result.label_agreeing(masculine=self.masculine)) if result else ""

    @property
    def is_public(self) -> bool:
        """Whether the public may read it (as MotionQuerySet.published): published, adopted, in
        a public consultation. Its exports say otherwise that they are internal."""
        return bool(
            self.published
            and self.adopted_on
            and self.consultation.visibility == Consultation.Visibility.PUBLIC
        )

    @property
    def reference(self) -> str:
        """e.g. "2020-03": the year and the number within the body's year."""
        return f"{self.year}-{self.number:02d}" if self.number else ""

    def _default_body(self):
        if self.adopting_vote_id:
            return self.adopting_vote.meeting.body
        return self.consultation.body

    def clean(self):
        errors = {}
        vote = self.adopting_vote if self.adopting_vote_id else None
        if vote:
            if vote.consultation_id and vote.consultation_id != self.consultation_id:
                errors["adopting_vote"] = _("Ce vote porte sur une autre consultation.")
            elif not vote.adopted:
                errors["adopting_vote"] = _(
                    "Ce vote n'a pas été adopté : la motion ne peut pas lui être rattachée."
                )
            elif self.adopted_on and self.adopted_on != vote.meeting.held_on:
                errors["adopted_on"] = _(
                    "La date d'adoption doit être celle de la réunion du vote (%(date)s)."
                ) % {"date": long_date(vote.meeting.held_on)}
        if "adopted_on" not in errors and future_dates_set(self, ("adopted_on",)):
            # Only a date being set or changed: an old record holding one stays editable.
            errors["adopted_on"] = _(
                "La motion est datée du %(date)s, à venir : elle s'enregistre une fois adoptée."
            ) % {"date": long_date(self.adopted_on)}
        body = self.body if self.body_id else (vote.meeting.body if vote else None)
        if self.kind == self.Kind.OPINION and body is not None and not body.gives_opinions:
            errors["kind"] = _(
                "Une CSSCT ne rend pas d'avis (L2315-38) : c'est le CSE qui le rend. "
                "Enregistrez ce texte comme motion, résolution ou déclaration."
            )
        if (
            self.body_id
            and self.consultation_id
            and self.body.organisation_id != self.consultation.body.organisation_id
        ):
            errors["body"] = _("L'instance doit être de la même organisation que la consultation.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def render_text(text: str) -> str:
        return french_typography(render_markdown(text))

    def save(self, *args, **kwargs):
        self.text_html = self.render_text(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_html"}
        if not self.body_id:
            self.body = self._default_body()
        if self.adopting_vote_id and not self.adopted_on and self.adopting_vote.adopted:
            self.adopted_on = self.adopting_vote.meeting.held_on
        if not self.adopted_on:
            self.year = self.number = None
            return super().save(*args, **kwargs)
        if self.number and self.year == self.adopted_on.year:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.year = self.adopted_on.year
            self.number = self.next_number(self.body_id, self.year)
            super().save(*args, **kwargs)

    @staticmethod
    def next_number(body_id, year) -> int:
        """The next number in the body's year. Locks the body's row so that two adoptions at the
        same time cannot take the same number (the unique constraint is the last guard)."""
        Body.objects.select_for_update().filter(pk=body_id).first()
        last = Motion.objects.filter(body_id=body_id, year=year).aggregate(models.Max("number"))[
            "number__max"
        ]
        return (last or 0) + 1

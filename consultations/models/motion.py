from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..markdown import french_typography, render_markdown
from ..rules.proposals import ProposalDecision, proposal_decision
from ..wording import long_date
from .body import Body
from .consultation import Consultation, ConsultationPartQuerySet
from .fields import LongTextField, future_dates_set
from .meeting import Meeting, Vote


class MotionQuerySet(ConsultationPartQuerySet):
    def adopted(self):
        return self.filter(adopted_on__isnull=False)

    def published(self):
        """Motions the public may read: published, adopted, in a public consultation."""
        return super().published().adopted().filter(published=True)

    def with_decision_facts(self):
        """Annotate what management's decision on each motion is due after (Motion.decision(),
        L2315-34), in the same query whatever the number of motions: ``decision_minutes_sent_on``,
        the day the minutes of the meeting that adopted it were sent (its vote's meeting, or
        its body's meeting of the day it was adopted); ``decision_next_meeting_on``, the
        council's first meeting held after that day; ``decision_body_kind``, that council's
        kind."""
        same_day = Meeting.objects.filter(
            body=models.OuterRef("body"),
            held_on=models.OuterRef("adopted_on"),
            minutes_sent_on__isnull=False,
        ).order_by("minutes_sent_on")
        minutes = models.Case(
            models.When(
                adopting_vote__isnull=False,
                then=models.F("adopting_vote__meeting__minutes_sent_on"),
            ),
            default=models.Subquery(same_day.values("minutes_sent_on")[:1]),
            output_field=models.DateField(),
        )
        later = Meeting.objects.filter(
            body=models.OuterRef("decision_body"),
            held_on__gt=models.OuterRef("decision_minutes_sent_on"),
        ).order_by("held_on")
        return self.annotate(
            decision_body=Coalesce("adopting_vote__meeting__body", "body"),
            decision_body_kind=Coalesce("adopting_vote__meeting__body__kind", "body__kind"),
            decision_minutes_sent_on=minutes,
        ).annotate(decision_next_meeting_on=models.Subquery(later.values("held_on")[:1]))

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

    # The texts that propose nothing to management (L2315-34 is about the council's proposals):
    # a statement; and the opinion, whose answer the consultation counts (answer_due()).
    WITHOUT_DECISION = (Kind.STATEMENT, Kind.OPINION)

    def decision(self, responses, today=None) -> ProposalDecision | None:
        """Management's reasoned decision on this proposal (L2315-34; rules/proposals.py): due
        at the council's first meeting after the minutes of the meeting that adopted it were
        sent. None for a text not adopted, a statement or an opinion (WITHOUT_DECISION), and a
        CSSCT's text: L2315-34 is the CSE's, whose minutes the CSSCT has not (Meeting.
        has_statutory_steps). ``responses``: the consultation's answers with their motions
        (prefetched), of which those taking a position count, the first naming this motion, or
        else the first naming none received on or after its adoption (as
        response.motions_without_answer counts them). Reads the annotations of
        MotionQuerySet.with_decision_facts() (else asks the database)."""
        from .response import ManagementResponse

        if not self.adopted_on or self.kind in self.WITHOUT_DECISION:
            return None
        if not hasattr(self, "decision_minutes_sent_on"):
            facts = Motion.objects.with_decision_facts().filter(pk=self.pk)
            (
                self.decision_body_kind,
                self.decision_minutes_sent_on,
                self.decision_next_meeting_on,
            ) = facts.values_list(
                "decision_body_kind", "decision_minutes_sent_on", "decision_next_meeting_on"
            ).first() or (None, None, None)
        if self.decision_body_kind == Body.Kind.CSSCT:
            return None
        taking_position = [
            response
            for response in responses
            if response.stance != ManagementResponse.Stance.NO_ANSWER
        ]
        named = [
            response.received_on
            for response in taking_position
            if any(motion.pk == self.pk for motion in response.motions.all())
        ]
        general = [
            response.received_on
            for response in taking_position
            if not response.motions.all() and response.received_on >= self.adopted_on
        ]
        return proposal_decision(
            self.adopted_on,
            minutes_sent_on=self.decision_minutes_sent_on,
            next_meeting_on=self.decision_next_meeting_on,
            answered_on=min(named or general, default=None),
            today=today or timezone.localdate(),
        )

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

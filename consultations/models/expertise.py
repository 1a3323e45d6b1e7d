from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.clock import DatedStep, step_state
from ..rules.deadlines import (
    Due,
    contest_limit,
    expertise_milestones,
    judged_contest_stop,
    presumed_appointing_votes,
)
from ..wording import long_date
from .consultation import Consultation, ConsultationPartQuerySet
from .fields import LongTextField, future_dates_set
from .meeting import Vote


class ExpertiseQuerySet(ConsultationPartQuerySet):
    def with_vote_day(self):
        """Annotate ``vote_held_on``: the day of the vote that appointed the expert."""
        return self.annotate(vote_held_on=models.F("appointing_vote__meeting__held_on"))


@dataclass(frozen=True)
class ContestWindow:
    """What the employer may take to the judge, until when, and whether that day has passed."""

    what: str
    due: Due
    open: bool
    # Which day it counts from, when that needs saying (a vote presumed, none recorded).
    note: str = ""


class Expertise(models.Model):
    """An accredited expert appointed by the works council (L2315-94), and its milestones."""

    class Ground(models.TextChoices):
        SERIOUS_RISK = "serious_risk", _("Risque grave, identifié et actuel (L2315-94 1°)")
        NEW_TECHNOLOGY = (
            "new_technology",
            _("Nouvelles technologies ou projet important (L2315-94 2°)"),
        )

    class ContestOutcome(models.TextChoices):
        NONE = "", _("Pas de jugement")
        REJECTED = "rejected", _("Contestation rejetée : l'expertise continue")
        PARTLY = "partly", _("Expertise réduite ou coût diminué")
        ANNULLED = "annulled", _("Expertise annulée")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="expertises",
        verbose_name=_("consultation"),
    )
    ground = models.CharField(_("motif"), max_length=20, choices=Ground.choices)
    expert_firm = models.CharField(_("cabinet d'expertise"), max_length=200, blank=True, default="")
    appointing_vote = models.ForeignKey(
        Vote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointed_expertises",
        verbose_name=_("vote de désignation"),
    )
    designated_on = models.DateField(_("expert désigné le"), null=True, blank=True)
    spec_notified_on = models.DateField(_("cahier des charges notifié le"), null=True, blank=True)
    information_requested_on = models.DateField(
        _("informations demandées le"),
        null=True,
        blank=True,
        help_text=_("Dans les 3 jours de la désignation (R2315-45)."),
    )
    information_received_on = models.DateField(
        _("informations reçues le"),
        null=True,
        blank=True,
        help_text=_("L'employeur répond dans les 5 jours de la demande (R2315-45)."),
    )
    cost_notified_on = models.DateField(
        _("coût prévisionnel notifié le"),
        null=True,
        blank=True,
        help_text=_("Dans les 10 jours de la désignation (R2315-46)."),
    )
    estimated_cost = models.DecimalField(
        _("coût prévisionnel (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    final_cost = models.DecimalField(
        _("coût final (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    final_cost_notified_on = models.DateField(_("coût final notifié le"), null=True, blank=True)
    budget_insufficient = models.BooleanField(
        _("budget de fonctionnement insuffisant"),
        default=False,
        help_text=_(
            "Avec la case suivante, l'employeur paie alors 100 % d'une expertise sur un projet "
            "(L2315-80)."
        ),
    )
    no_surplus_transferred = models.BooleanField(
        _(
            "aucun excédent transféré aux activités sociales et culturelles les 3 années précédentes"
        ),
        default=False,
        help_text=_(
            "Seconde condition du financement à 100 % par l'employeur ; le CSE ne pourra alors "
            "rien transférer pendant 3 ans (L2315-80, L2315-61)."
        ),
    )
    contested_on = models.DateField(
        _("contestée par l'employeur le"),
        null=True,
        blank=True,
        help_text=_("Dans les 10 jours (L2315-86) ; le délai de consultation est suspendu."),
    )
    judgment_on = models.DateField(_("jugement notifié le"), null=True, blank=True)
    contest_outcome = models.CharField(
        _("issue de la contestation"),
        max_length=10,
        choices=ContestOutcome.choices,
        blank=True,
        default=ContestOutcome.NONE,
    )
    report_delivered_on = models.DateField(
        _("rapport remis le"),
        null=True,
        blank=True,
        help_text=_(
            "Au plus tard 15 jours avant la fin du délai de consultation ; pour un risque grave, "
            "2 mois après la désignation, sauf renouvellement (R2315-47)."
        ),
    )
    report_extension_months = models.PositiveSmallIntegerField(
        _("délai du rapport renouvelé de"),
        null=True,
        blank=True,
        choices=[(1, _("1 mois")), (2, _("2 mois"))],
        help_text=_(
            "Risque grave seulement : les 2 mois du rapport se renouvellent une fois, pour 2 mois "
            "au plus, par accord entre l'employeur et le CSE voté à la majorité des titulaires "
            "élus (R2315-47)."
        ),
    )
    report_presented_on = models.DateField(_("rapport présenté le"), null=True, blank=True)
    obstacles = LongTextField(
        _("obstacles rencontrés"),
        blank=True,
        default="",
        help_text=_("Mise en forme Markdown acceptée."),
    )
    findings = LongTextField(
        _("conclusions"), blank=True, default="", help_text=_("Mise en forme Markdown acceptée.")
    )

    history = HistoricalRecords()
    objects = ExpertiseQuerySet.as_manager()

    class Meta:
        ordering = ["designated_on", "id"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_cost__isnull=True) | models.Q(estimated_cost__gte=0),
                name="expertise_estimated_cost_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(final_cost__isnull=True) | models.Q(final_cost__gte=0),
                name="expertise_final_cost_non_negative",
            ),
            # R2315-47: renewed once, for 2 months at most.
            models.CheckConstraint(
                condition=models.Q(report_extension_months__isnull=True)
                | models.Q(report_extension_months__in=(1, 2)),
                name="expertise_report_extension_at_most_2_months",
            ),
        ]

    def __str__(self):
        firm = self.expert_firm or _("expert à désigner")
        return f"{_('Expertise')} — {firm}"

    # Each legal milestone (rules/deadlines.py) and the recorded fact that meets it.
    MILESTONES = {
        "information_request": (
            _("Demande d'informations de l'expert"),
            "information_requested_on",
        ),
        "employer_answer": (_("Réponse de l'employeur"), "information_received_on"),
        "cost_notice": (_("Notification du coût prévisionnel"), "cost_notified_on"),
        "report": (_("Remise du rapport"), "report_delivered_on"),
    }
    # The expert *may* ask for more information (R2315-45): without a request by its date,
    # nothing was missed.
    OPTIONAL_MILESTONES = {"information_request"}

    def milestones(self, on=None, *, consultation_deadline=None) -> list[DatedStep]:
        """The expert's milestones from the designation, each met, late or pending.

        ``consultation_deadline`` (a date) saves recomputing it when the caller has it."""
        if not self.designated_on or not self.ground:
            return []
        if self.contest_outcome == self.ContestOutcome.ANNULLED:
            return []  # the judge annulled it (L2315-86): no expert step is due any more
        if consultation_deadline is None:
            deadline = self.consultation.deadline()
            consultation_deadline = deadline.date if deadline else None
        if consultation_deadline and self.designated_on > consultation_deadline:
            # Designated after the period ended, which it did not extend (Consultation.
            # _expertise_extends): no report is due "15 days before" a day already past.
            consultation_deadline = None
        dues = expertise_milestones(
            self.designated_on,
            consultation_deadline=consultation_deadline,
            ground=self.ground,
            information_requested=self.information_requested_on,
            report_extension_months=self.report_extension_months or 0,
        )
        on = on or timezone.localdate()
        steps = []
        for key, due in dues.items():
            label, fact = self.MILESTONES[key]
            met_on = getattr(self, fact)
            state = step_state(due.date, met_on, on, optional=key in self.OPTIONAL_MILESTONES)
            steps.append(DatedStep(key, str(label), due, met_on, state))
        return steps

    # What the employer may contest before the judge, within 10 days (L2315-86, R2315-49): the
    # necessity of the expertise from the council's vote, the choice of the expert from the
    # designation (the same day in the usual case), the specifications, the cost, scope and
    # duration, and the final cost, each from its notice.
    NOTICES = (
        ("spec_notified_on", _("le cahier des charges")),
        ("cost_notified_on", _("le coût prévisionnel, l'étendue ou la durée")),
        ("final_cost_notified_on", _("le coût final")),
    )

    @property
    def decided_on(self):
        """The day the council decided the expertise: its vote (presumed_vote() when none is
        linked), or the designation when no vote is known (the earlier when both are); None
        without either."""
        days = [day for day in (self.vote_day(), self.designated_on) if day]
        return min(days, default=None)

    def vote_day(self):
        """The day of the vote that appointed the expert: the vote linked (with_vote_day() saves
        the query), else the one presumed (presumed_vote()); None without either."""
        if self.appointing_vote_id:
            if hasattr(self, "vote_held_on"):
                return self.vote_held_on
            return self.appointing_vote.meeting.held_on
        presumed = self.presumed_vote()
        return presumed.meeting.held_on if presumed else None

    def presumed_vote(self):
        """With no vote linked, the consultation's adopted vote appointing an expert that
        appointed this one, when there is no doubt (rules.deadlines.presumed_appointing_votes:
        the latest held on or before the designation, linked to no other expertise, that no
        other expertise without a vote would take too); None otherwise.

        An expertise added from the consultation's admin page had no field for its vote (found
        by a union official's QA pass): its 10 days to contest the need for the expertise ran
        from the designation, while the period (Consultation._expert_voted_by) already counted
        the vote. R2315-49, LEGAL.md (a) 12 and trap 9: the need from the vote. Read from the
        consultation's fetched expertises and votes (with_clock_facts(): no query)."""
        if self.appointing_vote_id or not self.consultation_id:
            return None
        consultation = self.consultation
        # This record as it stands (a form's, not yet saved), in place of the one fetched.
        expertises = [
            other for other in consultation.fetched("expertises") if other.pk != self.pk
        ] + [self]
        linked = {other.appointing_vote_id for other in expertises if other.appointing_vote_id}
        votes = {
            vote.pk: vote
            for vote in consultation.expert_votes()
            if vote.adopted and vote.pk not in linked
        }
        if not votes:
            return None
        designations = {
            index: other.designated_on
            for index, other in enumerate(expertises)
            if not other.appointing_vote_id
        }
        days = {pk: vote.meeting.held_on for pk, vote in votes.items()}
        picked = presumed_appointing_votes(designations, days).get(len(expertises) - 1)
        return votes[picked] if picked is not None else None

    @property
    def contest_suspension(self) -> tuple | None:
        """(first, last day) the employer's contest suspended the consultation period, once the
        judgment is notified (L2315-86; Consultation._period counts them); None otherwise."""
        if self.contested_on and self.judgment_on:
            return judged_contest_stop(self.contested_on, self.judgment_on)
        return None

    def contest_windows(self, on=None) -> list[ContestWindow]:
        """The employer's 10 days to contest, for each of the facts recorded: the council knows
        when its expertise can no longer be challenged. The need for the expertise from the
        council's vote, the choice of the expert from the designation (R2315-49); with no vote
        linked, from the vote presumed (presumed_vote()), which the window names."""
        on = on or timezone.localdate()
        vote, designation = self.vote_day(), self.designated_on
        note = self._vote_note() if vote or designation else ""
        events = []
        if vote and designation and vote != designation:
            events += [
                (vote, "vote", _("la nécessité de l'expertise"), note),
                (designation, "designation", _("le choix de l'expert"), ""),
            ]
        elif vote or designation:
            both = _("la nécessité de l'expertise et le choix de l'expert")
            events.append((vote or designation, "vote" if vote else "designation", both, note))
        events += [(getattr(self, field), "", what, "") for field, what in self.NOTICES]
        windows = []
        for day, event, what, said in events:
            if day:
                due = contest_limit(day, event=event)
                windows.append(ContestWindow(str(what), due, on <= due.date, str(said)))
        return windows

    def _vote_note(self) -> str:
        """What the window of the need for the expertise counts from, when no vote is linked:
        the vote presumed, or the designation for want of a vote (found by a union official's
        QA pass: the page read « jusqu'au 20 août », ten days from the designation, beside a
        period that counted the vote of 6 August)."""
        if self.appointing_vote_id:
            return ""
        presumed = self.presumed_vote()
        if presumed is not None:
            return _(
                "Compté du vote du %(date)s désignant un expert : l'expertise n'est rattachée à "
                "aucun vote, et c'est le seul vote adopté de la consultation qui peut l'avoir "
                "décidée (R2315-49)."
            ) % {"date": long_date(presumed.meeting.held_on)}
        if self._unlinked_votes_before_designation():
            return _(
                "Compté de la désignation : l'expertise n'est rattachée à aucun vote, et les "
                "votes adoptés de la consultation ne disent pas avec certitude lequel l'a "
                "décidée. La nécessité de l'expertise se conteste dans les 10 jours du vote "
                "(R2315-49) : rattachez-lui le sien."
            )
        return _(
            "Compté de la désignation, aucun vote du CSE désignant un expert n'étant rattaché "
            "à l'expertise : la nécessité de l'expertise se conteste dans les 10 jours du vote "
            "(R2315-49)."
        )

    def _unlinked_votes_before_designation(self) -> list:
        """The consultation's adopted votes appointing an expert, linked to no expertise, held
        on or before the designation (any day without one): those that may have decided this
        expertise."""
        if not self.consultation_id:
            return []
        linked = {other.appointing_vote_id for other in self.consultation.fetched("expertises")}
        return [
            vote
            for vote in self.consultation.expert_votes()
            if vote.adopted
            and vote.pk not in linked
            and (not self.designated_on or vote.meeting.held_on <= self.designated_on)
        ]

    @property
    def employer_share_percent(self) -> int:
        """Funding split (L2315-80): 100 % employer for a serious risk; 80/20 for a new technology,
        unless the council's operating budget is insufficient and it moved no surplus to its
        social and cultural activities in the 3 years before (then 100 %)."""
        if self.ground == self.Ground.SERIOUS_RISK or (
            self.budget_insufficient and self.no_surplus_transferred
        ):
            return 100
        return 80

    @property
    def council_share_percent(self) -> int:
        return 100 - self.employer_share_percent

    # Dates that cannot come before another one: (field, must not precede, message).
    DATE_ORDER = [
        (
            "information_requested_on",
            "designated_on",
            _("La demande d'informations ne peut pas précéder la désignation de l'expert."),
        ),
        (
            "information_received_on",
            "information_requested_on",
            _("Les informations ne peuvent pas être reçues avant d'être demandées."),
        ),
        (
            "cost_notified_on",
            "designated_on",
            _("Le coût prévisionnel ne peut pas être notifié avant la désignation."),
        ),
        (
            "report_delivered_on",
            "designated_on",
            _("Le rapport ne peut pas être remis avant la désignation de l'expert."),
        ),
        (
            "report_presented_on",
            "report_delivered_on",
            _("Le rapport ne peut pas être présenté avant d'avoir été remis."),
        ),
        (
            # From the council's vote, which may precede the designation: the need for the
            # expertise is contested within 10 days of the deliberation (L2315-86, R2315-49).
            "contested_on",
            "decided_on",
            _("L'employeur ne peut pas contester l'expertise avant que le CSE l'ait votée."),
        ),
        ("judgment_on", "contested_on", _("Le jugement ne peut pas précéder la contestation.")),
        (
            "final_cost_notified_on",
            "designated_on",
            _("Le coût final ne peut pas être notifié avant la désignation."),
        ),
    ]

    def clean(self):
        errors = {}
        consultation = self.consultation if self.consultation_id else None
        if consultation and not consultation.body.gives_opinions:
            errors["consultation"] = _(
                "Une CSSCT n'a pas le droit de désigner un expert (L2315-38) : "
                "l'expertise est votée par le CSE."
            )
        for later, earlier, message in self.DATE_ORDER:
            later_date, earlier_date = getattr(self, later), getattr(self, earlier)
            if later_date and earlier_date and later_date < earlier_date:
                errors.setdefault(later, message)
        if self.report_extension_months and self.ground != self.Ground.SERIOUS_RISK:
            errors["report_extension_months"] = _(
                "Seul le délai d'une expertise pour risque grave se renouvelle (R2315-47) : pour "
                "un projet, le rapport est dû 15 jours avant la fin du délai de consultation."
            )
        errors.update(self._future_step_errors())
        if self.judgment_on and not self.contested_on:
            errors["contested_on"] = _("Un jugement suppose une contestation : indiquez sa date.")
        if self.contest_outcome and not self.judgment_on:
            errors["judgment_on"] = _("Indiquez la date à laquelle le jugement a été notifié.")
        vote = self.appointing_vote if self.appointing_vote_id else None
        if vote:
            if self.consultation_id and vote.consultation_id not in (None, self.consultation_id):
                # Its day decides whether the expertise extends this consultation's period.
                errors["appointing_vote"] = _("Ce vote porte sur une autre consultation.")
            elif vote.subject != Vote.Subject.APPOINT_EXPERT:
                errors["appointing_vote"] = _(
                    "Ce vote ne porte pas sur la désignation d'un expert."
                )
            elif not vote.adopted:
                errors["appointing_vote"] = _(
                    "Ce vote n'a pas été adopté : il ne désigne pas d'expert."
                )
            elif self.designated_on and self.designated_on < vote.meeting.held_on:
                errors["designated_on"] = _(
                    "L'expert ne peut pas être désigné avant le vote du %(date)s."
                ) % {"date": long_date(vote.meeting.held_on)}
        errors.update(self._duplicate_errors())
        if errors:
            raise ValidationError(errors)

    # Each step the expertise went through, on the day it happened.
    STEP_DATES = (
        "designated_on",
        "spec_notified_on",
        "information_requested_on",
        "information_received_on",
        "cost_notified_on",
        "contested_on",
        "judgment_on",
        "report_delivered_on",
        "report_presented_on",
        "final_cost_notified_on",
    )

    def _future_step_errors(self):
        """A step dated after today: a report "delivered" next month would read as delivered
        (late) on the page while the timeline says « à venir », and count before it happens.
        Steps are recorded once they happen, as management's answers are (found by an editor's
        QA pass). Asked of a date being set or changed only: a record saved before this rule
        with a future date stays editable, its consultation's admin page (whose inline
        revalidates it) too, as long as that date is left as it is."""
        return {
            name: _(
                "Le %(date)s est à venir : une étape de l'expertise s'enregistre une fois franchie."
            )
            % {"date": long_date(getattr(self, name))}
            for name in future_dates_set(self, self.STEP_DATES)
        }

    def _duplicate_errors(self):
        """The same expertise recorded twice (a form sent again) would show two experts and
        count their steps twice: a vote appoints one expert, and without a vote, the same firm
        designated the same day on the same ground is the same expertise. Asked of a new
        expertise only: one recorded before this rule stays editable."""
        if self.pk is not None or not self.consultation_id:
            return {}
        others = Expertise.objects.filter(consultation=self.consultation_id)
        if self.appointing_vote_id:
            if others.filter(appointing_vote=self.appointing_vote_id).exists():
                return {
                    "appointing_vote": _(
                        "Une expertise est déjà enregistrée pour ce vote : complétez-la depuis "
                        "la page de la consultation."
                    )
                }
        elif (
            self.expert_firm
            and self.designated_on
            and others.filter(
                expert_firm__iexact=self.expert_firm,
                designated_on=self.designated_on,
                ground=self.ground,
            ).exists()
        ):
            return {
                "expert_firm": _(
                    "Cette expertise est déjà enregistrée (même cabinet, même motif, désigné le "
                    "même jour) : complétez-la depuis la page de la consultation."
                )
            }
        return {}

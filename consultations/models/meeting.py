from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.clock import DatedStep, step_state
from ..rules.deadlines import agenda_due, minutes_due
from ..rules.votes import Majority, VoteError, vote_errors, vote_result
from ..wording import long_date, written_date
from .body import Body
from .consultation import Consultation
from .fields import LongTextField, future_dates_set
from .history import HistoricalRecordsWithLinks
from .scoping import OrganisationScopedQuerySet


def short_date(value):
    return long_date(value)


class MeetingQuerySet(OrganisationScopedQuerySet):
    organisation_path = "body__organisation"

    def with_next_meeting(self):
        """Annotate ``next_held_on``: the body's next meeting, for the minutes' due date."""
        later = Meeting.objects.filter(
            body=models.OuterRef("body"), held_on__gt=models.OuterRef("held_on")
        ).order_by("held_on")
        return self.select_related("body").annotate(
            next_held_on=models.Subquery(later.values("held_on")[:1])
        )

    def listed_with(self, consultation):
        """The meetings a consultation's page lists (its members'): those with the consultation
        on their agenda or a vote on it, of its organisation's councils (not a meeting of
        another company's council left on an agenda by older versions), oldest first."""
        return (
            self.filter(
                models.Q(consultations=consultation) | models.Q(votes__consultation=consultation)
            )
            .filter(body__organisation=consultation.body.organisation_id)
            .distinct()
            .order_by("held_on", "starts_at", "pk")
        )


class Meeting(models.Model):
    """A meeting (réunion) of a body, with its agenda and minutes (procès-verbal)."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinaire")
        EXTRAORDINARY = "extraordinary", _("Extraordinaire")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("instance")
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure"), null=True, blank=True)
    kind = models.CharField(_("type"), max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    place = models.CharField(_("lieu"), max_length=200, blank=True, default="")
    consultations = models.ManyToManyField(
        Consultation,
        blank=True,
        related_name="meetings",
        verbose_name=_("consultations à l'ordre du jour"),
    )
    agenda = LongTextField(_("ordre du jour"), blank=True, default="")
    agenda_sent_on = models.DateField(
        _("ordre du jour envoyé le"),
        null=True,
        blank=True,
        help_text=_("Au moins 3 jours avant la réunion (L2315-30) ; 8 jours pour un CSE central."),
    )
    minutes_sent_on = models.DateField(
        _("procès-verbal transmis le"),
        null=True,
        blank=True,
        help_text=_("Dans les 15 jours, ou avant la réunion suivante (L2315-34)."),
    )
    minutes_adopted_on = models.DateField(_("procès-verbal adopté le"), null=True, blank=True)
    notes = LongTextField(_("notes internes"), blank=True, default="")

    history = HistoricalRecordsWithLinks(m2m_fields=[consultations])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-starts_at"]
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        indexes = [
            # A body's next meeting (the minutes' due date, L2315-34; the answer's, after the
            # opinion): one index probe per meeting or consultation listed.
            models.Index(fields=["body", "held_on"], name="meeting_body_held_on"),
        ]

    def __str__(self):
        return _("%(body)s, réunion du %(date)s") % {
            "body": self.body if self.body_id else "",
            "date": long_date(self.held_on) if self.held_on else "?",
        }

    def next_meeting_on(self):
        """The body's next meeting (annotated by MeetingQuerySet.with_next_meeting, or asked)."""
        if hasattr(self, "next_held_on"):
            return self.next_held_on
        later = Meeting.objects.filter(body_id=self.body_id, held_on__gt=self.held_on)
        return later.order_by("held_on").values_list("held_on", flat=True).first()

    @property
    def has_statutory_steps(self) -> bool:
        """Whether the CSE's agenda notice (L2315-30) and minutes (L2315-34) apply: not to a
        CSSCT, whose agreement or the CSE's rules set its own (L2315-41, L2315-44)."""
        return self.body.kind != Body.Kind.CSSCT

    def _agenda_due(self):
        """3 days before the meeting, 8 for a central CSE (L2315-30, L2316-17)."""
        return agenda_due(self.held_on, central=self.body.kind == Body.Kind.CSE_CENTRAL)

    def late_agenda(self):
        """The agenda's due date (a rules ``Due``) when it was sent after it, else None: a
        meeting called too late lays its resolutions open to challenge. Not for a CSSCT,
        which votes no opinion either (L2315-38)."""
        if not self.agenda_sent_on or not self.has_statutory_steps:
            return None
        due = self._agenda_due()
        return due if self.agenda_sent_on > due.date else None

    def _minutes_due(self):
        """15 days after the meeting, or the day before the next one if it comes sooner
        (L2315-34, D2315-26; LEGAL.md (a) 15), failing an agreement, which Vigie does not
        record. Reads the next meeting (next_meeting_on(): annotated, or asked)."""
        return minutes_due(self.held_on, next_meeting=self.next_meeting_on())

    def late_minutes(self):
        """The minutes' due date (a rules ``Due``) when they were sent after it, else None:
        management gives its reasoned decision on the council's proposals at the meeting that
        follows the minutes (L2315-34; LEGAL.md (a) 16), which late minutes put off. Not for a
        CSSCT, whose agreement or the CSE's rules set its own (has_statutory_steps)."""
        if not self.minutes_sent_on or not self.has_statutory_steps:
            return None
        due = self._minutes_due()
        return due if self.minutes_sent_on > due.date else None

    def steps(self, on=None, *, naming_meeting=False) -> list[DatedStep]:
        """Agenda before the meeting (L2315-30) and minutes after it (L2315-34); none for a
        CSSCT (has_statutory_steps). ``naming_meeting``: each label names the meeting by its
        day (step_labels), for the lists of dates due, where the minutes of two meetings of a
        consultation read alike; the pages that list the steps under their meeting's heading
        keep the short labels."""
        if not self.has_statutory_steps:
            return []
        on = on or timezone.localdate()
        agenda = self._agenda_due()
        minutes = self._minutes_due()
        labels = self.step_labels(naming_meeting=naming_meeting)
        return [
            DatedStep(
                "agenda",
                labels["agenda"],
                agenda,
                self.agenda_sent_on,
                step_state(agenda.date, self.agenda_sent_on, on),
            ),
            DatedStep(
                "minutes",
                labels["minutes"],
                minutes,
                self.minutes_sent_on,
                step_state(minutes.date, self.minutes_sent_on, on),
            ),
        ]

    def step_labels(self, *, naming_meeting=False) -> dict[str, str]:
        """The label of each step (steps()), in the reader's language: « Transmission du
        procès-verbal », or naming the meeting, « Transmission du procès-verbal de la réunion
        du 10 novembre 2025 » (the workspace, the reminders and the calendar feed: found by a
        QA pass as an editor, two minutes due for one consultation read the same)."""
        if not naming_meeting:
            return {
                "agenda": str(_("Envoi de l'ordre du jour")),
                "minutes": str(_("Transmission du procès-verbal")),
            }
        day = {"date": long_date(self.held_on)}
        return {
            "agenda": _("Envoi de l'ordre du jour de la réunion du %(date)s") % day,
            "minutes": _("Transmission du procès-verbal de la réunion du %(date)s") % day,
        }

    def clean(self):
        errors = {}
        if self.held_on:
            if self.agenda_sent_on and self.agenda_sent_on > self.held_on:
                errors["agenda_sent_on"] = _(
                    "L'ordre du jour ne peut pas être envoyé après la réunion."
                )
            if self.minutes_sent_on and self.minutes_sent_on < self.held_on:
                errors["minutes_sent_on"] = _(
                    "Le procès-verbal ne peut pas être transmis avant la réunion du %(date)s."
                ) % {"date": long_date(self.held_on)}
            if self.minutes_adopted_on and self.minutes_adopted_on < self.held_on:
                errors["minutes_adopted_on"] = _(
                    "Le procès-verbal ne peut pas être adopté avant la réunion du %(date)s."
                ) % {"date": long_date(self.held_on)}
        # A step dated after today would count as done: the workspace, the reminders and the
        # calendar would drop minutes still to send. Steps are recorded once they happen, as an
        # expertise's are; only a date being set or changed (fields.future_dates_set): a meeting
        # saved before this rule with such a date stays editable.
        for name in future_dates_set(self, self.STEP_DATES):
            day = long_date(getattr(self, name))
            errors.setdefault(name, self.FUTURE_STEP_MESSAGES[name] % {"date": day})
        if errors:
            raise ValidationError(errors)

    # What is recorded once it is done, on the day it was: an agenda sent, minutes sent or
    # adopted.
    STEP_DATES = ("agenda_sent_on", "minutes_sent_on", "minutes_adopted_on")
    FUTURE_STEP_MESSAGES = {
        "agenda_sent_on": _(
            "L'ordre du jour est daté du %(date)s, à venir : son envoi s'enregistre une fois fait."
        ),
        "minutes_sent_on": _(
            "Le procès-verbal est daté du %(date)s, à venir : sa transmission s'enregistre une "
            "fois faite."
        ),
        "minutes_adopted_on": _(
            "L'adoption du procès-verbal est datée du %(date)s, à venir : elle s'enregistre une "
            "fois le procès-verbal adopté."
        ),
    }


class VoteQuerySet(OrganisationScopedQuerySet):
    organisation_path = "meeting__body__organisation"

    def with_on_agenda(self):
        """Annotate ``on_agenda``: the vote's consultation is on its meeting's agenda."""
        agenda = Meeting.consultations.through.objects.filter(
            meeting_id=models.OuterRef("meeting_id"),
            consultation_id=models.OuterRef("consultation_id"),
        )
        return self.annotate(on_agenda=models.Exists(agenda))

    def off_agenda(self):
        """The votes on a consultation that is not on their meeting's agenda.

        A council's resolution must concern an item of the agenda, set by the president and
        the secretary (L2315-29), or be directly linked to one (LEGAL.md (c), case law): a vote
        off the agenda may be annulled. Only the representatives can tell a direct link, so
        Vigie warns rather than refuses (and the admin saves a meeting's agenda and its votes
        together, which a refusal in Vote.clean could not see)."""
        return self.with_on_agenda().filter(consultation__isnull=False, on_agenda=False)

    def before_information(self):
        """The votes held at a meeting dated before their consultation's information was
        received (Vote.precedes_information, in SQL)."""
        return self.filter(consultation__information_received_on__gt=models.F("meeting__held_on"))

    def fit_to_appoint_expert_of(self, consultation, *, keeping=()):
        """The votes an expertise of ``consultation`` may name as the one that appointed its
        expert: the consultation's adopted votes on appointing one (Expertise.clean refuses
        any other; the employer's 10 days to contest the need for the expertise run from it,
        R2315-49), and those of ``keeping`` (pks, or a query of them: the votes already linked,
        which their record's own check judges), so that editing a record does not lose its
        link. The result of a vote is computed (rules/votes.py), not stored: the
        consultation's votes for an expert are read here, in one query."""
        votes = self.filter(consultation=consultation, subject=Vote.Subject.APPOINT_EXPERT)
        adopted = [vote.pk for vote in votes.select_related("meeting__body") if vote.adopted]
        if isinstance(keeping, models.QuerySet):
            return self.filter(models.Q(pk__in=adopted) | models.Q(pk__in=keeping))
        return self.filter(pk__in=adopted + [pk for pk in keeping if pk is not None])


class Vote(models.Model):
    """A vote of a body. Its result is computed from the counts (rules/votes.py), never typed."""

    class Subject(models.TextChoices):
        APPOINT_EXPERT = "appoint_expert", _("Désignation d'un expert")
        OPINION = "opinion", _("Avis")
        MOTION = "motion", _("Motion ou résolution")
        AGREEMENT = "agreement", _("Accord sur les délais de consultation (L2312-16)")
        EXPERT_RENEWAL = "expert_renewal", _("Renouvellement du délai de l'expert (R2315-47)")
        OTHER = "other", _("Autre")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="votes", verbose_name=_("réunion")
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("consultation"),
    )
    subject = models.CharField(_("objet"), max_length=20, choices=Subject.choices)
    question = LongTextField(_("question mise aux voix"), blank=True, default="")
    votes_for = models.PositiveSmallIntegerField(_("pour"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("contre"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    blank_votes = models.PositiveSmallIntegerField(_("blancs ou nuls"), default=0)
    voting_members_present = models.PositiveSmallIntegerField(
        _("votants présents"),
        help_text=_(
            "Titulaires présents et suppléants remplaçant un titulaire absent. "
            "Le président ne vote pas sur une consultation (L2315-32)."
        ),
    )
    president_voted = models.BooleanField(
        _("le président a pris part au vote"),
        default=False,
        help_text=_(
            "Seulement pour une question interne, comme l'élection du secrétaire ; jamais pour "
            "désigner les membres de la CSSCT, élus par les seuls élus présents (L2315-39, "
            "L2315-32 ; Cass. soc. 27 novembre 2019)."
        ),
    )
    secret_ballot = models.BooleanField(_("bulletin secret"), default=False)

    history = HistoricalRecords()
    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__held_on", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    voting_members_present__gte=models.F("votes_for")
                    + models.F("votes_against")
                    + models.F("abstentions")
                    + models.F("blank_votes")
                ),
                name="vote_ballots_within_voters",
            ),
        ]

    def __str__(self):
        label = self.get_subject_display()
        if self.meeting_id and self.meeting.held_on:
            return f"{label} — {short_date(self.meeting.held_on)}"
        return str(label)

    def off_agenda_warning(self) -> str:
        """The warning given once a vote off its meeting's agenda (VoteQuerySet.off_agenda) is
        saved, or its consultation taken off the agenda: by the admin and by the site's page of
        the meeting alike. Read with its meeting and consultation."""
        return _(
            "Le vote du %(date)s (%(subject)s) porte sur la consultation « %(title)s », "
            "qui ne figure pas à l'ordre du jour de la réunion. Une délibération doit "
            "porter sur un point inscrit à l'ordre du jour ou s'y rattacher directement "
            "(L2315-29) : ajoutez la consultation à l'ordre du jour de la réunion si elle "
            "y figurait."
        ) % {
            "date": written_date(self.meeting.held_on),
            "subject": self.get_subject_display(),
            "title": self.consultation.title,
        }

    def precedes_information(self) -> bool:
        """Whether the vote, on a consultation, was held at a meeting dated before that
        consultation's information was received (T0, ``information_received_on``).

        The consultation's period runs from the communication of the precise, written
        information (R2312-5, R2312-6; L2312-15: the council gives its opinion once it has it;
        LEGAL.md (a) 1-4 and trap 1), and the employer's 10 days to contest the need for an
        expertise from the council's vote (R2315-49). A vote before T0 is possible only if the
        information was in fact given at that meeting, and T0 is then that day: a typo in either
        date is the likelier cause. Warned of, not refused, but the vote on the opinion, which
        clean() refuses. Read with its meeting and consultation."""
        if not self.consultation_id or not self.meeting_id:
            return False
        started = self.consultation.information_received_on
        return bool(started and self.meeting.held_on < started)

    def before_information_warning(self) -> str:
        """The warning given once a vote that precedes its consultation's information
        (precedes_information) is saved, or its meeting or its consultation's T0 moved, by the
        site's pages and the admin alike (before_information_warnings); "" otherwise."""
        if not self.precedes_information():
            return ""
        return _(
            "Le vote du %(held)s (%(subject)s) porte sur la consultation « %(title)s », dont "
            "les informations ont été reçues le %(date)s (T0) : la réunion est datée d'avant. "
            "Vérifiez les dates : un vote ne précède la remise des informations que si elles "
            "ont été données à cette réunion même, et T0 est alors ce jour-là (le délai court "
            "de leur remise, R2312-5, L2312-15)."
        ) % {
            "held": written_date(self.meeting.held_on),
            "subject": self.get_subject_display(),
            "title": self.consultation.title,
            "date": written_date(self.consultation.information_received_on),
        }

    @staticmethod
    def before_information_warnings(votes) -> list[str]:
        """The warnings for ``votes`` that precede their consultation's information
        (precedes_information; the others are passed over): one a consultation, so that a T0
        moved after ten votes does not give ten messages. A single vote (or several of one day
        and subject) is named by before_information_warning; several are listed in one message,
        in the order of their meetings (R2312-5, L2312-15)."""
        by_consultation = defaultdict(list)
        for vote in sorted(votes, key=lambda vote: (vote.meeting.held_on, vote.pk or 0)):
            if vote.precedes_information():
                by_consultation[vote.consultation_id].append(vote)
        warnings = []
        for held in by_consultation.values():
            named = list(
                dict.fromkeys(
                    gettext("le %(held)s (%(subject)s)")
                    % {
                        "held": written_date(vote.meeting.held_on),
                        "subject": vote.get_subject_display(),
                    }
                    for vote in held
                )
            )
            if len(named) == 1:
                warnings.append(held[0].before_information_warning())
                continue
            consultation = held[0].consultation
            warnings.append(
                gettext(
                    "Des votes sur la consultation « %(title)s », dont les informations ont été "
                    "reçues le %(date)s (T0), ont eu lieu à des réunions datées d'avant : "
                    "%(votes)s. Vérifiez les dates : un vote ne précède la remise des "
                    "informations que si elles ont été données à cette réunion même, et T0 est "
                    "alors ce jour-là (le délai court de leur remise, R2312-5, L2312-15)."
                )
                % {
                    "title": consultation.title,
                    "date": written_date(consultation.information_received_on),
                    "votes": get_text_list(named, gettext("et")),
                }
            )
        return warnings

    @property
    def on_consultation(self) -> bool:
        return bool(self.consultation_id) or self.subject != self.Subject.OTHER

    # Adopted by a majority of the full members elected (titulaires élus), not of those present
    # (LEGAL.md (c): agreements on consultation periods, L2312-16 and L2312-19; the renewal of a
    # serious-risk expert's period, R2315-47).
    SEATS_MAJORITY_SUBJECTS = (Subject.AGREEMENT, Subject.EXPERT_RENEWAL)
    # What only the CSE votes, never its CSSCT (L2315-38: no consultative power, no expert): an
    # opinion, an expert, and the agreements with the employer on the periods (L2312-16) and
    # on the renewal of a serious-risk expert's period (R2315-47), both made with the CSE.
    CSE_ONLY_SUBJECTS = (Subject.OPINION, Subject.APPOINT_EXPERT, *SEATS_MAJORITY_SUBJECTS)
    # What French writes in the masculine: "Avis : adopté", "Accord : adopté".
    MASCULINE_SUBJECTS = (Subject.OPINION, Subject.AGREEMENT, Subject.EXPERT_RENEWAL)

    def given_meeting(self):
        """The meeting, saved or not yet: the site's form and the admin's page of a new meeting
        check its votes against the meeting typed with them (its body's seats, its day)
        before saving it. None before a meeting is given."""
        if self.meeting_id or type(self).meeting.is_cached(self):
            return self.meeting
        return None

    def voting_body(self):
        """The body of the meeting, once known (given_meeting())."""
        meeting = self.given_meeting()
        return meeting.body if meeting is not None and meeting.body_id else None

    def _counts(self):
        return {
            "votes_for": self.votes_for,
            "against": self.votes_against,
            "abstain": self.abstentions,
            "blank": self.blank_votes,
            "voting_members_present": self.voting_members_present,
            "president_voted": self.president_voted,
            "on_consultation": self.on_consultation,
        }

    def compute_result(self):
        """The result under rules/votes.py; raises VoteError for counts that cannot be."""
        # The seats come with the meeting: a form checks the counts before it is known.
        body = self.voting_body()
        seats_majority = self.subject in self.SEATS_MAJORITY_SUBJECTS and body is not None
        return vote_result(
            majority=Majority.SEATS if seats_majority else Majority.MEMBERS_PRESENT,
            seats=body.seats if body else None,
            **self._counts(),
        )

    def count_errors(self):
        """Every reason the counts cannot be (rules/votes.py), with the seats of the meeting's
        body once it is known."""
        body = self.voting_body()
        return vote_errors(seats=body.seats if body else None, **self._counts())

    @property
    def result(self):
        """The computed result, or None while the counts are not valid."""
        try:
            return self.compute_result()
        except (VoteError, TypeError):
            return None

    @property
    def result_label(self) -> str:
        """ "adoptée à l'unanimité", "adoptée" or "rejetée", in the reader's language; "adopté"
        when the vote is on an opinion (un avis)."""
        result = self.result
        return gettext(result.label_agreeing(masculine=self.masculine_subject)) if result else ""

    @property
    def masculine_subject(self) -> bool:
        """The result agrees with a masculine subject: "Avis : adopté"."""
        return self.subject in self.MASCULINE_SUBJECTS

    @property
    def is_on_opinion(self) -> bool:
        """The subject is an opinion (un avis): French writes its result in the masculine."""
        return self.subject == self.Subject.OPINION

    @property
    def adopted(self) -> bool:
        return bool(self.result and self.result.adopted)

    @property
    def unanimous(self) -> bool:
        return bool(self.result and self.result.unanimous)

    def clean(self):
        errors = defaultdict(list)  # each field's messages, all of them shown at once
        meeting, body = self.given_meeting(), self.voting_body()
        if body and not body.gives_opinions and self.subject in self.CSE_ONLY_SUBJECTS:
            errors["subject"].append(
                _(
                    "Une CSSCT ne rend pas d'avis, ne désigne pas d'expert et ne conclut pas "
                    "d'accord avec l'employeur sur les délais (L2315-38) : ce vote relève du CSE."
                )
            )
        if (
            body
            and self.consultation_id
            and self.consultation.body.organisation_id != body.organisation_id
        ):
            errors["consultation"].append(
                _("La consultation doit concerner la même organisation que l'instance réunie.")
            )
        elif (
            body
            and body.gives_opinions  # a CSSCT's vote is refused above
            and self.consultation_id
            and self.subject in self.CSE_ONLY_SUBJECTS
            and self.consultation.body_id != body.pk
        ):
            # The council consulted votes its opinion, its expert and its agreements with the
            # employer (LEGAL.md (c)); the majority counts its seats, not another council's.
            errors["consultation"].append(
                _(
                    "Cette consultation est celle de l'instance « %(body)s » : un avis, la "
                    "désignation d'un expert ou un accord avec l'employeur sur ses délais se vote "
                    "en réunion de cette instance, non de « %(other)s »."
                )
                % {"body": self.consultation.body.name, "other": body.name}
            )
        held_on = meeting.held_on if meeting is not None else None
        if self.subject == self.Subject.OPINION and not self.consultation_id:
            errors["consultation"].append(
                _("Un vote d'avis porte sur une consultation : choisissez-la.")
            )
        elif self.subject == self.Subject.OPINION and held_on:
            started = self.consultation.information_received_on
            if started and held_on < started:
                # The consultation's own form refuses the opinion this vote would record.
                errors["subject"].append(
                    _(
                        "Un avis se vote une fois les informations remises (T0, le %(date)s) : "
                        "la réunion du %(held)s la précède."
                    )
                    % {"date": long_date(started), "held": long_date(held_on)}
                )
        if held_on and held_on > timezone.localdate():
            errors["subject"].append(
                _(
                    "La réunion du %(date)s est à venir : ses votes se consignent une fois "
                    "qu'elle s'est tenue."
                )
                % {"date": long_date(held_on)}
            )
        if self.voting_members_present == 0:
            errors["voting_members_present"].append(
                _("Indiquez le nombre de votants présents : un vote en compte au moins un.")
            )
        if self.voting_members_present:
            # Whatever else is wrong: the ballots beyond the voters and the voters beyond the
            # seats are said together, on the first send of the form.
            for error in self.count_errors():
                errors["voting_members_present"].append(gettext(error.template) % error.params)
        if errors:
            raise ValidationError(errors)

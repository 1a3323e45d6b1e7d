from datetime import timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules import clock, deadlines
from ..search import fold_all
from ..wording import long_date
from .body import Body
from .choices import validate_choice_list
from .deployment import Deployment
from .fields import LongTextField, future_dates_set, saved_with
from .organisation import Organisation
from .scoping import OrganisationScopedQuerySet, moved_from


class LegalBasis(models.TextChoices):
    NEW_TECHNOLOGY = "L2312-8", _("L2312-8 II 4° : introduction de nouvelles technologies")
    MONITORING = "L2312-38-3", _("L2312-38 al. 3 : moyens de contrôle de l'activité")
    AUTOMATED_HR = (
        "L2312-38-2",
        _("L2312-38 al. 2 : traitements automatisés de gestion du personnel (information)"),
    )
    RECRUITMENT = "L2312-38-1", _("L2312-38 al. 1 : méthodes de recrutement (information)")
    OTHER = "other", _("Autre")


# The bases on which the council is informed, not consulted (L2312-38 al. 1 and 2; LEGAL.md (d)):
# alone, they open no period for an opinion (R2312-6 counts the period of a consultation).
INFORMATION_ONLY_BASES = frozenset({LegalBasis.AUTOMATED_HR, LegalBasis.RECRUITMENT})


# What the page, the dossier and the admin say where the opinion's last day would be.
INFORMATION_ONLY_NOTE = _(
    "Sans objet : sur ces fondements, le CSE est seulement informé (L2312-38 al. 1 et 2) : "
    "aucun délai d'avis ne court et aucun avis ne peut être réputé négatif. Si le système "
    "introduit une nouvelle technologie (L2312-8 II 4°) ou permet de contrôler l'activité des "
    "salariés (L2312-38 al. 3), le CSE doit être consulté : ajoutez ce fondement."
)


def information_only(legal_bases) -> bool:
    """Whether the bases recorded call for the council's information only: at least one, and
    each of them information-only. None recorded: a consultation, Vigie's default (an AI system
    that changes working conditions is a new technology, L2312-8)."""
    return bool(legal_bases) and set(legal_bases) <= INFORMATION_ONLY_BASES


class Clock(models.TextChoices):
    """The clock states of rules/clock.py with their words (shared/UI.md)."""

    NOT_STARTED = clock.ClockState.NOT_STARTED.value, _("Pas commencée")
    RUNNING = clock.ClockState.RUNNING.value, _("En cours")
    DUE_SOON = clock.ClockState.DUE_SOON.value, _("Échéance proche")
    EXPIRED = clock.ClockState.EXPIRED.value, _("Avis réputé négatif")
    PAUSED = clock.ClockState.PAUSED.value, _("Délai suspendu")
    WITHDRAWN = clock.ClockState.WITHDRAWN.value, _("Projet retiré")
    INFORMATION_ONLY = clock.ClockState.INFORMATION_ONLY.value, _("Information seule")
    OPINION_GIVEN = clock.ClockState.OPINION_GIVEN.value, _("Avis rendu")
    ANSWERED = clock.ClockState.ANSWERED.value, _("Réponse reçue")
    ANSWER_OVERDUE = clock.ClockState.ANSWER_OVERDUE.value, _("Réponse en retard")

    @property
    def badge_class(self) -> str:
        return CLOCK_BADGE_CLASSES[self]


# The clock states that call for the representatives' attention, listed together as "À surveiller"
# on the workspace, in the list of consultations and in the admin: the opinion deemed negative
# (R2312-6: the period ran out without one) or management's answer overdue (L2315-34, L2312-15).
NEEDS_ATTENTION = "attention"
NEEDS_ATTENTION_LABEL = _("À surveiller : avis réputé négatif ou réponse en retard")
ATTENTION_STATES = (Clock.EXPIRED, Clock.ANSWER_OVERDUE)


# Badge classes, one per state: same colour and word everywhere (shared/UI.md).
CLOCK_BADGE_CLASSES = {
    Clock.NOT_STARTED: "badge text-bg-secondary",
    Clock.RUNNING: "badge text-bg-primary",
    Clock.DUE_SOON: "badge text-bg-warning",
    Clock.EXPIRED: "badge text-bg-danger",
    Clock.PAUSED: "badge badge-paused",
    Clock.WITHDRAWN: "badge text-bg-light border",
    Clock.INFORMATION_ONLY: "badge text-bg-info",
    Clock.OPINION_GIVEN: "badge text-bg-success",
    Clock.ANSWERED: "badge badge-answered",
    Clock.ANSWER_OVERDUE: "badge badge-overdue",
}


def today():
    return timezone.localdate()


# The days on which something was done (received, given, transmitted): refused in the future
# when set or changed (Consultation.clean, fields.future_dates_set).
DONE_ON_FIELDS = (
    "information_received_on",
    "opinion_on",
    "central_information_received_on",
    "establishment_opinions_received_on",
)


# The records the legal calendar reads besides the consultation (with_clock_facts, fetched).
CLOCK_RELATIONS = ("clock_stops", "expertises", "responses")


def chunked(rows, size=500):
    """``rows`` in lists of ``size``: SQLite caps the parameters of one query."""
    return (rows[start : start + size] for start in range(0, len(rows), size))


class ConsultationQuerySet(OrganisationScopedQuerySet):
    organisation_path = "body__organisation"

    def published(self):
        return self.filter(visibility=Consultation.Visibility.PUBLIC)

    def started(self):
        return self.filter(information_received_on__isnull=False)

    def withdrawn(self):
        """The projects withdrawn: none of their own dates is due any more, but the minutes of
        the meetings that discussed them still are (due_dates.due_items(), L2315-34)."""
        return self.filter(status=Consultation.Status.WITHDRAWN)

    def fit_for_agenda_of(self, body):
        """The consultations a meeting of ``body`` may have on its agenda: those of its
        organisation, whichever of its councils is consulted. Another company's would show the
        meeting on that company's pages, to its readers (MeetingAdminForm refuses one;
        MeetingQuerySet.listed_with leaves out one left by older versions)."""
        return self.filter(body__organisation=body.organisation_id)

    def current(self, on=None, *, window_days=90):
        """Consultations with something still to come or recently missed: open ones not started,
        paused, running, expired or answered-late within ``window_days``. The workspace lists
        their dates; older ones stay in the calendar feed and the lists."""
        since = (on or today()) - timedelta(days=window_days)
        return self.filter(status=Consultation.Status.OPEN).filter(
            models.Q(information_received_on__isnull=True)
            | models.Q(opinion="", deadline_on__isnull=True)
            | models.Q(opinion="", deadline_on__gte=since)
            | models.Q(answer_due_on__gte=since)
        )

    def refresh_search_text(self) -> int:
        """Rewrite the ``search_text`` of these consultations from what the list's search reads:
        the title, the public summary, and each motion's title and text (consultations/search.py).
        Called with the dates whenever a record changes (consultations/signals.py); returns how
        many changed."""
        motion_model = self.model.motions.field.model
        changed = []
        for chunk in chunked(list(self.values_list("pk", "title", "summary", "search_text"))):
            motions = {}
            rows = motion_model.objects.filter(consultation__in=[row[0] for row in chunk])
            for consultation_id, title, text in rows.order_by("pk").values_list(
                "consultation_id", "title", "text"
            ):
                motions.setdefault(consultation_id, []).extend((title, text))
            for pk, title, summary, stored in chunk:
                text = fold_all(title, summary, *motions.get(pk, ()))
                if text != stored:
                    changed.append(self.model(pk=pk, search_text=text))
        self.model.objects.bulk_update(changed, ["search_text"], batch_size=200)
        return len(changed)

    def with_clock_facts(self, *, shown_with=("body__organisation", "deployment")):
        """Everything the clock needs, fetched in a fixed number of queries: the body, the stops,
        the expertises, the answers, and the body's first meeting after the opinion (a subquery,
        not every meeting of the body). ``shown_with``: the relations the caller shows too."""
        from .expertise import Expertise
        from .meeting import Meeting, Vote

        # The meeting of the opinion's day, whose minutes start the answer's wait (L2315-34).
        minutes = Meeting.objects.filter(
            body=models.OuterRef("body"),
            held_on=models.OuterRef("opinion_on"),
            minutes_sent_on__isnull=False,
        ).order_by("minutes_sent_on")
        next_meeting = Meeting.objects.filter(
            body=models.OuterRef("body"), held_on__gt=models.OuterRef("answer_counted_from")
        ).order_by("held_on")
        return (
            self.select_related("body__parent", *shown_with)
            .prefetch_related(
                # Lists (to_attr), read by Consultation.fetched(): without to_attr, Django makes
                # a queryset per consultation and relation, most of the time of a long list. The
                # expertises come with the day of the vote that appointed the expert, which opens
                # the employer's window to contest (Expertise.contest_windows()).
                *(
                    models.Prefetch(
                        name,
                        queryset=Expertise.objects.with_vote_day()
                        if name == "expertises"
                        else None,
                        to_attr=f"{name}_fetched",
                    )
                    for name in CLOCK_RELATIONS
                ),
                # The votes appointing an expert, whose majority needs the body's seats: one
                # adopted counts before its expertise is recorded (Consultation.expert_votes()).
                models.Prefetch(
                    "votes",
                    queryset=Vote.objects.filter(
                        subject=Vote.Subject.APPOINT_EXPERT
                    ).select_related("meeting__body"),
                    to_attr="expert_votes_fetched",
                ),
            )
            .annotate(
                opinion_minutes_sent_on=models.Subquery(minutes.values("minutes_sent_on")[:1])
            )
            .annotate(
                answer_counted_from=Greatest(
                    Coalesce("opinion_minutes_sent_on", "opinion_on"), "opinion_on"
                )
            )
            .annotate(
                next_meeting_after_opinion=models.Subquery(next_meeting.values("held_on")[:1])
            )
        )

    def with_clock_state(self, on=None):
        """Annotate ``clock``: rules/clock.py's clock_state() in SQL, over the computed dates that
        refresh_calendar() keeps up to date. tests/test_clock_sql.py checks both agree."""
        on = on or today()
        given, answered = self._given(), self.answered_condition()
        return self.annotate(
            clock=models.Case(
                models.When(self._withdrawn(), then=models.Value(Clock.WITHDRAWN)),
                models.When(self._information_only(), then=models.Value(Clock.INFORMATION_ONLY)),
                models.When(self._paused(), then=models.Value(Clock.PAUSED)),
                models.When(
                    models.Q(deadline_on__isnull=True, opinion=""),
                    then=models.Value(Clock.NOT_STARTED),
                ),
                models.When(given & answered, then=models.Value(Clock.ANSWERED)),
                models.When(
                    given & models.Q(answer_due_on__lt=on), then=models.Value(Clock.ANSWER_OVERDUE)
                ),
                models.When(given, then=models.Value(Clock.OPINION_GIVEN)),
                models.When(
                    models.Q(opinion=Consultation.Opinion.DEEMED_NEGATIVE)
                    | models.Q(deadline_on__lt=on),
                    then=models.Value(Clock.EXPIRED),
                ),
                models.When(deadline_on__lte=self._soon(on), then=models.Value(Clock.DUE_SOON)),
                default=models.Value(Clock.RUNNING),
                output_field=models.CharField(),
            )
        )

    @staticmethod
    def _withdrawn():
        """The project withdrawn before any opinion."""
        return models.Q(status=Consultation.Status.WITHDRAWN, opinion="")

    @classmethod
    def _information_only(cls):
        """No opinion on a matter the council is only informed of (Consultation.information_only)."""
        return ~cls._withdrawn() & models.Q(information_only=True, opinion="")

    @classmethod
    def _paused(cls):
        """No opinion and no last day although the information came: refresh_calendar() stores
        no deadline while the period is paused (Consultation.paused_since())."""
        return ~cls._withdrawn() & models.Q(
            information_received_on__isnull=False,
            deadline_on__isnull=True,
            opinion="",
            information_only=False,
        )

    @staticmethod
    def _given():
        return ~models.Q(opinion__in=["", Consultation.Opinion.DEEMED_NEGATIVE])

    @staticmethod
    def answered_condition():
        """Consultation.answered in SQL: an answer that takes a position, received on or after
        the opinion's day (an earlier one answered motions or questions of the period)."""
        from .response import ManagementResponse

        return models.Exists(
            ManagementResponse.objects.filter(
                consultation=models.OuterRef("pk"), received_on__gte=models.OuterRef("opinion_on")
            ).exclude(stance=ManagementResponse.Stance.NO_ANSWER)
        )

    @staticmethod
    def _soon(on):
        return on + timedelta(days=settings.VIGIE_DUE_SOON_DAYS)

    def clock_condition(self, state, on=None):
        """The condition for ``clock`` = ``state``, each branch of with_clock_state()'s CASE
        written out (the earlier branches negated): a filter the database can use an index for
        and count without computing the CASE on every row. tests/test_clock_filters.py checks
        both agree."""
        on = on or today()
        given, answered = self._given(), self.answered_condition()
        # The states without an opinion, once the withdrawn projects are set apart.
        no_opinion = (
            models.Q(opinion=Consultation.Opinion.NONE, information_only=False) & ~self._withdrawn()
        )
        conditions = {
            Clock.WITHDRAWN: self._withdrawn(),
            Clock.INFORMATION_ONLY: self._information_only(),
            Clock.PAUSED: self._paused(),
            Clock.NOT_STARTED: no_opinion
            & models.Q(deadline_on__isnull=True, information_received_on__isnull=True),
            Clock.ANSWERED: given & answered,
            Clock.ANSWER_OVERDUE: given & ~answered & models.Q(answer_due_on__lt=on),
            Clock.OPINION_GIVEN: given
            & ~answered
            & (models.Q(answer_due_on__isnull=True) | models.Q(answer_due_on__gte=on)),
            Clock.EXPIRED: models.Q(opinion=Consultation.Opinion.DEEMED_NEGATIVE)
            | (no_opinion & models.Q(deadline_on__lt=on)),
            Clock.DUE_SOON: no_opinion
            & models.Q(deadline_on__gte=on, deadline_on__lte=self._soon(on)),
            Clock.RUNNING: no_opinion
            & models.Q(deadline_on__gte=on, deadline_on__gt=self._soon(on)),
        }
        return conditions[Clock(state)]

    def in_clock_state(self, state, on=None):
        """With ``clock`` annotated, those whose clock is in ``state`` (one state or several)."""
        states = [state] if isinstance(state, str) else state
        condition = models.Q()
        for one in states:
            condition |= self.clock_condition(one, on)
        return self.with_clock_state(on).filter(condition)


class Consultation(models.Model):
    """An information-consultation of a works council on an AI system.

    The clock starts on the day the written information is received (T0, R2312-6), never on the
    day of a meeting nor of the vote appointing an expert.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        WITHDRAWN = "withdrawn", _("Projet retiré")
        CLOSED = "closed", _("Dossier clos")

    class Opinion(models.TextChoices):
        NONE = "", _("Pas encore d'avis")
        FAVOURABLE = "favourable", _("Favorable")
        UNFAVOURABLE = "unfavourable", _("Défavorable")
        RESERVATIONS = "reservations", _("Favorable avec réserves")
        DEEMED_NEGATIVE = "deemed_negative", _("Réputé négatif (délai expiré)")
        REFUSED_TO_VOTE = "refused_to_vote", _("Refus de rendre un avis")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Interne")
        PUBLIC = "public", _("Publique")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("instance")
    )
    deployment = models.ForeignKey(
        Deployment,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("système d'IA"),
    )
    title = models.CharField(_("intitulé"), max_length=300)
    legal_bases = models.JSONField(_("fondements de la consultation"), default=list, blank=True)
    information_received_on = models.DateField(
        _("informations reçues le (T0)"),
        null=True,
        blank=True,
        help_text=_(
            "Date de remise des informations écrites et précises, ou de leur mise à disposition "
            "dans la BDESE : elle fait courir le délai de consultation (R2312-6)."
        ),
    )
    two_level = models.BooleanField(
        _("consultation à deux niveaux (central et établissements)"),
        default=False,
        help_text=_("Avec une expertise à l'un des niveaux, le délai passe à 3 mois (R2312-6)."),
    )
    # Each council of a two-level consultation keeps its own record, and an expertise is
    # recorded on the record of the council that voted it: the other records are told here.
    expertise_at_other_level = models.BooleanField(
        _("expertise décidée à l'autre niveau"),
        default=False,
        help_text=_(
            "Consultation à deux niveaux : une expertise a été votée dans le délai par un CSE "
            "de l'autre niveau (le CSE central, ou un CSE d'établissement), enregistrée sur sa "
            "propre consultation, et n'a pas été annulée. Le délai est alors ici aussi celui "
            "d'une consultation avec expertise : 3 mois, sauf délai fixé par accord "
            "(R2312-6 II)."
        ),
    )
    # R2312-6 II: an establishment's opinion is due 7 days before the end of the central
    # council's period, which runs from the central council's information (LEGAL.md (a) 3-4).
    central_information_received_on = models.DateField(
        _("informations remises au CSE central le"),
        null=True,
        blank=True,
        help_text=_(
            "Côté CSE d'établissement d'une consultation à deux niveaux : le jour où le CSE "
            "central a reçu les informations. Le délai du CSE central court à compter de cette "
            "date, et l'avis de l'établissement est dû 7 jours avant sa fin (R2312-6 II). Sans "
            "cette date, Vigie compte le délai de la remise des informations à l'établissement."
        ),
    )
    establishment_opinions_received_on = models.DateField(
        _("avis des CSE d'établissement transmis le"),
        null=True,
        blank=True,
        help_text=_(
            "Côté CSE central d'une consultation à deux niveaux : le jour où le dernier avis "
            "des CSE d'établissement lui a été transmis, au plus tard 7 jours avant la fin de "
            "son délai (R2312-6 II)."
        ),
    )
    status = models.CharField(
        _("état du dossier"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opinion = models.CharField(
        _("avis"), max_length=20, choices=Opinion.choices, blank=True, default=Opinion.NONE
    )
    opinion_on = models.DateField(_("avis rendu le"), null=True, blank=True)
    visibility = models.CharField(
        _("visibilité"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=_(
            "Une consultation publique paraît sur la frise publique, sans ses éléments confidentiels."
        ),
    )
    summary = LongTextField(
        _("résumé public"), blank=True, default="", help_text=_("Mise en forme Markdown acceptée.")
    )
    internal_notes = LongTextField(
        _("notes internes"), blank=True, default="", help_text=_("Mise en forme Markdown acceptée.")
    )
    # Set on every save from legal_bases (save()), so that with_clock_state() can tell, in the
    # database, a matter the council is only informed of from a paused period: neither has a
    # last day.
    information_only = models.BooleanField(
        _("information seule (calculée)"), default=False, editable=False
    )
    # An index of the computed dates, so that lists can filter and sort on them in the database.
    # Never typed: refresh_calendar() rewrites them from the facts whenever a fact changes
    # (consultations/signals.py). The facts stay the one source of truth.
    deadline_on = models.DateField(_("fin du délai d'avis (calculée)"), null=True, editable=False)
    answer_due_on = models.DateField(_("réponse attendue le (calculée)"), null=True, editable=False)

    # The title, summary and motions folded for the list's search (consultations/search.py),
    # rewritten with the dates whenever a record changes; kept out of the history, which would
    # otherwise copy every motion's text on each edit.
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        # Newest information first, those without an information date last on every database
        # (PostgreSQL puts NULLs first in a descending order); index 0017 serves this order.
        ordering = [models.F("information_received_on").desc(nulls_last=True), "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            # The public pages ask "which systems have a published consultation?": answered from
            # this index alone, without reading the consultations' long texts.
            models.Index(fields=["visibility", "deployment"], name="consultation_published"),
            # The default order of every list: its first page is read from the index.
            models.Index(fields=["-information_received_on", "-id"], name="consultation_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opinion="") | models.Q(opinion_on__isnull=False),
                name="consultation_opinion_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.information_only = information_only(self.legal_bases)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "legal_bases" in update_fields:
            kwargs["update_fields"] = {*update_fields, "information_only"}
        super().save(*args, **kwargs)

    @property
    def organisation(self):
        return self.body.organisation

    @property
    def is_information_only(self) -> bool:
        """The council is only informed (L2312-38 al. 1 and 2): no period, no opinion due, no
        opinion deemed negative; an opinion given anyway still awaits management's decision on
        the proposals (answer_due(), L2315-34). Read from the bases as they are now (a form's
        record not yet saved included); ``information_only`` stores it for the database."""
        return information_only(self.legal_bases)

    @property
    def information_only_note(self) -> str:
        """What the page, the dossier and the admin say where the opinion's last day would be,
        for a matter the council is only informed of; "" otherwise."""
        return INFORMATION_ONLY_NOTE if self.is_information_only else ""

    def events_shown(self, *, public):
        """Its events as a page or a dossier shows them: the published ones to the public, all
        of them to members (prefetched ``events`` read as they are)."""
        return [event for event in self.events.all() if event.public or not public]

    def votes_shown(self, *, public):
        """Its votes as a page or a dossier shows them: to the public, those that adopted no
        text or a published one (an unpublished motion's vote would tell of it); all of them to
        members (prefetched ``votes``, with their ``motion``, read as they are)."""
        return [
            vote
            for vote in self.votes.all()
            if not public or getattr(vote, "motion", None) is None or vote.motion.published
        ]

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    # --- The legal calendar (rules/deadlines.py, rules/clock.py) ---------------------------------

    def fetched(self, relation):
        """The records of ``relation`` (one of CLOCK_RELATIONS) that with_clock_facts() fetched
        with the consultation, else read now."""
        records = getattr(self, f"{relation}_fetched", None)
        if records is None and self.pk is None:
            return []  # not saved yet: nothing can belong to it
        return records if records is not None else list(getattr(self, relation).all())

    def deadline(self):
        """The last day for the council's opinion, with its explanation; None before T0, and
        while the period is paused (paused_since())."""
        period = self._period()
        return None if period is None or self._paused_since(period) else period

    def paused_since(self):
        """The day the employer took the expertise to the judge, while the judgment is not yet
        notified: the consultation period is paused until it is (L2315-86, LEGAL.md trap 6), so
        no last day can be given. None otherwise, and for a contest after the period ran out."""
        period = self._period()
        return self._paused_since(period) if period else None

    @property
    def period_starts_on(self):
        """The day the period runs from: T0, except on an establishment's side of a two-level
        consultation, whose opinion is due 7 days before the end of the central council's
        period (R2312-6 II), which runs from the central council's information when it is
        recorded. None before T0 (the establishment's own: until then, no clock runs here)."""
        if not self.information_received_on:
            return None
        if self.is_establishments_side and self.central_information_received_on:
            return self.central_information_received_on
        return self.information_received_on

    NO_EXPERTISE_DECISION = (False, None, False)

    def _period(self):
        """The period (R2312-6, or as agreed) with the suspensions recorded and the contests of
        the expertise judged (deadlines.judged_contest_stop); None before T0, and for a matter
        the council is only informed of (no consultation, so no period: is_information_only)."""
        return self._period_and_expertise_decision()[0]

    def expertise_decision(self) -> tuple:
        """What the period made of the expertises and votes for an expert recorded: (whether
        one extends it, the day of one that came too late, whether the only expertises recorded
        were annulled); (False, None, False) without a period."""
        return self._period_and_expertise_decision()[1]

    def _period_and_expertise_decision(self):
        """_period() and expertise_decision(), computed together."""
        starts_on = self.period_starts_on
        if starts_on is None or self.is_information_only:
            return None, self.NO_EXPERTISE_DECISION
        recorded = self.fetched("clock_stops")
        stops = [(stop.starts_on, stop.ends_on) for stop in recorded]
        sources = [ClockStop.SOURCES.get(stop.reason) for stop in recorded]
        for contested_on, judgment_on in self._contests():
            if judgment_on and (stop := deadlines.judged_contest_stop(contested_on, judgment_on)):
                stops.append(stop)
                sources.append("L2315-86")

        agreement = self.agreement_body

        def counted(expert, expertise_after_period=None, expertise_annulled=False, last_day=None):
            return deadlines.consultation_deadline(
                starts_on,
                expert=expert,
                two_level=self.two_level,
                agreed_days=agreement.agreed_days(expert=expert),
                agreed_with_expert=agreement.agreed_days_with_expert is not None,
                clock_stops=stops,
                stop_sources=sorted({source for source in sources if source}),
                roll_over=settings.VIGIE_ROLL_OVER_CONSULTATION_PERIOD,
                expertise_after_period=expertise_after_period,
                expertise_annulled=expertise_annulled,
                establishment_last_day=last_day,
            )

        def on_this_side(period):
            if not self.is_establishments_side:
                return period
            return deadlines.establishment_deadline(
                period, from_central_information=bool(self.central_information_received_on)
            )

        @cache
        def last_day_without_expert():
            return on_this_side(counted(expert=False)).date

        decision = self._expertise_extends(last_day_without_expert)
        extends, too_late, annulled = decision
        # On an establishment's side: the central's period, counted from the central's T0 (or
        # this record's) and this record's expertises (the central council's consultation is a
        # record of its own), less 7 days. An expertise too late was judged against that day,
        # which the explanation then names (found by a reader's QA pass: it read "after the end
        # of this period" beside the central's, which ended later).
        establishment_last_day = None
        if too_late and self.is_establishments_side:
            establishment_last_day = last_day_without_expert()
        period = on_this_side(
            counted(
                expert=extends,
                expertise_after_period=too_late,
                expertise_annulled=annulled,
                last_day=establishment_last_day,
            )
        )
        return period, decision

    @property
    def deemed_negative_error(self) -> str:
        """Why a « réputé négatif » opinion on record does not hold as the period now stands
        (a vote for an expert or a contest recorded since lengthened or paused it, R2312-6,
        L2315-86), for its members to correct it; "" otherwise. A matter the council is only
        informed of has its own warning."""
        if self.opinion != self.Opinion.DEEMED_NEGATIVE or self.is_information_only:
            return ""
        return str(self._deemed_negative_errors().get("opinion", ""))

    def _expertise_extends(self, last_day_without_expert):
        """(whether an expertise extends the period, the day of one that came too late,
        whether the only ones recorded were annulled).

        R2312-6 I and II: an expertise voted at the other level of a two-level consultation
        extends it, and so does one recorded here that was decided on or before the last day
        of the period without expert (one without a date too). One decided after that day
        comes too late: the council was by then deemed consulted. One the judge annulled
        (L2315-86) has no expert intervene. ``last_day_without_expert`` computes that day,
        only when it is needed."""
        if self.two_level and self.expertise_at_other_level:
            return True, None, False
        expertises = self.fetched("expertises")
        if not expertises:
            return self._expert_vote_extends(last_day_without_expert)
        standing = [
            expertise
            for expertise in expertises
            if expertise.contest_outcome != expertise.ContestOutcome.ANNULLED
        ]
        if not standing:
            return self._expert_voted_after_annulment(expertises, last_day_without_expert)
        days = [expertise.decided_on for expertise in standing]
        if None in days:
            return True, None, False
        last_day = last_day_without_expert()
        if min(days) <= last_day or self._expert_voted_by(last_day, standing):
            return True, None, False
        return False, min(days), False

    def _expert_vote_extends(self, last_day_without_expert, *, after=None):
        """_expertise_extends() when no expertise is recorded: a vote appointing an expert,
        adopted, is the council's decision, and the period is that of a consultation with an
        expert from then on (R2312-6; LEGAL.md (b) 3, "expertise voted"), before the
        representatives record the expertise itself (found by an editor's QA pass: the record
        read « Avis réputé négatif » after the vote). One voted after the last day of the
        period without expert comes too late, as an expertise would. ``after``: only the votes
        held after that day count."""
        voted = [
            vote.meeting.held_on
            for vote in self.expert_votes()
            if vote.adopted and (after is None or vote.meeting.held_on > after)
        ]
        if not voted:
            return False, None, False
        if min(voted) <= last_day_without_expert():
            return True, None, False
        return False, min(voted), False

    def _expert_voted_after_annulment(self, annulled, last_day_without_expert):
        """_expertise_extends() when the judge annulled every expertise recorded (L2315-86):
        none extends the period. The council may decide again, another expert say: a vote
        appointing one adopted after the last of those judgments counts as any vote for an
        expert before its expertise is recorded (R2312-6), and the suspension of the contest
        has given it the days the judge took (found in review: it counted only once the new
        expertise was recorded)."""
        judged = [expertise.judgment_on for expertise in annulled if expertise.judgment_on]
        if judged:
            extends, too_late, _annulled = self._expert_vote_extends(
                last_day_without_expert, after=max(judged)
            )
            if extends or too_late:
                return extends, too_late, False
        return False, None, True

    def _expert_voted_by(self, last_day, expertises) -> bool:
        """An expertise recorded without its vote, while the council adopted a vote appointing
        an expert by ``last_day``: the expertise counts from that vote, not from a later
        designation."""
        if all(expertise.appointing_vote_id for expertise in expertises):
            return False
        return any(vote.adopted for vote in self.expert_votes() if vote.meeting.held_on <= last_day)

    def expert_votes(self) -> list:
        """The votes appointing an expert, with their meeting and its body (the majority needs
        its seats): fetched by with_clock_facts(), else read now."""
        from .meeting import Vote

        fetched = getattr(self, "expert_votes_fetched", None)
        if fetched is not None:
            return fetched
        if self.pk is None:
            return []
        return list(
            self.votes.filter(subject=Vote.Subject.APPOINT_EXPERT).select_related("meeting__body")
        )

    @property
    def is_establishments_side(self) -> bool:
        """An establishment council's part of a consultation held at both levels."""
        return self.two_level and self.body.kind == self.body.Kind.CSE_ESTABLISHMENT

    @property
    def agreement_body(self):
        """The council whose collective agreement may set the period (L2312-16, L2312-19):
        its own, except on an establishment's side of a two-level consultation, whose opinion
        is due 7 days before the end of the central council's period (R2312-6 II): the
        central's agreement then, if the establishment's central CSE is recorded."""
        if self.is_establishments_side and self.body.parent_id:
            return self.body.parent
        return self.body

    def _contests(self):
        """(contested on, judgment notified on or None) of each contested expertise."""
        return [
            (expertise.contested_on, expertise.judgment_on)
            for expertise in self.fetched("expertises")
            if expertise.contested_on
        ]

    def _paused_since(self, period):
        pending = [
            contested_on
            for contested_on, judgment_on in self._contests()
            if judgment_on is None and contested_on <= period.date
        ]
        return min(pending, default=None)

    def establishment_opinion_due(self):
        """For the central council's side of a two-level consultation: the establishment
        opinions, 7 days before its last day (R2312-6 II). An establishment's own consultation
        has that day as its last day."""
        if not self.two_level or self.is_establishments_side:
            return None
        deadline = self.deadline()
        if not deadline:
            return None
        return deadlines.establishment_opinion_due(deadline.date)

    @property
    def opinion_given(self) -> bool:
        return bool(self.opinion) and self.opinion != self.Opinion.DEEMED_NEGATIVE

    def opinion_after(self, deadline) -> bool:
        """An opinion recorded after ``deadline`` (this consultation's deadline()) ran out: the
        council was by then deemed to have given a negative opinion (R2312-6; LEGAL.md row 6).
        Recorded as given all the same, since the computed day may be disputed (the counting of
        months is unsettled, an agreed period may not be recorded); its page says so beside it,
        and the admin and the site's form warn when it is saved (late_opinion_warning)."""
        return bool(
            self.opinion_given and self.opinion_on and deadline and self.opinion_on > deadline.date
        )

    def late_opinion_warning(self) -> str:
        """The warning given once an opinion dated after the period ran out (opinion_after) is
        saved, by the admin and by the site's form alike; "" otherwise. Call it on the record
        read again with_clock_facts(): what was saved with it may have moved the last day."""
        deadline = self.deadline()
        if not self.opinion_after(deadline):
            return ""
        return _(
            "L'avis est daté du %(opinion)s, après la fin du délai le %(deadline)s : le "
            "CSE était alors déjà réputé avoir rendu un avis négatif (R2312-6). Si le "
            "délai a été prolongé (accord, juge), enregistrez la prolongation ; sinon, "
            "enregistrez l'avis « réputé négatif » et gardez le vote tardif à sa réunion."
        ) % {"opinion": long_date(self.opinion_on), "deadline": long_date(deadline.date)}

    def opinion_warnings(self) -> list[str]:
        """What the admin and the site's form warn of once the consultation is saved, the
        record saved all the same: an opinion after the period (late_opinion_warning()), an
        opinion with no vote on it (opinion_without_vote_warning()). Call it on the record read
        again with_clock_facts(), as late_opinion_warning() asks."""
        warnings = (self.late_opinion_warning(), self.opinion_without_vote_warning())
        return [warning for warning in warnings if warning]

    # The opinions recorded without a vote of the council's members, as no vote adopts them:
    # - « réputé négatif »: the period ran out without an opinion, and the law deems the council
    #   consulted and its opinion negative (R2312-6; LEGAL.md (a) 6, trap 7);
    # - « refus de rendre un avis »: the elected members decline to vote an opinion, so no
    #   opinion is put to the vote (DESIGN.md's "refused to vote"); a decision to decline, if
    #   voted, is no vote on an opinion ("other", as generate_load_data records it).
    OPINIONS_WITHOUT_VOTE = (Opinion.DEEMED_NEGATIVE, Opinion.REFUSED_TO_VOTE)

    def has_opinion_vote(self) -> bool:
        """Whether a vote on the opinion (Vote.Subject.OPINION) is recorded for it, whatever its
        result: read from the votes prefetched with it (the consultation's page), else asked."""
        from .meeting import Vote

        if "votes" in getattr(self, "_prefetched_objects_cache", {}):
            return any(vote.subject == Vote.Subject.OPINION for vote in self.votes.all())
        return self.pk is not None and self.votes.filter(subject=Vote.Subject.OPINION).exists()

    def opinion_without_vote_warning(self) -> str:
        """The warning given when an opinion (favourable, unfavourable, with reservations) is
        recorded while no vote on it is: the council's opinion is a resolution of its members,
        adopted by a majority of those present at a meeting (L2315-32; LEGAL.md (c)), and a
        record without that vote does not show it was. Not an error (the vote may be logged
        after the opinion): shown by the admin and the site's form once saved, as
        late_opinion_warning() is, and on the page to members; "" otherwise, and for the
        opinions no vote adopts (OPINIONS_WITHOUT_VOTE)."""
        if not self.opinion or self.opinion in self.OPINIONS_WITHOUT_VOTE:
            return ""
        if self.has_opinion_vote():
            return ""
        return _(
            "L'avis « %(opinion)s » du %(date)s est enregistré sans vote : aucun vote sur "
            "l'avis n'est consigné pour cette consultation. L'avis du CSE est adopté par un "
            "vote de ses élus en réunion, à la majorité des présents (L2315-32) : consignez ce "
            "vote avec sa réunion, pour que le dossier montre que le CSE a adopté cet avis."
        ) % {
            "opinion": self.get_opinion_display().lower(),
            "date": long_date(self.opinion_on) if self.opinion_on else "?",
        }

    @property
    def answered(self) -> bool:
        """A reasoned answer to the opinion came: an answer that takes a position (L2312-15),
        received on or after the opinion's day; an earlier one answered motions or questions
        of the period, not the opinion."""
        return any(
            response.stance != response.Stance.NO_ANSWER
            and (self.opinion_on is None or response.received_on >= self.opinion_on)
            for response in self.fetched("responses")
        )

    def answer_due(self):
        """The day management's reasoned answer to the opinion is due (clock.answer_due); None
        without an opinion. An opinion given on a matter the council is only informed of is
        answered too: the employer's reasoned decision on the proposals submitted is due at the
        meeting after the minutes (L2315-34), consultation or not."""
        if not (self.opinion_given and self.opinion_on):
            return None
        if hasattr(self, "next_meeting_after_opinion"):  # from with_clock_facts()
            minutes, next_meeting = self.opinion_minutes_sent_on, self.next_meeting_after_opinion
        else:
            meetings = self.body.meetings.order_by("held_on")
            minutes = (
                meetings.filter(held_on=self.opinion_on, minutes_sent_on__isnull=False)
                .order_by("minutes_sent_on")
                .values_list("minutes_sent_on", flat=True)
                .first()
            )
            after = max(minutes or self.opinion_on, self.opinion_on)
            next_meeting = (
                meetings.filter(held_on__gt=after).values_list("held_on", flat=True).first()
            )
        return clock.answer_due(
            self.opinion_on,
            next_meeting_on=next_meeting,
            minutes_sent_on=minutes,
            fallback_days=settings.VIGIE_ANSWER_FALLBACK_DAYS,
        )

    def refresh_calendar(self):
        """Rewrite the computed dates from the facts (an update: no history row, no signal)."""
        deadline, answer = self.deadline(), self.answer_due()
        self.deadline_on = deadline.date if deadline else None
        self.answer_due_on = answer.date if answer else None
        # Also written by save(); rewritten here for the records restored or imported without it.
        self.information_only = information_only(self.legal_bases)
        Consultation.objects.filter(pk=self.pk).update(
            deadline_on=self.deadline_on,
            answer_due_on=self.answer_due_on,
            information_only=self.information_only,
        )

    def clock_state(self, on=None) -> Clock:
        period = self._period()
        paused = period is not None and self._paused_since(period) is not None
        deadline = None if paused else period
        answer = self.answer_due()
        state = clock.clock_state(
            on or today(),
            paused=paused,
            withdrawn=self.status == self.Status.WITHDRAWN,
            information_only=self.is_information_only,
            deadline=deadline.date if deadline else None,
            opinion_given=bool(self.opinion),
            deemed_negative=self.opinion == self.Opinion.DEEMED_NEGATIVE,
            answered=self.answered,
            answer_due_on=answer.date if answer else None,
            due_soon_days=settings.VIGIE_DUE_SOON_DAYS,
        )
        return Clock(state.value)

    def get_legal_bases_display(self) -> list[str]:
        labels = dict(LegalBasis.choices)
        return [str(labels.get(code, code)) for code in self.legal_bases]

    def clean(self):
        errors = {}
        try:
            validate_choice_list(self.legal_bases, LegalBasis, _("Fondements"))
        except ValidationError as error:
            errors["legal_bases"] = error
        body = self.body if self.body_id else None
        if body and self.deployment_id and body.organisation_id != self.deployment.organisation_id:
            errors["deployment"] = _(
                "Le système d'IA doit appartenir à la même organisation que l'instance consultée."
            )
        if body and not body.gives_opinions:
            errors["body"] = _(
                "Une CSSCT prépare les travaux du CSE mais n'est pas consultée et ne rend pas "
                "d'avis (L2315-38) : enregistrez la consultation sur le CSE, puis inscrivez-la "
                "à l'ordre du jour des réunions de la CSSCT qui la préparent."
            )
        if self.opinion:
            if body and not body.gives_opinions:
                errors["opinion"] = _(
                    "Une CSSCT prépare les travaux du CSE mais ne rend pas d'avis (L2315-38) : "
                    "enregistrez l'avis sur la consultation du CSE."
                )
            elif not self.information_received_on:
                errors["opinion"] = _(
                    "Un avis suppose que les informations aient été remises : "
                    "indiquez d'abord la date de remise des informations (T0)."
                )
            if not self.opinion_on:
                errors["opinion_on"] = _("Indiquez la date de l'avis.")
        elif self.opinion_on:
            errors["opinion"] = _("Une date d'avis suppose un avis : choisissez-le.")
        if (
            self.opinion_on
            and self.information_received_on
            and self.opinion_on < self.information_received_on
        ):
            errors["opinion_on"] = _(
                "L'avis ne peut pas précéder la remise des informations (%(date)s)."
            ) % {"date": long_date(self.information_received_on)}
        # Only a date being set or changed (fields.future_dates_set): an old record holding one
        # stays editable.
        future = future_dates_set(self, DONE_ON_FIELDS)
        if "information_received_on" in future:
            errors["information_received_on"] = _(
                "Les informations sont datées du %(date)s, à venir : la date se consigne une "
                "fois les informations remises, le délai d'avis courant de leur remise (R2312-6)."
            ) % {"date": long_date(self.information_received_on)}
        if "opinion_on" in future:
            errors["opinion_on"] = _(
                "L'avis est daté du %(date)s, à venir : il s'enregistre une fois rendu."
            ) % {"date": long_date(self.opinion_on)}
        elif (
            self.opinion == self.Opinion.DEEMED_NEGATIVE
            and body
            and not errors
            and not self._opinion_unchanged()
        ):
            errors.update(self._deemed_negative_errors())
        elif (
            self.opinion == self.Opinion.DEEMED_NEGATIVE
            and self.is_information_only
            and "opinion" not in errors
            and not saved_with(self, "legal_bases", "opinion")
        ):
            # The grounds changed under an opinion recorded as deemed negative.
            errors.update(self._deemed_negative_errors())
        errors.update(self._withdrawn_with_opinion_errors())
        errors.update(self._organisation_change_errors())
        errors.update(self._duplicate_errors())
        errors.update(self._establishment_opinions_errors(future))
        errors.update(self._central_information_errors(future))
        errors.update(self._opinion_vote_before_information_errors())
        if self.expertise_at_other_level and not self.two_level:
            errors["expertise_at_other_level"] = _(
                "Seule une consultation à deux niveaux a un autre niveau : cochez « consultation "
                "à deux niveaux » ou décochez cette case."
            )
        if errors:
            raise ValidationError(errors)

    def _opinion_unchanged(self) -> bool:
        """The opinion and its date are those already saved: a fact recorded since (an
        expertise, a suspension) may have moved the period, and the record must stay editable;
        the check applies when the opinion is entered."""
        return saved_with(self, "opinion", "opinion_on")

    def _deemed_negative_errors(self):
        """An opinion is deemed negative only once the period ran out without one (R2312-6):
        not on or before its last day, nor while the period is paused by a contest, nor on a
        matter the council is only informed of, which has no period."""
        if self.is_information_only:
            return {
                "opinion": _(
                    "Le CSE est seulement informé sur ces fondements (L2312-38 al. 1 et 2) : "
                    "aucun délai d'avis ne court et aucun avis ne peut être réputé négatif. Si "
                    "le système introduit une nouvelle technologie (L2312-8 II 4°) ou permet de "
                    "contrôler l'activité des salariés (L2312-38 al. 3), ajoutez ce fondement : "
                    "le CSE doit alors être consulté."
                )
            }
        period = self._period()
        if period is None:
            return {}
        if self._paused_since(period):
            return {
                "opinion": _(
                    "Le délai est suspendu tant que le jugement sur l'expertise n'est pas "
                    "notifié (L2315-86) : l'avis ne peut pas encore être réputé négatif."
                )
            }
        on = self.opinion_on or timezone.localdate()
        if on <= period.date:
            return {
                "opinion": _(
                    "L'avis n'est réputé négatif qu'une fois le délai écoulé, après le %(date)s "
                    "(R2312-6) : d'ici là, le CSE peut encore rendre son avis."
                )
                % {"date": long_date(period.date)}
            }
        return {}

    def _withdrawn_with_opinion_errors(self):
        """« Projet retiré » is the project withdrawn before any opinion (LEGAL.md (b) 5): with
        an opinion, the clock reads the opinion and the status shows nowhere (found by a union
        representative's QA pass: the badge said « Réponse en retard »). A project dropped
        after the opinion is a closed file. Checked when the status or the opinion is set or
        changed: an old record holding both stays editable."""
        if not (self.status == self.Status.WITHDRAWN and self.opinion):
            return {}
        if saved_with(self, "status", "opinion"):
            return {}
        return {
            "status": _(
                "« Projet retiré » se dit d'un projet retiré avant l'avis du CSE : effacez l'avis "
                "et sa date ou, si la direction a abandonné son projet après l'avis, choisissez "
                "« Dossier clos »."
            )
        }

    def _opinion_vote_before_information_errors(self):
        """T0 moved after a meeting that already voted the opinion: an opinion is voted once the
        information is given, from which its period runs (R2312-6); the vote's own form refuses
        it the other way round (Vote.clean)."""
        from .meeting import Vote

        if self.pk is None or not self.information_received_on:
            return {}
        started = self.information_received_on
        held_on = (
            self.votes.filter(subject=Vote.Subject.OPINION, meeting__held_on__lt=started)
            .order_by("meeting__held_on")
            .values_list("meeting__held_on", flat=True)
            .first()
        )
        if held_on is None:
            return {}
        return {
            "information_received_on": _(
                "La réunion du %(held)s a voté l'avis de cette consultation : les informations "
                "ont été remises au plus tard ce jour-là."
            )
            % {"held": long_date(held_on)}
        }

    def _organisation_change_errors(self):
        """A consultation stays with its organisation: its meetings, votes and motions are
        those of the organisation's councils, and its internal notes and documents are for the
        organisation's members alone."""
        if not self.body_id:
            return {}
        saved = moved_from(self, self.body.organisation_id, "body__organisation")
        if saved is None:
            return {}
        return {
            "body": _(
                "Cette consultation est celle de « %(organisation)s » : elle ne peut pas passer à "
                "une instance d'une autre organisation. Pour l'autre, ouvrez une nouvelle consultation."
            )
            % {"organisation": Organisation.objects.get(pk=saved)}
        }

    def _duplicate_errors(self):
        """The same consultation opened twice (a form sent again) would split its meetings and
        votes between two records: a new one with the title of another on the same system
        before the same council is refused, unless that one was withdrawn (a project
        withdrawn and brought back keeps its title)."""
        if self.pk is not None or not (self.body_id and self.deployment_id and self.title):
            return {}
        twins = Consultation.objects.filter(
            body=self.body_id, deployment=self.deployment_id, title__iexact=self.title
        ).exclude(status=Consultation.Status.WITHDRAWN)
        if not twins.exists():
            return {}
        return {
            "title": _(
                "Une consultation de ce titre est déjà ouverte sur ce système d'IA devant cette "
                "instance : elle figure dans la liste des consultations. S'il s'agit d'une autre, "
                "donnez-lui un intitulé qui la distingue."
            )
        }

    def _central_information_errors(self, future):
        """The central council's information date belongs to an establishment's side of a
        two-level consultation (R2312-6 II), and is a date past (``future``: the dates to come
        being set or changed, fields.future_dates_set)."""
        received = self.central_information_received_on
        if not received:
            return {}
        if not self.two_level or (self.body_id and not self.is_establishments_side):
            message = _(
                "Seule la consultation d'un CSE d'établissement, à deux niveaux, compte son "
                "délai de la remise des informations au CSE central : cochez « consultation à "
                "deux niveaux », choisissez le CSE d'établissement, ou effacez cette date."
            )
        elif "central_information_received_on" in future:
            message = _(
                "Les informations du CSE central sont datées du %(date)s, à venir : la date se "
                "consigne une fois les informations remises."
            ) % {"date": long_date(received)}
        else:
            return {}
        return {"central_information_received_on": message}

    def _establishment_opinions_errors(self, future):
        """The establishment opinions are received by the central council of a two-level
        consultation, after the information (R2312-6 II), once transmitted: not on a day to come
        (``future``, as _central_information_errors; found by a union representative's QA pass:
        « Transmis le 27 novembre 2026 » was saved and shown)."""
        received = self.establishment_opinions_received_on
        if not received:
            return {}
        field = "establishment_opinions_received_on"
        if not self.two_level:
            message = _(
                "Seule une consultation à deux niveaux reçoit les avis des CSE d'établissement : "
                "cochez « consultation à deux niveaux » ou effacez cette date."
            )
        elif self.body_id and self.is_establishments_side:
            message = _(
                "C'est le CSE central qui reçoit les avis des CSE d'établissement : indiquez "
                "cette date sur sa consultation."
            )
        elif self.information_received_on and received < self.information_received_on:
            message = _(
                "Les avis des établissements ne peuvent pas précéder la remise des informations "
                "(%(date)s)."
            ) % {"date": long_date(self.information_received_on)}
        elif field in future:
            message = _(
                "Les avis des CSE d'établissement sont datés du %(date)s, à venir : la date se "
                "consigne une fois le dernier avis transmis."
            ) % {"date": long_date(received)}
        else:
            return {}
        return {field: message}


class ConsultationPartQuerySet(OrganisationScopedQuerySet):
    """For the records that belong to one consultation."""

    organisation_path = "consultation__body__organisation"

    def published(self):
        return self.filter(consultation__visibility=Consultation.Visibility.PUBLIC)


class ClockStop(models.Model):
    """A suspension of the consultation period, e.g. while the judge rules on a contested expertise
    (L2315-86): the period resumes when the judgment is notified."""

    class Reason(models.TextChoices):
        EXPERTISE_CONTESTED = (
            "expertise_contested",
            _("Contestation de l'expertise devant le juge (L2315-86)"),
        )
        JUDGE_EXTENSION = "judge_extension", _("Prolongation décidée par le juge (L2312-15)")
        AGREEMENT = "agreement", _("Accord entre l'employeur et le CSE")
        OTHER = "other", _("Autre")

    # The article a stop of each kind is made under, cited in the period's explanation; an
    # agreement on the periods is made under L2312-16, a stop of another kind cites none.
    SOURCES = {
        Reason.EXPERTISE_CONTESTED: "L2315-86",
        Reason.JUDGE_EXTENSION: "L2312-15",
        Reason.AGREEMENT: "L2312-16",
        Reason.OTHER: None,
    }

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="clock_stops",
        verbose_name=_("consultation"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("motif"), max_length=25, choices=Reason.choices)
    note = LongTextField(_("précisions"), blank=True, default="")

    history = HistoricalRecords()
    objects = ConsultationPartQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("suspension du délai")
        verbose_name_plural = _("suspensions du délai")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="clockstop_ends_after_start",
            ),
        ]

    def __str__(self):
        return _("Suspension du %(start)s au %(end)s") % {
            "start": long_date(self.starts_on),
            "end": long_date(self.ends_on),
        }

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("La suspension ne peut pas finir avant d'avoir commencé.")}
            )
        # No period runs before the information is received (T0, R2312-6): there is nothing to
        # suspend (found by an admin QA pass: a stop of 2019 on a record of 2020 was shown).
        period_starts_on = self.consultation.period_starts_on if self.consultation_id else None
        if self.starts_on and period_starts_on and self.starts_on < period_starts_on:
            raise ValidationError(
                {
                    "starts_on": _(
                        "Le délai court à partir du %(start)s : une suspension ne peut pas "
                        "commencer avant."
                    )
                    % {"start": long_date(period_starts_on)}
                }
            )

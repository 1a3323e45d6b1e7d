"""The dates due for a set of consultations: the calendar feed, the reminders and the workspace
all list them from here.

Each item carries a stable ``uid`` (so that calendar apps update an event rather than duplicate
it), the date, what the date means, its explanation with the legal sources, and its state.

``items_for()`` is the definition: every step of one consultation not yet met. ``due_items()``
gives the same items for many consultations, but loads only the records that can still have a
date due (a step met never is) within the window asked for, using the computed dates that
consultations/signals.py keeps (Consultation.deadline_on, answer_due_on), and for management's
decisions on the council's proposals the motions' facts (MotionQuerySet.with_decision_facts());
tests/test_workspace_speed.py checks both agree.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Body, Consultation, Expertise, ManagementResponse, Meeting, Motion
from .rules.clock import StepState, step_state
from .rules.deadlines import Due
from .rules.proposals import DecisionState, decisions_due
from .wording import explanation, long_date

# What callers show of an item's consultation besides its title: the feed shows the body and the
# AI system, the reminders the body.
SHOWN_WITH = ("body__organisation", "deployment")
# The consultation's long texts, which no date due reads: not loaded with the hundreds of
# consultations of a federation's workspace and calendar.
LONG_TEXTS = ("summary", "internal_notes", "search_text")
# What Meeting.steps() reads.
MEETING_FIELDS = ("held_on", "agenda_sent_on", "minutes_sent_on", "body__kind")
# What Motion.decision() and decision_label() read of a motion.
MOTION_FIELDS = ("consultation_id", "kind", "year", "number", "adopted_on")
# A decision's item names this many of its motions, then says how many others.
DECISION_REFERENCES_SHOWN = 3


@dataclass(frozen=True)
class DueItem:
    uid: str
    kind: str  # deadline, establishment_opinion, answer, expertise, meeting or decision
    on: date
    label: str
    due: Due
    consultation: Consultation
    state: StepState
    meeting_pk: int | None = None  # for a meeting's agenda or minutes, that meeting
    step: str = ""  # and which of them: agenda or minutes
    # The same step of the same meeting, for the other consultations on its agenda (merged by
    # one_per_meeting_step()).
    shared_with: tuple["DueItem", ...] = ()

    @property
    def consultations(self) -> list[Consultation]:
        """The item's consultation, and those it is shared with."""
        return [self.consultation, *(item.consultation for item in self.shared_with)]

    @property
    def uids(self) -> list[str]:
        return [self.uid, *(item.uid for item in self.shared_with)]

    @property
    def meeting_uid(self) -> str:
        """One name for a meeting's step whatever the consultations on its agenda (the calendar
        feed's event); the item's own ``uid`` otherwise."""
        if self.meeting_pk is None:
            return self.uid
        return f"vigie-meeting-{self.meeting_pk}-{self.step}"

    @property
    def late(self) -> bool:
        return self.state is StepState.LATE

    @property
    def explanation(self) -> str:
        """How the date is computed, in the reader's language: written when shown (a page of
        the workspace shows fifty of a federation's hundreds of dates)."""
        return explanation(self.due)


def consultation_queryset(consultations, shown_with=SHOWN_WITH):
    """For items_for(): the consultations with their clock facts, all their meetings, and their
    motions with the facts of management's decision on each and the answers naming them, in a
    fixed number of queries."""
    return consultations.with_clock_facts(shown_with=shown_with).prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.with_next_meeting()),
        Prefetch("motions", queryset=Motion.objects.with_decision_facts()),
        "responses_fetched__motions",  # the answers with_clock_facts() fetched
    )


def _item(consultation, today, kind, key, due, label, met_on=None, meeting_pk=None, step=""):
    """The item of one step, or None once the step is met."""
    state = step_state(due.date, met_on, today)
    if state in (StepState.MET, StepState.MET_LATE):
        return None
    uid = f"vigie-consultation-{consultation.pk}-{key}"
    return DueItem(uid, kind, due.date, label, due, consultation, state, meeting_pk, step)


def clock_items(consultation, today) -> list[DueItem]:
    """The consultation's own dates (opinion, establishment opinions, answer) and its experts'
    milestones. Needs the clock facts (ConsultationQuerySet.with_clock_facts)."""
    items = []
    deadline = consultation.deadline()
    if not consultation.opinion and consultation.status == Consultation.Status.OPEN:
        if deadline:
            items.append(
                _item(
                    consultation,
                    today,
                    "deadline",
                    "deadline",
                    deadline,
                    _("Dernier jour pour l'avis : à défaut, avis réputé négatif"),
                )
            )
        # Only two-level consultations have one: no second computation of the deadline otherwise.
        establishment = consultation.two_level and consultation.establishment_opinion_due()
        if establishment:
            items.append(
                _item(
                    consultation,
                    today,
                    "establishment_opinion",
                    "establishment-opinion",
                    establishment,
                    _("Avis des CSE d'établissement : à défaut, réputés négatifs"),
                    consultation.establishment_opinions_received_on,
                )
            )
    answer = consultation.answer_due()
    if answer and not consultation.answered:
        items.append(
            _item(
                consultation,
                today,
                "answer",
                "answer",
                answer,
                _("Réponse motivée de la direction attendue"),
            )
        )
    for expertise in consultation.fetched("expertises"):
        steps = expertise.milestones(
            on=today, consultation_deadline=deadline.date if deadline else None
        )
        for step in steps:
            if step.state is StepState.LAPSED:
                continue  # an optional step whose date passed: nothing is due any more
            key = f"expertise-{expertise.pk}-{step.key}"
            items.append(
                _item(consultation, today, "expertise", key, step.due, step.label, step.met_on)
            )
    return [item for item in items if item]


def meeting_items(consultation, meeting_steps, meeting_pk, today) -> list[DueItem]:
    """The agenda and minutes of one meeting (``meeting_steps``: its Meeting.steps()) that has
    the consultation on its agenda."""
    items = (
        _item(
            consultation,
            today,
            "meeting",
            f"meeting-{meeting_pk}-{step.key}",
            step.due,
            step.label,
            step.met_on,
            meeting_pk,
            step.key,
        )
        for step in meeting_steps
    )
    return [item for item in items if item]


def decision_label(motions, meeting_on) -> str:
    """What a decision's item says, in the reader's language: « Décision motivée de la direction
    sur les motions n° 2025-01, 2025-02 (réunion du 12 mai 2025) »; the first
    DECISION_REFERENCES_SHOWN references of many, then « et 4 autres ». The kind of text when
    all are of one kind, « propositions » (L2315-34's word) otherwise."""
    references = [motion.reference for motion in motions if motion.reference]
    others = len(references) - DECISION_REFERENCES_SHOWN
    shown = ", ".join(references[:DECISION_REFERENCES_SHOWN])
    if others > 0:
        shown = ngettext(
            "%(references)s et %(count)d autre", "%(references)s et %(count)d autres", others
        ) % {"references": shown, "count": others}
    kinds, count = {motion.kind for motion in motions}, len(motions)
    if kinds == {Motion.Kind.MOTION}:
        texts = ngettext("la motion n° %(references)s", "les motions n° %(references)s", count)
    elif kinds == {Motion.Kind.RESOLUTION}:
        texts = ngettext(
            "la résolution n° %(references)s", "les résolutions n° %(references)s", count
        )
    elif kinds == {Motion.Kind.WISH}:
        texts = ngettext("le vœu n° %(references)s", "les vœux n° %(references)s", count)
    else:
        texts = ngettext(
            "la proposition n° %(references)s", "les propositions n° %(references)s", count
        )
    return _("Décision motivée de la direction sur %(texts)s (réunion du %(date)s)") % {
        "texts": texts % {"references": shown},
        "date": long_date(meeting_on),
    }


def decision_items(consultation, motions, today, responses=None) -> list[DueItem]:
    """Management's reasoned decisions on the consultation's proposals still awaited at a
    meeting known (Motion.decision(): DUE, or LATE once that meeting passed without one), one
    item per meeting whatever the number of proposals due at it (L2315-34: « lors de la réunion
    du comité suivant la communication du procès-verbal »). A proposal whose decision came, or
    whose meeting is not known yet (its minutes not sent, no later meeting recorded), gives
    none: there is no date to give. ``motions``: the consultation's, with
    MotionQuerySet.with_decision_facts(). ``responses``: the consultation's answers with the
    motions each names, by default those it fetched (fetched())."""
    if responses is None:
        responses = consultation.fetched("responses")
    awaited = {}
    adopted = [motion for motion in motions if motion.adopted_on]
    for motion in sorted(
        adopted, key=lambda motion: (motion.adopted_on, motion.number or 0, motion.pk)
    ):
        decision = motion.decision(responses, today)
        if decision is not None and decision.state in (DecisionState.DUE, DecisionState.LATE):
            awaited.setdefault(decision.due_on, []).append((motion, decision))
    items = []
    for on, pairs in sorted(awaited.items()):
        late = pairs[0][1].state is DecisionState.LATE
        items.append(
            DueItem(
                f"vigie-decision-{consultation.pk}-{on.isoformat()}",
                "decision",
                on,
                decision_label([motion for motion, _decision in pairs], on),
                decisions_due(decision for _motion, decision in pairs),
                consultation,
                StepState.LATE if late else StepState.PENDING,
            )
        )
    return items


def items_for(consultation, today) -> list[DueItem]:
    """Every step of ``consultation`` not yet met (loaded by consultation_queryset())."""
    return (
        clock_items(consultation, today)
        + [
            item
            for meeting in consultation.meetings.all()
            for item in meeting_items(
                consultation, meeting.steps(on=today, naming_meeting=True), meeting.pk, today
            )
        ]
        + decision_items(consultation, consultation.motions.all(), today)
    )


def motions_awaiting_decision(consultations, start, end):
    """The motions of ``consultations`` whose decision may be awaited at a meeting dated
    within ``start`` and ``end`` (either None: no bound), with the facts Motion.decision()
    reads, in one query: adopted proposals (not a statement nor an opinion, nor a CSSCT's
    text) with a meeting of their council after their minutes were sent
    (``decision_next_meeting_on``, L2315-34), and no answer taking a position on them (one
    naming them, or naming none received on or after their adoption: exactly the answers
    Motion.decision() counts, so that due_items() need not load the answers). Otherwise a
    superset, as in may_have_items(): decision_items() computes the state."""
    taking_position = ManagementResponse.objects.exclude(stance=ManagementResponse.Stance.NO_ANSWER)
    named = taking_position.filter(motions=OuterRef("pk"))
    general = taking_position.filter(
        consultation=OuterRef("consultation"),
        motions__isnull=True,
        received_on__gte=OuterRef("adopted_on"),
    )
    motions = (
        Motion.objects.with_decision_facts()
        .filter(
            consultation__in=consultations.values("pk"),
            adopted_on__isnull=False,
            decision_next_meeting_on__isnull=False,
        )
        .exclude(kind__in=Motion.WITHOUT_DECISION)
        .exclude(decision_body_kind=Body.Kind.CSSCT)
        .exclude(Exists(named))
        .exclude(Exists(general))
    )
    if start:
        motions = motions.filter(decision_next_meeting_on__gte=start)
    if end:
        motions = motions.filter(decision_next_meeting_on__lte=end)
    return motions.only(*MOTION_FIELDS).order_by()


def may_have_items(consultations, start, end, *, also_pks=()):
    """The consultations that may have an item of clock_items() dated within ``start`` and
    ``end`` (either None: no bound), and those of ``also_pks`` (the ids of the consultations of
    the meetings and motions with a date due then). A superset: the items are computed from the
    facts, then kept by date.

    - the opinion's last day (R2312-6): open without an opinion, on ``deadline_on``; the
      establishment opinions 7 days before it (R2312-6 II), hence ``end`` + 7 days;
    - management's answer (L2315-34, L2312-15): on ``answer_due_on``, until an answer that takes
      a position comes on or after the opinion (Consultation.answered);
    - an expert's milestones (R2315-45, R2315-46, R2315-47): an expertise designated with one
      of the facts that meet them still missing; at any date, as late steps stay listed.
    """
    deadline = Q(
        status=Consultation.Status.OPEN,
        opinion=Consultation.Opinion.NONE,
        deadline_on__isnull=False,
    )
    answer = Q(answer_due_on__isnull=False) & ~Consultation.objects.answered_condition()
    if start:
        deadline &= Q(deadline_on__gte=start)
        answer &= Q(answer_due_on__gte=start)
    if end:
        deadline &= Q(deadline_on__lte=end + timedelta(days=7))
        answer &= Q(answer_due_on__lte=end)
    expertise = Exists(
        Expertise.objects.filter(consultation=OuterRef("pk"), designated_on__isnull=False)
        .exclude(ground="")
        .filter(
            Q(information_requested_on__isnull=True)
            | Q(information_received_on__isnull=True)
            | Q(cost_notified_on__isnull=True)
            | Q(report_delivered_on__isnull=True)
        )
    )
    return consultations.filter(deadline | answer | expertise | Q(pk__in=also_pks))


def meetings_with_steps_due(consultations, end, *, withdrawn=None, today=None):
    """The meetings that may have a step due on or before ``end`` (None: no bound), once per
    consultation on their agenda (``consultation_pk``). A superset, as in may_have_items():
    the agenda not yet sent, due 3 days before the meeting or 8 for a central CSE (L2315-30,
    L2316-17), hence ``held_on`` up to ``end`` + 8 days; the minutes not yet sent, due after the
    meeting (L2315-34), hence ``held_on`` up to ``end``.

    With ``withdrawn`` (withdrawn projects, see due_items()), also the meetings held by
    ``today`` whose minutes are not sent, once per withdrawn consultation on their agenda,
    marked ``minutes_only``; the others are not (in one query, the page's count unchanged)."""
    agenda, minutes = Q(agenda_sent_on__isnull=True), Q(minutes_sent_on__isnull=True)
    if end:
        agenda &= Q(held_on__lte=end + timedelta(days=8))
        minutes &= Q(held_on__lte=end)
    listed = Q(consultation_pk__in=consultations.values("pk"))
    meetings = Meeting.objects.filter(agenda | minutes).annotate(consultation_pk=F("consultations"))
    if withdrawn is None:
        meetings = meetings.filter(listed).annotate(minutes_only=Value(False))
    else:
        held_without_minutes = Q(
            consultation_pk__in=withdrawn.values("pk"),
            minutes_sent_on__isnull=True,
            held_on__lte=today or timezone.localdate(),
        )
        meetings = meetings.filter(listed | held_without_minutes).annotate(
            minutes_only=Case(
                When(listed, then=Value(False)), default=Value(True), output_field=BooleanField()
            )
        )
    return (
        meetings.with_next_meeting()
        .only(*MEETING_FIELDS)  # not the agenda nor the notes, long texts
        .order_by()
    )


def minutes_of_withdrawn(meetings):
    """Of ``meetings`` (meetings_with_steps_due()), the rows of the listed consultations, and
    those of withdrawn projects (``minutes_only``) for a meeting that has no listed consultation
    on its agenda: the minutes of a meeting are due whatever became of the projects it
    discussed (L2315-34 concerns the meeting), and a meeting listed for a consultation still
    followed is not listed again under a withdrawn project."""
    listed = {meeting.pk for meeting in meetings if not meeting.minutes_only}
    return [meeting for meeting in meetings if not meeting.minutes_only or meeting.pk not in listed]


def withdrawn_minutes_step(step, meeting):
    """``meeting``'s minutes step (Meeting.steps()) listed under a withdrawn project: its label
    names the meeting, as the others do, and says why a project withdrawn still has a date
    due."""
    return replace(
        step,
        label=_(
            "Transmission du procès-verbal de la réunion du %(date)s, due même si le projet "
            "est retiré (L2315-34)"
        )
        % {"date": long_date(meeting.held_on)},
    )


def due_items(
    consultations, *, today=None, start=None, end=None, shown_with=SHOWN_WITH, withdrawn=None
) -> list[DueItem]:
    """Every date still to be met for ``consultations``, soonest first; between ``start`` and
    ``end`` (both included) when given. The same items as items_for() gives, from fewer records:
    the consultations and meetings that can have a date due then, in a fixed number of queries.
    ``shown_with``: the relations of each item's consultation loaded with it.

    ``withdrawn``: withdrawn projects whose meetings' minutes are listed too, while not sent,
    for the meetings held that no consultation of ``consultations`` has on its agenda: the
    secretary owes the minutes of a meeting held (L2315-34; LEGAL.md (a) 15), whatever became
    of the projects it discussed. Their minutes only: a withdrawn project's own dates (its
    opinion, its answer, its expert's steps) are no longer due."""
    today = today or timezone.localdate()
    meetings = minutes_of_withdrawn(
        list(meetings_with_steps_due(consultations, end, withdrawn=withdrawn, today=today))
    )
    minutes_only = {meeting.consultation_pk for meeting in meetings if meeting.minutes_only}
    motions = {}
    for motion in motions_awaiting_decision(consultations, start, end):
        motions.setdefault(motion.consultation_id, []).append(motion)
    candidates = may_have_items(
        consultations,
        start,
        end,
        also_pks={meeting.consultation_pk for meeting in meetings if not meeting.minutes_only}
        | set(motions),
    )
    if minutes_only:  # in the same query
        candidates = candidates | withdrawn.filter(pk__in=minutes_only)
    by_pk = {
        consultation.pk: consultation
        for consultation in candidates.with_clock_facts(shown_with=shown_with).defer(*LONG_TEXTS)
    }
    items = [
        item
        for consultation in by_pk.values()
        if consultation.pk not in minutes_only
        for item in clock_items(consultation, today)
    ]
    steps = {}
    for meeting in meetings:
        consultation = by_pk.get(meeting.consultation_pk)  # None if deleted in between
        if consultation is None:
            continue
        if meeting.pk not in steps:
            steps[meeting.pk] = meeting.steps(on=today, naming_meeting=True)
        shown = steps[meeting.pk]
        if meeting.minutes_only:
            shown = [
                withdrawn_minutes_step(step, meeting) for step in shown if step.key == "minutes"
            ]
        items += meeting_items(consultation, shown, meeting.pk, today)
    for pk, awaiting in motions.items():
        if pk in by_pk:
            # No answer: motions_awaiting_decision() left out the motions an answer taking a
            # position decides on, as Motion.decision() counts them (no query per answer).
            items += decision_items(by_pk[pk], awaiting, today, responses=())
    return sorted(
        (
            item
            for item in items
            if (start is None or item.on >= start) and (end is None or item.on <= end)
        ),
        key=lambda item: (item.on, item.uid),
    )


def one_per_meeting_step(items) -> list[DueItem]:
    """``items`` with each step of a meeting once: a meeting has one agenda and one set of
    minutes, however many consultations are on its agenda. The first item of a step is kept in
    its place, with the others in its ``shared_with``. For the calendar feed and the reminders,
    which list dates (two consultations debated at one meeting made two identical events); the
    workspace lists each consultation's steps under its title."""
    shared = {}
    for item in items:
        if item.meeting_pk is not None:
            shared.setdefault((item.meeting_pk, item.step), []).append(item)
    merged = []
    for item in items:
        if item.meeting_pk is None:
            merged.append(item)
            continue
        first, *others = shared[(item.meeting_pk, item.step)]
        if item is first:
            merged.append(replace(item, shared_with=tuple(others)) if others else item)
    return merged

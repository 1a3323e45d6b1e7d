"""The dates due for a set of consultations: the calendar feed, the reminders and the workspace
all list them from here.

Each item carries a stable ``uid`` (so that calendar apps update an event rather than duplicate
it), the date, what the date means, its explanation with the legal sources, and its state.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Consultation, Meeting
from .rules.clock import StepState, step_state


@dataclass(frozen=True)
class DueItem:
    uid: str
    kind: str  # deadline, establishment_opinion, answer, expertise or meeting
    on: date
    label: str
    explanation: str
    consultation: Consultation
    state: StepState

    @property
    def late(self) -> bool:
        return self.state is StepState.LATE


def consultation_queryset(consultations):
    """Prefetch what the items need, in a fixed number of queries."""
    return consultations.with_clock_facts().prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.with_next_meeting())
    )


def items_for(consultation, today) -> list[DueItem]:
    items = []
    prefix = f"vigie-consultation-{consultation.pk}"

    def add(kind, key, due, label, met_on=None):
        state = step_state(due.date, met_on, today)
        if state is not StepState.MET:
            items.append(
                DueItem(
                    f"{prefix}-{key}", kind, due.date, label, due.explanation, consultation, state
                )
            )

    deadline = consultation.deadline()
    if not consultation.opinion and consultation.status == Consultation.Status.OPEN:
        if deadline:
            add(
                "deadline",
                "deadline",
                deadline,
                _("Dernier jour pour l'avis : à défaut, avis réputé négatif"),
            )
        establishment = consultation.establishment_opinion_due()
        if establishment:
            add(
                "establishment_opinion",
                "establishment-opinion",
                establishment,
                _("Avis des CSE d'établissement : à défaut, réputés négatifs"),
            )
    answer = consultation.answer_due()
    if answer and not consultation.answered:
        add("answer", "answer", answer, _("Réponse motivée de la direction attendue"))
    for expertise in consultation.expertises.all():
        steps = expertise.milestones(
            on=today, consultation_deadline=deadline.date if deadline else None
        )
        for step in steps:
            add(
                "expertise",
                f"expertise-{expertise.pk}-{step.key}",
                step.due,
                step.label,
                step.met_on,
            )
    for meeting in consultation.meetings.all():
        for step in meeting.steps(on=today):
            add("meeting", f"meeting-{meeting.pk}-{step.key}", step.due, step.label, step.met_on)
    return items


def due_items(consultations, *, today=None, start=None, end=None) -> list[DueItem]:
    """Every date still to be met for ``consultations``, soonest first; between ``start`` and
    ``end`` (both included) when given."""
    today = today or timezone.localdate()
    items = [
        item
        for consultation in consultation_queryset(consultations)
        for item in items_for(consultation, today)
        if (start is None or item.on >= start) and (end is None or item.on <= end)
    ]
    return sorted(items, key=lambda item: (item.on, item.uid))

"""Keep what is computed from the records in step with them: any save or delete of a fact
refreshes the consultations it touches — their computed dates (Consultation.deadline_on,
answer_due_on), their searched text (Consultation.search_text), then their rows of the timeline
index (consultations/timeline.py) —, and retires
the cached public pages (consultations/cache.py).

"The consultations it touches" are those the fact belongs to before and after the change: a
motion moved to another consultation leaves the first one's timeline too. A meeting touches the
consultations on its agenda or voted on there (they may be of another body of the organisation),
and its body's consultations with an opinion, whose answer is due at the body's next meeting
(L2312-15). tests/test_timeline_index.py checks the index against a fresh build after each kind
of edit.

When a deletion cascades (a consultation with its votes, a meeting with its votes), the records
deleted with it leave the refreshing to the handler of what was deleted first (the ``origin`` of
the deletion): a consultation being deleted must not get its rows written again.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q, QuerySet
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from .cache import retire_public_pages
from .models import (
    Body,
    ClockStop,
    Consultation,
    Document,
    Event,
    Expertise,
    ManagementResponse,
    Meeting,
    Motion,
    TimelineEntry,
    Vote,
)
from .timeline import rebuild_timeline, refresh_stored_calendar

PARTS = (ClockStop, Expertise, Vote, Motion, ManagementResponse, Document, Event)


def refresh(consultations):
    ids = []
    for consultation in consultations.with_clock_facts():
        consultation.refresh_calendar()
        ids.append(consultation.pk)
    Consultation.objects.filter(pk__in=ids).refresh_search_text()
    rebuild_timeline(ids)


def refresh_ids(ids):
    ids = set(ids) - {None}
    if ids:
        refresh(Consultation.objects.filter(pk__in=ids))


def cascaded(sender, origin) -> bool:
    """Whether a deletion comes from deleting something else (see the module's docstring)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return origin is not None and model is not sender


@receiver(post_save, sender=Consultation)
def consultation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(Consultation.objects.filter(pk=instance.pk))


# --- The parts of a consultation ------------------------------------------------------------------


def linked_consultations(instance) -> set:
    """Consultations whose rows show this part besides its own: a motion's adopting vote and a
    vote's motion (a vote is public only while its motion is)."""
    if isinstance(instance, Motion) and instance.adopting_vote_id:
        return set(
            Vote.objects.filter(pk=instance.adopting_vote_id).values_list(
                "consultation_id", flat=True
            )
        )
    if isinstance(instance, Vote) and instance.pk:
        return set(
            Motion.objects.filter(adopting_vote=instance).values_list("consultation_id", flat=True)
        )
    return set()


def part_saving(sender, instance, raw=False, **kwargs):
    """Remember the consultation a part belonged to before this save."""
    if not raw and instance.pk:
        instance._consultation_before = (
            sender.objects.filter(pk=instance.pk).values_list("consultation_id", flat=True).first()
        )


def part_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        before = getattr(instance, "_consultation_before", None)
        refresh_ids({instance.consultation_id, before} | linked_consultations(instance))


def part_deleted(sender, instance, origin=None, **kwargs):
    if not cascaded(sender, origin):
        refresh_ids({instance.consultation_id} | linked_consultations(instance))


for part in PARTS:
    uid = part.__name__
    pre_save.connect(part_saving, sender=part, dispatch_uid=f"part-saving-{uid}")
    post_save.connect(part_saved, sender=part, dispatch_uid=f"part-saved-{uid}")
    post_delete.connect(part_deleted, sender=part, dispatch_uid=f"part-deleted-{uid}")


# --- Meetings and bodies ----------------------------------------------------------------------


def meeting_consultations(meeting_ids, body_ids) -> QuerySet:
    """The consultations a change of these meetings (of these bodies) touches."""
    return Consultation.objects.filter(
        Q(meetings__in=meeting_ids)
        | Q(votes__meeting__in=meeting_ids)
        | (Q(body__in=body_ids) & ~Q(opinion=""))
    ).distinct()


@receiver(pre_save, sender=Meeting)
def meeting_saving(sender, instance, raw=False, **kwargs):
    """Remember the body a meeting is moved from: its consultations change too."""
    if not raw and instance.pk:
        instance._body_before = (
            Meeting.objects.filter(pk=instance.pk).values_list("body_id", flat=True).first()
        )


@receiver(post_save, sender=Meeting)
def meeting_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        bodies = {instance.body_id, getattr(instance, "_body_before", None)} - {None}
        refresh(meeting_consultations([instance.pk], bodies))


@receiver(pre_delete, sender=Meeting)
def meeting_deleting(sender, instance, **kwargs):
    """Once deleted, its agenda and votes are gone: note whom they concerned."""
    instance._consultations = set(
        meeting_consultations([instance.pk], [instance.body_id]).values_list("pk", flat=True)
    )


@receiver(post_delete, sender=Meeting)
def meeting_deleted(sender, instance, origin=None, **kwargs):
    if not cascaded(sender, origin):
        refresh_ids(getattr(instance, "_consultations", set()))


@receiver(m2m_changed, sender=Meeting.consultations.through)
def meeting_agenda_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    """A consultation added to or taken off a meeting's agenda (from either side)."""
    if action == "pre_clear":
        if reverse:
            instance._agenda_before = {instance.pk}
        else:
            instance._agenda_before = set(instance.consultations.values_list("pk", flat=True))
        return
    if not action.startswith("post_"):
        return
    if reverse:  # consultation.meetings.add(...): the consultation itself
        refresh_ids({instance.pk})
    elif action == "post_clear":
        refresh_ids(getattr(instance, "_agenda_before", set()))
    else:
        refresh_ids(pk_set or set())


@receiver(post_save, sender=Body)
def body_saved(sender, instance, raw=False, **kwargs):
    """Its name is in the entries, its seats in the vote results, its agreed period in the
    deadlines: its consultations, those on its meetings' agendas, and, for a central CSE, its
    establishments' sides of two-level consultations (Consultation.agreement_body) change."""
    if not raw:
        meetings = Meeting.objects.filter(body=instance).values("pk")
        refresh(
            Consultation.objects.filter(
                Q(body=instance)
                | Q(body__parent=instance, two_level=True)
                | Q(meetings__in=meetings)
                | Q(votes__meeting__in=meetings)
            ).distinct()
        )


# --- The cache of public pages ----------------------------------------------------------------


def public_pages_changed(sender, raw=False, **kwargs):
    """Any change to a record may show on a public page: retire every cached page."""
    if not raw:
        retire_public_pages()


# The timeline index is not a record: its rows change with the records, which bump already.
for model in apps.get_app_config("consultations").get_models():
    if not model.__name__.startswith("Historical") and model is not TimelineEntry:
        post_save.connect(
            public_pages_changed, sender=model, dispatch_uid=f"public-{model.__name__}"
        )
        post_delete.connect(
            public_pages_changed, sender=model, dispatch_uid=f"public-del-{model.__name__}"
        )
for through in (Meeting.consultations.through, ManagementResponse.motions.through):
    m2m_changed.connect(
        public_pages_changed, sender=through, dispatch_uid=f"public-m2m-{through.__name__}"
    )


# --- After migrate --------------------------------------------------------------------------


def fill_timeline_index(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """After ``migrate`` to the latest schema: a database from before the timeline index, or
    whose index a migration emptied because the rules or their words changed (0009 to 0011),
    gets its dates computed again and its index built, from its records (not after a partial
    migrate or a rollback: the models would not match the tables)."""
    if sender.name != "consultations" or using != DEFAULT_DB_ALIAS:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if Consultation.objects.exists() and not TimelineEntry.objects.exists():
        refresh_stored_calendar()


post_migrate.connect(fill_timeline_index, dispatch_uid="fill-timeline-index")

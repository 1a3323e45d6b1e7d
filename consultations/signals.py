"""Keep what is computed from the records in step with them: any save or delete of a fact
refreshes the consultations it touches — their computed dates (Consultation.deadline_on,
answer_due_on), then their rows of the timeline index (consultations/timeline.py) —, and retires
the cached public pages (consultations/cache.py)."""

import threading

from django.apps import apps
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from .cache import bump_public_version
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
from .timeline import rebuild_timeline

# Consultations being deleted, between their pre_delete and post_delete: their records go first
# and signal it, but their index rows must not be written again (they would outlive them).
_deleting = threading.local()


def being_deleted() -> set:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def refresh(consultations):
    ids = []
    for consultation in consultations.exclude(pk__in=being_deleted()).with_clock_facts():
        consultation.refresh_calendar()
        ids.append(consultation.pk)
    rebuild_timeline(ids)


@receiver(pre_delete, sender=Consultation)
def consultation_deleting(sender, instance, **kwargs):
    being_deleted().add(instance.pk)


@receiver(post_delete, sender=Consultation)
def consultation_deleted(sender, instance, **kwargs):
    being_deleted().discard(instance.pk)


@receiver(post_save, sender=Consultation)
def consultation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(Consultation.objects.filter(pk=instance.pk))


@receiver([post_save, post_delete], sender=ClockStop)
@receiver([post_save, post_delete], sender=Expertise)
@receiver([post_save, post_delete], sender=Vote)
@receiver([post_save, post_delete], sender=Motion)
@receiver([post_save, post_delete], sender=ManagementResponse)
@receiver([post_save, post_delete], sender=Document)
@receiver([post_save, post_delete], sender=Event)
def consultation_part_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.consultation_id:
        refresh(Consultation.objects.filter(pk=instance.consultation_id))


@receiver(pre_save, sender=Meeting)
def meeting_saving(sender, instance, raw=False, **kwargs):
    """Remember the body a meeting is moved from: its consultations change too."""
    if not raw and instance.pk:
        instance._body_before = (
            Meeting.objects.filter(pk=instance.pk).values_list("body_id", flat=True).first()
        )


@receiver([post_save, post_delete], sender=Meeting)
def meeting_changed(sender, instance, raw=False, **kwargs):
    """A meeting shows on the timelines of the body's consultations it deals with, and it may be
    the next one after an opinion: management's answer is due there (L2312-15)."""
    if not raw:
        bodies = {instance.body_id, getattr(instance, "_body_before", None)} - {None}
        refresh(Consultation.objects.filter(body_id__in=bodies))


@receiver(m2m_changed, sender=Meeting.consultations.through)
def meeting_agenda_changed(sender, instance, action, **kwargs):
    """A consultation added to or taken off a meeting's agenda."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Meeting):
        consultations = Consultation.objects.filter(body_id=instance.body_id)
    else:
        consultations = Consultation.objects.filter(pk=instance.pk)
    refresh(consultations)


@receiver(post_save, sender=Body)
def body_saved(sender, instance, raw=False, **kwargs):
    """An agreed consultation period changes every deadline of the body."""
    if not raw:
        refresh(Consultation.objects.filter(body=instance))


def public_pages_changed(sender, raw=False, **kwargs):
    """Any change to a record may show on a public page: retire every cached page."""
    if not raw:
        bump_public_version()


for model in apps.get_app_config("consultations").get_models():
    if not model.__name__.startswith("Historical"):
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


def fill_timeline_index(sender, using="default", **kwargs):
    """After ``migrate``: a database from before the timeline index (or restored without it)
    gets its index built once, from its records."""
    if sender.name != "consultations":
        return
    if (
        Consultation.objects.using(using).exists()
        and not TimelineEntry.objects.using(using).exists()
    ):
        rebuild_timeline()


post_migrate.connect(fill_timeline_index, dispatch_uid="fill-timeline-index")

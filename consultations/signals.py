"""Keep the computed dates of consultations (Consultation.deadline_on, answer_due_on) in step with
the facts they come from: any save or delete of a fact refreshes the consultations it touches;
and retire the cached public pages on any change (consultations/cache.py)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import bump_public_version
from .models import Body, ClockStop, Consultation, Expertise, ManagementResponse, Meeting


def refresh(consultations):
    for consultation in consultations.with_clock_facts():
        consultation.refresh_calendar()


@receiver(post_save, sender=Consultation)
def consultation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(Consultation.objects.filter(pk=instance.pk))


@receiver([post_save, post_delete], sender=ClockStop)
@receiver([post_save, post_delete], sender=Expertise)
def consultation_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(Consultation.objects.filter(pk=instance.consultation_id))


@receiver([post_save, post_delete], sender=Meeting)
def meeting_changed(sender, instance, raw=False, **kwargs):
    """A meeting may be the next one after an opinion: management's answer is due there."""
    if not raw:
        refresh(Consultation.objects.filter(body_id=instance.body_id).exclude(opinion=""))


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

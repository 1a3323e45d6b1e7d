"""Keep the computed dates of consultations (Consultation.deadline_on, answer_due_on) in step with
the facts they come from: any save or delete of a fact refreshes the consultations it touches."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Body, ClockStop, Consultation, Expertise, Meeting


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

"""Per-user records that are not part of a consultation: the calendar link and the reminders
already sent. They hold no consultation facts, so they carry no audit history."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's iCalendar feed URL. Revoking it makes a new one: the old URL then
    answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("utilisateur·rice"),
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("lien d'agenda")
        verbose_name_plural = _("liens d'agenda")

    def __str__(self):
        return str(_("Agenda de %(user)s") % {"user": self.user})

    @classmethod
    def for_user(cls, user):
        return cls.objects.get_or_create(user=user)[0]

    def revoke(self):
        self.token = new_token()
        self.save(update_fields=["token"])


class ReminderSent(models.Model):
    """One reminder e-mailed to one person for one due date: never sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    uid = models.CharField(max_length=200)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "uid", "due_on"], name="reminder_sent_once_per_date_and_person"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.uid} — {self.due_on}"

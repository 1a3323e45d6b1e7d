"""E-mail each member the dates due soon in their organisations' consultations.

The dates of the consultations the workspace lists (``Consultation.objects.current``): not those
of a project withdrawn or of a closed file, which the workspace no longer shows either (found by
a QA pass on the dates: a reminder listed an expert's steps and a report « 15 jours avant la fin
du délai » of a withdrawn project, while the workspace said nothing was due). The minutes of a
meeting held are the exception, as on the workspace: still due when every project it discussed
was withdrawn (L2315-34 concerns the meeting; due_dates.due_items()). The organisations
are those the person is a member of, a superuser's too (one reminder for every organisation on
the site is noise); the calendar feed keeps every date of the open consultations they may
read, however old.

Run it daily (cron or a systemd timer). A person gets at most one reminder per due date, even
when the command runs twice: what was sent is recorded in ReminderSent. Each date links to its
consultation when VIGIE_SITE_URL gives the site's address. Written in French, the site's
language: a member's choice of language lives in their browser, which a command cannot read.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ...due_dates import due_items, one_per_meeting_step
from ...models import Consultation, ReminderSent


class Command(BaseCommand):
    help = "E-mails each member the dates due in the next N days (VIGIE_REMINDER_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=settings.VIGIE_REMINDER_DAYS, help="How far ahead to look."
        )

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        end = today + timedelta(days=days)
        members = (
            get_user_model()
            .objects.filter(is_active=True, memberships__isnull=False)
            .exclude(email="")
            .distinct()
        )
        sent = 0
        with translation.override(settings.LANGUAGE_CODE):
            for user in members:
                sent += self.remind(user, today, end)
        self.stdout.write(
            ngettext("%(count)d rappel envoyé.", "%(count)d rappels envoyés.", sent)
            % {"count": sent}
        )

    def remind(self, user, today, end) -> int:
        followed = Consultation.objects.followed_by(user)
        items = due_items(
            followed.current(today),
            today=today,
            start=today,
            end=end,
            withdrawn=followed.withdrawn(),
        )
        already = set(
            ReminderSent.objects.filter(user=user, due_on__gte=today).values_list("uid", "due_on")
        )
        # A meeting's agenda or minutes once, naming every consultation on its agenda.
        items = one_per_meeting_step([item for item in items if (item.uid, item.on) not in already])
        if not items:
            return 0
        body = render_to_string(
            "consultations/email/deadline_reminder.txt",
            {"user": user, "items": items, "site_url": settings.VIGIE_SITE_URL},
        )
        subject = ngettext(
            "Vigie : %(count)d échéance à venir", "Vigie : %(count)d échéances à venir", len(items)
        ) % {"count": len(items)}
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(user=user, uid=uid, due_on=item.on)
                    for item in items
                    for uid in item.uids
                ],
                ignore_conflicts=True,
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        return 1

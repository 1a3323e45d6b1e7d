"""Recompute every consultation's computed dates from the facts, then the timeline index (after a
bulk import, or a change of the rules). Saving through the application does it already, record
by record."""

from django.core.management.base import BaseCommand

from ...models import Consultation
from ...timeline import rebuild_timeline


class Command(BaseCommand):
    help = (
        "Recomputes the deadline and answer dates of every consultation from the facts, "
        "then the timeline index."
    )

    def handle(self, *args, **options):
        count = 0
        for consultation in Consultation.objects.with_clock_facts().iterator(chunk_size=500):
            consultation.refresh_calendar()
            count += 1
        rows = rebuild_timeline()
        self.stdout.write(f"{count} consultation(s), {rows} étape(s) de frise.")

"""Recompute what is stored computed: every consultation's dates from the facts, the timeline
index, and the motions' page HTML (after a bulk import, or a change of the rules, of the
Markdown and typography rules or of the translations: the index stores each entry's words in
every language). Saving through the application does it already, record by record."""

from django.core.management.base import BaseCommand

from ...models import Consultation, Motion
from ...timeline import rebuild_timeline


class Command(BaseCommand):
    help = (
        "Recomputes the deadline and answer dates of every consultation from the facts, "
        "then the timeline index and the motions' page HTML."
    )

    def handle(self, *args, **options):
        count = 0
        for consultation in Consultation.objects.with_clock_facts().iterator(chunk_size=500):
            consultation.refresh_calendar()
            count += 1
        rows = rebuild_timeline()
        motions = Motion.objects.render_texts()
        self.stdout.write(
            f"{count} consultation(s), {rows} étape(s) de frise, {motions} motion(s) remise(s) "
            "en page."
        )

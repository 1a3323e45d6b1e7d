"""Recompute what is stored computed: every consultation's dates from the facts, the timeline
index, and the motions' page HTML (after a bulk import, or a change of the rules, of the
Markdown and typography rules or of the translations: the index stores each entry's words in
every language). Saving through the application does it already, record by record."""

from django.core.management.base import BaseCommand

from ...models import Motion
from ...timeline import refresh_stored_calendar


class Command(BaseCommand):
    help = (
        "Recomputes the deadline and answer dates of every consultation from the facts, "
        "then the timeline index and the motions' page HTML."
    )

    def handle(self, *args, **options):
        count, rows = refresh_stored_calendar()
        motions = Motion.objects.render_texts()
        self.stdout.write(
            f"{count} consultation(s), {rows} étape(s) de frise, {motions} motion(s) remise(s) "
            "en page."
        )

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
        motions = 0
        for motion in Motion.objects.only("pk", "text", "text_html").iterator(chunk_size=500):
            html = Motion.render_text(motion.text)
            if html != motion.text_html:
                Motion.objects.filter(pk=motion.pk).update(text_html=html)
                motions += 1
        self.stdout.write(
            f"{count} consultation(s), {rows} étape(s) de frise, {motions} motion(s) remise(s) "
            "en page."
        )

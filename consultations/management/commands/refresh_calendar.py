"""Recompute what is stored computed: every consultation's dates from the facts, the timeline
index, the motions' page HTML and the searched texts (after a bulk import, or a change of the rules, of the
Markdown and typography rules or of the translations: the index stores each entry's words in
every language). Saving through the application does it already, record by record."""

from django.core.management.base import BaseCommand

from ...models import Consultation, Deployment, Motion
from ...timeline import refresh_stored_calendar


class Command(BaseCommand):
    help = (
        "Recomputes the deadline and answer dates of every consultation from the facts, "
        "then the timeline index, the motions' page HTML and the searched texts."
    )

    def handle(self, *args, **options):
        count, rows = refresh_stored_calendar()
        motions = Motion.objects.render_texts()
        searched = (
            Consultation.objects.refresh_search_text() + Deployment.objects.refresh_search_text()
        )
        self.stdout.write(
            f"{count} consultation(s), {rows} étape(s) de frise, {motions} motion(s) remise(s) "
            f"en page, {searched} texte(s) de recherche réécrit(s)."
        )

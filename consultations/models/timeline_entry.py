"""The timeline index: one row per dated fact of a consultation, for fast timelines.

The records stay the truth. ``consultations/timeline.py`` builds these rows from them (one UNION
query over every kind of fact) and rewrites a consultation's rows whenever one of its records
changes (``consultations/signals.py``). The public timeline then sorts, counts and cuts pages of
a single indexed table instead of a UNION over every record: that keeps it fast at federation
scale (issue 8, bench/pages.py). ``tests/test_timeline_index.py`` proves the index equals a
fresh build after every kind of edit.

A row holds what a reader sees, so a page needs no other record: the summary and the detail in
each language of the site, the anchor on the consultation page. Two kinds change
with the date of the reading, not with the records: the end of the consultation period
(DEADLINE, which becomes DEEMED_NEGATIVE once passed without an opinion) and management's answer
(ANSWER_DUE, then NO_ANSWER); the index stores the first and the reader turns it into the second.
"""

from django.db import models
from django.utils.translation import gettext_lazy

from .consultation import Consultation


class EntryKind(models.TextChoices):
    INFORMATION = "information", gettext_lazy("Informations remises")
    CLOCK_STOP = "clock_stop", gettext_lazy("Suspension du délai")
    EXPERT_APPOINTED = "expert_appointed", gettext_lazy("Expert désigné")
    EXPERTISE_CONTESTED = "expertise_contested", gettext_lazy("Expertise contestée")
    CONTEST_JUDGED = "contest_judged", gettext_lazy("Jugement sur l'expertise")
    EXPERT_REPORT = "expert_report", gettext_lazy("Rapport de l'expert")
    REPORT_PRESENTED = "report_presented", gettext_lazy("Rapport présenté au CSE")
    MEETING = "meeting", gettext_lazy("Réunion")
    VOTE = "vote", gettext_lazy("Vote")
    MOTION = "motion", gettext_lazy("Texte adopté")  # motion, résolution, vœu, avis, déclaration
    OPINION = "opinion", gettext_lazy("Avis du CSE")
    DEADLINE = "deadline", gettext_lazy("Fin du délai d'avis")
    DEEMED_NEGATIVE = "deemed_negative", gettext_lazy("Avis réputé négatif")
    RESPONSE = "response", gettext_lazy("Réponse de la direction")
    ANSWER_DUE = "answer_due", gettext_lazy("Réponse attendue")
    NO_ANSWER = "no_answer", gettext_lazy("Pas de réponse motivée")
    DOCUMENT = "document", gettext_lazy("Document")
    STRIKE = "strike", gettext_lazy("Grève")
    PRESS = "press", gettext_lazy("Presse")
    LABOUR_INSPECTOR = "labour_inspector", gettext_lazy("Inspection du travail")
    COURT = "court", gettext_lazy("Justice")
    GO_LIVE = "go_live", gettext_lazy("Mise en service")
    OTHER = "other", gettext_lazy("Autre")


class TimelineEntry(models.Model):
    """One dated fact of a consultation, as the timelines show it (derived: never edited)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="timeline_index"
    )
    on = models.DateField()
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    # Order of the kinds on one day (information first, answers last), then the record's id.
    order = models.PositiveSmallIntegerField()
    ref = models.PositiveIntegerField()  # the record's id: motion, vote, meeting...
    # Shown on public pages: a published consultation and a public fact (published motion...).
    public = models.BooleanField()
    # What the entry says, in each language of the site: {"fr": "...", "en": "..."}.
    summaries = models.JSONField(default=dict)
    details = models.JSONField(default=dict)
    anchor = models.CharField(max_length=40, blank=True)

    class Meta:
        # Named on the admin's page that confirms a deletion, which lists the rows going with it.
        verbose_name = gettext_lazy("étape de la frise (index)")
        verbose_name_plural = gettext_lazy("étapes de la frise (index)")
        indexes = [
            # "include": PostgreSQL reads a page's ids from the index alone (an index-only scan).
            models.Index(
                fields=["public", "-on", "-order", "-ref"],
                include=["id"],
                name="timeline_public_newest",
            ),
            models.Index(fields=["consultation", "on", "order", "ref"], name="timeline_story"),
        ]

    def __str__(self):
        return f"{self.on} {self.kind} {self.ref}"

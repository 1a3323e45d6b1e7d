"""The timeline gains the day the expert's report is presented to the council
(Expertise.report_presented_on, EntryKind.REPORT_PRESENTED), and a meeting's date is written out
in its entry ("réunion du 8 octobre 2025", not 08/10/2025, which an English reader takes for
10 August).

As in 0026, the index is emptied here; ``fill_timeline_index`` (consultations/signals.py) rebuilds
it from the records once ``migrate`` has reached the latest schema.
"""

from django.db import migrations, models


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0027_timeline_entry_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="timelineentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("information", "Informations remises"),
                    ("clock_stop", "Suspension du délai"),
                    ("expert_appointed", "Expert désigné"),
                    ("expert_report", "Rapport de l'expert"),
                    ("report_presented", "Rapport présenté au CSE"),
                    ("meeting", "Réunion"),
                    ("vote", "Vote"),
                    ("motion", "Motion adoptée"),
                    ("opinion", "Avis du CSE"),
                    ("deadline", "Fin du délai d'avis"),
                    ("deemed_negative", "Avis réputé négatif"),
                    ("response", "Réponse de la direction"),
                    ("answer_due", "Réponse attendue"),
                    ("no_answer", "Pas de réponse motivée"),
                    ("document", "Document"),
                    ("strike", "Grève"),
                    ("press", "Presse"),
                    ("labour_inspector", "Inspection du travail"),
                    ("court", "Justice"),
                    ("go_live", "Mise en service"),
                    ("other", "Autre"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

"""The explanation of an establishment council's last day names the day its late expertise was
judged against (« après le 27 mars 2025, dernier jour de l'avis du CSE d'établissement »), where
it read « après la fin de ce délai » beside the central's period, which ends later. The
explanations are stored in the timeline index: as in 0034, it is emptied, and
``fill_timeline_index`` (consultations/signals.py) rebuilds it once ``migrate`` is done.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0034_expert_vote_extends_period"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

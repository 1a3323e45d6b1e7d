"""The stored timeline is written again: a vote's count put 0 and 1 in the plural in French
("0 abstentions, 1 blancs"); it now follows French's rule ("0 abstention, 1 blanc"), as the
catalogue in locale/fr says.

As in 0020, only the index is emptied here; ``fill_timeline_index`` (consultations/signals.py)
rebuilds it from the records once ``migrate`` has reached the latest schema.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0022_vote_secret_ballot_label"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

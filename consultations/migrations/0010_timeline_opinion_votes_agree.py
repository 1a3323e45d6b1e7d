"""The stored timeline is written again: a vote on the opinion now reads "Avis : adopté" (un avis,
masculine) where it read "adoptée".

As in 0009, only the index is emptied here; ``fill_timeline_index`` (consultations/signals.py)
rebuilds it from the records once ``migrate`` has reached the latest schema.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0009_timeline_words_in_every_language"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

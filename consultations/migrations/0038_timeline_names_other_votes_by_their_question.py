"""A vote of another kind (« Autre ») is named on the timelines by the start of its question
rather than « Autre » (consultations/timeline.py, vote_subject). The timeline index stores each
entry's summary: as in 0035 to 0037, it is emptied, and ``fill_timeline_index``
(consultations/signals.py) rebuilds it once ``migrate`` is done.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0037_timeline_contests_and_vote_motions"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

"""A vote appointing an expert, adopted, now gives the period of a consultation with an expert
before the expertise is recorded (R2312-6; Consultation._expert_vote_extends). As in 0030 and
0031, the timeline index is emptied, and ``fill_timeline_index`` (consultations/signals.py)
computes every consultation's dates again and rebuilds it once ``migrate`` is done. After
migrating back to 0033, run ``manage.py refresh_calendar``.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0033_search_text"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

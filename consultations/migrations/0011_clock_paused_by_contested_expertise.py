"""The consultation period is paused while the employer's contest of the expertise awaits its
judgment (L2315-86), and the days before the judge count as suspended once it is notified; an
agreed period holds with or without an expert; management's answer is awaited at the meeting
after the minutes of the opinion were sent (L2315-34). The stored dates of the consultations
and their timelines are computed again.

As in 0009, only the index is emptied here; once ``migrate`` has reached the latest schema,
``fill_timeline_index`` (consultations/signals.py) recomputes every consultation's dates and
rebuilds the index from the records, with the code of that day.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0010_timeline_opinion_votes_agree"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

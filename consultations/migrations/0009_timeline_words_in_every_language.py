"""The stored timeline is written again in every language: its explanations of the legal dates
were French on English pages, and management's answers now read as a sentence.

Only the index is emptied here (with the historical model); once ``migrate`` has reached the
latest schema, consultations/signals.py's ``fill_timeline_index`` rebuilds it from the records,
with the code of that day. Reversing leaves the index empty until that hook or
``python manage.py refresh_calendar`` fills it again.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_meeting_body_held_on_index"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

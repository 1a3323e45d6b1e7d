"""The interface strings are shown in French typography: the French catalogue gives each one
its no-break spaces before « : ; ! ? » and inside « » (``typeset_french_catalogue``). The
timeline index stores each entry's summary and explanation in every language, written with the
catalogue of the day: as in 0035, it is emptied, and ``fill_timeline_index``
(consultations/signals.py) rebuilds it once ``migrate`` is done, with the new spaces.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0035_establishment_late_expertise_wording"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

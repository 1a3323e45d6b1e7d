"""The stored timeline is written again: a vote that every member present voted for but that
falls short of the majority of the seats (an agreement on the periods, an expert's renewal:
4 for, 4 present, 9 seats) read "adopté à l'unanimité"; it now reads "rejeté". And an opinion
whose consultation had an earlier answer from management (to a motion, before the opinion) had
no "réponse attendue" entry; it now has one until an answer comes on or after the opinion.
A refusal to give an opinion reads "Le CSE … refuse de rendre un avis." rather than "Avis
« refus de rendre un avis » du CSE …".

The stored dates are computed again at the same time, under this release's rules: an
expertise decided after the period ended, or annulled by the judge, no longer extends it.

As in 0009 and 0010, only the index is emptied here; ``fill_timeline_index``
(consultations/signals.py) rebuilds it from the records once ``migrate`` has reached the latest
schema.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0019_consultation_order_nulls_last"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

"""A vote that adopted a motion names it on the timelines (« Motion n° 2020-01 : adoptée à
l'unanimité »), « n° » keeps to its reference with a no-break space, and the explanations of an
agreed period with an expert and of a serious-risk report renewed changed. The timeline index
stores each entry's summary in every language: as in 0035 and 0036, it is emptied, and
``fill_timeline_index`` (consultations/signals.py) rebuilds it once ``migrate`` is done. It
computes the stored dates again too: a vote for an expert adopted after the judge annulled the
expertise now lengthens the period (Consultation._expert_voted_after_annulment).
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0036_french_typography_of_the_interface"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

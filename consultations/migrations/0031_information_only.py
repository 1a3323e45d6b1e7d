"""A consultation whose bases are all information-only (L2312-38 al. 1 and 2: recruitment
methods, automated HR processing) has no period for an opinion: its clock reads « Information
seule », no last day is computed, no opinion is deemed negative, no answer is due. The new column
``information_only`` stores it for the clock's SQL (Consultation.save() keeps it). Here it is set
from each record's bases; as in 0030, the timeline index is emptied, and
``fill_timeline_index`` (consultations/signals.py) computes every consultation's dates again and
rebuilds it once ``migrate`` is done.
"""

from django.db import migrations, models

# consultations.models.consultation.INFORMATION_ONLY_BASES, as of this migration.
INFORMATION_ONLY_BASES = {"L2312-38-2", "L2312-38-1"}


def mark_information_only(apps, schema_editor):
    consultation = apps.get_model("consultations", "Consultation")
    rows = consultation.objects.using(schema_editor.connection.alias)
    marked = [
        pk
        for pk, bases in rows.values_list("pk", "legal_bases")
        if bases and set(bases) <= INFORMATION_ONLY_BASES
    ]
    rows.filter(pk__in=marked).update(information_only=True)


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0030_central_information'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='information_only',
            field=models.BooleanField(default=False, editable=False, verbose_name='information seule (calculée)'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='information_only',
            field=models.BooleanField(default=False, editable=False, verbose_name='information seule (calculée)'),
        ),
        migrations.RunPython(mark_information_only, migrations.RunPython.noop),
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

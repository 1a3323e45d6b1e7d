"""A consultation whose bases are all information-only (L2312-38 al. 1 and 2: recruitment
methods, automated HR processing) has no period for an opinion: without an opinion its clock
reads « Information seule », no last day is computed and no opinion is deemed negative (an
opinion given anyway still awaits management's decision on the proposals, L2315-34). The new
column ``information_only`` stores it for the clock's SQL (Consultation.save() and
refresh_calendar() keep it). Here it is set from each record's bases; as in 0030, the timeline
index is emptied, and ``fill_timeline_index`` (consultations/signals.py) computes every
consultation's dates again and rebuilds it once ``migrate`` is done. After migrating back to
0030, run ``manage.py refresh_calendar``: the dates and the index would otherwise keep this
migration's reading.
"""

from django.db import migrations, models

# consultations.models.consultation.INFORMATION_ONLY_BASES, as of this migration.
INFORMATION_ONLY_BASES = {"L2312-38-2", "L2312-38-1"}


def mark_information_only(apps, schema_editor):
    consultation = apps.get_model("consultations", "Consultation")
    rows = consultation.objects.using(schema_editor.connection.alias)
    marked = []
    for pk, bases in rows.values_list("pk", "legal_bases").iterator(chunk_size=2000):
        if bases and set(bases) <= INFORMATION_ONLY_BASES:
            marked.append(pk)
    for start in range(0, len(marked), 500):  # SQLite caps the parameters of one query
        rows.filter(pk__in=marked[start : start + 500]).update(information_only=True)


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

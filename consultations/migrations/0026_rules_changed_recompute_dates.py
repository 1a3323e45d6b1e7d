"""The computed dates and the stored timeline are written again, the rules having changed:

- an establishment's side of a two-level consultation counts from the central council's
  agreement, not its own (Consultation.agreement_body; R2312-6 II, L2312-16);
- management's answer is no longer dated by a next meeting recorded more than six months after
  the opinion or its minutes (rules/clock.answer_due, L2315-28, L2316-15), and says so when the
  minutes' date is missing;
- a CSSCT meeting has no statutory agenda or minutes step (Meeting.steps).

As in 0023, only the index is emptied here; ``fill_timeline_index`` (consultations/signals.py)
computes the dates again (Consultation.deadline_on, answer_due_on) and rebuilds the index from
the records once ``migrate`` has reached the latest schema.
"""

from django.db import migrations


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0025_long_texts_limited"),
    ]

    operations = [
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

"""An establishment's side of a two-level consultation records the day the central council got
the information (Consultation.central_information_received_on): the central's period runs from
it, and the establishment's opinion is due 7 days before its end (R2312-6 II). Without it, the
establishment's last day is still counted from its own information, and its explanation now says
so. And a period agreed with an expert only no longer applies without one (Body.agreed_days): the
legal month does. As in 0028, the timeline index (which stores the explanations) is emptied here,
and ``fill_timeline_index`` (consultations/signals.py) computes every consultation's dates again
and rebuilds it once ``migrate`` is done.
"""

from django.db import migrations, models


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0029_president_vote_help'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='central_information_received_on',
            field=models.DateField(blank=True, help_text="Côté CSE d'établissement d'une consultation à deux niveaux : le jour où le CSE central a reçu les informations. Le délai du CSE central court à compter de cette date, et l'avis de l'établissement est dû 7 jours avant sa fin (R2312-6 II). Sans cette date, Vigie compte le délai de la remise des informations à l'établissement.", null=True, verbose_name='informations remises au CSE central le'),
        ),
        migrations.AddField(
            model_name='historicalconsultation',
            name='central_information_received_on',
            field=models.DateField(blank=True, help_text="Côté CSE d'établissement d'une consultation à deux niveaux : le jour où le CSE central a reçu les informations. Le délai du CSE central court à compter de cette date, et l'avis de l'établissement est dû 7 jours avant sa fin (R2312-6 II). Sans cette date, Vigie compte le délai de la remise des informations à l'établissement.", null=True, verbose_name='informations remises au CSE central le'),
        ),
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

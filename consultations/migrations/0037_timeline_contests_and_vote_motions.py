"""The timelines gain the employer's contest of the expertise before the judge and the judgment
(EntryKind.EXPERTISE_CONTESTED and CONTEST_JUDGED, L2315-86), which suspend the period. A vote
that adopted a motion names it on the timelines (« Motion n° 2020-01 : adoptée à
l'unanimité »), « n° » keeps to its reference with a no-break space, and the explanations of an
agreed period with an expert and of a serious-risk report renewed changed. The timeline index
stores each entry's summary in every language: as in 0035 and 0036, it is emptied, and
``fill_timeline_index`` (consultations/signals.py) rebuilds it once ``migrate`` is done. It
computes the stored dates again too: a vote for an expert adopted after the judge annulled the
expertise now lengthens the period (Consultation._expert_voted_after_annulment).
"""

from django.db import migrations, models


def empty_timeline_index(apps, schema_editor):
    timeline_entry = apps.get_model("consultations", "TimelineEntry")
    timeline_entry.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("consultations", "0036_french_typography_of_the_interface"),
    ]

    operations = [
        migrations.AlterField(
            model_name='timelineentry',
            name='kind',
            field=models.CharField(choices=[('information', 'Informations remises'), ('clock_stop', 'Suspension du délai'), ('expert_appointed', 'Expert désigné'), ('expertise_contested', 'Expertise contestée'), ('contest_judged', "Jugement sur l'expertise"), ('expert_report', "Rapport de l'expert"), ('report_presented', 'Rapport présenté au CSE'), ('meeting', 'Réunion'), ('vote', 'Vote'), ('motion', 'Motion adoptée'), ('opinion', 'Avis du CSE'), ('deadline', "Fin du délai d'avis"), ('deemed_negative', 'Avis réputé négatif'), ('response', 'Réponse de la direction'), ('answer_due', 'Réponse attendue'), ('no_answer', 'Pas de réponse motivée'), ('document', 'Document'), ('strike', 'Grève'), ('press', 'Presse'), ('labour_inspector', 'Inspection du travail'), ('court', 'Justice'), ('go_live', 'Mise en service'), ('other', 'Autre')], max_length=20),
        ),
        migrations.RunPython(empty_timeline_index, migrations.RunPython.noop),
    ]

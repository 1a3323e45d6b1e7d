"""The lists' search ignores accents, capitals and punctuation (consultations/search.py): the
searched texts are stored folded, in a ``search_text`` column of the consultations (title,
summary, motions) and of the AI systems (name, vendor, description), filled here from the
records. Afterwards the signals and Deployment.save() keep them; ``manage.py refresh_calendar``
writes them all again. They stay out of the history tables.
"""

import re
import unicodedata

from django.db import migrations, models

# consultations.search.fold, as of this migration.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
SEPARATORS = re.compile(r"[\W_]+")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return SEPARATORS.sub(" ", bare.casefold()).strip()


def fold_all(*texts):
    return " ".join(folded for folded in map(fold, texts) if folded)


def fill_search_text(apps, schema_editor):
    alias = schema_editor.connection.alias
    consultation = apps.get_model("consultations", "Consultation")
    deployment = apps.get_model("consultations", "Deployment")
    motion = apps.get_model("consultations", "Motion")
    motions = {}
    rows = motion.objects.using(alias).order_by("pk").values_list("consultation_id", "title", "text")
    for consultation_id, title, text in rows.iterator(chunk_size=2000):
        motions.setdefault(consultation_id, []).extend((title, text))
    filled = [
        consultation(pk=pk, search_text=fold_all(title, summary, *motions.get(pk, ())))
        for pk, title, summary in consultation.objects.using(alias).values_list(
            "pk", "title", "summary"
        )
    ]
    consultation.objects.using(alias).bulk_update(filled, ["search_text"], batch_size=200)
    filled = [
        deployment(pk=pk, search_text=fold_all(name, vendor, description))
        for pk, name, vendor, description in deployment.objects.using(alias).values_list(
            "pk", "name", "vendor", "description"
        )
    ]
    deployment.objects.using(alias).bulk_update(filled, ["search_text"], batch_size=200)


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0032_event_source_web'),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='deployment',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

"""An event's source is a web page (http or https): the consultation page links to it. Django's
URLField also accepted ftp and ftps. The check is Python's only: this migration emits no SQL."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0031_information_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='source_url',
            field=models.URLField(blank=True, default='', validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='historicalevent',
            name='source_url',
            field=models.URLField(blank=True, default='', validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='source'),
        ),
    ]

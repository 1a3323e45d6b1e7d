"""The lists' default order, newest information first, puts the consultations without an
information date last on PostgreSQL too (ORDER BY … DESC NULLS LAST). A b-tree index in DESC
order keeps its NULLs first there, so PostgreSQL would sort the table for the first page: this
index gives it the order it reads. SQLite, which puts NULLs last in DESC order already and
cannot name NULLS LAST in an index, keeps consultation_newest."""

from django.db import migrations

INDEX = "consultation_newest_nulls_last"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON consultations_consultation "
            "(information_received_on DESC NULLS LAST, id DESC)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0016_funding_surplus_condition")]

    operations = [migrations.RunPython(create_index, drop_index)]

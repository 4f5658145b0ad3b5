"""A fresh install offers the usual statuses, priorities and action types (kadans.activities.defaults)."""

from django.db import migrations

from kadans.activities.defaults import load_defaults


def forwards(apps, schema_editor):
    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_initial"),
        ("relations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

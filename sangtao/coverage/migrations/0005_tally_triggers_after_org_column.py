"""SQLite rebuilds a table to add a column with a default (orgs 0009 added `cell_committee`), and the rebuilt table
has none of the row triggers 0003 put on it: an organization flagged as a private enterprise marked nothing dirty.
Put them back. PostgreSQL adds the column in place and keeps its triggers, so nothing is done there.

A later migration that adds such a column to a table the triggers watch must do the same (docs/deploy.md)."""

import importlib

from django.db import migrations

triggers = importlib.import_module("sangtao.coverage.migrations.0003_tally_triggers")


def recreate_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    triggers.drop(apps, schema_editor)
    triggers.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("coverage", "0004_notifications_moved"), ("orgs", "0009_cell_committee")]
    operations = [migrations.RunPython(recreate_on_sqlite, migrations.RunPython.noop)]

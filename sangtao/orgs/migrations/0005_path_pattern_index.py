"""On PostgreSQL a LIKE 'prefix%' (subtree) filter uses a B-tree index only with the pattern operator class
unless the database collation is C: add one, so a province's subtree is found by index in a national tree."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS orgs_organization_path_pattern "
                              "ON orgs_organization (path varchar_pattern_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_organization_path_pattern")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_default_kinds")]
    operations = [migrations.RunPython(forwards, backwards)]

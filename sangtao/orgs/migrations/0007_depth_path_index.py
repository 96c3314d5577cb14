"""One level of a subtree (an organization's children, e.g. the 34 provinces under the centre) found by index: a
B-tree on (depth, path). Without it a national tree's children were filtered out of all 300,000 rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    ops = " varchar_pattern_ops" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS orgs_organization_depth_path ON orgs_organization (depth, path{ops})")


def backwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS orgs_organization_depth_path")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0006_importjob_kind")]
    operations = [migrations.RunPython(forwards, backwards)]

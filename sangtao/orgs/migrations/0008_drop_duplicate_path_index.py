"""0005 added a varchar_pattern_ops index on the organization path, but Django already makes one for the unique
path on PostgreSQL (`…_like`): the second only cost writes. Dropped when the first is there."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute("SELECT 1 FROM pg_indexes WHERE tablename = 'orgs_organization' AND indexname LIKE %s "
                  "AND indexdef LIKE %s", ["orgs_organization_path_%_like", "%varchar_pattern_ops%"])
        if c.fetchone():
            schema_editor.execute("DROP INDEX IF EXISTS orgs_organization_path_pattern")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS orgs_organization_path_pattern "
                              "ON orgs_organization (path varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0007_depth_path_index")]
    operations = [migrations.RunPython(forwards, backwards)]

"""In-app notifications now live in the notifications app (its migration 0002 copied these rows first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("coverage", "0003_tally_triggers"), ("notifications", "0002_from_coverage")]
    operations = [migrations.DeleteModel(name="Notification")]

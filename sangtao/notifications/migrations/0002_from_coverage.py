"""The in-app notifications written before this app existed (coverage_notification) move here; they were already
e-mailed, so they are marked so and never e-mailed again."""

from django.db import migrations


def forward(apps, schema_editor):
    Old = apps.get_model("coverage", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for old in Old.objects.all().iterator():
        batch.append(New(user_id=old.user_id, event="reminder", key=f"coverage:{old.pk}", subject=old.text[:300],
                         body=old.text, url=old.link, read_at=old.read_at, emailed_at=old.created_at))
        if len(batch) >= 1000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    # auto_now_add stamped them now: keep the original times
    for old in Old.objects.all().only("pk", "created_at", "user_id").iterator():
        New.objects.filter(key=f"coverage:{old.pk}", user_id=old.user_id).update(created_at=old.created_at)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("coverage", "0003_tally_triggers")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event", models.CharField(max_length=40)),
                ("key", models.CharField(max_length=200)),
                ("subject", models.CharField(max_length=300)),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("emailed_at", models.DateTimeField(blank=True, null=True)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="inbox_items",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["user", "read_at"], name="notification_user_unread"),
                            models.Index(fields=["emailed_at", "user"], name="notification_to_email")],
                "constraints": [models.UniqueConstraint(fields=("user", "key"),
                                                        name="one_notification_per_event_and_user")],
            },
        ),
        migrations.CreateModel(
            name="Preference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.CharField(choices=[("immediate", "Gửi ngay từng thông báo"),
                                                    ("digest", "Một thư tổng hợp mỗi ngày"),
                                                    ("none", "Không gửi e-mail (chỉ xem trong ứng dụng)")],
                                           default="immediate", max_length=10, verbose_name="Nhận thông báo qua e-mail")),
                ("last_digest_on", models.DateField(blank=True, null=True)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE,
                                              related_name="notification_preference", to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]

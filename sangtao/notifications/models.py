"""In-app notifications and how each person wants them by e-mail (immediately, or one digest a day)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):  # thông báo trong ứng dụng
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items")
    event = models.CharField(max_length=40)  # a kind of `events.EVENTS`
    key = models.CharField(max_length=200)  # one event reaches a person once: unique with the user
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # sent alone or in a digest (or not to be sent)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event_and_user")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["emailed_at", "user"], name="notification_to_email"),
        ]

    def __str__(self):
        return self.subject


class Preference(models.Model):  # cách nhận thông báo qua e-mail
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("Gửi ngay từng thông báo")
        DIGEST = "digest", _("Một thư tổng hợp mỗi ngày")
        NONE = "none", _("Không gửi e-mail (chỉ xem trong ứng dụng)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("Nhận thông báo qua e-mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )
    last_digest_on = models.DateField(null=True, blank=True)  # at most one digest a day

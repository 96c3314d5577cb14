"""The audit trail: append-only, written by every action (Zulip-style), readable by admins per object."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):  # nhật ký thao tác
    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(_("Thao tác"), max_length=64, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("Đối tượng"), max_length=300, blank=True)
    changes = models.JSONField(_("Thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Nhật ký thao tác")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only")


class HistoryIPMixin(models.Model):
    """Base for django-simple-history records: adds the client address to each historical row."""

    history_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        abstract = True


class FormSubmission(models.Model):  # một biểu mẫu chỉ được ghi một lần (chống gửi trùng)
    """A form carries a one-time token; its first successful submission stores it in the same transaction as
    the record it creates, so a double click, a resent request or 20 identical concurrent requests create one
    record. A refused form is shown again with a new token."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=300, blank=True)

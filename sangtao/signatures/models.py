"""Digital signatures (chữ ký số): the organizations' signing certificates (kept encrypted), the trust
roots the province installed, and the stored result of checking each PDF that entered the app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangtao.orgs.models import Organization


class SigningCertificate(models.Model):  # chứng thư số của cơ quan, dùng để ký văn bản ban hành
    organization = models.ForeignKey(
        Organization, verbose_name=_("Cơ quan"), on_delete=models.PROTECT, related_name="signing_certificates"
    )
    # PKCS#12 file and its passphrase, each encrypted with Fernet (key derived from SANGTAO_SIGNING_KEY)
    pkcs12_encrypted = models.BinaryField()
    passphrase_encrypted = models.BinaryField()
    common_name = models.CharField(_("Tên trên chứng thư"), max_length=300)
    organization_name = models.CharField(_("Cơ quan trên chứng thư"), max_length=300, blank=True)
    email = models.CharField(_("E-mail"), max_length=254, blank=True)
    issuer = models.CharField(_("Tổ chức cấp"), max_length=300, blank=True)
    serial = models.CharField(_("Số hiệu"), max_length=80)
    fingerprint = models.CharField(max_length=64)
    not_before = models.DateTimeField(_("Hiệu lực từ"))
    not_after = models.DateTimeField(_("Hiệu lực đến"))
    active = models.BooleanField(_("Đang dùng"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Chứng thư số của cơ quan")
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(active=True), name="one_active_signing_certificate"
            )
        ]

    def __str__(self):
        return f"{self.common_name} ({self.serial})"


class TrustRoot(models.Model):  # chứng thư gốc được tin cậy (ngoài các tệp trong SANGTAO_TRUST_ROOTS_DIR)
    der = models.BinaryField()
    subject = models.CharField(_("Chủ thể"), max_length=300)
    fingerprint = models.CharField(max_length=64, unique=True)
    not_after = models.DateTimeField(_("Hiệu lực đến"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Chứng thư gốc tin cậy")
        ordering = ["subject"]

    def __str__(self):
        return self.subject


class Verification(models.Model):  # kết quả kiểm tra chữ ký của một tệp, lưu khi tệp được tải lên
    class Status(models.TextChoices):
        UNSIGNED = "unsigned", _("Chưa ký số")
        TRUSTED = "valid_trusted", _("Chữ ký hợp lệ")
        UNTRUSTED = "valid_untrusted", _("Chữ ký chưa được tin cậy")
        INVALID = "invalid", _("Chữ ký không hợp lệ")
        MODIFIED = "modified", _("Đã sửa sau khi ký")
        EXPIRED = "expired", _("Chứng thư hết hạn")
        UNREADABLE = "unreadable", _("Không kiểm tra được chữ ký")

    path = models.CharField(max_length=500, db_index=True)  # the file's storage name
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices)
    signer = models.CharField(max_length=300, blank=True)
    organization = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=254, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    stamp_mismatch = models.BooleanField(default=False)
    details = models.JSONField(default=dict)  # signing.Verification.as_dict()
    checked_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )  # set for files checked on the "Kiểm tra chữ ký số" page
    original_name = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("Kết quả kiểm tra chữ ký số")
        ordering = ["-checked_at"]
        constraints = [models.UniqueConstraint(fields=["path", "sha256"], name="one_verification_per_file_version")]

    def __str__(self):
        return f"{self.path}: {self.status}"

    @property
    def level(self) -> str:
        """The badge's colour: ok; warn (untrusted, expired); bad (tampered, changed after signing, or a visible
        stamp naming another organization or e-mail than the certificate: the picture lies); none (unsigned)."""
        if self.status == self.Status.UNSIGNED:
            return "none"
        if self.status in (self.Status.INVALID, self.Status.MODIFIED) or self.stamp_mismatch:
            return "bad"
        if self.status == self.Status.TRUSTED:
            return "ok"
        return "warn"

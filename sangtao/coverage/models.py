"""Reminders (with the log per unit 1240-CV/BTCTU asks for; they reach people through the notifications app),
upward reports (a level's frozen aggregate submitted to its parent) and background exports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangtao.campaigns.models import Campaign, Document
from sangtao.common.modelparts import unique_per_subject
from sangtao.orgs.models import Organization, Person


class Reminder(models.Model):  # một lần nhắc nhở (không bao giờ gửi hai lần cùng một lý do)
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Đăng ký mô hình")
        REPORT = "report", _("Báo cáo kết quả")
        UPWARD = "upward", _("Báo cáo tổng hợp lên cấp trên")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(
        Organization, verbose_name=_("Đơn vị được nhắc"), on_delete=models.PROTECT, related_name="reminders"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=40)  # "before-7", "before-1", "overdue", "escalated", "manual-2027-03-10"
    deadline = models.DateField(null=True, blank=True)
    message = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = unique_per_subject(
            "kind",
            "reason",
            org="org",
            collective="one_reminder_per_unit_reason",
            individual="one_reminder_per_person_reason",
        )
        indexes = [models.Index(fields=["campaign", "org"])]


class UpwardReport(models.Model):  # báo cáo tổng hợp của một cấp gửi cấp trên
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Bị trả lại")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="upward_reports")
    number = models.PositiveIntegerField(default=1)
    snapshot = models.JSONField()
    document = models.ForeignKey(Document, null=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.SUBMITTED)
    deadline = models.DateField(null=True, blank=True)
    late = models.BooleanField(default=False)
    return_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org", "number"], name="unique_upward_report_number")
        ]


class Export(models.Model):  # một tệp xuất chạy nền
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "coverage", "year_end"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class FigureColumns(models.Model):
    collectives = models.PositiveIntegerField(default=0)
    individuals = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    rated_registered = models.PositiveIntegerField(default=0)  # "đạt" or above among registered subjects
    rated_all = models.PositiveIntegerField(default=0)  # "đạt" or above among all subjects
    registrations = models.PositiveIntegerField(default=0)
    missing_units = models.PositiveIntegerField(default=0)
    classes = models.JSONField(default=dict)
    fields = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Tally(FigureColumns):  # số liệu riêng của một tổ chức trong một đợt (không gồm cấp dưới)
    """One organization's own figures for one campaign (its collective, its leaders and members who registered —
    not its subordinates), as `coverage.domain.own_figures` computes them from scratch. Kept fresh by database
    triggers that write a `TallyDirty` row whenever something they depend on changes (migration 0003), and
    recomputed before they are read; a test proves the figures equal the from-scratch computation after every
    kind of change."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="one_tally_per_org_campaign")]
        indexes = [models.Index(fields=["org", "campaign"], name="tally_org_campaign")]


class Rollup(FigureColumns):  # số liệu của cả cây con một tổ chức trong một đợt
    """An organization's whole subtree for one campaign: its own tally plus its children's rollups, rebuilt level
    by level from the bottom whenever a tally below it is recomputed. The coverage page of any organization
    reads its own rollup (the total) and its children's (one row each)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="one_rollup_per_org_campaign")]
        indexes = [models.Index(fields=["org", "campaign"], name="rollup_org_campaign")]


class TallyDirty(models.Model):  # một tổ chức (hoặc cả cây con) có số liệu cần tính lại — do trigger ghi
    campaign_id = models.BigIntegerField()
    org_id = models.BigIntegerField()
    subtree = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["campaign_id", "org_id"], name="tallydirty_campaign_org")]

"""Results reports (báo cáo kết quả, SPEC §5): written in the campaign's outline (đề cương), indicator by
indicator, with evidence files attached to the claim they support; every submission and return kept as a
version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sangtao.campaigns.models import Campaign
from sangtao.common.modelparts import KeptVersion
from sangtao.common.models import HistoryIPMixin
from sangtao.registrations.models import Indicator, Registration

# The default outline: what HD 09 scores (TC1–TC4, bonus a) asks a report to show. A province edits it per
# campaign; `min_chars` refuses a one-line “chung chung” answer in a required section (1240-CV/BTCTU).
DEFAULT_SECTIONS = [
    {
        "key": "done",
        "title": "Những việc đã làm (ban hành văn bản lãnh đạo, chỉ đạo; triển khai, hướng dẫn)",
        "guidance": "Văn bản đã ban hành (số, ngày), cách triển khai, ai thực hiện, thời gian.",
        "required": True,
        "min_chars": 80,
    },
    {
        "key": "novelty",
        "title": "Tính mới; hiệu quả, sức lan tỏa, phạm vi ảnh hưởng",
        "guidance": "Điểm mới so với trước và so với nơi khác; ai được hưởng lợi, bao nhiêu người, đơn vị.",
        "required": True,
        "min_chars": 80,
    },
    {
        "key": "reviews",
        "title": "Sơ kết, tổng kết, rút kinh nghiệm, nhân rộng",
        "guidance": "Đã sơ kết/tổng kết khi nào; nơi khác đã áp dụng (tên đơn vị).",
        "required": True,
        "min_chars": 40,
    },
    {
        "key": "difficulties",
        "title": "Khó khăn, vướng mắc đã lãnh đạo, chỉ đạo tháo gỡ",
        "guidance": "Vướng mắc gì, đã đề xuất và tháo gỡ thế nào, kết quả.",
        "required": False,
        "min_chars": 0,
    },
    {"key": "proposals", "title": "Đề xuất, kiến nghị", "guidance": "", "required": False, "min_chars": 0},
]


class Outline(models.Model):  # đề cương báo cáo kết quả của một đợt
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="outline")
    sections = models.JSONField(default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Đề cương báo cáo kết quả")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class ResultsReport(models.Model):  # báo cáo kết quả thực hiện mô hình
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="report")
    state = models.CharField(
        _("Trạng thái"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT, db_index=True
    )
    sections = models.JSONField(default=dict)  # key of the outline section -> text
    version = models.PositiveIntegerField(default=1)  # optimistic lock: a stale form is refused
    first_submitted_at = models.DateTimeField(_("Gửi lần đầu"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("Gửi lần cuối"), null=True, blank=True)
    deadline = models.DateField(_("Hạn báo cáo áp dụng"), null=True, blank=True)
    late = models.BooleanField(_("Nộp muộn"), default=False)
    return_reason = models.TextField(_("Lý do trả lại"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Báo cáo kết quả")
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return str(self.registration)


class IndicatorResult(models.Model):  # kết quả đạt được của một chỉ tiêu đã đăng ký
    report = models.ForeignKey(ResultsReport, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    achieved = models.DecimalField(_("Đạt được"), max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("Giải trình, nguồn số liệu"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="one_result_per_indicator")]


class ReportVersion(KeptVersion):  # mỗi lần gửi/trả lại/tiếp nhận: một phiên bản giữ nguyên
    report = models.ForeignKey(ResultsReport, on_delete=models.CASCADE, related_name="versions")
    state = models.CharField(max_length=16, choices=ReportState.choices)

    class Meta(KeptVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]


class Evidence(models.Model):  # minh chứng gắn với một nội dung của báo cáo
    report = models.ForeignKey(ResultsReport, on_delete=models.CASCADE, related_name="evidence")
    claim = models.CharField(_("Minh chứng cho"), max_length=40)  # "section:<key>" or "indicator:<id>"
    description = models.CharField(_("Mô tả"), max_length=300, blank=True)
    file = models.FileField(upload_to="evidence/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Minh chứng")
        ordering = ["claim", "uploaded_at", "id"]

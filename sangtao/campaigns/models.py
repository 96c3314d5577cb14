"""A yearly campaign, its cascade down the tree (each level's deadline and targets), and the letters
(công văn) each level issues, with the inbox of incoming documents of each recipient."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sangtao.common.models import HistoryIPMixin
from sangtao.orgs.models import Organization

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Campaign(models.Model):  # đợt đăng ký mô hình mới, cách làm sáng tạo của một năm
    class LatePolicy(models.TextChoices):
        ACCEPT = "accept", _("Nhận và đánh dấu nộp muộn")
        REFUSE = "refuse", _("Không nhận sau hạn")

    class RatedBase(models.TextChoices):
        REGISTERED = "registered", _("Số đối tượng đã đăng ký")
        ALL = "all", _("Tổng số đối tượng")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang triển khai")
        CLOSED = "closed", _("Đã kết thúc")

    code = models.CharField(_("Mã đợt"), max_length=40, unique=True)
    name = models.CharField(_("Tên đợt"), max_length=255)
    year = models.PositiveSmallIntegerField(_("Năm"))
    root = models.ForeignKey(
        Organization, verbose_name=_("Cấp mở đợt"), on_delete=models.PROTECT, related_name="campaigns"
    )
    legal_bases = models.TextField(
        _("Căn cứ"), help_text=_("Mỗi căn cứ một dòng, ví dụ: Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị.")
    )
    theme = models.CharField(_("Chủ đề năm"), max_length=300, blank=True)
    guidance = models.CharField(
        _("Hướng dẫn thẩm định (tiêu chí)"),
        max_length=300,
        help_text=_("Ví dụ: Hướng dẫn 09-HD/BTCTU ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy."),
    )
    registration_deadline = models.DateField(_("Hạn đăng ký của các cấp trực thuộc"))
    results_deadline = models.DateField(_("Hạn báo cáo kết quả"))
    target_registered = models.DecimalField(
        _("Chỉ tiêu đăng ký (%)"), max_digits=5, decimal_places=2, default=Decimal(90), validators=PERCENT
    )
    target_rated = models.DecimalField(
        _("Chỉ tiêu đạt (%)"), max_digits=5, decimal_places=2, default=Decimal(25), validators=PERCENT
    )
    rated_base = models.CharField(
        _("Mẫu số của chỉ tiêu đạt"), max_length=16, choices=RatedBase.choices, default=RatedBase.REGISTERED
    )
    late_policy = models.CharField(
        _("Đăng ký sau hạn"), max_length=16, choices=LatePolicy.choices, default=LatePolicy.ACCEPT
    )
    tree_date = models.DateField(
        _("Cây tổ chức tính theo ngày"),
        help_text=_("Đối tượng của đợt lấy theo cây tổ chức tại ngày này; lịch sử về sau không làm đổi đợt."),
    )
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Đợt đăng ký")
        ordering = ["-year", "code"]

    def __str__(self):
        return self.name

    @property
    def legal_basis_list(self) -> list[str]:
        return [line.strip(" -–•\t") for line in self.legal_bases.splitlines() if line.strip()]


# What a campaign sets for its levels, given when it is opened and editable afterwards (its root, code, year and
# tree date are fixed once opened).
CAMPAIGN_TERMS = [
    "legal_bases",
    "theme",
    "guidance",
    "registration_deadline",
    "results_deadline",
    "target_registered",
    "target_rated",
    "rated_base",
    "late_policy",
]


class CampaignLevel(models.Model):  # triển khai của một cấp: hạn và chỉ tiêu cho các cấp trực thuộc
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="levels")
    org = models.ForeignKey(
        Organization, verbose_name=_("Cấp triển khai"), on_delete=models.PROTECT, related_name="campaign_levels"
    )
    registration_deadline = models.DateField(
        _("Hạn đăng ký cho các cấp trực thuộc"), null=True, blank=True, help_text=_("Để trống: dùng hạn của cấp trên.")
    )
    results_deadline = models.DateField(_("Hạn báo cáo kết quả cho các cấp trực thuộc"), null=True, blank=True)
    target_registered = models.DecimalField(
        _("Chỉ tiêu đăng ký (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    target_rated = models.DecimalField(
        _("Chỉ tiêu đạt (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Triển khai của cấp")
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="one_level_per_org")]


class Document(models.Model):  # văn bản đi (công văn, hướng dẫn, báo cáo…)
    class Kind(models.TextChoices):
        CV = "CV", _("Công văn")
        HD = "HD", _("Hướng dẫn")
        BC = "BC", _("Báo cáo")
        TB = "TB", _("Thông báo")
        BB = "BB", _("Biên bản")
        PCD = "PCĐ", _("Phiếu chấm điểm")

    class Signature(models.TextChoices):
        TM_BTV = "tm_btv", "T/M BAN THƯỜNG VỤ"
        TM_DU = "tm_du", "T/M ĐẢNG ỦY"
        TM_CU = "tm_cu", "T/M CHI ỦY"  # a chi bộ that has a chi ủy (9+ full members) acts through it
        TM_CB = "tm_cb", "T/M CHI BỘ"
        TRUONG_BAN = "truong_ban", "TRƯỞNG BAN"
        KT_TRUONG_BAN = "kt_truong_ban", "K/T TRƯỞNG BAN"
        HEAD = "head", _("Người đứng đầu ký (Chánh Văn phòng, Trưởng Ban…)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        AWAITING_SIGNATURE = "awaiting_sig", _("Chờ ký số")  # numbered, rendered; goes out once signed (token)
        ISSUED = "issued", _("Đã ban hành")

    class Purpose(models.TextChoices):  # what issuing the document also does
        LETTER = "", _("Văn bản")
        WRITTEN_REGISTRATION = "written_registration", _("Đăng ký bằng văn bản (gửi các đăng ký khi ban hành)")
        UPWARD_REPORT = "upward_report", _("Báo cáo tổng hợp gửi cấp trên (gửi báo cáo khi ban hành)")

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    purpose = models.CharField(_("Mục đích"), max_length=32, choices=Purpose.choices, default="", blank=True)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("Cơ quan ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    issuer_name = models.CharField(_("Tên cơ quan ban hành (dòng 2 của tiêu đề)"), max_length=200)
    parent_name = models.CharField(_("Tên cấp trên (dòng 1 của tiêu đề)"), max_length=200)
    kind = models.CharField(_("Loại văn bản"), max_length=4, choices=Kind.choices, default=Kind.CV)
    year = models.PositiveSmallIntegerField(_("Năm"))
    number = models.PositiveIntegerField(_("Số"), null=True, blank=True)
    term_start = models.DateField(
        _("Nhiệm kỳ bắt đầu"),
        null=True,
        blank=True,
        help_text=_("Số văn bản chạy theo cơ quan ban hành, loại văn bản và nhiệm kỳ."),
    )
    symbol = models.CharField(_("Ký hiệu cơ quan"), max_length=30)
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("Địa danh"), max_length=100)
    subject = models.CharField(_("Trích yếu (V/v)"), max_length=300)
    salutation = models.TextField(
        _("Kính gửi"), blank=True, help_text=_("Mỗi nơi một dòng; biên bản, phiếu chấm điểm để trống.")
    )
    body = models.TextField(_("Nội dung"))
    attachment_note = models.CharField(_("Ghi chú gửi kèm"), max_length=300, blank=True)
    copies_to = models.TextField(_("Nơi nhận"), help_text=_("Mỗi nơi một dòng; dòng cuối thường là “Lưu …”."))
    signature = models.CharField(_("Thẩm quyền ký"), max_length=16, choices=Signature.choices, default=Signature.TM_BTV)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=100, default="BÍ THƯ")
    signer_name = models.CharField(_("Họ tên người ký"), max_length=150)
    token_signing = models.BooleanField(
        _("Người ký ký số bằng USB token của mình"),
        default=False,
        help_text=_("Văn bản được cấp số rồi chờ bản ký số tải lên; chỉ gửi đến nơi nhận khi đã ký."),
    )
    recipients = models.ManyToManyField(
        Organization, verbose_name=_("Gửi vào hộp văn bản đến của"), blank=True, related_name="+"
    )
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    docx_file = models.FileField(upload_to="documents/%Y/", blank=True)
    pdf_file = models.FileField(upload_to="documents/%Y/", blank=True)
    annex = models.JSONField(_("Phụ lục (bảng)"), default=dict, blank=True)
    source = models.CharField(
        _("Lập từ"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Hồ sơ mà văn bản được lập từ (ví dụ appraisal:12:bb)."),
    )
    cites = models.ForeignKey(
        "self", verbose_name=_("Thực hiện văn bản"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(bases=[HistoryIPMixin], excluded_fields=["docx_file", "pdf_file"])

    class Meta:
        verbose_name = _("Văn bản đi")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "number"],
                condition=models.Q(term_start__isnull=True),
                name="unique_document_number",
            ),
            models.UniqueConstraint(
                fields=["issuer", "kind", "term_start", "number"], name="unique_document_number_in_term"
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    @property
    def listed_subject(self) -> str:
        """The paper as lists show it (inbox, a level's papers, home): “V/v …” for a công văn, whose subject is its
        trích yếu; another paper's kind before its subject (“Báo cáo: …”)."""
        if self.kind == self.Kind.CV:
            return f"V/v {self.subject}"
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def reference(self) -> str:
        """Số, ký hiệu: 436-CV/ĐUK (dự thảo: “…-CV/ĐUK”)."""
        number = self.number or "…"
        return f"{number}-{self.kind}/{self.symbol}"

    @property
    def signature_lines(self) -> list[str]:
        """Thẩm quyền ký (HD 36-HD/VPTW; docs/rules.md D6): the head signs under his own title; K/T puts the
        deputy's own title under “K/T TRƯỞNG BAN”; T/M the collective, then the signer's title."""
        title = self.signer_title.strip().upper()
        if self.signature == self.Signature.TRUONG_BAN:
            return ["TRƯỞNG BAN"]
        if self.signature == self.Signature.HEAD:
            return [title or "TRƯỞNG BAN"]
        if self.signature == self.Signature.KT_TRUONG_BAN:
            return ["K/T TRƯỞNG BAN", title if title.startswith("PHÓ") else "PHÓ TRƯỞNG BAN"]
        return [str(self.Signature(self.signature).label), title]


class CommitteeTerm(models.Model):  # nhiệm kỳ của cấp ủy: số văn bản chạy từ 01 trong mỗi nhiệm kỳ
    org = models.ForeignKey(Organization, verbose_name=_("Cấp ủy"), on_delete=models.CASCADE, related_name="terms")
    starts_on = models.DateField(_("Bắt đầu nhiệm kỳ"))
    ends_on = models.DateField(_("Kết thúc nhiệm kỳ"), null=True, blank=True)
    name = models.CharField(_("Tên nhiệm kỳ"), max_length=100, blank=True, help_text=_("Ví dụ: Nhiệm kỳ 2025 – 2030."))

    class Meta:
        verbose_name = _("Nhiệm kỳ")
        ordering = ["org", "-starts_on"]
        constraints = [models.UniqueConstraint(fields=["org", "starts_on"], name="one_term_start_per_org")]

    def __str__(self):
        return self.name or f"{self.org} {self.starts_on:%d/%m/%Y}"


class Attachment(models.Model):  # tài liệu gửi kèm
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class IncomingDocument(models.Model):  # văn bản đến
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inbox")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("Số đến"))
    received_on = models.DateField(_("Ngày đến"))
    acknowledged_at = models.DateTimeField(_("Đã xác nhận"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("Văn bản đến")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "year", "number"], name="unique_incoming_number"),
            models.UniqueConstraint(fields=["recipient", "document"], name="one_delivery_per_recipient"),
        ]


class LetterTemplate(models.Model):  # mẫu nội dung công văn, sửa được
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(_("Tên mẫu"), max_length=200)
    subject = models.CharField(_("Trích yếu mặc định"), max_length=300)
    body = models.TextField(
        _("Nội dung mẫu"),
        help_text=_(
            "Cú pháp mẫu Django; biến: campaign, level, issuer, deadline, results_deadline, target_registered, "
            "target_rated, parent_document."
        ),
    )

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Mẫu công văn")

    def __str__(self):
        return self.name

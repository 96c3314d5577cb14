"""Registrations of models (đăng ký mô hình mới, cách làm sáng tạo), their measurable indicators, every
submitted version, and the index used to find similar earlier models (novelty check)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangtao.campaigns.models import Campaign
from sangtao.common.modelparts import KeptVersion, optional_fk
from sangtao.orgs.models import Organization, Person

from .workflow import State


class ContentArea(models.TextChoices):  # HD 09, I.1
    LEADERSHIP = "leadership", _("Lãnh đạo, chỉ đạo")
    DUTIES = "duties", _("Thực hiện chức trách, nhiệm vụ được giao")
    PRODUCT = "product", _("Có sản phẩm cụ thể")


class Field(models.TextChoices):  # HD 09, tiêu chí 2
    ECONOMY = "kinh_te", _("Kinh tế")
    CULTURE = "van_hoa_xa_hoi", _("Văn hóa - xã hội")
    DEFENCE = "quoc_phong_an_ninh", _("Quốc phòng - an ninh")
    PARTY = "xay_dung_dang", _("Xây dựng Đảng, hệ thống chính trị")
    REFORM = "cai_cach_chuyen_doi_so", _("Cải cách hành chính, chuyển đổi số")
    METHODS = "phuong_phap", _("Phương pháp, lề lối làm việc")
    OTHER = "khac", _("Lĩnh vực khác")


# The model as its registrant describes it, in the order the registration form and the API show it.
DESCRIPTION_FIELDS = ["title", "content_areas", "fields", "novelty", "method", "starts_on", "ends_on", "theme_link"]


class Registration(models.Model):  # đăng ký mô hình
    class SubjectKind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="registrations")
    subject_kind = models.CharField(_("Chủ thể"), max_length=16, choices=SubjectKind.choices)
    subject_org = models.ForeignKey(
        Organization, verbose_name=_("Tổ chức"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("Cá nhân"), null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    receiving_org = models.ForeignKey(
        Organization, verbose_name=_("Cấp tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("Tên mô hình, cách làm"), max_length=300)
    content_areas = models.JSONField(_("Nội dung"), default=list)
    fields = models.JSONField(_("Lĩnh vực"), default=list)
    novelty = models.TextField(_("Điểm mới"), blank=True)
    method = models.TextField(_("Cách thức thực hiện"), blank=True)
    starts_on = models.DateField(_("Bắt đầu"), null=True, blank=True)
    ends_on = models.DateField(_("Kết thúc"), null=True, blank=True)
    theme_link = models.TextField(_("Gắn với nghị quyết, chủ đề năm"), blank=True)
    state = models.CharField(_("Trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    first_submitted_at = models.DateTimeField(_("Gửi lần đầu"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("Gửi lần cuối"), null=True, blank=True)
    deadline = models.DateField(_("Hạn áp dụng"), null=True, blank=True)
    late = models.BooleanField(_("Nộp muộn"), default=False)
    return_reason = models.TextField(_("Lý do trả lại"), blank=True)
    not_new = models.BooleanField(_("Chưa có tính mới"), default=False)
    not_new_reason = models.TextField(_("Lý do chưa có tính mới"), blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic lock: a stale form is refused
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_key = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    novelty_norm = models.FloatField(default=0, editable=False)  # length of the indexed term vector
    similar_score = models.FloatField(_("Mức tương tự cao nhất khi gửi"), null=True, blank=True)
    similar_to = optional_fk("self", _("Mô hình tương tự nhất"), on_delete=models.SET_NULL)
    letter = optional_fk(
        "campaigns.Document", _("Văn bản đăng ký"), on_delete=models.PROTECT, related_name="registrations"
    )
    ref = models.CharField(_("Mã đăng ký (khi nhập từ Excel)"), max_length=60, blank=True, default="")
    # nhân rộng: the unit declares it applies an earlier model (any unit, any year)
    replicates = optional_fk("self", _("Nhân rộng mô hình"), on_delete=models.SET_NULL, related_name="replications")

    class Meta:
        verbose_name = _("Đăng ký mô hình")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["campaign", "subject_org"]),
            models.Index(fields=["receiving_org", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "ref"], condition=~models.Q(ref=""), name="unique_registration_ref"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def subject_name(self) -> str:
        return self.person.full_name if self.person_id else self.subject_org.name

    def field_labels(self):
        labels = dict(Field.choices)
        return [str(labels.get(f, f)) for f in self.fields]

    def area_labels(self):
        labels = dict(ContentArea.choices)
        return [str(labels.get(a, a)) for a in self.content_areas]


class Indicator(models.Model):  # chỉ tiêu đo được
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("Chỉ tiêu"), max_length=300)
    unit = models.CharField(_("Đơn vị tính"), max_length=50)
    baseline = models.DecimalField(_("Hiện trạng"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("Mục tiêu"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["order", "id"]


class RegistrationVersion(KeptVersion):  # mỗi lần gửi/trả lại/tiếp nhận: một phiên bản giữ nguyên
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="versions")
    state = models.CharField(max_length=20, choices=State.choices)

    class Meta(KeptVersion.Meta):
        constraints = [models.UniqueConstraint(fields=["registration", "number"], name="unique_registration_version")]


class NoveltyTerm(models.Model):  # từ điển của chỉ mục tương tự: âm tiết và cặp âm tiết, không dấu
    text = models.CharField(max_length=80, unique=True)
    df = models.PositiveIntegerField(default=0)


class NoveltyPosting(models.Model):  # chỉ mục ngược: thuật ngữ → đăng ký
    term = models.ForeignKey(NoveltyTerm, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+", db_index=False)
    tf = models.PositiveSmallIntegerField(default=1)

    class Meta:
        # Both lookups read only an index (index-only scans): a term's postings (candidates), then the
        # postings of the best candidates (completing their scores). One posting per term and
        # registration is kept by `novelty.index`, which runs under the registration's row lock.
        indexes = [
            models.Index(fields=["term", "registration", "tf"], name="posting_term_covering"),
            models.Index(fields=["registration", "term", "tf"], name="posting_registration_covering"),
        ]


class NoveltyChange(models.Model):  # nhật ký thay đổi chỉ mục: mỗi máy chủ web đọc để giữ chỉ mục trong bộ nhớ mới nhất
    """One row per (re)indexing of a registration. Each web process keeps an in-memory copy of the postings and,
    before a lookup, reloads the registrations named by rows it has not applied yet (the version counter)."""

    registration_id = models.BigIntegerField()
    token = models.CharField(max_length=32)  # random: tells a process that a row id it applied was rolled back
    created_at = models.DateTimeField(auto_now_add=True)


class StockPhrase(models.Model):  # cụm từ sáo: "nâng cao chất lượng", ... — tính rất ít khi so tương tự
    text = models.CharField(_("Cụm từ"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Cụm từ thường gặp")
        ordering = ["text"]

    def __str__(self):
        return self.text


class RegistrationAttachment(models.Model):  # tài liệu kèm theo đăng ký
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="registrations/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

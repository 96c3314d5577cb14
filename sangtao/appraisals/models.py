"""Appraisal (thẩm định, SPEC §6): rubrics as versioned data, the appraisal of each model by the competent
level (alone or as a council), each appraiser's score sheet, bonus judgements per subject, publication, and
re-appraisal (phúc tra) as a new version that keeps the old one; individuals appraised without a
registration on one of the three bases of HD 09 I.2.2."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sangtao.campaigns.models import Campaign
from sangtao.common.modelparts import unique_per_subject
from sangtao.common.models import HistoryIPMixin
from sangtao.orgs.models import Organization, Person
from sangtao.registrations.models import Registration

from . import scoring


class SubjectKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class Rubric(models.Model):  # bộ tiêu chí thẩm định, theo phiên bản
    code = models.CharField(_("Mã"), max_length=40)
    version = models.PositiveIntegerField(_("Phiên bản"), default=1)
    name = models.CharField(_("Tên"), max_length=255)
    source = models.CharField(_("Căn cứ"), max_length=255, help_text=_("Ví dụ: Hướng dẫn 09-HD/BTCTU ngày 14/12/2022."))
    subject_kind = models.CharField(_("Áp dụng cho"), max_length=16, choices=SubjectKind.choices)
    criteria = models.JSONField(default=list)  # [{"code", "label", "max"}]
    bonuses = models.JSONField(default=list)  # [{"code", "label", "points", "kind", "min_count", "min_class"}]
    bands = models.JSONField(default=list)  # [{"label", "min"}]
    cap = models.DecimalField(_("Điểm trần"), max_digits=5, decimal_places=2, default=10)
    step = models.DecimalField(_("Bước điểm"), max_digits=4, decimal_places=2, default=0.25)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Bộ tiêu chí thẩm định")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_rubric_version")]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def rules(self) -> scoring.Rules:
        return scoring.Rules.from_data(self.criteria, self.bonuses, self.bands, self.cap, self.step)

    @property
    def in_use(self) -> bool:
        return self.campaign_uses.exists()


class CampaignRubric(models.Model):  # bộ tiêu chí một đợt dùng cho tập thể / cá nhân
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rubrics")
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="campaign_uses")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "subject_kind"], name="one_rubric_per_kind")]


class Appraisal(models.Model):  # thẩm định một mô hình; phúc tra là phiên bản mới
    class State(models.TextChoices):
        SCORING = "scoring", _("Đang chấm")
        SIGNED = "signed", _("Đã ký duyệt")
        PUBLISHED = "published", _("Đã công bố")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="appraisals")
    number = models.PositiveIntegerField(_("Lần thẩm định"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True, db_index=True)
    reappraisal_reason = models.TextField(_("Lý do phúc tra"), blank=True)
    appraising_org = models.ForeignKey(
        Organization, verbose_name=_("Cấp thẩm định"), on_delete=models.PROTECT, related_name="+"
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="appraisals")
    state = models.CharField(
        _("Trạng thái"), max_length=16, choices=State.choices, default=State.SCORING, db_index=True
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Thành viên chấm"), related_name="appraisal_seats"
    )
    consensus = models.JSONField(default=dict, blank=True)  # code -> {"score": "1.5", "reason": "..."}
    scores = models.JSONField(default=dict, blank=True)  # final per criterion, set at sign-off
    total = models.DecimalField(_("Điểm mô hình"), max_digits=5, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("Xếp loại mô hình"), max_length=40, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Thẩm định")
        ordering = ["registration_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"], name="unique_appraisal_number"),
            models.UniqueConstraint(
                fields=["registration"], condition=models.Q(is_current=True), name="one_current_appraisal"
            ),
        ]
        indexes = [models.Index(fields=["appraising_org", "state"])]

    def __str__(self):
        return _("Thẩm định “%(t)s” (lần %(n)s)") % {"t": self.registration.title, "n": self.number}


class ScoreSheet(models.Model):  # phiếu chấm của một thành viên
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="sheets")
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)  # code -> {"score": "1.75", "note": "..."}
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appraisal", "appraiser"], name="one_sheet_per_appraiser")]


class BonusJudgement(models.Model):  # điểm thưởng theo đánh giá (có/không) của một chủ thể trong đợt
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    subject_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=20)
    granted = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        constraints = unique_per_subject(  # one judgement per subject and bonus
            "code", collective="one_judgement_per_collective_bonus", individual="one_judgement_per_individual_bonus"
        )


class IndividualAppraisal(models.Model):  # cá nhân không đăng ký (HD 09, I.2.2)
    class Basis(models.TextChoices):
        INITIATIVE = "initiative", _("Có đề tài, đề án, sáng kiến được công nhận trong năm")
        HEAD = "head", _("Là người đứng đầu tập thể: lấy kết quả thẩm định của tập thể")
        COMMENDATION = "commendation", _("Có thành tích đột xuất được cấp có thẩm quyền khen thưởng")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="unregistered_appraisals")
    appraising_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(_("Căn cứ"), max_length=16, choices=Basis.choices)
    reference = models.CharField(
        _("Văn bản công nhận, khen thưởng"), max_length=300, blank=True, help_text=_("Số, ngày, cơ quan ban hành.")
    )
    description = models.TextField(_("Nội dung, kết quả"))
    result = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2)
    classification = models.CharField(_("Xếp loại"), max_length=40)
    evidence = models.FileField(upload_to="appraisals/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Why a published result was replaced (rules P14): the new version waits for publication, the old one stays.
    correction_reason = models.TextField(_("Lý do sửa kết quả đã công bố"), blank=True)

    class Meta:
        verbose_name = _("Thẩm định cá nhân không đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=models.Q(is_current=True),
                name="one_current_individual_appraisal",
            )
        ]

    def __str__(self):
        return _("Thẩm định cá nhân không đăng ký: %(p)s") % {"p": self.person.full_name}


class ResultCorrection(models.Model):  # đính chính kết quả đã công bố (issue 15 item 16, rules P16)
    """A published result changes only through a correction: a reason, a new version of the subject's result
    (the figures before and after are kept here; the judgement's own history keeps the old judgement), signed
    off by another appraiser of the level and published again by its officer, the unit told. Until then the
    published figures stand."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Chờ ký duyệt")
        SIGNED = "signed", _("Đã ký duyệt, chờ công bố")
        PUBLISHED = "published", _("Đã công bố")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    subject_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appraising_org = models.ForeignKey(
        Organization, verbose_name=_("Cấp thẩm định"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("Phiên bản kết quả"))  # the first publication is version 1
    reason = models.TextField(_("Lý do đính chính"))
    bonuses = models.JSONField(default=dict)  # code -> {"granted": bool, "justification": str}: the change
    before = models.JSONField(default=dict)  # {"result": "7.75", "class": "Khá", "bonuses": {"TH_A": false}}
    after = models.JSONField(default=dict)
    state = models.CharField(_("Trạng thái"), max_length=16, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Đính chính kết quả thẩm định")
        ordering = ["campaign_id", "subject_org_id", "person_id", "number"]
        constraints = unique_per_subject(  # one version number per subject
            "number", collective="one_collective_result_version", individual="one_individual_result_version"
        )

    def __str__(self):
        subject = self.person.full_name if self.person_id else self.subject_org.name
        return _("Đính chính kết quả của %(s)s (phiên bản %(n)s)") % {"s": subject, "n": self.number}

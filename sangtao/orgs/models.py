"""The party organization tree (with its history), people, and the roles users hold in it.

The current tree is a materialized path (django-treebeard MP_Node): a subtree is one indexed prefix
query. The tree as it stood on any date is kept in `OrgLink` rows (who was whose parent from when to
when); structural changes (move, merge, split, close) append rows and never rewrite earlier ones.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from sangtao.common.models import HistoryIPMixin
from sangtao.common.text import fold


class OrgKind(models.Model):  # loại hình tổ chức đảng
    code = models.CharField(_("Mã loại"), max_length=32, unique=True)
    name = models.CharField(_("Tên loại"), max_length=150)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    is_grassroots = models.BooleanField(_("Tổ chức cơ sở đảng"), default=False)
    is_cell = models.BooleanField(_("Là chi bộ"), default=False)

    class Meta:
        verbose_name = _("Loại tổ chức")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(MP_NodeQuerySet):
    def active_on(self, day: dt.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def active(self):
        return self.active_on(timezone.localdate())


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):  # tổ chức đảng
    steplen = 5  # 36^5 children per node, depth up to 51 within the 255-character path

    code = models.CharField(_("Mã tổ chức"), max_length=50, unique=True)
    name = models.CharField(_("Tên tổ chức"), max_length=255, db_index=True)
    short_name = models.CharField(
        _("Ký hiệu"),
        max_length=30,
        blank=True,
        help_text=_("Dùng trong số, ký hiệu văn bản, ví dụ ĐUK trong 436-CV/ĐUK."),
    )
    kind = models.ForeignKey(OrgKind, verbose_name=_("Loại"), on_delete=models.PROTECT)
    in_village = models.BooleanField(
        _("Ở thôn, tổ dân phố"),
        default=False,
        help_text=_("Tổ chức và đảng viên ở thôn, tổ dân phố không được thẩm định (HD 09, mục I.3)."),
    )
    private_enterprise = models.BooleanField(
        _("Doanh nghiệp tư nhân"),
        default=False,
        help_text=_("Không thẩm định đối với doanh nghiệp tư nhân (HD 09, mục I.3)."),
    )
    cell_committee = models.BooleanField(
        _("Chi bộ có chi ủy"),
        default=False,
        help_text=_("Chi bộ có từ 9 đảng viên chính thức trở lên bầu chi ủy; văn bản gửi “Chi ủy Chi bộ …”."),
    )
    place_name = models.CharField(
        _("Địa danh"), max_length=100, blank=True, help_text=_("Ghi ở dòng ngày tháng của văn bản, ví dụ: Đà Lạt.")
    )
    valid_from = models.DateField(_("Hiệu lực từ ngày"))
    valid_to = models.DateField(_("Giải thể / chấm dứt từ ngày"), null=True, blank=True)
    search_key = models.CharField(max_length=320, blank=True, db_index=True, editable=False)

    objects = OrganizationManager()
    history = HistoricalRecords(bases=[HistoryIPMixin], excluded_fields=["path", "depth", "numchild"])

    class Meta:
        verbose_name = _("Tổ chức đảng")
        verbose_name_plural = _("Tổ chức đảng")
        indexes = [models.Index(fields=["valid_to"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.code} {self.name} {self.short_name}")[:320]
        super().save(*args, **kwargs)

    @property
    def flagged_excluded(self) -> bool:
        """Flagged itself (the whole subtree of a flagged organization is excluded too)."""
        return self.in_village or self.private_enterprise

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def parent_org(self) -> Organization | None:
        """The current parent (one query; None for a root)."""
        if self.depth <= 1:
            return None
        if not hasattr(self, "_parent_cache"):
            self._parent_cache = Organization.objects.filter(path=self.path[: -self.steplen]).first()
        return self._parent_cache

    def is_ancestor_or_self_of(self, other: Organization) -> bool:
        return other.path.startswith(self.path)


class OrgLink(models.Model):  # vị trí trong cây theo thời gian
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="links")
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="child_links"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["org", "valid_from"]),
        ]

    @staticmethod
    def on(day: dt.date) -> Q:
        return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class OrgEvent(models.Model):  # biến động tổ chức
    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập")
        MOVE = "move", _("Điều chuyển")
        MERGE = "merge", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")
        CLOSE = "close", _("Giải thể")

    kind = models.CharField(_("Loại biến động"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("Hiệu lực từ ngày"))
    decision = models.CharField(_("Căn cứ (số quyết định)"), max_length=200, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)
    sources = models.ManyToManyField(Organization, related_name="events_as_source", blank=True)
    targets = models.ManyToManyField(Organization, related_name="events_as_target", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Biến động tổ chức")
        ordering = ["-effective_date", "-id"]


class Person(models.Model):  # cán bộ, đảng viên
    code = models.CharField(
        _("Mã cá nhân"),
        max_length=50,
        unique=True,
        help_text=_("Số thẻ đảng viên hoặc mã định danh do đơn vị quy định."),
    )
    full_name = models.CharField(_("Họ và tên"), max_length=150, db_index=True)
    org = models.ForeignKey(
        Organization, verbose_name=_("Tổ chức đảng"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("Chức vụ"), max_length=255, blank=True)
    is_leader = models.BooleanField(_("Cán bộ lãnh đạo, quản lý"), default=False)
    is_party_member = models.BooleanField(_("Đảng viên"), default=True)
    evaluating_org = models.ForeignKey(
        Organization,
        verbose_name=_("Cấp có thẩm quyền đánh giá, xếp loại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluated_people",
    )
    active = models.BooleanField(_("Đang sinh hoạt"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("Tài khoản"),
    )
    search_key = models.CharField(max_length=220, blank=True, db_index=True, editable=False)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Cán bộ, đảng viên")
        verbose_name_plural = _("Cán bộ, đảng viên")
        ordering = ["-is_leader", "full_name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.code} {self.full_name}")
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị (Ban Tổ chức)")
    OFFICER = "officer", _("Cán bộ phụ trách")
    APPRAISER = "appraiser", _("Thành viên thẩm định")
    INDIVIDUAL = "individual", _("Cá nhân")
    VIEWER = "viewer", _("Lãnh đạo xem báo cáo")


class RoleAssignment(models.Model):  # vai trò của tài khoản tại một tổ chức
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    org = models.ForeignKey(
        Organization, verbose_name=_("Tổ chức"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("Vai trò"), max_length=16, choices=Role.choices)

    history = HistoricalRecords(bases=[HistoryIPMixin])

    class Meta:
        verbose_name = _("Vai trò")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_assignment")]

    def __str__(self):
        return f"{self.get_role_display()} — {self.org}"


class ImportJob(models.Model):  # một lần nhập tệp Excel
    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Có lỗi, không ghi dữ liệu")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, default="tree")  # "tree" (this app) or "campaign" (exchange app)
    data = models.BinaryField()
    effective_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

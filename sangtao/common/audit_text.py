"""The audit trail as people read it (issue 16: no internal code on a page): each action's Vietnamese name, each
changed field's label, and values written as an office writes them — "có/không", dd/mm/yyyy, "cũ → mới"."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangtao.common import numbers

ACTIONS = {
    "account.api_key_create": _("Tạo khóa API"),
    "account.api_key_revoke": _("Thu hồi khóa API"),
    "appraisal.bonus": _("Ghi điểm thưởng"),
    "appraisal.consensus": _("Ghi điểm thống nhất"),
    "appraisal.correction_propose": _("Đề xuất đính chính kết quả"),
    "appraisal.correction_publish": _("Công bố kết quả đính chính"),
    "appraisal.correction_sign": _("Ký duyệt đính chính"),
    "appraisal.open": _("Mở thẩm định"),
    "appraisal.publish": _("Công bố kết quả thẩm định"),
    "appraisal.reappraise": _("Phúc tra"),
    "appraisal.sheet_save": _("Lưu phiếu chấm"),
    "appraisal.sheet_submit": _("Nộp phiếu chấm"),
    "appraisal.sign": _("Ký duyệt thẩm định"),
    "appraisal.unregistered": _("Thẩm định cá nhân không đăng ký"),
    "auth.login": _("Đăng nhập"),
    "auth.logout": _("Đăng xuất"),
    "auth.login_failed": _("Đăng nhập sai"),
    "campaign.cascade": _("Triển khai đợt"),
    "campaign.open": _("Mở đợt"),
    "campaign.update": _("Sửa đợt"),
    "committee_term.set": _("Ghi nhiệm kỳ"),
    "coverage.registration_list": _("Xuất danh sách đăng ký"),
    "document.acknowledge": _("Xác nhận đã nhận văn bản"),
    "document.attach": _("Đính kèm văn bản"),
    "document.draft": _("Soạn dự thảo văn bản"),
    "document.edit": _("Sửa dự thảo văn bản"),
    "document.issue": _("Ban hành văn bản"),
    "document.await_signature": _("Cấp số văn bản, chờ ký số bằng USB token"),
    "document.back_to_draft": _("Đưa văn bản chờ ký số trở lại dự thảo (bỏ số)"),
    "letter_template.update": _("Sửa mẫu công văn"),
    "notifications.preference": _("Đổi cách nhận thông báo"),
    "notifications.read_all": _("Đánh dấu đã đọc"),
    "novelty.stock_phrases": _("Sửa cụm từ thường gặp"),
    "org.create": _("Thành lập tổ chức"),
    "org.export": _("Xuất Excel cây tổ chức"),
    "org.import": _("Nhập Excel cây tổ chức"),
    "org.merge": _("Hợp nhất, sáp nhập"),
    "org.split": _("Chia tách"),
    "org.move": _("Điều chuyển"),
    "org.close": _("Giải thể"),
    "org.update": _("Sửa thông tin tổ chức"),
    "outline.save": _("Sửa đề cương báo cáo"),
    "person.create": _("Thêm cán bộ, đảng viên"),
    "person.update": _("Sửa cán bộ, đảng viên"),
    "org.import_start": _("Bắt đầu nhập Excel cây tổ chức"),
    "campaign.import": _("Nhập cả đợt từ Excel"),
    "reminder.send": _("Gửi nhắc nhở"),
    "registration.create": _("Tạo đăng ký mô hình"),
    "registration.edit": _("Sửa đăng ký mô hình"),
    "registration.accept": _("Tiếp nhận đăng ký"),
    "registration.attach": _("Đính kèm tài liệu đăng ký"),
    "registration.delete": _("Xóa dự thảo đăng ký"),
    "registration.draft": _("Lưu dự thảo đăng ký"),
    "registration.not_new": _("Ghi nhận chưa có tính mới"),
    "registration.return": _("Trả lại đăng ký"),
    "registration.start": _("Bắt đầu thực hiện"),
    "registration.submit": _("Gửi đăng ký"),
    "registration.submit_in_writing": _("Gửi đăng ký bằng văn bản"),
    "registration.written_draft": _("Soạn công văn đăng ký"),
    "report.accept": _("Tiếp nhận báo cáo kết quả"),
    "report.create": _("Bắt đầu báo cáo kết quả"),
    "report.edit": _("Sửa báo cáo kết quả"),
    "report.evidence_add": _("Thêm minh chứng"),
    "report.evidence_remove": _("Xóa minh chứng"),
    "report.return": _("Trả lại báo cáo kết quả"),
    "report.submit": _("Gửi báo cáo kết quả"),
    "rubric.assign": _("Gán bộ tiêu chí cho đợt"),
    "rubric.create": _("Tạo phiên bản bộ tiêu chí"),
    "signature.certificate_disable": _("Ngừng dùng chứng thư số"),
    "signature.certificate_upload": _("Tải lên chứng thư số"),
    "signature.sign": _("Ký số văn bản"),
    "signature.personal_sign": _("Nhận bản ký số bằng thiết bị cá nhân"),
    "signature.trust_root_add": _("Thêm chứng thư gốc"),
    "signature.trust_root_remove": _("Bỏ chứng thư gốc"),
    "signature.verify": _("Kiểm tra chữ ký số"),
    "upward.accept": _("Tiếp nhận báo cáo tổng hợp"),
    "upward.return": _("Trả lại báo cáo tổng hợp"),
    "upward.submit": _("Gửi báo cáo tổng hợp"),
    "upward.refresh": _("Cập nhật số liệu vào dự thảo báo cáo tổng hợp"),
    "user.activate": _("Kích hoạt tài khoản"),
    "user.create": _("Tạo tài khoản"),
    "user.mfa_reset": _("Đặt lại xác thực hai lớp"),
    "user.password_reset": _("Đặt lại mật khẩu"),
    "user.role_add": _("Giao vai trò"),
    "user.role_remove": _("Bỏ vai trò"),
    "user.unlock": _("Gỡ khóa đăng nhập"),
}
SUBJECTS = {
    "account": _("Tài khoản"),
    "appraisal": _("Thẩm định"),
    "auth": _("Đăng nhập"),
    "campaign": _("Đợt đăng ký"),
    "document": _("Văn bản"),
    "org": _("Tổ chức"),
    "person": _("Cán bộ"),
    "registration": _("Đăng ký mô hình"),
    "report": _("Báo cáo kết quả"),
    "rubric": _("Bộ tiêu chí"),
    "upward": _("Báo cáo tổng hợp"),
    "user": _("Tài khoản"),
    "signature": _("Chữ ký số"),
    "notifications": _("Thông báo"),
}
# The groups of actions the audit page filters on: each a name and the prefixes of its actions' codes
GROUPS = {
    "auth": (_("Đăng nhập, đăng xuất"), ("auth.",)),
    "account": (_("Tài khoản, vai trò"), ("account.", "user.")),
    "org": (_("Tổ chức đảng (thành lập, sáp nhập, chia tách, giải thể…)"), ("org.",)),
    "person": (_("Cán bộ, đảng viên"), ("person.",)),
    "campaign": (_("Đợt đăng ký, triển khai, nhiệm kỳ"), ("campaign.", "committee_term.")),
    "registration": (_("Đăng ký mô hình"), ("registration.", "novelty.")),
    "report": (_("Báo cáo kết quả, đề cương"), ("report.", "outline.")),
    "appraisal": (_("Thẩm định, bộ tiêu chí, điểm thưởng"), ("appraisal.", "rubric.")),
    "document": (_("Văn bản, mẫu công văn"), ("document.", "letter_template.")),
    "upward": (_("Báo cáo tổng hợp, theo dõi, nhắc nhở"), ("upward.", "coverage.", "reminder.")),
    "signature": (_("Chữ ký số"), ("signature.",)),
    "notifications": (_("Thông báo"), ("notifications.",)),
}
FIELDS = {
    "late": _("muộn"),
    "deadline": _("hạn"),
    "person": _("cá nhân"),
    "code": _("mã"),
    "granted": _("cộng điểm"),
    "org_id": _("tổ chức"),
    "org": _("tổ chức"),
    "is_leader": _("lãnh đạo, quản lý"),
    "in_village": _("ở thôn, tổ dân phố"),
    "private_enterprise": _("doanh nghiệp tư nhân"),
    "cell_committee": _("chi bộ có chi ủy"),
    "parent": _("cấp trên"),
    "name": _("tên"),
    "reason": _("lý do"),
    "title": _("tên mô hình"),
    "number": _("số"),
    "document": _("văn bản"),
    "campaign": _("đợt"),
    "count": _("số lượng"),
    "total": _("tổng điểm"),
    "classification": _("xếp loại"),
    "scores": _("điểm"),
    "file": _("tệp"),
    "size": _("dung lượng"),
    "version": _("phiên bản"),
    "state": _("trạng thái"),
    "role": _("vai trò"),
    "user": _("tài khoản"),
    "registration_deadline": _("hạn đăng ký"),
    "results_deadline": _("hạn báo cáo"),
    "valid_from": _("hiệu lực từ"),
    "valid_to": _("hiệu lực đến"),
    "justification": _("căn cứ"),
    "basis": _("căn cứ"),
    "result": _("kết quả"),
    "members": _("thành viên"),
    "chair": _("chủ trì"),
    "kind": _("loại"),
    "reference": _("số, ký hiệu"),
    "short_name": _("tên viết tắt"),
    "place_name": _("địa danh"),
    "kind_id": _("loại"),
    "status": _("trạng thái"),
    "recipients": _("số nơi nhận"),
    "signer": _("người ký"),
    "signer_name": _("người ký"),
    "subject": _("trích yếu"),
    "salutation": _("kính gửi"),
    "body": _("nội dung"),
    "full_name": _("họ tên"),
    "position": _("chức vụ"),
    "source": _("lập từ"),
    "changes": _("số thay đổi"),
    "assessment": _("phần đánh giá"),
    "path": _("tệp lưu trữ"),
    "holder": _("chủ chứng thư"),
    "certificate": _("số hiệu chứng thư"),
    "serial": _("số hiệu chứng thư"),
    "fingerprint": _("dấu vân tay chứng thư"),
    "sha256": _("mã băm SHA-256"),
    "organization": _("cơ quan"),
    "email": _("e-mail"),
    "root": _("cấp mở đợt"),
    "target_registered": _("chỉ tiêu đăng ký (%)"),
    "target_rated": _("chỉ tiêu đạt trở lên (%)"),
    "late_policy": _("đăng ký, báo cáo sau hạn"),
    "starts_on": _("từ ngày"),
    "ends_on": _("đến ngày"),
    "effective_date": _("hiệu lực từ ngày"),
    "decision": _("căn cứ (quyết định)"),
    "closed": _("giải thể"),
    "parts": _("các tổ chức mới"),
    "registration": _("đăng ký"),
    "registrations": _("các đăng ký"),
    "rubric": _("bộ tiêu chí"),
    "consensus": _("điểm thống nhất"),
    "supersedes": _("thay cho lần thẩm định"),
    "replaces": _("thay cho"),
    "bonuses": _("điểm thưởng"),
    "before": _("trước"),
    "after": _("sau"),
    "changed": _("đã sửa"),
    "claim": _("minh chứng cho"),
    "added": _("thêm"),
    "removed": _("bỏ"),
    "signed_by": _("người ký"),
    "username": _("tên đăng nhập"),
    # what the code records besides: the criteria of a score sheet, the figures of a correction, a merger, an import
    "score": _("điểm"),
    "note": _("nhận xét"),
    "class": _("xếp loại"),
    "sources": _("các tổ chức sáp nhập"),
    "target": _("tổ chức tiếp nhận"),
    "children": _("tổ chức trực thuộc chuyển sang"),
    "people": _("cán bộ, đảng viên chuyển sang"),
    "correction": _("đính chính"),
    "orgs_created": _("tổ chức thêm mới"),
    "orgs_updated": _("tổ chức sửa"),
    "orgs_moved": _("tổ chức điều chuyển"),
    "people_created": _("cán bộ thêm mới"),
    "people_updated": _("cán bộ sửa"),
    "registrations_created": _("đăng ký thêm mới"),
    "registrations_unchanged": _("đăng ký giữ nguyên"),
    "appraisals_created": _("thẩm định thêm mới"),
    "appraisals_unchanged": _("thẩm định giữ nguyên"),
    "levels_set": _("cấp đã giao hạn, chỉ tiêu"),
    "bonuses_set": _("điểm thưởng đã ghi"),
    # the fields of the models whose edits are recorded as {field: [old, new]} (audit.diff): organizations,
    # people, campaigns and their levels, letters and letter templates
    "id": _("mã số"),
    "depth": _("cấp trong cây"),
    "numchild": _("số tổ chức trực thuộc"),
    "search_key": _("khóa tìm kiếm"),
    "is_party_member": _("đảng viên"),
    "evaluating_org": _("cấp đánh giá, xếp loại"),
    "evaluating_org_id": _("cấp đánh giá, xếp loại"),
    "active": _("đang sinh hoạt"),
    "user_id": _("tài khoản"),
    "year": _("năm"),
    "root_id": _("cấp mở đợt"),
    "legal_bases": _("căn cứ"),
    "theme": _("chủ đề năm"),
    "guidance": _("hướng dẫn thẩm định"),
    "rated_base": _("mẫu số của chỉ tiêu đạt"),
    "tree_date": _("cây tổ chức tính theo ngày"),
    "created_by": _("người tạo"),
    "created_by_id": _("người tạo"),
    "created_at": _("lúc tạo"),
    "updated_at": _("lúc sửa"),
    "campaign_id": _("đợt"),
    "purpose": _("mục đích"),
    "issuer": _("cơ quan ban hành"),
    "issuer_id": _("cơ quan ban hành"),
    "issuer_name": _("tên cơ quan ban hành"),
    "parent_name": _("tên cấp trên"),
    "term_start": _("nhiệm kỳ bắt đầu"),
    "symbol": _("ký hiệu cơ quan"),
    "issued_on": _("ngày ban hành"),
    "issued_at": _("lúc ban hành"),
    "place": _("địa danh"),
    "attachment_note": _("ghi chú gửi kèm"),
    "copies_to": _("nơi nhận"),
    "signature": _("thẩm quyền ký"),
    "signer_title": _("chức vụ người ký"),
    "token_signing": _("ký số bằng USB token"),
    "docx_file": _("tệp Word"),
    "pdf_file": _("tệp PDF"),
    "annex": _("phụ lục"),
    "cites": _("thực hiện văn bản"),
    "cites_id": _("thực hiện văn bản"),
}
# Codes a few actions record as the value of "status" or "assessment", read as words
VALUES = {
    "valid_trusted": _("chữ ký hợp lệ"),
    "valid_untrusted": _("chữ ký chưa được tin cậy"),
    "invalid": _("chữ ký không hợp lệ"),
    "modified": _("đã sửa sau khi ký"),
    "expired": _("chứng thư hết hạn"),
    "unsigned": _("chưa ký số"),
    "unreadable": _("không kiểm tra được chữ ký"),
    "kept": _("giữ nguyên"),
    "redrawn": _("viết lại từ số liệu"),
    "accept": _("nhận và đánh dấu muộn"),
    "refuse": _("không nhận"),
}
CODED = {"status", "assessment", "late_policy"}
# Codes of a model's choices, read by the model's own label: (action or "", field) → "app.Model.field"
CHOICES = {
    ("", "role"): "orgs.RoleAssignment.role",
    ("", "basis"): "appraisals.IndividualAppraisal.basis",
    ("rubric.assign", "kind"): "appraisals.Rubric.subject_kind",
    ("document.draft", "kind"): "campaigns.Document.kind",
    ("reminder.send", "kind"): "coverage.Reminder.kind",
}
# What a clerk has no use for but a technician may (where a file is stored, a certificate's serial, what a draft
# was drawn from, a row's number in the database): kept out of the page's text, in a title that shows on hovering
TECHNICAL = {"path", "certificate", "serial", "fingerprint", "sha256", "source", "supersedes", "replaces", "correction"}
# Values that name something by its code or number: read by its name where the page looked it up (`Names`)
USERS = {"members", "chair", "signed_by"}  # usernames
ORG_CODES = {"org", "parent", "root", "sources", "target", "children", "parts"}
ORG_IDS = {"org_id", "evaluating_org_id", "root_id", "issuer_id"}
PEOPLE = {"person", "people"}  # people's codes
REGISTRATIONS = {"registration", "registrations"}  # ids
KINDS = {"kind_id"}  # an organization's kind
LISTS = {"sources", "children", "people", "parts", "members", "registrations"}  # lists, not [old, new]
BONUS_ACTIONS = {"appraisal.bonus", "appraisal.correction_propose"}  # where "code" is a bonus's code
SCORE_PARTS = ("score", "note", "reason")  # a criterion's row of a score sheet, or a consensus score
STORAGE_NAME = re.compile(r"^[\w-]+(?:/[\w.-]+)+$")  # registrations/2026/abc.pdf — what a signature check recorded
LEGACY_CHECK = re.compile(r"^(?P<path>\S+/\S+): [a-z_]+$")  # its object as recorded before: “<storage name>: <code>”
LEGACY_OBJECT = re.compile(r"^\w+ object \((?P<pk>\d+)\)$")  # Django's default name: what a model without one got
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
DECIMAL = re.compile(r"^-?\d+\.\d+$")  # "3.5", "8.00": a score or a total recorded as str(Decimal)


@dataclass
class Names:
    """What the codes and numbers of a page of audit rows name, looked up once for the page (`names_for`)."""

    users: dict = field(default_factory=dict)  # username → full name
    orgs: dict = field(default_factory=dict)  # code or id → name
    people: dict = field(default_factory=dict)  # code → full name
    registrations: dict = field(default_factory=dict)  # id → title
    kinds: dict = field(default_factory=dict)  # id → name
    bonuses: dict = field(default_factory=dict)  # code → name
    sections: dict = field(default_factory=dict)  # report id → {"done": title, "indicator:5": name, …}


NO_NAMES = Names()
# A report's parts when no outline was found: the reports app gives its default sections' titles at start-up
# (reports.apps), as common imports no domain app.
DEFAULT_TITLES: dict[str, str] = {}


def register_section_titles(titles: dict[str, str]) -> None:
    DEFAULT_TITLES.update(titles)


def action_label(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action])
    subject = SUBJECTS.get(action.split(".", 1)[0])
    return f"{subject}: {_('thao tác khác')}" if subject else str(_("Thao tác khác"))


def number_text(value) -> str:
    """3.5 → “3,5”, 8.00 → “8”, 88.50 → “88,5”: as the templates' vn_number writes it."""
    return numbers.vn_number(value)


def value_text(value) -> str:
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    if value is None or value == "":
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        return number_text(value)
    if isinstance(value, list):
        return list_text(value)
    if isinstance(value, dict):
        if value and set(value) <= set(SCORE_PARTS) and "score" in value:
            return score_text(value)
        return "; ".join(f"{field_label(k)}: {value_text(v)}" for k, v in value.items())
    text = str(value)
    m = ISO_DATE.match(text)
    if m and len(text) in (10, 19, 25, 26, 32):
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    if DECIMAL.match(text):
        return number_text(text)
    return text


def list_text(value: list) -> str:
    if len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
        return f"{value_text(value[0])} → {value_text(value[1])}"  # [old, new]
    if value and all(isinstance(v, dict) and "title" in v for v in value):
        return "; ".join(str(v["title"]) for v in value)  # an outline's sections: their titles
    return ", ".join(value_text(v) for v in value)


def score_text(row: dict) -> str:
    """A criterion's row of a score sheet: “điểm 3,5; nhận xét: …”."""
    parts = [f"{field_label('score')} {value_text(row.get('score'))}"]
    parts += [f"{field_label(k)}: {value_text(row[k])}" for k in SCORE_PARTS[1:] if row.get(k)]
    return "; ".join(parts)


def field_label(key: str) -> str:
    return str(FIELDS.get(key, key.replace("_", " ")))


def is_technical(key: str, value) -> bool:
    """A detail for the title, not the text: a technical field, or a storage name recorded as the “file” (the
    signature checks before they named the file in words)."""
    return key in TECHNICAL or (key == "file" and isinstance(value, str) and bool(STORAGE_NAME.match(value)))


class _Row:
    """One audit row's changes read with the names its page looked up: each (label, text) for the page, and
    the technical ones (a storage name, an id no name was found for) for the title."""

    def __init__(self, changes: dict, action: str, object_id: str, names: Names):
        self.action, self.names = action, names
        self.sections = names.sections.get(str(object_id), {}) if action.startswith("report.") else {}
        self.shown: list[tuple[str, str]] = []
        self.technical: list[tuple[str, str]] = []
        for key, value in (changes or {}).items():
            self._add(key, value)

    def _add(self, key: str, value):
        label = field_label("path" if key == "file" and is_technical(key, value) else key)
        if is_technical(key, value):
            self.technical.append((label, value_text(value)))
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            for sub, row in value.items():  # a score sheet: one line a criterion, “TC2: điểm 3,5; nhận xét: …”
                self.shown.append((self._bonus(sub), value_text(row)))
        elif key in ("changed", "claim"):
            parts = value if isinstance(value, list) else [value]
            words = [self._section(p) for p in parts]
            if any(w is not None for w in words):
                self.shown.append((label, ", ".join(w for w in words if w is not None)))
            if any(w is None for w in words):
                self.technical.append(
                    (label, ", ".join(str(p) for p, w in zip(parts, words, strict=True) if w is None))
                )
        else:
            text = self._text(key, value)
            if text is None:
                self.technical.append((label, value_text(value)))
            else:
                self.shown.append((label, text))

    def _text(self, key: str, value) -> str | None:
        """The value in words, or None when it is a number nothing was found for."""
        choices = CHOICES.get((self.action, key)) or CHOICES.get(("", key))
        if key in CODED and isinstance(value, str) and value in VALUES:
            return str(VALUES[value])
        if choices and isinstance(value, str):
            return str(dict(_field(choices).flatchoices).get(value, value))
        if key == "code" and self.action in BONUS_ACTIONS:
            return self._bonus(value)
        if key == "bonuses" and isinstance(value, dict):
            return "; ".join(f"{self._bonus(k)}: {value_text(v)}" for k, v in value.items())
        if isinstance(value, dict) and not (set(value) <= set(SCORE_PARTS) and "score" in value):
            # a correction's figures before and after: {"result": "7.75", "class": "Khá", "bonuses": {…}}
            return "; ".join(f"{field_label(k)}: {self._text(k, v) or value_text(v)}" for k, v in value.items())
        lookup = self._lookup(key)
        if lookup is None:
            return value_text(value)
        items = value if isinstance(value, list) else [value]
        found = [None if v in (None, "") else lookup.get(str(v)) for v in items]
        unnamed = any(f is None and v not in (None, "") for f, v in zip(found, items, strict=True))
        if unnamed and (key.endswith("_id") or key in REGISTRATIONS):  # a number reads only as its name
            return None
        words = [f if f is not None else value_text(v) for f, v in zip(found, items, strict=True)]
        if isinstance(value, list) and len(value) == 2 and key not in LISTS:
            return " → ".join(words)  # [old, new]
        return ", ".join(words)

    def _lookup(self, key: str) -> dict | None:
        n = self.names
        if key in USERS:
            return n.users
        if key in ORG_CODES or key in ORG_IDS:
            return n.orgs
        if key in PEOPLE:
            return n.people
        if key in REGISTRATIONS:
            return n.registrations
        if key in KINDS:
            return n.kinds
        return None

    def _bonus(self, code) -> str:
        return str(self.names.bonuses.get(code, code))

    def _section(self, key) -> str | None:
        """A report's part by its title (“done”, “section:done”, “indicator:5”), None if none was found."""
        key = str(key).removeprefix("section:")
        if key in self.sections:
            return self.sections[key]
        title = DEFAULT_TITLES.get(key)
        return str(title) if title else None


def _field(path: str):
    app, model, name = path.split(".")
    return apps.get_model(app, model)._meta.get_field(name)


def changes_text(changes: dict, *, action: str = "", object_id: str = "", names: Names = NO_NAMES):
    """The changes a clerk reads, in words; the technical ones are `details_text`."""
    return _Row(changes, action, object_id, names).shown


def details_text(changes: dict, *, action: str = "", object_id: str = "", names: Names = NO_NAMES) -> str:
    """The technical details of an audit row, one line: “tệp lưu trữ: registrations/2026/abc.pdf; …”."""
    return "; ".join(": ".join(pair) for pair in _Row(changes, action, object_id, names).technical)


class Lines(NamedTuple):
    shown: list[tuple[str, str]]  # (label, text) a clerk reads
    details: str  # the technical ones, one line for a title


def event_lines(event, names: Names = NO_NAMES) -> Lines:
    """An audit row's changes: the (label, text) a clerk reads, and the technical details for the title."""
    row = _Row(event.changes, event.action, event.object_id, names)
    return Lines(row.shown, "; ".join(": ".join(pair) for pair in row.technical))


def object_text(event) -> str:
    """The row's object as recorded — except a signature check recorded before it named the file in words
    (“registrations/2026/abc.pdf: valid_trusted”), which reads as a stored PDF, its storage name in the title;
    and an object recorded under Django's default name (“Appraisal object (2)”), which reads by its kind."""
    if event.object_type == "signatures.verification" and LEGACY_CHECK.match(event.object_repr or ""):
        return str(_("Một tệp PDF đã lưu"))
    if LEGACY_OBJECT.match(event.object_repr or ""):
        return _kind_name(event.object_type) or event.object_repr
    return event.object_repr


def object_detail(event) -> str:
    """The title of the row's object: the storage name or the number `object_text` left out, if any."""
    m = LEGACY_CHECK.match(event.object_repr or "") if event.object_type == "signatures.verification" else None
    if m:
        return f"{field_label('path')}: {m['path']}"
    m = LEGACY_OBJECT.match(event.object_repr or "")
    return f"{field_label('id')}: {m['pk']}" if m and _kind_name(event.object_type) else ""


def _kind_name(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return ""


# --- the names of a page -----------------------------------------------------------------------------------


WANTED = {
    **dict.fromkeys(USERS, "users"),
    **dict.fromkeys(ORG_CODES, "orgs"),
    **dict.fromkeys(ORG_IDS, "org_ids"),
    **dict.fromkeys(PEOPLE, "people"),
    **dict.fromkeys(REGISTRATIONS, "regs"),
    **dict.fromkeys(KINDS, "kinds"),
}
BY_ID = {"org_ids", "regs", "kinds"}


def _wanted(events) -> dict[str, set]:
    """What the rows name by code or number, by the kind of name; "bonuses" and "reports" if they need them."""
    want: dict[str, set] = {k: set() for k in (*WANTED.values(), "bonuses", "reports")}
    for e in events:
        for key, value in (e.changes or {}).items():
            kind = WANTED.get(key)
            items = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, (str, int))]
            if kind in BY_ID:
                want[kind].update(int(v) for v in items if not isinstance(v, bool) and str(v).isdigit())
            elif kind:
                want[kind].update(str(v) for v in items if v != "" and not isinstance(v, bool))
            elif key in ("changed", "claim") and e.action.startswith("report.") and str(e.object_id).isdigit():
                want["reports"].add(int(e.object_id))
            elif (key == "code" and e.action in BONUS_ACTIONS) or key == "bonuses":
                want["bonuses"].add(True)
    return want


def names_for(events) -> Names:
    """The names of what a page of audit rows records by code or number: at most one query a kind of name (the
    accounts, organizations, people, registrations, organization kinds, bonuses and report parts the rows
    name), whatever the number of rows."""
    want, names = _wanted(events), Names()
    if want["users"]:
        users = apps.get_model("accounts", "User").objects.filter(username__in=want["users"])
        for username, first, last in users.values_list("username", "first_name", "last_name"):
            names.users[username] = " ".join(p for p in (last, first) if p) or username
    if want["orgs"] or want["org_ids"]:
        orgs = apps.get_model("orgs", "Organization").objects.filter(
            Q(code__in=want["orgs"]) | Q(pk__in=want["org_ids"])
        )
        for pk, code, name in orgs.values_list("pk", "code", "name"):
            names.orgs[code] = names.orgs[str(pk)] = name
    if want["people"]:
        people = apps.get_model("orgs", "Person").objects.filter(code__in=want["people"])
        names.people = dict(people.values_list("code", "full_name"))
    if want["regs"]:
        regs = apps.get_model("registrations", "Registration").objects.filter(pk__in=want["regs"])
        names.registrations = {str(pk): f"“{title}”" for pk, title in regs.values_list("pk", "title")}
    if want["kinds"]:
        kinds = apps.get_model("orgs", "OrgKind").objects.filter(pk__in=want["kinds"])
        names.kinds = {str(pk): name for pk, name in kinds.values_list("pk", "name")}
    if want["bonuses"]:
        for rows in apps.get_model("appraisals", "Rubric").objects.values_list("bonuses", flat=True):
            names.bonuses.update({b["code"]: b["label"] for b in rows or [] if b.get("code") and b.get("label")})
    if want["reports"]:
        names.sections = _report_parts(want["reports"])
    return names


def _report_parts(report_ids: set[int]) -> dict:
    """{report id: {section key: title, "indicator:<id>": “chỉ tiêu …”}} in one query: each report's outline
    (its campaign's, if edited) and its registration's indicators."""
    parts: dict[str, dict] = {}
    rows = (
        apps.get_model("reports", "ResultsReport")
        .objects.filter(pk__in=report_ids)
        .values_list(
            "pk",
            "registration__campaign__outline__sections",
            "registration__indicators__pk",
            "registration__indicators__name",
        )
    )
    for pk, sections, indicator_id, indicator_name in rows:
        mine = parts.setdefault(str(pk), {})
        for s in sections or []:
            if isinstance(s, dict) and s.get("key") and s.get("title"):
                mine[s["key"]] = s["title"]
        if indicator_id is not None:
            mine[f"indicator:{indicator_id}"] = str(_("chỉ tiêu “%(n)s”") % {"n": indicator_name})
    return parts

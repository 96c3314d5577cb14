"""The audit trail as people read it (issue 16: no internal code on a page): each action's Vietnamese name, each
changed field's label, and values written as an office writes them — "có/không", dd/mm/yyyy, "cũ → mới"."""

import datetime as dt
import re

from django.utils.translation import gettext_lazy as _

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
# What a clerk has no use for but a technician may (where a file is stored, a certificate's serial): kept out of
# the page's text, in a title that shows on hovering
TECHNICAL = {"path", "certificate", "serial", "fingerprint", "sha256"}
STORAGE_NAME = re.compile(r"^[\w-]+(?:/[\w.-]+)+$")  # registrations/2026/abc.pdf — what a signature check recorded
LEGACY_CHECK = re.compile(r"^(?P<path>\S+/\S+): [a-z_]+$")  # its object as recorded before: “<storage name>: <code>”
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def action_label(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action])
    subject = SUBJECTS.get(action.split(".", 1)[0])
    return f"{subject}: {_('thao tác khác')}" if subject else str(_("Thao tác khác"))


def value_text(value) -> str:
    if value is True:
        return str(_("có"))
    if value is False:
        return str(_("không"))
    if value is None or value == "":
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list) and len(value) == 2 and not any(isinstance(v, (list, dict)) for v in value):
        return f"{value_text(value[0])} → {value_text(value[1])}"  # [old, new]
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {value_text(v)}" for k, v in value.items())
    text = str(value)
    m = ISO_DATE.match(text)
    if m and len(text) in (10, 19, 25, 26, 32):
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}"
    return text


def field_label(key: str) -> str:
    return str(FIELDS.get(key, key.replace("_", " ")))


def is_technical(key: str, value) -> bool:
    """A detail for the title, not the text: a technical field, or a storage name recorded as the “file” (the
    signature checks before they named the file in words)."""
    return key in TECHNICAL or (key == "file" and isinstance(value, str) and bool(STORAGE_NAME.match(value)))


def _pair(key: str, value) -> tuple[str, str]:
    label = field_label("path" if key == "file" and is_technical(key, value) else key)
    coded = key in CODED and isinstance(value, str) and value in VALUES
    return label, str(VALUES[value]) if coded else value_text(value)


def changes_text(changes: dict) -> list[tuple[str, str]]:
    """The changes a clerk reads, in words; the technical ones are `details_text`."""
    return [_pair(k, v) for k, v in (changes or {}).items() if not is_technical(k, v)]


def details_text(changes: dict) -> str:
    """The technical details of an audit row, one line: “tệp lưu trữ: registrations/2026/abc.pdf; …”."""
    return "; ".join(": ".join(_pair(k, v)) for k, v in (changes or {}).items() if is_technical(k, v))


def object_text(event) -> str:
    """The row's object as recorded — except a signature check recorded before it named the file in words
    (“registrations/2026/abc.pdf: valid_trusted”), which reads as a stored PDF, its storage name in the title."""
    if event.object_type == "signatures.verification" and LEGACY_CHECK.match(event.object_repr or ""):
        return str(_("Một tệp PDF đã lưu"))
    return event.object_repr


def object_detail(event) -> str:
    """The title of the row's object: the storage name `object_text` left out, if any."""
    m = LEGACY_CHECK.match(event.object_repr or "") if event.object_type == "signatures.verification" else None
    return f"{field_label('path')}: {m['path']}" if m else ""

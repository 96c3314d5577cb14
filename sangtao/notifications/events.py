"""The catalogue of events that tell someone something (Hypha's MESSAGES, as data): for each kind, the subject and
the body (formatted with the context the emitting domain function passes) and who is told. A domain function emits
one with a single call, e.g. in registrations.domain.submit:

    notify("registration.submitted", recipients=officers_of(parent), url=reg.get_absolute_url(), key=f"reg{reg.pk}v{n}",
           context={"title": reg.title, "org": reg.subject_org.name})
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    subject: str
    body: str
    audience: str  # who is told (for the reader of this table and the user guide)


EVENTS: dict[str, Event] = {
    "letter.received": Event(
        _("Văn bản đến: {document}"),
        _("{sender} đã gửi {document} tới {org}. Hãy mở hộp văn bản đến và xác nhận đã nhận."),
        _("cán bộ phụ trách của cấp nhận"),
    ),
    "document.awaiting_signature": Event(  # issue 20: a letter the signer signs with their own USB token
        _("Văn bản chờ ký số: {document}"),
        _(
            "{document} đã được cấp số và đang chờ {signer} ký số bằng USB token. Tải bản PDF, ký rồi tải lên bản đã "
            "ký ở trang văn bản; văn bản chỉ gửi đến {count} nơi nhận khi bản đã ký được chấp nhận."
        ),
        _("cán bộ phụ trách của cơ quan ban hành"),
    ),
    "registration.submitted": Event(
        _("Đăng ký mới cần tiếp nhận: {title}"),
        _("{org} đã gửi đăng ký mô hình “{title}”. Hãy xem và tiếp nhận hoặc trả lại."),
        _("cán bộ phụ trách của cấp tiếp nhận"),
    ),
    "registration.returned": Event(
        _("Đăng ký bị trả lại: {title}"),
        _("Đăng ký “{title}” của {org} bị trả lại. Lý do: {reason}"),
        _("người lập và cán bộ phụ trách của đơn vị đăng ký"),
    ),
    "registration.accepted": Event(
        _("Đăng ký đã được tiếp nhận: {title}"),
        _("Đăng ký “{title}” của {org} đã được tiếp nhận."),
        _("người lập và cán bộ phụ trách của đơn vị đăng ký"),
    ),
    "report.submitted": Event(
        _("Báo cáo kết quả cần tiếp nhận: {title}"),
        _("{org} đã gửi báo cáo kết quả mô hình “{title}”."),
        _("cán bộ phụ trách của cấp tiếp nhận"),
    ),
    "report.returned": Event(
        _("Báo cáo kết quả bị trả lại: {title}"),
        _("Báo cáo kết quả mô hình “{title}” bị trả lại. Lý do: {reason}"),
        _("người lập và cán bộ phụ trách của đơn vị báo cáo"),
    ),
    "report.accepted": Event(
        _("Báo cáo kết quả đã được tiếp nhận: {title}"),
        _("Báo cáo kết quả mô hình “{title}” đã được tiếp nhận."),
        _("người lập và cán bộ phụ trách của đơn vị báo cáo"),
    ),
    "appraisal.assigned": Event(
        _("Được giao thẩm định: {title}"),
        _("Anh/chị được giao chấm mô hình “{title}” ({org}); chủ trì: {chair}. Mở phiếu chấm để chấm độc lập."),
        _("các thành viên thẩm định được giao"),
    ),
    "appraisal.sheets_in": Event(
        _("Đã đủ phiếu chấm: {title}"),
        _("Mọi thành viên đã nộp phiếu chấm mô hình “{title}”. Chủ trì có thể thống nhất điểm và ký duyệt."),
        _("chủ trì hội đồng thẩm định"),
    ),
    "appraisal.signed": Event(
        _("Kết quả thẩm định đã ký duyệt: {title}"),
        _("Kết quả thẩm định mô hình “{title}” đã được ký duyệt và chờ công bố."),
        _("cán bộ phụ trách của cấp thẩm định"),
    ),
    "appraisal.published": Event(
        _("Đã công bố kết quả thẩm định: {title}"),
        _("Mô hình “{title}” của {org}: {classification}."),
        _("cán bộ phụ trách của đơn vị và cá nhân có mô hình"),
    ),
    "appraisal.corrected": Event(  # issue 15 item 16: a published result changed through a correction
        _("Đính chính kết quả thẩm định: {subject}"),
        _("Kết quả thẩm định của {subject} được đính chính (phiên bản {number}): {before} → {after}. Lý do: {reason}"),
        _("cán bộ phụ trách của đơn vị và cá nhân có kết quả"),
    ),
    "reappraisal.requested": Event(
        _("Đề nghị phúc tra: {title}"),
        _("{org} phúc tra kết quả thẩm định mô hình “{title}” của cấp mình. Lý do: {reason}"),
        _("cán bộ phụ trách của cấp thẩm định"),
    ),
    "reappraisal.decided": Event(
        _("Kết quả phúc tra: {title}"),
        _("Phúc tra mô hình “{title}”: {classification}."),
        _("cán bộ phụ trách của đơn vị có mô hình"),
    ),
    "upward.received": Event(
        _("Báo cáo tổng hợp của cấp dưới: {org}"),
        _("{org} đã gửi báo cáo tổng hợp đợt {campaign}. Hãy tiếp nhận hoặc trả lại."),
        _("cán bộ phụ trách của cấp trên"),
    ),
    "upward.returned": Event(
        _("Báo cáo tổng hợp bị trả lại"),
        _("Báo cáo tổng hợp đợt {campaign} của {org} bị trả lại. Lý do: {reason}"),
        _("cán bộ phụ trách của cấp gửi"),
    ),
    "upward.accepted": Event(
        _("Báo cáo tổng hợp đã được tiếp nhận"),
        _("Báo cáo tổng hợp đợt {campaign} của {org} đã được tiếp nhận."),
        _("cán bộ phụ trách của cấp gửi"),
    ),
    "reminder": Event(
        _("Nhắc nhở: {campaign}"),
        "{message}",
        _("cán bộ phụ trách của đơn vị được nhắc (hoặc của cấp trên khi đơn vị quá hạn)"),
    ),
    "reminder.unreachable": Event(
        _("Không nhắc được {org}"),
        _(
            "{org} chưa có tài khoản cán bộ phụ trách nên không nhận được nhắc nhở: “{message}” Đề nghị đôn đốc trực "
            "tiếp và tạo tài khoản cho đơn vị."
        ),
        _("cán bộ phụ trách của cấp trên trực tiếp"),
    ),
}

"""Demo results reports on top of the demo registrations: one sent with figures and evidence (for the
bloc to review and appraise), one being written."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from sangtao.orgs.demo import demo_layer, demo_users
from sangtao.registrations.demo import demo_registration
from sangtao.registrations.demo import load_demo as load_demo_registrations

from . import domain
from .models import ResultsReport


@demo_layer(load_demo_registrations, present=ResultsReport.objects.exists)
def load_demo() -> bool:
    users = demo_users()
    grid = demo_registration("DUK-DL")
    if grid is not None and grid.state in domain.REPORTABLE:
        officer = users["duk.canbo"]
        rep = domain.start_report(actor=officer, registration=grid)
        values = {"Thời gian xử lý sự cố trung bình": Decimal(42), "Số trạm biến áp được số hóa": Decimal(1085)}
        rep = domain.save_draft(
            actor=officer,
            report=rep,
            sections={
                "done": "Đảng ủy ban hành Nghị quyết chuyên đề số 15-NQ/ĐU ngày 10/3/2027 về số hóa lưới điện; Ban Giám đốc "
                "lập tổ triển khai 12 người; 6 điện lực khu vực khảo sát, nhập liệu 1.085 trạm biến áp lên bản đồ GIS.",
                "novelty": "Lần đầu toàn bộ lưới trung thế của tỉnh được quản lý trên một bản đồ số cập nhật theo thời gian thực; "
                "khách hàng nhận thông báo mất điện qua Zalo; Điện lực Bảo Lộc và Đức Trọng đã áp dụng.",
                "reviews": "Sơ kết 6 tháng ngày 15/7/2027; Tổng công ty chọn làm mô hình nhân rộng năm 2028.",
                "difficulties": "Thiếu thiết bị đo xa ở vùng sâu; đã đề xuất Tổng công ty bổ sung 40 thiết bị.",
            },
            results={
                r.indicator_id: {"achieved": values.get(r.indicator.name), "note": "Số liệu hệ thống điều độ."}
                for r in rep.results.select_related("indicator")
            },
        )
        domain.add_evidence(
            actor=officer,
            report=rep,
            claim="section:done",
            description="Nghị quyết chuyên đề",
            upload=SimpleUploadedFile("nghi-quyet-15-NQ-DU.pdf", _pdf("Nghi quyet 15-NQ/DU")),
        )
        domain.submit(actor=officer, report=rep)
    water = demo_registration("DUK-CTN")
    if water is not None and water.state in domain.REPORTABLE:
        domain.start_report(actor=users["capnuoc.canbo"], registration=water)
    return True


def _pdf(text: str) -> bytes:
    """A one-page PDF (demo evidence)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)

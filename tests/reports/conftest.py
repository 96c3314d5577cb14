import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from sangtao.registrations import domain as rdomain
from sangtao.reports import domain
from tests.registrations.conftest import campaign, draft, users  # noqa: F401  (fixtures)

D = dt.date


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def accepted(campaign, demo, users):
    """Cấp nước's collective model, accepted by the bloc (ĐUK)."""
    reg = draft(campaign, demo["DUK-CTN"], users["capnuoc.canbo"])
    reg = rdomain.submit(actor=users["capnuoc.canbo"], registration=reg, now=dt.datetime(2023, 3, 1, tzinfo=dt.UTC))
    return rdomain.accept(actor=users["duk.canbo"], registration=reg)


GOOD_SECTIONS = {
    "done": "Ban hành Nghị quyết số 12-NQ/ĐU ngày 05/4/2023 về số hóa hóa đơn; thành lập tổ triển khai; tập huấn 45 nhân viên thu ngân.",
    "novelty": "Lần đầu toàn bộ khách hàng nhận hóa đơn điện tử; 52.000 hộ được hưởng lợi; Điện lực Đà Lạt học tập áp dụng.",
    "reviews": "Sơ kết 6 tháng ngày 15/7/2023; nhân rộng sang Xí nghiệp cấp nước Bảo Lộc.",
}


def fill(report, actor, achieved=Decimal(85)):
    results = {
        r.indicator_id: {"achieved": achieved, "note": "Số liệu phần mềm hóa đơn."} for r in report.results.all()
    }
    return domain.save_draft(actor=actor, report=report, sections=GOOD_SECTIONS, results=results)


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

import datetime as dt

import pytest

from sangtao.campaigns import domain
from tests.coverage.test_coverage import example  # noqa: F401 — fixture: the coverage worked example
from tests.registrations.conftest import campaign, draft, users  # noqa: F401 — fixtures of that example

D = dt.date


@pytest.fixture
def letter_campaign(demo):
    """The 2023 campaign of the source letters (436-CV/ĐUK, 1240-CV/BTCTU)."""
    return domain.open_campaign(
        actor=None,
        root=demo["LD"],
        code="DK-2023",
        name="Đăng ký mô hình mới, cách làm sáng tạo năm 2023",
        year=2023,
        legal_bases="Nghị quyết số 22-NQ/TU, ngày 07/12/2022 của Tỉnh ủy Lâm Đồng về phát triển kinh tế-xã hội năm 2023\n"
        "Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy về thẩm định mô hình mới, cách làm sáng tạo",
        guidance="Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy về thẩm định mô hình mới, cách làm sáng tạo",
        theme="Năm nâng cao chất lượng, hiệu quả thực hiện nhiệm vụ chính trị",
        registration_deadline=D(2023, 3, 24),
        results_deadline=D(2023, 11, 30),
    )


@pytest.fixture
def letters(letter_campaign, demo):
    """The cascade down one branch, as in the sources: the board's letter (1240-CV/BTCTU), the bloc's (436-CV/ĐUK),
    a grassroots committee's, a cell's; and the Văn phòng's draft."""
    out = {}
    for code, day in (
        ("LD", D(2023, 2, 23)),
        ("LD-DUK", D(2023, 2, 24)),
        ("DUK-CTN", D(2023, 2, 27)),
        ("CTN-KT", D(2023, 3, 1)),
    ):
        doc = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo[code])
        out[code] = domain.issue_document(actor=None, document=doc, on=day)
    out["LD-VP"] = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD-VP"])
    return out

"""Shared by the campaign tests (and the signature tests): a campaign of the demo province, opened with the values
a test does not care about; each test file names only what it does care about."""

import datetime as dt

from sangtao.campaigns import domain

D = dt.date
DEFAULTS = {
    "code": "DK-2023",
    "name": "Đăng ký mô hình mới, cách làm sáng tạo năm 2023",
    "year": 2023,
    "legal_bases": "Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị",
    "guidance": "Hướng dẫn 09-HD/BTCTU",
    "registration_deadline": D(2023, 3, 24),
    "results_deadline": D(2023, 11, 30),
}
YEAR_2030 = {
    "code": "DK-2030",
    "name": "Đăng ký năm 2030",
    "year": 2030,
    "registration_deadline": D(2030, 3, 24),
    "results_deadline": D(2030, 11, 30),
}


def open_test_campaign(root, **values):
    """`domain.open_campaign` at `root` by no one in particular, DEFAULTS overridden by `values`."""
    return domain.open_campaign(actor=None, root=root, **{**DEFAULTS, **values})

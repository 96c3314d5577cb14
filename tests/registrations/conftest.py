import datetime as dt
from decimal import Decimal

import pytest

from sangtao.campaigns import domain as cdomain
from sangtao.registrations import domain
from tests.support import open_campaign, users_by_name

D = dt.date


@pytest.fixture
def campaign(demo):
    c = open_campaign(2023, root=demo["LD"])
    cdomain.cascade(actor=None, campaign=c, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    return c


@pytest.fixture
def users(demo):
    return users_by_name()


INDICATORS = [{"name": "Tỷ lệ hóa đơn điện tử", "unit": "%", "baseline": Decimal(40), "target": Decimal(90)}]


def draft(campaign, org, actor, title="Số hóa quy trình cấp nước cho khách hàng", person=None, **extra):
    values = {
        "title": title,
        "content_areas": ["leadership", "product"],
        "fields": ["cai_cach_chuyen_doi_so"],
        "novelty": "Lần đầu áp dụng hóa đơn điện tử và ứng dụng di động cho khách hàng cấp nước.",
        "method": "Phòng Kỹ thuật xây dựng ứng dụng; tập huấn cho nhân viên thu ngân.",
        "starts_on": D(2023, 4, 1),
        "ends_on": D(2023, 10, 31),
        "theme_link": "Chủ đề năm 2023",
    }
    values.update(extra)
    return domain.save_draft(
        actor=actor, campaign=campaign, subject_org=org, person=person, indicators=INDICATORS, **values
    )


def sent(campaign, org, actor, title="Số hóa quy trình cấp nước cho khách hàng", person=None, now=None, **extra):
    """A `draft` sent (at `now`, by default now) by the one who wrote it."""
    reg = draft(campaign, org, actor, title=title, person=person, **extra)
    return domain.submit(actor=actor, registration=reg, now=now)

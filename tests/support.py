"""Plain helpers the test modules share (fixtures stay in the conftest files): the campaign a test opens, an
organization it adds, the demo's users by name, a registration taken as far as a test needs it, the queries a page
runs.

They need the database (a test with `db`, `demo` or `demo_live`) and the demo tree loaded (`demo`)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Document
from sangtao.coverage.models import UpwardReport
from sangtao.orgs import domain as odomain
from sangtao.orgs.models import Organization, OrgKind
from sangtao.registrations import domain as rdomain


def open_campaign(year=2023, *, root=None, **fields):
    """A campaign opened at the province (LD, or `root`) for `year`: code DK-<year>, registrations due 24/03 and
    results 30/11 of that year, the usual legal basis and guidance. Keyword arguments override any of them or add
    the rest of `campaigns.domain.open_campaign`'s (theme, tree_date, late_policy…)."""
    values = {
        "code": f"DK-{year}",
        "name": f"Đăng ký năm {year}",
        "legal_bases": "Kết luận số 14-KL/TW",
        "guidance": "Hướng dẫn 09-HD/BTCTU",
        "registration_deadline": dt.date(year, 3, 24),
        "results_deadline": dt.date(year, 11, 30),
        **fields,
    }
    return cdomain.open_campaign(actor=None, root=root or Organization.objects.get(code="LD"), year=year, **values)


def new_org(parent, code, name, kind, valid_from=dt.date(2020, 1, 1), **extra):
    """An organization under `parent` (None: a root) of the kind coded `kind` (tinh, chi_bo, …), by nobody in
    particular; `extra`: the rest of `orgs.domain.create_org`'s (in_village, …)."""
    kind = OrgKind.objects.get(code=kind)
    return odomain.create_org(
        actor=None, parent=parent, code=code, name=name, kind=kind, valid_from=valid_from, **extra
    )


def users_by_name():
    """Every user, by username (the demo's accounts and those the test made)."""
    return {u.username: u for u in get_user_model().objects.all()}


def register(
    campaign, org, actor, title, *, person=None, submitted=False, accepted_by=None, returned_by=None, **fields
):
    """A registration of `org` (or of `person` in it) written by `actor`, with short filler texts that keyword
    arguments override (content_areas, fields, novelty, method, indicators, …).

    `submitted`: False leaves it a draft; True sends it now; a datetime sends it then. Once sent it is accepted by
    `accepted_by`, or returned by `returned_by` for more indicators, when given."""
    values = {
        "content_areas": ["product"],
        "fields": ["kinh_te"],
        "novelty": "Điểm mới",
        "method": "Cách làm",
        "indicators": [{"name": "Chỉ tiêu", "unit": "%", "target": Decimal(90)}],
        **fields,
    }
    reg = rdomain.save_draft(actor=actor, campaign=campaign, subject_org=org, person=person, title=title, **values)
    if submitted is False:
        return reg
    reg = rdomain.submit(actor=actor, registration=reg, now=None if submitted is True else submitted)
    if returned_by:
        return rdomain.return_(actor=returned_by, registration=reg, reason="Bổ sung chỉ tiêu")
    if accepted_by:
        return rdomain.accept(actor=accepted_by, registration=reg)
    return reg


def counted_get(client, url):
    """GET `url` with `client`, which must answer 200: how many queries it ran, and the response (N+1 tests)."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.status_code
    return len(ctx.captured_queries), r


def send_upward_report(client, campaign, org, signer="Trương Văn Hải"):
    """The level's clerk (`client`) sends its BC over HTTP: “Lập dự thảo báo cáo tổng hợp”, the signer written in,
    then “Xác nhận và gửi báo cáo lên cấp trên”, confirmed. Returns the UpwardReport recorded."""
    client.post(reverse("coverage:upward_draft", kwargs={"code": campaign.code, "org_pk": org.pk}))
    doc = Document.objects.get(purpose=Document.Purpose.UPWARD_REPORT, status=Document.Status.DRAFT, issuer=org)
    Document.objects.filter(pk=doc.pk).update(signer_name=signer)
    r = client.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk}), {"xac_nhan": "1"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return UpwardReport.objects.get(document=doc)

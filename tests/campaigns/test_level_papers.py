"""The level page lists the papers the level issued — its letters, guidance, reports, notices, and the council's
biên bản (of one model or of a whole session) and phiếu chấm, which only some readers may see before the results
are published (rules P11, D12). However many there are, the page runs the same number of queries; and each
reader is listed exactly the papers `papers.may_read` lets him read one by one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sangtao.appraisals import domain as adomain
from sangtao.appraisals import papers as apapers
from sangtao.campaigns import domain, papers
from sangtao.campaigns.models import Document
from sangtao.orgs.models import Person, Role, RoleAssignment
from tests.appraisals.conftest import accepted, appraise_alone, campaign, users  # noqa: F401 — helpers, fixtures
from tests.conftest import make_user
from tests.support import counted_get

pytestmark = pytest.mark.django_db
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}
OTHER_KINDS = (Document.Kind.HD, Document.Kind.BC, Document.Kind.TB)


def _appraisal(campaign, demo, users, title, *, unit="DUK-CTN", person=None):
    """A model appraised at the bloc (LD-DUK) by its appraiser alone, signed off: of the water company (written by
    its officer), of the power company (written by the bloc's officer), or of Nguyễn Văn An himself."""
    writer = users["nguyenvanan" if person else "capnuoc.canbo" if unit == "DUK-CTN" else "duk.canbo"]
    receiver = users["btctu.quantri" if unit == "DUK-DL" else "duk.canbo"]
    reg = accepted(campaign, demo[unit], writer, receiver, title, person=person)
    ap = appraise_alone(reg, users["duk.thamdinh"], MARKS)
    assert ap.appraising_org_id == demo["LD-DUK"].pk
    return ap


def _council_papers(campaign, demo, office, aps, *, issue=True) -> list[Document]:
    """Each appraisal's biên bản and phiếu chấm, and the biên bản of a session over all of them."""
    docs = []
    for ap in aps:
        docs.append(apapers.draft_minutes(actor=office, appraisal=ap))
        docs.append(apapers.draft_score_sheet(actor=office, sheet=ap.sheets.get()))
    day = timezone.localdate()
    docs.append(
        apapers.draft_session_minutes(actor=office, campaign=campaign, org=demo["LD-DUK"], appraisals=aps, day=day)
    )
    return [domain.issue_document(actor=None, document=_secretary_written(d)) for d in docs] if issue else docs


def _secretary_written(doc: Document) -> Document:
    """A council of one leaves its biên bản's secretary “…”; the office writes the name in before issuing (D21)."""
    if doc.kind == Document.Kind.BB:
        doc.copies_to = apapers.secretary_block("Nguyễn Thị Lan")
        doc.body = doc.body.replace("Thư ký: đồng chí ….", "Thư ký: đồng chí Nguyễn Thị Lan.")
        doc.save(update_fields=["copies_to", "body"])
    return doc


def _round(campaign, demo, users, i: int) -> None:
    """One paper of each kind issued by the bloc: a letter, a guidance, a report, a notice, and a model's biên
    bản, phiếu chấm and session biên bản."""
    org = demo["LD-DUK"]
    letter = domain.draft_cascade_letter(actor=None, campaign=campaign, org=org)
    domain.issue_document(actor=None, document=letter)
    for kind in OTHER_KINDS:
        doc = papers.draft_paper(
            actor=None,
            campaign=campaign,
            org=org,
            kind=kind,
            source=f"results:{campaign.pk}:{org.pk}:{kind}{i}",
            subject=f"Giấy tờ số {i}",
            body="Nội dung.",
        )
        domain.issue_document(actor=None, document=doc)
    ap = _appraisal(campaign, demo, users, f"Mô hình số {i}")
    _council_papers(campaign, demo, users["duk.canbo"], [ap])


def listed(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/van-ban/(\d+)/"', html)}


READERS = ("duk.canbo", "duk.thamdinh", "tinhuy.lanhdao", "btctu.quantri")  # officer, appraiser, readers above


def test_level_page_lists_papers_in_the_same_queries_for_one_or_five(campaign, demo, users, login):
    url = f"/dot/{campaign.code}/cap/{demo['LD-DUK'].pk}/"
    _round(campaign, demo, users, 0)
    clients = {name: login(name) for name in READERS}
    few = {}
    for name, client in clients.items():
        counted_get(client, url)
        count, r = counted_get(client, url)
        few[name] = (count, listed(r.content.decode()))
    for i in range(1, 5):
        _round(campaign, demo, users, i)
    for name, client in clients.items():
        count, r = counted_get(client, url)
        shown = listed(r.content.decode())
        assert len(shown) == 5 * len(few[name][1]) >= 5 * 4, (name, few[name][1], shown)  # each kind, five times
        assert count == few[name][0], (name, few[name][0], count)


@pytest.fixture
def tricky(campaign, demo, users):
    """The bloc's papers over results in every state: models of the water company, of the power company and of
    Nguyễn Văn An, one of each published and one of each waiting, each with its biên bản and phiếu chấm, a session
    over the published ones, one over the waiting ones, one over a published and a waiting; a draft of each;
    and the readers who see different sets of them."""
    an = Person.objects.get(code="DV-0020")
    published = [
        _appraisal(campaign, demo, users, "Hóa đơn điện tử"),
        _appraisal(campaign, demo, users, "Bản đồ số lưới điện", unit="DUK-DL"),
        _appraisal(campaign, demo, users, "Đối thoại hằng tháng", person=an),
    ]
    adomain.publish(actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"])
    waiting = [
        _appraisal(campaign, demo, users, "Ghi chỉ số nước từ xa"),
        _appraisal(campaign, demo, users, "Sửa chữa lưới điện không cắt điện", unit="DUK-DL"),
        _appraisal(campaign, demo, users, "Tiếp công dân trực tuyến", person=an),
    ]
    office = users["duk.canbo"]
    for ap in published + waiting:
        _council_papers(campaign, demo, office, [ap])
    _council_papers(campaign, demo, office, published)
    _council_papers(campaign, demo, office, waiting)
    _council_papers(campaign, demo, office, [published[1], waiting[1]])
    # drafts (listed only to the level's officers) over a published and a waiting model
    _council_papers(campaign, demo, office, [published[0], waiting[2]], issue=False)
    letter = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    domain.issue_document(actor=None, document=letter)
    two_roles = make_user("ctn.kiemnhiem", Role.OFFICER, demo["DUK-CTN"])  # the water company's officer …
    RoleAssignment.objects.create(user=two_roles, org=demo["LD-DUK"], role=Role.OFFICER)  # … and the bloc's
    make_user("dienluc.canbo", Role.OFFICER, demo["DUK-DL"])  # the power company's: a sibling of the water company
    make_user("duk.xem", Role.VIEWER, demo["LD-DUK"])  # a reader of the bloc
    return {"published": published, "waiting": waiting}


TRICKY = [
    "nguyenvanan",  # an individual cadre, appraised himself
    "duk.thamdinh",  # the appraiser of the bloc
    "ctn.kiemnhiem",  # two roles: the bloc's officer and the appraised water company's
    "dienluc.canbo",  # an officer of a sibling unit
    "capnuoc.canbo",  # the officer of the appraised unit
    "duk.canbo",  # the bloc's officer
    "duk.xem",  # a reader of the bloc
    "tinhuy.lanhdao",  # a reader of the province
    "lacduong.canbo",  # an officer of a sibling level
]


def test_each_reader_is_listed_what_may_read_lets_him_read(tricky, campaign, demo, login):
    User = get_user_model()
    org = demo["LD-DUK"]
    docs = list(Document.objects.filter(campaign=campaign, issuer=org).order_by("pk"))
    assert {d.kind for d in docs} == {"CV", "BB", "PCĐ"} and len(docs) > 30
    council = {d.pk for d in docs if d.source.startswith("appraisal")}
    seen = {}
    for username in TRICKY:
        one_by_one = [d for d in docs if papers.may_read(User.objects.get(username=username), d)]
        user = User.objects.get(username=username)  # a fresh one: nothing cached from the calls one by one
        assert papers.readable(user, docs) == one_by_one, username
        seen[username] = {d.pk for d in one_by_one} & council
        r = login(username).get(f"/dot/{campaign.code}/cap/{org.pk}/")
        if r.status_code != 200:  # the level is not his to read (an individual, a unit below, a sibling level)
            assert r.status_code in (403, 404) and not user.has_perm("campaigns.read_level", org), username
            continue
        drafts_too = user.has_perm("campaigns.act_for", org)
        expected = {d.pk for d in one_by_one if drafts_too or d.status == Document.Status.ISSUED}
        assert listed(r.content.decode()) == expected, username
    # the readers do differ where rules P11 says they do
    assert seen["duk.canbo"] == seen["duk.thamdinh"] == seen["tinhuy.lanhdao"] == council
    assert set() < seen["ctn.kiemnhiem"] < council  # not his own unit's waiting results
    assert set() < seen["nguyenvanan"] < seen["capnuoc.canbo"] < seen["ctn.kiemnhiem"]
    assert not seen["dienluc.canbo"] & seen["nguyenvanan"]  # the sibling unit reads nothing of the water company's
    assert seen["dienluc.canbo"] and not seen["lacduong.canbo"]

"""The chair of a council signs the biên bản of its whole session (rules D11, D18): he reaches it from the pages he
works on — the appraisal queue and the appraisal he chaired — and reads it there, draft or issued, in full; the
office alone draws and edits it, and nobody reads one holding a result he may not see yet (D12, D20). The PDF
keeps page 1 filled: the body and the table's first rows start there, and only the closing sentence goes with
the two signatures (D3)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from sangtao.appraisals import domain as adomain
from sangtao.appraisals import papers as apapers
from sangtao.campaigns import domain as cdomain
from sangtao.campaigns.models import Document
from sangtao.documents import render
from sangtao.orgs.models import Role, RoleAssignment
from tests.appraisals.conftest import accepted, campaign, score, second_appraiser, users  # noqa: F401 — fixtures
from tests.documents import office
from tests.support import counted_get

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) missing")
MARKS = {"TC1": "2", "TC2": "3", "TC3": "1,5", "TC4": "1"}


def _signed_off(campaign, demo, users, members, title, unit="DUK-CTN"):
    """A model of `unit` appraised at the bloc by `members` (the first chairs), signed off."""
    writer, receiver = (
        (users["capnuoc.canbo"], users["duk.canbo"])
        if unit == "DUK-CTN"
        else (users["duk.canbo"], users["btctu.quantri"])
    )
    reg = accepted(campaign, demo[unit], writer, receiver, title)
    ap = adomain.open_appraisal(actor=members[0], registration=reg, members=members, chair=members[0])
    for member in members:
        score(ap, member, MARKS)
    return adomain.sign_off(actor=members[0], appraisal=ap)


def _text(response, folder, name) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = office.pages(office.save_pdf(response.content, folder, name))
    return " ".join(" ".join(pages).replace("\u00a0", " ").split())


@needs_poppler
def test_the_chair_reaches_and_reads_the_session_minutes_he_signs(
    campaign, demo, users, login, tmp_path, second_appraiser
):
    chair = users["duk.thamdinh"]
    ap = _signed_off(campaign, demo, users, [chair, second_appraiser], "Hóa đơn điện tử")
    url = f"/dot/{campaign.code}/tham-dinh/{demo['LD-DUK'].pk}/bien-ban-phien-hop/"
    data = {"day": f"{timezone.localdate():%d/%m/%Y}", "appraisals": [ap.pk]}
    assert login("duk.canbo").post(url, data).status_code == 302  # the office draws it
    doc = Document.objects.get(kind="BB")

    client = login("duk.thamdinh")
    assert f'href="{url}"' in client.get(f"/dot/{campaign.code}/tham-dinh/").content.decode()  # his queue
    assert f'href="{url}"' in client.get(f"/tham-dinh/{ap.pk}/").content.decode()  # the appraisal he chaired
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and doc.subject in html and "“Hóa đơn điện tử”" in html
    assert "Lập biên bản phiên họp" not in html and 'name="appraisals"' not in html  # the office's form, not his
    assert (
        f'href="?pdf={doc.pk}"' in html and f'href="/van-ban/{doc.pk}/"' not in html
    )  # a draft: the editor is the office's
    text = _text(client.get(f"{url}?pdf={doc.pk}"), tmp_path, "draft")
    for seen in ("DỰ THẢO", "BIÊN BẢN", "Hóa đơn điện tử", "III. KẾT LUẬN", "CHỦ TRÌ", doc.signer_name, "THƯ KÝ"):
        assert seen in text, seen
    assert client.post(url, data).status_code == 403  # reading, never drawing
    assert client.get(f"{url}?pdf=0").status_code == 404

    member = login("duk.thamdinh2")  # on the council, not its chair: nothing to sign
    html = member.get(url).content.decode()
    assert "Chưa có biên bản phiên họp nào do đồng chí chủ trì." in html and doc.subject not in html
    assert member.get(f"{url}?pdf={doc.pk}").status_code == 404
    assert f'href="{url}"' not in member.get(f"/tham-dinh/{ap.pk}/").content.decode()
    assert login("capnuoc.canbo").get(url).status_code == 404  # the appraised unit does not read the level
    RoleAssignment.objects.create(user=second_appraiser, org=demo["LD-DUK"], role=Role.OFFICER)
    queue = login("duk.thamdinh2").get(f"/dot/{campaign.code}/tham-dinh/").content.decode()
    assert queue.count(f'href="{url}"') == 1  # of the office and of the council: one link to the level's minutes

    doc = cdomain.issue_document(actor=None, document=doc)
    html = client.get(url).content.decode()
    assert doc.reference in html and f'href="/van-ban/{doc.pk}/"' in html
    assert client.get(f"/van-ban/{doc.pk}/").status_code == 200
    assert "DỰ THẢO" not in _text(client.get(f"{url}?pdf={doc.pk}"), tmp_path, "issued")

    # Before publication a chair who is also of the appraised unit reads nothing of it (rules P11, D12).
    RoleAssignment.objects.create(user=chair, org=demo["DUK-CTN"], role=Role.OFFICER)
    client = login("duk.thamdinh")
    assert doc.subject not in client.get(url).content.decode()
    assert client.get(f"{url}?pdf={doc.pk}").status_code == 404


def test_the_chairs_list_costs_the_same_for_one_or_four_sessions(campaign, demo, users, login, second_appraiser):
    chair, org = users["duk.thamdinh"], demo["LD-DUK"]
    url = f"/dot/{campaign.code}/tham-dinh/{org.pk}/bien-ban-phien-hop/"
    client = login("duk.thamdinh")

    def session(i):
        ap = _signed_off(
            campaign, demo, users, [chair, second_appraiser], f"Mô hình {i}", unit=("DUK-CTN", "DUK-DL")[i % 2]
        )
        day = timezone.localdate() - dt.timedelta(days=i)
        return apapers.draft_session_minutes(
            actor=users["duk.canbo"], campaign=campaign, org=org, appraisals=[ap], day=day
        )

    session(0)
    one, _r = counted_get(client, url)
    for i in range(1, 4):
        session(i)
    four, r = counted_get(client, url)
    assert r.content.decode().count("?pdf=") == 4
    assert four == one


@needs_poppler
@pytest.mark.parametrize("models", [1, 2, 5])
def test_page_one_holds_the_body_and_the_tables_first_rows(campaign, demo, users, tmp_path, second_appraiser, models):
    chair = users["duk.thamdinh"]
    aps = [
        _signed_off(
            campaign, demo, users, [chair, second_appraiser], f"Mô hình số {i}", unit=("DUK-CTN", "DUK-DL")[i % 2]
        )
        for i in range(1, models + 1)
    ]
    doc = apapers.draft_session_minutes(
        actor=users["duk.canbo"], campaign=campaign, org=demo["LD-DUK"], appraisals=aps, day=timezone.localdate()
    )
    pages = [
        " ".join(p.replace("\u00a0", " ").split())
        for p in office.pages(office.save_pdf(render.pdf_bytes(doc), tmp_path, f"phien-{models}"))
    ]
    first = pages[0]
    for seen in (
        "Thời gian: ngày",
        "I. THÀNH PHẦN",
        "II. NỘI DUNG",
        "Kết quả thẩm định từng mô hình",
        "Mô hình, chủ thể",
    ):
        assert seen in first, seen
    assert "“Mô hình số 1”" in first  # the table starts on page 1, with its first row
    closing = apapers.MINUTES_END.split(",")[0]  # “Biên bản kết thúc cùng ngày”
    holding = [p for p in pages if closing in p]
    assert len(holding) == 1 and "CHỦ TRÌ" in holding[0] and "THƯ KÝ" in holding[0]  # the signatures keep company

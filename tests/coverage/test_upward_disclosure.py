"""The upward report (BC) says only what its sending level's office may see (docs/rules.md V12, P11, D17).

The colleague's finding: Đảng ủy Công ty Cấp thoát nước (DUK-CTN) is itself appraised by the bloc (LD-DUK) — its
collective model 7,5 Khá, its secretary Nguyễn Văn An (DV-0020) 6 Đạt — signed, not yet published. The coverage
page hides the rated column from DUK-CTN's officer (“Chưa công bố”), but the BC she drafted and sent said “Số chủ
thể xếp loại đạt trở lên: 2 … Khá: 1; Đạt: 1”, its annex “7,5 điểm, Khá”, and the sent report's table showed the
counts: the appraised read their own result before publication.

Here, on the coverage worked example (tests/coverage/test_coverage.py) plus a model of Chi bộ Phòng Kỹ thuật
(CTN-KT) that DUK-CTN appraised itself (8 Tốt, signed, unpublished): the draft as the officer reads it in the
editor, the issued BC's .docx and PDF, and the sent report's page carry no class or score of DUK-CTN's own
subjects and say “chưa công bố” where the page does; what DUK-CTN appraised itself is counted. After the bloc
publishes, a new draft counts everything. The bloc's own report counts what it appraised (it may see it)."""

import html
import re
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document as Docx

from sangtao.appraisals import domain as adomain
from sangtao.campaigns.models import Document
from sangtao.coverage.models import UpwardReport
from sangtao.orgs.models import Role
from sangtao.registrations import domain as rdomain
from sangtao.registrations.models import Registration
from tests.appraisals.conftest import appraise_alone
from tests.conftest import make_user
from tests.coverage.test_coverage import at, example, reg  # noqa: F401  (fixture)
from tests.documents import office
from tests.documents.test_party_format import flat

pytestmark = pytest.mark.django_db

CTN_KT = "Chi bộ Phòng Kỹ thuật"
DRAWING = "Bản vẽ mạng lưới số"  # CTN-KT's model, appraised by DUK-CTN itself: 8 Tốt
HIDDEN = ("7,5", "Khá", "6 điểm", "Đạt: 1")  # DUK-CTN's own results (7,5 Khá; its secretary 6 Đạt), unpublished


@pytest.fixture
def below(example, demo, users):
    """The worked example, and CTN-KT's model received and appraised by DUK-CTN (8 Tốt, signed, unpublished)."""
    writer = make_user("kythuat.canbo", Role.OFFICER, demo["CTN-KT"])
    appraiser = make_user("capnuoc.thamdinh", Role.APPRAISER, demo["DUK-CTN"])
    m = reg(example, demo["CTN-KT"], writer, DRAWING, at(9, 3), receiver=users["capnuoc.canbo"])
    appraise_alone(m, appraiser, {"TC1": "2", "TC2": "3,5", "TC3": "1,5", "TC4": "1"})
    return example


def _words(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _draft(client, campaign, org) -> tuple[Document, str]:
    """“Lập dự thảo báo cáo tổng hợp”: the draft, and the editor's page as the officer reads it (body and annex)."""
    r = client.post(reverse("coverage:upward_draft", kwargs={"code": campaign.code, "org_pk": org.pk}))
    assert r.status_code == 302
    doc = Document.objects.get(purpose=Document.Purpose.UPWARD_REPORT, status=Document.Status.DRAFT, issuer=org)
    page = client.get(reverse("campaigns:document", kwargs={"pk": doc.pk}))
    assert page.status_code == 200
    return doc, _words(page.content.decode())


def _confirm_page(client, doc) -> str:
    """“Xác nhận và gửi báo cáo lên cấp trên”, before confirming: what goes out and what changed since the draft."""
    Document.objects.filter(pk=doc.pk).update(signer_name="Trần Thị Bích")
    r = client.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk}), {"xac_nhan": "0"})
    assert r.status_code == 200 and "Gửi báo cáo" in r.content.decode()
    return _words(r.content.decode())


def _send(client, doc) -> UpwardReport:
    Document.objects.filter(pk=doc.pk).update(signer_name="Trần Thị Bích")
    r = client.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk}), {"xac_nhan": "1"})
    assert r.status_code == 302, r.content.decode()[:2000]
    return UpwardReport.objects.get(document=doc)


def _docx(client, rep) -> tuple[str, dict]:
    """The issued BC's Word file: its text, and its annex's result column by model."""
    r = client.get(reverse("campaigns:document_docx", kwargs={"pk": rep.document_id}))
    assert r.status_code == 200
    docx = Docx(BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    text = " ".join(p.text.strip() for p in docx.paragraphs)
    annex = {row.cells[2].text.strip(): row.cells[4].text.strip() for row in docx.tables[-1].rows[1:]}
    return text, annex


def _pdf(client, rep, tmp_path) -> str:
    r = client.get(reverse("campaigns:document_pdf", kwargs={"pk": rep.document_id}))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    data = b"".join(r.streaming_content) if r.streaming else r.content
    return flat(office.save_pdf(data, tmp_path, f"bc-{rep.pk}"))


def _report_page(client, rep) -> tuple[str, dict]:
    """The sent report's page: its words, and its table's “Đạt trở lên” column by row (the total as “Tổng cộng”)."""
    r = client.get(reverse("coverage:upward", kwargs={"pk": rep.pk}))
    assert r.status_code == 200
    markup = r.content.decode()
    table = markup[markup.index('<table class="compact">') : markup.index("</table>")]
    rated = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)[1:]:
        cells = [_words(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
        rated[re.sub(r" \(bản thân.*$", "", cells[0])] = cells[-1]
    return _words(markup), rated


def _rated(text: str) -> tuple[str, dict]:
    """Section II of a BC's text: the subjects rated “đạt” or above, and the count of each class."""
    line = re.search(r"Số chủ thể xếp loại đạt trở lên: ([^.]*\)\.[^.]*)\.", text).group(1)
    rated, _, classes = line.partition(". ")
    return rated.split(" (")[0], dict(re.findall(r"([^:;]+): (\d+)", classes.replace("; ", ";")))


def _hides_the_level_s_own_results(text: str) -> None:
    for figure in HIDDEN:
        assert figure not in text, figure


def test_the_report_of_an_appraised_level_leaves_out_its_unpublished_results(below, demo, login, tmp_path):
    org, clerk = demo["DUK-CTN"], login("capnuoc.canbo")
    page = _words(clerk.get(reverse("coverage:page", kwargs={"code": below.code, "org_pk": org.pk})).content.decode())
    assert "Chưa công bố" in page  # what the coverage page shows her

    doc, editor = _draft(clerk, below, org)
    _hides_the_level_s_own_results(editor)
    assert "Số chủ thể xếp loại đạt trở lên: chưa công bố" in editor
    assert f"{CTN_KT}: 2/3 chủ thể đăng ký (66,7%), muộn 0, chưa đăng ký 1; đạt trở lên 1." in editor  # its own work
    assert "8 điểm, Tốt" in editor  # the annex: what DUK-CTN appraised itself
    assert "Có 1 chủ thể được đánh giá" not in editor and "Có 2 chủ thể được đánh giá" not in editor
    _hides_the_level_s_own_results(_confirm_page(clerk, doc))

    rep = _send(clerk, doc)
    text, annex = _docx(clerk, rep)
    _hides_the_level_s_own_results(text)
    assert "Số chủ thể xếp loại đạt trở lên: chưa công bố" in text
    assert annex["Hóa đơn điện tử"] == "Chưa công bố" and annex["Đối thoại công nhân"] == "Chưa công bố"
    assert annex["Giao ban trực tuyến"] == "Chưa thẩm định" and annex[DRAWING] == "8 điểm, Tốt"
    pdf = _pdf(clerk, rep, tmp_path)
    _hides_the_level_s_own_results(pdf)
    assert "8 điểm, Tốt" in pdf and "chưa công bố" in pdf

    words, rated = _report_page(clerk, rep)
    _hides_the_level_s_own_results(words)
    own = f"Chủ thể trực tiếp của {org.name}"
    assert rated[own] == "Chưa công bố" and rated["Tổng cộng"] == "Chưa công bố" and rated[CTN_KT] == "1"
    assert "Số liệu đã thay đổi sau khi gửi" not in words
    # The bloc receives what was sent (its own coverage page has the real figures).
    received_words, received = _report_page(login("duk.canbo"), rep)
    assert received == rated
    _hides_the_level_s_own_results(received_words)


def test_a_result_published_later_is_counted_by_a_new_draft_and_never_before(below, demo, users, login):
    org, clerk, bloc = demo["DUK-CTN"], login("capnuoc.canbo"), login("duk.canbo")
    doc, _editor = _draft(clerk, below, org)
    # Between the draft and the sending, the bloc appraises the secretary's second model: 8,5 Tốt, unpublished.
    second = Registration.objects.get(campaign=below, title="Giao ban trực tuyến")
    rdomain.accept(actor=users["duk.canbo"], registration=second)
    appraise_alone(second, users["duk.thamdinh"], {"TC1": "2", "TC2": "4,5", "TC3": "2"})
    confirm = _confirm_page(clerk, doc)
    assert "8,5" not in confirm  # what changed since the draft, as she may see it:
    assert "“Giao ban trực tuyến”: Muộn, Chưa thẩm định → Muộn, Chưa công bố" in confirm
    rep = _send(clerk, doc)
    for who in (clerk, bloc):  # the sender and the parent: nothing changed in what was sent
        words, _table = _report_page(who, rep)
        assert "8,5" not in words and "Số liệu đã thay đổi sau khi gửi" not in words

    adomain.publish(actor=users["duk.canbo"], campaign=below, org=demo["LD-DUK"])
    words, _table = _report_page(clerk, rep)
    assert "Số liệu đã thay đổi sau khi gửi" in words  # the report said “chưa công bố”; now published
    assert re.search(r"Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng: chưa công bố → 7,50? Khá", words)
    assert re.search(r"Nguyễn Văn An: chưa công bố → 8,50? Tốt", words)

    r = bloc.post(reverse("coverage:upward_decide", kwargs={"pk": rep.pk, "action": "return"}), {"reason": "Bổ sung"})
    assert r.status_code == 302
    _doc, editor = _draft(clerk, below, org)
    assert _rated(editor) == ("3", {"Tốt": "2", "Khá": "1"})
    assert "7,5 điểm, Khá" in editor and "8,5 điểm, Tốt" in editor and "Chưa công bố" not in editor


def test_the_bloc_counts_what_it_and_its_units_appraised(below, demo, login, tmp_path):
    """LD-DUK appraised DUK-CTN, its secretary and DUK-DL itself, DUK-CTN appraised CTN-KT — all unpublished, all
    the bloc's office may see: its report counts them, as its coverage page does."""
    org, clerk = demo["LD-DUK"], login("duk.canbo")
    doc, editor = _draft(clerk, below, org)
    assert _rated(editor) == ("3", {"Tốt": "1", "Khá": "1", "Đạt": "1", "Không đạt": "1"})
    assert "7,5 điểm, Khá" in editor and "8 điểm, Tốt" in editor and "Chưa công bố" not in editor
    rep = _send(clerk, doc)
    text, annex = _docx(clerk, rep)
    assert _rated(text) == _rated(editor) and annex["Hóa đơn điện tử"] == "7,5 điểm, Khá"
    _page_words, rated = _report_page(clerk, rep)
    assert rated["Tổng cộng"] == "3" and rated["Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng"] == "3"

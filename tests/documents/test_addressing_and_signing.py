"""Who a document is addressed to and who signs it, from the organizations' kinds (issue 17; SPEC §8a; HD 36-HD/VPTW;
docs/rules.md D5–D8), and the downloads' file names — through HTTP where a clerk meets them."""

import datetime as dt
from io import BytesIO
from urllib.parse import unquote

from docx import Document as Docx

from sangtao.campaigns import domain
from sangtao.documents import render
from tests.documents.drafts import bloc_report, editor_data

D = dt.date


def test_letters_are_addressed_to_the_committee_that_receives(letter_campaign, demo):
    root = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD"])
    assert "Ban Thường vụ Huyện ủy Lạc Dương" in root.salutation.splitlines()
    assert "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh" in root.salutation.splitlines()
    assert "Đảng bộ huyện Lạc Dương" not in root.salutation
    duk = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD-DUK"])
    lines = duk.salutation.splitlines()
    assert "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng" in lines  # a grassroots committee: “Đảng ủy …”
    assert "Chi bộ Công ty Cổ phần Dược Lâm Đồng" in lines
    assert not any(line.startswith("Ban Thường vụ Đảng ủy Công ty") for line in lines)
    assert domain.receiving_body(demo["LD-BTC"]) == "Ban Tổ chức Tỉnh ủy"


def test_signing_authority_follows_the_issuing_body(letter_campaign, demo):
    vp = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD-VP"])
    assert (vp.parent_name, vp.issuer_name, vp.symbol) == ("TỈNH ỦY LÂM ĐỒNG", "VĂN PHÒNG", "VPTU")
    assert vp.signature_lines == ["CHÁNH VĂN PHÒNG"]  # its head signs, not “T/M ĐẢNG ỦY / BÍ THƯ”
    grassroots = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["DUK-CTN"])
    assert grassroots.signature_lines == ["T/M ĐẢNG ỦY", "BÍ THƯ"] and grassroots.signer_name == "Nguyễn Văn An"
    assert "Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng đề nghị" in grassroots.body
    assert "Ban Thường vụ Đảng ủy Công ty" not in grassroots.body
    bloc = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD-DUK"])
    assert bloc.signature_lines == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    cell = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["CTN-KT"])
    assert cell.signature_lines == ["T/M CHI BỘ", "BÍ THƯ"] and cell.symbol == "CB"  # never the raw code “CTN-KT”
    assert cell.reference == "…-CV/CB"


def test_a_cell_with_a_chi_uy_is_addressed_and_signs_through_it(login, letter_campaign, demo):
    """A chi bộ of 9+ full members elects a chi ủy: letters to it go to “Chi ủy Chi bộ …”, and its own documents
    are signed “T/M CHI ỦY”; a chi bộ without one keeps “Chi bộ …” and “T/M CHI BỘ” (rules D5, D6)."""
    cell = demo["CTN-KT"]
    assert domain.receiving_body(cell) == cell.name
    client = login("btctu.quantri")
    form = client.get(f"/to-chuc/{cell.pk}/sua/")
    assert form.status_code == 200 and "Chi bộ có chi ủy" in form.content.decode()
    assert "Chi bộ có chi ủy</dt><dd>Không" in client.get(f"/to-chuc/{cell.pk}/").content.decode()
    cell.cell_committee = True
    cell.save()
    assert "Chi bộ có chi ủy</dt><dd>Có" in client.get(f"/to-chuc/{cell.pk}/").content.decode()
    assert domain.receiving_body(cell) == f"Chi ủy {cell.name}"
    letter = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=cell)
    assert letter.signature_lines == ["T/M CHI ỦY", "BÍ THƯ"]
    parent = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=cell.parent_org)
    assert f"Chi ủy {cell.name}" in parent.salutation.splitlines()


def test_a_deputy_signs_with_his_own_title(login, letter_campaign, demo):
    client = login("btctu.quantri")
    doc = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD"])
    data = editor_data(doc, signature="kt_truong_ban", signer_title="TRƯỞNG BAN", signer_name="Nguyễn Văn Phó")
    assert client.post(f"/van-ban/{doc.pk}/", data).status_code == 302
    doc.refresh_from_db()
    assert doc.signature_lines == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]
    texts = [
        p.text for p in Docx(BytesIO(client.get(f"/van-ban/{doc.pk}/docx/").getvalue())).tables[1].cell(0, 1).paragraphs
    ]
    assert "K/T TRƯỞNG BAN" in texts and "PHÓ TRƯỞNG BAN" in texts and "TRƯỞNG BAN" not in texts


def test_a_cascade_letter_cites_the_letter_it_carries_out(letters):
    assert letters["LD-DUK"].body.startswith(
        "- Thực hiện Công văn số 1-CV/BTCTU, ngày 23/02/2023 của Ban Tổ chức Tỉnh ủy về việc đăng ký mô hình mới"
    )
    assert letters["DUK-CTN"].body.startswith(
        "- Thực hiện Công văn số 1-CV/ĐUK, ngày 24/02/2023 của Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh"
    )
    assert letters["LD-DUK"].cites == letters["LD"]


def test_file_names_with_d_stroke_download_intact(login, letters):
    client = login("duk.canbo")
    doc = letters["LD-DUK"]
    for ext in ("docx", "pdf"):
        r = client.get(f"/van-ban/{doc.pk}/{ext}/")
        header = r["Content-Disposition"]
        header.encode("latin-1")  # a header the server can send at all
        assert header.startswith('attachment; filename="1-CV-DUK.') and "filename*=utf-8''" in header
        assert unquote(header.split("filename*=utf-8''")[1]) == f"1-CV-ĐUK.{ext}"
    draft = domain.draft_cascade_letter(actor=None, campaign=doc.campaign, org=doc.issuer)
    r = client.get(f"/van-ban/{draft.pk}/pdf/")
    assert unquote(r["Content-Disposition"].split("filename*=utf-8''")[1]) == "du-thao-CV-ĐUK.pdf"


def test_draft_docx_carries_the_mark_and_the_blank_number(login, letters):
    client = login("btctu.quantri")
    draft = letters["LD-VP"]
    texts = [p.text for p in Docx(BytesIO(client.get(f"/van-ban/{draft.pk}/docx/").getvalue())).paragraphs]
    assert "DỰ THẢO" in texts
    word = Docx(BytesIO(render.docx_bytes(draft)))
    head = [p.text for p in word.tables[0].cell(0, 0).paragraphs]
    assert any(t.startswith("Số ") and t.endswith("-CV/VPTU") and t.count("\u00a0") >= 4 for t in head), head
    issued = letters["LD"]
    assert "DỰ THẢO" not in [p.text for p in Docx(BytesIO(issued.docx_file.read())).paragraphs]
    page = client.get(f"/van-ban/{draft.pk}/").content.decode()
    assert "DỰ THẢO" in page


def test_page_numbers_live_in_the_header_from_page_2(letters):
    word = Docx(BytesIO(render.docx_bytes(letters["LD"])))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml


def test_upward_reports_are_bc_with_type_name_not_vv(letter_campaign, demo):
    doc = bloc_report(demo, subject="Kết quả", body="I. MỘT\nnội dung", copies_to="- Lưu.", signer_name="X")
    ctx = render.context(doc)
    assert ctx["type_name"] == "BÁO CÁO" and ctx["salutation"] == ["Kính gửi: Ban Tổ chức Tỉnh ủy"]

"""The upward report as a BÁO CÁO (issue 17; rules D4, D5, D17), drafted and edited in the document editor like
every paper: type name and trích yếu, addressed to the Ban Tổ chức Tỉnh ủy when the parent is the province, bold
headings, assessment sections prefilled from the figures and edited by the clerk, the danh sách đăng ký tổng hợp as annex; the missing-units section never names the reporting
committee itself nor prints "(đã nhắc 0 lần)". Rendered by LibreOffice and compared with the PDF."""

from django.urls import reverse

from sangtao.campaigns.models import Document
from sangtao.coverage import upward
from sangtao.coverage.models import UpwardReport
from sangtao.documents import render
from tests.documents import office
from tests.documents.drafts import editor_data
from tests.documents.test_party_format import both, flat


def test_the_bloc_drafts_edits_and_sends_a_bao_cao_through_http(example, demo, login, tmp_path):
    client = login("duk.canbo")
    page_url = reverse("coverage:page", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk})
    assert "Lập dự thảo báo cáo tổng hợp" in client.get(page_url).content.decode()
    r = client.post(reverse("coverage:upward_draft", kwargs={"code": example.code, "org_pk": demo["LD-DUK"].pk}))
    doc = Document.objects.get(purpose=Document.Purpose.UPWARD_REPORT)
    assert r["Location"] == f"/van-ban/{doc.pk}/"
    body = doc.body.splitlines()
    assert any(line.startswith("2. Hạn chế: Tỷ lệ đăng ký 24,1%, chưa đạt chỉ tiêu 90%") for line in body), [
        line for line in body if "Hạn chế" in line
    ]  # prefilled from the figures, editable in the editor
    # The clerk edits the assessment sections (and may edit anything else) in the editor, then previews the PDF.
    edited = [
        "1. Ưu điểm: Các đơn vị đăng ký nghiêm túc."
        if line.startswith("1. Ưu điểm:")
        else "Đề nghị tập huấn thêm."
        if line == body[-1]
        else line
        for line in body
    ]
    data = editor_data(doc, body="\n".join(edited), signer_name="Trương Văn Hải")
    assert client.post(f"/van-ban/{doc.pk}/", data).status_code == 302
    assert client.get(f"/van-ban/{doc.pk}/pdf/")["Content-Type"] == "application/pdf"
    assert client.post(f"/van-ban/{doc.pk}/ban-hanh/").status_code == 302  # not the generic button: its own step
    assert not UpwardReport.objects.exists()
    r = client.post(reverse("coverage:upward_confirm", kwargs={"pk": doc.pk}))
    rep = UpwardReport.objects.get(org=demo["LD-DUK"])
    assert r["Location"] == reverse("coverage:upward", kwargs={"pk": rep.pk})
    doc = rep.document
    assert doc.kind == "BC" and doc.salutation == "Ban Tổ chức Tỉnh ủy" and doc.number is not None
    assert doc.subject.startswith("Kết quả đăng ký, thẩm định mô hình mới")
    body = doc.body.splitlines()
    assert "1. Ưu điểm: Các đơn vị đăng ký nghiêm túc." in body and "Đề nghị tập huấn thêm." in body
    assert any(line.startswith("2. Hạn chế: Tỷ lệ đăng ký 24,1%, chưa đạt chỉ tiêu 90%") for line in body)
    headings = [p["text"] for p in render.context(doc)["paragraphs"] if p["heading"]]
    assert headings[:3] == ["I. KẾT QUẢ ĐĂNG KÝ", "II. KẾT QUẢ THẨM ĐỊNH", "III. KẾT QUẢ CỦA CÁC ĐƠN VỊ TRỰC THUỘC"]
    assert headings[-3:] == ["IV. ĐƠN VỊ CHƯA ĐĂNG KÝ", "V. ĐÁNH GIÁ CHUNG", "VI. ĐỀ XUẤT, KIẾN NGHỊ"]
    missing = body[body.index("IV. ĐƠN VỊ CHƯA ĐĂNG KÝ") + 1]
    assert "Đảng bộ Khối Doanh nghiệp tỉnh" not in missing and "đã nhắc 0 lần" not in missing
    titles = [row[2] for row in doc.annex["rows"]]
    assert "Hóa đơn điện tử" in titles and "Đối thoại công nhân" in titles
    assert "Sổ tay kỹ thuật số" in titles and "Rừng bền vững" not in titles  # submitted, not yet appraised; a draft
    assert any(
        row[1] == "Nguyễn Văn An (Đảng bộ Công ty TNHH MTV Cấp thoát nước Lâm Đồng)" for row in doc.annex["rows"]
    )
    assert any(row[4] == "7,5 điểm, Khá" for row in doc.annex["rows"]), doc.annex["rows"]
    assert doc.deliveries.get().recipient == demo["LD"]  # in the province's inbox

    docx_pdf, pdf = both(doc, tmp_path, "bc")
    assert office.page_count(docx_pdf) == office.page_count(pdf) >= 2
    for path in (docx_pdf, pdf):
        office.check_pages(path, doc.signer_name)
        text = flat(path)
        assert "BÁO CÁO Kết quả đăng ký, thẩm định" in text and "V/v" not in text
        assert "Kính gửi: Ban Tổ chức Tỉnh ủy" in text and "PHỤ LỤC" in text
        assert f"Số {doc.reference}" in text and "DỰ THẢO" not in text
    office.guide_png(pdf, tmp_path, "giay-to-bao-cao-tong-hop")


def test_below_the_province_the_report_goes_to_the_parents_committee(example, demo, users):

    draft = upward.draft_report(
        actor=users["capnuoc.canbo"], campaign=example, org=demo["DUK-CTN"], signer_name="Nguyễn Văn An"
    )
    rep = upward.submit(actor=users["capnuoc.canbo"], document=draft)
    assert rep.document.salutation == "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh"
    assert rep.document.signature_lines == ["T/M ĐẢNG ỦY", "BÍ THƯ"]

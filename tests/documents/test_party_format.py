"""Party documents as a committee office reads them (issue 17; Hướng dẫn 36-HD/VPTW, SPEC §8a, docs/rules.md D1–D9):
each .docx is opened by LibreOffice headless and compared with our PDF — page numbers from page 2, the signature
block never alone on the last page, the same number of pages, the same blocks in the same places."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from docx import Document as Docx

from sangtao.campaigns import domain
from sangtao.documents import render
from tests.documents import office
from tests.documents.drafts import bloc_report

D = dt.date
pytestmark = office.needs_office


def both(doc, folder, name):
    """(LibreOffice's PDF of our .docx, our PDF)."""
    return office.docx_to_pdf(render.docx_bytes(doc), folder, f"{name}-docx"), office.save_pdf(
        render.pdf_bytes(doc), folder, f"{name}-pdf"
    )


def flat(pdf) -> str:
    return re.sub(r"\s+", " ", " ".join(office.pages(pdf)).replace("\u00a0", " "))


@pytest.mark.parametrize("paragraphs", [3, 6, 9, 12, 15, 18, 21, 24])
def test_pages_numbered_from_2_signature_never_alone_docx_and_pdf_alike(letter_campaign, demo, tmp_path, paragraphs):
    """A body growing one block at a time: at every length the signature keeps company on its page, pages from 2
    carry their number, and Word's file (read by LibreOffice) has as many pages as the PDF."""
    doc = domain.draft_cascade_letter(actor=None, campaign=letter_campaign, org=demo["LD-DUK"])
    doc.body = "\n".join(
        f"{i}. Nội dung thứ {i} của công văn, đủ dài để chiếm hai dòng trên trang A4 khi trình bày "
        f"bằng chữ Times New Roman cỡ 14 theo thể thức văn bản của Đảng."
        for i in range(1, paragraphs + 1)
    )
    doc.save()
    docx_pdf, pdf = both(doc, tmp_path, f"len{paragraphs}")
    assert office.page_count(docx_pdf) == office.page_count(pdf)
    for path in (docx_pdf, pdf):
        office.check_pages(path, doc.signer_name)


def test_each_letter_of_the_cascade_renders_alike(letters, tmp_path):
    for code, doc in letters.items():
        docx_pdf, pdf = both(doc, tmp_path, code)
        assert office.page_count(docx_pdf) == office.page_count(pdf), code
        for path in (docx_pdf, pdf):
            office.check_pages(path, doc.signer_name)
            text = flat(path)
            assert "Kính gửi" in text and "Nơi nhận:" in text and doc.signer_name in text, code
        assert office.first_page_png(pdf, tmp_path / f"{code}-p1").stat().st_size > 10_000


def test_draft_is_marked_and_keeps_a_blank_for_the_number(letters, tmp_path):
    draft = letters["LD-VP"]
    docx_pdf, pdf = both(draft, tmp_path, "draft")
    for path in (docx_pdf, pdf):
        text = " ".join(office.pages(path)).replace("\u00a0", " ")
        assert "DỰ THẢO" in text
        assert re.search(r"Số {2,}-CV/VPTU", text), "the number is left blank to write by hand"
        assert "Số -CV" not in text
    issued = letters["LD-DUK"]
    for path in both(issued, tmp_path, "issued"):
        assert "DỰ THẢO" not in flat(path)


def test_the_issuing_bodys_name_never_leaves_one_word_alone(letters, tmp_path):
    for path in both(letters["LD-DUK"], tmp_path, "duk"):
        lines = [ln.strip() for ln in office.pages(path)[0].splitlines() if ln.strip()]
        header = [ln for ln in lines if "ĐẢNG ỦY KHỐI" in ln or "NGHIỆP" in ln]
        assert not any(ln.split()[0] == "TỈNH" and len(ln.split()) == 1 for ln in lines), header
        assert any(
            ln.replace("\u00a0", " ").startswith("NGHIỆP TỈNH") or "NGHIỆP TỈNH" in ln.replace("\u00a0", " ")
            for ln in lines
        ), header


def test_salutation_is_laid_out_the_same_in_both(letters, tmp_path):
    """“Kính gửi:” and its list start at the same distance from the left edge in the .docx and the PDF."""
    docx_pdf, pdf = both(letters["LD-DUK"], tmp_path, "kg")

    def indent(path):
        first = office.pages(path)[0].splitlines()
        line = next(ln for ln in first if ln.strip().startswith("Kính gửi"))
        item = next(ln for ln in first if ln.strip().startswith("- Đảng ủy Công ty TNHH MTV Cấp thoát nước"))
        return len(line) - len(line.lstrip()), len(item) - len(item.lstrip())

    (a, b), (c, d) = indent(docx_pdf), indent(pdf)
    assert abs(a - c) <= 2 and abs(b - d) <= 2 and a == b and c == d


def test_a_report_has_its_type_name_and_trich_yeu_bold_headings_and_an_annex(letter_campaign, demo, tmp_path):
    doc = bloc_report(
        demo,
        campaign=letter_campaign,
        annex={
            "title": "DANH SÁCH ĐĂNG KÝ MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM 2023",
            "subtitle": "(Kèm theo Báo cáo)",
            "columns": ["STT", "Chủ thể", "Tên mô hình", "Gửi", "Kết quả"],
            "rows": [[str(i), f"Đơn vị {i}", f"Mô hình {i}", "đúng hạn", "—"] for i in range(1, 60)],
        },
    )
    doc.save()
    ctx = render.context(doc)
    assert ctx["type_name"] == "BÁO CÁO" and [p["heading"] for p in ctx["paragraphs"]] == [True, False, True, False]
    docx_pdf, pdf = both(doc, tmp_path, "bc")
    assert office.page_count(docx_pdf) == office.page_count(pdf) >= 3
    for path in (docx_pdf, pdf):
        text = flat(path)
        assert "BÁO CÁO Kết quả đăng ký mô hình mới" in text and "V/v" not in text
        assert "PHỤ LỤC" in text and "Mô hình 59" in text
        pages = office.pages(path)
        for n, page in enumerate(pages[1:], start=2):
            assert next(ln.strip() for ln in page.splitlines() if ln.strip()) == str(n)

    word = Docx(BytesIO(render.docx_bytes(doc)))
    bold = {p.text for p in word.paragraphs if p.runs and all(r.bold for r in p.runs if r.text.strip())}
    assert {"I. KẾT QUẢ ĐĂNG KÝ", "II. ĐÁNH GIÁ CHUNG", "BÁO CÁO"} <= bold
    assert "Đã đăng ký 10/12 chủ thể." not in bold

"""The letter (công văn) each level issues: party document format checked block by block against
436-CV/ĐUK (../shared/spec/source/000_…txt), numbering per issuer/kind/year, delivery to the inbox."""

import datetime as dt
import subprocess
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document as Docx

from sangtao.campaigns import domain
from sangtao.campaigns.models import Document, IncomingDocument
from sangtao.documents import render
from tests.support import open_campaign

D = dt.date


@pytest.fixture
def campaign(demo):
    return open_campaign(
        2023,
        name="Đăng ký mô hình mới, cách làm sáng tạo năm 2023",
        legal_bases="Nghị quyết số 22-NQ/TU, ngày 07/12/2022 của Tỉnh ủy Lâm Đồng về phát triển kinh tế-xã hội năm 2023\n"
        "Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy về thẩm định mô hình mới, cách làm sáng tạo",
        guidance="Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022 của Ban Tổ chức Tỉnh ủy về thẩm định mô hình mới, cách làm sáng tạo",
    )


@pytest.fixture
def duk_letter(campaign, demo):
    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    return domain.issue_document(actor=None, document=doc, on=D(2023, 1, 14))


def docx_texts(data: bytes) -> list[str]:
    """Every non-empty paragraph in reading order: header table cells, body, footer table cells."""
    word = Docx(BytesIO(data))
    out = []
    body = word.element.body
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")).strip()
            if text:
                out.append(text.replace("\xa0", " "))
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    for p in cell.iter():
                        if p.tag.endswith("}p"):
                            text = "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")).strip()
                            if text:
                                out.append(text.replace("\xa0", " "))
    return out


def test_docx_follows_the_structure_of_436_cv_duk(duk_letter):
    texts = docx_texts(duk_letter.docx_file.read())
    # The blocks of 436-CV/ĐUK, in order (source document 000_2a230335b29208c4.txt)
    expected_in_order = [
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
        "ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH",
        "*",
        "Số 1-CV/ĐUK",
        "V/v đăng ký mô hình mới, cách làm sáng tạo năm 2023",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đà Lạt, ngày 14 tháng 01 năm 2023",
        "Kính gửi:",
        "- Căn cứ Nghị quyết số 22-NQ/TU, ngày 07/12/2022 của Tỉnh ủy Lâm Đồng",
        "- Căn cứ Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022",
        "Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh đề nghị cấp ủy các tổ chức đảng trực thuộc đăng ký",
        "gửi về Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh trước ngày 15/03/2023",
        "(Gửi kèm Hướng dẫn 09-HD/BTCTU, ngày 14/12/2022",
        "Nơi nhận:",
        "- Như trên,",
        "- Lưu.",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Trương Văn Hải",
    ]
    position = -1
    for fragment in expected_in_order:
        found = next(
            (
                i
                for i, t in enumerate(texts)
                if (i > position and t.startswith(fragment)) or (i > position and fragment in t)
            ),
            None,
        )
        assert found is not None, f"“{fragment}” missing or out of order in {texts}"
        position = found
    assert any("90%" in t and "25%" in t and "“đạt”" in t for t in texts)
    # recipients: the committees of the bloc's grassroots organizations, without the private enterprise (HD 09, I.3)
    assert any(t.startswith("- Đảng ủy Công ty TNHH MTV Cấp thoát nước Lâm Đồng") for t in texts)
    assert any(t.startswith("- Chi bộ Công ty Cổ phần Dược Lâm Đồng") for t in texts)
    assert not any("Chè Cầu Đất" in t for t in texts)


def test_docx_uses_times_new_roman(duk_letter):
    word = Docx(BytesIO(duk_letter.docx_file.read()))
    fonts = {r.font.name for p in word.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def _issue(campaign, org, day):
    return domain.issue_document(
        actor=None, document=domain.draft_cascade_letter(actor=None, campaign=campaign, org=org), on=day
    )


def test_numbers_run_per_issuer_kind_and_term_not_per_year(campaign, demo, duk_letter):
    """SPEC §8a: each issuing body numbers each type from 01 through the committee's term (436-CV/ĐUK on 14/01/2023)."""
    second = _issue(campaign, demo["LD-DUK"], D(2023, 2, 1))
    root = _issue(campaign, demo["LD"], D(2023, 2, 23))
    next_year = _issue(campaign, demo["LD-DUK"], D(2024, 1, 5))
    new_term = _issue(campaign, demo["LD-DUK"], D(2025, 1, 6))  # default terms start 1/1/2020, 1/1/2025…
    assert [duk_letter.reference, second.reference, root.reference, next_year.reference, new_term.reference] == [
        "1-CV/ĐUK",
        "2-CV/ĐUK",
        "1-CV/BTCTU",
        "3-CV/ĐUK",
        "1-CV/ĐUK",
    ]


def test_a_committees_own_term_dates_restart_the_numbers(campaign, demo, duk_letter):

    call_command("committee_term", "LD-DUK", "01/10/2020", "--to", "14/07/2025", "--name", "Nhiệm kỳ 2020 – 2025")
    call_command("committee_term", "LD-DUK", "15/07/2025", "--name", "Nhiệm kỳ 2025 – 2030")
    refs = [
        _issue(campaign, demo["LD-DUK"], day).reference
        for day in (D(2025, 3, 1), D(2025, 7, 14), D(2025, 7, 15), D(2026, 1, 2))
    ]
    assert refs == ["2-CV/ĐUK", "3-CV/ĐUK", "1-CV/ĐUK", "2-CV/ĐUK"]
    assert _issue(campaign, demo["LD-LDG"], D(2025, 3, 1)).reference == "1-CV/HU"  # its own default term


def test_issued_letter_lands_in_each_inbox_with_incoming_numbers(duk_letter, demo):
    inbox = IncomingDocument.objects.filter(document=duk_letter).select_related("recipient")
    recipients = sorted(i.recipient.code for i in inbox)
    assert recipients == ["DUK-AGR", "DUK-CTN", "DUK-DL", "DUK-DLV", "DUK-LDP", "DUK-LNBL"]
    assert {i.number for i in inbox} == {1}
    incoming = inbox.get(recipient__code="DUK-CTN")
    domain.acknowledge(actor=None, incoming=incoming)
    incoming.refresh_from_db()
    assert incoming.acknowledged_at is not None


def test_issue_twice_refused_and_missing_signer_refused(duk_letter, campaign, demo):
    with pytest.raises(domain.CampaignError, match="đã ban hành"):
        domain.issue_document(actor=None, document=duk_letter)
    draft = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-VP"])
    draft.signer_name = ""
    draft.save()
    with pytest.raises(domain.CampaignError, match="người ký"):
        domain.issue_document(actor=None, document=draft)
    assert Document.objects.get(pk=draft.pk).number is None


def test_root_letter_is_the_boards(campaign, demo):
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD"])
    ctx = render.context(doc)
    assert (ctx["parent_name"], ctx["issuer_name"], ctx["signature_lines"]) == (
        "TỈNH ỦY LÂM\xa0ĐỒNG",
        "BAN TỔ\xa0CHỨC",
        ["TRƯỞNG BAN"],
    )


def test_pdf_renders_with_vietnamese_fonts(duk_letter, tmp_path):
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(duk_letter.pdf_file.read())
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Liberation-Serif" in fonts or "Times" in fonts
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for fragment in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đà Lạt, ngày 14 tháng 01 năm 2023",
        "Số 1-CV/ĐUK",
        "Kính gửi:",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
    ):
        assert fragment in text, fragment
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_issuing_a_letter_is_confirmed_after_a_preview(campaign, demo):
    """Issue 16: the letter is shown as it will go out (type, subject, recipients, signer, text); numbered and sent
    only on confirmation. The plain client sends no confirmation."""

    domain.cascade(actor=None, campaign=campaign, org=demo["LD-DUK"], registration_deadline=D(2023, 3, 15))
    doc = domain.draft_cascade_letter(actor=None, campaign=campaign, org=demo["LD-DUK"])
    c = Client()
    c.force_login(get_user_model().objects.get(username="duk.canbo"))
    url = reverse("campaigns:document_issue", kwargs={"pk": doc.pk})
    body = c.post(url).content.decode()
    assert "Xác nhận: Ban hành" in body and doc.subject in body and "Đảng bộ Công ty" in body
    # how it will be signed is said before it goes out (the bloc has no certificate here: unsigned, and how to sign)
    assert "Không ký số: cơ quan chưa cài chứng thư số" in body
    assert Document.objects.get(pk=doc.pk).number is None
    assert c.post(url, {"xac_nhan": "1"}).status_code == 302
    assert Document.objects.get(pk=doc.pk).number is not None

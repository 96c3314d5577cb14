"""Builds the Word template of a party letter (công văn) for docxtpl: `python -m sangtao.documents.build_template`.

The layout follows the party document format (Hướng dẫn 36-HD/VPTW): A4, Times New Roman; the header is a
borderless two-column table — issuing body on the left ("ĐẢNG BỘ …" / body name / "*" / "Số …" /
"V/v …"), "ĐẢNG CỘNG SẢN VIỆT NAM" and "Place, ngày … tháng … năm …" on the right; then "Kính gửi:",
the body, the attachment note, and a two-column footer with "Nơi nhận:" and the signature block.
A province may restyle the generated .docx in Word, keeping the {{ … }} fields.
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent / "templates_docx" / "cong-van.docx"
FONT = "Times New Roman"


def _font(run, size, bold=False, italic=False, underline=False):
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _para(container, text="", size=14, bold=False, italic=False, underline=False, align=None, space_after=0,
          first_line=None):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    if first_line is not None:
        p.paragraph_format.first_line_indent = first_line
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _cell(cell):
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def build(path: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    header.columns[0].width = header.rows[0].cells[0].width = Cm(7.5)
    header.columns[1].width = header.rows[0].cells[1].width = Cm(9.0)
    left, right = (_cell(c) for c in header.rows[0].cells)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, "{{ parent_name }}", 13, align=center)
    _para(left, "{{ issuer_name }}", 13, bold=True, align=center)
    _para(left, "*", 13, align=center)
    _para(left, "Số {{ reference }}", 13, align=center)
    _para(left, "V/v {{ subject }}", 12, italic=True, align=center)
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, underline=True, align=center, space_after=6)
    _para(right, "{{ place_date }}", 14, italic=True, align=center)

    _para(doc, "", 14, space_after=6)
    _para(doc, "{%p for line in salutation %}", 14)
    _para(doc, "{{ line }}", 14, italic=False, align=center)
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "", 14, space_after=6)
    _para(doc, "{%p for para in body %}", 14)
    p = _para(doc, "{{ para }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6, first_line=Cm(1.27))
    p.paragraph_format.line_spacing = 1.15
    _para(doc, "{%p endfor %}", 14)
    _para(doc, "{%p if attachment_note %}", 14)
    _para(doc, "{{ attachment_note }}", 14, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=Cm(1.27),
          space_after=6)
    _para(doc, "{%p endif %}", 14)

    footer = doc.add_table(rows=1, cols=2)
    _no_borders(footer)
    footer.columns[0].width = footer.rows[0].cells[0].width = Cm(8.0)
    footer.columns[1].width = footer.rows[0].cells[1].width = Cm(8.5)
    left, right = (_cell(c) for c in footer.rows[0].cells)
    _para(left, "Nơi nhận:", 12, bold=True, underline=True)
    _para(left, "{%p for line in copies_to %}", 11)
    _para(left, "{{ line }}", 11)
    _para(left, "{%p endfor %}", 11)
    _para(right, "{%p for line in signature_lines %}", 14)
    _para(right, "{{ line }}", 14, bold=True, align=center)
    _para(right, "{%p endfor %}", 14)
    for _ in range(4):
        _para(right, "", 14)
    _para(right, "{{ signer_name }}", 14, bold=True, align=center)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())

"""Builds the Word template of a party document for docxtpl: `python -m sangtao.documents.build_template`.

The layout follows the party document format (Hướng dẫn 36-HD/VPTW, SPEC §8a; docs/rules.md D1–D9): A4,
Times New Roman; the header is a borderless two-column table — higher body / issuing body (bold) / "*" /
"Số …" / (công văn only) "V/v …" on the left; "ĐẢNG CỘNG SẢN VIỆT NAM" and "Place, ngày … tháng … năm …" on the
right; for a BC/TB/HD the type name and its trích yếu centred in bold under the header; "Kính gửi"; the body
(section headings bold); the attachment note; a two-column footer with "Nơi nhận:" and the signature block that
never splits and keeps the body's last paragraph with it; an annex table on a new page when there is one. Pages
are numbered from page 2, centred at the top. The same layout as templates/documents/cong_van_pdf.html.
A province may restyle the generated .docx in Word, keeping the {{ … }} fields.
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "templates_docx" / "cong-van.docx"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
SALUTATION_INDENT = Cm(4.0)  # the same in the PDF (.salute.list)
ANNEX_WIDTHS = (Cm(1.3), Cm(4.5), Cm(5.7), Cm(2.0), Cm(3.0))  # the same in the PDF (table.grid col)


def _font(run, size, bold=False, italic=False, underline=False):
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _para(
    container,
    text="",
    size=14,
    bold=False,
    italic=False,
    underline=False,
    align=None,
    space_after=0,
    first_line=None,
    left=None,
    keep_next=False,
    space_before=0,
):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(space_after), Pt(space_before)
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    fmt.keep_with_next = keep_next
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _tag(container, text):
    """A docxtpl control paragraph ({%p … %}); removed when rendered."""
    return _para(container, text, 14)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _cant_split(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    tr_pr.append(el)


def _cell(cell):
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _page_number_header(section):
    """Page numbers from page 2: a centred PAGE field in the header; page 1 has its own, empty header."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    run = _font(p.add_run(), 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        else:
            t = OxmlElement("w:t")
            t.text = "2"
            run._r.append(t)
    section.first_page_header.paragraphs[0].text = ""


def _header(doc):
    _tag(doc, "{%p if is_draft %}")
    mark = _para(doc, "DỰ THẢO", 12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    mark.runs[0].font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)
    _tag(doc, "{%p endif %}")
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    header.columns[0].width = header.rows[0].cells[0].width = Cm(7.5)
    header.columns[1].width = header.rows[0].cells[1].width = Cm(9.0)
    left, right = (_cell(c) for c in header.rows[0].cells)
    _para(left, "{{ parent_name }}", 14, align=CENTER)
    _para(left, "{{ issuer_name }}", 14, bold=True, align=CENTER)
    _para(left, "*", 14, align=CENTER)
    _para(left, "Số {{ reference }}", 14, align=CENTER)
    _tag(left, "{%p if not type_name %}")
    _para(left, "V/v {{ subject }}", 12, italic=True, align=CENTER)
    _tag(left, "{%p endif %}")
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, underline=True, align=CENTER, space_after=6)
    _para(right, "{{ place_date }}", 14, italic=True, align=CENTER)


def _title_and_salutation(doc):
    _tag(doc, "{%p if type_name %}")
    _para(doc, "{{ type_name }}", 16, bold=True, align=CENTER, space_before=12)
    _para(doc, "{{ subject }}", 14, bold=True, align=CENTER)
    _para(doc, "-----", 14, align=CENTER, space_after=6)
    _tag(doc, "{%p endif %}")
    _para(doc, "", 14, space_after=6)
    _tag(doc, "{%p if not salutation %}")
    _tag(doc, "{%p elif salutation_single %}")
    _para(doc, "{{ salutation[0] }}", 14, align=CENTER, space_after=6)
    _tag(doc, "{%p else %}")
    _tag(doc, "{%p for line in salutation %}")
    _para(doc, "{{ line }}", 14, left=SALUTATION_INDENT)
    _tag(doc, "{%p endfor %}")
    _para(doc, "", 14, space_after=6)
    _tag(doc, "{%p endif %}")


def _body(doc):
    def para(keep_next):
        _tag(doc, "{%p if para.heading %}")
        _para(doc, "{{ para.text }}", 14, bold=True, align=JUSTIFY, space_after=6, keep_next=True)
        _tag(doc, "{%p else %}")
        p = _para(doc, "{{ para.text }}", 14, align=JUSTIFY, space_after=6, first_line=Cm(1.27), keep_next=keep_next)
        p.paragraph_format.line_spacing = 1.15
        _tag(doc, "{%p endif %}")

    # A table in the body (a score sheet's criteria, a notice's results) stands where the text says “[BẢNG]”.
    _tag(doc, "{%p for para in body_before %}")
    para(keep_next=False)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if table %}")
    _grid(doc, "table")
    _para(doc, "", 8)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for para in body %}")
    para(keep_next=False)
    _tag(doc, "{%p endfor %}")
    # The last paragraph stays with the signature block: the signature is never alone on a page.
    _tag(doc, "{%p for para in body_last %}")
    para(keep_next=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if attachment_note %}")
    _para(
        doc, "{{ attachment_note }}", 14, italic=True, align=JUSTIFY, first_line=Cm(1.27), space_after=6, keep_next=True
    )
    _tag(doc, "{%p endif %}")


def _footer(doc):
    footer = doc.add_table(rows=1, cols=2)
    _no_borders(footer)
    _cant_split(footer.rows[0])
    footer.columns[0].width = footer.rows[0].cells[0].width = Cm(8.0)
    footer.columns[1].width = footer.rows[0].cells[1].width = Cm(8.5)
    left, right = (_cell(c) for c in footer.rows[0].cells)
    # A biên bản is signed by two: the secretary on the left where a letter lists “Nơi nhận”.
    _tag(left, "{%p if left_signature %}")
    _signature(left, "left_signature.lines", "left_signature.name")
    _tag(left, "{%p else %}")
    _para(left, "Nơi nhận:", 12, bold=True, underline=True, keep_next=True)
    _tag(left, "{%p for line in copies_to %}")
    _para(left, "{{ line }}", 11, keep_next=True)
    _tag(left, "{%p endfor %}")
    _tag(left, "{%p endif %}")
    _signature(right, "signature_lines", "signer_name")


def _signature(cell, lines: str, name: str):
    """A signature block from the template variables `lines` (a list: the lines above, in bold) and `name` (the
    signer's), with room to sign between them."""
    _tag(cell, "{%p for line in " + lines + " %}")
    _para(cell, "{{ line }}", 14, bold=True, align=CENTER, keep_next=True)
    _tag(cell, "{%p endfor %}")
    for _ in range(4):
        _para(cell, "", 14, keep_next=True)
    _para(cell, "{{ " + name + " }}", 14, bold=True, align=CENTER)


def _grid(doc, var):
    """A five-column table with its header row repeated on every page, filled from `var` (columns, rows)."""
    table = doc.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for i, width in enumerate(ANNEX_WIDTHS):
        table.columns[i].width = width
        for row in table.rows:
            row.cells[i].width = width
    for i, cell in enumerate(table.rows[0].cells):
        _cell(cell)
        _para(cell, f"{{{{ {var}.columns[{i}] }}}}", 12, bold=True, align=CENTER)
    head_pr = table.rows[0]._tr.get_or_add_trPr()
    head_pr.append(OxmlElement("w:tblHeader"))  # repeated on every page of the table
    loop, row = table.rows[1], table.rows[2]
    _cell(loop.cells[0])
    _para(loop.cells[0], f"{{%tr for row in {var}.rows %}}", 12)
    for i, cell in enumerate(row.cells):
        _cell(cell)
        _para(cell, f"{{{{ row[{i}] }}}}", 12, align=CENTER if i in (0, 3) else None)
    end = table.add_row()
    _cell(end.cells[0])
    _para(end.cells[0], "{%tr endfor %}", 12)


def _annex(doc):
    _tag(doc, "{%p if annex %}")
    brk = _para(doc, "", 14)
    brk.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", 14, bold=True, align=CENTER)
    _para(doc, "{{ annex.title }}", 14, bold=True, align=CENTER)
    _para(doc, "{{ annex.subtitle }}", 13, italic=True, align=CENTER, space_after=6)
    _grid(doc, "annex")
    _tag(doc, "{%p endif %}")


def build(path: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.header_distance = Cm(1.0)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0  # python-docx's default template says 1.15; the PDF's lines are single
    _page_number_header(section)
    _header(doc)
    _title_and_salutation(doc)
    _body(doc)
    _footer(doc)
    _annex(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    sys.stdout.write(f"{build()}\n")

"""Every workbook the app writes or reads goes through here (docs/rules.md X1, X2).

Writing: no cell is ever a formula. A title such as ``=HYPERLINK("http://…","y")`` typed into a form is written
as the text it is (an inline string, with Excel's "quote prefix" when it starts with = + - @), so a spreadsheet
program shows it and never runs it, and reading the file back gives the same text (the whole-campaign workbook's
round trip). `new_workbook()` gives sheets whose `append` does this, and `to_bytes()`/`save()` check every cell
again before writing, so an export cannot forget it; a test fails if a module builds a workbook any other way.

Reading: `open_upload()` checks the archive first (an archive bomb is refused, the same limits as every other
upload, `sangtao.common.uploads`) and only then parses, read-only, values not formulas."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .uploads import check_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet program may read as the start of a formula


def text(value: str) -> str:
    """The text as a cell can hold it: the control characters XML 1.0 refuses are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def make_text(cell: Cell) -> Cell:
    """Whatever was assigned, a string stays a string: never a formula."""
    if isinstance(cell.value, str):
        cell.value = text(cell.value)  # the setter may call "=…" a formula: the type is set just below
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True
    return cell


def cell(ws, value, **style) -> Cell:
    """One cell for `ws.append`, its value as given (numbers and dates stay numbers and dates, text stays text),
    with optional style attributes (font=…, number_format=…, alignment=…)."""
    if isinstance(value, Cell):
        return make_text(value)
    c = Cell(ws, row=1, column=1, value=text(value) if isinstance(value, str) else value)  # placed by append
    for name, v in style.items():
        setattr(c, name, v)
    return make_text(c)


def row(ws, values, **style) -> list[Cell]:
    return [cell(ws, v, **style) for v in values]


class _TextSheet(Worksheet):
    def append(self, iterable):
        super().append([cell(self, v) for v in iterable] if not isinstance(iterable, dict) else iterable)


class _TextWriteOnlySheet(WriteOnlyWorksheet):
    def append(self, row):
        super().append([cell(self, v) for v in row])


class TextWorkbook(Workbook):
    """A workbook whose sheets write text as text (see the module's docstring)."""

    def __init__(self, write_only: bool = False):
        super().__init__(write_only=write_only)
        if not write_only:
            self._sheets = [_TextSheet(self)]

    def create_sheet(self, title=None, index=None):
        sheet = (
            _TextWriteOnlySheet(parent=self, title=title) if self.write_only else _TextSheet(parent=self, title=title)
        )
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def new_workbook(*, write_only: bool = False) -> TextWorkbook:
    return TextWorkbook(write_only=write_only)


def _check_cells(wb: Workbook) -> None:
    if getattr(wb, "write_only", False):
        return  # its cells were made text as they were appended
    for ws in wb.worksheets:
        for line in ws.iter_rows():
            for c in line:
                make_text(c)


def save(wb: Workbook, path) -> None:
    _check_cells(wb)
    wb.save(path)


def to_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    save(wb, out)
    return out.getvalue()


def open_upload(data: bytes):
    """An uploaded workbook, checked (archive bomb, Office Open XML) then opened read-only, values only.
    Raises django's ValidationError with the reason a user can read."""
    check_workbook(data)
    return load_workbook(BytesIO(data), read_only=True, data_only=True)


# --- print-ready sheets (issue 17) ---------------------------------------------------------------------------
# Number formats: real numbers and dates, shown the Vietnamese way ([$-42A] is Vietnamese: LibreOffice takes its
# separators, 1.234,5; Excel takes them from the office's Vietnamese regional settings).
INTEGER = "[$-42A]#,##0"
DECIMAL = "[$-42A]#,##0.00"
PERCENT = "[$-42A]0.0"  # a percentage stored as 24.1, its heading says (%)
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
HEADER_ROW = 5  # rows 1–3: issuing body, title, "tính đến ngày"; row 4: a subtitle or empty; row 5: headings


def print_sheet(
    ws, *, issuer: str, title: str, columns: list[tuple[str, float]], subtitle: str = "", as_of=None
) -> None:
    """Lay a sheet out to be printed and signed: the title block (issuing body, title, "Tính đến ngày dd/mm/yyyy":
    today unless `as_of`), column widths that show the text, A4 landscape fitted to the page width, the heading row
    frozen and repeated on every printed page. Call it on a new sheet, before anything else is appended (write-only sheets write
    their layout with the first row); it appends rows 1–5, the headings last."""

    as_of = as_of or timezone.localdate()
    last = get_column_letter(len(columns))
    for i, (_heading, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for r in (1, 2, 3, 4):
        ws.merged_cells.add(f"A{r}:{last}{r}")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 36
    ws.row_dimensions[HEADER_ROW].height = 48  # headings wrap onto up to three lines
    ws.append([cell(ws, issuer.upper(), font=Font(bold=True), alignment=Alignment(horizontal="left"))])
    ws.append([cell(ws, title.upper(), font=Font(bold=True, size=13), alignment=centre)])
    ws.append([cell(ws, f"Tính đến ngày {as_of.strftime('%d/%m/%Y')}", font=Font(italic=True), alignment=centre)])
    ws.append([cell(ws, subtitle, alignment=Alignment(horizontal="center"))] if subtitle else [])  # one line
    thin = Side(style="thin")
    ws.append(
        row(
            ws,
            [h for h, _w in columns],
            font=Font(bold=True),
            alignment=centre,
            fill=PatternFill("solid", fgColor="EDEDED"),
            border=Border(top=thin, bottom=thin, left=thin, right=thin),
        )
    )


def formatted(ws, values, formats: dict[int, str] | None = None, **style) -> list[Cell]:
    """A row with number formats by column index (0-based), e.g. {5: DECIMAL, 8: DATE}."""
    formats = formats or {}
    return [
        cell(ws, v, **({"number_format": formats[i]} if i in formats and v is not None else {}), **style)
        for i, v in enumerate(values)
    ]

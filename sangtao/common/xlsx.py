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

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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
        sheet = _TextWriteOnlySheet(parent=self, title=title) if self.write_only else _TextSheet(parent=self, title=title)
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

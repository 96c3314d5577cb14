"""Excel workbooks as the offices lay them out (Vietnamese headings, merged title rows, a totals row, one sheet
per table), written in openpyxl's write-only mode so memory stays flat however large the subtree."""

from __future__ import annotations

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sangtao.appraisals.domain import subject_rows
from sangtao.registrations.models import Registration

from .domain import Coverage, compute


def _bold(ws, values):
    cells = []
    for v in values:
        c = WriteOnlyCell(ws, value=v)
        c.font = Font(bold=True)
        cells.append(c)
    return cells


def _pct(num, den):
    return round(num * 100 / den, 1) if den else None


def coverage_workbook(cov: Coverage, path: str, progress=None, results_only=False) -> None:
    wb = Workbook(write_only=True)
    if not results_only:
        _aggregate_sheets(wb, cov, progress)
    _results_sheet(wb, cov, progress)
    wb.save(path)


def _aggregate_sheets(wb, cov: Coverage, progress):
    campaign, org = cov.campaign, cov.org
    # Sheet 1: the aggregate per child, with totals.
    ws = wb.create_sheet("Tong_hop")
    head = ["TT", "Đơn vị", "Chủ thể", "Tập thể", "Cá nhân", "Đã đăng ký", "Tỷ lệ đăng ký (%)", "Đúng hạn", "Muộn",
            "Chưa đăng ký", "Đạt trở lên", "Tỷ lệ đạt (%)", *cov.bands]
    widths = [5, 45, 9, 9, 9, 11, 12, 9, 8, 11, 11, 11] + [10] * len(cov.bands)
    for i, w in enumerate(widths):
        ws.column_dimensions[_col(i)].width = w
    ws.merged_cells.ranges.add(f"A1:{_col(len(head) - 1)}1")
    ws.merged_cells.ranges.add(f"A2:{_col(len(head) - 1)}2")
    ws.append(_bold(ws, [f"TỔNG HỢP KẾT QUẢ ĐĂNG KÝ, THẨM ĐỊNH MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM {campaign.year}"]))
    ws.append([f"{org.name} — chỉ tiêu đăng ký {cov.target_registered}%, đạt {cov.target_rated}%"])
    ws.append(_bold(ws, head))

    def line(label, f, n=""):
        return [n, label, f.subjects, f.collectives, f.individuals, f.registered, _pct(f.registered, f.subjects),
                f.on_time, f.late, f.missing, f.rated,
                _pct(f.rated, f.registered if cov.rated_base == "registered" else f.subjects),
                *[f.classes.get(b, 0) for b in cov.bands]]
    for i, row in enumerate(cov.rows, start=1):
        label = row.name + (" (không thẩm định)" if row.excluded else "")
        ws.append(line(label, row.figures, i))
    ws.append(_bold(ws, line("TỔNG CỘNG", cov.total)))
    if progress:
        progress(30, "Tong_hop")
    # Sheet 2: units still missing, with their reminders.
    ws = wb.create_sheet("Chua_dang_ky")
    for i, w in enumerate([5, 50, 14, 12]):
        ws.column_dimensions[_col(i)].width = w
    ws.append(_bold(ws, ["TT", "Đơn vị chưa đăng ký", "Hạn áp dụng", "Số lần nhắc"]))
    for i, m in enumerate(cov.missing, start=1):
        ws.append([i, m["name"], m["deadline"].strftime("%d/%m/%Y") if m["deadline"] else "", m["reminders"]])
    if progress:
        progress(50, "Chua_dang_ky")


def _results_sheet(wb, cov: Coverage, progress):
    """Per subject, its registrations, result and classification (the year-end evaluation, 1240-CV/BTCTU item 3)."""
    campaign, org = cov.campaign, cov.org
    ws = wb.create_sheet("Ket_qua")
    for i, w in enumerate([5, 40, 35, 12, 45, 10, 12, 10, 12]):
        ws.column_dimensions[_col(i)].width = w
    ws.append(_bold(ws, ["TT", "Chủ thể", "Đơn vị", "Loại", "Mô hình", "Điểm", "Xếp loại mô hình", "Kết quả",
                         "Xếp loại"]))
    rows = subject_rows(campaign, Registration.objects.filter(campaign=campaign, subject_org__path__startswith=org.path))
    n = 0
    for r in rows:
        for reg, ap in r.models or [(None, None)]:
            n += 1
            ws.append([n, r.name, r.org.name, "Tập thể" if r.person is None else "Cá nhân",
                       reg.title if reg else (r.unregistered.get_basis_display() if r.unregistered else ""),
                       float(ap.total) if ap else None, ap.classification if ap else "",
                       float(r.final) if r.final is not None else None, r.classification])
    if progress:
        progress(90, "Ket_qua")


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def build(kind: str, campaign, org, progress=None) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        coverage_workbook(compute(campaign, org), tmp.name, progress, results_only=kind == "year_end")
        tmp.seek(0)
        return tmp.read()

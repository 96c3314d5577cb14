"""Excel workbooks as the offices lay them out (Vietnamese headings, merged title rows, a totals row, one sheet
per table), written in openpyxl's write-only mode so memory stays flat however large the subtree — through
`sangtao.common.xlsx`, so names and titles are text, never formulas. A result (score, class, the counts of
classes) appears only to whom `disclosure` shows it: at or above the appraising level, or once published."""

from __future__ import annotations

import tempfile

from openpyxl.styles import Font

from sangtao.appraisals.domain import subject_rows
from sangtao.common import xlsx
from sangtao.registrations.models import Registration

from . import disclosure
from .domain import Coverage, compute


def _bold(ws, values):
    return xlsx.row(ws, values, font=Font(bold=True))


def _pct(num, den):
    return round(num * 100 / den, 1) if den else None


def coverage_workbook(cov: Coverage, path: str, progress=None, results_only=False, user=None) -> None:
    """The workbook as `user` may see it (None: the command line, everything)."""
    wb = xlsx.new_workbook(write_only=True)
    if not results_only:
        _aggregate_sheets(wb, cov, progress, disclosure.withheld_paths(user, cov.campaign, cov.org))
    _results_sheet(wb, cov, progress, user)
    xlsx.save(wb, path)


def _aggregate_sheets(wb, cov: Coverage, progress, withheld: set[str]):
    campaign, org = cov.campaign, cov.org
    # Sheet 1: the aggregate per child, with totals.
    ws = wb.create_sheet("Tong_hop")
    head = ["TT", "Đơn vị", "Chủ thể", "Tập thể", "Cá nhân", "Chủ thể đã đăng ký", "Tỷ lệ đăng ký (%)", "Đúng hạn",
            "Muộn", "Chủ thể chưa đăng ký", "Chủ thể đạt trở lên", "Tỷ lệ đạt (%)", *cov.bands]
    widths = [5, 45, 9, 9, 9, 11, 12, 9, 8, 11, 11, 11] + [10] * len(cov.bands)
    for i, w in enumerate(widths):
        ws.column_dimensions[_col(i)].width = w
    ws.merged_cells.ranges.add(f"A1:{_col(len(head) - 1)}1")
    ws.merged_cells.ranges.add(f"A2:{_col(len(head) - 1)}2")
    ws.append(_bold(ws, [f"TỔNG HỢP KẾT QUẢ ĐĂNG KÝ, THẨM ĐỊNH MÔ HÌNH MỚI, CÁCH LÀM SÁNG TẠO NĂM {campaign.year}"]))
    ws.append([f"{org.name} — chỉ tiêu đăng ký {cov.target_registered}%, đạt {cov.target_rated}%"])
    ws.append(_bold(ws, head))

    def line(label, f, hidden: bool, n=""):
        counts = [n, label, f.subjects, f.collectives, f.individuals, f.registered, _pct(f.registered, f.subjects),
                  f.on_time, f.late, f.missing]
        if hidden:  # a result not yet published to this reader
            return [*counts, *[UNPUBLISHED] * (2 + len(cov.bands))]
        return [*counts, f.rated, _pct(f.rated, f.registered if cov.rated_base == "registered" else f.subjects),
                *[f.classes.get(b, 0) for b in cov.bands]]
    for i, row in enumerate(cov.rows, start=1):
        label = row.name + (" (không thẩm định)" if row.excluded else "")
        ws.append(line(label, row.figures, any(p.startswith(row.path) for p in withheld), i))
    # the level's own subjects, so that the rows add up to the total (issue 19)
    ws.append(line(f"Chủ thể trực tiếp của {org.name}", cov.own, org.path in withheld))
    ws.append(_bold(ws, line("TỔNG CỘNG", cov.total, bool(withheld))))
    if progress:
        progress(30, "Tong_hop")
    # Sheet 2: units still missing, with their reminders.
    ws = wb.create_sheet("Chua_dang_ky")
    for i, w in enumerate([5, 50, 14, 12]):
        ws.column_dimensions[_col(i)].width = w
    ws.append(_bold(ws, ["TT", "Đơn vị (tập thể) chưa đăng ký", "Hạn áp dụng", "Số lần nhắc"]))
    for i, m in enumerate(cov.missing, start=1):
        ws.append([i, m["name"], m["deadline"].strftime("%d/%m/%Y") if m["deadline"] else "", m["reminders"]])
    if progress:
        progress(50, "Chua_dang_ky")


UNPUBLISHED = "Chưa công bố"


def _results_sheet(wb, cov: Coverage, progress, user=None):
    """Per subject, its registrations, result and classification (the year-end evaluation, 1240-CV/BTCTU item 3)."""
    campaign, org = cov.campaign, cov.org
    ws = wb.create_sheet("Ket_qua")
    for i, w in enumerate([5, 40, 35, 12, 45, 10, 12, 10, 12]):
        ws.column_dimensions[_col(i)].width = w
    ws.append(_bold(ws, ["TT", "Chủ thể", "Đơn vị", "Loại", "Mô hình", "Điểm", "Xếp loại mô hình", "Kết quả",
                         "Xếp loại"]))
    rows = subject_rows(campaign, Registration.objects.filter(campaign=campaign, subject_org__path__startswith=org.path))
    shown = disclosure.ResultFilter(user, [ap.appraising_org_id for r in rows for _reg, ap in r.models if ap] +
                                    [r.unregistered.appraising_org_id for r in rows if r.unregistered])
    n = 0
    for r in rows:
        def sees(ap, r=r):
            return shown.shows(ap.appraising_org_id, ap.published_at is not None, r.org, r.person)
        visible = [sees(ap) for _reg, ap in r.models if ap] + ([sees(r.unregistered)] if r.unregistered else [])
        for reg, ap in r.models or [(None, None)]:
            n += 1
            ap_shown = ap is not None and sees(ap)
            ws.append([n, r.name, r.org.name, "Tập thể" if r.person is None else "Cá nhân",
                       reg.title if reg else (r.unregistered.get_basis_display() if r.unregistered else ""),
                       float(ap.total) if ap_shown else None, ap.classification if ap_shown else "",
                       float(r.final) if r.final is not None and all(visible) else None,
                       r.classification if all(visible) else ""])
    if progress:
        progress(90, "Ket_qua")


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def build(kind: str, campaign, org, progress=None, user=None) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        coverage_workbook(compute(campaign, org), tmp.name, progress, results_only=kind == "year_end", user=user)
        tmp.seek(0)
        return tmp.read()

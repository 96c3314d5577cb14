"""Excel workbooks as the offices lay them out (Vietnamese headings, merged title rows, a totals row, one sheet
per table), written in openpyxl's write-only mode so memory stays flat however large the subtree — through
`sangtao.common.xlsx`, so names and titles are text, never formulas. A result (score, class, the counts of
classes) appears only to whom `disclosure` shows it: at or above the appraising level, or once published."""

from __future__ import annotations

import tempfile

from openpyxl.styles import Font

from sangtao.appraisals.domain import subject_rows
from sangtao.common import xlsx
from sangtao.common.templatetags.vn import vn_number
from sangtao.registrations.models import Registration
from sangtao.registrations.novelty import replication_counts

from . import disclosure, domain
from .domain import Coverage, compute

# The columns of the printed sheets: heading, width.
REPLICATION_COLUMNS = [
    ("TT", 5),
    ("Mô hình gốc", 55),
    ("Đơn vị, cá nhân có mô hình gốc", 40),
    ("Năm", 8),
    ("Số đăng ký khai nhân rộng", 14),
]
RESULTS_COLUMNS = [
    ("TT", 5),
    ("Chủ thể", 34),
    ("Đơn vị", 34),
    ("Loại", 9),
    ("Mô hình, cách làm / căn cứ", 45),
    ("Điểm mô hình", 9),
    ("Xếp loại mô hình", 12),
    ("Kết quả cả năm", 9),
    ("Xếp loại", 12),
]


def _pct(num, den):
    return round(num * 100 / den, 1) if den else None


def coverage_workbook(cov: Coverage, path: str, progress=None, results_only=False, user=None) -> None:
    """The workbook as `user` may see it (None: the command line, everything)."""
    wb = xlsx.new_workbook(write_only=True)
    withheld = disclosure.withheld_paths(user, cov.campaign, cov.org)  # the coverage page's rule (rules V12)
    if not results_only:
        _aggregate_sheets(wb, cov, progress, withheld)
    _results_sheet(wb, cov, progress, user, withheld)
    _replication_sheet(wb, cov)
    xlsx.save(wb, path)


def _printed_sheet(wb, cov: Coverage, name: str, title: str, columns, subtitle: str = ""):
    """A new sheet laid out to be printed (xlsx.print_sheet): issued by the level the workbook is for, titled for
    the campaign's year."""
    ws = wb.create_sheet(name)
    xlsx.print_sheet(
        ws, issuer=cov.org.name, title=f"{title} năm {cov.campaign.year}", columns=columns, subtitle=subtitle
    )
    return ws


def _replication_sheet(wb, cov: Coverage):
    """How far each original model spread (1240-CV/BTCTU asks for nhân rộng): per original model of any unit and
    any year, how many registrations of this campaign in the scope declare they replicate it."""

    campaign, org = cov.campaign, cov.org
    ws = _printed_sheet(wb, cov, "Nhan_rong", "Mô hình được nhân rộng", REPLICATION_COLUMNS)
    rows = replication_counts(campaign, org)
    for i, r in enumerate(rows, start=1):
        ws.append(
            xlsx.formatted(
                ws, [i, r["title"], r["unit"], r["year"], r["replications"]], {3: xlsx.INTEGER, 4: xlsx.INTEGER}
            )
        )
    total = sum(r["replications"] for r in rows)
    ws.append(
        xlsx.row(ws, [None, f"Tổng cộng: {len(rows)} mô hình gốc, {total} đăng ký nhân rộng"], font=Font(bold=True))
    )


def _aggregate_sheets(wb, cov: Coverage, progress, withheld: set[str]):
    org = cov.org
    # Sheet 1: the aggregate per child, with the level's own subjects and the totals.
    columns = [
        ("TT", 5),
        ("Đơn vị", 42),
        ("Chủ thể", 9),
        ("Tập thể", 9),
        ("Cá nhân", 9),
        ("Chủ thể đã đăng ký", 11),
        ("Tỷ lệ đăng ký (%)", 10),
        ("Đúng hạn", 9),
        ("Muộn", 8),
        ("Chủ thể chưa đăng ký", 11),
        ("Chủ thể đạt trở lên", 11),
        ("Tỷ lệ đạt (%)", 10),
        *[(b, 10) for b in cov.bands],
    ]
    ws = _printed_sheet(
        wb,
        cov,
        "Tong_hop",
        "Tổng hợp kết quả đăng ký, thẩm định mô hình mới, cách làm sáng tạo",
        columns,
        f"Chỉ tiêu đăng ký {_vn(cov.target_registered)}%, đạt {_vn(cov.target_rated)}% · "
        f"số liệu tính theo chủ thể (tập thể và cá nhân)",
    )
    formats = dict.fromkeys(range(2, len(columns)), xlsx.INTEGER) | {6: xlsx.PERCENT, 11: xlsx.PERCENT}

    def line(label, f, hidden: bool, n=None, **style):
        counts = [
            n,
            label,
            f.subjects,
            f.collectives,
            f.individuals,
            f.registered,
            _pct(f.registered, f.subjects),
            f.on_time,
            f.late,
            f.missing,
        ]
        if hidden:  # a result not yet published to this reader
            values = [*counts, *[UNPUBLISHED] * (2 + len(cov.bands))]
        else:
            values = [
                *counts,
                f.rated,
                _pct(f.rated, f.registered if cov.rated_base == "registered" else f.subjects),
                *[f.classes.get(b, 0) for b in cov.bands],
            ]
        return xlsx.formatted(ws, values, formats, **style)

    for i, row in enumerate(cov.rows, start=1):
        label = row.name + (" (không thẩm định)" if row.excluded else "")
        ws.append(line(label, row.figures, any(p.startswith(row.path) for p in withheld), i))
    # the level's own subjects, so that the rows add up to the total (issue 19)
    ws.append(line(f"Chủ thể trực tiếp của {org.name}", cov.own, org.path in withheld))
    ws.append(line("TỔNG CỘNG", cov.total, bool(withheld), font=Font(bold=True)))
    if progress:
        progress(30, "Tong_hop")
    # Sheet 2: units still missing, with their reminders.
    ws = _printed_sheet(
        wb,
        cov,
        "Chua_dang_ky",
        "Danh sách đơn vị chưa đăng ký mô hình",
        [("TT", 5), ("Đơn vị (tập thể) chưa đăng ký", 55), ("Hạn áp dụng", 14), ("Số lần nhắc", 12)],
    )
    for i, m in enumerate(cov.missing, start=1):
        ws.append(xlsx.formatted(ws, [i, m["name"], m["deadline"], m["reminders"]], {2: xlsx.DATE, 3: xlsx.INTEGER}))
    ws.append(xlsx.row(ws, [None, f"Tổng cộng: {len(cov.missing)} đơn vị"], font=Font(bold=True)))
    if cov.itself_missing:  # the level is not one of its own units missing (rules V11): said, as on the page
        note = (
            f"Bản thân {org.name} chưa đăng ký: tính ở dòng “Chủ thể trực tiếp” (trang Tong_hop), do cấp trên đôn đốc."
        )
        ws.append(xlsx.row(ws, [None, note]))
    if progress:
        progress(50, "Chua_dang_ky")


UNPUBLISHED = "Chưa công bố"
NOT_REGISTERED = "Chưa đăng ký, chưa đánh giá"


def _vn(value) -> str:

    return vn_number(value)


def _results_sheet(wb, cov: Coverage, progress, user=None, withheld: set[str] = frozenset()):
    """Every subject of the scope, registered or not, with its models, result and classification (the year-end
    evaluation, 1240-CV/BTCTU item 3): a subject who registered nothing shows the basis it was evaluated on
    (HD 09 I.2.2), or that it has none yet; totals at the foot."""
    campaign, org = cov.campaign, cov.org
    ws = _printed_sheet(wb, cov, "Ket_qua", "Kết quả đánh giá mô hình mới, cách làm sáng tạo", RESULTS_COLUMNS)
    formats = {5: xlsx.DECIMAL, 7: xlsx.DECIMAL}
    rows = [
        r
        for r in subject_rows(
            campaign, Registration.objects.filter(campaign=campaign, subject_org__path__startswith=org.path)
        )
        if r.org.path.startswith(org.path)
    ]
    listed = {(r.org.pk, r.person.pk if r.person else None) for r in rows}
    shown = disclosure.ResultFilter(
        user,
        [ap.appraising_org_id for r in rows for _reg, ap in r.models if ap]
        + [r.unregistered.appraising_org_id for r in rows if r.unregistered],
    )
    lines = []  # (sort key, values)
    classes: dict[str, int] = {}
    for r in rows:

        def sees(ap, r=r):
            return shown.shows(ap.appraising_org_id, ap.published_at is not None, r.org, r.person)

        visible = all([sees(ap) for _reg, ap in r.models if ap] + ([sees(r.unregistered)] if r.unregistered else []))
        if visible and r.classification:
            classes[r.classification] = classes.get(r.classification, 0) + 1
        for reg, ap in r.models or [(None, None)]:
            ap_shown = ap is not None and sees(ap)
            lines.append(
                (
                    (r.org.path, r.person is not None, r.name),
                    [
                        r.name,
                        r.org.name,
                        "Tập thể" if r.person is None else "Cá nhân",
                        reg.title if reg else f"Không đăng ký — căn cứ: {r.unregistered.get_basis_display()}",
                        ap.total if ap_shown else None,
                        ap.classification if ap_shown else None,
                        r.final if r.final is not None and visible else None,
                        r.classification if visible else None,
                    ],
                )
            )
    shown_regs = {reg.pk for r in rows for reg, _ap in r.models}
    for reg in (
        Registration.objects.filter(
            campaign=campaign, subject_org__path__startswith=org.path, first_submitted_at__isnull=False
        )
        .exclude(pk__in=shown_regs)
        .select_related("subject_org", "person")
        .order_by("title")
    ):
        # sent but not (yet) appraisable: waiting for acceptance, or returned — registered all the same (V2)
        name = reg.person.full_name if reg.person else reg.subject_org.name
        listed.add((reg.subject_org_id, reg.person_id))
        lines.append(
            (
                (reg.subject_org.path, reg.person is not None, name),
                [
                    name,
                    reg.subject_org.name,
                    "Tập thể" if reg.person is None else "Cá nhân",
                    f"{reg.title} ({reg.get_state_display().lower()})",
                    None,
                    None,
                    None,
                    None,
                ],
            )
        )
    for subject_org, person in domain.scope_subjects(campaign, org):
        if (subject_org.pk, person.pk if person else None) not in listed:
            name = person.full_name if person else subject_org.name
            lines.append(
                (
                    (subject_org.path, person is not None, name),
                    [
                        name,
                        subject_org.name,
                        "Tập thể" if person is None else "Cá nhân",
                        NOT_REGISTERED,
                        None,
                        None,
                        None,
                        None,
                    ],
                )
            )
    lines.sort(key=lambda line: line[0])
    for n, (_key, values) in enumerate(lines, start=1):
        ws.append(xlsx.formatted(ws, [n, *values], formats))
    subjects = {key for key, _v in lines}
    registered = {
        key for key, values in lines if values[3] != NOT_REGISTERED and not values[3].startswith("Không đăng ký")
    }
    bold = Font(bold=True)
    ws.append([])
    ws.append(xlsx.row(ws, [None, "Tổng số chủ thể", None, None, len(subjects)], font=bold))
    ws.append(xlsx.row(ws, [None, "Chủ thể có mô hình đăng ký", None, None, len(registered)]))
    ws.append(xlsx.row(ws, [None, "Chủ thể không đăng ký", None, None, len(subjects) - len(registered)]))
    # The class counts are rated figures: "Chưa công bố" when any is withheld from this reader (`withheld`, the
    # paths the summary sheet's total and the coverage page withhold) — never a count of only what he may see.
    for label in cov.bands:
        ws.append(
            xlsx.row(ws, [None, f"Xếp loại {label}", None, None, UNPUBLISHED if withheld else classes.get(label, 0)])
        )
    if progress:
        progress(90, "Ket_qua")


def build(kind: str, campaign, org, progress=None, user=None) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        coverage_workbook(compute(campaign, org), tmp.name, progress, results_only=kind == "year_end", user=user)
        tmp.seek(0)
        return tmp.read()

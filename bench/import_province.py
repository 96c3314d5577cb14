"""Benchmark: import a 10,000-organization province workbook (issue: "well under a minute").

Prints the import time beside a baseline measured in the same run: merely reading the same workbook
with openpyxl (the floor every importer pays), and the ratio between them.

    make bench-import            # SQLite (a fresh file under var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sangtao_bench make bench-import
"""

import os
import random
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangtao.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("SANGTAO_THREAD_JOBS", "0")
if not os.environ.get("DATABASE_URL"):
    Path("var").mkdir(exist_ok=True)
    db = Path("var/bench-import.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db.resolve()}"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from sangtao.orgs.interfaces import excel  # noqa: E402
from sangtao.orgs.models import Organization, Person  # noqa: E402

SYLLABLES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Thảo",
    "Trang",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]


def province_workbook(committees=128, grassroots_per=10, cells_per=7, seed=2023) -> tuple[bytes, int, int]:
    rnd = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = excel.ORG_SHEET
    ws.append([t for _k, t, _r in excel.ORG_COLUMNS])
    people = wb.create_sheet(excel.PEOPLE_SHEET)
    people.append([t for _k, t, _r in excel.PEOPLE_COLUMNS])
    n_orgs = n_people = 0

    def person(org, evaluator, leader):
        nonlocal n_people
        n_people += 1
        name = f"{rnd.choice(FAMILY)} Văn {rnd.choice(SYLLABLES)}"
        people.append(
            [f"P{n_people:06d}", name, org, "Bí thư" if leader else "Đảng viên", "x" if leader else "", "x", evaluator]
        )

    def org(code, name, kind, parent, village=False):
        nonlocal n_orgs
        n_orgs += 1
        ws.append([code, name, "", kind, parent, "x" if village else "", "", "", "01/01/2020"])

    org("P", "Đảng bộ tỉnh Mẫu", "tinh", "")
    for c in range(committees):
        cc = f"C{c:03d}"
        org(cc, f"Đảng bộ huyện {c}", "tren_co_so", "P")
        person(cc, "P", True)
        for g in range(grassroots_per):
            gc = f"{cc}-G{g:02d}"
            org(gc, f"Đảng bộ xã {c}-{g}", "dang_bo_co_so", cc)
            person(gc, cc, True)
            person(gc, cc, True)
            for k in range(cells_per):
                kc = f"{gc}-K{k}"
                village = k >= cells_per - 2
                org(kc, f"Chi bộ {'thôn' if village else 'cơ quan'} {c}-{g}-{k}", "chi_bo", gc, village)
                person(kc, gc, not village)
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), n_orgs, n_people


def main():
    call_command("migrate", verbosity=0)
    data, n_orgs, n_people = province_workbook()
    t0 = time.perf_counter()
    wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    rows = sum(1 for name in wb.sheetnames for _ in wb[name].iter_rows(values_only=True))
    wb.close()
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = excel.import_workbook(data, user=None)
    took = time.perf_counter() - t0
    assert Organization.objects.count() == n_orgs and Person.objects.count() == n_people, result
    engine = django.db.connection.vendor
    print(f"engine={engine} organizations={n_orgs} people={n_people} rows_read={rows}")
    print(f"baseline: read workbook with openpyxl      {baseline:7.2f} s")
    print(f"import: validate + write everything       {took:7.2f} s   ratio {took / baseline:4.1f}x baseline")
    t0 = time.perf_counter()
    excel.workbook_bytes(excel.build_workbook())
    print(f"export: whole tree and people to .xlsx    {time.perf_counter() - t0:7.2f} s")


if __name__ == "__main__":
    main()

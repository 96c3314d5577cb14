import datetime as dt
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sangtao.exchange.campaign_excel import ImportFailed, import_campaign


class Command(BaseCommand):
    help = "Nhập cả một đợt từ tệp Excel (docs/mau-nhap-dot.md): trọn gói hoặc không gì cả; in mọi dòng lỗi."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", default="", help="Tài khoản ghi vào nhật ký (mặc định: quản trị cao nhất)")
        parser.add_argument(
            "--ngay-hieu-luc",
            "--effective-date",
            dest="effective_date",
            default="",
            help="dd/mm/yyyy: ngày hiệu lực của tổ chức không ghi “Hiệu lực từ ngày” "
            "(mặc định: “Cây tổ chức tính theo ngày” của đợt)",
        )

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        User = get_user_model()
        user = (
            User.objects.filter(username=opts["user"]).first()
            if opts["user"]
            else User.objects.filter(is_superuser=True).order_by("id").first()
        )
        if user is None:
            user = User.objects.create(username="nhap-excel", is_superuser=True, is_active=False)

        def progress(pct, msg):
            bar = "#" * (pct // 4)
            sys.stderr.write(f"\r[{bar:<25}] {pct:3d}% {msg[:60]:<60}")
            sys.stderr.flush()

        try:
            day = opts["effective_date"]
            effective = dt.datetime.strptime(day, "%d/%m/%Y").date() if day else None  # noqa: DTZ007 — a date
        except ValueError:
            raise CommandError(f"Ngày “{opts['effective_date']}” không đúng dạng dd/mm/yyyy.") from None
        try:
            summary = import_campaign(path.read_bytes(), user=user, progress=progress, effective_date=effective)
        except ImportFailed as exc:
            sys.stderr.write("\n")
            for p in exc.problems:
                self.stderr.write(f"{p.sheet}, dòng {p.row}, cột {p.column}: {p.reason}")
            raise CommandError(f"Tệp có {len(exc.problems)} lỗi; không dữ liệu nào được ghi.") from None
        sys.stderr.write("\n")
        self.stdout.write("Đã nhập: " + ", ".join(f"{k} {v}" for k, v in summary.items()))

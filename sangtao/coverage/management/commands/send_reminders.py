import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sangtao.coverage.reminders import due_reminders


class Command(BaseCommand):
    help = "Gửi các lời nhắc đến hạn (trước hạn, quá hạn, báo cấp trên); chạy nhiều lần không gửi trùng."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính nhắc (dd/mm/yyyy), mặc định hôm nay")

    def handle(self, *args, **opts):
        today = None
        if opts["date"]:
            try:
                today = dt.datetime.strptime(opts["date"], "%d/%m/%Y").date()  # noqa: DTZ007 — a date
            except ValueError:
                raise CommandError("Ngày theo dạng dd/mm/yyyy, ví dụ 10/03/2027.") from None
        sent = due_reminders(today)
        self.stdout.write(f"Đã gửi {len(sent)} lời nhắc.")
        for r in sent:
            self.stdout.write(f"  {r.org.code:<14} {r.kind:<12} {r.reason:<12} {r.message}")

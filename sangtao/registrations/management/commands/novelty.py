import time

from django.core.management.base import BaseCommand, CommandError

from sangtao.registrations import novelty


class ProgressBar:
    """`[#####.....] 1.234/10.000` on one line of stderr, redrawn at most ten times a second."""

    def __init__(self, total: int, write, width: int = 30):
        self.total, self.done, self.width, self.write, self.drawn = max(total, 1), 0, width, write, 0.0

    def __call__(self):
        self.done += 1
        now = time.monotonic()
        if now - self.drawn > 0.1 or self.done == self.total:
            self.drawn = now
            full = self.width * self.done // self.total
            self.write(f"\r[{'#' * full}{'.' * (self.width - full)}] {_n(self.done)}/{_n(self.total)}")

    def close(self):
        self.write("\n")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Chỉ mục kiểm tra tính mới: --check so chỉ mục lưu sẵn với dựng lại từ đầu (khác thì thoát mã 1); "
        '--rebuild dựng lại; --query "…" tra các mô hình tương tự nhất.'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="So chỉ mục lưu sẵn với chỉ mục dựng lại từ văn bản hiện tại; khác nhau thì thoát mã 1",
        )
        parser.add_argument("--rebuild", action="store_true", help="Dựng lại toàn bộ chỉ mục (có thanh tiến độ)")
        parser.add_argument("--query", help="Tên (và điểm mới) của mô hình cần tra, có hoặc không dấu")
        parser.add_argument("--limit", type=int, default=10, help="Số kết quả (mặc định 10)")

    def handle(self, *args, **opts):
        if not (opts["check"] or opts["rebuild"] or opts["query"]):
            raise CommandError('Chọn --check, --rebuild hoặc --query "…".')
        if opts["rebuild"]:
            bar = ProgressBar(
                novelty.indexed_registrations().count(),
                lambda text: (self.stderr.write(text, ending=""), self.stderr.flush()),
            )
            count = novelty.rebuild(progress=bar)
            bar.close()
            self.stdout.write(f"Đã dựng lại chỉ mục: {_n(count)} mô hình.")
        if opts["check"]:
            problems = novelty.check()
            for line in problems[:50]:
                self.stderr.write(f"Khác: {line}")
            if problems:
                raise CommandError(
                    f"Chỉ mục lưu sẵn khác dựng lại ở {_n(len(problems))} chỗ; chạy lại với --rebuild.", returncode=1
                )
            self.stdout.write("Chỉ mục lưu sẵn khớp với dựng lại từ đầu.")
        if opts["query"]:
            matches = novelty.similar(novelty.query_text(opts["query"]), limit=opts["limit"], minimum=0)
            if not matches:
                self.stdout.write("Không có mô hình tương tự.")
            for m in matches:
                reg = m.registration
                self.stdout.write(
                    f"{m.percent:>3}%  #{reg.pk:<8} {reg.campaign.year}  {reg.title} — {reg.subject_name}"
                )

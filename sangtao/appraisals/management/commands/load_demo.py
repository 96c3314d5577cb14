from django.core.management.base import BaseCommand

from sangtao.appraisals.demo import load_demo
from sangtao.orgs.demo import DEMO_PASSWORD, demo_logins
from sangtao.orgs.demo import load_demo as load_demo_province
from sangtao.signatures import demo as signatures_demo


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (Đảng bộ tỉnh Lâm Đồng, đợt đăng ký năm 2027) và in tài khoản đăng nhập mẫu cho từng vai trò."

    def handle(self, *args, **options):
        created = load_demo_province()
        signed = signatures_demo.load_demo()  # before the demo's letters are issued, so that they come out signed
        created = load_demo() or created
        self.stdout.write("Đã tạo dữ liệu mẫu." if created else "Dữ liệu mẫu đã có sẵn.")
        for line in signed:
            self.stdout.write(f"Chữ ký số mẫu: {line}")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, org, secret in demo_logins():
            line = f"  {username:<16} {role:<28} tại {org}"
            if secret:
                line += f"   mã TOTP: make totp U={username}  (khóa {secret})"
            self.stdout.write(line)
        p12 = signatures_demo.demo_dir() / signatures_demo.PERSONAL["file"]
        self.stdout.write("")
        self.stdout.write(
            f"Ký số bằng USB token (chạy thử): chứng thư cá nhân của {signatures_demo.PERSONAL['cn']} ở {p12}, "
            f"mật khẩu {signatures_demo.DEMO_PASSPHRASE}; ký bằng "
            f"`manage.py sign_pdf --p12 {p12} --passphrase {signatures_demo.DEMO_PASSPHRASE} vao.pdf ra.pdf`."
        )

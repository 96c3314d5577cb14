from django.core.management.base import BaseCommand

from sangtao.appraisals.demo import load_demo
from sangtao.orgs.demo import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (Đảng bộ tỉnh Lâm Đồng, đợt đăng ký năm 2027) và in tài khoản đăng nhập mẫu cho từng vai trò."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write("Đã tạo dữ liệu mẫu." if created else "Dữ liệu mẫu đã có sẵn.")
        self.stdout.write("")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, org, secret in demo_logins():
            line = f"  {username:<16} {role:<28} tại {org}"
            if secret:
                line += f"   mã TOTP: make totp U={username}  (khóa {secret})"
            self.stdout.write(line)

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "In mã TOTP hiện tại của một tài khoản mẫu (chỉ khi DJANGO_DEBUG bật)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        if not settings.DEBUG:
            raise CommandError("Chỉ dùng được khi DJANGO_DEBUG=1 (môi trường thử).")
        user = get_user_model().objects.filter(username=username).first()
        auth = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first() if user else None
        if auth is None:
            raise CommandError(f"{username} chưa kích hoạt TOTP.")
        secret = decrypt(auth.data["secret"])
        self.stdout.write(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))

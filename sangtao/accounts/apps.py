from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sangtao.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from . import middleware  # noqa: F401 — connects the login-time receiver

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sangtao.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

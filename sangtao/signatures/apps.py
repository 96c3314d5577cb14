from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "sangtao.signatures"
    label = "signatures"
    verbose_name = "Chữ ký số"

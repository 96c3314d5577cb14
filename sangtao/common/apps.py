from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sangtao.common"
    label = "common"
    verbose_name = "Dùng chung"

    def ready(self):
        from . import signals  # noqa: F401

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "sangtao.exchange"
    label = "exchange"
    verbose_name = "Nhập, xuất cả đợt"

    def ready(self):
        from . import tasks  # noqa: F401 — registers its outbox sweeper (common.jobs.sweeper)

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sangtao.reports"
    label = "reports"
    verbose_name = "Báo cáo kết quả"

    def ready(self):
        from . import rules  # noqa: F401

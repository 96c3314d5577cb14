from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "sangtao.coverage"
    label = "coverage"
    verbose_name = "Tổng hợp, báo cáo"

    def ready(self):
        from . import tasks  # noqa: F401 — registers its outbox sweeper (common.jobs.sweeper)

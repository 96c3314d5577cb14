from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "sangtao.coverage"
    label = "coverage"
    verbose_name = "Tổng hợp, báo cáo"

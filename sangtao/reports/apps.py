from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sangtao.reports"
    label = "reports"
    verbose_name = "Báo cáo kết quả"

    def ready(self):
        from sangtao.common.audit_text import register_section_titles

        from . import rules  # noqa: F401
        from .models import DEFAULT_SECTIONS

        register_section_titles({s["key"]: s["title"] for s in DEFAULT_SECTIONS})

from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "sangtao.appraisals"
    label = "appraisals"
    verbose_name = "Thẩm định"

    def ready(self):
        from . import rules  # noqa: F401

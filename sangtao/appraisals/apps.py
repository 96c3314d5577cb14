from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "sangtao.appraisals"
    label = "appraisals"
    verbose_name = "Thẩm định"

    def ready(self):
        from sangtao.campaigns.papers import register_read_guard

        from . import papers, rules  # noqa: F401

        register_read_guard("appraisal", papers.may_read_paper, many=papers.readable_papers)

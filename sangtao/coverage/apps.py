from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "sangtao.coverage"
    label = "coverage"
    verbose_name = "Tổng hợp, báo cáo"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from sangtao.campaigns.models import Document
        from sangtao.campaigns.papers import IssueStep, register_issue_step

        from . import tasks  # noqa: F401 — registers its outbox sweeper (common.jobs.sweeper)

        register_issue_step(
            Document.Purpose.UPWARD_REPORT,
            IssueStep(
                "coverage:upward_confirm",
                _("Xác nhận và gửi báo cáo lên cấp trên"),
                _(
                    "Dự thảo báo cáo tổng hợp: sửa mọi phần, tải bản xem trước; khi xác nhận, số liệu được chốt, phụ "
                    "lục cập nhật theo số liệu lúc gửi, báo cáo được ban hành và gửi vào hộp văn bản đến của cấp "
                    "trên. Số liệu thay đổi sau khi lập dự thảo: bấm “Cập nhật số liệu vào dự thảo”."
                ),
                also=(("coverage:upward_refresh", _("Cập nhật số liệu vào dự thảo")),),
            ),
        )

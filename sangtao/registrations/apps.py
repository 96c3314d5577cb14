from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "sangtao.registrations"
    label = "registrations"
    verbose_name = "Đăng ký mô hình"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from sangtao.campaigns.models import Document
        from sangtao.campaigns.papers import IssueStep, register_issue_step

        register_issue_step(
            Document.Purpose.WRITTEN_REGISTRATION,
            IssueStep(
                "registrations:written_confirm",
                _("Xác nhận và gửi đăng ký"),
                _(
                    "Dự thảo công văn đăng ký: kiểm tra, sửa, tải bản xem trước; khi xác nhận, các đăng ký trong "
                    "danh sách được gửi và công văn được ban hành."
                ),
            ),
        )
